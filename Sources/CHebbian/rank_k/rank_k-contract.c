/* rank_k's contract: every pair of sides m, n (1…67, around every panel width), batches
 * b ∈ {1, 2, 5, 17} with α = 0 at b = 2, 1 at b = 5 and −0.25 otherwise; lda = n + 5,
 * ldx = m + 2, ldy = n + 1. Each element of A gains a reduction of b products, within
 * (b + 2)ε·S of the reference, S = |A_ij| + |α|·Σ_r|X_ri Y_rj| (each batch's own bound: S scaled
 * by b + 2 against a tolerance of ε); the gap between rows and the guard tail must stay
 * untouched (S = 0). b = 0 or n = 0 touches nothing. */
#include "../contract.h"

void hb_rank_k_f32__sweep(hb_sweep *h, hb_rank_k_fn ref, hb_rank_k_fn k) {
  static const size_t batches[4] = {1, 2, 5, 17};
  h->tolerance = HB_EPS;
  float *s[5];
  hb_sweep_scratch(h, s, 5, 80 * 80);
  float *a = s[0], *xs = s[1], *ys = s[2], *ar = s[3], *av = s[4];
  for (size_t p = 0; p < HB_SIDES_COUNT; p++) {
    for (size_t q = 0; q < HB_SIDES_COUNT; q++) {
      for (size_t c = 0; c < 4; c++) {
        const size_t m = hb_sides[p], n = hb_sides[q], b = batches[c];
        const size_t lda = n + 5, ldx = m + 2, ldy = n + 1, na = (m - 1) * lda + n;
        hb_fill(h, a, na + HB_GUARD, 1);
        hb_fill(h, xs, (b - 1) * ldx + m, 1);
        hb_fill(h, ys, (b - 1) * ldy + n, 1);
        const float alpha = b == 2 ? 0 : (b == 5 ? 1 : -0.25f);
        hb_twin(a, ar, av, na + HB_GUARD);
        ref(m, n, b, alpha, xs, ldx, ys, ldy, ar, lda);
        k(m, n, b, alpha, xs, ldx, ys, ldy, av, lda);
        for (size_t e = 0; e < na + HB_GUARD; e++) {
          const size_t i = e / lda, j = e % lda;
          float S = 0;
          if (e < na && j < n) {
            float sum = 0;
            for (size_t r = 0; r < b; r++) sum += fabsf(xs[r * ldx + i] * ys[r * ldy + j]);
            S = (float)(b + 2) * (fabsf(a[e]) + fabsf(alpha) * sum);
          }
          hb_compare(h, ar[e], av[e], S);
        }
        h->cases++;
      }
    }
  }
  static const size_t empty[2][3] = {{9, 9, 0}, {9, 0, 3}};
  for (size_t c = 0; c < 2; c++) {
    const size_t m = empty[c][0], n = empty[c][1], b = empty[c][2], na = 81;
    const size_t ld = n > 0 ? n : 1;
    hb_fill(h, a, na + HB_GUARD, 1);
    hb_twin(a, ar, av, na + HB_GUARD);
    ref(m, n, b, 1, xs, m, ys, ld, ar, ld);
    k(m, n, b, 1, xs, m, ys, ld, av, ld);
    for (size_t e = 0; e < na + HB_GUARD; e++) hb_compare(h, ar[e], av[e], 0);
    h->cases++;
  }
}

/* Rows of the mini-batch of the rank-k accumulate. */
#define BATCH 8

static void run(hb_workload *w) {
  const size_t k = w->k, d = w->d;
  ((hb_rank_k_fn)w->body)(k, d, BATCH, 1e-7f, w->op[1], k, w->op[2], d, w->op[0], d);
}

void hb_rank_k_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_workload_normal(w, r, k * d, 1);     /* A */
  hb_workload_normal(w, r, BATCH * k, 1); /* X */
  hb_workload_normal(w, r, BATCH * d, 1); /* Y */
  w->run = run;
  w->flops = 2 * BATCH * k * d;
}
