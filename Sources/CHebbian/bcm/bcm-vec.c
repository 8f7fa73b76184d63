#include "../simd-vec.h"

#if HB_VEC
/* W_ij += eta x_j y_i (y_i - theta_i): one FMA per weight with the row gain g broadcast. */
HB_VEC_INLINE hb_vf bcm(hb_vf w, hb_vf x, hb_vf g) { return HB_VF_FMA(w, g, x); }

HB_VEC_FN void HB_VEC_NAME(hb_bcm_step_f32)(size_t k, size_t d, float eta, const float *x,
                                            const float *y, const float *theta, float *W,
                                            size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const hb_vf vg = HB_VF_SET1(eta * y[i] * (y[i] - theta[i]));
    HB_VF_ROW_UPDATE(d, w, x, bcm, vg);
  }
}
#endif
