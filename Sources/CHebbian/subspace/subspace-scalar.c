#include "../internal.h"

/* y = W x;  W += eta y r^T  with  r = x - W^T y  (r uses the old W).
 * Column-at-a-time so r_j needs no scratch: W is read twice (y, then r_j and the update in
 * the same column sweep) and written once. */
void hb_subspace_step_f32__scalar(size_t k, size_t d, const float *eta, const float *x, float *W,
                                  size_t ldw, float *y) {
  for (size_t i = 0; i < k; i++) {
    float s = 0.0f;
    for (size_t j = 0; j < d; j++) s += W[i * ldw + j] * x[j];
    y[i] = s;
  }
  for (size_t j = 0; j < d; j++) {
    float r = x[j];
    for (size_t i = 0; i < k; i++) r -= y[i] * W[i * ldw + j];
    for (size_t i = 0; i < k; i++) W[i * ldw + j] += eta[i] * y[i] * r;
  }
}
