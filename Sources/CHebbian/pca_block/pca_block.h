/* The scalar arithmetic of one sample of the PCA driver (include/hebbian/hb_pca.h), shared by
 * its general loop (pca_block.c) and its AVX2 small-d loop (pca_block-avx2.c). Bit-identity
 * with the Swift learner is the contract, so nothing here may be fused into an FMA: Swift
 * never contracts a * b + c, and clang's default for C does within an expression. */
#ifndef HEBBIAN_PCA_BLOCK_H
#define HEBBIAN_PCA_BLOCK_H

#pragma STDC FP_CONTRACT OFF

#include "../internal.h"
#include "../rules-small.h"

#include <float.h>

/* Swift.max / Swift.min for Float: the same operand wins on ties. */
static inline float hb_swift_max(float a, float b) { return b >= a ? b : a; }
static inline float hb_swift_min(float a, float b) { return b < a ? b : a; }

/* The weight of sample t in the running mean: max(1/t, floor). */
static inline float hb_pca_centring_weight(const hb_pca_state *s, float inv_t) {
  return hb_swift_max(inv_t, s->rate_floor);
}

/* After p = |xc|^2 of sample t: updates the input power, sets the running-mean weight *beta
 * and the rows' rates s->eta, and returns false when the sample is learned as the zero sample
 * (p below 1e-30, where 1/p would overflow). */
static inline bool hb_pca_rates(hb_pca_state *s, int64_t t, float inv_t, float p, float *beta) {
  *beta = hb_swift_max(hb_swift_max(inv_t, 1e-3f), s->rate_floor);
  s->input_power += *beta * (p - s->input_power);
  const float alpha = s->rate_constant
                          ? s->rate_scale
                          : hb_swift_max(s->rate_scale / (s->rate_offset + (float)(t - 1)),
                                         s->rate_floor);
  if (!(p >= (float)1e-30)) return false; /* Float(1e-30 as Double), as in Swift */
  /* Each row against its own running <y_i^2>, never below the input power per dimension. */
  const float clip = 1 / p, floor_power = s->input_power / (float)s->d;
  for (size_t i = 0; i < s->k; i++) {
    const float si = hb_swift_max(s->power[i], floor_power);
    s->eta[i] = hb_swift_min(si > 0 ? alpha / si : clip, clip);
  }
  return true;
}

/* power_i += beta (y_i^2 - power_i), and the outputs to Y's row r when Y is given. */
static inline void hb_pca_outputs(hb_pca_state *s, float beta, const float *y, float *Y,
                                  size_t r) {
  for (size_t i = 0; i < s->k; i++) s->power[i] += beta * (y[i] * y[i] - s->power[i]);
  if (Y != NULL)
    for (size_t i = 0; i < s->k; i++) Y[r * s->k + i] = y[i];
}

#if HB_BUILD_AVX2
/* The loop at 1 <= d, k <= HB_SMALL_D_MAX on the AVX2 variant (pca_block-avx2.c). */
void hb_pca_hebbian_block_f32__avx2(hb_pca_state *s, size_t n, const float *X, size_t ldx,
                                    float *Y);
#endif

#endif
