#include "../internal.h"

/* decay: H = (1 - eta) H + eta x y^T   (an exponential average of x y^T, bounded by max|x y|)
 * Oja:   H_ij += eta y_j (x_i - H_ij y_j) (the -y_j^2 H_ij term keeps each column bounded) */
void hb_hebb_trace_step_f32__scalar(hb_trace_rule rule, size_t m, size_t n, float eta,
                                    const float *x, const float *y, float *H, size_t ld) {
  if (rule == HB_TRACE_OJA) {
    for (size_t i = 0; i < m; i++) {
      float *h = H + i * ld;
      float xi = x[i];
      for (size_t j = 0; j < n; j++) h[j] += eta * y[j] * (xi - h[j] * y[j]);
    }
  } else {
    float keep = 1.0f - eta;
    for (size_t i = 0; i < m; i++) {
      float *h = H + i * ld;
      float exi = eta * x[i];
      for (size_t j = 0; j < n; j++) h[j] = keep * h[j] + exi * y[j];
    }
  }
}
