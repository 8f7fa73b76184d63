#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"
#include <math.h>
#include <string.h>

/* ||x||_2 without overflow or underflow for any finite input.
 *  - AArch64 and strided input: squares summed in double, as in the scalar reference (a
 *    float squared is exact in double and far inside its range); within 1 ulp of it.
 *  - armv7 (no double vectors): scaled. x is multiplied by 2^k, a power of two chosen from
 *    the largest |x_i| so that it lands in [1, 4): the squares then sum in float without
 *    overflow (sum <= 16 n), elements smaller than 2^-63 max|x| (the only ones that can
 *    flush to zero) change the sum by less than n 2^-126 relative, and undoing the scale is
 *    exact. The float sum adds up to (n/4 + 3) eps relative error, halved by the sqrt. */
static float nrm2_double(size_t n, const float *x, size_t incx) {
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

float hb_nrm2_f32__neon(size_t n, const float *x, size_t incx) {
  if (incx != 1) return nrm2_double(n, x, incx);
#if defined(__aarch64__)
  float64x2_t s0 = vdupq_n_f64(0.0), s1 = s0, s2 = s0, s3 = s0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    float32x4_t a = vld1q_f32(x + i), b = vld1q_f32(x + i + 4);
    float64x2_t a0 = vcvt_f64_f32(vget_low_f32(a)), a1 = vcvt_high_f64_f32(a);
    float64x2_t b0 = vcvt_f64_f32(vget_low_f32(b)), b1 = vcvt_high_f64_f32(b);
    s0 = vfmaq_f64(s0, a0, a0);
    s1 = vfmaq_f64(s1, a1, a1);
    s2 = vfmaq_f64(s2, b0, b0);
    s3 = vfmaq_f64(s3, b1, b1);
  }
  double s = vaddvq_f64(vaddq_f64(vaddq_f64(s0, s1), vaddq_f64(s2, s3)));
  for (; i < n; i++) {
    double a = (double)x[i];
    s += a * a;
  }
  return (float)sqrt(s);
#else
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
#endif
}
#endif
