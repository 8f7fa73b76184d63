/* Shared by the kernel sources only: which variants this build compiles, the attribute that
 * lets one translation unit hold AVX2 bodies without global -mavx2, and the prototypes of
 * every variant, generated from the kernel list (include/hebbian/hb_kernels.inc). */
#ifndef HEBBIAN_INTERNAL_H
#define HEBBIAN_INTERNAL_H

#include "hebbian/hebbian.h"

#include <stdatomic.h>

#if defined(__x86_64__)
#define HB_BUILD_AVX2 1
/* Per-function target so the rest of the library stays baseline x86-64 and the dispatcher
 * decides at run time. */
#define HB_AVX2 __attribute__((target("avx2,fma")))
#else
#define HB_BUILD_AVX2 0
#endif

/* NEON bodies use fused multiply-add: baseline on aarch64, and on armv7 only with
 * -mfpu=neon-vfpv4 (which defines __ARM_FEATURE_FMA). */
#if defined(__ARM_NEON) && (defined(__aarch64__) || defined(__ARM_FEATURE_FMA))
#define HB_BUILD_NEON 1
#else
#define HB_BUILD_NEON 0
#endif

/* 1 when this build compiles an ISA's bodies at all; the list's avx2/neon columns say which
 * kernels have one. HB_IF(flag, ...) keeps its arguments when flag is 1. */
#define HB_IF(flag, ...) HB_IF_##flag(__VA_ARGS__)
#define HB_IF_1(...) __VA_ARGS__
#define HB_IF_0(...)

/* The active variant, read where the hot paths dispatch: hb_isa_active's own cache
 * (dispatch.c), inline, with the call only until the first choice. Every dispatcher in the
 * library (the kernels' entry points, the PCA block driver, the CSV reader) goes through it,
 * so HEBBIAN_ISA pins them all at once. */
extern _Atomic int hb_isa_active_cache;
static inline hb_isa hb_isa_current(void) {
  const int isa = atomic_load_explicit(&hb_isa_active_cache, memory_order_relaxed);
  return isa >= 0 ? (hb_isa)isa : hb_isa_active();
}

/* The prototypes of every variant body: hb_<op>_f32__scalar always, __avx2 and __neon where
 * the kernel list says the ISA has a body of its own. */
#define HB_KERNEL(family, ret, op, avx2, neon, params, args)                                 \
  ret hb_##op##_f32__scalar params;                                                          \
  HB_IF(avx2, ret hb_##op##_f32__avx2 params;)                                               \
  HB_IF(neon, ret hb_##op##_f32__neon params;)
#include "hebbian/hb_kernels.inc"

#endif
