#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* A += alpha x y^T. Every element of A is loaded, fused and stored once; four rows share
 * each load of y, so the loop is bound by the one 256-bit store per cycle, not by loads. */
HB_AVX2 void hb_ger_f32__avx2(size_t m, size_t n, float alpha, const float *x, const float *y,
                              float *A, size_t lda) {
  const size_t r = n & 7;
  const __m256i tail = hb_avx2_tail_mask(r);
  size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    float *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    const __m256 x0 = _mm256_set1_ps(alpha * x[i]), x1 = _mm256_set1_ps(alpha * x[i + 1]);
    const __m256 x2 = _mm256_set1_ps(alpha * x[i + 2]), x3 = _mm256_set1_ps(alpha * x[i + 3]);
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
      __m256 yv = _mm256_loadu_ps(y + j);
      _mm256_storeu_ps(a0 + j, _mm256_fmadd_ps(x0, yv, _mm256_loadu_ps(a0 + j)));
      _mm256_storeu_ps(a1 + j, _mm256_fmadd_ps(x1, yv, _mm256_loadu_ps(a1 + j)));
      _mm256_storeu_ps(a2 + j, _mm256_fmadd_ps(x2, yv, _mm256_loadu_ps(a2 + j)));
      _mm256_storeu_ps(a3 + j, _mm256_fmadd_ps(x3, yv, _mm256_loadu_ps(a3 + j)));
    }
    if (r != 0) {
      __m256 yv = _mm256_maskload_ps(y + j, tail);
      _mm256_maskstore_ps(a0 + j, tail, _mm256_fmadd_ps(x0, yv, _mm256_maskload_ps(a0 + j, tail)));
      _mm256_maskstore_ps(a1 + j, tail, _mm256_fmadd_ps(x1, yv, _mm256_maskload_ps(a1 + j, tail)));
      _mm256_maskstore_ps(a2 + j, tail, _mm256_fmadd_ps(x2, yv, _mm256_maskload_ps(a2 + j, tail)));
      _mm256_maskstore_ps(a3 + j, tail, _mm256_fmadd_ps(x3, yv, _mm256_maskload_ps(a3 + j, tail)));
    }
  }
  for (; i < m; i++) {
    float *a = A + i * lda;
    const __m256 xv = _mm256_set1_ps(alpha * x[i]);
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
      _mm256_storeu_ps(a + j, _mm256_fmadd_ps(xv, _mm256_loadu_ps(y + j), _mm256_loadu_ps(a + j)));
    if (r != 0)
      _mm256_maskstore_ps(a + j, tail, _mm256_fmadd_ps(xv, _mm256_maskload_ps(y + j, tail),
                                                       _mm256_maskload_ps(a + j, tail)));
  }
}
#endif
