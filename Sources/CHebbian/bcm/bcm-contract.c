/* bcm_step's contract: the rate rules' sweep (hebb_decay/hebb_decay-contract.h), w + g·x with
 * g = ηy(y − θ) and S = |w| + η|y_i|·|y_i − θ_i|·|x_j|. */
#include "../hebb_decay/hebb_decay-contract.h"

void hb_bcm_step_f32__sweep(hb_sweep *h, hb_bcm_step_fn ref, hb_bcm_step_fn k) {
  hb_rate_sweep(h, HB_RATE_BCM, (void (*)(void))ref, (void (*)(void))k);
}

static void run(hb_workload *w) {
  ((hb_bcm_step_fn)w->body)(w->k, w->d, 1e-7f, w->op[1], w->op[2], w->op[3], w->op[0], w->d);
}

void hb_bcm_step_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_plasticity_operands(w, r);
  hb_workload_uniform(w, r, k, 0, 1);
  w->run = run;
  w->flops = 2 * k * d;
}
