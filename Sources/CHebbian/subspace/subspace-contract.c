/* subspace_step's contract: the rule sweep and workload it shares with gha_step
 * (gha/gha-contract.h); Oja's subspace rule, one residual x − Wᵀy for every row. */
#include "../gha/gha-contract.h"

void hb_subspace_step_f32__sweep(hb_sweep *h, hb_subspace_step_fn ref, hb_subspace_step_fn k) {
  hb_rule_rows_sweep(h, ref, k);
}

void hb_subspace_step_f32__workload(hb_workload *w, hb_rng *r) {
  hb_rule_rows_workload(w, r);
}
