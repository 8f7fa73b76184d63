/* oja_step's contract: every length d = 1…67, w at scale 1/√d, η = 0.05. A rule step (y = w·x,
 * then w += η·y·(x − y·w)) differs from the reference by at most (2d + k + 10)ε·S, k = 1: the
 * error of y (≤ (d+2)ε·Y) enters the update twice, through y and through the residual. For y,
 * S = Y = Σ_j|w_j x_j|; for w_j, S = |w_j| + η·Y·(|x_j| + Y·|w_j|); the guard tail must stay
 * untouched. Bound at d = 67. */
#include "../contract.h"

void hb_oja_step_f32__sweep(hb_sweep *h, hb_oja_step_fn ref, hb_oja_step_fn k) {
  const float eta = 0.05f;
  h->tolerance = (float)(2 * HB_LENGTHS_MAX + 1 + 10) * HB_EPS;
  float *s[4];
  hb_sweep_scratch(h, s, 4, HB_LENGTHS_MAX);
  float *x = s[0], *w = s[1], *wr = s[2], *wv = s[3];
  for (size_t d = 1; d <= HB_LENGTHS_MAX; d++) {
    hb_fill(h, x, d, 1);
    hb_fill(h, w, d + HB_GUARD, 1 / sqrtf((float)d));
    hb_twin(w, wr, wv, d + HB_GUARD);
    const float yr = ref(d, eta, x, wr);
    const float yv = k(d, eta, x, wv);
    float y = 0;
    for (size_t j = 0; j < d; j++) y += fabsf(w[j] * x[j]);
    hb_compare(h, yr, yv, y);
    for (size_t j = 0; j < d + HB_GUARD; j++) {
      const float sj = j < d ? fabsf(w[j]) + eta * y * (fabsf(x[j]) + y * fabsf(w[j])) : 0;
      hb_compare(h, wr[j], wv[j], sj);
    }
    h->cases++;
  }
}

static void run(hb_workload *w) {
  w->scalar[0] = ((hb_oja_step_fn)w->body)(w->d, 1e-3f, w->op[0], w->op[1]);
}

void hb_oja_step_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t d = w->d;
  hb_workload_sample(w, r, d);
  hb_workload_normal(w, r, d, 1 / sqrt((double)d));
  w->run = run;
  w->uses_k = false;
  w->flops = 6 * d;
}
