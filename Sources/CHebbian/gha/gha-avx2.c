#include "../rules-small-avx2.h"

#if HB_BUILD_AVX2

/* One row's step on a vector of columns: r -= y_i W_i (an FMA), then W_i += (eta y_i) r as a
 * multiply and an add rather than a second FMA. Two FMAs and a 256-bit store per vector ran
 * at about 0.6 ns on Zen 3 (the sweep was 2x its FMA bound), while FMA, multiply, add and
 * store ran at about 0.45 ns: the add goes to the FP adder pipes, which the sweep otherwise
 * leaves idle. Measured in one process, interleaved, best of 31 (EPYC, Zen 3): the
 * d = 256, k = 16 step 408 -> 335 ns, d = 1024, k = 32 4040 -> 3670 ns. Subtracting y_i W_i
 * as a multiply and a subtract too was slower at d = 1024 (the residual's chain through
 * four rows is then 6 cycles a row, not 4). W's update is rounded twice instead of once,
 * well inside the contract's bound. */
HB_AVX2_INLINE __m256 gha_residual(__m256 yi, __m256 wv, __m256 r) {
  return _mm256_fnmadd_ps(yi, wv, r);
}
HB_AVX2_INLINE __m256 gha_update(__m256 ei, __m256 r, __m256 wv) {
  return _mm256_add_ps(wv, _mm256_mul_ps(ei, r));
}

/* Columns [j, j + 8 nb + tail) of the sweep (W from column j), for every row: r = x, then
 * row i does
 *   r -= y_i W_i ;  W_i += (eta y_i) r      (r is the cumulative GHA residual, old W_i)
 * so each W element is loaded once and stored once. The nb (+1) residual vectors stay in
 * registers across all k rows; nb = 8 gives 8 independent r chains per row, which hides the
 * 4-cycle FMA latency on the r dependence from one row to the next. */
HB_AVX2_INLINE void gha_panel(size_t nb, size_t tail, __m256i m, __m256 *r, size_t k,
                              const float *eta, float *W, size_t ldw, const float *y) {
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    __m256 yi = _mm256_set1_ps(y[i]), ei = _mm256_set1_ps(eta[i] * y[i]);
    for (size_t v = 0; v < nb; v++) {
      __m256 wv = _mm256_loadu_ps(w + 8 * v);
      r[v] = gha_residual(yi, wv, r[v]);
      _mm256_storeu_ps(w + 8 * v, gha_update(ei, r[v], wv));
    }
    if (tail) {
      __m256 wv = _mm256_maskload_ps(w + 8 * nb, m);
      r[nb] = gha_residual(yi, wv, r[nb]);
      _mm256_maskstore_ps(w + 8 * nb, m, gha_update(ei, r[nb], wv));
    }
  }
}

/* R <= 4 rows of the 4 KiB-row path over one chunk: for each vector of columns, the rows'
 * vectors loaded, the residual carried through them in registers, then the rows stored. */
HB_AVX2_INLINE void gha_chunk_rows(size_t R, size_t n, size_t nv, __m256i m, const float *eta,
                                   float *r, float *W, size_t ldw, const float *y) {
  __m256 yi[4], ei[4], wv[4];
  for (size_t a = 0; a < R; a++) {
    yi[a] = _mm256_set1_ps(y[a]);
    ei[a] = _mm256_set1_ps(eta[a] * y[a]);
  }
  for (size_t j = 0; j < nv; j += 8) {
    for (size_t a = 0; a < R; a++) wv[a] = _mm256_loadu_ps(W + a * ldw + j);
    __m256 rv = _mm256_load_ps(r + j);
    for (size_t a = 0; a < R; a++) {
      rv = gha_residual(yi[a], wv[a], rv);
      wv[a] = gha_update(ei[a], rv, wv[a]);
    }
    for (size_t a = 0; a < R; a++) _mm256_storeu_ps(W + a * ldw + j, wv[a]);
    _mm256_store_ps(r + j, rv);
  }
  if (nv < n) {
    for (size_t a = 0; a < R; a++) wv[a] = _mm256_maskload_ps(W + a * ldw + nv, m);
    __m256 rv = _mm256_maskload_ps(r + nv, m);
    for (size_t a = 0; a < R; a++) {
      rv = gha_residual(yi[a], wv[a], rv);
      wv[a] = gha_update(ei[a], rv, wv[a]);
    }
    for (size_t a = 0; a < R; a++) _mm256_maskstore_ps(W + a * ldw + nv, m, wv[a]);
    _mm256_maskstore_ps(r + nv, m, rv);
  }
}

/* The 4 KiB-row path: the same cumulative residual over a chunk of at most HB_AVX2_ROW_CHUNK
 * columns kept on the stack, four rows at a time. The residual goes through memory once per
 * four rows, not once per row (a store per row vector was the sweep's bound: two stores per
 * two FMAs); within a column vector the four rows' loads come before their stores, and the
 * next access to the same 4 KiB offset is a chunk later, so no load waits on a store it
 * only seems to depend on. */
HB_AVX2_INLINE void gha_chunk(size_t k, size_t n, size_t nv, __m256i m, const float *eta,
                              float *r, float *W, size_t ldw, const float *y) {
  size_t i = 0;
  for (; i + 4 <= k; i += 4) gha_chunk_rows(4, n, nv, m, eta + i, r, W + i * ldw, ldw, y + i);
  for (; i < k; i++) gha_chunk_rows(1, n, nv, m, eta + i, r, W + i * ldw, ldw, y + i);
}

HB_AVX2 static void gha_rows(size_t k, size_t d, const float *eta, const float *x, float *W,
                             size_t ldw, const float *y) {
  HB_AVX2_ROW_CHUNKS(gha_chunk, k, d, eta, x, W, ldw, y);
}

/* y = W x;  W += eta (y x^T - LT(y y^T) W).   6kd flop: 2kd for y, 4kd for the sweep.
 * W traffic: read twice (pass 1 for y, the sweep), written once. Two reads are the minimum:
 * every row's update needs every y_j, j <= i, hence all of the row's dot product. */
HB_AVX2 __attribute__((noinline)) static void gha_large(size_t k, size_t d, const float *eta,
                                                        const float *x, float *W, size_t ldw,
                                                        float *y) {
  HB_AVX2_K_RULE_LARGE(gha_rows, gha_panel, true, k, d, eta, x, W, ldw, y);
}

HB_AVX2_K_RULE_SMALL(gha_small, HB_AVX2_GHA)

HB_AVX2 void hb_gha_step_f32__avx2(size_t k, size_t d, const float *eta, const float *x, float *W,
                                   size_t ldw, float *y) {
  HB_AVX2_K_RULE_STEP(gha_small, gha_large, k, d, eta, x, W, ldw, y);
}

#endif
