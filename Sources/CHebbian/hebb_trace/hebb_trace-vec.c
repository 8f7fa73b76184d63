#include "../simd-vec.h"

#if HB_VEC
/* Oja: H_ij += eta y_j (x_i - H_ij y_j) */
HB_VEC_INLINE hb_vf trace_oja(hb_vf h, hb_vf y, hb_vf xi, hb_vf eta) {
  return HB_VF_FMA(h, HB_VF_MUL(eta, y), HB_VF_FNMA(xi, h, y));
}

/* decay: H = (1 - eta) H + eta x y^T */
HB_VEC_INLINE hb_vf trace_decay(hb_vf h, hb_vf y, hb_vf exi, hb_vf keep) {
  return HB_VF_FMA(HB_VF_MUL(keep, h), exi, y);
}

HB_VEC_FN void HB_VEC_NAME(hb_hebb_trace_step_f32)(hb_trace_rule rule, size_t m, size_t n,
                                                   float eta, const float *x, const float *y,
                                                   float *H, size_t ld) {
  const hb_vf veta = HB_VF_SET1(eta), keep = HB_VF_SET1(1.0f - eta);
  for (size_t i = 0; i < m; i++) {
    float *h = H + i * ld;
    if (rule == HB_TRACE_OJA) {
      const hb_vf vx = HB_VF_SET1(x[i]);
      HB_VF_ROW_UPDATE(n, h, y, trace_oja, vx, veta);
    } else {
      const hb_vf vex = HB_VF_SET1(eta * x[i]);
      HB_VF_ROW_UPDATE(n, h, y, trace_decay, vex, keep);
    }
  }
}
#endif
