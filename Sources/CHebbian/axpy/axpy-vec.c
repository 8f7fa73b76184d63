#include "../simd-vec.h"

#if HB_VEC
/* y += a x, one FMA per element (the product is not rounded on its own, so results may
 * differ from the scalar reference by rounding of a x: within eps (|y| + |a x|)). Four
 * vectors per iteration keep two FMA ports busy; strided operands take the scalar body. */
HB_VEC_FN void HB_VEC_NAME(hb_axpy_f32)(size_t n, float a, const float *x, size_t incx,
                                        float *y, size_t incy) {
  if (incx != 1 || incy != 1) {
    hb_axpy_f32__scalar(n, a, x, incx, y, incy);
    return;
  }
  const hb_vf va = HB_VF_SET1(a);
  size_t i = 0;
  for (; i + 4 * HB_VL <= n; i += 4 * HB_VL) {
    hb_vf y0 = HB_VF_FMA(HB_VF_LOAD(y + i), va, HB_VF_LOAD(x + i));
    hb_vf y1 = HB_VF_FMA(HB_VF_LOAD(y + i + HB_VL), va, HB_VF_LOAD(x + i + HB_VL));
    hb_vf y2 = HB_VF_FMA(HB_VF_LOAD(y + i + 2 * HB_VL), va, HB_VF_LOAD(x + i + 2 * HB_VL));
    hb_vf y3 = HB_VF_FMA(HB_VF_LOAD(y + i + 3 * HB_VL), va, HB_VF_LOAD(x + i + 3 * HB_VL));
    HB_VF_STORE(y + i, y0);
    HB_VF_STORE(y + i + HB_VL, y1);
    HB_VF_STORE(y + i + 2 * HB_VL, y2);
    HB_VF_STORE(y + i + 3 * HB_VL, y3);
  }
  for (; i + HB_VL <= n; i += HB_VL)
    HB_VF_STORE(y + i, HB_VF_FMA(HB_VF_LOAD(y + i), va, HB_VF_LOAD(x + i)));
  if (i < n) {
    hb_vmask m = HB_VF_MASK(n - i);
    HB_VF_STORE_PART(y + i, m, HB_VF_FMA(HB_VF_LOAD_PART(y + i, m), va, HB_VF_LOAD_PART(x + i, m)));
  }
}
#endif
