#include "../internal.h"

/* x *= a */
void hb_scal_f32__scalar(size_t n, float a, float *x, size_t incx) {
  for (size_t i = 0; i < n; i++) x[i * incx] *= a;
}
