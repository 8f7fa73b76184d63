#include "../internal.h"

#if HB_BUILD_AVX2
#include <immintrin.h>

/* W_ij += eta x_j y_i (y_i - theta_i) */
HB_AVX2 void hb_bcm_step_f32__avx2(size_t k, size_t d, float eta, const float *x,
                                   const float *y, const float *theta, float *W, size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float g = eta * y[i] * (y[i] - theta[i]);
    const __m256 vg = _mm256_set1_ps(g);
    size_t j = 0;
    for (; j + 8 <= d; j += 8)
      _mm256_storeu_ps(w + j, _mm256_fmadd_ps(vg, _mm256_loadu_ps(x + j), _mm256_loadu_ps(w + j)));
    for (; j < d; j++) w[j] += g * x[j];
  }
}
#endif
