#include "../steps.h"

/* y = W x;  row i:  W_i += eta_i y_i (x - sum_{j<=i} y_j W_j)   (old W on the right).
 * The residual is cumulative down the rows, so one column sweep subtracts row i's old value
 * and then updates it: W is read twice (y, sweep) and written once. */
void hb_gha_step_f32__scalar(size_t k, size_t d, const float *eta, const float *x, float *W,
                             size_t ldw, float *y) {
  hb_rows_dot_step(k, d, W, ldw, x, y);
  for (size_t j = 0; j < d; j++) {
    float r = x[j];
    for (size_t i = 0; i < k; i++) {
      float *w = &W[i * ldw + j];
      r -= y[i] * *w;
      *w += eta[i] * y[i] * r;
    }
  }
}
