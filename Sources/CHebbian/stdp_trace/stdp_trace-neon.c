#include "../steps.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* The whole vectors of one row of W; soft is a constant at each call, so the bound test is
 * out of the loop (p->bounds, read through a pointer that W might alias, was reloaded
 * and tested for every vector). Returns the first column it left. */
HB_NEON_INLINE size_t stdp_row(size_t d, bool soft, float32x4_t vsp, float32x4_t vb,
                               float32x4_t vap, float32x4_t vcp, const float *pre_trace,
                               const float *pre_spikes, float *w, float32x4_t vlo,
                               float32x4_t vhi) {
  const float32x4_t zero = vdupq_n_f32(0.0f);
  size_t j = 0;
  for (; j + 4 <= d; j += 4) {
    float32x4_t dw = vmulq_f32(vsp, vfmaq_f32(vcp, vap, vld1q_f32(pre_trace + j)));
    dw = vfmaq_f32(dw, vld1q_f32(pre_spikes + j), vb);
    float32x4_t v = vld1q_f32(w + j), t;
    if (soft) {
      t = vfmaq_f32(v, vminq_f32(dw, zero), vsubq_f32(v, vlo));
      t = vfmaq_f32(t, vmaxq_f32(dw, zero), vsubq_f32(vhi, v));
    } else {
      t = vaddq_f32(v, dw);
    }
    vst1q_f32(w + j, vminq_f32(vmaxq_f32(t, vlo), vhi));
  }
  return j;
}

/* One dt of pair-based STDP on a k x d block; the same algebra as the scalar reference:
 *   dW_ij = s_i (a_post x_j + c_post) + s_j (a_pre y_i + c_pre), bounded; traces decay and jump. */
void hb_stdp_trace_step_f32__neon(size_t k, size_t d, const hb_stdp_params *p,
                                  const float *pre_spikes, float *pre_trace,
                                  const float *post_spikes, float *post_trace, float *W,
                                  size_t ldw) {
  const float32x4_t vdecay = vdupq_n_f32(p->decay_pre);
  uint32x4_t vany = vdupq_n_u32(0);
  int any_pre = 0;
  size_t j = 0;
  for (; j + 4 <= d; j += 4) {
    vst1q_f32(pre_trace + j, vmulq_f32(vdecay, vld1q_f32(pre_trace + j)));
    vany = vorrq_u32(vany, vreinterpretq_u32_f32(vld1q_f32(pre_spikes + j)));
  }
  {
    /* Spikes are 0 or 1, so any set bit means a spike (also catches -0.0, harmlessly). */
    uint32x2_t h = vorr_u32(vget_low_u32(vany), vget_high_u32(vany));
    any_pre = (vget_lane_u32(h, 0) | vget_lane_u32(h, 1)) != 0;
  }
  for (; j < d; j++) {
    pre_trace[j] *= p->decay_pre;
    any_pre |= pre_spikes[j] != 0.0f;
  }
  const float lo = p->w_min, hi = p->w_max;
  const float32x4_t vlo = vdupq_n_f32(lo), vhi = vdupq_n_f32(hi);
  const float32x4_t vap = vdupq_n_f32(p->a_post), vcp = vdupq_n_f32(p->c_post);
  const bool soft = p->bounds == HB_STDP_SOFT;
  for (size_t i = 0; i < k; i++) {
    post_trace[i] *= p->decay_post;
    const float sp = post_spikes[i];
    if (sp == 0.0f && !any_pre) continue;
    const float b = p->a_pre * post_trace[i] + p->c_pre;
    const float32x4_t vsp = vdupq_n_f32(sp), vb = vdupq_n_f32(b);
    float *w = W + i * ldw;
    j = soft ? stdp_row(d, true, vsp, vb, vap, vcp, pre_trace, pre_spikes, w, vlo, vhi)
             : stdp_row(d, false, vsp, vb, vap, vcp, pre_trace, pre_spikes, w, vlo, vhi);
    for (; j < d; j++)
      w[j] = hb_stdp_weight_step(p, sp, b, pre_trace[j], pre_spikes[j], w[j]);
  }
  const float near = p->pairing == HB_STDP_NEAREST ? 1.0f : 0.0f;
  const float32x4_t vnear = vdupq_n_f32(near), one = vdupq_n_f32(1.0f);
  j = 0;
  for (; j + 4 <= d; j += 4) {
    float32x4_t x = vld1q_f32(pre_trace + j);
    float32x4_t gap = vfmsq_f32(one, vnear, x); /* 1 - near x */
    vst1q_f32(pre_trace + j, vfmaq_f32(x, vld1q_f32(pre_spikes + j), gap));
  }
  for (; j < d; j++) pre_trace[j] = hb_stdp_trace_jump(pre_trace[j], pre_spikes[j], near);
  for (size_t i = 0; i < k; i++)
    post_trace[i] = hb_stdp_trace_jump(post_trace[i], post_spikes[i], near);
}
#endif
