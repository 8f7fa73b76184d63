#include "../simd-vec.h"

#if HB_VEC
/* a_j += (w_ij + alpha_ij H_ij) x_i: two FMAs per three loads. */
HB_VEC_INLINE hb_vf current(hb_vf a, hb_vf w, hb_vf alpha, hb_vf h, hb_vf xi) {
  return HB_VF_FMA(a, HB_VF_FMA(w, alpha, h), xi);
}

/* a_j += sum_i (w_ij + alpha_ij H_ij) x_i, a vector of columns at a time. */
HB_VEC_FN void HB_VEC_NAME(hb_plastic_current_f32)(size_t m, size_t n, const float *w,
                                                   const float *alpha, const float *H,
                                                   size_t ld, const float *x, float *a) {
  const size_t nv = n - n % HB_VL;
  const hb_vmask tail = HB_VF_MASK(n - nv);
  for (size_t i = 0; i < m; i++) {
    const float *wi = w + i * ld, *ai = alpha + i * ld, *hi = H + i * ld;
    if (x[i] == 0.0f) continue;
    const hb_vf vx = HB_VF_SET1(x[i]);
    size_t j = 0;
    /* Two vectors per iteration, loads first (see HB_VF_ROW_UPDATE). */
    for (; j + 2 * HB_VL <= nv; j += 2 * HB_VL) {
      const hb_vf a0 = HB_VF_LOAD(a + j), a1 = HB_VF_LOAD(a + j + HB_VL);
      const hb_vf w0 = HB_VF_LOAD(wi + j), w1 = HB_VF_LOAD(wi + j + HB_VL);
      const hb_vf l0 = HB_VF_LOAD(ai + j), l1 = HB_VF_LOAD(ai + j + HB_VL);
      const hb_vf h0 = HB_VF_LOAD(hi + j), h1 = HB_VF_LOAD(hi + j + HB_VL);
      const hb_vf r0 = current(a0, w0, l0, h0, vx), r1 = current(a1, w1, l1, h1, vx);
      HB_VF_STORE(a + j, r0);
      HB_VF_STORE(a + j + HB_VL, r1);
    }
    for (; j < nv; j += HB_VL)
      HB_VF_STORE(a + j, current(HB_VF_LOAD(a + j), HB_VF_LOAD(wi + j), HB_VF_LOAD(ai + j),
                                 HB_VF_LOAD(hi + j), vx));
    if (nv < n) {
      hb_vf r = current(HB_VF_LOAD_PART(a + nv, tail), HB_VF_LOAD_PART(wi + nv, tail),
                        HB_VF_LOAD_PART(ai + nv, tail), HB_VF_LOAD_PART(hi + nv, tail), vx);
      HB_VF_STORE_PART(a + nv, tail, r);
    }
  }
}
#endif
