#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* sum_i x_i y_i with four accumulators: Cortex-A72/A76 FMA latency is 4-5 cycles at one or
 * two per cycle, so four chains keep the pipe full without spilling on armv7 (16 q regs). */
float hb_dot_f32__neon(size_t n, const float *x, size_t incx, const float *y, size_t incy) {
  if (incx != 1 || incy != 1) {
    float s0 = 0.0f, s1 = 0.0f;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
      s0 += x[i * incx] * y[i * incy];
      s1 += x[(i + 1) * incx] * y[(i + 1) * incy];
    }
    if (i < n) s0 += x[i * incx] * y[i * incy];
    return s0 + s1;
  }
  float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = vfmaq_f32(s0, vld1q_f32(x + i), vld1q_f32(y + i));
    s1 = vfmaq_f32(s1, vld1q_f32(x + i + 4), vld1q_f32(y + i + 4));
    s2 = vfmaq_f32(s2, vld1q_f32(x + i + 8), vld1q_f32(y + i + 8));
    s3 = vfmaq_f32(s3, vld1q_f32(x + i + 12), vld1q_f32(y + i + 12));
  }
  for (; i + 4 <= n; i += 4) s0 = vfmaq_f32(s0, vld1q_f32(x + i), vld1q_f32(y + i));
  float s = hb_neon_hsum(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
  for (; i < n; i++) s += x[i] * y[i];
  return s;
}
#endif
