#include "../internal.h"

#if HB_BUILD_AVX2
#include <immintrin.h>

/* W_ij <- (1 - lambda) W_ij + eta y_i x_j */
HB_AVX2 void hb_hebb_decay_step_f32__avx2(size_t k, size_t d, float eta, float lambda,
                                          const float *x, const float *y, float *W, size_t ldw) {
  const float keep = 1.0f - lambda;
  const __m256 vkeep = _mm256_set1_ps(keep);
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float ey = eta * y[i];
    const __m256 vey = _mm256_set1_ps(ey);
    size_t j = 0;
    for (; j + 8 <= d; j += 8) {
      __m256 t = _mm256_mul_ps(vkeep, _mm256_loadu_ps(w + j));
      _mm256_storeu_ps(w + j, _mm256_fmadd_ps(vey, _mm256_loadu_ps(x + j), t));
    }
    for (; j < d; j++) w[j] = keep * w[j] + ey * x[j];
  }
}
#endif
