#include "../internal.h"

/* Reference: one accumulator, in order. Vector bodies reassociate the sum, so they agree with
 * this to within n * eps * sum|x_i y_i|. */
float hb_dot_f32__scalar(size_t n, const float *x, size_t incx, const float *y, size_t incy) {
  float s = 0.0f;
  for (size_t i = 0; i < n; i++) s += x[i * incx] * y[i * incy];
  return s;
}
