/* The small-d AVX2 bodies (d = D <= 16, a constant after rules-small.h's switch) of the
 * oja/subspace/gha steps, shared by their kernels (oja/subspace/gha-avx2.c) and the fused
 * PCA driver (pca_block/pca_block-avx2.c). A row is two vectors with the lanes past D zero.
 *
 * Every body gives bit for bit the result of the general AVX2 body at the same d: the same
 * FMAs on every lane and the same reductions (the row groups of hb_avx2_wx). What differs is
 * the memory traffic. A masked store forwards to no later load, so a row stored masked by one
 * step and loaded by the next waits for the store to retire (d = 6: 88 ns per GHA step
 * against 50 ns at d = 8); rows in the caller's memory therefore move with exact-width plain
 * loads and stores (hb_avx2_load_short), and rows in the driver's padded scratch with whole
 * vectors. */
#ifndef HEBBIAN_RULES_SMALL_AVX2_H
#define HEBBIAN_RULES_SMALL_AVX2_H

#include "rules-avx2.h"
#include "rules-small.h"

#if HB_BUILD_AVX2

/* Where a row lives: the caller's memory (exactly D floats), or a 32-byte aligned scratch
 * whose lanes past D hold zeros (padded). */
HB_AVX2_INLINE void hb_avx2_row_load(size_t D, bool padded, const float *p, __m256 *v0,
                                     __m256 *v1) {
  if (padded) {
    *v0 = _mm256_load_ps(p);
    *v1 = D > 8 ? _mm256_load_ps(p + 8) : _mm256_setzero_ps();
    return;
  }
  *v0 = D >= 8 ? _mm256_loadu_ps(p) : hb_avx2_load_short(p, D);
  *v1 = D > 8 ? hb_avx2_load_short(p + 8, D - 8) : _mm256_setzero_ps();
}

HB_AVX2_INLINE void hb_avx2_row_store(size_t D, bool padded, float *p, __m256 v0, __m256 v1) {
  if (padded) {
    _mm256_store_ps(p, v0);
    if (D > 8) _mm256_store_ps(p + 8, v1);
    return;
  }
  if (D >= 8)
    _mm256_storeu_ps(p, v0);
  else
    hb_avx2_store_short(p, D, v0);
  if (D > 8) hb_avx2_store_short(p + 8, D - 8, v1);
}

/* sum_j a_j b_j in the order of hb_dot_f32__avx2 and of the dot in hb_oja_step_f32__avx2:
 * whole vectors in one FMA chain, the tail in an accumulator of its own added before the
 * horizontal sum. Both also add two zero accumulators, left out here: their accumulators
 * start at +0, an FMA onto a value that is not -0 never yields -0, so adding +0 changes no
 * bit. */
HB_AVX2_INLINE float hb_avx2_dot_short(size_t D, __m256 a0, __m256 a1, __m256 b0, __m256 b1) {
  __m256 z = _mm256_setzero_ps(), s;
  if (D <= 8)
    s = _mm256_fmadd_ps(a0, b0, z);
  else if (D == 16)
    s = _mm256_fmadd_ps(a1, b1, _mm256_fmadd_ps(a0, b0, z));
  else
    s = _mm256_add_ps(_mm256_fmadd_ps(a0, b0, z), _mm256_fmadd_ps(a1, b1, z));
  return hb_avx2_hsum(s);
}

/* One row of hb_avx2_rows_dot(R, U) at d = D, before its horizontal sum: one FMA chain,
 * except U = 2 at D = 16, which runs the unrolled loop and adds its two accumulators (the
 * zero accumulators are left out, as in hb_avx2_dot_short). The row in registers. */
HB_AVX2_INLINE __m256 hb_avx2_row_dot_regs(size_t D, size_t U, __m256 x0, __m256 x1, __m256 w0,
                                           __m256 w1) {
  const __m256 z = _mm256_setzero_ps();
  if (U == 2 && D == 16) return _mm256_add_ps(_mm256_fmadd_ps(w0, x0, z), _mm256_fmadd_ps(w1, x1, z));
  __m256 a = _mm256_fmadd_ps(w0, x0, z);
  return D > 8 ? _mm256_fmadd_ps(w1, x1, a) : a;
}

HB_AVX2_INLINE __m256 hb_avx2_row_dot_small(size_t D, bool padded, size_t U, __m256 x0,
                                            __m256 x1, const float *w) {
  __m256 w0, w1;
  hb_avx2_row_load(D, padded, w, &w0, &w1);
  return hb_avx2_row_dot_regs(D, U, x0, x1, w0, w1);
}

/* y of eight rows from W, as hb_avx2_wx reduces a group of eight (hsum8), stored to y and
 * returned in one vector. */
HB_AVX2_INLINE __m256 hb_avx2_wx8_small(size_t D, bool padded, __m256 x0, __m256 x1,
                                        const float *W, size_t ldw, float *y) {
  __m256 acc[8];
  for (size_t r = 0; r < 8; r++) acc[r] = hb_avx2_row_dot_small(D, padded, 1, x0, x1, W + r * ldw);
  const __m256 yv = hb_avx2_hsum8(acc);
  _mm256_storeu_ps(y, yv);
  return yv;
}

/* y = W x as hb_avx2_wx groups the rows: eight at a time (hsum8), then four, two and one,
 * or pairs and one when the rows alias (hb_avx2_rows_alias of the caller's ldw). */
HB_AVX2_INLINE void hb_avx2_wx_small(size_t D, bool padded, bool alias, size_t k, __m256 x0,
                                     __m256 x1, const float *W, size_t ldw, float *y) {
  size_t i = 0, four = 0;
  if (!alias) {
    for (; i + 8 <= k; i += 8) hb_avx2_wx8_small(D, padded, x0, x1, W + i * ldw, ldw, y + i);
    four = k - i >= 4 ? i + 4 : i;
  }
  for (; i < k; i++)
    y[i] = hb_avx2_hsum(hb_avx2_row_dot_small(D, padded, i < four ? 2 : 4, x0, x1, W + i * ldw));
}

/* Oja:  y = w.x;  w += eta y (x - y w). */
HB_AVX2_INLINE float hb_avx2_oja_small(size_t D, bool padded, float eta, __m256 x0, __m256 x1,
                                       float *w) {
  __m256 w0, w1;
  hb_avx2_row_load(D, padded, w, &w0, &w1);
  float y = hb_avx2_dot_short(D, w0, w1, x0, x1);
  __m256 yv = _mm256_set1_ps(y), ev = _mm256_set1_ps(eta * y);
  hb_avx2_row_store(D, padded, w, _mm256_fmadd_ps(ev, _mm256_fnmadd_ps(yv, w0, x0), w0),
                    _mm256_fmadd_ps(ev, _mm256_fnmadd_ps(yv, w1, x1), w1));
  return y;
}

/* Subspace:  r = x - sum_i y_i W_i (old W), then W_i += (eta y_i) r. */
HB_AVX2_INLINE void hb_avx2_subspace_small(size_t D, bool padded, bool alias, size_t k,
                                           const float *eta, __m256 x0, __m256 x1, float *W,
                                           size_t ldw, float *y) {
  hb_avx2_wx_small(D, padded, alias, k, x0, x1, W, ldw, y);
  __m256 r0 = x0, r1 = x1;
  for (size_t i = 0; i < k; i++) {
    __m256 w0, w1, yi = _mm256_set1_ps(y[i]);
    hb_avx2_row_load(D, padded, W + i * ldw, &w0, &w1);
    r0 = _mm256_fnmadd_ps(yi, w0, r0);
    r1 = _mm256_fnmadd_ps(yi, w1, r1);
  }
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    __m256 w0, w1, ei = _mm256_set1_ps(eta[i] * y[i]);
    hb_avx2_row_load(D, padded, w, &w0, &w1);
    hb_avx2_row_store(D, padded, w, _mm256_fmadd_ps(ei, r0, w0), _mm256_fmadd_ps(ei, r1, w1));
  }
}

/* One row of the GHA sweep in registers: r -= y_i W_i;  W_i += (eta_i y_i) r  (old W_i), with
 * yi = y_i and ei = eta_i y_i broadcast. */
HB_AVX2_INLINE void hb_avx2_gha_row(__m256 yi, __m256 ei, __m256 *r0, __m256 *r1, __m256 *w0,
                                    __m256 *w1) {
  *r0 = _mm256_fnmadd_ps(yi, *w0, *r0);
  *r1 = _mm256_fnmadd_ps(yi, *w1, *r1);
  *w0 = _mm256_fmadd_ps(ei, *r0, *w0);
  *w1 = _mm256_fmadd_ps(ei, *r1, *w1);
}

/* A row at d = D <= 8 as two 4-lane halves, lanes 0-3 and 4-7 (hi zero at D <= 4), for the
 * GHA step: the 8-lane body's FMAs lane by lane and hb_avx2_hsum's additions, so the same
 * bits. Between one step's update of a row and the next step's dot product of it, the 8-lane
 * vector went through an extract (for the store of lanes 4-7), the store-to-load forwarding,
 * an insert (to rejoin the two loads) and the hsum's extract; in halves only the forwarding
 * is left on that dependency chain. d = 6, k = 3 (`bash Scripts/imu-modes.sh`): the step in a
 * C loop 11.5 -> 9.6 ns, 1.47x -> 1.31x its chain (7.8 -> 7.3 ns: the chain in halves too). */
typedef struct {
  __m128 lo, hi;
} hb_avx2_halves;

HB_AVX2_INLINE hb_avx2_halves hb_avx2_halves_load(size_t D, bool padded, const float *p) {
  hb_avx2_halves v = {_mm_setzero_ps(), _mm_setzero_ps()};
  if (padded) {
    v.lo = _mm_load_ps(p);
    if (D > 4) v.hi = _mm_load_ps(p + 4);
    return v;
  }
  v.lo = hb_sse_load_short(p, D < 4 ? D : 4);
  if (D > 4) v.hi = hb_sse_load_short(p + 4, D - 4);
  return v;
}

HB_AVX2_INLINE void hb_avx2_halves_store(size_t D, bool padded, float *p, hb_avx2_halves v) {
  if (padded) {
    _mm_store_ps(p, v.lo);
    if (D > 4) _mm_store_ps(p + 4, v.hi);
    return;
  }
  hb_sse_store_short(p, D < 4 ? D : 4, v.lo);
  if (D > 4) hb_sse_store_short(p + 4, D - 4, v.hi);
}

/* w.x as hb_avx2_dot_short at D <= 8: the halves' products added where hb_avx2_hsum adds a
 * vector's halves. At D <= 4 that addition of +0 is left out (see hb_avx2_dot_short). */
HB_AVX2_INLINE float hb_avx2_halves_dot(size_t D, hb_avx2_halves x, hb_avx2_halves w) {
  const __m128 z = _mm_setzero_ps();
  __m128 s = _mm_fmadd_ps(w.lo, x.lo, z);
  if (D > 4) s = _mm_add_ps(s, _mm_fmadd_ps(w.hi, x.hi, z));
  return hb_sse_hsum(s);
}

/* hb_avx2_gha_row on halves: r -= y_i W_i;  W_i += e_i r. */
HB_AVX2_INLINE void hb_avx2_halves_gha_row(size_t D, float yi, float ei, hb_avx2_halves *r,
                                           hb_avx2_halves *w) {
  const __m128 yb = _mm_set1_ps(yi), eb = _mm_set1_ps(ei);
  r->lo = _mm_fnmadd_ps(yb, w->lo, r->lo);
  w->lo = _mm_fmadd_ps(eb, r->lo, w->lo);
  if (D <= 4) return;
  r->hi = _mm_fnmadd_ps(yb, w->hi, r->hi);
  w->hi = _mm_fmadd_ps(eb, r->hi, w->hi);
}

/* The step of one row at D <= 8, W_i in registers: y_i, then the row's update. */
HB_AVX2_INLINE float hb_avx2_halves_gha_step(size_t D, float eta, hb_avx2_halves x,
                                             hb_avx2_halves *r, hb_avx2_halves *w) {
  const float yi = hb_avx2_halves_dot(D, x, *w);
  hb_avx2_halves_gha_row(D, yi, eta * yi, r, w);
  return yi;
}

/* The same row in memory. */
HB_AVX2_INLINE void hb_avx2_gha_row_small(size_t D, bool padded, __m256 yi, float ei,
                                          __m256 *r0, __m256 *r1, float *w) {
  __m256 w0, w1;
  hb_avx2_row_load(D, padded, w, &w0, &w1);
  hb_avx2_gha_row(yi, _mm256_set1_ps(ei), r0, r1, &w0, &w1);
  hb_avx2_row_store(D, padded, w, w0, w1);
}

/* v with lane i (0-7) set to a. */
HB_AVX2_INLINE __m256 hb_avx2_lane_set(__m256 v, size_t i, float a) {
  const __m256i lane =
      _mm256_cmpeq_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32((int)i));
  return _mm256_blendv_ps(v, _mm256_set1_ps(a), _mm256_castsi256_ps(lane));
}

/* GHA: r = x, then row by row  r -= y_i W_i ;  W_i += (eta y_i) r  (old W_i). Row i's y_i
 * needs only row i, so each group of rows (hb_avx2_wx_small's) is reduced right before its
 * sweep and y_i goes from the reduction to the sweep in a register: written to y for the
 * caller, never read back. A round trip through y (which may alias W, so every read follows
 * the row stores) put a store-to-load forwarding on the step's dependency chain. With yv (a
 * constant NULL in the kernels) y's rows 0-7 also come back in one register, lanes past k
 * left as they were: read back from y as a vector they would wait for the scalar stores to
 * retire (a load that spans several stores is not forwarded). */
HB_AVX2_INLINE void hb_avx2_gha_small(size_t D, bool padded, bool alias, size_t k, const float *eta,
                                      __m256 x0, __m256 x1, float *W, size_t ldw, float *y,
                                      __m256 *yv) {
  __m256 r0 = x0, r1 = x1;
  size_t i = 0, four = 0;
  if (!alias) {
    for (; i + 8 <= k; i += 8) {
      const __m256 y8 = hb_avx2_wx8_small(D, padded, x0, x1, W + i * ldw, ldw, y + i);
      float yl[8];
      _mm256_storeu_ps(yl, y8);
      for (size_t r = 0; r < 8; r++)
        hb_avx2_gha_row_small(D, padded, _mm256_permutevar8x32_ps(y8, _mm256_set1_epi32((int)r)),
                              eta[i + r] * yl[r], &r0, &r1, W + (i + r) * ldw);
      if (yv && i == 0) *yv = y8;
    }
    four = k - i >= 4 ? i + 4 : i;
  }
  const hb_avx2_halves xh = {_mm256_castps256_ps128(x0), _mm256_extractf128_ps(x0, 1)};
  hb_avx2_halves rh = {_mm256_castps256_ps128(r0), _mm256_extractf128_ps(r0, 1)};
  for (; i < k; i++) {
    /* The row is loaded once: its dot product and its update read the same registers. */
    float *w = W + i * ldw, yi;
    if (D <= 8) {
      hb_avx2_halves wh = hb_avx2_halves_load(D, padded, w);
      yi = hb_avx2_halves_gha_step(D, eta[i], xh, &rh, &wh);
      hb_avx2_halves_store(D, padded, w, wh);
    } else {
      __m256 w0, w1;
      hb_avx2_row_load(D, padded, w, &w0, &w1);
      yi = hb_avx2_hsum(hb_avx2_row_dot_regs(D, i < four ? 2 : 4, x0, x1, w0, w1));
      hb_avx2_gha_row(_mm256_set1_ps(yi), _mm256_set1_ps(eta[i] * yi), &r0, &r1, &w0, &w1);
      hb_avx2_row_store(D, padded, w, w0, w1);
    }
    y[i] = yi;
    if (yv && i < 8) *yv = hb_avx2_lane_set(*yv, i, yi);
  }
}

/* The k-neuron rules with a small-d body; a constant in every call. */
typedef enum { HB_AVX2_SUBSPACE, HB_AVX2_GHA } hb_avx2_k_rule;

/* The small-d body of a k-neuron step at d = D: rows in the caller's memory. */
HB_AVX2_INLINE void hb_avx2_k_rule_at(hb_avx2_k_rule rule, size_t D, size_t k, const float *eta,
                                      const float *x, float *W, size_t ldw, float *y) {
  const bool alias = hb_avx2_rows_alias(ldw);
  __m256 x0, x1;
  hb_avx2_row_load(D, false, x, &x0, &x1);
  if (rule == HB_AVX2_GHA)
    hb_avx2_gha_small(D, false, alias, k, eta, x0, x1, W, ldw, y, NULL);
  else
    hb_avx2_subspace_small(D, false, alias, k, eta, x0, x1, W, ldw, y);
}

/* The small-d bodies of a rule as one function per d, name##_1 ... name##_16, and name(k, d,
 * eta, x, W, ldw, y) choosing among them. A function per d saves only the registers its own
 * body needs (one function for all sixteen saved six on every step), and with d left out
 * every argument travels in a register, so the entry reaches the body by a tail jump. Below
 * k = 8 a second instance, name##_D_few, leaves out the groups of eight rows, whose row
 * offsets took the registers that made even a 3-row step save six. */
#define HB_AVX2_K_RULE_SMALL_AT(name, rule, D)                                               \
  HB_AVX2 __attribute__((noinline)) static void name##_##D(                                  \
      size_t k, const float *eta, const float *x, float *W, size_t ldw, float *y) {          \
    hb_avx2_k_rule_at(rule, D, k, eta, x, W, ldw, y);                                        \
  }                                                                                          \
  HB_AVX2 __attribute__((noinline)) static void name##_##D##_few(                            \
      size_t k, const float *eta, const float *x, float *W, size_t ldw, float *y) {          \
    if (k >= 8) __builtin_unreachable();                                                     \
    hb_avx2_k_rule_at(rule, D, k, eta, x, W, ldw, y);                                        \
  }
#define HB_AVX2_K_RULE_CALL(name, D)                                                         \
  (k < 8 ? name##_##D##_few : name##_##D)(k, eta, x, W, ldw, y)
#define HB_AVX2_K_RULE_SMALL(name, rule)                                                     \
  HB_AVX2_K_RULE_SMALL_AT(name, rule, 1) HB_AVX2_K_RULE_SMALL_AT(name, rule, 2)              \
  HB_AVX2_K_RULE_SMALL_AT(name, rule, 3) HB_AVX2_K_RULE_SMALL_AT(name, rule, 4)              \
  HB_AVX2_K_RULE_SMALL_AT(name, rule, 5) HB_AVX2_K_RULE_SMALL_AT(name, rule, 6)              \
  HB_AVX2_K_RULE_SMALL_AT(name, rule, 7) HB_AVX2_K_RULE_SMALL_AT(name, rule, 8)              \
  HB_AVX2_K_RULE_SMALL_AT(name, rule, 9) HB_AVX2_K_RULE_SMALL_AT(name, rule, 10)             \
  HB_AVX2_K_RULE_SMALL_AT(name, rule, 11) HB_AVX2_K_RULE_SMALL_AT(name, rule, 12)            \
  HB_AVX2_K_RULE_SMALL_AT(name, rule, 13) HB_AVX2_K_RULE_SMALL_AT(name, rule, 14)            \
  HB_AVX2_K_RULE_SMALL_AT(name, rule, 15) HB_AVX2_K_RULE_SMALL_AT(name, rule, 16)            \
  HB_AVX2_INLINE void name(size_t k, size_t d, const float *eta, const float *x, float *W,   \
                           size_t ldw, float *y) {                                           \
    switch (d) {                                                                             \
    case 1: HB_AVX2_K_RULE_CALL(name, 1); break;                                             \
    case 2: HB_AVX2_K_RULE_CALL(name, 2); break;                                             \
    case 3: HB_AVX2_K_RULE_CALL(name, 3); break;                                             \
    case 4: HB_AVX2_K_RULE_CALL(name, 4); break;                                             \
    case 5: HB_AVX2_K_RULE_CALL(name, 5); break;                                             \
    case 6: HB_AVX2_K_RULE_CALL(name, 6); break;                                             \
    case 7: HB_AVX2_K_RULE_CALL(name, 7); break;                                             \
    case 8: HB_AVX2_K_RULE_CALL(name, 8); break;                                             \
    case 9: HB_AVX2_K_RULE_CALL(name, 9); break;                                             \
    case 10: HB_AVX2_K_RULE_CALL(name, 10); break;                                           \
    case 11: HB_AVX2_K_RULE_CALL(name, 11); break;                                           \
    case 12: HB_AVX2_K_RULE_CALL(name, 12); break;                                           \
    case 13: HB_AVX2_K_RULE_CALL(name, 13); break;                                           \
    case 14: HB_AVX2_K_RULE_CALL(name, 14); break;                                           \
    case 15: HB_AVX2_K_RULE_CALL(name, 15); break;                                           \
    default: HB_AVX2_K_RULE_CALL(name, 16); break;                                           \
    }                                                                                        \
  }

/* The step of a k-neuron rule: small(k, d, eta, x, W, ldw, y) at d <= 16, else large(...)
 * (HB_AVX2_K_RULE_LARGE). Both are functions of their own, not inlined: the entry is then
 * two tail jumps, and the callee-saved registers and the aligned frame of the large-d paths
 * are set up on those paths only, not on every IMU-sized step. */
#define HB_AVX2_K_RULE_STEP(small, large, k, d, eta, x, W, ldw, y)                           \
  do {                                                                                       \
    if ((k) == 0) break;                                                                     \
    if ((d) >= 1 && (d) <= HB_SMALL_D_MAX)                                                   \
      small(k, d, eta, x, W, ldw, y);                                                        \
    else                                                                                     \
      large(k, d, eta, x, W, ldw, y);                                                        \
  } while (0)

/* The step at d > 16: pass 1 (y = W x), then rows(k, d, eta, x, W, ldw, y) when the rows
 * alias 4 KiB, else the column panels. */
/* A W of this many floats (1 MiB) or more outgrows the L2 of the cores measured: there GHA's
 * row path, W read in 16 KiB runs per row, beat its column panels whatever ldw, with the same
 * bits (the same operations per element, in the same row order). GHA at d = 1000, 2040, 4000
 * and 16320, W 1-64 MiB: 1.07-1.9x (`hebbian bench --dim D --components K`), and the roofline
 * at d = 16320 43 % -> 69 % of the reference. The subspace rule's row path was not faster
 * (d = 16320, k = 136: 1.25x slower), so it keeps its panels. */
#define HB_AVX2_ROWS_BIG_W ((size_t)1 << 18)

/* big_rows: take the row path for every W of HB_AVX2_ROWS_BIG_W floats or more, not only for
 * rows that alias. */
#define HB_AVX2_K_RULE_LARGE(rows, panel, big_rows, k, d, eta, x, W, ldw, y)                 \
  do {                                                                                       \
    hb_avx2_wx(k, d, x, W, ldw, y);                                                          \
    if (hb_avx2_rows_alias(ldw) || ((big_rows) && (size_t)(k) * (ldw) >= HB_AVX2_ROWS_BIG_W)) \
      rows(k, d, eta, x, W, ldw, y);                                                         \
    else                                                                                     \
      HB_AVX2_SWEEP_PANELS(HB_AVX2_PANEL_FROM_X, d, panel, k, eta, x, W, ldw, y);            \
  } while (0)

#endif
#endif
