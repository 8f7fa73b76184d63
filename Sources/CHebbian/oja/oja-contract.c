/* oja_step's contract: every length d ≤ 16 (the small-d bodies) at every offset 0…7 of w past a
 * 64-byte boundary, then d = 17…67 and d ∈ {128, 255, 256, 257, 1000} at offset d % 8; x sits
 * (off + 3) % 8 and the variant's w (off + 5) % 8 floats past theirs. w at scale 1/√d,
 * η = 0.05. A rule step (y = w·x, then w += η·y·(x − y·w)) differs from the reference by at
 * most (2d + k + 10)ε·S, k = 1: the error of y (≤ (d+2)ε·Y) enters the update twice, through
 * y and through the residual. For y, S = Y = Σ_j|w_j x_j|; for w_j, S = |w_j| + η·Y·(|x_j| +
 * Y·|w_j|); each shape's own bound (S scaled by 2d + 11 against a tolerance of ε); the guard
 * tail must stay untouched. */
#include "../contract.h"

#define OJA_D_MAX 1000

static void oja_case(hb_sweep *h, hb_oja_step_fn ref, hb_oja_step_fn k, float *const s[4],
                     size_t d, size_t off) {
  const float eta = 0.05f;
  float *x = hb_sweep_at(s[0], (off + 3) % 8), *w = s[1];
  float *wr = hb_sweep_at(s[2], off), *wv = hb_sweep_at(s[3], (off + 5) % 8);
  hb_fill(h, x, d, 1);
  hb_fill(h, w, d + HB_GUARD, 1 / sqrtf((float)d));
  hb_twin(w, wr, wv, d + HB_GUARD);
  const float yr = ref(d, eta, x, wr);
  const float yv = k(d, eta, x, wv);
  const float bound = (float)(2 * d + 11);
  float y = 0;
  for (size_t j = 0; j < d; j++) y += fabsf(w[j] * x[j]);
  hb_compare(h, yr, yv, bound * y);
  for (size_t j = 0; j < d + HB_GUARD; j++) {
    const float sj = j < d ? fabsf(w[j]) + eta * y * (fabsf(x[j]) + y * fabsf(w[j])) : 0;
    hb_compare(h, wr[j], wv[j], bound * sj);
  }
  h->cases++;
}

void hb_oja_step_f32__sweep(hb_sweep *h, hb_oja_step_fn ref, hb_oja_step_fn k) {
  static const size_t large[] = {128, 255, 256, 257, OJA_D_MAX};
  h->tolerance = HB_EPS;
  float *s[4];
  hb_sweep_scratch(h, s, 4, OJA_D_MAX + 8);
  for (size_t d = 1; d <= 16; d++) {
    for (size_t off = 0; off < 8; off++) oja_case(h, ref, k, s, d, off);
  }
  for (size_t d = 17; d <= HB_LENGTHS_MAX; d++) oja_case(h, ref, k, s, d, d % 8);
  for (size_t a = 0; a < sizeof large / sizeof large[0]; a++) {
    oja_case(h, ref, k, s, large[a], large[a] % 8);
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
