#include "../internal.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* A += alpha X^T Y, A_ij += alpha sum_t X_ti Y_tj. A is cut into 4 x 16 tiles held in eight
 * accumulators while the batch streams past (per sample: two loads of Y, four broadcasts of
 * X, eight FMAs), so each element of A is read and written exactly once whatever b is.
 * Rows past the last multiple of 4 use 1 x 16 tiles; the last columns use masked lanes. */
/* A row piece of Y: plain load in full tiles, masked in the last, narrower one. */
HB_AVX2 static inline __m256 load(const float *p, __m256i m, bool full) {
  return full ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, m);
}

HB_AVX2 static inline void tile4(size_t b, float alpha, const float *X, size_t ldx,
                                 const float *Y, size_t ldy, float *A, size_t lda,
                                 bool full, __m256i m0, __m256i m1) {
  __m256 s00 = _mm256_setzero_ps(), s01 = _mm256_setzero_ps();
  __m256 s10 = _mm256_setzero_ps(), s11 = _mm256_setzero_ps();
  __m256 s20 = _mm256_setzero_ps(), s21 = _mm256_setzero_ps();
  __m256 s30 = _mm256_setzero_ps(), s31 = _mm256_setzero_ps();
  for (size_t t = 0; t < b; t++) {
    const float *xt = X + t * ldx, *yt = Y + t * ldy;
    __m256 y0 = load(yt, m0, full), y1 = load(yt + 8, m1, full);
    __m256 x0 = _mm256_broadcast_ss(xt), x1 = _mm256_broadcast_ss(xt + 1);
    __m256 x2 = _mm256_broadcast_ss(xt + 2), x3 = _mm256_broadcast_ss(xt + 3);
    s00 = _mm256_fmadd_ps(x0, y0, s00);
    s01 = _mm256_fmadd_ps(x0, y1, s01);
    s10 = _mm256_fmadd_ps(x1, y0, s10);
    s11 = _mm256_fmadd_ps(x1, y1, s11);
    s20 = _mm256_fmadd_ps(x2, y0, s20);
    s21 = _mm256_fmadd_ps(x2, y1, s21);
    s30 = _mm256_fmadd_ps(x3, y0, s30);
    s31 = _mm256_fmadd_ps(x3, y1, s31);
  }
  const __m256 va = _mm256_set1_ps(alpha);
/* Full tiles use plain loads and stores: on Zen 3 a masked 256-bit store costs about ten
 * times a plain one, which would dominate for small batches. */
#define HB_FLUSH(a, s0, s1)                                                                  \
  do {                                                                                       \
    if (full) {                                                                              \
      _mm256_storeu_ps(a, _mm256_fmadd_ps(va, s0, _mm256_loadu_ps(a)));                      \
      _mm256_storeu_ps(a + 8, _mm256_fmadd_ps(va, s1, _mm256_loadu_ps(a + 8)));              \
    } else {                                                                                 \
      _mm256_maskstore_ps(a, m0, _mm256_fmadd_ps(va, s0, _mm256_maskload_ps(a, m0)));        \
      _mm256_maskstore_ps(a + 8, m1, _mm256_fmadd_ps(va, s1, _mm256_maskload_ps(a + 8, m1)));\
    }                                                                                        \
  } while (0)
  HB_FLUSH(A, s00, s01);
  HB_FLUSH(A + lda, s10, s11);
  HB_FLUSH(A + 2 * lda, s20, s21);
  HB_FLUSH(A + 3 * lda, s30, s31);
}

HB_AVX2 static inline void tile1(size_t b, float alpha, const float *X, size_t ldx,
                                 const float *Y, size_t ldy, float *A, bool full, __m256i m0,
                                 __m256i m1) {
  /* two chains per column half hide part of the FMA latency on these leftover rows */
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  __m256 u0 = _mm256_setzero_ps(), u1 = _mm256_setzero_ps();
  size_t t = 0;
  for (; t + 2 <= b; t += 2) {
    const float *yt = Y + t * ldy;
    __m256 x0 = _mm256_broadcast_ss(X + t * ldx), x1 = _mm256_broadcast_ss(X + (t + 1) * ldx);
    s0 = _mm256_fmadd_ps(x0, load(yt, m0, full), s0);
    s1 = _mm256_fmadd_ps(x0, load(yt + 8, m1, full), s1);
    u0 = _mm256_fmadd_ps(x1, load(yt + ldy, m0, full), u0);
    u1 = _mm256_fmadd_ps(x1, load(yt + ldy + 8, m1, full), u1);
  }
  if (t < b) {
    const float *yt = Y + t * ldy;
    __m256 x0 = _mm256_broadcast_ss(X + t * ldx);
    s0 = _mm256_fmadd_ps(x0, load(yt, m0, full), s0);
    s1 = _mm256_fmadd_ps(x0, load(yt + 8, m1, full), s1);
  }
  s0 = _mm256_add_ps(s0, u0);
  s1 = _mm256_add_ps(s1, u1);
  const __m256 va = _mm256_set1_ps(alpha);
  HB_FLUSH(A, s0, s1);
#undef HB_FLUSH
}

HB_AVX2 void hb_rank_k_f32__avx2(size_t m, size_t n, size_t b, float alpha, const float *X,
                                 size_t ldx, const float *Y, size_t ldy, float *A, size_t lda) {
  if (b == 0) return; /* A += 0 */
  for (size_t j = 0; j < n; j += 16) {
    size_t w = n - j < 16 ? n - j : 16;
    __m256i m0 = hb_avx2_tail_mask(w < 8 ? w : 8), m1 = hb_avx2_tail_mask(w > 8 ? w - 8 : 0);
    size_t i = 0;
    for (; i + 4 <= m; i += 4)
      tile4(b, alpha, X + i, ldx, Y + j, ldy, A + i * lda + j, lda, w == 16, m0, m1);
    for (; i < m; i++) tile1(b, alpha, X + i, ldx, Y + j, ldy, A + i * lda + j, w == 16, m0, m1);
  }
}
#endif
