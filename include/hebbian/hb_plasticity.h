/* Local plasticity rules: fused rate-rule steps and the spike-timing trace step. Every step
 * updates W (k x d, row-major, leading dimension ldw >= d) in place in one pass, from
 * presynaptic activity x (d entries) and postsynaptic activity y (k entries) that the caller
 * computed (y = W x, or any nonlinearity of it). */
#ifndef HEBBIAN_HB_PLASTICITY_H
#define HEBBIAN_HB_PLASTICITY_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The dispatched kernels are the HB_PLASTICITY rows of hb_kernels.inc, each documented at
 * its row; hb_stdp_trace_step_f32 takes the parameters below. */
/* How a weight change meets the bounds [w_min, w_max]. */
typedef enum hb_stdp_bounds {
  HB_STDP_HARD = 0, /* clip W + dW */
  HB_STDP_SOFT = 1, /* multiplicative: scale dW by the distance to the bound it moves toward */
} hb_stdp_bounds;

/* Which spike pairs a trace remembers. */
typedef enum hb_stdp_pairing {
  HB_STDP_ALL_TO_ALL = 0, /* trace += 1 at a spike */
  HB_STDP_NEAREST = 1,    /* trace = 1 at a spike */
} hb_stdp_pairing;

typedef struct hb_stdp_params {
  float decay_pre;  /* exp(-dt / tau_pre) */
  float decay_post; /* exp(-dt / tau_post) */
  float a_pre, c_pre;
  float a_post, c_post;
  float w_min, w_max;
  hb_stdp_bounds bounds;
  hb_stdp_pairing pairing;
} hb_stdp_params;

#define HB_PLASTICITY HB_KERNEL_PROTOTYPE
#include "hb_kernels.inc"

typedef struct hb_plasticity_kernels {
  hb_isa isa;
#define HB_PLASTICITY HB_KERNEL_FIELD
#include "hb_kernels.inc"
} hb_plasticity_kernels;

/* The table of one variant, or NULL when that variant is not compiled in or not supported by
 * this CPU. */
const hb_plasticity_kernels *hb_plasticity_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
