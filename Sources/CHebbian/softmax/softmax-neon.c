#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"
#include <math.h>

/* exp(x) for x <= 0, as in the AVX2 body: k = floor(x / ln2 + 1/2) (armv7 has no vrndm, so
 * floor is truncation corrected by one where it rounded up), |r| <= ln2/2, degree-7 Cephes
 * polynomial (relative error < 2e-7), 2^k through the exponent field, flushed to 0 below
 * -87.3. */
static inline float32x4_t exp_nonpositive(float32x4_t x) {
  uint32x4_t under = vcltq_f32(x, vdupq_n_f32(-87.33654f));
  x = vmaxq_f32(x, vdupq_n_f32(-87.33654f));
  float32x4_t t = vfmaq_f32(vdupq_n_f32(0.5f), x, vdupq_n_f32(1.44269504088896341f));
  float32x4_t k = vcvtq_f32_s32(vcvtq_s32_f32(t));
  k = vsubq_f32(k, vreinterpretq_f32_u32(vandq_u32(vcgtq_f32(k, t), vreinterpretq_u32_f32(vdupq_n_f32(1.0f)))));
  float32x4_t r = vfmsq_f32(x, k, vdupq_n_f32(0.693359375f));
  r = vfmsq_f32(r, k, vdupq_n_f32(-2.12194440e-4f));
  float32x4_t p = vdupq_n_f32(1.9875691500e-4f);
  p = vfmaq_f32(vdupq_n_f32(1.3981999507e-3f), p, r);
  p = vfmaq_f32(vdupq_n_f32(8.3334519073e-3f), p, r);
  p = vfmaq_f32(vdupq_n_f32(4.1665795894e-2f), p, r);
  p = vfmaq_f32(vdupq_n_f32(1.6666665459e-1f), p, r);
  p = vfmaq_f32(vdupq_n_f32(5.0000001201e-1f), p, r);
  p = vaddq_f32(vfmaq_f32(r, p, vmulq_f32(r, r)), vdupq_n_f32(1.0f));
  int32x4_t e = vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(k), vdupq_n_s32(127)), 23);
  float32x4_t y = vmulq_f32(p, vreinterpretq_f32_s32(e));
  return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(y), under));
}


float hb_softmax_f32__neon(size_t n, float beta, const float *x, float *y) {
  size_t i = 0;
  float32x4_t vhi = vdupq_n_f32(x[0]), vlo = vhi;
  for (; i + 4 <= n; i += 4) {
    float32x4_t v = vld1q_f32(x + i);
    vhi = vmaxq_f32(vhi, v);
    vlo = vminq_f32(vlo, v);
  }
  float32x2_t h2 = vpmax_f32(vget_low_f32(vhi), vget_high_f32(vhi));
  float32x2_t l2 = vpmin_f32(vget_low_f32(vlo), vget_high_f32(vlo));
  float hi = vget_lane_f32(vpmax_f32(h2, h2), 0), lo = vget_lane_f32(vpmin_f32(l2, l2), 0);
  for (; i < n; i++) {
    hi = x[i] > hi ? x[i] : hi;
    lo = x[i] < lo ? x[i] : lo;
  }
  float c = beta >= 0.0f ? beta * hi : beta * lo;
  float32x4_t vb = vdupq_n_f32(beta), vc = vdupq_n_f32(c), vz = vdupq_n_f32(0.0f);
  for (i = 0; i + 4 <= n; i += 4) {
    float32x4_t e = exp_nonpositive(vsubq_f32(vmulq_f32(vb, vld1q_f32(x + i)), vc));
    vst1q_f32(y + i, e);
    vz = vaddq_f32(vz, e);
  }
  float z = hb_neon_hsum(vz);
  for (; i < n; i++) {
    float bx = beta * x[i]; /* its own statement: never contracted into an FMA */
    float e = expf(bx - c);
    y[i] = e;
    z += e;
  }
  float32x4_t inv = vdupq_n_f32(1.0f / z);
  for (i = 0; i + 4 <= n; i += 4) vst1q_f32(y + i, vmulq_f32(vld1q_f32(y + i), inv));
  for (; i < n; i++) y[i] *= 1.0f / z;
  return c + logf(z);
}
#endif
