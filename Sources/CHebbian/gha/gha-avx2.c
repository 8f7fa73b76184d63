#include "../rules-avx2.h"

#if HB_BUILD_AVX2

/* Columns [j, j + 8 nb + tail) of the sweep, for every row: r = x, then row i does
 *   r -= y_i W_i ;  W_i += (eta y_i) r      (r is the cumulative GHA residual, old W_i)
 * so each W element is loaded once and stored once. The nb (+1) residual vectors stay in
 * registers across all k rows; nb = 8 gives 8 independent r chains per row, which hides the
 * 4-cycle FMA latency on the r dependence from one row to the next. */
HB_AVX2_INLINE void gha_panel(size_t nb, size_t k, float eta, const float *x, float *W,
                              size_t ldw, const float *y, size_t j, size_t tail) {
  __m256 r[9];
  __m256i m = hb_avx2_first_lanes(tail);
  for (size_t v = 0; v < nb; v++) r[v] = _mm256_loadu_ps(x + j + 8 * v);
  if (tail) r[nb] = _mm256_maskload_ps(x + j + 8 * nb, m);
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw + j;
    __m256 yi = _mm256_set1_ps(y[i]), ei = _mm256_set1_ps(eta * y[i]);
    for (size_t v = 0; v < nb; v++) {
      __m256 wv = _mm256_loadu_ps(w + 8 * v);
      r[v] = _mm256_fnmadd_ps(yi, wv, r[v]);
      _mm256_storeu_ps(w + 8 * v, _mm256_fmadd_ps(ei, r[v], wv));
    }
    if (tail) {
      __m256 wv = _mm256_maskload_ps(w + 8 * nb, m);
      r[nb] = _mm256_fnmadd_ps(yi, wv, r[nb]);
      _mm256_maskstore_ps(w + 8 * nb, m, _mm256_fmadd_ps(ei, r[nb], wv));
    }
  }
}

/* y = W x;  W += eta (y x^T - LT(y y^T) W).   6kd flop: 2kd for y, 4kd for the sweep.
 * W traffic: read twice (pass 1 for y, the sweep), written once. Two reads are the minimum:
 * every row's update needs every y_j, j <= i, hence all of the row's dot product. */
HB_AVX2 void hb_gha_step_f32__avx2(size_t k, size_t d, float eta, const float *x, float *W,
                                   size_t ldw, float *y) {
  if (k == 0) return;
  hb_avx2_wx(k, d, x, W, ldw, y);
  size_t j = 0;
  for (; j + 64 <= d; j += 64) gha_panel(8, k, eta, x, W, ldw, y, j, 0);
  size_t rest = d - j, tail = rest % 8;
  switch (rest / 8) {
  case 0: if (tail) gha_panel(0, k, eta, x, W, ldw, y, j, tail); break;
  case 1: gha_panel(1, k, eta, x, W, ldw, y, j, tail); break;
  case 2: gha_panel(2, k, eta, x, W, ldw, y, j, tail); break;
  case 3: gha_panel(3, k, eta, x, W, ldw, y, j, tail); break;
  case 4: gha_panel(4, k, eta, x, W, ldw, y, j, tail); break;
  case 5: gha_panel(5, k, eta, x, W, ldw, y, j, tail); break;
  case 6: gha_panel(6, k, eta, x, W, ldw, y, j, tail); break;
  default: gha_panel(7, k, eta, x, W, ldw, y, j, tail); break;
  }
}

#endif
