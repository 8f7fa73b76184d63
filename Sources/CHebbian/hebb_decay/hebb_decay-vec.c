#include "../simd-vec.h"

#if HB_VEC
/* W_ij <- (1 - lambda) W_ij + eta y_i x_j : decay and growth in one read/write of W. */
HB_VEC_INLINE hb_vf hebb_decay(hb_vf w, hb_vf x, hb_vf keep, hb_vf ey) {
  return HB_VF_FMA(HB_VF_MUL(keep, w), ey, x);
}

HB_VEC_FN void HB_VEC_NAME(hb_hebb_decay_step_f32)(size_t k, size_t d, float eta, float lambda,
                                                   const float *x, const float *y, float *W,
                                                   size_t ldw) {
  const hb_vf vkeep = HB_VF_SET1(1.0f - lambda);
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const hb_vf vey = HB_VF_SET1(eta * y[i]);
    HB_VF_ROW_UPDATE(d, w, x, hebb_decay, vkeep, vey);
  }
}
#endif
