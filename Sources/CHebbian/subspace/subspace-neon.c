#include "../rules-neon.h"

#if HB_BUILD_NEON

/* Columns [j, j + 4 nb) (W from column j): r = x - sum_i y_i W_i over all rows (old W), then
 * W_i += (eta y_i) r; the k x 4nb panel stays in L1 between the two loops. */
HB_NEON_INLINE void subspace_panel(size_t nb, hb_neon_residual r, size_t k, const float *eta,
                                   float *W, size_t ldw, const float *y) {
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
