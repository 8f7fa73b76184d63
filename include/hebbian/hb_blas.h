/* Level-1/2 blocks. Dispatched entry points (hb_<op>_f32) plus the per-variant table that
 * tests and benchmarks iterate (hb_blas_kernels). The kernels are the HB_BLAS rows of
 * hb_kernels.inc, each documented at its row. */
#ifndef HEBBIAN_HB_BLAS_H
#define HEBBIAN_HB_BLAS_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HB_BLAS HB_KERNEL_PROTOTYPE
#include "hb_kernels.inc"

typedef struct hb_blas_kernels {
  hb_isa isa;
#define HB_BLAS HB_KERNEL_FIELD
#include "hb_kernels.inc"
} hb_blas_kernels;

/* The table of one variant, or NULL when that variant is not compiled in or not supported by
 * this CPU. */
const hb_blas_kernels *hb_blas_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
