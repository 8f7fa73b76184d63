#include "../internal.h"

/* y = W x;  row i:  W_i += eta y_i (x - sum_{j<=i} y_j W_j)   (old W on the right).
 * The residual is cumulative down the rows, so one column sweep subtracts row i's old value
 * and then updates it: W is read twice (y, sweep) and written once. */
void hb_gha_step_f32__scalar(size_t k, size_t d, const float *eta, const float *x, float *W,
                             size_t ldw, float *y) {
  for (size_t i = 0; i < k; i++) {
    float s = 0.0f;
    for (size_t j = 0; j < d; j++) s += W[i * ldw + j] * x[j];
    y[i] = s;
  }
  for (size_t j = 0; j < d; j++) {
    float r = x[j];
    for (size_t i = 0; i < k; i++) {
      float *w = &W[i * ldw + j];
      r -= y[i] * *w;
      *w += eta[i] * y[i] * r;
    }
  }
}
