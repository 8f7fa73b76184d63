/* A small vector layer in the style of ggml's GGML_F32_VEC_*: one source serves the AVX2+FMA
 * and the NEON variant of a streaming kernel (<op>/<op>-vec.c). This build's vector ISA is
 * picked here; the body names itself HB_VEC_NAME(hb_<op>_f32) and gets __avx2 or __neon.
 * HB_VEC is 0 when the build has neither, and such a file compiles to nothing.
 *
 *   hb_vf            one vector of HB_VL floats (8 AVX2, 4 NEON)
 *   HB_VF_LOAD/STORE unaligned; HB_VF_SET1, HB_VF_ZERO, HB_VF_ADD/SUB/MUL
 *   HB_VF_FMA(c,a,b) c + a b, fused (one rounding); HB_VF_FNMA(c,a,b) c - a b, fused
 *   HB_VF_MAX/MIN(a,b) lane by lane; HB_VF_HMAX/HMIN(v) the largest/smallest lane
 *   HB_VF_SUM(v)     the horizontal sum (simd-<isa>.h)
 *   HB_VF_FLOOR(v)   floor; HB_VF_POW2I(k) 2^k for integral k in [-126, 127]
 *   hb_vcmp, HB_VF_LT(a,b) a lane mask of a < b; HB_VF_CLEAR(v,m) v with the lanes of m zeroed
 *   hb_vmask, HB_VF_MASK(r), HB_VF_LOAD_PART, HB_VF_STORE_PART
 *                    the first r < HB_VL lanes of a tail: AVX2 masks them (vmaskmov touches no
 *                    other memory); NEON has no masked loads, so it goes through a zeroed
 *                    buffer. Lanes past r load as 0 and are not stored.
 *   HB_VF_ROW_UPDATE  w[j] = f(w[j], x[j], ...) along one row (below)
 * Write intrinsics by hand where a fused step needs more than this (gha, gemv_t, ...). */
#ifndef HEBBIAN_SIMD_VEC_H
#define HEBBIAN_SIMD_VEC_H

#include "internal.h"

#if HB_BUILD_AVX2
#include "simd-avx2.h"

#define HB_VEC 1
#define HB_VEC_NAME(name) name##__avx2
#define HB_VEC_FN HB_AVX2
#define HB_VEC_INLINE HB_AVX2_INLINE
#define HB_VL 8
typedef __m256 hb_vf;
typedef __m256i hb_vmask;
#define HB_VF_LOAD(p) _mm256_loadu_ps(p)
#define HB_VF_STORE(p, v) _mm256_storeu_ps(p, v)
#define HB_VF_SET1(a) _mm256_set1_ps(a)
#define HB_VF_ZERO() _mm256_setzero_ps()
#define HB_VF_ADD(a, b) _mm256_add_ps(a, b)
#define HB_VF_SUB(a, b) _mm256_sub_ps(a, b)
#define HB_VF_MUL(a, b) _mm256_mul_ps(a, b)
#define HB_VF_FMA(c, a, b) _mm256_fmadd_ps(a, b, c)
#define HB_VF_FNMA(c, a, b) _mm256_fnmadd_ps(a, b, c)
#define HB_VF_MAX(a, b) _mm256_max_ps(a, b)
#define HB_VF_MIN(a, b) _mm256_min_ps(a, b)
#define HB_VF_HMAX(v) hb_avx2_hmax(v)
#define HB_VF_HMIN(v) hb_avx2_hmin(v)
#define HB_VF_SUM(v) hb_avx2_hsum(v)
#define HB_VF_FLOOR(v) _mm256_floor_ps(v)
#define HB_VF_POW2I(k) hb_avx2_pow2i(k)
typedef __m256 hb_vcmp;
#define HB_VF_LT(a, b) _mm256_cmp_ps(a, b, _CMP_LT_OQ)
#define HB_VF_CLEAR(v, m) _mm256_andnot_ps(m, v)
#define HB_VF_MASK(r) hb_avx2_tail_mask(r)
#define HB_VF_LOAD_PART(p, m) _mm256_maskload_ps(p, m)
#define HB_VF_STORE_PART(p, m, v) _mm256_maskstore_ps(p, m, v)

#elif HB_BUILD_NEON
#include "simd-neon.h"

#define HB_VEC 1
#define HB_VEC_NAME(name) name##__neon
#define HB_VEC_FN
#define HB_VEC_INLINE HB_NEON_INLINE
#define HB_VL 4
typedef float32x4_t hb_vf;
typedef size_t hb_vmask;
#define HB_VF_LOAD(p) vld1q_f32(p)
#define HB_VF_STORE(p, v) vst1q_f32(p, v)
#define HB_VF_SET1(a) vdupq_n_f32(a)
#define HB_VF_ZERO() vdupq_n_f32(0.0f)
#define HB_VF_ADD(a, b) vaddq_f32(a, b)
#define HB_VF_SUB(a, b) vsubq_f32(a, b)
#define HB_VF_MUL(a, b) vmulq_f32(a, b)
#define HB_VF_FMA(c, a, b) vfmaq_f32(c, a, b)
#define HB_VF_FNMA(c, a, b) vfmsq_f32(c, a, b)
#define HB_VF_MAX(a, b) vmaxq_f32(a, b)
#define HB_VF_MIN(a, b) vminq_f32(a, b)
#define HB_VF_HMAX(v) hb_neon_hmax(v)
#define HB_VF_HMIN(v) hb_neon_hmin(v)
#define HB_VF_SUM(v) hb_neon_hsum(v)
#define HB_VF_FLOOR(v) hb_neon_floor(v)
#define HB_VF_POW2I(k) hb_neon_pow2i(k)
typedef uint32x4_t hb_vcmp;
#define HB_VF_LT(a, b) vcltq_f32(a, b)
#define HB_VF_CLEAR(v, m) vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(v), m))
#define HB_VF_MASK(r) ((size_t)(r))
#define HB_VF_LOAD_PART(p, r) hb_neon_load_part(p, r)
#define HB_VF_STORE_PART(p, r, v) hb_neon_store_part(p, r, v)

#else
#define HB_VEC 0
#endif

#if HB_VEC
/* Vectors per iteration of HB_VF_ROW_UPDATE: as many as the register file holds twice over
 * (AVX2 and ARMv7 have 16 vector registers, AArch64 32). */
#if HB_BUILD_NEON && defined(__aarch64__)
#define HB_VF_ROW_VECS 8
#else
#define HB_VF_ROW_VECS 4
#endif

/* w[j] = f(w[j], x[j], ...) for j < n, the streaming update of one row. HB_VF_ROW_VECS
 * vectors per iteration with every load before the first store: an in-order core
 * (Cortex-A53) has all the loads in flight while the first FMA waits, and no load waits
 * behind a store to w that might alias it. One vector per iteration was one load -> FMA ->
 * store chain after another, 7x the pipe bound on an A53. Then single vectors and one
 * partial tail. f is applied lane by lane, so the result does not depend on the unrolling. */
#define HB_VF_ROW_UPDATE(n, w, x, f, ...)                                                    \
  do {                                                                                       \
    float *const w_ = (w);                                                                   \
    const float *const x_ = (x);                                                             \
    const size_t n_ = (n);                                                                   \
    size_t j_ = 0;                                                                           \
    for (; j_ + HB_VF_ROW_VECS * HB_VL <= n_; j_ += HB_VF_ROW_VECS * HB_VL) {                \
      hb_vf wv_[HB_VF_ROW_VECS], xv_[HB_VF_ROW_VECS];                                        \
      _Pragma("GCC unroll 8") for (size_t u_ = 0; u_ < HB_VF_ROW_VECS; u_++)                 \
        wv_[u_] = HB_VF_LOAD(w_ + j_ + u_ * HB_VL);                                          \
      _Pragma("GCC unroll 8") for (size_t u_ = 0; u_ < HB_VF_ROW_VECS; u_++)                 \
        xv_[u_] = HB_VF_LOAD(x_ + j_ + u_ * HB_VL);                                          \
      _Pragma("GCC unroll 8") for (size_t u_ = 0; u_ < HB_VF_ROW_VECS; u_++)                 \
        wv_[u_] = f(wv_[u_], xv_[u_], __VA_ARGS__);                                          \
      _Pragma("GCC unroll 8") for (size_t u_ = 0; u_ < HB_VF_ROW_VECS; u_++)                 \
        HB_VF_STORE(w_ + j_ + u_ * HB_VL, wv_[u_]);                                          \
    }                                                                                        \
    for (; j_ + HB_VL <= n_; j_ += HB_VL)                                                    \
      HB_VF_STORE(w_ + j_, f(HB_VF_LOAD(w_ + j_), HB_VF_LOAD(x_ + j_), __VA_ARGS__));        \
    if (j_ < n_) {                                                                           \
      const hb_vmask m_ = HB_VF_MASK(n_ - j_);                                               \
      HB_VF_STORE_PART(w_ + j_, m_,                                                          \
                       f(HB_VF_LOAD_PART(w_ + j_, m_), HB_VF_LOAD_PART(x_ + j_, m_), __VA_ARGS__)); \
    }                                                                                        \
  } while (0)
#endif

#endif
