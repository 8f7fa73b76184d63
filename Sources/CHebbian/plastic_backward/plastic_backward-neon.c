#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"
#include "../steps.h"


/* The adjoint of one plastic step; the equations are in plastic_backward-scalar.c. Pass 1 is a
 * column reduction (vectorised along j), pass 2 reads and writes every matrix once. */
float hb_plastic_backward_step_f32__neon(hb_trace_rule rule, size_t m, size_t n, float eta,
                                         const float *w, const float *alpha, const float *H,
                                         size_t ld, const float *x, const float *y, float *gy,
                                         float *gH, float *gx, float *gw, float *galpha) {
  int oja = rule == HB_TRACE_OJA;
  float32x4_t veta = vdupq_n_f32(eta), two_eta = vdupq_n_f32(2.0f * eta);
  float32x4_t one = vdupq_n_f32(1.0f), keep = vdupq_n_f32(1.0f - eta);
  for (size_t i = 0; i < m; i++) {
    const float *gh = gH + i * ld, *hi = H + i * ld;
    float exi = eta * x[i];
    float32x4_t vex = vdupq_n_f32(exi);
    size_t j = 0;
    if (oja) {
      /* Two vectors per iteration, loads first: one was a single load -> FMA -> store chain. */
      for (; j + 8 <= n; j += 8) {
        const float32x4_t h0 = vld1q_f32(hi + j), h1 = vld1q_f32(hi + j + 4);
        const float32x4_t y0 = vld1q_f32(y + j), y1 = vld1q_f32(y + j + 4);
        const float32x4_t g0 = vld1q_f32(gy + j), g1 = vld1q_f32(gy + j + 4);
        const float32x4_t G0 = vld1q_f32(gh + j), G1 = vld1q_f32(gh + j + 4);
        const float32x4_t c0 = vfmsq_f32(vex, vmulq_f32(two_eta, h0), y0);
        const float32x4_t c1 = vfmsq_f32(vex, vmulq_f32(two_eta, h1), y1);
        vst1q_f32(gy + j, vfmaq_f32(g0, G0, c0));
        vst1q_f32(gy + j + 4, vfmaq_f32(g1, G1, c1));
      }
      for (; j + 4 <= n; j += 4) {
        float32x4_t coef = vfmsq_f32(vex, vmulq_f32(two_eta, vld1q_f32(hi + j)), vld1q_f32(y + j));
        vst1q_f32(gy + j, vfmaq_f32(vld1q_f32(gy + j), vld1q_f32(gh + j), coef));
      }
      for (; j < n; j++) gy[j] = hb_plastic_gy_step(true, eta, exi, gy[j], gh[j], hi[j], y[j]);
    } else {
      for (; j + 4 <= n; j += 4)
        vst1q_f32(gy + j, vfmaq_f32(vld1q_f32(gy + j), vld1q_f32(gh + j), vex));
      for (; j < n; j++) gy[j] = hb_plastic_gy_step(false, eta, exi, gy[j], gh[j], hi[j], y[j]);
    }
  }
  {
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
      float32x4_t vy = vld1q_f32(y + j);
      vst1q_f32(gy + j, vmulq_f32(vld1q_f32(gy + j), vfmsq_f32(one, vy, vy)));
    }
    for (; j < n; j++) gy[j] *= 1.0f - y[j] * y[j];
  }

  float32x4_t geta_v = vdupq_n_f32(0.0f);
  float geta = 0.0f;
  for (size_t i = 0; i < m; i++) {
    const float *wi = w + i * ld, *ai = alpha + i * ld, *hi = H + i * ld;
    float *gh = gH + i * ld, *gwi = gw + i * ld, *gai = galpha + i * ld;
    float xi = x[i];
    float32x4_t vx = vdupq_n_f32(xi);
    float32x4_t acc_v = vdupq_n_f32(0.0f);
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
      float32x4_t da = vld1q_f32(gy + j), vy = vld1q_f32(y + j);
      float32x4_t h = vld1q_f32(hi + j), al = vld1q_f32(ai + j);
      float32x4_t G = vld1q_f32(gh + j);
      float32x4_t g = vmulq_f32(vx, da);
      vst1q_f32(gwi + j, vaddq_f32(vld1q_f32(gwi + j), g));
      vst1q_f32(gai + j, vfmaq_f32(vld1q_f32(gai + j), h, g));
      acc_v = vfmaq_f32(acc_v, vfmaq_f32(vld1q_f32(wi + j), al, h), da);
      acc_v = vfmaq_f32(acc_v, vmulq_f32(veta, G), vy);
      float32x4_t xy = vmulq_f32(vx, vy);
      if (oja) {
        float32x4_t yy = vmulq_f32(vy, vy);
        geta_v = vfmaq_f32(geta_v, G, vfmsq_f32(xy, h, yy));
        vst1q_f32(gh + j, vfmaq_f32(vmulq_f32(G, vfmsq_f32(one, veta, yy)), al, g));
      } else {
        geta_v = vfmaq_f32(geta_v, G, vsubq_f32(xy, h));
        vst1q_f32(gh + j, vfmaq_f32(vmulq_f32(keep, G), al, g));
      }
    }
    float acc = hb_neon_hsum(acc_v);
    for (; j < n; j++)
      hb_plastic_backward_elem(oja, eta, 1.0f - eta, xi, j, wi, ai, hi, gy, y, gh, gwi, gai, &acc,
                               &geta);
    gx[i] += acc;
  }
  return geta + hb_neon_hsum(geta_v);
}
#endif
