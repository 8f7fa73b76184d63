#include "../rules-avx2.h"

#if HB_BUILD_AVX2

/* d = D <= 16, bit for bit with the loops below: the full vectors in one chain (a0), the
 * tail in its own accumulator (a1) added before the sum (the zero accumulators are left out:
 * adding +0 to a sum of FMAs onto +0 changes nothing). No masked move on w (see
 * hb_avx2_load_short). */
HB_AVX2_INLINE float oja_small(size_t D, float eta, const float *x, float *w) {
  __m256 x0, x1, w0, w1, z = _mm256_setzero_ps(), s;
  hb_avx2_row_load(D, x, &x0, &x1);
  hb_avx2_row_load(D, w, &w0, &w1);
  if (D <= 8)
    s = _mm256_fmadd_ps(w0, x0, z);
  else if (D == 16)
    s = _mm256_fmadd_ps(w1, x1, _mm256_fmadd_ps(w0, x0, z));
  else
    s = _mm256_add_ps(_mm256_fmadd_ps(w0, x0, z), _mm256_fmadd_ps(w1, x1, z));
  float y = hb_avx2_hsum(s);
  __m256 yv = _mm256_set1_ps(y), ev = _mm256_set1_ps(eta * y);
  hb_avx2_row_store(D, w, _mm256_fmadd_ps(ev, _mm256_fnmadd_ps(yv, w0, x0), w0),
                    _mm256_fmadd_ps(ev, _mm256_fnmadd_ps(yv, w1, x1), w1));
  return y;
}

/* y = w.x;  w += eta y (x - y w).   6d flop (2d dot, 4d update). w is read twice and written
 * once: y needs all of w before any element moves. The dot keeps 4 accumulators (one row
 * cannot fill 8 chains without a long unroll; at d < 256 the call overhead dominates). */
HB_AVX2 float hb_oja_step_f32__avx2(size_t d, float eta, const float *x, float *w) {
  if (d >= 1 && d <= HB_SMALL_D_MAX) {
    float y;
#define OJA_AT(D) y = oja_small(D, eta, x, w)
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
