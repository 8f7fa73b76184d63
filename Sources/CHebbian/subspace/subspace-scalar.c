#include "../steps.h"

/* y = W x;  W_i += eta_i y_i r^T  with  r = x - W^T y  (r uses the old W).
 * Column-at-a-time so r_j needs no scratch: W is read twice (y, then r_j and the update in
 * the same column sweep) and written once. */
void hb_subspace_step_f32__scalar(size_t k, size_t d, const float *eta, const float *x, float *W,
                                  size_t ldw, float *y) {
  hb_rows_dot_step(k, d, W, ldw, x, y);
  for (size_t j = 0; j < d; j++) {
    float r = x[j];
    for (size_t i = 0; i < k; i++) r -= y[i] * W[i * ldw + j];
    for (size_t i = 0; i < k; i++) W[i * ldw + j] += eta[i] * y[i] * r;
  }
}
