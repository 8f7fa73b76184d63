#include "../simd-vec.h"

#if HB_VEC
#include "../steps.h"

/* Vectors per iteration of pass 1's Oja loop, every load before the first FMA: on NEON one
 * vector was a single load -> FMA -> store chain after another, so it takes two (then single
 * vectors); AVX2 keeps one. */
#if HB_BUILD_NEON
#define GY_VECS 2
#else
#define GY_VECS 1
#endif

/* gy += gH (eta x_i - 2 eta H y), the Oja column term of pass 1 */
HB_VEC_INLINE hb_vf gy_oja(hb_vf g, hb_vf G, hb_vf h, hb_vf y, hb_vf vex, hb_vf two_eta) {
  return HB_VF_FMA(g, G, HB_VF_FNMA(vex, HB_VF_MUL(two_eta, h), y));
}

/* The adjoint of one plastic step; the equations are in plastic_backward-scalar.c. Pass 1 is a
 * column reduction (vectorised along j), pass 2 reads and writes every matrix once. */
HB_VEC_FN float HB_VEC_NAME(hb_plastic_backward_step_f32)(
    hb_trace_rule rule, size_t m, size_t n, float eta, const float *w, const float *alpha,
    const float *H, size_t ld, const float *x, const float *y, float *gy, float *gH, float *gx,
    float *gw, float *galpha) {
  int oja = rule == HB_TRACE_OJA;
  const hb_vf veta = HB_VF_SET1(eta), two_eta = HB_VF_SET1(2.0f * eta);
  const hb_vf one = HB_VF_SET1(1.0f), keep = HB_VF_SET1(1.0f - eta);
  for (size_t i = 0; i < m; i++) {
    const float *gh = gH + i * ld, *hi = H + i * ld;
    float exi = eta * x[i];
    const hb_vf vex = HB_VF_SET1(exi);
    size_t j = 0;
    if (oja) {
      for (; j + GY_VECS * HB_VL <= n; j += GY_VECS * HB_VL) {
        hb_vf h[GY_VECS], yv[GY_VECS], g[GY_VECS], G[GY_VECS];
        _Pragma("GCC unroll 2") for (size_t u = 0; u < GY_VECS; u++) {
          h[u] = HB_VF_LOAD(hi + j + u * HB_VL);
          yv[u] = HB_VF_LOAD(y + j + u * HB_VL);
          g[u] = HB_VF_LOAD(gy + j + u * HB_VL);
          G[u] = HB_VF_LOAD(gh + j + u * HB_VL);
        }
        _Pragma("GCC unroll 2") for (size_t u = 0; u < GY_VECS; u++)
          g[u] = gy_oja(g[u], G[u], h[u], yv[u], vex, two_eta);
        _Pragma("GCC unroll 2") for (size_t u = 0; u < GY_VECS; u++)
          HB_VF_STORE(gy + j + u * HB_VL, g[u]);
      }
      for (; j + HB_VL <= n; j += HB_VL)
        HB_VF_STORE(gy + j, gy_oja(HB_VF_LOAD(gy + j), HB_VF_LOAD(gh + j), HB_VF_LOAD(hi + j),
                                   HB_VF_LOAD(y + j), vex, two_eta));
      for (; j < n; j++) gy[j] = hb_plastic_gy_step(true, eta, exi, gy[j], gh[j], hi[j], y[j]);
    } else {
      for (; j + HB_VL <= n; j += HB_VL)
        HB_VF_STORE(gy + j, HB_VF_FMA(HB_VF_LOAD(gy + j), HB_VF_LOAD(gh + j), vex));
      for (; j < n; j++) gy[j] = hb_plastic_gy_step(false, eta, exi, gy[j], gh[j], hi[j], y[j]);
    }
  }
  {
    size_t j = 0;
    for (; j + HB_VL <= n; j += HB_VL) {
      const hb_vf vy = HB_VF_LOAD(y + j);
      HB_VF_STORE(gy + j, HB_VF_MUL(HB_VF_LOAD(gy + j), HB_VF_FNMA(one, vy, vy)));
    }
    for (; j < n; j++) gy[j] *= 1.0f - y[j] * y[j];
  }

  hb_vf geta_v = HB_VF_ZERO();
  float geta = 0.0f;
  for (size_t i = 0; i < m; i++) {
    const float *wi = w + i * ld, *ai = alpha + i * ld, *hi = H + i * ld;
    float *gh = gH + i * ld, *gwi = gw + i * ld, *gai = galpha + i * ld;
    float xi = x[i];
    const hb_vf vx = HB_VF_SET1(xi);
    hb_vf acc_v = HB_VF_ZERO();
    size_t j = 0;
    for (; j + HB_VL <= n; j += HB_VL) {
      const hb_vf da = HB_VF_LOAD(gy + j), vy = HB_VF_LOAD(y + j);
      const hb_vf h = HB_VF_LOAD(hi + j), al = HB_VF_LOAD(ai + j);
      const hb_vf G = HB_VF_LOAD(gh + j);
      const hb_vf g = HB_VF_MUL(vx, da);
      HB_VF_STORE(gwi + j, HB_VF_ADD(HB_VF_LOAD(gwi + j), g));
      HB_VF_STORE(gai + j, HB_VF_FMA(HB_VF_LOAD(gai + j), h, g));
      acc_v = HB_VF_FMA(acc_v, HB_VF_FMA(HB_VF_LOAD(wi + j), al, h), da);
      acc_v = HB_VF_FMA(acc_v, HB_VF_MUL(veta, G), vy);
      const hb_vf xy = HB_VF_MUL(vx, vy);
      if (oja) {
        const hb_vf yy = HB_VF_MUL(vy, vy);
        geta_v = HB_VF_FMA(geta_v, G, HB_VF_FNMA(xy, h, yy));
        HB_VF_STORE(gh + j, HB_VF_FMA(HB_VF_MUL(G, HB_VF_FNMA(one, veta, yy)), al, g));
      } else {
        geta_v = HB_VF_FMA(geta_v, G, HB_VF_SUB(xy, h));
        HB_VF_STORE(gh + j, HB_VF_FMA(HB_VF_MUL(keep, G), al, g));
      }
    }
    float acc = HB_VF_SUM(acc_v);
    for (; j < n; j++)
      hb_plastic_backward_elem(oja, eta, 1.0f - eta, xi, j, wi, ai, hi, gy, y, gh, gwi, gai, &acc,
                               &geta);
    gx[i] += acc;
  }
  return geta + HB_VF_SUM(geta_v);
}
#endif
