/* What a sample must be before any learner takes it: the sample contract of online PCA
 * (hb_pca_samples_unfit) and the finiteness check of raw float32 records, the reader's first
 * look at binary input (include/hebbian/hb_pca.h). */
#include "../internal.h"

#include <string.h>

size_t hb_pca_samples_unfit(const float *X, size_t n, size_t d, size_t ldx) {
  for (size_t i = 0; i < n; i++) {
    const float *x = X + i * ldx;
    /* NaN and infinity make s NaN or infinite, which the range refuses. */
    double s = 0;
    for (size_t j = 0; j < d; j++) s += (double)x[j] * (double)x[j];
    if (s != 0 && !(s >= HB_PCA_NORM2_MIN && s <= HB_PCA_NORM2_MAX)) return i;
  }
  return n;
}

int64_t hb_f32_copy_finite(const uint8_t *src, size_t count, float *dst) {
  /* Little-endian float32 on every supported target: a copy, then one pass over the exponent
   * bits (all ones: NaN or infinity) that the compiler vectorises. */
  memcpy(dst, src, count * sizeof(float));
  uint32_t any = 0;
  for (size_t i = 0; i < count; i++) {
    uint32_t bits;
    memcpy(&bits, dst + i, sizeof bits);
    any |= (uint32_t)((bits & 0x7F800000u) == 0x7F800000u);
  }
  if (!any) return -1;
  for (size_t i = 0; i < count; i++) {
    uint32_t bits;
    memcpy(&bits, dst + i, sizeof bits);
    if ((bits & 0x7F800000u) == 0x7F800000u) return (int64_t)i;
  }
  return -1;
}
