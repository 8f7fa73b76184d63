/* What the contracts of gha_step and subspace_step share: the two steps take the same operands
 * (one rate per row, y = W·x out) and differ only in the residual each row sees, so one sweep
 * and one workload serve both. */
#ifndef HEBBIAN_GHA_CONTRACT_H
#define HEBBIAN_GHA_CONTRACT_H

#include "../contract.h"

#define HB_RULE_K_MAX 8

/* k ∈ {1, 2, 3, 4, 5, 8} rows, d = 1…67, ldw = d + 3 (the gap between rows and the guard
 * tails of W and y must stay untouched), W at scale 1/√d, every row at η = 0.05, y full of
 * noise on entry. A rule step (y = Wx, then W += η·y·r) differs from the reference by at most
 * (2d + k + 10)ε·S with S = Y_i = Σ_j|W_ij x_j| for y_i and S = |W_ij| + η·Y_i·R_j,
 * R_j = |x_j| + Σ_l Y_l|W_lj|, for W_ij: the error of y (≤ (d+2)ε·Y) enters the update twice,
 * through y and through the residual r. Bound at d = 67, k = 8. ref and k are gha_step's or
 * subspace_step's bodies (the same type). */
static inline void hb_rule_rows_sweep(hb_sweep *h, hb_gha_step_fn ref, hb_gha_step_fn k) {
  static const size_t ks[] = {1, 2, 3, 4, 5, HB_RULE_K_MAX};
  const float eta = 0.05f;
  h->tolerance = (float)(2 * HB_LENGTHS_MAX + HB_RULE_K_MAX + 10) * HB_EPS;
  float *s[7];
  hb_sweep_scratch(h, s, 7, HB_RULE_K_MAX * (HB_LENGTHS_MAX + 3));
  float *x = s[0], *w = s[1], *wr = s[2], *wv = s[3], *yr = s[4], *yv = s[5], *bigY = s[6];
  float rates[HB_RULE_K_MAX];
  for (size_t a = 0; a < sizeof ks / sizeof ks[0]; a++) {
    const size_t kk = ks[a];
    for (size_t d = 1; d <= HB_LENGTHS_MAX; d++) {
      const size_t ldw = d + 3, nw = (kk - 1) * ldw + d;
      hb_fill(h, x, d, 1);
      hb_fill(h, w, nw + HB_GUARD, 1 / sqrtf((float)d));
      hb_twin(w, wr, wv, nw + HB_GUARD);
      hb_fill(h, yr, kk + HB_GUARD, 1);
      memcpy(yv, yr, (kk + HB_GUARD) * sizeof(float));
      for (size_t i = 0; i < kk; i++) rates[i] = eta;
      ref(kk, d, rates, x, wr, ldw, yr);
      k(kk, d, rates, x, wv, ldw, yv);
      for (size_t i = 0; i < kk; i++) {
        float sum = 0;
        for (size_t j = 0; j < d; j++) sum += fabsf(w[i * ldw + j] * x[j]);
        bigY[i] = sum;
      }
      for (size_t i = 0; i < kk + HB_GUARD; i++) hb_compare(h, yr[i], yv[i], i < kk ? bigY[i] : 0);
      for (size_t e = 0; e < nw + HB_GUARD; e++) {
        const size_t i = e / ldw, j = e % ldw;
        float se = 0;
        if (e < nw && j < d) {
          float r = fabsf(x[j]);
          for (size_t l = 0; l < kk; l++) r += bigY[l] * fabsf(w[l * ldw + j]);
          se = fabsf(w[e]) + eta * bigY[i] * r;
        }
        hb_compare(h, wr[e], wv[e], se);
      }
      h->cases++;
    }
  }
}

static inline void hb_rule_rows_run(hb_workload *w) {
  ((hb_gha_step_fn)w->body)(w->k, w->d, w->op[3], w->op[0], w->op[1], w->d, w->op[2]);
}

/* A unit-norm sample, W at scale 1/√d, y, and every row's rate at the benchmarks' η = 1e-3
 * (the single-rate step). */
static inline void hb_rule_rows_workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_workload_sample(w, r, d);
  hb_workload_normal(w, r, k * d, 1 / sqrt((double)d));
  hb_workload_floats(w, k);
  float *rates = hb_workload_floats(w, k > 0 ? k : 1);
  if (rates == NULL) return;
  for (size_t i = 0; i < (k > 0 ? k : 1); i++) rates[i] = 1e-3f;
  w->run = hb_rule_rows_run;
  w->flops = 6 * k * d;
}

#endif
