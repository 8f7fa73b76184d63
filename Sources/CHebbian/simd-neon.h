/* Helpers shared by the NEON bodies: horizontal sums and partial tails. Only included by
 * <op>-neon.c and <op>-vec.c, inside #if HB_BUILD_NEON. armv7 lacks the across-vector adds
 * of AArch64, so they are spelled with pairwise adds. */
#ifndef HEBBIAN_SIMD_NEON_H
#define HEBBIAN_SIMD_NEON_H

#include "internal.h"
#include <arm_neon.h>

#define HB_NEON_INLINE static inline __attribute__((always_inline))

HB_NEON_INLINE float hb_neon_hsum(float32x4_t v) {
#if defined(__aarch64__)
  return vaddvq_f32(v);
#else
  float32x2_t s = vadd_f32(vget_low_f32(v), vget_high_f32(v));
  return vget_lane_f32(vpadd_f32(s, s), 0);
#endif
}

/* The largest and the smallest lane, by pairwise max (min). */
HB_NEON_INLINE float hb_neon_hmax(float32x4_t v) {
  float32x2_t h = vpmax_f32(vget_low_f32(v), vget_high_f32(v));
  return vget_lane_f32(vpmax_f32(h, h), 0);
}

HB_NEON_INLINE float hb_neon_hmin(float32x4_t v) {
  float32x2_t l = vpmin_f32(vget_low_f32(v), vget_high_f32(v));
  return vget_lane_f32(vpmin_f32(l, l), 0);
}

/* floor(t) for |t| < 2^31: armv7 has no vrndm, so truncation, corrected by one where it
 * rounded up. */
HB_NEON_INLINE float32x4_t hb_neon_floor(float32x4_t t) {
  float32x4_t k = vcvtq_f32_s32(vcvtq_s32_f32(t));
  return vsubq_f32(k, vreinterpretq_f32_u32(vandq_u32(vcgtq_f32(k, t),
                                                      vreinterpretq_u32_f32(vdupq_n_f32(1.0f)))));
}

/* 2^k for integral k in [-126, 127], through the exponent field. */
HB_NEON_INLINE float32x4_t hb_neon_pow2i(float32x4_t k) {
  return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(k), vdupq_n_s32(127)), 23));
}

/* {sum a, sum b, sum c, sum d} */
HB_NEON_INLINE float32x4_t hb_neon_hsum4(float32x4_t a, float32x4_t b, float32x4_t c,
                                         float32x4_t d) {
#if defined(__aarch64__)
  return vpaddq_f32(vpaddq_f32(a, b), vpaddq_f32(c, d));
#else
  float32x2_t ab = vpadd_f32(vpadd_f32(vget_low_f32(a), vget_high_f32(a)),
                             vpadd_f32(vget_low_f32(b), vget_high_f32(b)));
  float32x2_t cd = vpadd_f32(vpadd_f32(vget_low_f32(c), vget_high_f32(c)),
                             vpadd_f32(vget_low_f32(d), vget_high_f32(d)));
  return vcombine_f32(ab, cd);
#endif
}

/* The first r < 4 lanes of a tail, one lane at a time (NEON has no masked load or store):
 * the other lanes load as 0, and only r floats are written back. Lane by lane rather than
 * through a buffer, which gcc turns into calls to memcpy. */
HB_NEON_INLINE float32x4_t hb_neon_load_part(const float *p, size_t r) {
  float32x4_t v = vdupq_n_f32(0.0f);
  if (r > 0) v = vld1q_lane_f32(p, v, 0);
  if (r > 1) v = vld1q_lane_f32(p + 1, v, 1);
  if (r > 2) v = vld1q_lane_f32(p + 2, v, 2);
  return v;
}

HB_NEON_INLINE void hb_neon_store_part(float *p, size_t r, float32x4_t v) {
  if (r > 0) vst1q_lane_f32(p, v, 0);
  if (r > 1) vst1q_lane_f32(p + 1, v, 1);
  if (r > 2) vst1q_lane_f32(p + 2, v, 2);
}

#endif
