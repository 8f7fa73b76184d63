#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* y = alpha A x + beta y, A row-major. Four rows share each load of x (5 loads per 4 FMAs
 * instead of 8), and each row keeps two accumulators: eight independent FMA chains cover
 * Zen 3's 4-cycle latency at two FMAs per cycle. beta == 0 never reads y. */
HB_AVX2 void hb_gemv_f32__avx2(size_t m, size_t n, float alpha, const float *A, size_t lda,
                               const float *x, float beta, float *y) {
  const size_t r = n & 7;
  const __m256i tail = hb_avx2_tail_mask(r);
  size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const float *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    __m256 t0 = _mm256_setzero_ps(), t1 = _mm256_setzero_ps();
    __m256 t2 = _mm256_setzero_ps(), t3 = _mm256_setzero_ps();
    size_t j = 0;
    for (; j + 16 <= n; j += 16) {
      __m256 xa = _mm256_loadu_ps(x + j), xb = _mm256_loadu_ps(x + j + 8);
      s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + j), xa, s0);
      s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a1 + j), xa, s1);
      s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a2 + j), xa, s2);
      s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a3 + j), xa, s3);
      t0 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + j + 8), xb, t0);
      t1 = _mm256_fmadd_ps(_mm256_loadu_ps(a1 + j + 8), xb, t1);
      t2 = _mm256_fmadd_ps(_mm256_loadu_ps(a2 + j + 8), xb, t2);
      t3 = _mm256_fmadd_ps(_mm256_loadu_ps(a3 + j + 8), xb, t3);
    }
    if (j + 8 <= n) {
      __m256 xa = _mm256_loadu_ps(x + j);
      s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + j), xa, s0);
      s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a1 + j), xa, s1);
      s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a2 + j), xa, s2);
      s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a3 + j), xa, s3);
      j += 8;
    }
    if (r != 0) {
      __m256 xa = _mm256_maskload_ps(x + j, tail);
      t0 = _mm256_fmadd_ps(_mm256_maskload_ps(a0 + j, tail), xa, t0);
      t1 = _mm256_fmadd_ps(_mm256_maskload_ps(a1 + j, tail), xa, t1);
      t2 = _mm256_fmadd_ps(_mm256_maskload_ps(a2 + j, tail), xa, t2);
      t3 = _mm256_fmadd_ps(_mm256_maskload_ps(a3 + j, tail), xa, t3);
    }
    __m128 s = hb_avx2_hsum4(_mm256_add_ps(s0, t0), _mm256_add_ps(s1, t1),
                             _mm256_add_ps(s2, t2), _mm256_add_ps(s3, t3));
    s = _mm_mul_ps(_mm_set1_ps(alpha), s);
    if (beta != 0.0f) s = _mm_fmadd_ps(_mm_set1_ps(beta), _mm_loadu_ps(y + i), s);
    _mm_storeu_ps(y + i, s);
  }
  for (; i < m; i++) {
    const float *a = A + i * lda;
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t j = 0;
    for (; j + 16 <= n; j += 16) {
      s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(x + j), s0);
      s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 8), _mm256_loadu_ps(x + j + 8), s1);
    }
    if (j + 8 <= n) {
      s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(x + j), s0);
      j += 8;
    }
    if (r != 0)
      s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + j, tail), _mm256_maskload_ps(x + j, tail), s1);
    float s = alpha * hb_avx2_hsum(_mm256_add_ps(s0, s1));
    y[i] = beta == 0.0f ? s : s + beta * y[i];
  }
}
#endif
