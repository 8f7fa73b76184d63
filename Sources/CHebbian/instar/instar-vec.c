#include "../simd-vec.h"

#if HB_VEC
/* W_ij += eta y_i (x_j - W_ij) */
HB_VEC_INLINE hb_vf instar(hb_vf w, hb_vf x, hb_vf ey) { return HB_VF_FMA(w, ey, HB_VF_SUB(x, w)); }

HB_VEC_FN void HB_VEC_NAME(hb_instar_step_f32)(size_t k, size_t d, float eta, const float *x,
                                               const float *y, float *W, size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const hb_vf vey = HB_VF_SET1(eta * y[i]);
    HB_VF_ROW_UPDATE(d, w, x, instar, vey);
  }
}
#endif
