#include "../internal.h"

/* y = w.x;  w += eta y (x - y w).  W traffic: read twice (dot, update), written once; the
 * second read cannot be avoided because y needs all of w before any element moves. */
float hb_oja_step_f32__scalar(size_t d, float eta, const float *x, float *w) {
  float y = 0.0f;
  for (size_t j = 0; j < d; j++) y += w[j] * x[j];
  float ey = eta * y;
  for (size_t j = 0; j < d; j++) w[j] += ey * (x[j] - y * w[j]);
  return y;
}
