#include "../simd-vec.h"

#if HB_VEC
#include <math.h>

/* exp(x) for x <= 0: x = k ln2 + r with k = floor(x / ln2 + 1/2), |r| <= ln2/2 (ln2 split in
 * two parts so k ln2 is exact), exp(r) by the degree-7 Cephes minimax polynomial (relative
 * error < 2e-7 on that interval), scaled by 2^k through the exponent field. Below -87.3
 * (where 2^k would be subnormal) the result is flushed to 0; its weight in a softmax whose
 * largest term is 1 is below 1e-38. */
HB_VEC_INLINE hb_vf exp_nonpositive(hb_vf x) {
  const hb_vcmp under = HB_VF_LT(x, HB_VF_SET1(-87.33654f));
  x = HB_VF_MAX(x, HB_VF_SET1(-87.33654f));
  const hb_vf k = HB_VF_FLOOR(HB_VF_FMA(HB_VF_SET1(0.5f), x, HB_VF_SET1(1.44269504088896341f)));
  hb_vf r = HB_VF_FNMA(x, k, HB_VF_SET1(0.693359375f));
  r = HB_VF_FNMA(r, k, HB_VF_SET1(-2.12194440e-4f));
  hb_vf p = HB_VF_SET1(1.9875691500e-4f);
  p = HB_VF_FMA(HB_VF_SET1(1.3981999507e-3f), p, r);
  p = HB_VF_FMA(HB_VF_SET1(8.3334519073e-3f), p, r);
  p = HB_VF_FMA(HB_VF_SET1(4.1665795894e-2f), p, r);
  p = HB_VF_FMA(HB_VF_SET1(1.6666665459e-1f), p, r);
  p = HB_VF_FMA(HB_VF_SET1(5.0000001201e-1f), p, r);
  p = HB_VF_ADD(HB_VF_FMA(r, p, HB_VF_MUL(r, r)), HB_VF_SET1(1.0f));
  return HB_VF_CLEAR(HB_VF_MUL(p, HB_VF_POW2I(k)), under);
}

/* y = exp(beta x - c) / Z with c = max beta x; returns c + log Z (softmax-scalar.c). The
 * leftovers past the last whole vector go through libm's expf, as in the scalar reference. */
HB_VEC_FN float HB_VEC_NAME(hb_softmax_f32)(size_t n, float beta, const float *x, float *y) {
  size_t i = 0;
  hb_vf vhi = HB_VF_SET1(x[0]), vlo = vhi;
  for (; i + HB_VL <= n; i += HB_VL) {
    const hb_vf v = HB_VF_LOAD(x + i);
    vhi = HB_VF_MAX(vhi, v);
    vlo = HB_VF_MIN(vlo, v);
  }
  float hi = HB_VF_HMAX(vhi), lo = HB_VF_HMIN(vlo);
  for (; i < n; i++) {
    hi = x[i] > hi ? x[i] : hi;
    lo = x[i] < lo ? x[i] : lo;
  }
  float c = beta >= 0.0f ? beta * hi : beta * lo;
  const hb_vf vb = HB_VF_SET1(beta), vc = HB_VF_SET1(c);
  hb_vf vz = HB_VF_ZERO();
  for (i = 0; i + HB_VL <= n; i += HB_VL) {
    /* beta x rounded before subtracting c, as in the scalar reference: exp amplifies an
     * argument difference by |beta x - c|, so the variants must round it the same way. */
    const hb_vf e = exp_nonpositive(HB_VF_SUB(HB_VF_MUL(vb, HB_VF_LOAD(x + i)), vc));
    HB_VF_STORE(y + i, e);
    vz = HB_VF_ADD(vz, e);
  }
  float z = HB_VF_SUM(vz);
  for (; i < n; i++) {
    float bx = beta * x[i]; /* its own statement: never contracted into an FMA */
    float e = expf(bx - c);
    y[i] = e;
    z += e;
  }
  const hb_vf inv = HB_VF_SET1(1.0f / z);
  for (i = 0; i + HB_VL <= n; i += HB_VL) HB_VF_STORE(y + i, HB_VF_MUL(HB_VF_LOAD(y + i), inv));
  for (; i < n; i++) y[i] *= 1.0f / z;
  return c + logf(z);
}
#endif
