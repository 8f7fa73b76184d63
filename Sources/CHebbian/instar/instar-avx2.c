#include "../internal.h"

#if HB_BUILD_AVX2
#include <immintrin.h>

/* W_ij += eta y_i (x_j - W_ij) */
HB_AVX2 void hb_instar_step_f32__avx2(size_t k, size_t d, float eta, const float *x,
                                      const float *y, float *W, size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float ey = eta * y[i];
    const __m256 vey = _mm256_set1_ps(ey);
    size_t j = 0;
    for (; j + 8 <= d; j += 8) {
      __m256 wj = _mm256_loadu_ps(w + j);
      __m256 diff = _mm256_sub_ps(_mm256_loadu_ps(x + j), wj);
      _mm256_storeu_ps(w + j, _mm256_fmadd_ps(vey, diff, wj));
    }
    for (; j < d; j++) w[j] += ey * (x[j] - w[j]);
  }
}
#endif
