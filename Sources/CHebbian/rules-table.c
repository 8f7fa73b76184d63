/* The fused online-PCA rule steps: one table per variant, and the dispatched entry points. */
#include "internal.h"

#include <stdatomic.h>

#define HB_RULE_TABLE(suffix, isa_value)                                                     \
  {                                                                                          \
    .isa = isa_value, .oja_step = hb_oja_step_f32__##suffix,                                 \
    .subspace_step = hb_subspace_step_f32__##suffix, .gha_step = hb_gha_step_f32__##suffix,  \
  }

static const hb_rule_kernels rules_scalar = HB_RULE_TABLE(scalar, HB_ISA_SCALAR);
#if HB_BUILD_AVX2
static const hb_rule_kernels rules_avx2 = HB_RULE_TABLE(avx2, HB_ISA_AVX2);
#endif
#if HB_BUILD_NEON
static const hb_rule_kernels rules_neon = HB_RULE_TABLE(neon, HB_ISA_NEON);
#endif

const hb_rule_kernels *hb_rule_kernels_for(hb_isa isa) {
  if (!hb_isa_supported(isa)) return NULL;
  switch (isa) {
  case HB_ISA_SCALAR: return &rules_scalar;
#if HB_BUILD_AVX2
  case HB_ISA_AVX2: return &rules_avx2;
#endif
#if HB_BUILD_NEON
  case HB_ISA_NEON: return &rules_neon;
#endif
  default: return NULL;
  }
}

static _Atomic(const hb_rule_kernels *) active;

static const hb_rule_kernels *rules(void) {
  const hb_rule_kernels *t = atomic_load_explicit(&active, memory_order_acquire);
  if (t == NULL) {
    t = hb_rule_kernels_for(hb_isa_active());
    if (t == NULL) t = &rules_scalar;
    atomic_store_explicit(&active, t, memory_order_release);
  }
  return t;
}

float hb_oja_step_f32(size_t d, float eta, const float *x, float *w) {
  return rules()->oja_step(d, eta, x, w);
}
void hb_subspace_step_f32(size_t k, size_t d, float eta, const float *x, float *W, size_t ldw,
                          float *y) {
  rules()->subspace_step(k, d, eta, x, W, ldw, y);
}
void hb_gha_step_f32(size_t k, size_t d, float eta, const float *x, float *W, size_t ldw,
                     float *y) {
  rules()->gha_step(k, d, eta, x, W, ldw, y);
}
