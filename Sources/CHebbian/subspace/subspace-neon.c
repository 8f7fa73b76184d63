#include "../rules-neon.h"

#if HB_BUILD_NEON

#define SUBSPACE_LOAD(nb, a, p)                                                              \
  for (size_t v_ = 0; v_ < (nb); v_++) (a)[v_] = vld1q_f32((p) + 4 * v_)
/* Row l's vectors into the sum s (fused, as the scalar reference). */
#define SUBSPACE_SUM(nb, s, a, c, l)                                                         \
  for (size_t v_ = 0; v_ < (nb); v_++) (s)[v_] = HB_NEON_FMS_LANE((s)[v_], (a)[v_], (c).y, l)
/* Row l's update, W_l += (eta y_l) r, to w. */
#define SUBSPACE_UPDATE(nb, w, a, r, c, l)                                                   \
  for (size_t v_ = 0; v_ < (nb); v_++)                                                       \
  vst1q_f32((w) + 4 * v_, HB_NEON_FMA_LANE((a)[v_], (r).v[v_], (c).ey, l))

#if HB_NEON_PANEL > 4
/* The update W_i += (eta y_i) r of the whole groups of four rows of two vectors on AArch64, in
 * phases for an in-order core: a group's coefficients and rows loaded (eta y between the
 * loads, so that it is ready for the first multiply-add), its multiply-adds, its stores. The
 * Cortex-A53 model lets nothing write back before an operation issued earlier, so a load or a
 * store after a multiply-add (10 cycles) waits for it; gcc's order, interleaved for an
 * out-of-order core, took 53 cycles a group there, these phases 41. Out of gcc's instruction
 * scheduling, the phases held by memory fences, the row addresses computed at the group's
 * start. (Rows of one vector this way: 37 cycles a group against gcc's 28.) */
#define SUB_PIN(p) __asm__("" : "+r"(p))
#define SUB_FENCE() __asm__ volatile("" : : : "memory")
__attribute__((noinline, optimize("no-schedule-insns", "no-schedule-insns2", "no-auto-inc-dec")))
static void subspace_update_two(hb_neon_residual r, size_t k, const float *eta, float *W,
                                size_t ldw, const float *y) {
  const float32x4_t r0 = r.v[0], r1 = r.v[1];
  float32x4_t a[8];
  for (size_t i = 0; i + 4 <= k; i += 4) {
    float *w0 = W + i * ldw, *w1 = w0 + ldw, *w2 = w0 + 2 * ldw, *w3 = w0 + 3 * ldw;
    const float *yi = y + i, *ei = eta + i;
    SUB_PIN(w0);
    SUB_PIN(w1);
    SUB_PIN(w2);
    SUB_PIN(w3);
    SUB_PIN(yi);
    SUB_PIN(ei);
    float32x4_t ey = vld1q_f32(ei), cy = vld1q_f32(yi);
    HB_NEON_FENCE_N(&ey, 1);
    HB_NEON_FENCE_N(&cy, 1);
    a[0] = vld1q_f32(w0), a[1] = vld1q_f32(w0 + 4), a[2] = vld1q_f32(w1), a[3] = vld1q_f32(w1 + 4);
    SUB_FENCE();
    ey = vmulq_f32(ey, cy);
    HB_NEON_FENCE_N(&ey, 1);
    SUB_FENCE();
    a[4] = vld1q_f32(w2), a[5] = vld1q_f32(w2 + 4), a[6] = vld1q_f32(w3), a[7] = vld1q_f32(w3 + 4);
    SUB_FENCE();
    a[0] = vfmaq_laneq_f32(a[0], r0, ey, 0), a[1] = vfmaq_laneq_f32(a[1], r1, ey, 0);
    a[2] = vfmaq_laneq_f32(a[2], r0, ey, 1), a[3] = vfmaq_laneq_f32(a[3], r1, ey, 1);
    a[4] = vfmaq_laneq_f32(a[4], r0, ey, 2), a[5] = vfmaq_laneq_f32(a[5], r1, ey, 2);
    a[6] = vfmaq_laneq_f32(a[6], r0, ey, 3), a[7] = vfmaq_laneq_f32(a[7], r1, ey, 3);
    SUB_FENCE();
    vst1q_f32(w0, a[0]), vst1q_f32(w0 + 4, a[1]), vst1q_f32(w1, a[2]), vst1q_f32(w1 + 4, a[3]);
    vst1q_f32(w2, a[4]), vst1q_f32(w2 + 4, a[5]), vst1q_f32(w3, a[6]), vst1q_f32(w3 + 4, a[7]);
    SUB_FENCE();
  }
}
#endif

/* subspace_panel for rows of up to two vectors: rows go four at a time with their y and eta
 * y in the lanes of two vectors (no scalar load, multiply or VDUP per row), all four loaded
 * before the first is used; the sum goes into one accumulator per row of the four, so that it
 * does not wait on one multiply-add per row (the order of the sum differs from the scalar
 * reference's, inside the contract's bound). ARMv7 too: with two accumulators (rows 0-1 and
 * 2-3) each waited on two multiply-adds an iteration, 1.254 / 0.908 cycles per float at one /
 * two vectors on the A9 model against 0.628 / 0.533 with four; its 16 Q registers hold them
 * because a row's vectors are dead once summed. */
HB_NEON_INLINE void subspace_panel_short(size_t nb, hb_neon_residual r, size_t k,
                                         const float *eta, float *W, size_t ldw, const float *y) {
  float32x4_t a0[2], a1[2], a2[2], a3[2], s[2], s1[2], s3[2];
  for (size_t v = 0; v < nb; v++) s[v] = s1[v] = s3[v] = vdupq_n_f32(0.0f);
  const size_t full = k & ~(size_t)3, n = k - full;
  size_t i = 0;
#if HB_NEON_PANEL > 4
  /* Rows of one vector, eight an iteration into eight accumulators: an in-order core issues
   * the loads, then the multiply-adds, and before the next iteration's loads waits on the last
   * multiply-add's write-back once per eight rows, not once per four. (Rows of two vectors:
   * the 16 accumulators and 16 rows do not fit the registers.) */
  float32x4_t b0[1], b1[1], b2[1], b3[1], t0[1], t1[1], t2[1], t3[1];
  t0[0] = t1[0] = t2[0] = t3[0] = vdupq_n_f32(0.0f);
  for (; nb == 1 && i + 8 <= k; i += 8) {
    const float *w = W + i * ldw;
    const hb_neon_coefs c = hb_neon_coefs_at(4, eta + i, y + i);
    const hb_neon_coefs cb = hb_neon_coefs_at(4, eta + i + 4, y + i + 4);
    HB_NEON_LOAD_ROWS4(1, a0, a1, a2, a3, w, ldw);
    HB_NEON_LOAD_ROWS4(1, b0, b1, b2, b3, w + 4 * ldw, ldw);
    SUBSPACE_SUM(1, r.v, a0, c, 0);
    SUBSPACE_SUM(1, s1, a1, c, 1);
    SUBSPACE_SUM(1, s, a2, c, 2);
    SUBSPACE_SUM(1, s3, a3, c, 3);
    SUBSPACE_SUM(1, t0, b0, cb, 0);
    SUBSPACE_SUM(1, t1, b1, cb, 1);
    SUBSPACE_SUM(1, t2, b2, cb, 2);
    SUBSPACE_SUM(1, t3, b3, cb, 3);
  }
  if (nb == 1) {
    r.v[0] = vaddq_f32(r.v[0], t0[0]), s1[0] = vaddq_f32(s1[0], t1[0]);
    s[0] = vaddq_f32(s[0], t2[0]), s3[0] = vaddq_f32(s3[0], t3[0]);
  }
#endif
  /* On AArch64 rows of one vector have at most one group of four left here: straight-line
   * code, not a loop whose sums wait a multiply-add latency an iteration (1.6x the N1
   * model's bound). */
  const int once = HB_NEON_PANEL > 4 && nb == 1;
  for (; i < full; i += 4) {
    const float *w = W + i * ldw;
    const hb_neon_coefs c = hb_neon_coefs_at(4, eta + i, y + i);
    SUBSPACE_LOAD(nb, a0, w);
    SUBSPACE_LOAD(nb, a2, w + 2 * ldw);
    SUBSPACE_LOAD(nb, a1, w + ldw);
    SUBSPACE_LOAD(nb, a3, w + 3 * ldw);
    SUBSPACE_SUM(nb, r.v, a0, c, 0);
    SUBSPACE_SUM(nb, s, a2, c, 2);
    SUBSPACE_SUM(nb, s1, a1, c, 1);
    SUBSPACE_SUM(nb, s3, a3, c, 3);
    if (once) {
      i += 4;
      break;
    }
  }
  const hb_neon_coefs ct = hb_neon_coefs_at(n, eta + full, y + full);
  const float *wt = W + full * ldw;
  if (n > 0) {
    SUBSPACE_LOAD(nb, a0, wt);
    SUBSPACE_SUM(nb, r.v, a0, ct, 0);
  }
  if (n > 1) {
    SUBSPACE_LOAD(nb, a1, wt + ldw);
    SUBSPACE_SUM(nb, s, a1, ct, 1);
  }
  if (n > 2) {
    SUBSPACE_LOAD(nb, a2, wt + 2 * ldw);
    SUBSPACE_SUM(nb, r.v, a2, ct, 2);
  }
  for (size_t v = 0; v < nb; v++)
    r.v[v] = vaddq_f32(vaddq_f32(r.v[v], s1[v]), vaddq_f32(s[v], s3[v]));
#if HB_NEON_PANEL > 4
  if (nb == 2) subspace_update_two(r, full, eta, W, ldw, y);
  for (size_t i = 0; nb == 1 && i < full; i += 4) {
#else
  for (size_t i = 0; i < full; i += 4) {
#endif
    float *w = W + i * ldw;
    const hb_neon_coefs c = hb_neon_coefs_at(4, eta + i, y + i);
    HB_NEON_LOAD_ROWS4(nb, a0, a1, a2, a3, w, ldw);
    SUBSPACE_UPDATE(nb, w, a0, r, c, 0);
    SUBSPACE_UPDATE(nb, w + ldw, a1, r, c, 1);
    SUBSPACE_UPDATE(nb, w + 2 * ldw, a2, r, c, 2);
    SUBSPACE_UPDATE(nb, w + 3 * ldw, a3, r, c, 3);
  }
  float *wu = W + full * ldw;
  if (n > 0) SUBSPACE_LOAD(nb, a0, wu);
  if (n > 1) SUBSPACE_LOAD(nb, a1, wu + ldw);
  if (n > 2) SUBSPACE_LOAD(nb, a2, wu + 2 * ldw);
  if (n > 0) SUBSPACE_UPDATE(nb, wu, a0, r, ct, 0);
  if (n > 1) SUBSPACE_UPDATE(nb, wu + ldw, a1, r, ct, 1);
  if (n > 2) SUBSPACE_UPDATE(nb, wu + 2 * ldw, a2, r, ct, 2);
}

/* Rows of one and of two vectors, out of line: one copy each, scheduled once (gcc's inlined
 * copies differed by up to 1.5x on the Cortex-A9 model; board programs link every kernel). */
__attribute__((noinline)) static void subspace_panel_one(hb_neon_residual r, size_t k,
                                                         const float *eta, float *W, size_t ldw,
                                                         const float *y) {
  subspace_panel_short(1, r, k, eta, W, ldw, y);
}
__attribute__((noinline)) static void subspace_panel_two(hb_neon_residual r, size_t k,
                                                         const float *eta, float *W, size_t ldw,
                                                         const float *y) {
  subspace_panel_short(2, r, k, eta, W, ldw, y);
}

/* Columns [j, j + 4 nb) (W from column j): r = x - sum_i y_i W_i over all rows (old W), then
 * W_i += (eta y_i) r; the k x 4nb panel stays in L1 between the two loops. Rows of up to two
 * vectors go four at a time (above), rows of three and four as panels of two and one or two
 * vectors side by side (written for three and four, gcc kept arrays of rows or residuals in
 * memory); wider ones row by row, their nb chains enough work. */
HB_NEON_INLINE void subspace_panel(size_t nb, hb_neon_residual r, size_t k, const float *eta,
                                   float *W, size_t ldw, const float *y) {
  if (nb == 1) {
    subspace_panel_one(r, k, eta, W, ldw, y);
    return;
  }
  if (nb <= 4) {
    subspace_panel_two(r, k, eta, W, ldw, y);
    if (nb == 3)
      subspace_panel_one(hb_neon_residual_part(r, 2, 1), k, eta, W + 8, ldw, y);
    else if (nb == 4)
      subspace_panel_two(hb_neon_residual_part(r, 2, 2), k, eta, W + 8, ldw, y);
    return;
  }
  for (size_t i = 0; i < k; i++) {
    const float *w = W + i * ldw;
    float32x4_t yi = vdupq_n_f32(y[i]);
    for (size_t v = 0; v < nb; v++) r.v[v] = vfmsq_f32(r.v[v], yi, vld1q_f32(w + 4 * v));
  }
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    float32x4_t ei = vdupq_n_f32(eta[i] * y[i]);
    for (size_t v = 0; v < nb; v++)
      vst1q_f32(w + 4 * v, vfmaq_f32(vld1q_f32(w + 4 * v), ei, r.v[v]));
  }
}

/* One of the last d mod 4 columns, in scalar: NEON has no masked loads. */
HB_NEON_INLINE void subspace_column(size_t k, size_t c, const float *eta, const float *x,
                                    float *W, size_t ldw, const float *y) {
  float r = x[c];
  for (size_t i = 0; i < k; i++) r -= y[i] * W[i * ldw + c];
  for (size_t i = 0; i < k; i++) W[i * ldw + c] += eta[i] * y[i] * r;
}

/* y = W x;  W += eta y (x - W^T y)^T.   6kd flop. W read twice from L2/memory (y, residual)
 * plus once from L1 (update), written once; the last d mod 4 columns go column-wise. */
void hb_subspace_step_f32__neon(size_t k, size_t d, const float *eta, const float *x, float *W,
                                size_t ldw, float *y) {
  HB_NEON_K_RULE_STEP(subspace_panel, subspace_column, k, d, eta, x, W, ldw, y);
}

#endif
