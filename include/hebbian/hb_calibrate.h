/* Measuring instruments for `hebbian bench` and the benchmarks: the FP32 fused multiply-add
 * peak probe, which states a kernel's speed as a fraction of what the core can do, and a C
 * loop around one rule kernel. Not a kernel family: no table. */
#ifndef HEBBIAN_HB_CALIBRATE_H
#define HEBBIAN_HB_CALIBRATE_H

#include "hb_base.h"
#include "hb_rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs `iterations` rounds of 12 independent FMA chains (a = a*m + c) at the variant's vector
 * width (8 lanes AVX2, 4 NEON, 1 scalar) and returns the floating-point operations done,
 * 2 per lane per FMA. 12 chains cover latency x issue width (4 x 2 on Zen 3/4, 4 x 2 on
 * Cortex-A76) with room to spare. The chains' sum goes to *sink so no work is dead. The caller
 * times it; an unsupported variant does nothing and returns 0. */
uint64_t hb_fma_burn_f32(hb_isa isa, uint64_t iterations, float *sink);

/* The rule a step loop runs. */
typedef enum { HB_STEP_OJA = 0, HB_STEP_SUBSPACE = 1, HB_STEP_GHA = 2 } hb_step_rule;

/* Runs `steps` updates of one rule kernel of table t on W (k x d, ldw = d), step s on sample
 * *cursor of the pool (pool samples of d floats, cycled; *cursor is advanced), every row at
 * rate eta[i] (Oja: eta[0]). A C loop around the kernel, so timing one call gives the
 * kernel's own cost per update, apart from whatever loop a caller would wrap it in. */
void hb_rule_step_loop_f32(const hb_rule_kernels *t, hb_step_rule rule, size_t steps, size_t k,
                           size_t d, const float *eta, const float *xs, size_t pool,
                           size_t *cursor, float *w, float *y);

/* The dependency chain of one GHA step, measured: `steps` steps of the AVX2 small-d GHA body
 * (rate eta on every row) on W (k x d, ldw = d) held in registers for the whole loop, over the
 * pool as hb_rule_step_loop_f32 cycles it, W written back at the end. With W in registers
 * and no rates, outputs or call to make, one step costs the latency of its own arithmetic,
 * y_i = w_i.x to the last row's update: the bound the kernel and the PCA driver are held
 * against. Returns the steps run: 0 (nothing done) unless AVX2 is supported,
 * 1 <= d <= 8 and 1 <= k <= HB_CHAIN_K_MAX. */
#define HB_CHAIN_K_MAX 4
size_t hb_gha_chain_loop_f32(size_t steps, size_t k, size_t d, float eta, const float *xs,
                             size_t pool, size_t *cursor, float *W);

#ifdef __cplusplus
}
#endif
#endif
