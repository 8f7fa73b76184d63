/* swift-hebbian C API: float kernels for streaming Hebbian learning.
 *
 * Every kernel is a pure function on caller-owned memory: no allocation, no I/O, no global
 * state besides the dispatch choice made once per process. Matrices are row-major with an
 * explicit leading dimension; vectors take a positive element stride.
 */
#ifndef HEBBIAN_H
#define HEBBIAN_H

#include "hb_base.h"
#include "hb_math.h"
#include "hb_blas.h"
#include "hb_rules.h"
#include "hb_calibrate.h"
#include "hb_memory.h"
#include "hb_plastic.h"
#include "hb_plasticity.h"

#endif
