/* Sanger's GHA step as a user writes it without the library: y = W x, then r = x and row by
 * row r -= y_i W_i; W_i += eta_i y_i r. Built twice by Scripts/plain-loop.sh (clang -O3
 * -march=native, with and without -ffast-math) under the name PLAIN_GHA. */
#include <stddef.h>

void PLAIN_GHA(size_t k, size_t d, const float *restrict eta, const float *restrict x,
               float *restrict W, size_t ldw, float *restrict y, float *restrict r) {
  for (size_t i = 0; i < k; i++) {
    float s = 0;
    for (size_t j = 0; j < d; j++) s += W[i * ldw + j] * x[j];
    y[i] = s;
  }
  for (size_t j = 0; j < d; j++) r[j] = x[j];
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    const float yi = y[i], e = eta[i] * y[i];
    for (size_t j = 0; j < d; j++) {
      r[j] -= yi * w[j];
      w[j] += e * r[j];
    }
  }
}
