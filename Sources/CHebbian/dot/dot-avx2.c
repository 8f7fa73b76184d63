#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* sum_i x_i y_i. Two loads feed each FMA and Zen 3 issues two 256-bit loads per cycle, so
 * the loop tops out at one FMA per cycle: four independent accumulators cover the 4-cycle
 * FMA latency. Strided operands take the scalar path: AVX2 gathers are no faster than
 * scalar loads on Zen 3. */
HB_AVX2 float hb_dot_f32__avx2(size_t n, const float *x, size_t incx, const float *y,
                               size_t incy) {
  if (incx != 1 || incy != 1) {
    float s0 = 0.0f, s1 = 0.0f;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
      s0 += x[i * incx] * y[i * incy];
      s1 += x[(i + 1) * incx] * y[(i + 1) * incy];
    }
    if (i < n) s0 += x[i * incx] * y[i * incy];
    return s0 + s1;
  }
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 16), _mm256_loadu_ps(y + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 24), _mm256_loadu_ps(y + i + 24), s3);
  }
  for (; i + 8 <= n; i += 8)
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), s0);
  if (i < n) {
    __m256i m = hb_avx2_tail_mask(n - i);
    s1 = _mm256_fmadd_ps(_mm256_maskload_ps(x + i, m), _mm256_maskload_ps(y + i, m), s1);
  }
  return hb_avx2_hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}
#endif
