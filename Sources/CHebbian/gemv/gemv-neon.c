#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* y = alpha A x + beta y, A row-major. Four rows share each load of x and keep one
 * accumulator each, with the x loop unrolled twice into a second set: eight FMA chains.
 * beta == 0 never reads y. */
void hb_gemv_f32__neon(size_t m, size_t n, float alpha, const float *A, size_t lda,
                       const float *x, float beta, float *y) {
  size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const float *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
    float32x4_t t0 = s0, t1 = s0, t2 = s0, t3 = s0;
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
      float32x4_t xa = vld1q_f32(x + j), xb = vld1q_f32(x + j + 4);
      s0 = vfmaq_f32(s0, vld1q_f32(a0 + j), xa);
      s1 = vfmaq_f32(s1, vld1q_f32(a1 + j), xa);
      s2 = vfmaq_f32(s2, vld1q_f32(a2 + j), xa);
      s3 = vfmaq_f32(s3, vld1q_f32(a3 + j), xa);
      t0 = vfmaq_f32(t0, vld1q_f32(a0 + j + 4), xb);
      t1 = vfmaq_f32(t1, vld1q_f32(a1 + j + 4), xb);
      t2 = vfmaq_f32(t2, vld1q_f32(a2 + j + 4), xb);
      t3 = vfmaq_f32(t3, vld1q_f32(a3 + j + 4), xb);
    }
    if (j + 4 <= n) {
      float32x4_t xa = vld1q_f32(x + j);
      s0 = vfmaq_f32(s0, vld1q_f32(a0 + j), xa);
      s1 = vfmaq_f32(s1, vld1q_f32(a1 + j), xa);
      s2 = vfmaq_f32(s2, vld1q_f32(a2 + j), xa);
      s3 = vfmaq_f32(s3, vld1q_f32(a3 + j), xa);
      j += 4;
    }
    float32x4_t s = hb_neon_hsum4(vaddq_f32(s0, t0), vaddq_f32(s1, t1), vaddq_f32(s2, t2),
                                  vaddq_f32(s3, t3));
    if (j < n) {
      float r[4] = {0.0f, 0.0f, 0.0f, 0.0f};
      for (; j < n; j++) {
        r[0] += a0[j] * x[j];
        r[1] += a1[j] * x[j];
        r[2] += a2[j] * x[j];
        r[3] += a3[j] * x[j];
      }
      s = vaddq_f32(s, vld1q_f32(r));
    }
    s = vmulq_n_f32(s, alpha);
    if (beta != 0.0f) s = vfmaq_f32(s, vdupq_n_f32(beta), vld1q_f32(y + i));
    vst1q_f32(y + i, s);
  }
  for (; i < m; i++) {
    const float *a = A + i * lda;
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0;
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
      s0 = vfmaq_f32(s0, vld1q_f32(a + j), vld1q_f32(x + j));
      s1 = vfmaq_f32(s1, vld1q_f32(a + j + 4), vld1q_f32(x + j + 4));
    }
    if (j + 4 <= n) {
      s0 = vfmaq_f32(s0, vld1q_f32(a + j), vld1q_f32(x + j));
      j += 4;
    }
    float s = hb_neon_hsum(vaddq_f32(s0, s1));
    for (; j < n; j++) s += a[j] * x[j];
    s *= alpha;
    y[i] = beta == 0.0f ? s : s + beta * y[i];
  }
}
#endif
