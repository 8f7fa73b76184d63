/* stdp_trace_step's contract: k ∈ {1, 2, 5} rows, d = 1…67, ldw = d + 3 (the gap between rows
 * and the guard tails must stay untouched) under five parameter sets: hard/soft bounds ×
 * all-to-all/nearest pairing, then the Vogels form (a constant pre-spike term). Spikes are
 * drawn at rates 0.3 (pre) and 0.5 (post), traces uniform in [0, 2), W in [0, 1).
 *
 * Δw = s_i(a₊x_j + c₊) + s_j b_i is formed with two fusable steps and then applied (times the
 * distance to a bound for soft bounds): ≤ 4ε·S with S = |w| + (|a₊|x_j + |c₊| + b_i)·
 * max(1, w_max − w_min), b_i = |a_pre|y_i + |c_pre|, a₊ = a_post, c₊ = c_post (the traces are
 * nonnegative and w_max − w_min = 1 here), bound 6ε. The traces,
 * x ← decay·x then x + s(1 − near·x), are exact in both (s ∈ {0, 1}, near ∈ {0, 1}), so they
 * are compared with S = |x| + 1 under the same bound. */
#include "../hebb_decay/hebb_decay-contract.h"

void hb_stdp_trace_step_f32__sweep(hb_sweep *h, hb_stdp_trace_step_fn ref,
                                   hb_stdp_trace_step_fn k) {
  h->tolerance = 6 * HB_EPS;
  float *s[11];
  hb_sweep_scratch(h, s, 11, HB_PLASTICITY_K_MAX * (HB_LENGTHS_MAX + 3));
  float *pre = s[0], *post = s[1], *xr = s[2], *xv = s[3], *yr = s[4], *yv = s[5];
  float *w = s[6], *wr = s[7], *wv = s[8], *x0 = s[9], *y0 = s[10];
  for (unsigned mode = 0; mode < 5; mode++) {
    const hb_stdp_params p = {
        .decay_pre = 0.95f, .decay_post = 0.9f, .a_pre = mode == 4 ? 0.01f : -0.0105f,
        .c_pre = mode == 4 ? -0.004f : 0, .a_post = 0.01f, .c_post = 0, .w_min = 0,
        .w_max = 1, .bounds = (hb_stdp_bounds)(mode & 1),
        .pairing = (hb_stdp_pairing)((mode >> 1) & 1)};
    for (size_t a = 0; a < 3; a++) {
      const size_t kk = hb_plasticity_ks[a];
      for (size_t d = 1; d <= HB_LENGTHS_MAX; d++) {
        const size_t ldw = d + 3, nw = (kk - 1) * ldw + d;
        for (size_t j = 0; j < d; j++) pre[j] = hb_rng_uniform(&h->rng) < 0.3 ? 1 : 0;
        for (size_t i = 0; i < kk; i++) post[i] = hb_rng_uniform(&h->rng) < 0.5 ? 1 : 0;
        for (size_t j = 0; j < d + HB_GUARD; j++) x0[j] = 2 * (float)hb_rng_uniform(&h->rng);
        for (size_t i = 0; i < kk + HB_GUARD; i++) y0[i] = 2 * (float)hb_rng_uniform(&h->rng);
        for (size_t e = 0; e < nw + HB_GUARD; e++) w[e] = (float)hb_rng_uniform(&h->rng);
        hb_twin(x0, xr, xv, d + HB_GUARD);
        hb_twin(y0, yr, yv, kk + HB_GUARD);
        hb_twin(w, wr, wv, nw + HB_GUARD);
        ref(kk, d, &p, pre, xr, post, yr, wr, ldw);
        k(kk, d, &p, pre, xv, post, yv, wv, ldw);
        for (size_t e = 0; e < nw + HB_GUARD; e++) {
          const size_t i = e / ldw, j = e % ldw;
          float se = 0;
          if (e < nw && j < d) {
            const float b = fabsf(p.a_pre) * y0[i] + fabsf(p.c_pre);
            se = fabsf(w[e]) + (fabsf(p.a_post) * x0[j] + fabsf(p.c_post) + b);
          }
          hb_compare(h, wr[e], wv[e], se);
        }
        for (size_t j = 0; j < d + HB_GUARD; j++) {
          hb_compare(h, xr[j], xv[j], j < d ? x0[j] + 1 : 0);
        }
        for (size_t i = 0; i < kk + HB_GUARD; i++) {
          hb_compare(h, yr[i], yv[i], i < kk ? y0[i] + 1 : 0);
        }
        h->cases++;
      }
    }
  }
}

static void run(hb_workload *w) {
  ((hb_stdp_trace_step_fn)w->body)(w->k, w->d, w->op[5], w->op[3], w->op[1], w->op[4], w->op[2],
                                   w->op[0], w->d);
}

void hb_stdp_trace_step_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_plasticity_operands(w, r);
  /* Fixed spike patterns. No trace decay (τ = ∞): a silent neuron's trace would otherwise
   * shrink geometrically into subnormals and time microcode assists; spiking ones grow by 1
   * per call. Hard bounds for the same reason (soft ones creep toward w_min). */
  float *pre = hb_workload_uniform(w, r, d, 0, 1), *post = hb_workload_uniform(w, r, k, 0, 1);
  hb_stdp_params *p = hb_workload_bytes(w, sizeof *p);
  if (p == NULL || pre == NULL || post == NULL) return;
  for (size_t j = 0; j < d; j++) pre[j] = pre[j] < 0.3f ? 1 : 0;
  for (size_t i = 0; i < k; i++) post[i] = post[i] < 0.5f ? 1 : 0;
  *p = (hb_stdp_params){.decay_pre = 1, .decay_post = 1, .a_pre = -0.0105f, .c_pre = 0,
                        .a_post = 0.01f, .c_post = 0, .w_min = 0, .w_max = 1,
                        .bounds = HB_STDP_HARD, .pairing = HB_STDP_ALL_TO_ALL};
  w->run = run;
  /* Per weight: the potentiation and depression terms (4) and the soft bound (2). */
  w->flops = 6 * k * d;
}
