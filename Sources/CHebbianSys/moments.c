/* The input moments behind pca's summary on a file (PCACommand.InputMoments): sums and cross
 * products of the samples in Double, four samples to each pass over the products, so that
 * each accumulator is loaded and stored once per four samples rather than once per sample.
 * (A copy per d up to 8 took a fifth fewer instructions for 10 KB more code: not worth it
 * next to the second reading of the input these replace, about ten times as many.) */
#include "hb_sys.h"

void hb_sys_moments_add(const float *x, size_t n, size_t d, const double *shift, double *sum,
                        double *cross) {
  double v[4][HB_SYS_MOMENTS_MAX_DIM];
  size_t s = 0;
  for (; s + 4 <= n; s += 4) {
    for (size_t i = 0; i < 4; i++) {
      for (size_t j = 0; j < d; j++) v[i][j] = (double)x[(s + i) * d + j] - shift[j];
    }
    for (size_t j = 0; j < d; j++) {
      sum[j] += (v[0][j] + v[1][j]) + (v[2][j] + v[3][j]);
      double *row = cross + j * d;
      for (size_t l = 0; l <= j; l++) {
        row[l] += (v[0][j] * v[0][l] + v[1][j] * v[1][l]) + (v[2][j] * v[2][l] + v[3][j] * v[3][l]);
      }
    }
  }
  for (; s < n; s++) {
    for (size_t j = 0; j < d; j++) v[0][j] = (double)x[s * d + j] - shift[j];
    for (size_t j = 0; j < d; j++) {
      sum[j] += v[0][j];
      double *row = cross + j * d;
      for (size_t l = 0; l <= j; l++) row[l] += v[0][j] * v[0][l];
    }
  }
}
