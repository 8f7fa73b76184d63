/* softmax's contract: every length 1…67, β ∈ {1, 7, −2.5}, x standard normal times 4. The
 * vector exp is within 3ε of expf and the normaliser is a sum of L terms ≤ 1 (Z ≥ 1), so each
 * probability is within (L + 8)ε relative of the reference, bound at L = 67: S = the reference
 * value plus 1e-25, below which the flush of exp(x < −87.3) to zero is immaterial. The guard
 * tail of y must stay untouched, and the returned log-normaliser is compared with
 * S = 1 + |reference|. */
#include "../contract.h"

void hb_softmax_f32__sweep(hb_sweep *h, hb_softmax_fn ref, hb_softmax_fn k) {
  h->tolerance = (float)(HB_LENGTHS_MAX + 8) * HB_EPS;
  static const float betas[3] = {1, 7, -2.5f};
  float *s[3];
  hb_sweep_scratch(h, s, 3, HB_LENGTHS_MAX);
  float *x = s[0], *yr = s[1], *yv = s[2];
  for (size_t n = 1; n <= HB_LENGTHS_MAX; n++) {
    for (size_t c = 0; c < 3; c++) {
      hb_fill(h, x, n, 4);
      for (size_t i = 0; i < n + HB_GUARD; i++) yr[i] = yv[i] = 0;
      const float lr = ref(n, betas[c], x, yr);
      const float lv = k(n, betas[c], x, yv);
      for (size_t i = 0; i < n + HB_GUARD; i++) {
        hb_compare(h, yr[i], yv[i], i < n ? yr[i] + 1e-25f : 0);
      }
      hb_compare(h, lr, lv, 1 + fabsf(lr));
      h->cases++;
    }
  }
}

static void run(hb_workload *w) {
  w->scalar[0] = ((hb_softmax_fn)w->body)(w->d, 2, w->op[0], w->op[1]);
}

void hb_softmax_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t d = w->d;
  hb_workload_normal(w, r, d, 4);
  hb_workload_floats(w, d);
  w->run = run;
  w->uses_k = false;
  /* exp (about 10 flops in the polynomial), the sum and the scale. */
  w->flops = 13 * d;
}
