#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* x *= a: one correctly rounded product per element, bit-identical to the scalar body. */
HB_AVX2 void hb_scal_f32__avx2(size_t n, float a, float *x, size_t incx) {
  if (incx != 1) {
    for (size_t i = 0; i < n; i++) x[i * incx] *= a;
    return;
  }
  const __m256 va = _mm256_set1_ps(a);
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256 x0 = _mm256_mul_ps(va, _mm256_loadu_ps(x + i));
    __m256 x1 = _mm256_mul_ps(va, _mm256_loadu_ps(x + i + 8));
    __m256 x2 = _mm256_mul_ps(va, _mm256_loadu_ps(x + i + 16));
    __m256 x3 = _mm256_mul_ps(va, _mm256_loadu_ps(x + i + 24));
    _mm256_storeu_ps(x + i, x0);
    _mm256_storeu_ps(x + i + 8, x1);
    _mm256_storeu_ps(x + i + 16, x2);
    _mm256_storeu_ps(x + i + 24, x3);
  }
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(va, _mm256_loadu_ps(x + i)));
  if (i < n) {
    __m256i m = hb_avx2_tail_mask(n - i);
    _mm256_maskstore_ps(x + i, m, _mm256_mul_ps(va, _mm256_maskload_ps(x + i, m)));
  }
}
#endif
