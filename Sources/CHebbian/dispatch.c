/* Runtime choice of the kernel variant: once per process, from the CPU and HEBBIAN_ISA. */
#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__arm__) && defined(__linux__)
#include <sys/auxv.h>
#endif

static const char *const isa_names[HB_ISA_COUNT] = {"scalar", "avx2", "neon"};

const char *hb_isa_name(hb_isa isa) {
  return (unsigned)isa < HB_ISA_COUNT ? isa_names[isa] : "unknown";
}

static bool cpu_has_avx2_fma(void) {
#if HB_BUILD_AVX2
  /* __builtin_cpu_supports also checks that the OS saves YMM state (XGETBV). */
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

static bool cpu_has_neon_fma(void) {
#if HB_BUILD_NEON && defined(__aarch64__)
  return true; /* Advanced SIMD with FMA is part of the AArch64 baseline. */
#elif HB_BUILD_NEON && defined(__arm__) && defined(__linux__)
  /* HWCAP_NEON (bit 12) and HWCAP_VFPv4 (bit 16, implies VFMA) on 32-bit ARM Linux. */
  unsigned long hw = getauxval(AT_HWCAP);
  return (hw & (1ul << 12)) && (hw & (1ul << 16));
#else
  return false;
#endif
}

bool hb_isa_supported(hb_isa isa) {
  switch (isa) {
  case HB_ISA_SCALAR: return true;
  case HB_ISA_AVX2: return cpu_has_avx2_fma();
  case HB_ISA_NEON: return cpu_has_neon_fma();
  }
  return false;
}

hb_isa hb_isa_best(void) {
  if (hb_isa_supported(HB_ISA_AVX2)) return HB_ISA_AVX2;
  if (hb_isa_supported(HB_ISA_NEON)) return HB_ISA_NEON;
  return HB_ISA_SCALAR;
}

hb_status hb_isa_parse(const char *name, hb_isa *out) {
  if (name == NULL) return HB_ERR_ISA_UNKNOWN;
  for (int i = 0; i < HB_ISA_COUNT; i++) {
    if (strcmp(name, isa_names[i]) == 0) {
      *out = (hb_isa)i;
      return HB_OK;
    }
  }
  return HB_ERR_ISA_UNKNOWN;
}

/* The one cache of the choice (internal.h): -1 until chosen. Racing first calls compute the
 * same answer, so a relaxed compare-exchange is enough. */
_Atomic int hb_isa_active_cache = -1;
static _Atomic int env_status = HB_OK;

hb_isa hb_isa_active(void) {
  int isa = atomic_load_explicit(&hb_isa_active_cache, memory_order_relaxed);
  if (isa >= 0) return (hb_isa)isa;
  hb_isa chosen = hb_isa_best();
  hb_status status = HB_OK;
  const char *env = getenv("HEBBIAN_ISA");
  if (env != NULL && env[0] != '\0') {
    hb_isa requested;
    status = hb_isa_parse(env, &requested);
    if (status == HB_OK) {
      if (hb_isa_supported(requested)) chosen = requested;
      else status = HB_ERR_ISA_UNAVAILABLE;
    }
  }
  atomic_store_explicit(&env_status, status, memory_order_relaxed);
  int expected = -1;
  atomic_compare_exchange_strong(&hb_isa_active_cache, &expected, (int)chosen);
  return (hb_isa)atomic_load_explicit(&hb_isa_active_cache, memory_order_relaxed);
}

hb_status hb_isa_env_status(void) {
  (void)hb_isa_active();
  return (hb_status)atomic_load_explicit(&env_status, memory_order_relaxed);
}

hb_status hb_isa_init(void) { return hb_isa_env_status(); }
