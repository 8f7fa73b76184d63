#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* decay: H = (1 - eta) H + eta x y^T;  Oja: H_ij += eta y_j (x_i - H_ij y_j). */
HB_AVX2 void hb_hebb_trace_step_f32__avx2(hb_trace_rule rule, size_t m, size_t n, float eta,
                                          const float *x, const float *y, float *H, size_t ld) {
  __m256 veta = _mm256_set1_ps(eta);
  __m256 keep = _mm256_set1_ps(1.0f - eta);
  for (size_t i = 0; i < m; i++) {
    float *h = H + i * ld;
    size_t j = 0;
    if (rule == HB_TRACE_OJA) {
      float xi = x[i];
      __m256 vx = _mm256_set1_ps(xi);
      for (; j + 8 <= n; j += 8) {
        __m256 vy = _mm256_loadu_ps(y + j), vh = _mm256_loadu_ps(h + j);
        __m256 resid = _mm256_fnmadd_ps(vh, vy, vx); /* x_i - H_ij y_j */
        _mm256_storeu_ps(h + j, _mm256_fmadd_ps(_mm256_mul_ps(veta, vy), resid, vh));
      }
      for (; j < n; j++) h[j] += eta * y[j] * (xi - h[j] * y[j]);
    } else {
      float exi = eta * x[i];
      __m256 vex = _mm256_set1_ps(exi);
      for (; j + 8 <= n; j += 8) {
        __m256 kept = _mm256_mul_ps(keep, _mm256_loadu_ps(h + j));
        _mm256_storeu_ps(h + j, _mm256_fmadd_ps(vex, _mm256_loadu_ps(y + j), kept));
      }
      for (; j < n; j++) h[j] = (1.0f - eta) * h[j] + exi * y[j];
    }
  }
  (void)veta;
}
#endif
