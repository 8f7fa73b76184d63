#include "../internal.h"

/* W_ij += eta y_i (x_j - W_ij): row i relaxes toward x at rate eta y_i, so over the inputs
 * that activate unit i it converges to their y-weighted mean. */
void hb_instar_step_f32__scalar(size_t k, size_t d, float eta, const float *x, const float *y,
                                float *W, size_t ldw) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float ey = eta * y[i];
    for (size_t j = 0; j < d; j++) w[j] += ey * (x[j] - w[j]);
  }
}
