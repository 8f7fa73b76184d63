#include "../simd-vec.h"

#if HB_VEC
/* W_ij += eta y_i (x_j - W_ij) */
HB_VEC_INLINE hb_vf instar(hb_vf w, hb_vf x, hb_vf ey) { return HB_VF_FMA(w, ey, HB_VF_SUB(x, w)); }

HB_VEC_FN void HB_VEC_NAME(hb_instar_step_f32)(size_t k, size_t d, float eta, const float *x,
                                               const float *y, float *W, size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const hb_vf vey = HB_VF_SET1(eta * y[i]);
    size_t j = 0;
    for (; j + HB_VL <= d; j += HB_VL)
      HB_VF_STORE(w + j, instar(HB_VF_LOAD(w + j), HB_VF_LOAD(x + j), vey));
    if (j < d) {
      hb_vmask m = HB_VF_MASK(d - j);
      HB_VF_STORE_PART(w + j, m, instar(HB_VF_LOAD_PART(w + j, m), HB_VF_LOAD_PART(x + j, m), vey));
    }
  }
}
#endif
