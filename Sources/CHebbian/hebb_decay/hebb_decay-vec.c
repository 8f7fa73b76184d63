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
    size_t j = 0;
    for (; j + HB_VL <= d; j += HB_VL)
      HB_VF_STORE(w + j, hebb_decay(HB_VF_LOAD(w + j), HB_VF_LOAD(x + j), vkeep, vey));
    if (j < d) {
      hb_vmask m = HB_VF_MASK(d - j);
      hb_vf r = hebb_decay(HB_VF_LOAD_PART(w + j, m), HB_VF_LOAD_PART(x + j, m), vkeep, vey);
      HB_VF_STORE_PART(w + j, m, r);
    }
  }
}
#endif
