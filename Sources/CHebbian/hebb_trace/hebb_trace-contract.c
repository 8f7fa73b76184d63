/* hebb_trace_step's contract: both trace rules over the plastic layer shapes
 * (plastic_current/plastic_current-contract.h), η = 0.3, inputs uniform in [−1, 1). Decay
 * (1 − η)H + ηx_i y_j or Oja H + ηy_j(x_i − H y_j): at most four roundings either side, some
 * fused in the vector bodies: ≤ 4ε·S with S = (1 − η)|H| + |ηy_j|·|x_i| (decay) or
 * |H| + |ηy_j|·(|x_i| + |H|·|y_j|) (Oja), bound 6ε. */
#include "../plastic_current/plastic_current-contract.h"

void hb_hebb_trace_step_f32__sweep(hb_sweep *h, hb_hebb_trace_step_fn ref,
                                   hb_hebb_trace_step_fn k) {
  const float eta = 0.3f;
  h->tolerance = 6 * HB_EPS;
  for (hb_trace_rule rule = HB_TRACE_DECAY; rule <= HB_TRACE_OJA; rule++) {
    for (size_t s = 0; s < HB_PLASTIC_SHAPES; s++) {
      size_t m, n, ld, nm;
      hb_plastic_shape(s, &m, &n, &ld, &nm);
      const float *x = hb_sweep_uniform(h, m), *y = hb_sweep_uniform(h, n);
      const float *hh = hb_sweep_uniform(h, nm);
      float *hr = hb_sweep_copy(h, hh, nm), *hv = hb_sweep_copy(h, hh, nm);
      ref(rule, m, n, eta, x, y, hr, ld);
      k(rule, m, n, eta, x, y, hv, ld);
      for (size_t e = 0; e < nm + HB_GUARD; e++) {
        const size_t i = e / ld, j = e % ld;
        float se = 0;
        if (e < nm && j < n) {
          const float a = fabsf(hh[e]), ey = fabsf(eta * y[j]);
          se = rule == HB_TRACE_OJA ? a + ey * (fabsf(x[i]) + a * fabsf(y[j]))
                                    : (1 - eta) * a + ey * fabsf(x[i]);
        }
        hb_compare(h, hr[e], hv[e], se);
      }
      h->cases++;
      /* Every shape draws fresh operands: free them before the next one. */
      hb_sweep_release(h);
    }
  }
}

static void run(hb_workload *w) {
  ((hb_hebb_trace_step_fn)w->body)(HB_TRACE_DECAY, w->k, w->d, 0.1f, w->op[3], w->op[4],
                                   w->op[2], w->d);
}

void hb_hebb_trace_step_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_plastic_layer(w, r);
  /* The decay trace is an exponential average of x yᵀ: bounded. */
  w->run = run;
  w->flops = 3 * k * d;
}
