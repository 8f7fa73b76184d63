/* The local plasticity family (rate rules and the STDP trace step): one table per variant,
 * and the dispatched entry points. */
#include "internal.h"

#include <stdatomic.h>

#define HB_PLASTICITY_TABLE(suffix, isa_value)                                               \
  {                                                                                          \
    .isa = isa_value, .hebb_decay_step = hb_hebb_decay_step_f32__##suffix,                   \
    .instar_step = hb_instar_step_f32__##suffix, .bcm_step = hb_bcm_step_f32__##suffix,      \
    .stdp_trace_step = hb_stdp_trace_step_f32__##suffix,                                     \
  }

static const hb_plasticity_kernels plasticity_scalar = HB_PLASTICITY_TABLE(scalar, HB_ISA_SCALAR);
#if HB_BUILD_AVX2
static const hb_plasticity_kernels plasticity_avx2 = HB_PLASTICITY_TABLE(avx2, HB_ISA_AVX2);
#endif
#if HB_BUILD_NEON
static const hb_plasticity_kernels plasticity_neon = HB_PLASTICITY_TABLE(neon, HB_ISA_NEON);
#endif

const hb_plasticity_kernels *hb_plasticity_kernels_for(hb_isa isa) {
  if (!hb_isa_supported(isa)) return NULL;
  switch (isa) {
  case HB_ISA_SCALAR: return &plasticity_scalar;
#if HB_BUILD_AVX2
  case HB_ISA_AVX2: return &plasticity_avx2;
#endif
#if HB_BUILD_NEON
  case HB_ISA_NEON: return &plasticity_neon;
#endif
  default: return NULL;
  }
}

static _Atomic(const hb_plasticity_kernels *) active;

static const hb_plasticity_kernels *plasticity(void) {
  const hb_plasticity_kernels *t = atomic_load_explicit(&active, memory_order_acquire);
  if (t == NULL) {
    t = hb_plasticity_kernels_for(hb_isa_active());
    if (t == NULL) t = &plasticity_scalar;
    atomic_store_explicit(&active, t, memory_order_release);
  }
  return t;
}

void hb_hebb_decay_step_f32(size_t k, size_t d, float eta, float lambda, const float *x,
                            const float *y, float *W, size_t ldw) {
  plasticity()->hebb_decay_step(k, d, eta, lambda, x, y, W, ldw);
}
void hb_instar_step_f32(size_t k, size_t d, float eta, const float *x, const float *y,
                        float *W, size_t ldw) {
  plasticity()->instar_step(k, d, eta, x, y, W, ldw);
}
void hb_bcm_step_f32(size_t k, size_t d, float eta, const float *x, const float *y,
                     const float *theta, float *W, size_t ldw) {
  plasticity()->bcm_step(k, d, eta, x, y, theta, W, ldw);
}
void hb_stdp_trace_step_f32(size_t k, size_t d, const hb_stdp_params *p,
                            const float *pre_spikes, float *pre_trace,
                            const float *post_spikes, float *post_trace, float *W, size_t ldw) {
  plasticity()->stdp_trace_step(k, d, p, pre_spikes, pre_trace, post_spikes, post_trace, W, ldw);
}
