#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* y += a x, one FMA per element (the product is not rounded on its own, so results may
 * differ from the scalar reference by rounding of a x: within eps (|y| + |a x|)). */
HB_AVX2 void hb_axpy_f32__avx2(size_t n, float a, const float *x, size_t incx, float *y,
                               size_t incy) {
  if (incx != 1 || incy != 1) {
    for (size_t i = 0; i < n; i++) y[i * incy] += a * x[i * incx];
    return;
  }
  const __m256 va = _mm256_set1_ps(a);
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256 y0 = _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i));
    __m256 y1 = _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8));
    __m256 y2 = _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i + 16), _mm256_loadu_ps(y + i + 16));
    __m256 y3 = _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i + 24), _mm256_loadu_ps(y + i + 24));
    _mm256_storeu_ps(y + i, y0);
    _mm256_storeu_ps(y + i + 8, y1);
    _mm256_storeu_ps(y + i + 16, y2);
    _mm256_storeu_ps(y + i + 24, y3);
  }
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  if (i < n) {
    __m256i m = hb_avx2_tail_mask(n - i);
    __m256 r = _mm256_fmadd_ps(va, _mm256_maskload_ps(x + i, m), _mm256_maskload_ps(y + i, m));
    _mm256_maskstore_ps(y + i, m, r);
  }
}
#endif
