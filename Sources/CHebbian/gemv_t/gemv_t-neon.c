#include "gemv_t-vec.h"

#if HB_BUILD_NEON

/* y = alpha A^T x + beta y with A row-major: y_j = beta y_j + sum_i (alpha x_i) A_ij.
 * A panel of 16 columns of y (gemv_t-vec.h) stays in four registers while all m rows
 * stream past (y is read and written once); rows go in pairs into two accumulator sets,
 * eight FMA chains.
 * Columns past the last multiple of 4 are summed in scalar. beta == 0 never reads y. */

/* One 4-column panel, two rows per step. */
static void panel4(size_t m, float alpha, const float *A, size_t lda, const float *x,
                   float beta, float *y) {
  float32x4_t s = vdupq_n_f32(0.0f), t = s;
  size_t i = 0;
  for (; i + 2 <= m; i += 2) {
    s = vfmaq_f32(s, vdupq_n_f32(alpha * x[i]), vld1q_f32(A + i * lda));
    t = vfmaq_f32(t, vdupq_n_f32(alpha * x[i + 1]), vld1q_f32(A + (i + 1) * lda));
  }
  if (i < m) s = vfmaq_f32(s, vdupq_n_f32(alpha * x[i]), vld1q_f32(A + i * lda));
  s = vaddq_f32(s, t);
  if (beta != 0.0f) s = vfmaq_f32(s, vdupq_n_f32(beta), vld1q_f32(y));
  vst1q_f32(y, s);
}

void hb_gemv_t_f32__neon(size_t m, size_t n, float alpha, const float *A, size_t lda,
                         const float *x, float beta, float *y) {
  size_t j = 0;
  for (; j + 16 <= n; j += 16) hb_gemv_t_panel4v(m, alpha, A + j, lda, x, beta, y + j);
  for (; j + 4 <= n; j += 4) panel4(m, alpha, A + j, lda, x, beta, y + j);
  for (; j < n; j++) {
    float s = 0.0f;
    for (size_t i = 0; i < m; i++) s += alpha * x[i] * A[i * lda + j];
    y[j] = beta == 0.0f ? s : s + beta * y[j];
  }
}
#endif
