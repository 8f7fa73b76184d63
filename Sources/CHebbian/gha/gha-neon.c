#include "../rules-neon.h"

#if HB_BUILD_NEON

/* Row l of a group of four, loaded in a (lane l of the coefficients c): t = r - y_l w_l, the
 * residual after row l, as a product and a subtraction rather than one multiply-add: the
 * residual carried down the rows then waits on a subtraction per row (6 cycles on a Cortex-A53
 * against 10 for a multiply-add), the product is off that chain, and no copy of the residual
 * is needed for the FMLS that would overwrite it. One rounding more than the scalar
 * reference's fused form, inside the contract's bound. */
#define GHA_F(nb, r, c, a, t, l)                                                             \
  for (size_t v_ = 0; v_ < (nb); v_++)                                                       \
  (t)[v_] = vsubq_f32((r)[v_], HB_NEON_MUL_LANE((a)[v_], (c).y, l))

/* w_l += (eta y_l) t, stored at p. */
#define GHA_U(nb, ey, p, a, t, l)                                                            \
  for (size_t v_ = 0; v_ < (nb); v_++) vst1q_f32((p) + 4 * v_, HB_NEON_FMA_LANE((a)[v_], (t)[v_], ey, l))

#define GHA_LOAD(nb, a, p)                                                                   \
  for (size_t v_ = 0; v_ < (nb); v_++) (a)[v_] = vld1q_f32((p) + 4 * v_)

/* Columns [j, j + 4 nb) (W from column j): r = x, then for each row  r -= y_i W_i ;  W_i +=
 * (eta y_i) r (cumulative GHA residual from the old W_i): one load and one store per W element,
 * the nb residual vectors held in registers across the k rows. Rows go four at a time, their
 * y and eta y in the lanes of two vectors (no scalar load or multiply per row), and skewed for
 * in-order cores: row l + 1's residual is issued before row l's update, and the last row's
 * update (a3, t3, stored at last) waits for the next group, so that no instruction waits on
 * the one just before it. The first group's pending update goes to a scratch vector. */
HB_NEON_INLINE void gha_panel(size_t nb, hb_neon_residual r, size_t k, const float *eta,
                              float *W, size_t ldw, const float *y) {
  float32x4_t a0[HB_NEON_PANEL], a1[HB_NEON_PANEL], a2[HB_NEON_PANEL], a3[HB_NEON_PANEL];
  float32x4_t t0[HB_NEON_PANEL], t1[HB_NEON_PANEL], t2[HB_NEON_PANEL], t3[HB_NEON_PANEL];
  float scratch[4 * HB_NEON_PANEL];
  float *last = scratch;
  float32x4_t ey3 = vdupq_n_f32(0.0f);
  for (size_t v = 0; v < nb; v++) a3[v] = t3[v] = ey3;
  size_t i = 0;
  for (; i + 4 <= k; i += 4) {
    float *w = W + i * ldw;
    const hb_neon_coefs c = hb_neon_coefs_at(4, eta + i, y + i);
    GHA_LOAD(nb, a0, w);
    GHA_LOAD(nb, a1, w + ldw);
    GHA_F(nb, r.v, c, a0, t0, 0);
    GHA_U(nb, ey3, last, a3, t3, 3);
    GHA_LOAD(nb, a2, w + 2 * ldw);
    GHA_F(nb, t0, c, a1, t1, 1);
    GHA_U(nb, c.ey, w, a0, t0, 0);
    GHA_LOAD(nb, a3, w + 3 * ldw);
    GHA_F(nb, t1, c, a2, t2, 2);
    GHA_U(nb, c.ey, w + ldw, a1, t1, 1);
    GHA_F(nb, t2, c, a3, t3, 3);
    GHA_U(nb, c.ey, w + 2 * ldw, a2, t2, 2);
    for (size_t v = 0; v < nb; v++) r.v[v] = t3[v];
    ey3 = c.ey;
    last = w + 3 * ldw;
  }
  GHA_U(nb, ey3, last, a3, t3, 3);
  /* The last k mod 4 rows, in the same order. */
  const size_t n = k - i;
  if (n == 0) return;
  float *w = W + i * ldw;
  const hb_neon_coefs c = hb_neon_coefs_at(n, eta + i, y + i);
  GHA_LOAD(nb, a0, w);
  GHA_F(nb, r.v, c, a0, t0, 0);
  if (n > 1) {
    GHA_LOAD(nb, a1, w + ldw);
    GHA_F(nb, t0, c, a1, t1, 1);
  }
  GHA_U(nb, c.ey, w, a0, t0, 0);
  if (n > 2) {
    GHA_LOAD(nb, a2, w + 2 * ldw);
    GHA_F(nb, t1, c, a2, t2, 2);
    GHA_U(nb, c.ey, w + 2 * ldw, a2, t2, 2);
  }
  if (n > 1) GHA_U(nb, c.ey, w + ldw, a1, t1, 1);
}

/* One of the last d mod 4 columns, in scalar: NEON has no masked loads. */
HB_NEON_INLINE void gha_column(size_t k, size_t c, const float *eta, const float *x, float *W,
                               size_t ldw, const float *y) {
  float r = x[c];
  for (size_t i = 0; i < k; i++) {
    float *w = &W[i * ldw + c];
    r -= y[i] * *w;
    *w += eta[i] * y[i] * r;
  }
}

/* y = W x;  W += eta (y x^T - LT(y y^T) W).   6kd flop (2kd for y, 4kd for the sweep).
 * W read twice (y, sweep), written once; the last d mod 4 columns go column-wise in scalar. */
void hb_gha_step_f32__neon(size_t k, size_t d, const float *eta, const float *x, float *W, size_t ldw,
                           float *y) {
  HB_NEON_K_RULE_STEP(gha_panel, gha_column, k, d, eta, x, W, ldw, y);
}

#endif
