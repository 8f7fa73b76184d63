#include "../rules-neon.h"
#include "../simd-vec.h"

#if HB_BUILD_NEON

/* w + ey (x - y w), both steps fused. */
HB_NEON_INLINE float32x4_t oja_update(float32x4_t w, float32x4_t x, float32x4_t yv,
                                      float32x4_t ev) {
  return vfmaq_f32(w, ev, vfmsq_f32(x, yv, w));
}

/* y = w.x;  w += eta y (x - y w).   6d flop; w read twice (dot, update), written once. */
float hb_oja_step_f32__neon(size_t d, float eta, const float *x, float *w) {
  float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0, a2 = a0, a3 = a0;
  size_t j = 0;
  for (; j + 16 <= d; j += 16) {
    a0 = vfmaq_f32(a0, vld1q_f32(w + j), vld1q_f32(x + j));
    a1 = vfmaq_f32(a1, vld1q_f32(w + j + 4), vld1q_f32(x + j + 4));
    a2 = vfmaq_f32(a2, vld1q_f32(w + j + 8), vld1q_f32(x + j + 8));
    a3 = vfmaq_f32(a3, vld1q_f32(w + j + 12), vld1q_f32(x + j + 12));
  }
  /* At most three vectors left, each into its own accumulator: a loop here was one
   * accumulator's latency chain (8x the pipe bound on an in-order Cortex-A53). */
  if (j + 4 <= d) a0 = vfmaq_f32(a0, vld1q_f32(w + j), vld1q_f32(x + j)), j += 4;
  if (j + 4 <= d) a1 = vfmaq_f32(a1, vld1q_f32(w + j), vld1q_f32(x + j)), j += 4;
  if (j + 4 <= d) a2 = vfmaq_f32(a2, vld1q_f32(w + j), vld1q_f32(x + j)), j += 4;
  float y = hb_neon_hsum(vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3)));
  for (size_t c = j; c < d; c++) y += w[c] * x[c];
  float ey = eta * y;
  float32x4_t yv = vdupq_n_f32(y), ev = vdupq_n_f32(ey);
  /* Whole blocks of HB_VF_ROW_VECS vectors, then the fewer whole vectors left loaded
   * together before the first store (one vector a loop iteration was one load -> FMS -> FMA
   * -> store chain after another: 10x the pipe bound on an in-order Cortex-A53), then the
   * partial vector. */
  const size_t whole = d & ~(size_t)(4 * HB_VF_ROW_VECS - 1), nv = (d - whole) / 4;
  for (j = 0; j < whole; j += 4 * HB_VF_ROW_VECS) {
    float32x4_t wv[HB_VF_ROW_VECS], xv[HB_VF_ROW_VECS];
#pragma GCC unroll 8
    for (size_t u = 0; u < HB_VF_ROW_VECS; u++)
      wv[u] = vld1q_f32(w + j + 4 * u);
#pragma GCC unroll 8
    for (size_t u = 0; u < HB_VF_ROW_VECS; u++) xv[u] = vld1q_f32(x + j + 4 * u);
    /* Every load before the first multiply-add, every x - y w before the first update, every
     * update before the first store (HB_NEON_FENCE_N). */
    HB_NEON_FENCE_N(wv, HB_VF_ROW_VECS);
    HB_NEON_FENCE_N(xv, HB_VF_ROW_VECS);
#pragma GCC unroll 8
    for (size_t u = 0; u < HB_VF_ROW_VECS; u++) xv[u] = vfmsq_f32(xv[u], yv, wv[u]);
    HB_NEON_FENCE_N(xv, HB_VF_ROW_VECS);
#pragma GCC unroll 8
    for (size_t u = 0; u < HB_VF_ROW_VECS; u++) wv[u] = vfmaq_f32(wv[u], ev, xv[u]);
    HB_NEON_FENCE_N(wv, HB_VF_ROW_VECS);
#pragma GCC unroll 8
    for (size_t u = 0; u < HB_VF_ROW_VECS; u++) vst1q_f32(w + j + 4 * u, wv[u]);
  }
  float32x4_t wv[HB_VF_ROW_VECS - 1], xv[HB_VF_ROW_VECS - 1];
#pragma GCC unroll 8
  for (size_t u = 0; u + 1 < HB_VF_ROW_VECS; u++)
    if (u < nv) wv[u] = vld1q_f32(w + whole + 4 * u), xv[u] = vld1q_f32(x + whole + 4 * u);
#pragma GCC unroll 8
  for (size_t u = 0; u + 1 < HB_VF_ROW_VECS; u++)
    if (u < nv) vst1q_f32(w + whole + 4 * u, oja_update(wv[u], xv[u], yv, ev));
  j = whole + 4 * nv;
  if (j < d) hb_neon_store_part(w + j, d - j, oja_update(hb_neon_load_part(w + j, d - j),
                                                         hb_neon_load_part(x + j, d - j), yv, ev));
  return y;
}

#endif
