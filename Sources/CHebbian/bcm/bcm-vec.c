#include "../simd-vec.h"

#if HB_VEC
/* W_ij += eta x_j y_i (y_i - theta_i): one FMA per weight with the row gain g broadcast. */
HB_VEC_FN void HB_VEC_NAME(hb_bcm_step_f32)(size_t k, size_t d, float eta, const float *x,
                                            const float *y, const float *theta, float *W,
                                            size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const hb_vf vg = HB_VF_SET1(eta * y[i] * (y[i] - theta[i]));
    size_t j = 0;
    for (; j + HB_VL <= d; j += HB_VL)
      HB_VF_STORE(w + j, HB_VF_FMA(HB_VF_LOAD(w + j), vg, HB_VF_LOAD(x + j)));
    if (j < d) {
      hb_vmask m = HB_VF_MASK(d - j);
      hb_vf r = HB_VF_FMA(HB_VF_LOAD_PART(w + j, m), vg, HB_VF_LOAD_PART(x + j, m));
      HB_VF_STORE_PART(w + j, m, r);
    }
  }
}
#endif
