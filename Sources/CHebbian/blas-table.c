/* The level-1/2 family: one table per variant, and the dispatched entry points. */
#include "internal.h"

#include <stdatomic.h>

#define HB_BLAS_TABLE(suffix, isa_value)                                                     \
  {                                                                                          \
    .isa = isa_value, .dot = hb_dot_f32__##suffix, .axpy = hb_axpy_f32__##suffix,            \
    .scal = hb_scal_f32__##suffix, .nrm2 = hb_nrm2_f32__##suffix,                            \
    .gemv = hb_gemv_f32__##suffix, .gemv_t = hb_gemv_t_f32__##suffix,                        \
    .ger = hb_ger_f32__##suffix, .rank_k = hb_rank_k_f32__##suffix,                          \
  }

static const hb_blas_kernels blas_scalar = HB_BLAS_TABLE(scalar, HB_ISA_SCALAR);
#if HB_BUILD_AVX2
static const hb_blas_kernels blas_avx2 = HB_BLAS_TABLE(avx2, HB_ISA_AVX2);
#endif
#if HB_BUILD_NEON
static const hb_blas_kernels blas_neon = HB_BLAS_TABLE(neon, HB_ISA_NEON);
#endif

const hb_blas_kernels *hb_blas_kernels_for(hb_isa isa) {
  if (!hb_isa_supported(isa)) return NULL;
  switch (isa) {
  case HB_ISA_SCALAR: return &blas_scalar;
#if HB_BUILD_AVX2
  case HB_ISA_AVX2: return &blas_avx2;
#endif
#if HB_BUILD_NEON
  case HB_ISA_NEON: return &blas_neon;
#endif
  default: return NULL;
  }
}

static _Atomic(const hb_blas_kernels *) active;

static const hb_blas_kernels *blas(void) {
  const hb_blas_kernels *t = atomic_load_explicit(&active, memory_order_acquire);
  if (t == NULL) {
    t = hb_blas_kernels_for(hb_isa_active());
    if (t == NULL) t = &blas_scalar;
    atomic_store_explicit(&active, t, memory_order_release);
  }
  return t;
}

float hb_dot_f32(size_t n, const float *x, size_t incx, const float *y, size_t incy) {
  return blas()->dot(n, x, incx, y, incy);
}
void hb_axpy_f32(size_t n, float a, const float *x, size_t incx, float *y, size_t incy) {
  blas()->axpy(n, a, x, incx, y, incy);
}
void hb_scal_f32(size_t n, float a, float *x, size_t incx) { blas()->scal(n, a, x, incx); }
float hb_nrm2_f32(size_t n, const float *x, size_t incx) { return blas()->nrm2(n, x, incx); }
void hb_gemv_f32(size_t m, size_t n, float alpha, const float *A, size_t lda, const float *x,
                 float beta, float *y) {
  blas()->gemv(m, n, alpha, A, lda, x, beta, y);
}
void hb_gemv_t_f32(size_t m, size_t n, float alpha, const float *A, size_t lda, const float *x,
                   float beta, float *y) {
  blas()->gemv_t(m, n, alpha, A, lda, x, beta, y);
}
void hb_ger_f32(size_t m, size_t n, float alpha, const float *x, const float *y, float *A,
                size_t lda) {
  blas()->ger(m, n, alpha, x, y, A, lda);
}
void hb_rank_k_f32(size_t m, size_t n, size_t b, float alpha, const float *X, size_t ldx,
                   const float *Y, size_t ldy, float *A, size_t lda) {
  blas()->rank_k(m, n, b, alpha, X, ldx, Y, ldy, A, lda);
}
