/* The associative-memory family: one table per variant, and the dispatched entry points. */
#include "internal.h"

#include <stdatomic.h>

#define HB_MEMORY_TABLE(suffix, isa_value)                                                   \
  {                                                                                          \
    .isa = isa_value, .bit_overlap = hb_bit_overlap_f32__##suffix,                           \
    .softmax = hb_softmax_f32__##suffix,                                                     \
  }

static const hb_memory_kernels memory_scalar = HB_MEMORY_TABLE(scalar, HB_ISA_SCALAR);
#if HB_BUILD_AVX2
static const hb_memory_kernels memory_avx2 = HB_MEMORY_TABLE(avx2, HB_ISA_AVX2);
#endif
#if HB_BUILD_NEON
static const hb_memory_kernels memory_neon = HB_MEMORY_TABLE(neon, HB_ISA_NEON);
#endif

const hb_memory_kernels *hb_memory_kernels_for(hb_isa isa) {
  if (!hb_isa_supported(isa)) return NULL;
  switch (isa) {
  case HB_ISA_SCALAR: return &memory_scalar;
#if HB_BUILD_AVX2
  case HB_ISA_AVX2: return &memory_avx2;
#endif
#if HB_BUILD_NEON
  case HB_ISA_NEON: return &memory_neon;
#endif
  default: return NULL;
  }
}

static _Atomic(const hb_memory_kernels *) active;

static const hb_memory_kernels *memory(void) {
  const hb_memory_kernels *t = atomic_load_explicit(&active, memory_order_acquire);
  if (t == NULL) {
    t = hb_memory_kernels_for(hb_isa_active());
    if (t == NULL) t = &memory_scalar;
    atomic_store_explicit(&active, t, memory_order_release);
  }
  return t;
}

void hb_bit_overlap_f32(size_t p, size_t n, const uint64_t *xi, size_t ldxi, const uint64_t *s,
                        float *m) {
  memory()->bit_overlap(p, n, xi, ldxi, s, m);
}
float hb_softmax_f32(size_t n, float beta, const float *x, float *y) {
  return memory()->softmax(n, beta, x, y);
}
