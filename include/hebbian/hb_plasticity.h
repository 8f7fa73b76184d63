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

/* The dispatched kernels are the HB_PLASTICITY rows of hb_kernels.inc:
 *
 * void hb_hebb_decay_step_f32(k, d, eta, lambda, x, y, W, ldw)
 * Plain Hebb with weight decay:  W_ij <- (1 - lambda) W_ij + eta y_i x_j.
 * lambda = 0 is the unbounded plain rule.
 *
 * void hb_instar_step_f32(k, d, eta, x, y, W, ldw)
 * Instar (heterosynaptic) rule:  W_ij += eta y_i (x_j - W_ij). An active unit pulls its row
 * toward the input; silent inputs of an active unit are depressed.
 *
 * void hb_bcm_step_f32(k, d, eta, x, y, theta, W, ldw)
 * BCM:  W_ij += eta x_j y_i (y_i - theta_i). LTP when y_i exceeds its threshold, LTD below.
 * The sliding threshold theta (k entries) is owned and updated by the caller.
 *
 * void hb_stdp_trace_step_f32(k, d, p, pre_spikes, pre_trace, post_spikes, post_trace, W, ldw)
 * Pair-based spike-timing plasticity with exponential traces, one time step dt.
 *   traces decay:      x_j *= decay_pre,  y_i *= decay_post
 *   weight change:     dW_ij = s_post_i (a_post x_j + c_post) + s_pre_j (a_pre y_i + c_pre)
 *                      (traces before this step's spikes, so a pair at equal times does nothing)
 *   bounds:            hard: W <- clamp(W + dW, w_min, w_max)
 *                      soft: W += [dW]+ (w_max - W) + [dW]- (W - w_min)   (multiplicative)
 *   traces jump:       all-to-all: x_j += s_pre_j;  nearest: x_j = 1 where s_pre_j = 1
 * Classic STDP is a_post = A+, a_pre = -A-, c = 0; Vogels et al. (2011) inhibitory STDP is
 * a_post = a_pre = eta, c_pre = -2 eta rho0 tau. Spikes are 0/1 floats. */
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
