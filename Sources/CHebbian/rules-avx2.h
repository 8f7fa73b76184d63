/* Shared by the AVX2 rule steps (oja/subspace/gha-avx2.c) only: the masked column tail, the
 * horizontal sums and pass 1, y = W x. Every function is inlined into an HB_AVX2 body. */
#ifndef HEBBIAN_RULES_AVX2_H
#define HEBBIAN_RULES_AVX2_H

#include "internal.h"

#if HB_BUILD_AVX2
#include <immintrin.h>

#define HB_AVX2_INLINE static inline __attribute__((always_inline)) HB_AVX2

/* A window of 8 lanes into this table gives the mask of the first n lanes (0 <= n <= 8).
 * vmaskmov never touches masked-out lanes, so tails may end at any address. */
static const int32_t hb_avx2_mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                               0,  0,  0,  0,  0,  0,  0,  0};

HB_AVX2_INLINE __m256i hb_avx2_first_lanes(size_t n) {
  return _mm256_loadu_si256((const __m256i *)(hb_avx2_mask_table + 8 - n));
}

HB_AVX2_INLINE float hb_avx2_hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

/* The eight lane sums of a[0..8) as one vector: two levels of hadd pair the rows, the last
 * add folds the 128-bit halves. ~10 instructions instead of eight separate reductions. */
HB_AVX2_INLINE __m256 hb_avx2_hsum8(const __m256 *a) {
  __m256 t0 = _mm256_hadd_ps(a[0], a[1]), t1 = _mm256_hadd_ps(a[2], a[3]);
  __m256 t2 = _mm256_hadd_ps(a[4], a[5]), t3 = _mm256_hadd_ps(a[6], a[7]);
  __m256 u0 = _mm256_hadd_ps(t0, t1), u1 = _mm256_hadd_ps(t2, t3);
  return _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u0, u1, 0x31));
}

/* y[0..R) = W[0..R) x for R rows, with R*U = 8 independent accumulators: two FMA ports of
 * latency 4 need 8 chains in flight. Each x vector is loaded once for R rows, so the loop
 * issues R+1 loads per R FMAs. R and U are constants after inlining. */
HB_AVX2_INLINE void hb_avx2_rows_dot(size_t R, size_t U, size_t d, const float *x,
                                     const float *W, size_t ldw, float *y) {
  __m256 acc[8];
  for (size_t a = 0; a < 8; a++) acc[a] = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 8 * U <= d; j += 8 * U) {
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
    __m256i m = hb_avx2_first_lanes(d - j);
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
  size_t i = 0;
  if (ldw % 1024 == 0) {
    for (; i + 2 <= k; i += 2) hb_avx2_rows_dot(2, 4, d, x, W + i * ldw, ldw, y + i);
    if (i < k) hb_avx2_rows_dot(1, 8, d, x, W + i * ldw, ldw, y + i);
    return;
  }
  for (; i + 8 <= k; i += 8) hb_avx2_rows_dot(8, 1, d, x, W + i * ldw, ldw, y + i);
  if (i + 4 <= k) {
    hb_avx2_rows_dot(4, 2, d, x, W + i * ldw, ldw, y + i);
    i += 4;
  }
  if (i + 2 <= k) {
    hb_avx2_rows_dot(2, 4, d, x, W + i * ldw, ldw, y + i);
    i += 2;
  }
  if (i < k) hb_avx2_rows_dot(1, 8, d, x, W + i * ldw, ldw, y + i);
}

/* Rows that are a multiple of 4 KiB (ldw % 1024 == 0) put every row's column j in the same
 * L1 set and make a store to row i look like it may feed the load of row i+1 at the same
 * page offset (4K aliasing). The column-panel sweeps then stall; sweeping row by row over a
 * residual chunk on the stack avoids both and measured 1.2-2.2x faster at d = 1024-2048,
 * k = 32 (it is slower otherwise: the residual makes a round trip through L1 per row).
 * The chunk (16 KiB of residual, in L1) is long so that a W streamed from DRAM is read in
 * 16 KiB runs per row, which the hardware prefetchers follow: 4096 instead of 512 columns
 * took GHA at d = 16384, W = 600 MiB from 46-62 % to 57-73 % of memcpy bandwidth
 * (`hebbian bench --roofline`, best of 5, four runs each, shared machine); d = 2048, k = 32
 * unchanged. */
#define HB_AVX2_ROW_CHUNK 4096

HB_AVX2_INLINE bool hb_avx2_rows_alias(size_t ldw) { return ldw % 1024 == 0; }

#endif
#endif
