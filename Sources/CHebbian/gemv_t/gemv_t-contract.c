/* gemv_t's contract: the sweep of gemv/gemv-contract.h with y = αAᵀx + βy, each y_j a
 * reduction over a column of A. */
#include "../gemv/gemv-contract.h"

void hb_gemv_t_f32__sweep(hb_sweep *h, hb_gemv_t_fn ref, hb_gemv_t_fn k) {
  hb_gemv_sweep(h, ref, k, true);
}

void hb_gemv_t_f32__workload(hb_workload *w, hb_rng *r) {
  hb_gemv_workload(w, r, true);
}
