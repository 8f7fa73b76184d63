#include "../internal.h"

#include <string.h>

/* Bit j of the packed vector is the sign bit of x[j]: a +-1 vector maps to its negative
 * entries, and XOR of two packed vectors marks exactly where they disagree. */
void hb_pack_signs_u64(size_t n, const float *x, uint64_t *bits) {
  size_t words = (n + 63) / 64;
  for (size_t w = 0; w < words; w++) {
    uint64_t word = 0;
    size_t end = n - w * 64 < 64 ? n - w * 64 : 64;
    for (size_t b = 0; b < end; b++) {
      uint32_t u;
      memcpy(&u, &x[w * 64 + b], sizeof u);
      word |= (uint64_t)(u >> 31) << b;
    }
    bits[w] = word;
  }
}
