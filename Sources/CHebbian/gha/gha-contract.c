/* gha_step's contract: the rule sweep and workload it shares with subspace_step
 * (gha-contract.h); Sanger's rule, each row's residual x − Σ_{l≤i} y_l W_l. */
#include "gha-contract.h"

void hb_gha_step_f32__sweep(hb_sweep *h, hb_gha_step_fn ref, hb_gha_step_fn k) {
  hb_rule_rows_sweep(h, ref, k);
}

void hb_gha_step_f32__workload(hb_workload *w, hb_rng *r) {
  hb_rule_rows_workload(w, r);
}
