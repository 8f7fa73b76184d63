/* swift-hebbian C API: float kernels for streaming Hebbian learning.
 *
 * Every kernel is a pure function on caller-owned memory: no allocation, no I/O, no global
 * state besides the dispatch choice made once per process. Matrices are row-major with an
 * explicit leading dimension; vectors take a positive element stride.
 *
 * Every dispatched kernel is one row of hb_kernels.inc; the family headers below expand it into
 * their entry points and per-variant tables and document each kernel's contract.
 */
#ifndef HEBBIAN_H
#define HEBBIAN_H

#include "hb_base.h"
#include "hb_math.h"
#include "hb_blas.h"
#include "hb_rules.h"
#include "hb_calibrate.h"
#include "hb_memory.h"
#include "hb_plastic.h"    /* the differentiable plastic layer (Miconi et al. 2018) */
#include "hb_plasticity.h" /* local plasticity rules: Hebb with decay, instar, BCM, STDP */
#include "hb_pca.h"        /* the per-sample learning loop of online PCA (Oja, subspace, GHA) */
#include "hb_contract.h"   /* each kernel's sweep and benchmark workload, by catalogue index */

#endif
