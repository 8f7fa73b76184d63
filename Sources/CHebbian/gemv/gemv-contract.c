/* gemv's contract: the sweep of gemv-contract.h with y = αAx + βy, each y_i a reduction over a
 * row of A. */
#include "gemv-contract.h"

void hb_gemv_f32__sweep(hb_sweep *h, hb_gemv_fn ref, hb_gemv_fn k) {
  hb_gemv_sweep(h, ref, k, false);
}

void hb_gemv_f32__workload(hb_workload *w, hb_rng *r) {
  hb_gemv_workload(w, r, false);
}
