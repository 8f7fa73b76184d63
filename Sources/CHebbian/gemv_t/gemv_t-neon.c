#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* y = alpha A^T x + beta y with A row-major: y_j = beta y_j + sum_i (alpha x_i) A_ij.
 * A panel of 16 columns of y stays in four registers while all m rows stream past (y is
 * read and written once); rows go in pairs into two accumulator sets, eight FMA chains.
 * Columns past the last multiple of 4 are summed in scalar. beta == 0 never reads y. */
static void panel16(size_t m, float alpha, const float *A, size_t lda, const float *x,
                    float beta, float *y) {
  float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
  float32x4_t t0 = s0, t1 = s0, t2 = s0, t3 = s0;
  size_t i = 0;
  for (; i + 2 <= m; i += 2) {
    const float *a0 = A + i * lda, *a1 = a0 + lda;
    float32x4_t x0 = vdupq_n_f32(alpha * x[i]), x1 = vdupq_n_f32(alpha * x[i + 1]);
    s0 = vfmaq_f32(s0, x0, vld1q_f32(a0));
    s1 = vfmaq_f32(s1, x0, vld1q_f32(a0 + 4));
    s2 = vfmaq_f32(s2, x0, vld1q_f32(a0 + 8));
    s3 = vfmaq_f32(s3, x0, vld1q_f32(a0 + 12));
    t0 = vfmaq_f32(t0, x1, vld1q_f32(a1));
    t1 = vfmaq_f32(t1, x1, vld1q_f32(a1 + 4));
    t2 = vfmaq_f32(t2, x1, vld1q_f32(a1 + 8));
    t3 = vfmaq_f32(t3, x1, vld1q_f32(a1 + 12));
  }
  if (i < m) {
    const float *a0 = A + i * lda;
    float32x4_t x0 = vdupq_n_f32(alpha * x[i]);
    s0 = vfmaq_f32(s0, x0, vld1q_f32(a0));
    s1 = vfmaq_f32(s1, x0, vld1q_f32(a0 + 4));
    s2 = vfmaq_f32(s2, x0, vld1q_f32(a0 + 8));
    s3 = vfmaq_f32(s3, x0, vld1q_f32(a0 + 12));
  }
  s0 = vaddq_f32(s0, t0);
  s1 = vaddq_f32(s1, t1);
  s2 = vaddq_f32(s2, t2);
  s3 = vaddq_f32(s3, t3);
  if (beta != 0.0f) {
    const float32x4_t vb = vdupq_n_f32(beta);
    s0 = vfmaq_f32(s0, vb, vld1q_f32(y));
    s1 = vfmaq_f32(s1, vb, vld1q_f32(y + 4));
    s2 = vfmaq_f32(s2, vb, vld1q_f32(y + 8));
    s3 = vfmaq_f32(s3, vb, vld1q_f32(y + 12));
  }
  vst1q_f32(y, s0);
  vst1q_f32(y + 4, s1);
  vst1q_f32(y + 8, s2);
  vst1q_f32(y + 12, s3);
}

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
  for (; j + 16 <= n; j += 16) panel16(m, alpha, A + j, lda, x, beta, y + j);
  for (; j + 4 <= n; j += 4) panel4(m, alpha, A + j, lda, x, beta, y + j);
  for (; j < n; j++) {
    float s = 0.0f;
    for (size_t i = 0; i < m; i++) s += alpha * x[i] * A[i * lda + j];
    y[j] = beta == 0.0f ? s : s + beta * y[j];
  }
}
#endif
