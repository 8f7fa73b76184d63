/* Shared by the AVX2 rule steps (oja/subspace/gha-avx2.c) only: pass 1, y = W x, the
 * 4 KiB-alias test and the panel-width dispatcher (tail masks and sums are in simd-avx2.h).
 * Every function is inlined into an HB_AVX2 body. */
#ifndef HEBBIAN_RULES_AVX2_H
#define HEBBIAN_RULES_AVX2_H

#include "internal.h"

#if HB_BUILD_AVX2
#include "simd-avx2.h"
#include "rules-small.h"

/* y[0..R) = W[0..R) x for R rows, with R*U = 8 independent accumulators: two FMA ports of
 * latency 4 need 8 chains in flight. Each x vector is loaded once for R rows, so the loop
 * issues R+1 loads per R FMAs. R and U are constants after inlining. */
HB_AVX2_INLINE void hb_avx2_rows_dot(size_t R, size_t U, size_t d, const float *x,
                                     const float *W, size_t ldw, float *y) {
  __m256 acc[8];
  for (size_t a = 0; a < 8; a++) acc[a] = _mm256_setzero_ps();
  size_t j = 0;
  /* At U = 1 the next loop is this one; leaving it to that loop spares the eight row addresses
   * recomputed per vector (and a reload of d) that clang emitted here for R = 8. */
  for (; U > 1 && j + 8 * U <= d; j += 8 * U) {
    for (size_t u = 0; u < U; u++) {
      __m256 xv = _mm256_loadu_ps(x + j + 8 * u);
      for (size_t r = 0; r < R; r++)
        acc[r * U + u] = _mm256_fmadd_ps(_mm256_loadu_ps(W + r * ldw + j + 8 * u), xv, acc[r * U + u]);
    }
  }
  for (; j + 8 <= d; j += 8) {
    __m256 xv = _mm256_loadu_ps(x + j);
    for (size_t r = 0; r < R; r++)
      acc[r * U] = _mm256_fmadd_ps(_mm256_loadu_ps(W + r * ldw + j), xv, acc[r * U]);
  }
  if (j < d) {
    __m256i m = hb_avx2_tail_mask(d - j);
    __m256 xv = _mm256_maskload_ps(x + j, m);
    for (size_t r = 0; r < R; r++)
      acc[r * U] = _mm256_fmadd_ps(_mm256_maskload_ps(W + r * ldw + j, m), xv, acc[r * U]);
  }
  if (R == 8) {
    _mm256_storeu_ps(y, hb_avx2_hsum8(acc));
  } else {
    for (size_t r = 0; r < R; r++) {
      __m256 s = acc[r * U];
      for (size_t u = 1; u < U; u++) s = _mm256_add_ps(s, acc[r * U + u]);
      y[r] = hb_avx2_hsum(s);
    }
  }
}

/* Pass 1 of the k-neuron rules: y = W x, eight rows at a time (2kd flop, W read once).
 * When a row is a multiple of 4 KiB (ldw % 1024 == 0) every row's element j falls in the same
 * L1 set: eight row streams plus x overflow the 8 ways and the loads miss. Two rows at a time
 * (three streams) avoid that at the cost of one more x load per two FMAs; measured about
 * 1.4x faster than eight rows at d = 1024, k = 32. */
HB_AVX2_INLINE void hb_avx2_wx(size_t k, size_t d, const float *x, const float *W, size_t ldw,
                               float *y) {
  if (ldw % 1024 == 0) {
    size_t i = 0;
    for (; i + 2 <= k; i += 2) hb_avx2_rows_dot(2, 4, d, x, W + i * ldw, ldw, y + i);
    if (i < k) hb_avx2_rows_dot(1, 8, d, x, W + i * ldw, ldw, y + i);
    return;
  }
  HB_WX_ROW_GROUPS(hb_avx2_rows_dot, k, d, x, W, ldw, y);
}

/* Rows that are a multiple of 4 KiB (ldw % 1024 == 0) put every row's column j in the same
 * L1 set and make a store to row i look like it may feed the load of row i+1 at the same
 * page offset (4K aliasing). The column-panel sweeps then stall; sweeping row by row over a
 * residual chunk on the stack avoids both and measured 1.2-2.2x faster at d = 1024-2048,
 * k = 32 (it is slower otherwise while W is in cache: the residual makes a round trip through
 * L1 per group of rows; GHA takes it for a W out of L2 too, HB_AVX2_ROWS_BIG_W).
 * The chunk (16 KiB of residual, in L1) is long so that a W streamed from DRAM is read in
 * 16 KiB runs per row, which the hardware prefetchers follow: 4096 instead of 512 columns
 * took GHA at d = 16384, W = 600 MiB from 46-62 % to 57-73 % of memcpy bandwidth
 * (`hebbian bench --roofline`, best of 5, four runs each, shared machine); d = 2048, k = 32
 * unchanged. */
#define HB_AVX2_ROW_CHUNK 4096

HB_AVX2_INLINE bool hb_avx2_rows_alias(size_t ldw) { return ldw % 1024 == 0; }

/* The row path's driver: x copied chunk by chunk into an aligned residual on the stack, then
 * chunk(k, n, nv, m, eta, r, W + c0, ldw, y) sweeps the chunk's n columns (nv whole vectors,
 * then the masked tail m) row by row. */
#define HB_AVX2_ROW_CHUNKS(chunk, k, d, eta, x, W, ldw, y)                                   \
  do {                                                                                       \
    float r_[HB_AVX2_ROW_CHUNK] __attribute__((aligned(32)));                                \
    for (size_t c0_ = 0; c0_ < (d); c0_ += HB_AVX2_ROW_CHUNK) {                              \
      const size_t n_ = (d) - c0_ < HB_AVX2_ROW_CHUNK ? (d) - c0_ : HB_AVX2_ROW_CHUNK;       \
      const size_t nv_ = n_ & ~(size_t)7;                                                    \
      for (size_t j_ = 0; j_ < n_; j_++) r_[j_] = (x)[c0_ + j_];                             \
      chunk(k, n_, nv_, hb_avx2_tail_mask(n_ - nv_), eta, r_, (W) + c0_, ldw, y);            \
    }                                                                                        \
  } while (0)

/* The column sweep of a k-neuron rule, written once for every rule: panels of 8 vectors
 * (64 columns), then one panel of the remaining whole vectors plus the masked tail. Each call
 * names its vector count as a constant, so after inlining the panel's residual lives in
 * registers. panel(nv, ARGS..., j, tail) sweeps columns [j, j + 8 nv + tail). */
#define HB_AVX2_SWEEP_PANELS(panel, d, ...)                                                  \
  do {                                                                                       \
    size_t j_ = 0;                                                                           \
    for (; j_ + 64 <= (d); j_ += 64) panel(8, __VA_ARGS__, j_, 0);                           \
    size_t rest_ = (d) - j_, tail_ = rest_ % 8;                                              \
    switch (rest_ / 8) {                                                                     \
    case 0: if (tail_) panel(0, __VA_ARGS__, j_, tail_); break;                              \
    case 1: panel(1, __VA_ARGS__, j_, tail_); break;                                         \
    case 2: panel(2, __VA_ARGS__, j_, tail_); break;                                         \
    case 3: panel(3, __VA_ARGS__, j_, tail_); break;                                         \
    case 4: panel(4, __VA_ARGS__, j_, tail_); break;                                         \
    case 5: panel(5, __VA_ARGS__, j_, tail_); break;                                         \
    case 6: panel(6, __VA_ARGS__, j_, tail_); break;                                         \
    default: panel(7, __VA_ARGS__, j_, tail_); break;                                        \
    }                                                                                        \
  } while (0)

/* Every rule's panel starts from r = x over its columns: loaded here, so that
 * panel(nb, tail, m, r, k, eta, W + j, ldw, y) gets the nb + (tail != 0) residual vectors and
 * the tail's mask. HB_AVX2_SWEEP_PANELS(HB_AVX2_PANEL_FROM_X, d, panel, k, eta, x, W, ldw, y)
 * sweeps a rule. */
HB_AVX2_INLINE __m256i hb_avx2_panel_residual(size_t nb, size_t tail, const float *x, __m256 *r) {
  const __m256i m = hb_avx2_tail_mask(tail);
  for (size_t v = 0; v < nb; v++) r[v] = _mm256_loadu_ps(x + 8 * v);
  if (tail) r[nb] = _mm256_maskload_ps(x + 8 * nb, m);
  return m;
}
#define HB_AVX2_PANEL_FROM_X(nb, panel, k, eta, x, W, ldw, y, j, tail)                       \
  do {                                                                                       \
    __m256 r_[9];                                                                            \
    const __m256i m_ = hb_avx2_panel_residual(nb, tail, (x) + (j), r_);                      \
    panel(nb, tail, m_, r_, k, eta, (W) + (j), ldw, y);                                      \
  } while (0)

#endif
#endif
