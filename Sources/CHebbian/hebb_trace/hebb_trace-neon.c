#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* decay: H = (1 - eta) H + eta x y^T;  Oja: H_ij += eta y_j (x_i - H_ij y_j). */
void hb_hebb_trace_step_f32__neon(hb_trace_rule rule, size_t m, size_t n, float eta, const float *x,
                                  const float *y, float *H, size_t ld) {
  float32x4_t veta = vdupq_n_f32(eta);
  float32x4_t keep = vdupq_n_f32(1.0f - eta);
  for (size_t i = 0; i < m; i++) {
    float *h = H + i * ld;
    size_t j = 0;
    if (rule == HB_TRACE_OJA) {
      float xi = x[i];
      float32x4_t vx = vdupq_n_f32(xi);
      for (; j + 4 <= n; j += 4) {
        float32x4_t vy = vld1q_f32(y + j), vh = vld1q_f32(h + j);
        float32x4_t resid = vfmsq_f32(vx, vh, vy); /* x_i - H_ij y_j */
        vst1q_f32(h + j, vfmaq_f32(vh, vmulq_f32(veta, vy), resid));
      }
      for (; j < n; j++) h[j] += eta * y[j] * (xi - h[j] * y[j]);
    } else {
      float exi = eta * x[i];
      float32x4_t vex = vdupq_n_f32(exi);
      for (; j + 4 <= n; j += 4) {
        float32x4_t kept = vmulq_f32(keep, vld1q_f32(h + j));
        vst1q_f32(h + j, vfmaq_f32(kept, vex, vld1q_f32(y + j)));
      }
      for (; j < n; j++) h[j] = (1.0f - eta) * h[j] + exi * y[j];
    }
  }
}
#endif
