/* The per-sample bookkeeping of the PCA driver (include/hebbian/hb_pca.h), shared by its
 * general loop (pca_block.c) and its AVX2 small-d loop (pca_block-avx2.c); the schedule and
 * the weights are the public header's, which the Swift learner calls too. Nothing here may
 * be fused into an FMA: the learner's batch path and other rules do the same arithmetic in
 * Swift, which never contracts a * b + c. */
#ifndef HEBBIAN_PCA_BLOCK_H
#define HEBBIAN_PCA_BLOCK_H

#pragma STDC FP_CONTRACT OFF

#include "../internal.h"
#include "../rules-small.h"

#include <float.h>

/* After p = |xc|^2 of sample t: updates the input power, sets the running-powers weight
 * *beta and the rows' rates s->eta, and returns false when the sample is learned as the zero
 * sample (p below HB_PCA_NORM2_MIN, where 1/p would overflow). */
static inline bool hb_pca_rates(hb_pca_state *s, int64_t t, float inv_t, float p, float *beta) {
  *beta = hb_pca_power_weight(inv_t, s->rate_floor);
  s->input_power += *beta * (p - s->input_power);
  const float alpha =
      hb_pca_rate(s->rate_constant, s->rate_scale, s->rate_offset, s->rate_floor, t - 1);
  if (!(p >= (float)HB_PCA_NORM2_MIN)) return false;
  hb_pca_row_rates(s->k, s->d, s->power, s->input_power, alpha, 1 / p, s->eta);
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
