/* Fused Hebbian rule steps for online PCA. Each updates W in place from one sample x and
 * returns the outputs y computed from the W *before* the step. The signatures are the HB_RULE
 * rows of hb_kernels.inc; their contracts:
 *
 *   float hb_oja_step_f32(d, eta, x, w)
 *       Oja (1982), one neuron:  y = w.x,  w += eta y (x - y w).  Returns y.
 *   void hb_subspace_step_f32(k, d, eta, x, W, ldw, y)
 *       Oja's subspace rule (1989), k neurons, W is k x d (ldw), a rate per row (eta, k):
 *       y = W x,  W += diag(eta) (y x^T - y y^T W),  i.e. W_i += eta_i y_i (x - W^T y).
 *       y (k entries) is written.
 *   void hb_gha_step_f32(k, d, eta, x, W, ldw, y)
 *       Sanger's generalised Hebbian algorithm (1989), W is k x d (ldw), a rate per row:
 *       y = W x,  W += diag(eta) (y x^T - LT(y y^T) W),  LT keeps the diagonal,
 *       i.e. row i moves along  x - sum_{j<=i} y_j W_j : ordered eigenvectors.
 *   A rate per row lets each row step in units of its own variance (OnlinePCA's eta_i =
 *   alpha / <y_i^2>); equal entries give the textbook single-rate rule.
 */
#ifndef HEBBIAN_HB_RULES_H
#define HEBBIAN_HB_RULES_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HB_RULE HB_KERNEL_PROTOTYPE
#include "hb_kernels.inc"

typedef struct hb_rule_kernels {
  hb_isa isa;
#define HB_RULE HB_KERNEL_FIELD
#include "hb_kernels.inc"
} hb_rule_kernels;

const hb_rule_kernels *hb_rule_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
