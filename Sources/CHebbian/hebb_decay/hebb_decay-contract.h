/* What the contracts of the plasticity family share: the sweep of the three rate rules
 * (hebb_decay_step, instar_step, bcm_step), the family's ks and the workloads' weights. */
#ifndef HEBBIAN_HEBB_DECAY_CONTRACT_H
#define HEBBIAN_HEBB_DECAY_CONTRACT_H

#include "../contract.h"

/* k ∈ {1, 2, 5} rows, d = 1…67, ldw = d + 3: the gap between rows and the guard tail must
 * stay untouched. */
static const size_t hb_plasticity_ks[3] = {1, 2, 5};
#define HB_PLASTICITY_K_MAX 5

typedef enum hb_rate_rule { HB_RATE_HEBB_DECAY, HB_RATE_INSTAR, HB_RATE_BCM } hb_rate_rule;

/* Every weight moves by at most three products and adds, computed in the same order by every
 * variant except that vector bodies fuse a multiply with an add. Per element, with
 * S the sum of the magnitudes of the terms: hebb_decay (1−λ)w + ηy·x, instar w + ηy(x − w),
 * bcm w + g·x: ≤ 2ε·S, bound 4ε. η = 0.05, λ = 0.01; x, y, θ and W are standard normal.
 * ref and k are the rule's bodies, called through the rule's own type. */
static inline void hb_rate_sweep(hb_sweep *h, hb_rate_rule rule, void (*ref)(void),
                                 void (*k)(void)) {
  h->tolerance = 4 * HB_EPS;
  float *s[6];
  hb_sweep_scratch(h, s, 6, HB_PLASTICITY_K_MAX * (HB_LENGTHS_MAX + 3));
  float *x = s[0], *y = s[1], *theta = s[2], *w = s[3], *wr = s[4], *wv = s[5];
  for (size_t a = 0; a < 3; a++) {
    const size_t kk = hb_plasticity_ks[a];
    for (size_t d = 1; d <= HB_LENGTHS_MAX; d++) {
      const size_t ldw = d + 3, nw = (kk - 1) * ldw + d;
      hb_fill(h, x, d, 1);
      hb_fill(h, y, kk, 1);
      hb_fill(h, theta, kk, 1);
      hb_fill(h, w, nw + HB_GUARD, 1);
      hb_twin(w, wr, wv, nw + HB_GUARD);
      const float eta = 0.05f, lambda = 0.01f;
      switch (rule) {
      case HB_RATE_HEBB_DECAY:
        ((hb_hebb_decay_step_fn)ref)(kk, d, eta, lambda, x, y, wr, ldw);
        ((hb_hebb_decay_step_fn)k)(kk, d, eta, lambda, x, y, wv, ldw);
        break;
      case HB_RATE_INSTAR:
        ((hb_instar_step_fn)ref)(kk, d, eta, x, y, wr, ldw);
        ((hb_instar_step_fn)k)(kk, d, eta, x, y, wv, ldw);
        break;
      case HB_RATE_BCM:
        ((hb_bcm_step_fn)ref)(kk, d, eta, x, y, theta, wr, ldw);
        ((hb_bcm_step_fn)k)(kk, d, eta, x, y, theta, wv, ldw);
        break;
      }
      for (size_t e = 0; e < nw + HB_GUARD; e++) {
        const size_t i = e / ldw, j = e % ldw;
        float se = 0;
        if (e < nw && j < d) {
          const float gain = eta * fabsf(y[i]);
          switch (rule) {
          case HB_RATE_HEBB_DECAY: se = fabsf(w[e]) + gain * fabsf(x[j]); break;
          case HB_RATE_INSTAR: se = fabsf(w[e]) + gain * (fabsf(x[j]) + fabsf(w[e])); break;
          case HB_RATE_BCM: se = fabsf(w[e]) + gain * fabsf(y[i] - theta[i]) * fabsf(x[j]); break;
          }
        }
        hb_compare(h, wr[e], wv[e], se);
      }
      h->cases++;
    }
  }
}

/* The workloads' k × d weights (ldw = d) and activity, uniform in [0, 1): op[0] W, op[1] x,
 * op[2] y. Every rule keeps W bounded or moves it by at most η·|x y| ≈ 1e-7 per call. */
static inline void hb_plasticity_operands(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_workload_uniform(w, r, k * d, 0, 1);
  hb_workload_uniform(w, r, d, 0, 1);
  hb_workload_uniform(w, r, k, 0, 1);
}

#endif
