/* instar_step's contract: the rate rules' sweep (hebb_decay/hebb_decay-contract.h),
 * w + ηy(x − w) with S = |w| + η|y_i|·(|x_j| + |w|). */
#include "../hebb_decay/hebb_decay-contract.h"

void hb_instar_step_f32__sweep(hb_sweep *h, hb_instar_step_fn ref, hb_instar_step_fn k) {
  hb_rate_sweep(h, HB_RATE_INSTAR, (void (*)(void))ref, (void (*)(void))k);
}

static void run(hb_workload *w) {
  ((hb_instar_step_fn)w->body)(w->k, w->d, 1e-3f, w->op[1], w->op[2], w->op[0], w->d);
}

void hb_instar_step_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_plasticity_operands(w, r);
  w->run = run;
  w->flops = 3 * k * d;
}
