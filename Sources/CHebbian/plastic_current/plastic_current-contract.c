/* plastic_current's contract: a_j + Σ_i (w_ij + α_ij H_ij) x_i over the plastic layer shapes
 * (plastic_current-contract.h), inputs uniform in [−1, 1) as a tanh layer's are. Each output is
 * a reduction of m terms that each round up to three times: ≤ (m + 4)ε·S with
 * S = |a_j| + Σ_i (|w_ij| + |α_ij H_ij|)·|x_i|, bound at the largest m of the shapes. */
#include "plastic_current-contract.h"

void hb_plastic_current_f32__sweep(hb_sweep *h, hb_plastic_current_fn ref,
                                   hb_plastic_current_fn k) {
  h->tolerance = (float)(hb_plastic_shapes_max(false) + 4) * HB_EPS;
  for (size_t s = 0; s < HB_PLASTIC_SHAPES; s++) {
    size_t m, n, ld, nm;
    hb_plastic_shape(s, &m, &n, &ld, &nm);
    const float *w = hb_sweep_uniform(h, nm), *al = hb_sweep_uniform(h, nm);
    const float *hh = hb_sweep_uniform(h, nm), *x = hb_sweep_uniform(h, m);
    const float *a = hb_sweep_uniform(h, n);
    float *ar = hb_sweep_copy(h, a, n), *av = hb_sweep_copy(h, a, n);
    ref(m, n, w, al, hh, ld, x, ar);
    k(m, n, w, al, hh, ld, x, av);
    for (size_t j = 0; j < n + HB_GUARD; j++) {
      float sj = 0;
      if (j < n) {
        sj = fabsf(a[j]);
        for (size_t i = 0; i < m; i++) {
          sj += (fabsf(w[i * ld + j]) + fabsf(al[i * ld + j] * hh[i * ld + j])) * fabsf(x[i]);
        }
      }
      hb_compare(h, ar[j], av[j], sj);
    }
    h->cases++;
    /* Every shape draws fresh operands: free them before the next one. */
    hb_sweep_release(h);
  }
}

static void run(hb_workload *w) {
  ((hb_plastic_current_fn)w->body)(w->k, w->d, w->op[0], w->op[1], w->op[2], w->d, w->op[3],
                                   w->op[5]);
}

void hb_plastic_current_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_plastic_layer(w, r);
  /* a grows by at most k·0.1 per call: no overflow in any run. */
  hb_workload_floats(w, d);
  w->run = run;
  w->flops = 4 * k * d;
}
