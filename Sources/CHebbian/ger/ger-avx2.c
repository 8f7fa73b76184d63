#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* A += alpha x y^T. Every element of A is loaded, fused and stored once, so the loop is
 * bound by Zen 3's one 256-bit store per cycle. One row at a time, four vectors per step:
 * interleaving four rows to share the loads of y measured slower (more streams in flight
 * for the same store bound). */
HB_AVX2 void hb_ger_f32__avx2(size_t m, size_t n, float alpha, const float *x, const float *y,
                              float *A, size_t lda) {
  const size_t r = n & 7;
  const __m256i tail = hb_avx2_tail_mask(r);
  for (size_t i = 0; i < m; i++) {
    float *a = A + i * lda;
    const __m256 xv = _mm256_set1_ps(alpha * x[i]);
    size_t j = 0;
    for (; j + 32 <= n; j += 32) {
      __m256 a0 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(y + j), _mm256_loadu_ps(a + j));
      __m256 a1 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(y + j + 8), _mm256_loadu_ps(a + j + 8));
      __m256 a2 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(y + j + 16), _mm256_loadu_ps(a + j + 16));
      __m256 a3 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(y + j + 24), _mm256_loadu_ps(a + j + 24));
      _mm256_storeu_ps(a + j, a0);
      _mm256_storeu_ps(a + j + 8, a1);
      _mm256_storeu_ps(a + j + 16, a2);
      _mm256_storeu_ps(a + j + 24, a3);
    }
    for (; j + 8 <= n; j += 8)
      _mm256_storeu_ps(a + j, _mm256_fmadd_ps(xv, _mm256_loadu_ps(y + j), _mm256_loadu_ps(a + j)));
    if (r != 0)
      _mm256_maskstore_ps(a + j, tail, _mm256_fmadd_ps(xv, _mm256_maskload_ps(y + j, tail),
                                                       _mm256_maskload_ps(a + j, tail)));
  }
}
#endif
