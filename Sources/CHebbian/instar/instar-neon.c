#include "../internal.h"

#if HB_BUILD_NEON
#include <arm_neon.h>

/* W_ij += eta y_i (x_j - W_ij) */
void hb_instar_step_f32__neon(size_t k, size_t d, float eta, const float *x, const float *y,
                              float *W, size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float ey = eta * y[i];
    const float32x4_t vey = vdupq_n_f32(ey);
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
      float32x4_t wj = vld1q_f32(w + j);
      float32x4_t diff = vsubq_f32(vld1q_f32(x + j), wj);
      vst1q_f32(w + j, vfmaq_f32(wj, vey, diff));
    }
    for (; j < d; j++) w[j] += ey * (x[j] - w[j]);
  }
}
#endif
