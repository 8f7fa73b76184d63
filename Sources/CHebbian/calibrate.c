/* The measuring instruments of hb_calibrate.h: the FMA peak probe, one body per variant in
 * one file, and the C step loop. They measure the kernels rather than being kernels with a
 * scalar reference. */
#include "internal.h"

#if HB_BUILD_AVX2
#include <immintrin.h>
#include "rules-small-avx2.h"
#endif
#if HB_BUILD_NEON
#include <arm_neon.h>
#endif

#define HB_BURN_CHAINS 12

static uint64_t burn_scalar(uint64_t iterations, float *sink) {
  float a[HB_BURN_CHAINS];
  for (int c = 0; c < HB_BURN_CHAINS; c++) a[c] = 0.01f * (float)c;
  const float m = 0.9999f, b = 1e-4f; /* contracts to 1: no overflow, no subnormals */
  for (uint64_t it = 0; it < iterations; it++)
    for (int c = 0; c < HB_BURN_CHAINS; c++) a[c] = a[c] * m + b;
  float s = 0.0f;
  for (int c = 0; c < HB_BURN_CHAINS; c++) s += a[c];
  *sink = s;
  return iterations * HB_BURN_CHAINS * 2u;
}

#if HB_BUILD_AVX2
HB_AVX2 static uint64_t burn_avx2(uint64_t iterations, float *sink) {
  __m256 a[HB_BURN_CHAINS];
  for (int c = 0; c < HB_BURN_CHAINS; c++) a[c] = _mm256_set1_ps(0.01f * (float)c);
  const __m256 m = _mm256_set1_ps(0.9999f), b = _mm256_set1_ps(1e-4f);
  for (uint64_t it = 0; it < iterations; it++)
    for (int c = 0; c < HB_BURN_CHAINS; c++) a[c] = _mm256_fmadd_ps(a[c], m, b);
  __m256 s = a[0];
  for (int c = 1; c < HB_BURN_CHAINS; c++) s = _mm256_add_ps(s, a[c]);
  *sink = _mm256_cvtss_f32(s);
  return iterations * HB_BURN_CHAINS * 8u * 2u;
}
#endif

#if HB_BUILD_NEON
static uint64_t burn_neon(uint64_t iterations, float *sink) {
  float32x4_t a[HB_BURN_CHAINS];
  for (int c = 0; c < HB_BURN_CHAINS; c++) a[c] = vdupq_n_f32(0.01f * (float)c);
  const float32x4_t m = vdupq_n_f32(0.9999f), b = vdupq_n_f32(1e-4f);
  for (uint64_t it = 0; it < iterations; it++)
    for (int c = 0; c < HB_BURN_CHAINS; c++) a[c] = vfmaq_f32(b, a[c], m);
  float32x4_t s = a[0];
  for (int c = 1; c < HB_BURN_CHAINS; c++) s = vaddq_f32(s, a[c]);
  *sink = vgetq_lane_f32(s, 0);
  return iterations * HB_BURN_CHAINS * 4u * 2u;
}
#endif

uint64_t hb_fma_burn_f32(hb_isa isa, uint64_t iterations, float *sink) {
  if (!hb_isa_supported(isa)) return 0;
  switch (isa) {
  case HB_ISA_SCALAR: return burn_scalar(iterations, sink);
#if HB_BUILD_AVX2
  case HB_ISA_AVX2: return burn_avx2(iterations, sink);
#endif
#if HB_BUILD_NEON
  case HB_ISA_NEON: return burn_neon(iterations, sink);
#endif
  default: return 0;
  }
}

void hb_rule_step_loop_f32(const hb_rule_kernels *t, hb_step_rule rule, size_t steps, size_t k,
                           size_t d, const float *eta, const float *xs, size_t pool,
                           size_t *cursor, float *w, float *y) {
  size_t s = *cursor;
  for (size_t i = 0; i < steps; i++) {
    const float *x = xs + s * d;
    switch (rule) {
    case HB_STEP_OJA: y[0] = t->oja_step(d, eta[0], x, w); break;
    case HB_STEP_SUBSPACE: t->subspace_step(k, d, eta, x, w, d, y); break;
    default: t->gha_step(k, d, eta, x, w, d, y); break;
    }
    s = s + 1 == pool ? 0 : s + 1;
  }
  *cursor = s;
}

#if HB_BUILD_AVX2
/* K rows of W in registers (lanes past d zero), the step of hb_avx2_gha_small at d <= D on
 * them, D = 4 or 8: the kernel's own arithmetic (hb_avx2_halves_gha_step, whose instructions
 * depend on D only through D > 4), nothing moved through memory but the samples, which no
 * step waits for. */
HB_AVX2_INLINE void gha_chain(size_t D, size_t K, size_t steps, size_t d, float eta,
                              const float *xs, size_t pool, size_t *cursor, float *W) {
  const __m256i m = hb_avx2_tail_mask(d);
  hb_avx2_halves w[HB_CHAIN_K_MAX];
  for (size_t i = 0; i < K; i++) {
    const __m256 v = _mm256_maskload_ps(W + i * d, m);
    w[i] = (hb_avx2_halves){_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1)};
  }
  size_t s = *cursor;
  for (size_t n = 0; n < steps; n++) {
    const __m256 v = _mm256_maskload_ps(xs + s * d, m);
    const hb_avx2_halves x = {_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1)};
    hb_avx2_halves r = x;
    for (size_t i = 0; i < K; i++) hb_avx2_halves_gha_step(D, eta, x, &r, &w[i]);
    s = s + 1 == pool ? 0 : s + 1;
  }
  for (size_t i = 0; i < K; i++)
    _mm256_maskstore_ps(W + i * d, m, _mm256_set_m128(w[i].hi, w[i].lo));
  *cursor = s;
}

#define GHA_CHAIN_K(D)                                                                       \
  switch (k) {                                                                               \
  case 1: gha_chain(D, 1, steps, d, eta, xs, pool, cursor, W); break;                        \
  case 2: gha_chain(D, 2, steps, d, eta, xs, pool, cursor, W); break;                        \
  case 3: gha_chain(D, 3, steps, d, eta, xs, pool, cursor, W); break;                        \
  default: gha_chain(D, 4, steps, d, eta, xs, pool, cursor, W); break;                       \
  }

HB_AVX2 static void gha_chain_avx2(size_t steps, size_t k, size_t d, float eta, const float *xs,
                                   size_t pool, size_t *cursor, float *W) {
  if (d <= 4) {
    GHA_CHAIN_K(4)
  } else {
    GHA_CHAIN_K(8)
  }
}
#undef GHA_CHAIN_K
#endif

size_t hb_gha_chain_loop_f32(size_t steps, size_t k, size_t d, float eta, const float *xs,
                             size_t pool, size_t *cursor, float *W) {
#if HB_BUILD_AVX2
  if (hb_isa_supported(HB_ISA_AVX2) && d >= 1 && d <= 8 && k >= 1 && k <= HB_CHAIN_K_MAX) {
    gha_chain_avx2(steps, k, d, eta, xs, pool, cursor, W);
    return steps;
  }
#endif
  (void)eta, (void)xs, (void)pool, (void)cursor, (void)W, (void)k, (void)d, (void)steps;
  return 0;
}
