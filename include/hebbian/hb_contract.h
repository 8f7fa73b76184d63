/* Kernel contracts: how each kernel of the list is checked and benchmarked. A kernel's
 * contract is written beside its bodies (Sources/CHebbian/<op>/<op>-contract.c) and reached
 * through the catalogue index, so the tests, `hebbian selftest` and the benchmark suite
 * iterate the list instead of naming kernels. */
#ifndef HEBBIAN_HB_CONTRACT_H
#define HEBBIAN_HB_CONTRACT_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One kernel under one variant against the scalar reference, over the kernel's whole sweep. */
typedef struct hb_sweep_result {
  size_t cases;    /* calls compared (each one shape, stride, scalar choice) */
  float max_error; /* the worst |variant − reference| / S over every element of every case */
  float tolerance; /* the bound max_error must stay within */
} hb_sweep_result;

/* Runs the sweep of catalogue kernel i under isa; the data are drawn from seed (each kernel
 * from its own stream). False, with *out untouched, when i is out of range or the variant is
 * not supported here. A sweep that cannot allocate its buffers reports an infinite error. */
bool hb_kernel_sweep(size_t i, hb_isa isa, uint64_t seed, hb_sweep_result *out);

/* The error one comparison contributes: |ref − got| / scale, infinite for NaN; scale 0
 * demands the same bits (an element the kernel must not touch, or an exact result). */
float hb_sweep_error(float ref, float got, float scale);

/* One benchmarked call: a kernel variant on one shape with its operands allocated once, so
 * that run(w) is exactly one kernel call and allocates nothing. Every workload's state stays
 * bounded over any number of calls. */
typedef struct hb_workload hb_workload;
struct hb_workload {
  void (*run)(hb_workload *w);
  size_t k, d;
  size_t flops;      /* of one call, an FMA counted as two */
  bool uses_k;       /* false for the kernels of one length d */
  /* Filled by the contract: the body run calls, its operands and small state. */
  void (*body)(void);
  void *op[16];
  size_t op_floats[16]; /* the float count of op[i] when it holds floats, else 0 */
  size_t ops;
  float scalar[4];
  bool failed;
};

/* Catalogue kernel i under isa on a k × d shape (length d for the vector kernels), or NULL
 * when i is out of range, the variant is not supported or memory ran out. */
hb_workload *hb_kernel_workload(size_t i, hb_isa isa, size_t k, size_t d);
void hb_workload_free(hb_workload *w);

#ifdef __cplusplus
}
#endif
#endif
