/* The sweep and workload gemv (y = αAx + βy) and gemv_t (y = αAᵀx + βy) share: every pair of
 * sides m, n (1…67, around every panel width) with lda = n + 3, three (α, β) pairs (1, 0),
 * (−0.75, 1.5), (0, −1), and β = 0 with y full of NaN, which must never be read (lda = n + 3
 * and n). Each output
 * is a reduction of L terms (a row of A for gemv, a column for gemv_t), within (L + 2)ε·S of
 * the reference, S = |α|·Σ|A x terms| + |β y_o| (each shape's own bound: S scaled by L + 2
 * against a tolerance of ε); the guard tail of y must stay untouched. Empty shapes: m = 0 or
 * n = 0 leave β·y (one rounded product), exactly the reference's. */
#ifndef HEBBIAN_GEMV_CONTRACT_H
#define HEBBIAN_GEMV_CONTRACT_H

#include "../contract.h"

static inline void hb_gemv_sweep(hb_sweep *h, hb_gemv_fn ref, hb_gemv_fn k, bool transposed) {
  h->tolerance = HB_EPS;
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
            S = (float)((transposed ? m : n) + 2) * (fabsf(alpha) * sum + fabsf(beta * y[o]));
          }
          hb_compare(h, yr[o], yv[o], S);
        }
        h->cases++;
      }
      /* β = 0 overwrites y without reading it: NaN in y must not reach the output, with rows
       * padded and packed (lda = n). */
      for (size_t packed = 0; packed < 2; packed++) {
        for (size_t i = 0; i < ny; i++) yv[i] = NAN;
        k(m, n, transposed ? -0.5f : 1.5f, a, packed ? n : lda, x, 0, yv);
        for (size_t i = 0; i < ny; i++) {
          if (!isfinite(yv[i])) hb_compare(h, 0, yv[i], 1);
        }
        h->cases++;
      }
    }
  }
  static const size_t empty[4][2] = {{0, 9}, {9, 0}, {0, 37}, {37, 0}};
  for (size_t c = 0; c < 4; c++) {
    const size_t m = empty[c][0], n = empty[c][1], ny = transposed ? n : m;
    hb_fill(h, y, ny + HB_GUARD, 1);
    hb_twin(y, yr, yv, ny + HB_GUARD);
    ref(m, n, 1, a, n > 0 ? n : 1, x, c % 2 ? 0.5f : -0.5f, yr);
    k(m, n, 1, a, n > 0 ? n : 1, x, c % 2 ? 0.5f : -0.5f, yv);
    for (size_t o = 0; o < ny + HB_GUARD; o++) hb_compare(h, yr[o], yv[o], 0);
    h->cases++;
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
