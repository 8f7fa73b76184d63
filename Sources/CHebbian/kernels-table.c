/* The per-variant tables, the dispatched entry points and the kernel catalogue, all generated
 * from the kernel list (include/hebbian/hb_kernels.inc). As in BLIS, an ISA's table starts
 * from the scalar reference and takes the ISA's own body wherever the list says it has one. */
#include "contract.h"

#include <stdlib.h>

/* The five family tables of one variant: one lazily chosen pointer serves every family. */
typedef struct hb_variant {
  hb_blas_kernels blas;
  hb_rule_kernels rule;
  hb_memory_kernels memory;
  hb_plastic_kernels plastic;
  hb_plasticity_kernels plasticity;
} hb_variant;

#define HB_VARIANT_ISA(value)                                                                \
  .blas.isa = value, .rule.isa = value, .memory.isa = value, .plastic.isa = value,           \
  .plasticity.isa = value

/* HB_PICK(flag, own, reference): the ISA's own body when the list's column is 1. */
#define HB_PICK(flag, own, ref) HB_PICK_##flag(own, ref)
#define HB_PICK_1(own, ref) own
#define HB_PICK_0(own, ref) ref

static const hb_variant variant_scalar = {
  HB_VARIANT_ISA(HB_ISA_SCALAR),
#define HB_KERNEL(family, ret, op, avx2, neon, params, args) .family.op = hb_##op##_f32__scalar,
#include "hebbian/hb_kernels.inc"
};

/* HB_BODY_<isa>(op, flag): the body an entry point calls on that ISA. */
#if HB_BUILD_AVX2
#define HB_BODY_AVX2(op, flag) HB_PICK(flag, hb_##op##_f32__avx2, hb_##op##_f32__scalar)
#else
#define HB_BODY_AVX2(op, flag) hb_##op##_f32__scalar
#endif
#if HB_BUILD_NEON
#define HB_BODY_NEON(op, flag) HB_PICK(flag, hb_##op##_f32__neon, hb_##op##_f32__scalar)
#else
#define HB_BODY_NEON(op, flag) hb_##op##_f32__scalar
#endif

/* The table of this build's vector ISA (AVX2 on x86-64, NEON on ARM: never both). */
#if HB_BUILD_AVX2
#define HB_VECTOR_ISA HB_ISA_AVX2
#define HB_VECTOR_BODY(op, avx2, neon) HB_BODY_AVX2(op, avx2)
#elif HB_BUILD_NEON
#define HB_VECTOR_ISA HB_ISA_NEON
#define HB_VECTOR_BODY(op, avx2, neon) HB_BODY_NEON(op, neon)
#endif

#ifdef HB_VECTOR_ISA
static const hb_variant variant_vector = {
  HB_VARIANT_ISA(HB_VECTOR_ISA),
#define HB_KERNEL(family, ret, op, avx2, neon, params, args)                                 \
  .family.op = HB_VECTOR_BODY(op, avx2, neon),
#include "hebbian/hb_kernels.inc"
};
#endif

static const hb_variant *variant_for(hb_isa isa) {
  if (!hb_isa_supported(isa)) return NULL;
  switch (isa) {
  case HB_ISA_SCALAR: return &variant_scalar;
#ifdef HB_VECTOR_ISA
  case HB_VECTOR_ISA: return &variant_vector;
#endif
  default: return NULL;
  }
}

#define HB_FAMILY_FOR(family)                                                                \
  const hb_##family##_kernels *hb_##family##_kernels_for(hb_isa isa) {                       \
    const hb_variant *v = variant_for(isa);                                                  \
    return v != NULL ? &v->family : NULL;                                                    \
  }
HB_FAMILY_FOR(blas)
HB_FAMILY_FOR(rule)
HB_FAMILY_FOR(memory)
HB_FAMILY_FOR(plastic)
HB_FAMILY_FOR(plasticity)

/* The dispatched entry points. Each one names only its own bodies, not the tables: with
 * -ffunction-sections a program keeps the bodies of the kernels it calls, where one table of
 * every kernel kept them all through --gc-sections (the tables stay for hb_*_kernels_for and
 * the catalogue). HB_RETURN_<ret> drops the `return` of a void kernel (C11 forbids returning
 * a void expression); a new return type needs one line here. */
#define HB_RETURN_void
#define HB_RETURN_float return
#define HB_KERNEL(family, ret, op, avx2, neon, params, args)                                 \
  ret hb_##op##_f32 params {                                                                 \
    const hb_isa isa = hb_isa_current();                                                             \
    HB_RETURN_##ret(isa == HB_ISA_AVX2   ? HB_BODY_AVX2(op, avx2)                            \
                    : isa == HB_ISA_NEON ? HB_BODY_NEON(op, neon)                            \
                                         : hb_##op##_f32__scalar) args;                      \
  }
#include "hebbian/hb_kernels.inc"

/* The catalogue behind hb_kernel_count / hb_kernel_at. */
#define HB_KERNEL(fam, ret, op, avx2, neon, params, args)                                    \
  {.name = "hb_" #op "_f32", .family = #fam, .has_avx2 = avx2, .has_neon = neon},
static const hb_kernel_info catalogue[] = {
#include "hebbian/hb_kernels.inc"
};

size_t hb_kernel_count(void) { return sizeof catalogue / sizeof catalogue[0]; }

const hb_kernel_info *hb_kernel_at(size_t i) {
  return i < hb_kernel_count() ? &catalogue[i] : NULL;
}

const void *hb_kernel_variant(size_t i, hb_isa isa) {
  const hb_variant *v = variant_for(isa);
  if (v == NULL || i >= hb_kernel_count()) return NULL;
  const void *const entries[] = {
#define HB_KERNEL(family, ret, op, avx2, neon, params, args) (const void *)v->family.op,
#include "hebbian/hb_kernels.inc"
  };
  return entries[i];
}

/* The contracts (contract.h): each kernel's sweep and workload, reached by catalogue index.
 * The thunks hand a contract its kernel's typed bodies: the scalar reference and the variant. */
#define HB_KERNEL(family, ret, op, avx2, neon, params, args)                                 \
  static void sweep_##op(hb_sweep *h, const hb_variant *v) {                                 \
    hb_##op##_f32__sweep(h, variant_scalar.family.op, v->family.op);                         \
  }                                                                                          \
  static void workload_##op(hb_workload *w, hb_rng *r, const hb_variant *v) {               \
    w->body = (void (*)(void))v->family.op;                                                  \
    hb_##op##_f32__workload(w, r);                                                           \
  }
#include "hebbian/hb_kernels.inc"

static void (*const sweeps[])(hb_sweep *, const hb_variant *) = {
#define HB_KERNEL(family, ret, op, avx2, neon, params, args) sweep_##op,
#include "hebbian/hb_kernels.inc"
};

static void (*const workloads[])(hb_workload *, hb_rng *, const hb_variant *) = {
#define HB_KERNEL(family, ret, op, avx2, neon, params, args) workload_##op,
#include "hebbian/hb_kernels.inc"
};

bool hb_kernel_sweep(size_t i, hb_isa isa, uint64_t seed, hb_sweep_result *out) {
  const hb_variant *v = variant_for(isa);
  if (v == NULL || i >= hb_kernel_count()) return false;
  /* On the heap: the state outlives a longjmp out of the sweep (a local changed after setjmp
   * would not), and a jmp_buf plus the buffer list stay off a board's small stack. */
  hb_sweep *h = calloc(1, sizeof *h);
  if (h == NULL) {
    *out = (hb_sweep_result){.cases = 0, .max_error = INFINITY, .tolerance = 0};
    return true;
  }
  /* Each kernel draws from its own stream, so a row is reproducible on its own. */
  hb_rng_seed(&h->rng, seed + 0x9E3779B9ull * (uint64_t)(i + 1));
  if (setjmp(h->out_of_memory) == 0) {
    sweeps[i](h, v);
  } else {
    h->max_error = INFINITY;
  }
  hb_sweep_release(h);
  *out = (hb_sweep_result){.cases = h->cases, .max_error = h->max_error, .tolerance = h->tolerance};
  free(h);
  return true;
}

hb_workload *hb_kernel_workload(size_t i, hb_isa isa, size_t k, size_t d) {
  const hb_variant *v = variant_for(isa);
  if (v == NULL || i >= hb_kernel_count()) return NULL;
  hb_workload *w = calloc(1, sizeof *w);
  if (w == NULL) return NULL;
  w->k = k;
  w->d = d;
  w->uses_k = true;
  /* Seeded from the shape only: every variant of a kernel times the same operands. */
  hb_rng r;
  hb_rng_seed(&r, (uint64_t)(d * 131 + k));
  workloads[i](w, &r, v);
  if (w->failed || w->run == NULL) {
    hb_workload_free(w);
    return NULL;
  }
  return w;
}
