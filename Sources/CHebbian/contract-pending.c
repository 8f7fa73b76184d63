/* TRANSITIONAL: weak placeholders until every kernel's contract exists. */
#include "contract.h"
#define HB_KERNEL(family, ret, op, avx2, neon, params, args)                                 \
  __attribute__((weak)) void hb_##op##_f32__sweep(hb_sweep *h, hb_##op##_fn ref,            \
                                                  hb_##op##_fn k) {                          \
    (void)ref; (void)k; h->tolerance = -1;                                                   \
  }                                                                                          \
  __attribute__((weak)) void hb_##op##_f32__workload(hb_workload *w, size_t k, size_t d) {   \
    (void)w; (void)k; (void)d;                                                               \
  }
#include "hebbian/hb_kernels.inc"
