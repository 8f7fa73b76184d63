/* The per-sample learning loop of online PCA with Oja's rule, the subspace rule or GHA, for a
 * block of samples in one call: the driver behind OnlinePCA's sample-by-sample updates, so
 * that a stream of small samples (d = 6..16: an IMU) pays no per-sample overhead beyond the
 * arithmetic. The state is the caller's (CMSIS-DSP style instance struct); the driver keeps
 * no state of its own and allocates nothing.
 *
 * Per sample x, with t = samples_seen + 1 (every operation in Float, none fused):
 *   centring:   b = hb_pca_mean_weight(1/t, floor);  mean += b (x - mean);  xc = x - mean
 *               (else xc = x)
 *   p = xc.xc (hb_dot_f32);   beta = hb_pca_power_weight(1/t, floor);
 *   input_power += beta (p - input_power);   alpha = hb_pca_rate(..., t - 1)
 *   p < HB_PCA_NORM2_MIN (a zero or tiny sample): y = 0, W unchanged; otherwise the rows'
 *     rates hb_pca_row_rates(alpha, clip 1/p) and y = the rule's step (hb_oja_step_f32 /
 *     hb_subspace_step_f32 / hb_gha_step_f32)
 *   power_i += beta (y_i^2 - power_i)
 * max/min pick as Swift's do (max(a, b) = b >= a ? b : a, min(a, b) = b < a ? b : a).
 * OnlinePCA learns Oja, subspace and GHA only through this driver, so this is their one
 * definition. */
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

/* The kinds of schedule, with the values a model file stores (OnlinePCA's "schedule"). */
typedef enum hb_pca_schedule {
  HB_PCA_SCHEDULE_CONSTANT = 0, /* alpha = scale */
  HB_PCA_SCHEDULE_INVERSE = 1,  /* alpha = max(scale / (offset + t), floor) */
  HB_PCA_SCHEDULE_POWER = 2,    /* alpha = max(scale / (offset + t)^(3/4), floor) */
} hb_pca_schedule;

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
  /* The schedule (hb_pca_rate): its kind, scale, offset and floor. rate_floor is also the
   * floor of the running means, so a constant schedule sets it to the rate itself. */
  hb_pca_schedule rate_schedule;
  float rate_scale, rate_offset, rate_floor;
} hb_pca_state;

/* Learns n samples, row s at X + s ldx (each fit by hb_pca_samples_unfit: the caller
 * checks), one after the other. Y (n x k, row-major, may be NULL) receives each sample's
 * outputs y, those its own step computed (W before the step times the centred sample; 0 for
 * a sample learned as zero). The step kernels are those of the active variant
 * (hb_isa_active), through the dispatched entry points. */
void hb_pca_hebbian_block_f32(hb_pca_state *s, size_t n, const float *X, size_t ldx, float *Y);

/* The loop hb_pca_hebbian_block_f32 runs for k x d when variant isa is active (the active one
 * is hb_isa_active(), so HEBBIAN_ISA pins the driver): "avx2-small" (the AVX2 loop with W in
 * registers, 1 <= d, k <= 16), else the general loop over that variant's rule kernels, named
 * by the variant ("avx2", "neon", "scalar"; "scalar" for a variant this machine lacks). */
const char *hb_pca_block_driver(hb_isa isa, size_t k, size_t d);

/* The sample contract of every online PCA learner: d finite values whose squared norm, summed
 * in double in index order, is 0 or inside [HB_PCA_NORM2_MIN, HB_PCA_NORM2_MAX]. Every
 * quantity a rule computes scales like |x|^2 or its inverse, so this range keeps 8 orders of
 * magnitude between the state and float32's limits, on every ISA. */
#define HB_PCA_NORM2_MIN 1e-30
#define HB_PCA_NORM2_MAX 1e30

/* The index of the first of n rows (row s at X + s ldx, d floats) that breaks the sample
 * contract, or n when every row keeps it. float * float is exact in double, so the decision
 * is the same whether or not the compiler fuses the sum, on every ISA. */
size_t hb_pca_samples_unfit(const float *X, size_t n, size_t d, size_t ldx);

/* Copies count little-endian float32 values from src (any alignment) to dst: a raw f32
 * record, as a reader receives it. Returns the index of the first NaN or infinity, or -1 when
 * all are finite. */
int64_t hb_f32_copy_finite(const uint8_t *src, size_t count, float *dst);

/* The scalar arithmetic that every rule's step shares with the driver, written once here and
 * called by the Swift learner too. Bit-identity between the driver and the learner's other
 * paths is the contract, so nothing here is fused into an FMA (clang contracts a * b + c
 * within an expression by default; Swift never does). */
#if defined(__clang__)
#define HB_PCA_NO_CONTRACT _Pragma("clang fp contract(off)")
#else
#define HB_PCA_NO_CONTRACT
#endif

/* Swift.max / Swift.min for Float: the same operand wins on ties. */
static inline float hb_pca_max(float a, float b) { return b >= a ? b : a; }
static inline float hb_pca_min(float a, float b) { return b < a ? b : a; }

/* The schedule alpha for a sample after t_before samples, u = offset + t_before:
 * scale when constant, else max(scale / u, floor) (inverse) or max(scale / u^(3/4), floor)
 * (power). u^(3/4) is u / sqrt(sqrt(u)): square roots are correctly rounded on every ISA, so
 * the power schedule is as deterministic as the inverse one (powf is not). Why 3/4: with the
 * power normalisation the error contracts like exp(-g sum alpha), g the relative eigengap
 * below the k-th component, and the step noise is about alpha; alpha = c / u acts like an
 * inverse schedule whose c grows like u^(1/4), small where a short stream is limited by the
 * noise, large where a long stream is limited by the gap, without knowing the horizon. */
static inline float hb_pca_rate(hb_pca_schedule kind, float scale, float offset, float floor_,
                                int64_t t_before) {
  HB_PCA_NO_CONTRACT
  if (kind == HB_PCA_SCHEDULE_CONSTANT) return scale;
  const float u = offset + (float)t_before;
  /* u = 0 (t0 = 0, first sample): scale / 0 = infinity either way, so the clip rules. */
  if (kind == HB_PCA_SCHEDULE_INVERSE || u <= 0) return hb_pca_max(scale / u, floor_);
  return hb_pca_max(scale * __builtin_sqrtf(__builtin_sqrtf(u)) / u, floor_);
}

/* The weight of sample t in the running mean: max(1/t, floor). */
static inline float hb_pca_mean_weight(float inv_t, float floor_) {
  return hb_pca_max(inv_t, floor_);
}

/* The weight of sample t in the running powers: 1/t (the plain mean) until t reaches 1000,
 * then an exponential window of ~1000 samples (or 1/floor, if shorter): max(1/t, 1e-3, floor). */
static inline float hb_pca_power_weight(float inv_t, float floor_) {
  return hb_pca_max(hb_pca_max(inv_t, 1e-3f), floor_);
}

/* Row i's rate eta_i = min(s_i > 0 ? alpha / s_i : clip, clip), s_i = max(power_i, P / d),
 * P the input power. Row i's error against a direction j outside the subspace contracts at
 * rate eta_i (l_i - l_j), so eta_i = alpha / l_i gives every row the contraction
 * alpha (1 - l_j / l_i) and the same step noise relative to its own variance; one rate for all
 * rows would have to be alpha / l_k for the weakest row to converge, making the strong rows'
 * steps l_1 / l_k times too large. The P/d bound keeps eta finite when k exceeds the number of
 * directions carrying signal; the clip 1/|x|^2 bounds every single step (eta |x|^2 <= 1). */
static inline float hb_pca_row_rate(float power, float floor_power, float alpha, float clip) {
  HB_PCA_NO_CONTRACT
  const float si = hb_pca_max(power, floor_power);
  return hb_pca_min(si > 0 ? alpha / si : clip, clip);
}

/* hb_pca_row_rate for rows 0..k, floor_power = P / d. */
static inline void hb_pca_row_rates(size_t k, size_t d, const float *power, float input_power,
                                    float alpha, float clip, float *eta) {
  HB_PCA_NO_CONTRACT
  const float floor_power = input_power / (float)d;
  for (size_t i = 0; i < k; i++) eta[i] = hb_pca_row_rate(power[i], floor_power, alpha, clip);
}

#ifdef __cplusplus
}
#endif
#endif
