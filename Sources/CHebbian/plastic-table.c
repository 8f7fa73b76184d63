/* The plastic-layer kernels: one table per variant, and the dispatched entry points. */
#include "internal.h"

#include <stdatomic.h>

#define HB_PLASTIC_TABLE(suffix, isa_value)                                                  \
  {                                                                                          \
    .isa = isa_value, .plastic_current = hb_plastic_current_f32__##suffix,                   \
    .hebb_trace_step = hb_hebb_trace_step_f32__##suffix,                                     \
    .plastic_backward_step = hb_plastic_backward_step_f32__##suffix,                         \
  }

static const hb_plastic_kernels plastic_scalar = HB_PLASTIC_TABLE(scalar, HB_ISA_SCALAR);
#if HB_BUILD_AVX2 && defined(HB_HAVE_AVX2_PLASTIC)
static const hb_plastic_kernels plastic_avx2 = HB_PLASTIC_TABLE(avx2, HB_ISA_AVX2);
#endif
#if HB_BUILD_NEON && defined(HB_HAVE_NEON_PLASTIC)
static const hb_plastic_kernels plastic_neon = HB_PLASTIC_TABLE(neon, HB_ISA_NEON);
#endif

const hb_plastic_kernels *hb_plastic_kernels_for(hb_isa isa) {
  if (!hb_isa_supported(isa)) return NULL;
  switch (isa) {
  case HB_ISA_SCALAR: return &plastic_scalar;
#if HB_BUILD_AVX2 && defined(HB_HAVE_AVX2_PLASTIC)
  case HB_ISA_AVX2: return &plastic_avx2;
#endif
#if HB_BUILD_NEON && defined(HB_HAVE_NEON_PLASTIC)
  case HB_ISA_NEON: return &plastic_neon;
#endif
  default: return NULL;
  }
}

static _Atomic(const hb_plastic_kernels *) active;

static const hb_plastic_kernels *plastic(void) {
  const hb_plastic_kernels *t = atomic_load_explicit(&active, memory_order_acquire);
  if (t == NULL) {
    t = hb_plastic_kernels_for(hb_isa_active());
    if (t == NULL) t = &plastic_scalar;
    atomic_store_explicit(&active, t, memory_order_release);
  }
  return t;
}

void hb_plastic_current_f32(size_t m, size_t n, const float *w, const float *alpha,
                            const float *H, size_t ld, const float *x, float *a) {
  plastic()->plastic_current(m, n, w, alpha, H, ld, x, a);
}
void hb_hebb_trace_step_f32(int rule, size_t m, size_t n, float eta, const float *x,
                            const float *y, float *H, size_t ld) {
  plastic()->hebb_trace_step(rule, m, n, eta, x, y, H, ld);
}
float hb_plastic_backward_step_f32(int rule, size_t m, size_t n, float eta, const float *w,
                                   const float *alpha, const float *H, size_t ld,
                                   const float *x, const float *y, float *gy, float *gH,
                                   float *gx, float *gw, float *galpha) {
  return plastic()->plastic_backward_step(rule, m, n, eta, w, alpha, H, ld, x, y, gy, gH, gx,
                                          gw, galpha);
}
