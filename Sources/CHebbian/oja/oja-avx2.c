#include "../rules-small-avx2.h"

#if HB_BUILD_AVX2

/* y = w.x;  w += eta y (x - y w).   6d flop (2d dot, 4d update). w is read twice and written
 * once: y needs all of w before any element moves. The dot keeps 4 accumulators (one row
 * cannot fill 8 chains without a long unroll; at d < 256 the call overhead dominates). */
HB_AVX2 float hb_oja_step_f32__avx2(size_t d, float eta, const float *x, float *w) {
  /* d <= 16: the small-d body (rules-small-avx2.h), one instance per d. */
  if (d >= 1 && d <= HB_SMALL_D_MAX) {
    float y;
    __m256 x0, x1;
#define OJA_AT(D)                                                                            \
  hb_avx2_row_load(D, false, x, &x0, &x1);                                                   \
  y = hb_avx2_oja_small(D, false, eta, x0, x1, w)
    HB_SMALL_D_SWITCH(d, OJA_AT)
#undef OJA_AT
    return y;
  }
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  size_t j = 0;
  for (; j + 32 <= d; j += 32) {
    a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j), _mm256_loadu_ps(x + j), a0);
    a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 8), _mm256_loadu_ps(x + j + 8), a1);
    a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 16), _mm256_loadu_ps(x + j + 16), a2);
    a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j + 24), _mm256_loadu_ps(x + j + 24), a3);
  }
  for (; j + 8 <= d; j += 8)
    a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + j), _mm256_loadu_ps(x + j), a0);
  __m256i m = hb_avx2_tail_mask(d - j);
  if (j < d) a1 = _mm256_fmadd_ps(_mm256_maskload_ps(w + j, m), _mm256_maskload_ps(x + j, m), a1);
  float y = hb_avx2_hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  __m256 yv = _mm256_set1_ps(y), ev = _mm256_set1_ps(eta * y);
  for (j = 0; j + 8 <= d; j += 8) {
    __m256 wv = _mm256_loadu_ps(w + j);
    __m256 t = _mm256_fnmadd_ps(yv, wv, _mm256_loadu_ps(x + j));
    _mm256_storeu_ps(w + j, _mm256_fmadd_ps(ev, t, wv));
  }
  if (j < d) {
    __m256 wv = _mm256_maskload_ps(w + j, m);
    __m256 t = _mm256_fnmadd_ps(yv, wv, _mm256_maskload_ps(x + j, m));
    _mm256_maskstore_ps(w + j, m, _mm256_fmadd_ps(ev, t, wv));
  }
  return y;
}

#endif
