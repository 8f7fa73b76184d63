/* The measuring instruments of hb_calibrate.h: the FMA peak probe, one body per variant in
 * one file, and the C step loop. They measure the kernels rather than being kernels with a
 * scalar reference. */
#include "internal.h"

#if HB_BUILD_AVX2
#include <immintrin.h>
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
