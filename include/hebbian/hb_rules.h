/* Fused Hebbian rule steps for online PCA. Each updates W in place from one sample x and
 * returns the outputs y computed from the W *before* the step. */
#ifndef HEBBIAN_HB_RULES_H
#define HEBBIAN_HB_RULES_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Oja (1982), one neuron:  y = w.x,  w += eta y (x - y w).  Returns y. */
float hb_oja_step_f32(size_t d, float eta, const float *x, float *w);

/* Oja's subspace rule (1989), k neurons, W is k x d (ldw):
 *   y = W x,  W += eta (y x^T - y y^T W) = eta y (x - W^T y)^T.   y (k entries) is written. */
void hb_subspace_step_f32(size_t k, size_t d, float eta, const float *x, float *W, size_t ldw,
                          float *y);

/* Sanger's generalised Hebbian algorithm (1989), W is k x d (ldw):
 *   y = W x,  W += eta (y x^T - LT(y y^T) W),  LT keeps the diagonal,
 * i.e. row i moves along  x - sum_{j<=i} y_j W_j : ordered eigenvectors. */
void hb_gha_step_f32(size_t k, size_t d, float eta, const float *x, float *W, size_t ldw,
                     float *y);

typedef struct hb_rule_kernels {
  hb_isa isa;
  float (*oja_step)(size_t, float, const float *, float *);
  void (*subspace_step)(size_t, size_t, float, const float *, float *, size_t, float *);
  void (*gha_step)(size_t, size_t, float, const float *, float *, size_t, float *);
} hb_rule_kernels;

const hb_rule_kernels *hb_rule_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
