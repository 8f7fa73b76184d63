#include "../rules-neon.h"

#if HB_BUILD_NEON

/* y = w.x;  w += eta y (x - y w).   6d flop; w read twice (dot, update), written once. */
HB_NEON_INLINE float oja_body(size_t d, float eta, const float *x, float *w) {
  float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0, a2 = a0, a3 = a0;
  size_t j = 0;
  for (; j + 16 <= d; j += 16) {
    a0 = vfmaq_f32(a0, vld1q_f32(w + j), vld1q_f32(x + j));
    a1 = vfmaq_f32(a1, vld1q_f32(w + j + 4), vld1q_f32(x + j + 4));
    a2 = vfmaq_f32(a2, vld1q_f32(w + j + 8), vld1q_f32(x + j + 8));
    a3 = vfmaq_f32(a3, vld1q_f32(w + j + 12), vld1q_f32(x + j + 12));
  }
  for (; j + 4 <= d; j += 4) a0 = vfmaq_f32(a0, vld1q_f32(w + j), vld1q_f32(x + j));
  float y = hb_neon_hsum(vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3)));
  for (size_t c = j; c < d; c++) y += w[c] * x[c];
  float ey = eta * y;
  float32x4_t yv = vdupq_n_f32(y), ev = vdupq_n_f32(ey);
  for (j = 0; j + 4 <= d; j += 4) {
    float32x4_t wv = vld1q_f32(w + j);
    vst1q_f32(w + j, vfmaq_f32(wv, ev, vfmsq_f32(vld1q_f32(x + j), yv, wv)));
  }
  for (size_t c = d & ~(size_t)3; c < d; c++) w[c] += ey * (x[c] - y * w[c]);
  return y;
}

/* At d <= 16 the body is instantiated with d a constant (rules-small.h): the loops unroll,
 * the row stays in registers between the dot and the update. */
float hb_oja_step_f32__neon(size_t d, float eta, const float *x, float *w) {
  if (d >= 1 && d <= HB_SMALL_D_MAX) {
    float y;
#define OJA_AT(D) y = oja_body(D, eta, x, w)
    HB_SMALL_D_SWITCH(d, OJA_AT)
#undef OJA_AT
    return y;
  }
  return oja_body(d, eta, x, w);
}

#endif
