/* Helpers shared by the NEON bodies. Only included by <op>-neon.c, inside #if HB_BUILD_NEON.
 * armv7 lacks the across-vector adds of AArch64, so they are spelled with pairwise adds. */
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

#endif
