/* The FP32 fused multiply-add peak probe used by `hebbian bench` and the benchmarks to state
 * a kernel's speed as a fraction of what the core can do. Not a kernel family: no table. */
#ifndef HEBBIAN_HB_CALIBRATE_H
#define HEBBIAN_HB_CALIBRATE_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs `iterations` rounds of 12 independent FMA chains (a = a*m + c) at the variant's vector
 * width (8 lanes AVX2, 4 NEON, 1 scalar) and returns the floating-point operations done,
 * 2 per lane per FMA. 12 chains cover latency x issue width (4 x 2 on Zen 3/4, 4 x 2 on
 * Cortex-A76) with room to spare. The chains' sum goes to *sink so no work is dead. The caller
 * times it; an unsupported variant does nothing and returns 0. */
uint64_t hb_fma_burn_f32(hb_isa isa, uint64_t iterations, float *sink);

#ifdef __cplusplus
}
#endif
#endif
