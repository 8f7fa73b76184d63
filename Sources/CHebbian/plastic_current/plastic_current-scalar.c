#include "../internal.h"

/* a_j += sum_i (w_ij + alpha_ij H_ij) x_i : the effective weight is formed on the fly, so the
 * plastic matrix w + alpha (.) H is never stored. */
void hb_plastic_current_f32__scalar(size_t m, size_t n, const float *w, const float *alpha,
                                    const float *H, size_t ld, const float *x, float *a) {
  for (size_t i = 0; i < m; i++) {
    const float *wi = w + i * ld, *ai = alpha + i * ld, *hi = H + i * ld;
    float xi = x[i];
    if (xi == 0.0f) continue;
    for (size_t j = 0; j < n; j++) a[j] += (wi[j] + ai[j] * hi[j]) * xi;
  }
}
