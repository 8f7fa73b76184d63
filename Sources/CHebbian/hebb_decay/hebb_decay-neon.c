#include "../internal.h"

#if HB_BUILD_NEON
#include <arm_neon.h>

/* W_ij <- (1 - lambda) W_ij + eta y_i x_j */
void hb_hebb_decay_step_f32__neon(size_t k, size_t d, float eta, float lambda, const float *x,
                                  const float *y, float *W, size_t ldw) {
  const float keep = 1.0f - lambda;
  const float32x4_t vkeep = vdupq_n_f32(keep);
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float ey = eta * y[i];
    const float32x4_t vey = vdupq_n_f32(ey);
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
      float32x4_t t = vmulq_f32(vkeep, vld1q_f32(w + j));
      vst1q_f32(w + j, vfmaq_f32(t, vey, vld1q_f32(x + j)));
    }
    for (; j < d; j++) w[j] = keep * w[j] + ey * x[j];
  }
}
#endif
