#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"
#include "../steps.h"


/* The adjoint of one plastic step; the equations are in plastic_backward-scalar.c. Pass 1 is a
 * column reduction (vectorised along j), pass 2 reads and writes every matrix once. */
HB_AVX2 float hb_plastic_backward_step_f32__avx2(hb_trace_rule rule, size_t m, size_t n, float eta,
                                                 const float *w, const float *alpha,
                                                 const float *H, size_t ld, const float *x,
                                                 const float *y, float *gy, float *gH,
                                                 float *gx, float *gw, float *galpha) {
  int oja = rule == HB_TRACE_OJA;
  __m256 veta = _mm256_set1_ps(eta), two_eta = _mm256_set1_ps(2.0f * eta);
  __m256 one = _mm256_set1_ps(1.0f), keep = _mm256_set1_ps(1.0f - eta);
  for (size_t i = 0; i < m; i++) {
    const float *gh = gH + i * ld, *hi = H + i * ld;
    float exi = eta * x[i];
    __m256 vex = _mm256_set1_ps(exi);
    size_t j = 0;
    if (oja) {
      for (; j + 8 <= n; j += 8) {
        __m256 coef = _mm256_fnmadd_ps(_mm256_mul_ps(two_eta, _mm256_loadu_ps(hi + j)),
                                       _mm256_loadu_ps(y + j), vex);
        _mm256_storeu_ps(gy + j, _mm256_fmadd_ps(_mm256_loadu_ps(gh + j), coef,
                                                 _mm256_loadu_ps(gy + j)));
      }
      for (; j < n; j++) gy[j] = hb_plastic_gy_step(true, eta, exi, gy[j], gh[j], hi[j], y[j]);
    } else {
      for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(gy + j, _mm256_fmadd_ps(_mm256_loadu_ps(gh + j), vex,
                                                 _mm256_loadu_ps(gy + j)));
      for (; j < n; j++) gy[j] = hb_plastic_gy_step(false, eta, exi, gy[j], gh[j], hi[j], y[j]);
    }
  }
  {
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
      __m256 vy = _mm256_loadu_ps(y + j);
      _mm256_storeu_ps(gy + j, _mm256_mul_ps(_mm256_loadu_ps(gy + j),
                                             _mm256_fnmadd_ps(vy, vy, one)));
    }
    for (; j < n; j++) gy[j] *= 1.0f - y[j] * y[j];
  }

  __m256 geta_v = _mm256_setzero_ps();
  float geta = 0.0f;
  for (size_t i = 0; i < m; i++) {
    const float *wi = w + i * ld, *ai = alpha + i * ld, *hi = H + i * ld;
    float *gh = gH + i * ld, *gwi = gw + i * ld, *gai = galpha + i * ld;
    float xi = x[i];
    __m256 vx = _mm256_set1_ps(xi);
    __m256 acc_v = _mm256_setzero_ps();
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
      __m256 da = _mm256_loadu_ps(gy + j), vy = _mm256_loadu_ps(y + j);
      __m256 h = _mm256_loadu_ps(hi + j), al = _mm256_loadu_ps(ai + j);
      __m256 G = _mm256_loadu_ps(gh + j);
      __m256 g = _mm256_mul_ps(vx, da);
      _mm256_storeu_ps(gwi + j, _mm256_add_ps(_mm256_loadu_ps(gwi + j), g));
      _mm256_storeu_ps(gai + j, _mm256_fmadd_ps(h, g, _mm256_loadu_ps(gai + j)));
      acc_v = _mm256_fmadd_ps(_mm256_fmadd_ps(al, h, _mm256_loadu_ps(wi + j)), da, acc_v);
      acc_v = _mm256_fmadd_ps(_mm256_mul_ps(veta, G), vy, acc_v);
      __m256 xy = _mm256_mul_ps(vx, vy);
      if (oja) {
        __m256 yy = _mm256_mul_ps(vy, vy);
        geta_v = _mm256_fmadd_ps(G, _mm256_fnmadd_ps(h, yy, xy), geta_v);
        _mm256_storeu_ps(gh + j, _mm256_fmadd_ps(al, g, _mm256_mul_ps(G, _mm256_fnmadd_ps(veta, yy, one))));
      } else {
        geta_v = _mm256_fmadd_ps(G, _mm256_sub_ps(xy, h), geta_v);
        _mm256_storeu_ps(gh + j, _mm256_fmadd_ps(al, g, _mm256_mul_ps(keep, G)));
      }
    }
    float acc = hb_avx2_hsum(acc_v);
    for (; j < n; j++)
      hb_plastic_backward_elem(oja, eta, 1.0f - eta, xi, j, wi, ai, hi, gy, y, gh, gwi, gai, &acc,
                               &geta);
    gx[i] += acc;
  }
  return geta + hb_avx2_hsum(geta_v);
}
#endif
