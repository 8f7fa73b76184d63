/* The per-sample learning loop of online PCA with Oja's rule, the subspace rule or GHA, for a
 * block of samples in one call: the driver behind OnlinePCA's sample-by-sample updates, so
 * that a stream of small samples (d = 6..16: an IMU) pays no per-sample overhead beyond the
 * arithmetic. The state is the caller's (CMSIS-DSP style instance struct); the driver keeps
 * no state of its own and allocates nothing.
 *
 * Per sample x, with t = samples_seen + 1 (every operation in Float, none fused):
 *   centring:   b = max(1/t, floor);  mean += b (x - mean);  xc = x - mean   (else xc = x)
 *   p = xc.xc (hb_dot_f32);   beta = max(1/t, 1e-3, floor);   input_power += beta (p - input_power)
 *   alpha = rate (constant) or max(scale / (offset + (t - 1)), floor)   (inverse schedule)
 *   p < 1e-30 (a zero or tiny sample): y = 0, W unchanged; otherwise, a rate per row
 *     s_i = max(power_i, input_power / d);   eta_i = min(s_i > 0 ? alpha / s_i : 1/p, 1/p)
 *     y = the rule's step (hb_oja_step_f32 / hb_subspace_step_f32 / hb_gha_step_f32)
 *   power_i += beta (y_i^2 - power_i)
 * max/min pick as Swift's do (max(a, b) = b >= a ? b : a, min(a, b) = b < a ? b : a), so the
 * result is bit for bit that of OnlinePCA.unsafeUpdate on the same variant. */
#ifndef HEBBIAN_HB_PCA_H
#define HEBBIAN_HB_PCA_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The raw values of OnlinePCA.Rule. */
typedef enum hb_pca_rule {
  HB_PCA_OJA = 0,
  HB_PCA_SUBSPACE = 1,
  HB_PCA_GHA = 2,
} hb_pca_rule;

typedef struct hb_pca_state {
  hb_pca_rule rule;
  size_t k, d;           /* components (1 for Oja), dimension; 1 <= k <= d */
  float *W;              /* k x d, row-major, leading dimension ldw >= d */
  size_t ldw;
  float *mean;           /* d: the running mean (read and written only when centering) */
  float *power;          /* k: running <y_i^2> */
  float *y;              /* k: the outputs of the last sample (written) */
  float *xc;             /* d: scratch for the centred sample (only when centering) */
  float *eta;            /* k: scratch for the rows' rates */
  float input_power;     /* running <|x - mean|^2> (read and written) */
  int64_t samples_seen;  /* samples learned so far (read and written) */
  bool centering;
  /* The schedule: alpha = rate_scale when rate_constant, else
   * max(rate_scale / (rate_offset + t - 1), rate_floor). rate_floor is also the floor of the
   * running means, so a constant schedule sets it to the rate itself. */
  bool rate_constant;
  float rate_scale, rate_offset, rate_floor;
} hb_pca_state;

/* Learns n samples, row s at X + s ldx (d finite values each, |x|^2 zero or in [1e-30, 1e30]:
 * the caller checks), one after the other. Y (n x k, row-major, may be NULL) receives each
 * sample's outputs. The step kernels are those of the active variant (hb_isa_active),
 * resolved once per call. */
void hb_pca_hebbian_block_f32(hb_pca_state *s, size_t n, const float *X, size_t ldx, float *Y);

#ifdef __cplusplus
}
#endif
#endif
