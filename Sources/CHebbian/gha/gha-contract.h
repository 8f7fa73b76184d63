/* What the contracts of gha_step and subspace_step share: the two steps take the same operands
 * (one rate per row, y = W·x out) and differ only in the residual each row sees, so one sweep
 * and one workload serve both. */
#ifndef HEBBIAN_GHA_CONTRACT_H
#define HEBBIAN_GHA_CONTRACT_H

#include "../contract.h"
#include "../rules-small.h"

#define HB_RULE_K_MAX 16
/* The largest (k − 1)·ldw + d of the shapes below, and the longest row. */
#define HB_RULE_W_MAX 262390
#define HB_RULE_D_MAX 16390

/* One shape: k rows of d at leading dimension ldw, W at scale 1/√d (a constant between rows),
 * every row at η = 0.05, y full of noise on entry. The reference's W and y start `off` floats
 * (0…7) past a 64-byte boundary, the variant's (off + 3) % 8 and x (off + 1) % 8, so every body
 * meets operands off its vector alignment. A rule step (y = Wx, then W += η·y·r) differs from
 * the reference by at most (2d + k + 10)ε·S with S = Y_i = Σ_j|W_ij x_j| for y_i and
 * S = |W_ij| + η·Y_i·R_j, R_j = |x_j| + Σ_l Y_l|W_lj|, for W_ij: the error of y (≤ (d+2)ε·Y)
 * enters the update twice, through y and through the residual r. The bound is each shape's
 * own (S is scaled by 2d + k + 10 against a tolerance of ε). The gap between rows and the
 * guard tails of W and y must stay untouched. */
static inline void hb_rule_rows_case(hb_sweep *h, hb_gha_step_fn ref, hb_gha_step_fn k,
                                     float *const s[8], size_t kk, size_t d, size_t ldw,
                                     size_t off) {
  const float eta = 0.05f;
  const size_t nw = (kk - 1) * ldw + d, voff = (off + 3) % 8;
  float *x = hb_sweep_at(s[0], (off + 1) % 8), *w = s[1], *bigY = s[6], *bigR = s[7];
  float *wr = hb_sweep_at(s[2], off), *wv = hb_sweep_at(s[3], voff);
  float *yr = hb_sweep_at(s[4], off), *yv = hb_sweep_at(s[5], voff);
  float rates[HB_RULE_K_MAX];
  hb_fill(h, x, d, 1);
  /* Rows of noise; the gaps between them and the guard tail hold a value the step must leave
   * (drawing noise there too cost most of the sweep at ldw = 1024). */
  for (size_t e = 0; e < nw + HB_GUARD; e++) w[e] = 12345.5f;
  for (size_t i = 0; i < kk; i++) hb_fill(h, w + i * ldw, d, 1 / sqrtf((float)d));
  hb_twin(w, wr, wv, nw + HB_GUARD);
  hb_fill(h, yr, kk + HB_GUARD, 1);
  memcpy(yv, yr, (kk + HB_GUARD) * sizeof(float));
  for (size_t i = 0; i < kk; i++) rates[i] = eta;
  ref(kk, d, rates, x, wr, ldw, yr);
  k(kk, d, rates, x, wv, ldw, yv);
  const float bound = (float)(2 * d + kk + 10);
  for (size_t i = 0; i < kk; i++) {
    float sum = 0;
    for (size_t j = 0; j < d; j++) sum += fabsf(w[i * ldw + j] * x[j]);
    bigY[i] = sum;
  }
  for (size_t j = 0; j < d; j++) {
    float r = fabsf(x[j]);
    for (size_t l = 0; l < kk; l++) r += bigY[l] * fabsf(w[l * ldw + j]);
    bigR[j] = r;
  }
  for (size_t i = 0; i < kk + HB_GUARD; i++)
    hb_compare(h, yr[i], yv[i], i < kk ? bound * bigY[i] : 0);
  for (size_t e = 0; e < nw + HB_GUARD; e++) {
    const size_t i = e / ldw, j = e % ldw;
    const float se = e < nw && j < d ? fabsf(w[e]) + eta * bigY[i] * bigR[j] : 0;
    hb_compare(h, wr[e], wv[e], bound * se);
  }
  h->cases++;
}

/* The shapes, around the vector bodies' blocking: k ∈ {1, 2, 3, 4, 5, 7, 8, 9, 16} (the 8-row
 * groups of pass 1 and their tails) at every d = 1…67 (every tail around the 8- and 4-lane
 * widths and the 64-column panels) with ldw = d + 3 and ldw = d + (k + d) % 4 (packed rows one
 * time in four); k = 16 at d ∈ {128, 255, 256, 257, 1000}; rows a multiple of 4 KiB (the
 * two-row pass 1 and the row-by-row sweeps), k × d / ldw = 5 × 1000 / 1024, 16 × 1024 / 1024,
 * 3 × 67 / 2048, 2 × 515 / 1024, 9 × 1030 / 2048; more than one 4096-column residual chunk,
 * 3 × 4100 / 8192 and 2 × 8195 / 9216; a W past HB_AVX2_ROWS_BIG_W whose rows do not alias
 * (GHA's row path for a W out of L2), 16 × 16390 / 16400; and the small-d bodies, every d ≤ 16 and k ≤ 16 at
 * every offset 0…7 with ldw = d + off % 3 (1024 at off = 7). ref and k are gha_step's or
 * subspace_step's bodies (the same type). */
static inline void hb_rule_rows_sweep(hb_sweep *h, hb_gha_step_fn ref, hb_gha_step_fn k) {
  static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, HB_RULE_K_MAX};
  static const size_t large[] = {128, 255, 256, 257, 1000};
  static const size_t wide[][3] = {{5, 1000, 1024}, {16, 1024, 1024}, {3, 67, 2048},
                                   {2, 515, 1024},  {9, 1030, 2048},  {3, 4100, 8192},
                                   {2, 8195, 9216}, {16, 16390, 16400}};
  h->tolerance = HB_EPS;
  float *s[8];
  /* Room for the largest shape at the largest offset. */
  hb_sweep_scratch(h, s, 6, HB_RULE_W_MAX + 8);
  s[6] = hb_sweep_floats(h, HB_RULE_K_MAX);
  s[7] = hb_sweep_floats(h, HB_RULE_D_MAX);
  for (size_t a = 0; a < sizeof ks / sizeof ks[0]; a++) {
    const size_t kk = ks[a];
    for (size_t d = 1; d <= HB_LENGTHS_MAX; d++) {
      const size_t off = (3 * kk + d) % 8, packed = d + (kk + d) % 4;
      hb_rule_rows_case(h, ref, k, s, kk, d, d + 3, off);
      if (packed != d + 3) hb_rule_rows_case(h, ref, k, s, kk, d, packed, off);
    }
  }
  for (size_t a = 0; a < sizeof large / sizeof large[0]; a++) {
    const size_t d = large[a];
    hb_rule_rows_case(h, ref, k, s, HB_RULE_K_MAX, d, d + d % 4, (3 * HB_RULE_K_MAX + d) % 8);
  }
  for (size_t a = 0; a < sizeof wide / sizeof wide[0]; a++) {
    const size_t kk = wide[a][0], d = wide[a][1], ldw = wide[a][2];
    hb_rule_rows_case(h, ref, k, s, kk, d, ldw, (3 * kk + d) % 8);
  }
  for (size_t d = 1; d <= HB_SMALL_D_MAX; d++) {
    for (size_t kk = 1; kk <= HB_RULE_K_MAX; kk++) {
      for (size_t off = 0; off < 8; off++) {
        hb_rule_rows_case(h, ref, k, s, kk, d, off == 7 ? 1024 : d + off % 3, off);
      }
    }
  }
}

static inline void hb_rule_rows_run(hb_workload *w) {
  ((hb_gha_step_fn)w->body)(w->k, w->d, w->op[3], w->op[0], w->op[1], w->d, w->op[2]);
}

/* A unit-norm sample, W at scale 1/√d, y, and every row's rate at the benchmarks' η = 1e-3
 * (the single-rate step). */
static inline void hb_rule_rows_workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_workload_sample(w, r, d);
  hb_workload_normal(w, r, k * d, 1 / sqrt((double)d));
  hb_workload_floats(w, k);
  float *rates = hb_workload_floats(w, k > 0 ? k : 1);
  if (rates == NULL) return;
  for (size_t i = 0; i < (k > 0 ? k : 1); i++) rates[i] = 1e-3f;
  w->run = hb_rule_rows_run;
  w->flops = 6 * k * d;
}

#endif
