#include "../internal.h"

/* y = alpha A^T x + beta y, walking A by rows so memory is read in order. */
void hb_gemv_t_f32__scalar(size_t m, size_t n, float alpha, const float *A, size_t lda,
                           const float *x, float beta, float *y) {
  for (size_t j = 0; j < n; j++) y[j] = beta == 0.0f ? 0.0f : beta * y[j];
  for (size_t i = 0; i < m; i++) {
    const float *a = A + i * lda;
    float ax = alpha * x[i];
    for (size_t j = 0; j < n; j++) y[j] += ax * a[j];
  }
}
