#include "../rules-small-avx2.h"

#if HB_BUILD_AVX2

/* Columns [j, j + 8 nb + tail) (W from column j): first r = x - sum_i y_i W_i over all k rows
 * (the residual of the whole subspace, old W), then W_i += (eta y_i) r. The k x (8 nb) panel is
 * at most k * 256 bytes, so the second loop finds it in L1. The nb residual vectors are the 8
 * independent FMA chains that keep both ports busy in the first loop. */
HB_AVX2_INLINE void subspace_panel(size_t nb, size_t tail, __m256i m, __m256 *r, size_t k,
                                   const float *eta, float *W, size_t ldw, const float *y) {
  for (size_t i = 0; i < k; i++) {
    const float *w = W + i * ldw;
    __m256 yi = _mm256_set1_ps(y[i]);
    for (size_t v = 0; v < nb; v++) r[v] = _mm256_fnmadd_ps(yi, _mm256_loadu_ps(w + 8 * v), r[v]);
    if (tail) r[nb] = _mm256_fnmadd_ps(yi, _mm256_maskload_ps(w + 8 * nb, m), r[nb]);
  }
  for (size_t i = 0; i < k; i++) {
    float *w = W + i * ldw;
    __m256 ei = _mm256_set1_ps(eta[i] * y[i]);
    for (size_t v = 0; v < nb; v++)
      _mm256_storeu_ps(w + 8 * v, _mm256_fmadd_ps(ei, r[v], _mm256_loadu_ps(w + 8 * v)));
    if (tail)
      _mm256_maskstore_ps(w + 8 * nb, m, _mm256_fmadd_ps(ei, r[nb], _mm256_maskload_ps(w + 8 * nb, m)));
  }
}

/* R <= 4 rows of the residual r -= y_i W_i over one chunk, the residual in a register across
 * the rows of each column vector (stored once per R rows, not once per row). */
HB_AVX2_INLINE void subspace_chunk_residual(size_t R, size_t n, size_t nv, __m256i m, float *r,
                                            const float *W, size_t ldw, const float *y) {
  __m256 yi[4];
  for (size_t a = 0; a < R; a++) yi[a] = _mm256_set1_ps(y[a]);
  for (size_t j = 0; j < nv; j += 8) {
    __m256 rv = _mm256_load_ps(r + j);
    for (size_t a = 0; a < R; a++) rv = _mm256_fnmadd_ps(yi[a], _mm256_loadu_ps(W + a * ldw + j), rv);
    _mm256_store_ps(r + j, rv);
  }
  if (nv < n) {
    __m256 rv = _mm256_maskload_ps(r + nv, m);
    for (size_t a = 0; a < R; a++)
      rv = _mm256_fnmadd_ps(yi[a], _mm256_maskload_ps(W + a * ldw + nv, m), rv);
    _mm256_maskstore_ps(r + nv, m, rv);
  }
}

/* The 4 KiB-row path: r = x - W^T y over a stack chunk of at most HB_AVX2_ROW_CHUNK columns,
 * accumulated four rows at a time (contiguous streams, no set conflicts), then
 * W_i += (eta y_i) r row by row. W is read three times (y, residual, update: the chunk of k
 * rows does not stay in L1 at these sizes) and written once. */
HB_AVX2_INLINE void subspace_chunk(size_t k, size_t n, size_t nv, __m256i m, const float *eta,
                                   float *r, float *W, size_t ldw, const float *y) {
  size_t i = 0;
  for (; i + 4 <= k; i += 4) subspace_chunk_residual(4, n, nv, m, r, W + i * ldw, ldw, y + i);
  for (; i < k; i++) subspace_chunk_residual(1, n, nv, m, r, W + i * ldw, ldw, y + i);
  for (i = 0; i < k; i++) {
    float *w = W + i * ldw;
    __m256 ei = _mm256_set1_ps(eta[i] * y[i]);
    for (size_t j = 0; j < nv; j += 8)
      _mm256_storeu_ps(w + j, _mm256_fmadd_ps(ei, _mm256_load_ps(r + j), _mm256_loadu_ps(w + j)));
    if (nv < n)
      _mm256_maskstore_ps(w + nv, m, _mm256_fmadd_ps(ei, _mm256_maskload_ps(r + nv, m),
                                                     _mm256_maskload_ps(w + nv, m)));
  }
}

HB_AVX2 static void subspace_rows(size_t k, size_t d, const float *eta, const float *x, float *W,
                                  size_t ldw, const float *y) {
  HB_AVX2_ROW_CHUNKS(subspace_chunk, k, d, eta, x, W, ldw, y);
}

/* y = W x;  W += eta y (x - W^T y)^T.   6kd flop: 2kd for y, 2kd for r, 2kd for the update.
 * W traffic from L2/memory: read twice (pass 1, residual), written once; the third read
 * (the update) hits the panel in L1. r needs every row before any row may move, so unlike
 * GHA the residual and the update cannot share one load. */
HB_AVX2 __attribute__((noinline)) static void subspace_large(size_t k, size_t d, const float *eta,
                                                             const float *x, float *W, size_t ldw,
                                                             float *y) {
  HB_AVX2_K_RULE_LARGE(subspace_rows, subspace_panel, false, k, d, eta, x, W, ldw, y);
}

HB_AVX2_K_RULE_SMALL(subspace_small, HB_AVX2_SUBSPACE)

HB_AVX2 void hb_subspace_step_f32__avx2(size_t k, size_t d, const float *eta, const float *x,
                                        float *W, size_t ldw, float *y) {
  HB_AVX2_K_RULE_STEP(subspace_small, subspace_large, k, d, eta, x, W, ldw, y);
}

#endif
