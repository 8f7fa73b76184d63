#include "../internal.h"

/* y = alpha A x + beta y; beta == 0 never reads y (it may hold NaN). */
void hb_gemv_f32__scalar(size_t m, size_t n, float alpha, const float *A, size_t lda,
                         const float *x, float beta, float *y) {
  for (size_t i = 0; i < m; i++) {
    const float *a = A + i * lda;
    float s = 0.0f;
    for (size_t j = 0; j < n; j++) s += a[j] * x[j];
    y[i] = beta == 0.0f ? alpha * s : alpha * s + beta * y[i];
  }
}
