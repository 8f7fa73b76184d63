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

HB_AVX2_INLINE float hb_avx2_hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
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

#endif
