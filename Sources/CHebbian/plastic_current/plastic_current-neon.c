#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* a_j += sum_i (w_ij + alpha_ij H_ij) x_i, four columns at a time. */
void hb_plastic_current_f32__neon(size_t m, size_t n, const float *w, const float *alpha,
                                  const float *H, size_t ld, const float *x, float *a) {
  for (size_t i = 0; i < m; i++) {
    const float *wi = w + i * ld, *ai = alpha + i * ld, *hi = H + i * ld;
    float xi = x[i];
    if (xi == 0.0f) continue;
    float32x4_t vx = vdupq_n_f32(xi);
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
      float32x4_t eff = vfmaq_f32(vld1q_f32(wi + j), vld1q_f32(ai + j), vld1q_f32(hi + j));
      vst1q_f32(a + j, vfmaq_f32(vld1q_f32(a + j), eff, vx));
    }
    for (; j < n; j++) a[j] += (wi[j] + ai[j] * hi[j]) * xi;
  }
}
#endif
