#include "../simd-vec.h"

#if HB_VEC
/* sum_i x_i y_i. Two loads feed each FMA (Zen 3 issues two 256-bit loads per cycle,
 * Cortex-A72/A76 one or two 128-bit ones), so four independent accumulators cover the 4-5
 * cycle FMA latency without spilling on armv7 (16 q registers). Strided operands take the
 * scalar body: AVX2 gathers are no faster than scalar loads on Zen 3. */
HB_VEC_FN float HB_VEC_NAME(hb_dot_f32)(size_t n, const float *x, size_t incx, const float *y,
                                        size_t incy) {
  if (incx != 1 || incy != 1) return hb_dot_f32__scalar(n, x, incx, y, incy);
  hb_vf s0 = HB_VF_ZERO(), s1 = HB_VF_ZERO(), s2 = HB_VF_ZERO(), s3 = HB_VF_ZERO();
  size_t i = 0;
  for (; i + 4 * HB_VL <= n; i += 4 * HB_VL) {
    s0 = HB_VF_FMA(s0, HB_VF_LOAD(x + i), HB_VF_LOAD(y + i));
    s1 = HB_VF_FMA(s1, HB_VF_LOAD(x + i + HB_VL), HB_VF_LOAD(y + i + HB_VL));
    s2 = HB_VF_FMA(s2, HB_VF_LOAD(x + i + 2 * HB_VL), HB_VF_LOAD(y + i + 2 * HB_VL));
    s3 = HB_VF_FMA(s3, HB_VF_LOAD(x + i + 3 * HB_VL), HB_VF_LOAD(y + i + 3 * HB_VL));
  }
  for (; i + HB_VL <= n; i += HB_VL) s0 = HB_VF_FMA(s0, HB_VF_LOAD(x + i), HB_VF_LOAD(y + i));
  if (i < n) {
    hb_vmask m = HB_VF_MASK(n - i);
    s1 = HB_VF_FMA(s1, HB_VF_LOAD_PART(x + i, m), HB_VF_LOAD_PART(y + i, m));
  }
  return HB_VF_SUM(HB_VF_ADD(HB_VF_ADD(s0, s1), HB_VF_ADD(s2, s3)));
}
#endif
