#include "../rules-neon.h"

#if HB_BUILD_NEON

/* Columns [j, j + 4 nb) (W from column j): r = x, then for each row  r -= y_i W_i ;  W_i +=
 * (eta y_i) r (cumulative GHA residual from the old W_i): one load and one store per W element,
 * the nb residual vectors held in registers across the k rows. */
HB_NEON_INLINE void gha_panel(size_t nb, hb_neon_residual r, size_t k, const float *eta,
                              float *W, size_t ldw, const float *y) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    float32x4_t yi = vdupq_n_f32(y[i]), ei = vdupq_n_f32(eta[i] * y[i]);
    for (size_t v = 0; v < nb; v++) {
      float32x4_t wv = vld1q_f32(w + 4 * v);
      r.v[v] = vfmsq_f32(r.v[v], yi, wv);
      vst1q_f32(w + 4 * v, vfmaq_f32(wv, ei, r.v[v]));
    }
  }
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
