#include "../internal.h"

/* A += alpha x y^T */
void hb_ger_f32__scalar(size_t m, size_t n, float alpha, const float *x, const float *y,
                        float *A, size_t lda) {
  for (size_t i = 0; i < m; i++) {
    float *a = A + i * lda;
    float ax = alpha * x[i];
    for (size_t j = 0; j < n; j++) a[j] += ax * y[j];
  }
}
