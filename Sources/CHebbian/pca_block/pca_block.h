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

/* What sample t gives the rates before its step, from p = |xc|^2 alone: the running-powers
 * weight beta, the schedule's alpha, the clip 1/p and the floor P/d of the row powers (after
 * the input power P is updated), and whether the sample is stepped at all (not when p is below
 * HB_PCA_NORM2_MIN, where 1/p would overflow: it is learned as the zero sample). None of it
 * depends on W, so a loop may compute it a sample ahead of the step. */
typedef struct hb_pca_sample_rates {
  float beta, alpha, clip, floor_power;
  bool step;
} hb_pca_sample_rates;

static inline hb_pca_sample_rates hb_pca_sample(hb_pca_state *s, int64_t t, float inv_t, float p) {
  hb_pca_sample_rates q;
  q.beta = hb_pca_power_weight(inv_t, s->rate_floor);
  s->input_power += q.beta * (p - s->input_power);
  q.alpha = hb_pca_rate(s->rate_schedule, s->rate_scale, s->rate_offset, s->rate_floor, t - 1);
  q.step = p >= (float)HB_PCA_NORM2_MIN;
  q.clip = q.step ? 1 / p : 0.0f;
  q.floor_power = s->input_power / (float)s->d;
  return q;
}

/* The rows' rates of a stepped sample: hb_pca_row_rate of each row's running power. */
static inline void hb_pca_rates(const hb_pca_sample_rates *q, size_t k, const float *power,
                                float *eta) {
  for (size_t i = 0; i < k; i++) eta[i] = hb_pca_row_rate(power[i], q->floor_power, q->alpha, q->clip);
}

/* power_i += beta (y_i^2 - power_i), and the outputs to Y's row r when Y is given. */
static inline void hb_pca_outputs(const hb_pca_state *s, float *power, float beta,
                                  const float *y, float *Y, size_t r) {
  for (size_t i = 0; i < s->k; i++) power[i] += beta * (y[i] * y[i] - power[i]);
  if (Y != NULL)
    for (size_t i = 0; i < s->k; i++) Y[r * s->k + i] = y[i];
}

#if HB_BUILD_AVX2
/* The loop at 1 <= d, k <= HB_SMALL_D_MAX on the AVX2 variant (pca_block-avx2.c). */
void hb_pca_hebbian_block_f32__avx2(hb_pca_state *s, size_t n, const float *X, size_t ldx,
                                    float *Y);
#endif

#endif
