#include "../simd-vec.h"

#if HB_VEC
#include <math.h>
#include <string.h>

/* ||x||_2 without overflow or underflow for any finite input.
 *  - AVX2, AArch64 and strided input: squares summed in double, as in the scalar reference
 *    (a float squared is exact in double, 48 <= 53 significand bits, and lies in
 *    [2^-298, 2^256], far inside double's range); the double sum's relative error (n 2^-53)
 *    vanishes in the final rounding to float: within 1 ulp of the reference.
 *  - armv7 (no double vectors): scaled. x is multiplied by 2^k, a power of two chosen from
 *    the largest |x_i| so that it lands in [1, 4): the squares then sum in float without
 *    overflow (sum <= 16 n), elements smaller than 2^-63 max|x| (the only ones that can
 *    flush to zero) change the sum by less than n 2^-126 relative, and undoing the scale is
 *    exact. The float sum adds up to (n/4 + 3) eps relative error, halved by the sqrt. */
HB_VEC_FN static float nrm2_double(size_t n, const float *x, size_t incx) {
  double s0 = 0.0, s1 = 0.0;
  size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    double a = (double)x[i * incx], b = (double)x[(i + 1) * incx];
    s0 += a * a;
    s1 += b * b;
  }
  if (i < n) {
    double a = (double)x[i * incx];
    s0 += a * a;
  }
  return (float)sqrt(s0 + s1);
}

#if HB_BUILD_AVX2 || defined(__aarch64__)
/* Double vectors of half a float vector: hb_vd, its halves of a float vector as doubles
 * (NRM2_LO/HI), s + a a fused (NRM2_SQ), the horizontal sum (NRM2_SUM). */
#if HB_BUILD_AVX2
typedef __m256d hb_vd;
#define NRM2_ZERO() _mm256_setzero_pd()
#define NRM2_LO(a) _mm256_cvtps_pd(_mm256_castps256_ps128(a))
#define NRM2_HI(a) _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1))
#define NRM2_SQ(s, a) _mm256_fmadd_pd(a, a, s)
#define NRM2_ADD(a, b) _mm256_add_pd(a, b)
HB_AVX2_INLINE double nrm2_sum(__m256d s) {
  __m128d h = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
  h = _mm_add_sd(h, _mm_unpackhi_pd(h, h));
  return _mm_cvtsd_f64(h);
}
#else
typedef float64x2_t hb_vd;
#define NRM2_ZERO() vdupq_n_f64(0.0)
#define NRM2_LO(a) vcvt_f64_f32(vget_low_f32(a))
#define NRM2_HI(a) vcvt_high_f64_f32(a)
#define NRM2_SQ(s, a) vfmaq_f64(s, a, a)
#define NRM2_ADD(a, b) vaddq_f64(a, b)
#define nrm2_sum(s) vaddvq_f64(s)
#endif

/* Two float vectors per iteration into four double accumulators. The tail: AVX2 masks it
 * into the first two accumulators (masked loads cost nothing extra); AArch64 adds it in
 * scalar after the horizontal sum. */
HB_VEC_FN float HB_VEC_NAME(hb_nrm2_f32)(size_t n, const float *x, size_t incx) {
  if (incx != 1) return nrm2_double(n, x, incx);
  hb_vd s0 = NRM2_ZERO(), s1 = s0, s2 = s0, s3 = s0;
  size_t i = 0;
  for (; i + 2 * HB_VL <= n; i += 2 * HB_VL) {
    const hb_vf a = HB_VF_LOAD(x + i), b = HB_VF_LOAD(x + i + HB_VL);
    const hb_vd a0 = NRM2_LO(a), a1 = NRM2_HI(a), b0 = NRM2_LO(b), b1 = NRM2_HI(b);
    s0 = NRM2_SQ(s0, a0);
    s1 = NRM2_SQ(s1, a1);
    s2 = NRM2_SQ(s2, b0);
    s3 = NRM2_SQ(s3, b1);
  }
#if HB_BUILD_AVX2
  for (; i < n; i += HB_VL) {
    /* the masked load zero-fills the lanes past the end */
    const hb_vf a = n - i >= HB_VL ? HB_VF_LOAD(x + i) : HB_VF_LOAD_PART(x + i, HB_VF_MASK(n - i));
    s0 = NRM2_SQ(s0, NRM2_LO(a));
    s1 = NRM2_SQ(s1, NRM2_HI(a));
  }
#endif
  double s = nrm2_sum(NRM2_ADD(NRM2_ADD(s0, s1), NRM2_ADD(s2, s3)));
  for (; i < n; i++) {
    double a = (double)x[i];
    s += a * a;
  }
  return (float)sqrt(s);
}
#else
float HB_VEC_NAME(hb_nrm2_f32)(size_t n, const float *x, size_t incx) {
  if (incx != 1) return nrm2_double(n, x, incx);
  /* Largest |x_i| from the bit patterns: for non-NaN floats the order of the sign-cleared
   * bits is the order of magnitudes, and integer ops never flush subnormals (armv7 NEON
   * float ops do). */
  const uint32x4_t magnitude = vdupq_n_u32(0x7fffffffu);
  uint32x4_t mv = vdupq_n_u32(0);
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    mv = vmaxq_u32(mv, vandq_u32(vreinterpretq_u32_f32(vld1q_f32(x + i)), magnitude));
  uint32x2_t h = vpmax_u32(vget_low_u32(mv), vget_high_u32(mv));
  uint32_t mx = vget_lane_u32(vpmax_u32(h, h), 0);
  for (; i < n; i++) {
    uint32_t b;
    memcpy(&b, x + i, sizeof b);
    b &= 0x7fffffffu;
    if (b > mx) mx = b;
  }
  /* Below 2^-100 the scaled path would lose subnormal inputs to flushing: VFP double keeps
   * them (and such vectors are rare enough that speed does not matter). */
  if (mx < (27u << 23)) return nrm2_double(n, x, 1);
  int k = 127 - (int)(mx >> 23); /* 2^k max|x| in [1, 2) */
  if (k < -126) k = -126;        /* 2^-127 is subnormal: accept [2, 4) for the top binade */
  uint32_t kb = (uint32_t)(k + 127) << 23;
  float scale;
  memcpy(&scale, &kb, sizeof scale);
  const float32x4_t vs = vdupq_n_f32(scale);
  float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
  i = 0;
  for (; i + 16 <= n; i += 16) {
    float32x4_t a = vmulq_f32(vld1q_f32(x + i), vs), b = vmulq_f32(vld1q_f32(x + i + 4), vs);
    float32x4_t c = vmulq_f32(vld1q_f32(x + i + 8), vs), d = vmulq_f32(vld1q_f32(x + i + 12), vs);
    s0 = vfmaq_f32(s0, a, a);
    s1 = vfmaq_f32(s1, b, b);
    s2 = vfmaq_f32(s2, c, c);
    s3 = vfmaq_f32(s3, d, d);
  }
  for (; i + 4 <= n; i += 4) {
    float32x4_t a = vmulq_f32(vld1q_f32(x + i), vs);
    s0 = vfmaq_f32(s0, a, a);
  }
  float s = hb_neon_hsum(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
  for (; i < n; i++) {
    float a = x[i] * scale;
    s += a * a;
  }
  return sqrtf(s) / scale;
}
#endif
#endif
