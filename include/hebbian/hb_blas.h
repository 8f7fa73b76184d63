/* Level-1/2 blocks. Dispatched entry points (hb_<op>_f32) plus the per-variant table that
 * tests and benchmarks iterate (hb_blas_kernels). The signatures are the HB_BLAS rows of
 * hb_kernels.inc; their contracts:
 *
 *   float hb_dot_f32(n, x, incx, y, incy)      sum_i x[i*incx] * y[i*incy]
 *   void hb_axpy_f32(n, a, x, incx, y, incy)   y += a x
 *   void hb_scal_f32(n, a, x, incx)            x *= a
 *   float hb_nrm2_f32(n, x, incx)              ||x||_2, computed without overflow for |x_i| up
 *                                              to FLT_MAX/sqrt(n)
 *   void hb_gemv_f32(m, n, alpha, A, lda, x, beta, y)
 *       y = alpha A x + beta y,   A is m x n (row-major, leading dimension lda >= n).
 *       beta == 0 overwrites y without reading it.
 *   void hb_gemv_t_f32(m, n, alpha, A, lda, x, beta, y)
 *       y = alpha A^T x + beta y, A is m x n, x has m entries, y has n.
 *       beta == 0 overwrites y without reading it.
 *   void hb_ger_f32(m, n, alpha, x, y, A, lda)
 *       A += alpha x y^T,  A is m x n, x has m entries, y has n.
 *   void hb_rank_k_f32(m, n, b, alpha, X, ldx, Y, ldy, A, lda)
 *       A += alpha X^T Y over a mini-batch of b rows: X is b x m (ldx), Y is b x n (ldy),
 *       A is m x n (lda). The Hebbian sum  sum_t x_t y_t^T  of b samples in one pass over A.
 */
#ifndef HEBBIAN_HB_BLAS_H
#define HEBBIAN_HB_BLAS_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HB_BLAS HB_KERNEL_PROTOTYPE
#include "hb_kernels.inc"

typedef struct hb_blas_kernels {
  hb_isa isa;
#define HB_BLAS HB_KERNEL_FIELD
#include "hb_kernels.inc"
} hb_blas_kernels;

/* The table of one variant, or NULL when that variant is not compiled in or not supported by
 * this CPU. */
const hb_blas_kernels *hb_blas_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
