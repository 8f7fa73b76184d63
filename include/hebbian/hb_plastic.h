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

/* The dispatched kernels are the HB_PLASTIC rows of hb_kernels.inc, each documented at its
 * row. */
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
