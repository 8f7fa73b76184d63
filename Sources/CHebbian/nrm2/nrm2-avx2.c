#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"
#include <math.h>

/* ||x||_2 with the squares summed in double, like the scalar reference: a float squared is
 * exact in double (48 <= 53 significand bits) and lies in [2^-298, 2^256], far inside
 * double's range, so no finite input overflows or underflows. The double sum's relative
 * error (n 2^-53) vanishes in the final rounding to float: within 1 ulp of the reference. */
HB_AVX2 float hb_nrm2_f32__avx2(size_t n, const float *x, size_t incx) {
  if (incx != 1) {
    double s0 = 0.0, s1 = 0.0;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
      double a = (double)x[i * incx], b = (double)x[(i + 1) * incx];
      s0 += a * a;
      s1 += b * b;
    }
    if (i < n) {
      double a = (double)x[i * incx];
      s0 += a * a;
    }
    return (float)sqrt(s0 + s1);
  }
  __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
  __m256d s2 = _mm256_setzero_pd(), s3 = _mm256_setzero_pd();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 a = _mm256_loadu_ps(x + i), b = _mm256_loadu_ps(x + i + 8);
    __m256d a0 = _mm256_cvtps_pd(_mm256_castps256_ps128(a));
    __m256d a1 = _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1));
    __m256d b0 = _mm256_cvtps_pd(_mm256_castps256_ps128(b));
    __m256d b1 = _mm256_cvtps_pd(_mm256_extractf128_ps(b, 1));
    s0 = _mm256_fmadd_pd(a0, a0, s0);
    s1 = _mm256_fmadd_pd(a1, a1, s1);
    s2 = _mm256_fmadd_pd(b0, b0, s2);
    s3 = _mm256_fmadd_pd(b1, b1, s3);
  }
  for (; i < n; i += 8) {
    /* the masked load zero-fills the lanes past the end */
    __m256 a = n - i >= 8 ? _mm256_loadu_ps(x + i)
                          : _mm256_maskload_ps(x + i, hb_avx2_tail_mask(n - i));
    __m256d a0 = _mm256_cvtps_pd(_mm256_castps256_ps128(a));
    __m256d a1 = _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1));
    s0 = _mm256_fmadd_pd(a0, a0, s0);
    s1 = _mm256_fmadd_pd(a1, a1, s1);
  }
  __m256d s = _mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3));
  __m128d h = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
  h = _mm_add_sd(h, _mm_unpackhi_pd(h, h));
  return (float)sqrt(_mm_cvtsd_f64(h));
}
#endif
