#include "../internal.h"
#include <math.h>

/* ||x||_2 with the sum of squares in double: no overflow or underflow for any finite float
 * input, and exact enough that vector variants are compared against it. */
float hb_nrm2_f32__scalar(size_t n, const float *x, size_t incx) {
  double s = 0.0;
  for (size_t i = 0; i < n; i++) {
    double v = (double)x[i * incx];
    s += v * v;
  }
  return (float)sqrt(s);
}
