/* scal's contract: every length 1…67, strides 1 and 3, a ∈ {0.75, −1.25, 0}. Each element is
 * one product, so the variant must match the reference exactly (S = 0 everywhere, tolerance
 * 0), and the elements between strided ones and the guard tail must stay untouched; n = 0
 * touches nothing. */
#include "../contract.h"

void hb_scal_f32__sweep(hb_sweep *h, hb_scal_fn ref, hb_scal_fn k) {
  h->tolerance = 0;
  static const float as[3] = {0.75f, -1.25f, 0};
  float *s[3];
  hb_sweep_scratch(h, s, 3, 3 * HB_LENGTHS_MAX);
  float *x = s[0], *xr = s[1], *xv = s[2];
  for (size_t n = 1; n <= HB_LENGTHS_MAX; n++) {
    for (size_t p = 0; p < 2; p++) {
      const size_t inc = hb_strides[p], nx = (n - 1) * inc + 1;
      for (size_t c = 0; c < 3; c++) {
        hb_fill(h, x, nx + HB_GUARD, 1);
        hb_twin(x, xr, xv, nx + HB_GUARD);
        ref(n, as[c], xr, inc);
        k(n, as[c], xv, inc);
        for (size_t i = 0; i < nx + HB_GUARD; i++) hb_compare(h, xr[i], xv[i], 0);
        h->cases++;
      }
    }
  }
  hb_fill(h, x, 1 + HB_GUARD, 1);
  hb_twin(x, xr, xv, 1 + HB_GUARD);
  ref(0, 2, xr, 1);
  k(0, 2, xv, 1);
  for (size_t i = 0; i < 1 + HB_GUARD; i++) hb_compare(h, xr[i], xv[i], 0);
  h->cases++;
}

static void run(hb_workload *w) {
  const bool up = w->scalar[1] == 0;
  ((hb_scal_fn)w->body)(w->d, up ? 1 + 0x1p-23f : 1 - 0x1p-24f, w->op[0], 1);
  w->scalar[1] = up ? 1 : 0;
}

void hb_scal_f32__workload(hb_workload *w, hb_rng *r) {
  hb_workload_vectors(w, r, 1);
  /* 1 ± 2⁻²³ alternately keeps x within one ulp-scale wobble forever (scalar[1] is 0 before
   * a growing call, 1 before a shrinking one). */
  w->run = run;
  w->flops = w->d;
}
