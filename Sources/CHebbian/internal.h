/* Shared by the kernel sources only: which variants this build compiles, the attribute that
 * lets one translation unit hold AVX2 bodies without global -mavx2, and the prototypes of
 * every variant. A new variant of a kernel is one prototype here and one line in its
 * family's table. */
#ifndef HEBBIAN_INTERNAL_H
#define HEBBIAN_INTERNAL_H

#include "hebbian/hebbian.h"

#if defined(__x86_64__)
#define HB_BUILD_AVX2 1
/* Per-function target so the rest of the library stays baseline x86-64 and the dispatcher
 * decides at run time. */
#define HB_AVX2 __attribute__((target("avx2,fma")))
#else
#define HB_BUILD_AVX2 0
#endif

/* NEON bodies use fused multiply-add: baseline on aarch64, and on armv7 only with
 * -mfpu=neon-vfpv4 (which defines __ARM_FEATURE_FMA). */
#if defined(__ARM_NEON) && (defined(__aarch64__) || defined(__ARM_FEATURE_FMA))
#define HB_BUILD_NEON 1
#else
#define HB_BUILD_NEON 0
#endif

#define HB_VARIANTS(ret, name, params)                                                       \
  ret name##__scalar params;                                                                 \
  ret name##__avx2 params;                                                                   \
  ret name##__neon params;

HB_VARIANTS(float, hb_dot_f32, (size_t n, const float *x, size_t incx, const float *y, size_t incy))
HB_VARIANTS(void, hb_axpy_f32, (size_t n, float a, const float *x, size_t incx, float *y, size_t incy))
HB_VARIANTS(void, hb_scal_f32, (size_t n, float a, float *x, size_t incx))
HB_VARIANTS(float, hb_nrm2_f32, (size_t n, const float *x, size_t incx))
HB_VARIANTS(void, hb_gemv_f32, (size_t m, size_t n, float alpha, const float *A, size_t lda, const float *x, float beta, float *y))
HB_VARIANTS(void, hb_gemv_t_f32, (size_t m, size_t n, float alpha, const float *A, size_t lda, const float *x, float beta, float *y))
HB_VARIANTS(void, hb_ger_f32, (size_t m, size_t n, float alpha, const float *x, const float *y, float *A, size_t lda))
HB_VARIANTS(void, hb_rank_k_f32, (size_t m, size_t n, size_t b, float alpha, const float *X, size_t ldx, const float *Y, size_t ldy, float *A, size_t lda))

HB_VARIANTS(float, hb_oja_step_f32, (size_t d, float eta, const float *x, float *w))
HB_VARIANTS(void, hb_subspace_step_f32, (size_t k, size_t d, float eta, const float *x, float *W, size_t ldw, float *y))
HB_VARIANTS(void, hb_gha_step_f32, (size_t k, size_t d, float eta, const float *x, float *W, size_t ldw, float *y))

HB_VARIANTS(void, hb_bit_overlap_f32, (size_t p, size_t n, const uint64_t *xi, size_t ldxi, const uint64_t *s, float *m))
HB_VARIANTS(float, hb_softmax_f32, (size_t n, float beta, const float *x, float *y))
HB_VARIANTS(void, hb_plastic_current_f32, (size_t m, size_t n, const float *w, const float *alpha, const float *H, size_t ld, const float *x, float *a))
HB_VARIANTS(void, hb_hebb_trace_step_f32, (int rule, size_t m, size_t n, float eta, const float *x, const float *y, float *H, size_t ld))
HB_VARIANTS(float, hb_plastic_backward_step_f32, (int rule, size_t m, size_t n, float eta, const float *w, const float *alpha, const float *H, size_t ld, const float *x, const float *y, float *gy, float *gH, float *gx, float *gw, float *galpha))

/* The plastic-layer family has AVX2 and NEON bodies of its own. */
#if HB_BUILD_AVX2
#define HB_HAVE_AVX2_PLASTIC 1
#endif
#if HB_BUILD_NEON
#define HB_HAVE_NEON_PLASTIC 1
#endif
HB_VARIANTS(void, hb_hebb_decay_step_f32, (size_t k, size_t d, float eta, float lambda, const float *x, const float *y, float *W, size_t ldw))
HB_VARIANTS(void, hb_instar_step_f32, (size_t k, size_t d, float eta, const float *x, const float *y, float *W, size_t ldw))
HB_VARIANTS(void, hb_bcm_step_f32, (size_t k, size_t d, float eta, const float *x, const float *y, const float *theta, float *W, size_t ldw))
HB_VARIANTS(void, hb_stdp_trace_step_f32, (size_t k, size_t d, const hb_stdp_params *p, const float *pre_spikes, float *pre_trace, const float *post_spikes, float *post_trace, float *W, size_t ldw))

#endif
