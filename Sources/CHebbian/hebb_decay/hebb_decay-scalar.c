#include "../internal.h"

/* W_ij <- (1 - lambda) W_ij + eta y_i x_j : decay and Hebbian growth in one read/write of W. */
void hb_hebb_decay_step_f32__scalar(size_t k, size_t d, float eta, float lambda, const float *x,
                                    const float *y, float *W, size_t ldw) {
  const float keep = 1.0f - lambda;
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float ey = eta * y[i];
    for (size_t j = 0; j < d; j++) w[j] = keep * w[j] + ey * x[j];
  }
}
