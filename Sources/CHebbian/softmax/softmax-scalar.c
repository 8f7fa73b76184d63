#include "../internal.h"

#include <math.h>

/* y = exp(beta x - c) / Z with c = max beta x (so every exponent is <= 0 and Z >= 1);
 * returns c + log Z = log sum exp(beta x). */
float hb_softmax_f32__scalar(size_t n, float beta, const float *x, float *y) {
  float hi = x[0], lo = x[0];
  for (size_t i = 1; i < n; i++) {
    hi = x[i] > hi ? x[i] : hi;
    lo = x[i] < lo ? x[i] : lo;
  }
  float c = beta >= 0.0f ? beta * hi : beta * lo;
  float z = 0.0f;
  for (size_t i = 0; i < n; i++) {
    float bx = beta * x[i]; /* its own statement: never contracted into an FMA */
    float e = expf(bx - c);
    y[i] = e;
    z += e;
  }
  float inv = 1.0f / z;
  for (size_t i = 0; i < n; i++) y[i] *= inv;
  return c + logf(z);
}
