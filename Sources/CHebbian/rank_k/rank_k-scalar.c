#include "../internal.h"

/* A += alpha X^T Y:  A_ij += alpha sum_t X_ti Y_tj. The sum over the batch is formed first
 * so each A_ij is read and written once. */
void hb_rank_k_f32__scalar(size_t m, size_t n, size_t b, float alpha, const float *X,
                           size_t ldx, const float *Y, size_t ldy, float *A, size_t lda) {
  for (size_t i = 0; i < m; i++) {
    float *a = A + i * lda;
    for (size_t j = 0; j < n; j++) {
      float s = 0.0f;
      for (size_t t = 0; t < b; t++) s += X[t * ldx + i] * Y[t * ldy + j];
      a[j] += alpha * s;
    }
  }
}
