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

/* The dispatched kernels are the HB_MEMORY rows of hb_kernels.inc, each documented at its
 * row. */
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
