/* Kernels of a plastic recurrent layer (Miconi, Clune & Stanley 2018, "differentiable
 * plasticity"): the forward current through w + alpha (.) H, the Hebbian trace step, and the
 * fused backward step of backpropagation through time. Matrices are m x n row-major (ld),
 * row i = presynaptic unit, column j = postsynaptic unit. */
#ifndef HEBBIAN_HB_PLASTIC_H
#define HEBBIAN_HB_PLASTIC_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Trace rules. */
typedef enum hb_trace_rule {
  HB_TRACE_DECAY = 0, /* H = (1 - eta) H + eta x y^T */
  HB_TRACE_OJA = 1,   /* H_ij += eta y_j (x_i - H_ij y_j) */
} hb_trace_rule;

/* The dispatched kernels are the HB_PLASTIC rows of hb_kernels.inc:
 *
 * void hb_plastic_current_f32(m, n, w, alpha, H, ld, x, a)
 * a_j += sum_i (w_ij + alpha_ij H_ij) x_i   (a has n entries; add u beforehand).
 *
 * void hb_hebb_trace_step_f32(rule, m, n, eta, x, y, H, ld)
 * One step of the Hebbian trace, pre-activity x (m), post-activity y (n), rule above.
 *
 * float hb_plastic_backward_step_f32(rule, m, n, eta, w, alpha, H, ld, x, y, gy, gH, gx, gw,
 *                                    galpha)
 * Backward pass of one time step  a = (w + alpha (.) H)^T x,  y = tanh(a),  H' = trace(H, x, y).
 * In:  gy = dL/dy from the loss and the next step's current (n), gH = dL/dH' (m x n).
 * Out: gH = dL/dH; gx += dL/dx (m); gw += dL/dw; galpha += dL/dalpha; returns dL/deta of
 * this step. gy is overwritten with dL/da. H is the trace before the step. */
#define HB_PLASTIC HB_KERNEL_PROTOTYPE
#include "hb_kernels.inc"

typedef struct hb_plastic_kernels {
  hb_isa isa;
#define HB_PLASTIC HB_KERNEL_FIELD
#include "hb_kernels.inc"
} hb_plastic_kernels;

const hb_plastic_kernels *hb_plastic_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
