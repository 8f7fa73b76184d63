/* Status codes, instruction-set variants and the dispatch choice. */
#ifndef HEBBIAN_HB_BASE_H
#define HEBBIAN_HB_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HB_VERSION_STRING "0.1.0"

typedef enum hb_status {
  HB_OK = 0,
  /* 1 is retired: the kernels take shapes on trust (the Swift layer checks them), so no
   * entry point had a shape error to return. The values below keep their numbers. */
  HB_ERR_ISA_UNAVAILABLE = 2, /* the requested variant is not supported by this CPU/build */
  HB_ERR_ISA_UNKNOWN = 3,     /* HEBBIAN_ISA names no variant */
} hb_status;

/* Kernel variants. Every kernel has a scalar reference; AVX2+FMA and NEON bodies exist where
 * they pay. */
typedef enum hb_isa {
  HB_ISA_SCALAR = 0,
  HB_ISA_AVX2 = 1,
  HB_ISA_NEON = 2,
} hb_isa;

#define HB_ISA_COUNT 3

/* "scalar", "avx2", "neon". */
const char *hb_isa_name(hb_isa isa);

/* True when the variant is compiled into this build and the running CPU supports it
 * (cpuid on x86-64, HWCAP on 32-bit ARM; NEON is baseline on aarch64). */
bool hb_isa_supported(hb_isa isa);

/* The best supported variant. */
hb_isa hb_isa_best(void);

/* Parses a variant name ("scalar", "avx2", "neon"). */
hb_status hb_isa_parse(const char *name, hb_isa *out);

/* The variant every dispatched kernel uses, chosen once per process: HEBBIAN_ISA when it
 * names a supported variant, otherwise the best one. */
hb_isa hb_isa_active(void);

/* Outcome of reading HEBBIAN_ISA when the active variant was chosen: HB_OK when unset or
 * honoured, HB_ERR_ISA_UNKNOWN or HB_ERR_ISA_UNAVAILABLE when it was ignored. Front ends
 * turn a non-OK value into a clear error instead of silently running another variant. */
hb_status hb_isa_env_status(void);

/* The start of a C program: chooses the variant and returns hb_isa_env_status(). HB_OK when
 * HEBBIAN_ISA is unset or names a variant this build and CPU support; HB_ERR_ISA_UNKNOWN or
 * HB_ERR_ISA_UNAVAILABLE (e.g. HEBBIAN_ISA=neon on x86-64) when it cannot be honoured. A
 * program must stop on a non-OK status, as the hebbian command does (exit status 2): the
 * kernels themselves never fail, and without this check they would run the best variant
 * instead of the one requested. */
hb_status hb_isa_init(void);

/* The kernel catalogue: one entry per row of the kernel list (hb_kernels.inc), in its order,
 * so tests, benchmarks and `hebbian selftest` can iterate every dispatched kernel. */
typedef struct hb_kernel_info {
  const char *name;   /* the entry point, e.g. "hb_gha_step_f32" */
  const char *family; /* "blas", "rule", "memory", "plastic" or "plasticity" */
  bool has_avx2;      /* an AVX2+FMA body of its own (otherwise that table holds the scalar one) */
  bool has_neon;      /* a NEON body of its own */
} hb_kernel_info;

size_t hb_kernel_count(void);
/* Entry i, or NULL when i >= hb_kernel_count(). */
const hb_kernel_info *hb_kernel_at(size_t i);
/* The body kernel i runs under a variant (as a plain pointer, for comparing), or NULL when i
 * is out of range or the variant is not supported here. */
const void *hb_kernel_variant(size_t i, hb_isa isa);

/* Expansions of the kernel list (hb_kernels.inc) for the family headers: each family header
 * defines its row macro as one of these and includes the list, once for the entry points and
 * once for the fields of its per-variant table. */
#define HB_KERNEL_PROTOTYPE(ret, op, avx2, neon, params, args) ret hb_##op##_f32 params;
#define HB_KERNEL_FIELD(ret, op, avx2, neon, params, args) ret(*op) params;

#ifdef __cplusplus
}
#endif
#endif
