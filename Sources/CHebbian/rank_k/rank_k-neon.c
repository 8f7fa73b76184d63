#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* acc + v * q[lane]: AArch64 has the by-element FMA; armv7 broadcasts the lane first. */
#if defined(__aarch64__)
#define FMA_LANE(acc, v, q, lane) vfmaq_laneq_f32(acc, v, q, lane)
#else
#define FMA_LANE(acc, v, q, lane)                                                            \
  vfmaq_f32(acc, v,                                                                          \
            vdupq_lane_f32((lane) < 2 ? vget_low_f32(q) : vget_high_f32(q), (lane) & 1))
#endif

/* A += alpha X^T Y, A_ij += alpha sum_t X_ti Y_tj. A is cut into 4 x 8 tiles held in eight
 * accumulators while the batch streams past (per sample: one load of X_t[i..i+3], two of
 * Y_t[j..j+7], eight FMAs), so each element of A is read and written exactly once. */
static void tile4x8(size_t b, float alpha, const float *X, size_t ldx, const float *Y,
                    size_t ldy, float *A, size_t lda) {
  float32x4_t s00 = vdupq_n_f32(0.0f), s01 = s00, s10 = s00, s11 = s00;
  float32x4_t s20 = s00, s21 = s00, s30 = s00, s31 = s00;
  for (size_t t = 0; t < b; t++) {
    const float32x4_t xq = vld1q_f32(X + t * ldx);
    const float32x4_t y0 = vld1q_f32(Y + t * ldy), y1 = vld1q_f32(Y + t * ldy + 4);
    s00 = FMA_LANE(s00, y0, xq, 0);
    s01 = FMA_LANE(s01, y1, xq, 0);
    s10 = FMA_LANE(s10, y0, xq, 1);
    s11 = FMA_LANE(s11, y1, xq, 1);
    s20 = FMA_LANE(s20, y0, xq, 2);
    s21 = FMA_LANE(s21, y1, xq, 2);
    s30 = FMA_LANE(s30, y0, xq, 3);
    s31 = FMA_LANE(s31, y1, xq, 3);
  }
  const float32x4_t va = vdupq_n_f32(alpha);
  float *a0 = A, *a1 = A + lda, *a2 = a1 + lda, *a3 = a2 + lda;
  vst1q_f32(a0, vfmaq_f32(vld1q_f32(a0), va, s00));
  vst1q_f32(a0 + 4, vfmaq_f32(vld1q_f32(a0 + 4), va, s01));
  vst1q_f32(a1, vfmaq_f32(vld1q_f32(a1), va, s10));
  vst1q_f32(a1 + 4, vfmaq_f32(vld1q_f32(a1 + 4), va, s11));
  vst1q_f32(a2, vfmaq_f32(vld1q_f32(a2), va, s20));
  vst1q_f32(a2 + 4, vfmaq_f32(vld1q_f32(a2 + 4), va, s21));
  vst1q_f32(a3, vfmaq_f32(vld1q_f32(a3), va, s30));
  vst1q_f32(a3 + 4, vfmaq_f32(vld1q_f32(a3 + 4), va, s31));
}

/* Edges: one row, columns [j0, n): four at a time with two chains, the rest in scalar. */
static void row_edge(size_t n, size_t b, float alpha, const float *X, size_t ldx,
                     const float *Y, size_t ldy, float *a) {
  size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    float32x4_t s = vdupq_n_f32(0.0f), u = s;
    size_t t = 0;
    for (; t + 2 <= b; t += 2) {
      s = vfmaq_f32(s, vdupq_n_f32(X[t * ldx]), vld1q_f32(Y + t * ldy + j));
      u = vfmaq_f32(u, vdupq_n_f32(X[(t + 1) * ldx]), vld1q_f32(Y + (t + 1) * ldy + j));
    }
    if (t < b) s = vfmaq_f32(s, vdupq_n_f32(X[t * ldx]), vld1q_f32(Y + t * ldy + j));
    vst1q_f32(a + j, vfmaq_f32(vld1q_f32(a + j), vdupq_n_f32(alpha), vaddq_f32(s, u)));
  }
  for (; j < n; j++) {
    float s = 0.0f;
    for (size_t t = 0; t < b; t++) s += X[t * ldx] * Y[t * ldy + j];
    a[j] += alpha * s;
  }
}

void hb_rank_k_f32__neon(size_t m, size_t n, size_t b, float alpha, const float *X,
                         size_t ldx, const float *Y, size_t ldy, float *A, size_t lda) {
  if (b == 0) return; /* A += 0 */
  const size_t n8 = n & ~(size_t)7;
  size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    for (size_t j = 0; j < n8; j += 8)
      tile4x8(b, alpha, X + i, ldx, Y + j, ldy, A + i * lda + j, lda);
    if (n8 < n)
      for (size_t r = 0; r < 4; r++)
        row_edge(n - n8, b, alpha, X + i + r, ldx, Y + n8, ldy, A + (i + r) * lda + n8);
  }
  for (; i < m; i++) row_edge(n, b, alpha, X + i, ldx, Y, ldy, A + i * lda);
}
#endif
