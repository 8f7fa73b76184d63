/* Shared by the NEON rule steps (oja/subspace/gha-neon.c) only: pass 1, y = W x, and the
 * panel-width dispatcher (the horizontal sums are in simd-neon.h). Written for both AArch64
 * and ARMv7 with VFPv4 (no AArch64-only intrinsics outside a guard). Column tails are
 * scalar: NEON has no masked loads. */
#ifndef HEBBIAN_RULES_NEON_H
#define HEBBIAN_RULES_NEON_H

#include "internal.h"

#if HB_BUILD_NEON
#include "simd-neon.h"
#include "rules-small.h"

/* Residual vectors kept in registers per column panel: AArch64 has 32 Q registers, ARMv7 16
 * (which also hold the loaded W values and the broadcasts). */
#if defined(__aarch64__)
#define HB_NEON_PANEL 8
#else
#define HB_NEON_PANEL 4
#endif

/* A row's coefficients are lanes of a vector that holds four rows' (y, or eta y), so a row's
 * multiply-adds read their scalar from a lane: no scalar VFP load or multiply and no VDUP
 * per row. AArch64 has by-element FMLA/FMLS/FMUL; ARMv7 has no fused by-scalar form, so a
 * VDUP from the lane feeds the vector one. l is a constant. */
#if defined(__aarch64__)
#define HB_NEON_FMA_LANE(a, b, v, l) vfmaq_laneq_f32(a, b, v, l)
#define HB_NEON_FMS_LANE(a, b, v, l) vfmsq_laneq_f32(a, b, v, l)
#define HB_NEON_MUL_LANE(b, v, l) vmulq_laneq_f32(b, v, l)
#else
#define HB_NEON_LANE(v, l) vdupq_lane_f32((l) < 2 ? vget_low_f32(v) : vget_high_f32(v), (l) & 1)
#define HB_NEON_FMA_LANE(a, b, v, l) vfmaq_f32(a, b, HB_NEON_LANE(v, l))
#define HB_NEON_FMS_LANE(a, b, v, l) vfmsq_f32(a, b, HB_NEON_LANE(v, l))
#define HB_NEON_MUL_LANE(b, v, l) vmulq_f32(b, HB_NEON_LANE(v, l))
#endif

/* For a step whose row sweeps are written in the order an in-order core should issue them:
 * gcc's scheduling before register allocation hoists each row's residual multiply-add above
 * the previous row's update, which then reads a copy of the old residual (a MOV per vector
 * and row, on the residual's chain); the scheduling after allocation still runs. */
#if defined(__GNUC__) && !defined(__clang__)
#define HB_NEON_AS_WRITTEN __attribute__((optimize("no-schedule-insns")))
#else
#define HB_NEON_AS_WRITTEN
#endif

/* An empty asm with v[0..n) as operands: every instruction that computes them issues before
 * it and every one that reads them after. It keeps the phases of a loop body (loads,
 * arithmetic, stores) apart against gcc's scheduling, which interleaves them for an
 * out-of-order core: an in-order one (llvm-mca's Cortex-A53) issues nothing that would write
 * back before an earlier multiply-add, so a load or store placed after one waits for it. */
#define HB_NEON_FENCE_N(v, n)                                                                \
  _Pragma("GCC unroll 8") for (size_t f_ = 0; f_ < (n); f_++) __asm__ volatile("" : "+w"((v)[f_]))

/* The coefficients of rows [i, i + n), n <= 4: y and eta y (rounded as eta[i] * y[i] is),
 * lanes past n zero. eta y is one vector multiply per four rows. */
typedef struct {
  float32x4_t y, ey;
} hb_neon_coefs;
HB_NEON_INLINE hb_neon_coefs hb_neon_coefs_at(size_t n, const float *eta, const float *y) {
  hb_neon_coefs c;
  c.y = n >= 4 ? vld1q_f32(y) : hb_neon_load_part(y, n);
  c.ey = vmulq_f32(n >= 4 ? vld1q_f32(eta) : hb_neon_load_part(eta, n), c.y);
  return c;
}

/* Rows w, w + ldw, w + 2 ldw, w + 3 ldw, nb vectors each, into a0..a3: a group's loads, all
 * issued before the first is used. */
#define HB_NEON_LOAD_ROWS4(nb, a0, a1, a2, a3, w, ldw)                                        \
  for (size_t v_ = 0; v_ < (nb); v_++) {                                                     \
    (a0)[v_] = vld1q_f32((w) + 4 * v_);                                                      \
    (a1)[v_] = vld1q_f32((w) + (ldw) + 4 * v_);                                              \
    (a2)[v_] = vld1q_f32((w) + 2 * (ldw) + 4 * v_);                                          \
    (a3)[v_] = vld1q_f32((w) + 3 * (ldw) + 4 * v_);                                          \
  }

/* y[0..R) = W[0..R) x for R rows with R*U = 8 accumulators (FMA latency x issue width on
 * Cortex-A72/A76 class cores); each x vector is loaded once for R rows. */
HB_NEON_INLINE void hb_neon_rows_dot(size_t R, size_t U, size_t d, const float *x,
                                     const float *W, size_t ldw, float *y) {
  float32x4_t acc[8];
  for (size_t a = 0; a < 8; a++) acc[a] = vdupq_n_f32(0.0f);
  size_t j = 0;
  for (; j + 4 * U <= d; j += 4 * U) {
    for (size_t u = 0; u < U; u++) {
      float32x4_t xv = vld1q_f32(x + j + 4 * u);
      for (size_t r = 0; r < R; r++)
        acc[r * U + u] = vfmaq_f32(acc[r * U + u], vld1q_f32(W + r * ldw + j + 4 * u), xv);
    }
  }
  /* Fewer than U vectors are left: each into its own accumulator, straight-line, so that
   * no FMA waits on the one before (a loop here was one accumulator's latency chain, 8x
   * the pipe bound on an in-order Cortex-A53). */
#pragma GCC unroll 8
  for (size_t u = 0; u + 1 < U; u++) {
    if (j + 4 > d) break;
    float32x4_t xv = vld1q_f32(x + j);
    for (size_t r = 0; r < R; r++)
      acc[r * U + u] = vfmaq_f32(acc[r * U + u], vld1q_f32(W + r * ldw + j), xv);
    j += 4;
  }
  /* Unrolled like the loops above: a rolled loop indexes acc[] at run time, which puts
   * all eight accumulators on the stack and stores them in every iteration of the main
   * loop. */
#pragma GCC unroll 8
  for (size_t r = 0; r < R; r++) {
    float32x4_t s = acc[r * U];
#pragma GCC unroll 8
    for (size_t u = 1; u < U; u++) s = vaddq_f32(s, acc[r * U + u]);
    float t = hb_neon_hsum(s);
    for (size_t c = 0; c < d % 4; c++) t += W[r * ldw + j + c] * x[j + c];
    y[r] = t;
  }
}

/* Pass 1 of the k-neuron rules: y = W x (2kd flop, W read once). */
HB_NEON_INLINE void hb_neon_wx(size_t k, size_t d, const float *x, const float *W, size_t ldw,
                               float *y) {
  HB_WX_ROW_GROUPS(hb_neon_rows_dot, k, d, x, W, ldw, y);
}

/* The column sweep of a k-neuron rule, written once for every rule: panels of HB_NEON_PANEL
 * vectors, then one panel of the remaining whole vectors (a constant count in each call, so
 * the residual stays in registers). panel(nv, ARGS..., j) sweeps columns [j, j + 4 nv); the
 * last d mod 4 columns are the caller's. */
#if HB_NEON_PANEL > 4
#define HB_NEON_PANEL_REST(panel, j, ...)                                                    \
  case 3: panel(3, __VA_ARGS__, j); break;                                                   \
  case 4: panel(4, __VA_ARGS__, j); break;                                                   \
  case 5: panel(5, __VA_ARGS__, j); break;                                                   \
  case 6: panel(6, __VA_ARGS__, j); break;                                                   \
  default: panel(7, __VA_ARGS__, j); break;
#else
#define HB_NEON_PANEL_REST(panel, j, ...) default: panel(3, __VA_ARGS__, j); break;
#endif
#define HB_NEON_SWEEP_PANELS(panel, d, ...)                                                  \
  do {                                                                                       \
    size_t j_ = 0;                                                                           \
    for (; j_ + 4 * HB_NEON_PANEL <= (d); j_ += 4 * HB_NEON_PANEL)                           \
      panel(HB_NEON_PANEL, __VA_ARGS__, j_);                                                 \
    switch (((d) - j_) / 4) {                                                                \
    case 0: break;                                                                           \
    case 1: panel(1, __VA_ARGS__, j_); break;                                                \
    case 2: panel(2, __VA_ARGS__, j_); break;                                                \
    HB_NEON_PANEL_REST(panel, j_, __VA_ARGS__)                                               \
    }                                                                                        \
  } while (0)

/* Every rule's panel starts from r = x over its columns: loaded here, so that
 * panel(nb, r, k, eta, W + j, ldw, y) gets the nb residual vectors. By value: a panel that
 * updated the caller's array through a pointer kept some of it in memory (gcc, nb = 3..7). */
typedef struct {
  float32x4_t v[HB_NEON_PANEL];
} hb_neon_residual;
HB_NEON_INLINE hb_neon_residual hb_neon_panel_residual(size_t nb, const float *x) {
  hb_neon_residual r;
  for (size_t v = 0; v < nb; v++) r.v[v] = vld1q_f32(x + 4 * v);
  return r;
}
/* Vectors [v0, v0 + n) of r, as the residual of a panel of n vectors: the k-neuron rules'
 * columns are independent, so a panel may go as narrower ones side by side. */
HB_NEON_INLINE hb_neon_residual hb_neon_residual_part(hb_neon_residual r, size_t v0, size_t n) {
  hb_neon_residual p;
  for (size_t v = 0; v < n; v++) p.v[v] = r.v[v0 + v];
  return p;
}
#define HB_NEON_PANEL_FROM_X(nb, panel, k, eta, x, W, ldw, y, j)                             \
  panel(nb, hb_neon_panel_residual(nb, (x) + (j)), k, eta, (W) + (j), ldw, y)

/* The step of a k-neuron rule: pass 1 (y = W x), the column panels, then
 * column(k, c, eta, x, W, ldw, y) for each of the last d mod 4 columns. */
#define HB_NEON_K_RULE_STEP(panel, column, k, d, eta, x, W, ldw, y)                          \
  do {                                                                                       \
    if ((k) == 0) break;                                                                     \
    hb_neon_wx(k, d, x, W, ldw, y);                                                          \
    HB_NEON_SWEEP_PANELS(HB_NEON_PANEL_FROM_X, d, panel, k, eta, x, W, ldw, y);              \
    for (size_t c_ = (d) & ~(size_t)3; c_ < (d); c_++) column(k, c_, eta, x, W, ldw, y);     \
  } while (0)

#endif
#endif
