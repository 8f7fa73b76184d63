/* ger's contract: every pair of sides m, n (1…67, around every panel width) with lda = n + 5,
 * α ∈ {1, −0.5, 0}. Each element of A is one product-add, within 2ε·S of the reference (an FMA
 * does not round the product), S = |A_ij| + |α x_i y_j|; the gap between rows and the guard
 * tail must stay untouched (S = 0). m = 0 or n = 0 touches nothing. */
#include "../contract.h"

void hb_ger_f32__sweep(hb_sweep *h, hb_ger_fn ref, hb_ger_fn k) {
  h->tolerance = 2 * HB_EPS;
  static const float alphas[3] = {1, -0.5f, 0};
  float *s[5];
  hb_sweep_scratch(h, s, 5, 80 * 80);
  float *a = s[0], *x = s[1], *y = s[2], *ar = s[3], *av = s[4];
  for (size_t p = 0; p < HB_SIDES_COUNT; p++) {
    for (size_t q = 0; q < HB_SIDES_COUNT; q++) {
      const size_t m = hb_sides[p], n = hb_sides[q], lda = n + 5, na = (m - 1) * lda + n;
      hb_fill(h, a, na + HB_GUARD, 1);
      hb_fill(h, x, m, 1);
      hb_fill(h, y, n, 1);
      for (size_t c = 0; c < 3; c++) {
        const float alpha = alphas[c];
        hb_twin(a, ar, av, na + HB_GUARD);
        ref(m, n, alpha, x, y, ar, lda);
        k(m, n, alpha, x, y, av, lda);
        for (size_t e = 0; e < na + HB_GUARD; e++) {
          const size_t i = e / lda, j = e % lda;
          const bool on = e < na && j < n;
          hb_compare(h, ar[e], av[e], on ? fabsf(a[e]) + fabsf(alpha * x[i] * y[j]) : 0);
        }
        h->cases++;
      }
    }
  }
  static const size_t empty[2][2] = {{0, 9}, {9, 0}};
  for (size_t c = 0; c < 2; c++) {
    const size_t m = empty[c][0], n = empty[c][1], na = 81;
    hb_fill(h, a, na + HB_GUARD, 1);
    hb_twin(a, ar, av, na + HB_GUARD);
    ref(m, n, 1, x, y, ar, n > 0 ? n : 1);
    k(m, n, 1, x, y, av, n > 0 ? n : 1);
    for (size_t e = 0; e < na + HB_GUARD; e++) hb_compare(h, ar[e], av[e], 0);
    h->cases++;
  }
}

static void run(hb_workload *w) {
  ((hb_ger_fn)w->body)(w->k, w->d, 1e-7f, w->op[1], w->op[2], w->op[0], w->d);
}

void hb_ger_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_workload_normal(w, r, k * d, 1); /* A */
  hb_workload_normal(w, r, k, 1);     /* x */
  hb_workload_normal(w, r, d, 1);     /* y */
  w->run = run;
  w->flops = 2 * k * d;
}
