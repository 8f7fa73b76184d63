#include "../steps.h"

/* Adjoint of  a = u + (w + alpha (.) H)^T x,  y = tanh(a),  H' = trace(H, x, y).
 * Pass 1 completes dL/dy with the path through H' (a column reduction over gH), then
 * dL/da = dL/dy (1 - y^2). Pass 2 reads every matrix once and, with g_ij = x_i dL/da_j:
 *   dw += g,  dalpha += H (.) g,  dx_i += sum_j (w + alpha H)_ij da_j + eta gH_ij y_j,
 *   deta += gH (.) dH'/deta,  gH <- gH (.) dH'/dH + alpha (.) g. */
float hb_plastic_backward_step_f32__scalar(hb_trace_rule rule, size_t m, size_t n, float eta,
                                           const float *w, const float *alpha, const float *H,
                                           size_t ld, const float *x, const float *y, float *gy,
                                           float *gH, float *gx, float *gw, float *galpha) {
  int oja = rule == HB_TRACE_OJA;
  for (size_t i = 0; i < m; i++) {
    const float *gh = gH + i * ld, *hi = H + i * ld;
    float exi = eta * x[i];
    if (oja) {
      for (size_t j = 0; j < n; j++)
        gy[j] = hb_plastic_gy_step(true, eta, exi, gy[j], gh[j], hi[j], y[j]);
    } else {
      for (size_t j = 0; j < n; j++)
        gy[j] = hb_plastic_gy_step(false, eta, exi, gy[j], gh[j], hi[j], y[j]);
    }
  }
  for (size_t j = 0; j < n; j++) gy[j] *= 1.0f - y[j] * y[j];

  float geta = 0.0f;
  float keep = 1.0f - eta;
  for (size_t i = 0; i < m; i++) {
    const float *wi = w + i * ld, *ai = alpha + i * ld, *hi = H + i * ld;
    float *gh = gH + i * ld, *gwi = gw + i * ld, *gai = galpha + i * ld;
    float xi = x[i];
    float acc = 0.0f;
    for (size_t j = 0; j < n; j++)
      hb_plastic_backward_elem(oja, eta, keep, xi, j, wi, ai, hi, gy, y, gh, gwi, gai, &acc, &geta);
    gx[i] += acc;
  }
  return geta;
}
