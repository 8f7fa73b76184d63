/* Scalar element steps shared by a kernel's scalar reference and the tails of its vector
 * bodies (CMSIS-DSP's single tail loop): the arithmetic of one element is written once, so a
 * vector body's tail is bit-identical to the reference on the same element. */
#ifndef HEBBIAN_STEPS_H
#define HEBBIAN_STEPS_H

#include "internal.h"

#define HB_STEP static inline __attribute__((always_inline))

/* STDP at W_ij:  dW = s_i (a_post x_j + c_post) + s_j b  (b = a_pre y_i + c_pre), then the
 * hard or multiplicative bound of hb_plasticity.h, then the clamp to [w_min, w_max]. */
HB_STEP float hb_stdp_weight_step(const hb_stdp_params *p, float sp, float b, float pre_trace,
                                  float pre_spike, float v) {
  const float lo = p->w_min, hi = p->w_max;
  float dw = sp * (p->a_post * pre_trace + p->c_post) + pre_spike * b;
  if (p->bounds == HB_STDP_SOFT)
    v += dw > 0.0f ? dw * (hi - v) : dw * (v - lo);
  else
    v += dw;
  return v < lo ? lo : (v > hi ? hi : v);
}

/* y = W x over k rows of d (ldw), each dot summed left to right: the first pass of the
 * subspace and GHA references. */
HB_STEP void hb_rows_dot_step(size_t k, size_t d, const float *W, size_t ldw, const float *x,
                              float *y) {
  for (size_t i = 0; i < k; i++) {
    float s = 0.0f;
    for (size_t j = 0; j < d; j++) s += W[i * ldw + j] * x[j];
    y[i] = s;
  }
}

/* A trace's jump at a spike s: all-to-all x += s (near = 0), nearest x += s (1 - x). */
HB_STEP float hb_stdp_trace_jump(float trace, float spike, float near) {
  return trace + spike * (1.0f - near * trace);
}

/* Pass 1 of the plastic backward step at (i, j): dL/dy_j += gH_ij dH'_ij/dy_j, with
 * exi = eta x_i; Oja's trace adds the -2 eta H_ij y_j of its decay term. */
HB_STEP float hb_plastic_gy_step(bool oja, float eta, float exi, float gy, float gh, float h,
                                 float y) {
  return oja ? gy + gh * (exi - 2.0f * eta * h * y) : gy + gh * exi;
}

/* Pass 2 of the plastic backward step at element j of row i (equations in
 * plastic_backward-scalar.c): accumulates dw, dalpha, dL/dx_i (*acc) and dL/deta (*geta) and
 * turns gH_ij into dL/dH_ij. keep = 1 - eta. */
HB_STEP void hb_plastic_backward_elem(bool oja, float eta, float keep, float xi, size_t j,
                                      const float *wi, const float *ai, const float *hi,
                                      const float *gy, const float *y, float *gh, float *gwi,
                                      float *gai, float *acc, float *geta) {
  float g = xi * gy[j];
  float h = hi[j];
  gwi[j] += g;
  gai[j] += h * g;
  *acc += (wi[j] + ai[j] * h) * gy[j] + eta * gh[j] * y[j];
  float xy = xi * y[j];
  if (oja) {
    float yy = y[j] * y[j];
    *geta += gh[j] * (xy - h * yy);
    gh[j] = gh[j] * (1.0f - eta * yy) + ai[j] * g;
  } else {
    *geta += gh[j] * (xy - h);
    gh[j] = keep * gh[j] + ai[j] * g;
  }
}

#endif
