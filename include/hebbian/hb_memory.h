/* Associative-memory kernels: the overlap form of the Hopfield field on bit-packed +-1
 * patterns, and a numerically stable softmax for the modern (attention-like) update.
 * Dispatched entry points plus the per-variant table (hb_memory_kernels). */
#ifndef HEBBIAN_HB_MEMORY_H
#define HEBBIAN_HB_MEMORY_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bit layout of a packed +-1 vector of n entries: entry j is bit (j % 64) of word j / 64, set
 * when the entry is negative (its float sign bit); the (64 - n % 64) % 64 padding bits of the
 * last word are zero. Writes (n + 63) / 64 words. */
void hb_pack_signs_u64(size_t n, const float *x, uint64_t *bits);

/* The dispatched kernels are the HB_MEMORY rows of hb_kernels.inc:
 *
 * void hb_bit_overlap_f32(p, n, xi, ldxi, s, m)
 * Overlaps of a state s with p packed patterns (row mu at xi + mu * ldxi words):
 *   m[mu] = sum_j xi^mu_j s_j = n - 2 popcount(xi^mu XOR s).
 * Exact: every m[mu] is an integer of magnitude <= n, representable in a float while
 * n <= 2^24.
 *
 * float hb_softmax_f32(n, beta, x, y)
 * y = softmax(beta x): y_i = exp(beta x_i - c) / sum_j exp(beta x_j - c), c = max_j beta x_j,
 * so no exp overflows and the largest term is exactly 1. Returns log sum_j exp(beta x_j)
 * (the log-partition, for energies). y may alias x. n >= 1.
 * The vector bodies use a degree-7 polynomial exp after range reduction to |r| <= ln2/2:
 * relative error below 3e-7 (about 2 ulp) per term against libm expf. */
#define HB_MEMORY HB_KERNEL_PROTOTYPE
#include "hb_kernels.inc"

typedef struct hb_memory_kernels {
  hb_isa isa;
#define HB_MEMORY HB_KERNEL_FIELD
#include "hb_kernels.inc"
} hb_memory_kernels;

/* The table of one variant, or NULL when that variant is not compiled in or not supported by
 * this CPU. */
const hb_memory_kernels *hb_memory_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
