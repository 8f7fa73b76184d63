#include "../internal.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* A += alpha x y^T: each element of A loaded, fused and stored once; four rows share each
 * load of y. */
void hb_ger_f32__neon(size_t m, size_t n, float alpha, const float *x, const float *y,
                      float *A, size_t lda) {
  size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    float *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    const float c0 = alpha * x[i], c1 = alpha * x[i + 1];
    const float c2 = alpha * x[i + 2], c3 = alpha * x[i + 3];
    const float32x4_t x0 = vdupq_n_f32(c0), x1 = vdupq_n_f32(c1);
    const float32x4_t x2 = vdupq_n_f32(c2), x3 = vdupq_n_f32(c3);
    size_t j = 0;
    /* All four rows loaded before the first store: rows may alias y, so a store would
     * otherwise order every later load after it, and an in-order core (Cortex-A53) would
     * wait out each load -> FMA -> store chain in turn. */
    for (; j + 4 <= n; j += 4) {
      const float32x4_t yv = vld1q_f32(y + j);
      const float32x4_t v0 = vld1q_f32(a0 + j), v1 = vld1q_f32(a1 + j);
      const float32x4_t v2 = vld1q_f32(a2 + j), v3 = vld1q_f32(a3 + j);
      vst1q_f32(a0 + j, vfmaq_f32(v0, x0, yv));
      vst1q_f32(a1 + j, vfmaq_f32(v1, x1, yv));
      vst1q_f32(a2 + j, vfmaq_f32(v2, x2, yv));
      vst1q_f32(a3 + j, vfmaq_f32(v3, x3, yv));
    }
    for (; j < n; j++) {
      a0[j] += c0 * y[j];
      a1[j] += c1 * y[j];
      a2[j] += c2 * y[j];
      a3[j] += c3 * y[j];
    }
  }
  for (; i < m; i++) {
    float *a = A + i * lda;
    const float c = alpha * x[i];
    const float32x4_t xv = vdupq_n_f32(c);
    size_t j = 0;
    for (; j + 4 <= n; j += 4) vst1q_f32(a + j, vfmaq_f32(vld1q_f32(a + j), xv, vld1q_f32(y + j)));
    for (; j < n; j++) a[j] += c * y[j];
  }
}
#endif
