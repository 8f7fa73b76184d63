#include "../simd-vec.h"

#if HB_VEC
/* x *= a: one correctly rounded product per element, bit-identical to the scalar body
 * (armv7 NEON flushes subnormal results to zero; normal results are bit-identical). */
HB_VEC_FN void HB_VEC_NAME(hb_scal_f32)(size_t n, float a, float *x, size_t incx) {
  if (incx != 1) {
    hb_scal_f32__scalar(n, a, x, incx);
    return;
  }
  const hb_vf va = HB_VF_SET1(a);
  size_t i = 0;
  for (; i + 4 * HB_VL <= n; i += 4 * HB_VL) {
    hb_vf x0 = HB_VF_MUL(va, HB_VF_LOAD(x + i));
    hb_vf x1 = HB_VF_MUL(va, HB_VF_LOAD(x + i + HB_VL));
    hb_vf x2 = HB_VF_MUL(va, HB_VF_LOAD(x + i + 2 * HB_VL));
    hb_vf x3 = HB_VF_MUL(va, HB_VF_LOAD(x + i + 3 * HB_VL));
    HB_VF_STORE(x + i, x0);
    HB_VF_STORE(x + i + HB_VL, x1);
    HB_VF_STORE(x + i + 2 * HB_VL, x2);
    HB_VF_STORE(x + i + 3 * HB_VL, x3);
  }
  for (; i + HB_VL <= n; i += HB_VL) HB_VF_STORE(x + i, HB_VF_MUL(va, HB_VF_LOAD(x + i)));
  if (i < n) {
    hb_vmask m = HB_VF_MASK(n - i);
    HB_VF_STORE_PART(x + i, m, HB_VF_MUL(va, HB_VF_LOAD_PART(x + i, m)));
  }
}
#endif
