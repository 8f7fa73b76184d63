/* What the contracts of the plastic layer family (plastic_current, hebb_trace_step,
 * plastic_backward_step) share: the sweep's shapes and the workload's layer. */
#ifndef HEBBIAN_PLASTIC_CURRENT_CONTRACT_H
#define HEBBIAN_PLASTIC_CURRENT_CONTRACT_H

#include "../contract.h"

/* The (m, n) of the sweep: every n of 1…67 (the column tails) with m = 1 + n mod 5 (1…5), then
 * one tall m (the row reductions), (67, 5). Matrices have ld = n + 3 (the gap between rows
 * must stay untouched, as the guard tail must). */
#define HB_PLASTIC_SHAPES (HB_LENGTHS_MAX + 1)

static inline void hb_plastic_shape(size_t s, size_t *m, size_t *n, size_t *ld, size_t *nm) {
  if (s < HB_LENGTHS_MAX) {
    *n = s + 1;
    *m = 1 + *n % 5;
  } else {
    *m = 67;
    *n = 5;
  }
  *ld = *n + 3;
  *nm = (*m - 1) * *ld + *n;
}

/* The largest m (product false) or m·n (true) of the shapes: where the bounds are taken. */
static inline size_t hb_plastic_shapes_max(bool product) {
  size_t top = 0;
  for (size_t s = 0; s < HB_PLASTIC_SHAPES; s++) {
    size_t m, n, ld, nm;
    hb_plastic_shape(s, &m, &n, &ld, &nm);
    const size_t v = product ? m * n : m;
    if (v > top) top = v;
  }
  return top;
}

/* The workloads' plastic layer, k presynaptic × d postsynaptic units (ld = d), tanh-range
 * activity, small α: op[0] w, op[1] α, op[2] H, op[3] x (k), op[4] y (d). */
static inline void hb_plastic_layer(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_workload_normal(w, r, k * d, 0.1);
  hb_workload_normal(w, r, k * d, 0.01);
  hb_workload_uniform(w, r, k * d, -0.5f, 0.5f);
  hb_workload_uniform(w, r, k, -0.9f, 0.9f);
  hb_workload_uniform(w, r, d, -0.9f, 0.9f);
}

#endif
