#include "../internal.h"

#if HB_BUILD_NEON
#include <arm_neon.h>

/* W_ij += eta x_j y_i (y_i - theta_i) */
void hb_bcm_step_f32__neon(size_t k, size_t d, float eta, const float *x, const float *y,
                           const float *theta, float *W, size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float g = eta * y[i] * (y[i] - theta[i]);
    const float32x4_t vg = vdupq_n_f32(g);
    size_t j = 0;
    for (; j + 4 <= d; j += 4) vst1q_f32(w + j, vfmaq_f32(vld1q_f32(w + j), vg, vld1q_f32(x + j)));
    for (; j < d; j++) w[j] += g * x[j];
  }
}
#endif
