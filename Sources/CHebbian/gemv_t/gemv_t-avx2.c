#include "gemv_t-vec.h"

#if HB_BUILD_AVX2

/* y = alpha A^T x + beta y with A row-major: y_j = beta y_j + sum_i (alpha x_i) A_ij.
 * A panel of 64 columns of y stays in eight registers while all m rows stream past, so y is
 * read and written once instead of once per row, and eight independent FMA chains cover the
 * 4-cycle latency. The last columns go through a 32-column panel with rows in pairs (again
 * eight chains; gemv_t-vec.h) and a masked one. beta == 0 never reads y. */
HB_AVX2 static inline void panel(size_t m, size_t w, float alpha, const float *A, size_t lda,
                                 const float *x, float beta, float *y) {
  /* w <= 32 columns: v full vectors, then a masked tail of r lanes */
  const size_t v = w / 8, r = w & 7;
  const __m256i tail = hb_avx2_tail_mask(r);
  const __m256i none = hb_avx2_tail_mask(0);
  __m256 s[4], t[4];
  __m256i mask[4];
  for (size_t k = 0; k < 4; k++) {
    s[k] = _mm256_setzero_ps();
    t[k] = _mm256_setzero_ps();
    mask[k] = k < v ? hb_avx2_tail_mask(8) : (k == v ? tail : none);
  }
  const size_t nv = v + (r != 0);
  size_t i = 0;
  for (; i + 2 <= m; i += 2) {
    const float *a0 = A + i * lda, *a1 = a0 + lda;
    __m256 x0 = _mm256_set1_ps(alpha * x[i]), x1 = _mm256_set1_ps(alpha * x[i + 1]);
    for (size_t k = 0; k < nv; k++) {
      s[k] = _mm256_fmadd_ps(x0, _mm256_maskload_ps(a0 + 8 * k, mask[k]), s[k]);
      t[k] = _mm256_fmadd_ps(x1, _mm256_maskload_ps(a1 + 8 * k, mask[k]), t[k]);
    }
  }
  if (i < m) {
    const float *a0 = A + i * lda;
    __m256 x0 = _mm256_set1_ps(alpha * x[i]);
    for (size_t k = 0; k < nv; k++)
      s[k] = _mm256_fmadd_ps(x0, _mm256_maskload_ps(a0 + 8 * k, mask[k]), s[k]);
  }
  for (size_t k = 0; k < nv; k++) {
    __m256 out = _mm256_add_ps(s[k], t[k]);
    if (beta != 0.0f)
      out = _mm256_fmadd_ps(_mm256_set1_ps(beta), _mm256_maskload_ps(y + 8 * k, mask[k]), out);
    _mm256_maskstore_ps(y + 8 * k, mask[k], out);
  }
}

/* 64 columns: one row per step, a full 256-byte slice of A each. */
HB_AVX2 static inline void panel64(size_t m, float alpha, const float *A, size_t lda,
                                   const float *x, float beta, float *y) {
  __m256 s[8];
  for (int k = 0; k < 8; k++) s[k] = _mm256_setzero_ps();
  for (size_t i = 0; i < m; i++) {
    const float *a = A + i * lda;
    const __m256 xv = _mm256_set1_ps(alpha * x[i]);
    for (int k = 0; k < 8; k++) s[k] = _mm256_fmadd_ps(xv, _mm256_loadu_ps(a + 8 * k), s[k]);
  }
  for (int k = 0; k < 8; k++) {
    __m256 out = s[k];
    if (beta != 0.0f) out = _mm256_fmadd_ps(_mm256_set1_ps(beta), _mm256_loadu_ps(y + 8 * k), out);
    _mm256_storeu_ps(y + 8 * k, out);
  }
}

HB_AVX2 void hb_gemv_t_f32__avx2(size_t m, size_t n, float alpha, const float *A, size_t lda,
                                 const float *x, float beta, float *y) {
  size_t j = 0;
  for (; j + 64 <= n; j += 64) panel64(m, alpha, A + j, lda, x, beta, y + j);
  for (; j + 32 <= n; j += 32) hb_gemv_t_panel4v(m, alpha, A + j, lda, x, beta, y + j);
  if (j < n) panel(m, n - j, alpha, A + j, lda, x, beta, y + j);
}
#endif
