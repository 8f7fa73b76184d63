#include "bit_overlap.h"

static inline uint64_t row_diff(const uint64_t *row, const uint64_t *s, size_t words) {
  uint64_t diff = 0;
  for (size_t w = 0; w < words; w++) diff += hb_popcount64(row[w] ^ s[w]);
  return diff;
}

/* m_mu = n - 2 popcount(xi^mu XOR s): agreements minus disagreements of two +-1 vectors. */
void hb_bit_overlap_f32__scalar(size_t p, size_t n, const uint64_t *xi, size_t ldxi,
                                const uint64_t *s, float *m) {
  HB_BIT_OVERLAP_ROWS(p, n, xi, ldxi, s, m, row_diff);
}
