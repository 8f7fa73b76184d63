#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* x *= a: one correctly rounded product per element, as in the scalar body (armv7 NEON
 * flushes subnormal results to zero; normal results are bit-identical). */
void hb_scal_f32__neon(size_t n, float a, float *x, size_t incx) {
  if (incx != 1) {
    for (size_t i = 0; i < n; i++) x[i * incx] *= a;
    return;
  }
  const float32x4_t va = vdupq_n_f32(a);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    float32x4_t x0 = vmulq_f32(va, vld1q_f32(x + i));
    float32x4_t x1 = vmulq_f32(va, vld1q_f32(x + i + 4));
    float32x4_t x2 = vmulq_f32(va, vld1q_f32(x + i + 8));
    float32x4_t x3 = vmulq_f32(va, vld1q_f32(x + i + 12));
    vst1q_f32(x + i, x0);
    vst1q_f32(x + i + 4, x1);
    vst1q_f32(x + i + 8, x2);
    vst1q_f32(x + i + 12, x3);
  }
  for (; i + 4 <= n; i += 4) vst1q_f32(x + i, vmulq_f32(va, vld1q_f32(x + i)));
  for (; i < n; i++) x[i] *= a;
}
#endif
