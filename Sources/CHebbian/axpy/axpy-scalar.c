#include "../internal.h"

/* y += a x */
void hb_axpy_f32__scalar(size_t n, float a, const float *x, size_t incx, float *y, size_t incy) {
  for (size_t i = 0; i < n; i++) y[i * incy] += a * x[i * incx];
}
