#include "../internal.h"

/* W_ij += eta x_j y_i (y_i - theta_i): the row gain phi(y) = y (y - theta) is positive (LTP)
 * above the threshold and negative (LTD) between 0 and theta. */
void hb_bcm_step_f32__scalar(size_t k, size_t d, float eta, const float *x, const float *y,
                             const float *theta, float *W, size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float g = eta * y[i] * (y[i] - theta[i]);
    for (size_t j = 0; j < d; j++) w[j] += g * x[j];
  }
}
