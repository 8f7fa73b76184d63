/* Helpers shared by the AVX2+FMA bodies: tail masks and horizontal sums. Only included by
 * <op>-avx2.c, inside #if HB_BUILD_AVX2. */
#ifndef HEBBIAN_SIMD_AVX2_H
#define HEBBIAN_SIMD_AVX2_H

#include "internal.h"
#include <immintrin.h>

#define HB_AVX2_INLINE static inline __attribute__((always_inline)) HB_AVX2

/* A window of 8 lanes into {-1 x 8, 0 x 8}: starting at 8 - r leaves lanes [0, r) set.
 * vmaskmov never touches the memory of a cleared lane, so a tail of r < 8 floats is one
 * masked vector step instead of a scalar loop, and nothing past the end is read. r may be
 * 0 (no lane) to 8 (every lane). */
static const int32_t hb_avx2_mask_window[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                                0,  0,  0,  0,  0,  0,  0,  0};

HB_AVX2_INLINE __m256i hb_avx2_tail_mask(size_t r) {
  return _mm256_loadu_si256((const __m256i *)(hb_avx2_mask_window + 8 - r));
}

/* The sum of four lanes in hb_avx2_hsum's order, which first adds a vector's two halves. */
HB_AVX2_INLINE float hb_sse_hsum(__m128 s) {
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

HB_AVX2_INLINE float hb_avx2_hsum(__m256 v) {
  return hb_sse_hsum(_mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1)));
}

/* The largest and the smallest lane, in lane order: a later lane wins only when strictly
 * larger (smaller). */
HB_AVX2_INLINE float hb_avx2_hmax(__m256 v) {
  float lanes[8];
  _mm256_storeu_ps(lanes, v);
  float m = lanes[0];
  for (int l = 1; l < 8; l++) m = lanes[l] > m ? lanes[l] : m;
  return m;
}

HB_AVX2_INLINE float hb_avx2_hmin(__m256 v) {
  float lanes[8];
  _mm256_storeu_ps(lanes, v);
  float m = lanes[0];
  for (int l = 1; l < 8; l++) m = lanes[l] < m ? lanes[l] : m;
  return m;
}

/* 2^k for integral k in [-126, 127], through the exponent field. */
HB_AVX2_INLINE __m256 hb_avx2_pow2i(__m256 k) {
  return _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(k), _mm256_set1_epi32(127)), 23));
}

/* The four horizontal sums {sum a, sum b, sum c, sum d} in one vector. */
HB_AVX2_INLINE __m128 hb_avx2_hsum4(__m256 a, __m256 b, __m256 c, __m256 d) {
  __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
  return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

/* The eight lane sums of a[0..8) as one vector: two levels of hadd pair the rows, the last
 * add folds the 128-bit halves. ~10 instructions instead of eight separate reductions. */
HB_AVX2_INLINE __m256 hb_avx2_hsum8(const __m256 *a) {
  __m256 t0 = _mm256_hadd_ps(a[0], a[1]), t1 = _mm256_hadd_ps(a[2], a[3]);
  __m256 t2 = _mm256_hadd_ps(a[4], a[5]), t3 = _mm256_hadd_ps(a[6], a[7]);
  __m256 u0 = _mm256_hadd_ps(t0, t1), u1 = _mm256_hadd_ps(t2, t3);
  return _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u0, u1, 0x31));
}

/* Lanes [0, r) of p, 1 <= r <= 8, by plain loads of exactly those floats (4 + 2 + 1), the
 * other lanes zero: the values of _mm256_maskload_ps with the tail mask of r. A masked store
 * forwards to no later load, so a row stored masked by one step and loaded by the next waits
 * for the store to retire; stores and loads of the same widths forward. r is a constant in
 * every caller (the small-d bodies), so the switches fold away. */
HB_AVX2_INLINE __m128 hb_sse_load_short(const float *p, size_t r) {
  switch (r) {
  case 1: return _mm_load_ss(p);
  case 2: return _mm_castpd_ps(_mm_load_sd((const double *)p));
  case 3: return _mm_movelh_ps(_mm_castpd_ps(_mm_load_sd((const double *)p)), _mm_load_ss(p + 2));
  default: return _mm_loadu_ps(p);
  }
}

HB_AVX2_INLINE void hb_sse_store_short(float *p, size_t r, __m128 v) {
  switch (r) {
  case 1: _mm_store_ss(p, v); break;
  case 2: _mm_store_sd((double *)p, _mm_castps_pd(v)); break;
  case 3:
    _mm_store_sd((double *)p, _mm_castps_pd(v));
    _mm_store_ss(p + 2, _mm_movehl_ps(v, v));
    break;
  default: _mm_storeu_ps(p, v); break;
  }
}

HB_AVX2_INLINE __m256 hb_avx2_load_short(const float *p, size_t r) {
  if (r <= 4) return _mm256_set_m128(_mm_setzero_ps(), hb_sse_load_short(p, r));
  return _mm256_set_m128(hb_sse_load_short(p + 4, r - 4), _mm_loadu_ps(p));
}

HB_AVX2_INLINE void hb_avx2_store_short(float *p, size_t r, __m256 v) {
  if (r <= 4) {
    hb_sse_store_short(p, r, _mm256_castps256_ps128(v));
    return;
  }
  _mm_storeu_ps(p, _mm256_castps256_ps128(v));
  hb_sse_store_short(p + 4, r - 4, _mm256_extractf128_ps(v, 1));
}

#endif
