/* Shared by gemv_t-avx2.c and gemv_t-neon.c: the panel of four vectors of columns (32 on AVX2,
 * 16 on NEON), y = alpha A^T x + beta y over them. Both ISAs' edge panels differ (masked
 * vectors on AVX2, single vectors and scalar columns on NEON) and stay in their files. */
#ifndef HEBBIAN_GEMV_T_VEC_H
#define HEBBIAN_GEMV_T_VEC_H

#include "../simd-vec.h"

#if HB_VEC
/* The four vectors of y stay in registers while all m rows stream past; rows go in pairs
 * into two accumulator sets, eight independent FMA chains. beta == 0 never reads y. */
HB_VEC_FN static inline void hb_gemv_t_panel4v(size_t m, float alpha, const float *A, size_t lda,
                                               const float *x, float beta, float *y) {
  hb_vf s0 = HB_VF_ZERO(), s1 = s0, s2 = s0, s3 = s0;
  hb_vf t0 = s0, t1 = s0, t2 = s0, t3 = s0;
  size_t i = 0;
  for (; i + 2 <= m; i += 2) {
    const float *a0 = A + i * lda, *a1 = a0 + lda;
    const hb_vf x0 = HB_VF_SET1(alpha * x[i]), x1 = HB_VF_SET1(alpha * x[i + 1]);
    s0 = HB_VF_FMA(s0, x0, HB_VF_LOAD(a0));
    s1 = HB_VF_FMA(s1, x0, HB_VF_LOAD(a0 + HB_VL));
    s2 = HB_VF_FMA(s2, x0, HB_VF_LOAD(a0 + 2 * HB_VL));
    s3 = HB_VF_FMA(s3, x0, HB_VF_LOAD(a0 + 3 * HB_VL));
    t0 = HB_VF_FMA(t0, x1, HB_VF_LOAD(a1));
    t1 = HB_VF_FMA(t1, x1, HB_VF_LOAD(a1 + HB_VL));
    t2 = HB_VF_FMA(t2, x1, HB_VF_LOAD(a1 + 2 * HB_VL));
    t3 = HB_VF_FMA(t3, x1, HB_VF_LOAD(a1 + 3 * HB_VL));
  }
  if (i < m) {
    const float *a0 = A + i * lda;
    const hb_vf x0 = HB_VF_SET1(alpha * x[i]);
    s0 = HB_VF_FMA(s0, x0, HB_VF_LOAD(a0));
    s1 = HB_VF_FMA(s1, x0, HB_VF_LOAD(a0 + HB_VL));
    s2 = HB_VF_FMA(s2, x0, HB_VF_LOAD(a0 + 2 * HB_VL));
    s3 = HB_VF_FMA(s3, x0, HB_VF_LOAD(a0 + 3 * HB_VL));
  }
  s0 = HB_VF_ADD(s0, t0);
  s1 = HB_VF_ADD(s1, t1);
  s2 = HB_VF_ADD(s2, t2);
  s3 = HB_VF_ADD(s3, t3);
  if (beta != 0.0f) {
    const hb_vf vb = HB_VF_SET1(beta);
    s0 = HB_VF_FMA(s0, vb, HB_VF_LOAD(y));
    s1 = HB_VF_FMA(s1, vb, HB_VF_LOAD(y + HB_VL));
    s2 = HB_VF_FMA(s2, vb, HB_VF_LOAD(y + 2 * HB_VL));
    s3 = HB_VF_FMA(s3, vb, HB_VF_LOAD(y + 3 * HB_VL));
  }
  HB_VF_STORE(y, s0);
  HB_VF_STORE(y + HB_VL, s1);
  HB_VF_STORE(y + 2 * HB_VL, s2);
  HB_VF_STORE(y + 3 * HB_VL, s3);
}
#endif

#endif
