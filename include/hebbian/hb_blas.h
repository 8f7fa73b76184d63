/* Level-1/2 blocks. Dispatched entry points (hb_<op>_f32) plus the per-variant table that
 * tests and benchmarks iterate (hb_blas_kernels). */
#ifndef HEBBIAN_HB_BLAS_H
#define HEBBIAN_HB_BLAS_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* sum_i x[i*incx] * y[i*incy] */
float hb_dot_f32(size_t n, const float *x, size_t incx, const float *y, size_t incy);
/* y += a x */
void hb_axpy_f32(size_t n, float a, const float *x, size_t incx, float *y, size_t incy);
/* x *= a */
void hb_scal_f32(size_t n, float a, float *x, size_t incx);
/* ||x||_2, computed without overflow for |x_i| up to FLT_MAX/sqrt(n) */
float hb_nrm2_f32(size_t n, const float *x, size_t incx);
/* y = alpha A x + beta y,   A is m x n (row-major, leading dimension lda >= n).
 * beta == 0 overwrites y without reading it. */
void hb_gemv_f32(size_t m, size_t n, float alpha, const float *A, size_t lda, const float *x,
                 float beta, float *y);
/* y = alpha A^T x + beta y, A is m x n, x has m entries, y has n.
 * beta == 0 overwrites y without reading it. */
void hb_gemv_t_f32(size_t m, size_t n, float alpha, const float *A, size_t lda, const float *x,
                   float beta, float *y);
/* A += alpha x y^T,  A is m x n, x has m entries, y has n. */
void hb_ger_f32(size_t m, size_t n, float alpha, const float *x, const float *y, float *A,
                size_t lda);
/* A += alpha X^T Y over a mini-batch of b rows: X is b x m (ldx), Y is b x n (ldy),
 * A is m x n (lda). The Hebbian sum  sum_t x_t y_t^T  of b samples in one pass over A. */
void hb_rank_k_f32(size_t m, size_t n, size_t b, float alpha, const float *X, size_t ldx,
                   const float *Y, size_t ldy, float *A, size_t lda);

typedef struct hb_blas_kernels {
  hb_isa isa;
  float (*dot)(size_t, const float *, size_t, const float *, size_t);
  void (*axpy)(size_t, float, const float *, size_t, float *, size_t);
  void (*scal)(size_t, float, float *, size_t);
  float (*nrm2)(size_t, const float *, size_t);
  void (*gemv)(size_t, size_t, float, const float *, size_t, const float *, float, float *);
  void (*gemv_t)(size_t, size_t, float, const float *, size_t, const float *, float, float *);
  void (*ger)(size_t, size_t, float, const float *, const float *, float *, size_t);
  void (*rank_k)(size_t, size_t, size_t, float, const float *, size_t, const float *, size_t,
                 float *, size_t);
} hb_blas_kernels;

/* The table of one variant, or NULL when that variant is not compiled in or not supported by
 * this CPU. */
const hb_blas_kernels *hb_blas_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
