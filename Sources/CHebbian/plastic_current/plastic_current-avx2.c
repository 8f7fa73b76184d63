#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* a_j += sum_i (w_ij + alpha_ij H_ij) x_i, eight columns at a time: two FMAs per 3 loads. */
HB_AVX2 void hb_plastic_current_f32__avx2(size_t m, size_t n, const float *w,
                                          const float *alpha, const float *H, size_t ld,
                                          const float *x, float *a) {
  for (size_t i = 0; i < m; i++) {
    const float *wi = w + i * ld, *ai = alpha + i * ld, *hi = H + i * ld;
    float xi = x[i];
    if (xi == 0.0f) continue;
    __m256 vx = _mm256_set1_ps(xi);
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
      __m256 eff = _mm256_fmadd_ps(_mm256_loadu_ps(ai + j), _mm256_loadu_ps(hi + j),
                                   _mm256_loadu_ps(wi + j));
      _mm256_storeu_ps(a + j, _mm256_fmadd_ps(eff, vx, _mm256_loadu_ps(a + j)));
    }
    for (; j < n; j++) a[j] += (wi[j] + ai[j] * hi[j]) * xi;
  }
}
#endif
