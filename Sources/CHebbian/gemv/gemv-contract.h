/* The sweep and workload gemv (y = αAx + βy) and gemv_t (y = αAᵀx + βy) share: every pair of
 * sides m, n (1…67, around every panel width) with lda = n + 3, three (α, β) pairs (1, 0),
 * (−0.75, 1.5), (0, −1), and β = 0 with y full of NaN, which must never be read. Each output
 * is a reduction of L terms (a row of A for gemv, a column for gemv_t), within (L + 2)ε·S of
 * the reference, S = |α|·Σ|A x terms| + |β y_o|, bound at L = 67; the guard tail of y must
 * stay untouched. */
#ifndef HEBBIAN_GEMV_CONTRACT_H
#define HEBBIAN_GEMV_CONTRACT_H

#include "../contract.h"

static inline void hb_gemv_sweep(hb_sweep *h, hb_gemv_fn ref, hb_gemv_fn k, bool transposed) {
  h->tolerance = (float)(HB_LENGTHS_MAX + 2) * HB_EPS;
  static const float pairs[3][2] = {{1, 0}, {-0.75f, 1.5f}, {0, -1}};
  float *s[5];
  hb_sweep_scratch(h, s, 5, 80 * 80);
  float *a = s[0], *x = s[1], *y = s[2], *yr = s[3], *yv = s[4];
  for (size_t p = 0; p < HB_SIDES_COUNT; p++) {
    for (size_t q = 0; q < HB_SIDES_COUNT; q++) {
      const size_t m = hb_sides[p], n = hb_sides[q], lda = n + 3;
      hb_fill(h, a, (m - 1) * lda + n, 1);
      hb_fill(h, x, transposed ? m : n, 1);
      const size_t ny = transposed ? n : m;
      for (size_t c = 0; c < 3; c++) {
        const float alpha = pairs[c][0], beta = pairs[c][1];
        hb_fill(h, y, ny + HB_GUARD, 1);
        hb_twin(y, yr, yv, ny + HB_GUARD);
        ref(m, n, alpha, a, lda, x, beta, yr);
        k(m, n, alpha, a, lda, x, beta, yv);
        for (size_t o = 0; o < ny + HB_GUARD; o++) {
          float S = 0;
          if (o < ny) {
            float sum = 0;
            if (transposed) {
              for (size_t i = 0; i < m; i++) sum += fabsf(a[i * lda + o] * x[i]);
            } else {
              for (size_t j = 0; j < n; j++) sum += fabsf(a[o * lda + j] * x[j]);
            }
            S = fabsf(alpha) * sum + fabsf(beta * y[o]);
          }
          hb_compare(h, yr[o], yv[o], S);
        }
        h->cases++;
      }
      /* β = 0 overwrites y without reading it: NaN in y must not reach the output. */
      for (size_t i = 0; i < ny; i++) yv[i] = NAN;
      k(m, n, 1.5f, a, lda, x, 0, yv);
      for (size_t i = 0; i < ny; i++) {
        if (!isfinite(yv[i])) hb_compare(h, 0, yv[i], 1);
      }
      h->cases++;
    }
  }
}

static inline void hb_gemv_run(hb_workload *w) {
  ((hb_gemv_fn)w->body)(w->k, w->d, 1, w->op[0], w->d, w->op[1], 0, w->op[2]);
}

/* A is k × d; x has d elements (k for gemv_t), y has k (d for gemv_t). */
static inline void hb_gemv_workload(hb_workload *w, hb_rng *r, bool transposed) {
  const size_t k = w->k, d = w->d;
  hb_workload_normal(w, r, k * d, 1);
  hb_workload_normal(w, r, transposed ? k : d, 1);
  hb_workload_floats(w, transposed ? d : k);
  w->run = hb_gemv_run;
  w->flops = 2 * k * d;
}

#endif
