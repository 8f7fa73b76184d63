#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"
#include <math.h>

/* exp(x) for x <= 0: x = k ln2 + r with k = round(x / ln2), |r| <= ln2/2 (ln2 split in two
 * parts so k ln2 is exact), exp(r) by the degree-7 Cephes minimax polynomial (relative error
 * < 2e-7 on that interval), scaled by 2^k through the exponent field. Below -87.3 (where
 * 2^k would be subnormal) the result is flushed to 0; its weight in a softmax whose largest
 * term is 1 is below 1e-38. */
HB_AVX2 static inline __m256 exp_nonpositive(__m256 x) {
  __m256 under = _mm256_cmp_ps(x, _mm256_set1_ps(-87.33654f), _CMP_LT_OQ);
  x = _mm256_max_ps(x, _mm256_set1_ps(-87.33654f));
  __m256 k = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f),
                                             _mm256_set1_ps(0.5f)));
  __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(k, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
  __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(k), _mm256_set1_epi32(127)), 23);
  return _mm256_andnot_ps(under, _mm256_mul_ps(p, _mm256_castsi256_ps(e)));
}


HB_AVX2 float hb_softmax_f32__avx2(size_t n, float beta, const float *x, float *y) {
  size_t i = 0;
  __m256 vhi = _mm256_set1_ps(x[0]), vlo = vhi;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    vhi = _mm256_max_ps(vhi, v);
    vlo = _mm256_min_ps(vlo, v);
  }
  float hi_lanes[8], lo_lanes[8];
  _mm256_storeu_ps(hi_lanes, vhi);
  _mm256_storeu_ps(lo_lanes, vlo);
  float hi = hi_lanes[0], lo = lo_lanes[0];
  for (int l = 1; l < 8; l++) {
    hi = hi_lanes[l] > hi ? hi_lanes[l] : hi;
    lo = lo_lanes[l] < lo ? lo_lanes[l] : lo;
  }
  for (; i < n; i++) {
    hi = x[i] > hi ? x[i] : hi;
    lo = x[i] < lo ? x[i] : lo;
  }
  float c = beta >= 0.0f ? beta * hi : beta * lo;
  __m256 vb = _mm256_set1_ps(beta), vc = _mm256_set1_ps(c), vz = _mm256_setzero_ps();
  for (i = 0; i + 8 <= n; i += 8) {
    /* beta x rounded before subtracting c, as in the scalar reference: exp amplifies an
     * argument difference by |beta x - c|, so the variants must round it the same way. */
    __m256 e = exp_nonpositive(_mm256_sub_ps(_mm256_mul_ps(vb, _mm256_loadu_ps(x + i)), vc));
    _mm256_storeu_ps(y + i, e);
    vz = _mm256_add_ps(vz, e);
  }
  float z = hb_avx2_hsum(vz);
  for (; i < n; i++) {
    float bx = beta * x[i]; /* its own statement: never contracted into an FMA */
    float e = expf(bx - c);
    y[i] = e;
    z += e;
  }
  __m256 inv = _mm256_set1_ps(1.0f / z);
  for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_loadu_ps(y + i), inv));
  for (; i < n; i++) y[i] *= 1.0f / z;
  return c + logf(z);
}
#endif
