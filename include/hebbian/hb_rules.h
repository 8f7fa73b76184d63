/* Fused Hebbian rule steps for online PCA. Each updates W in place from one sample x and
 * returns the outputs y computed from the W *before* the step. The kernels are the HB_RULE
 * rows of hb_kernels.inc, each documented at its row. */
#ifndef HEBBIAN_HB_RULES_H
#define HEBBIAN_HB_RULES_H

#include "hb_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HB_RULE HB_KERNEL_PROTOTYPE
#include "hb_kernels.inc"

typedef struct hb_rule_kernels {
  hb_isa isa;
#define HB_RULE HB_KERNEL_FIELD
#include "hb_kernels.inc"
} hb_rule_kernels;

const hb_rule_kernels *hb_rule_kernels_for(hb_isa isa);

#ifdef __cplusplus
}
#endif
#endif
