/* What a kernel's contract (<op>/<op>-contract.c) is written with. A contract defines
 *
 *   void hb_<op>_f32__sweep(hb_sweep *h, hb_<op>_fn ref, hb_<op>_fn k);
 *   void hb_<op>_f32__workload(hb_workload *w, hb_rng *r);
 *
 * The sweep calls the scalar reference `ref` and a variant `k` on the same operands over the
 * kernel's shape table, feeds every output element with its condition magnitude S to
 * hb_compare, counts each call in h->cases and sets h->tolerance. Operands come from
 * hb_sweep_floats and friends: one element past a 64-byte boundary (so a vector load at an
 * operand's start is not aligned) with HB_GUARD elements past the operand that a kernel must
 * never write, freed when the sweep ends (a sweep that draws fresh operands for every shape
 * frees them with hb_sweep_release before the next). The workload finds the variant in
 * w->body and the shape in w->k and w->d, draws its operands from r (seeded from the shape,
 * so every variant times the same data) with hb_workload_floats and friends, and sets
 * w->run, w->flops and, for a kernel of one length d, w->uses_k = false.
 * The catalogue (kernels-table.c) reaches both through the list, so a row without a contract
 * does not link.
 *
 * The sweeps' arithmetic is plain float, never contracted into FMAs: S must not depend on the
 * compiler. */
#ifndef HEBBIAN_CONTRACT_H
#define HEBBIAN_CONTRACT_H

#include "internal.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <string.h>

#ifdef __clang__
#pragma clang fp contract(off)
#endif

#define HB_GUARD 19
#define HB_EPS FLT_EPSILON
#define HB_SWEEP_BUFFERS 24

/* xoshiro256**, seeded through SplitMix64: the library's SeededGenerator, draw for draw. */
typedef struct hb_rng {
  uint64_t s[4];
} hb_rng;

void hb_rng_seed(hb_rng *r, uint64_t seed);
uint64_t hb_rng_next(hb_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double hb_rng_uniform(hb_rng *r);
/* Standard normal (Box–Muller, one of the pair discarded). */
double hb_rng_gaussian(hb_rng *r);

typedef struct hb_sweep {
  hb_rng rng;
  size_t cases;
  float max_error;
  float tolerance;
  void *buffers[HB_SWEEP_BUFFERS];
  size_t nbuffers;
  jmp_buf out_of_memory;
} hb_sweep;

/* count elements (plus the guard tail), zero, one element past a 64-byte boundary. */
float *hb_sweep_floats(hb_sweep *h, size_t count);
uint64_t *hb_sweep_words(hb_sweep *h, size_t count);
void hb_sweep_release(hb_sweep *h);
/* `slots` operands of `count` floats each. */
void hb_sweep_scratch(hb_sweep *h, float **slots, size_t n, size_t count);
/* A copy of the `count` floats of a hb_sweep_floats operand, guard tail included. */
float *hb_sweep_copy(hb_sweep *h, const float *p, size_t count);
/* count standard normal values times scale. */
void hb_fill(hb_sweep *h, float *p, size_t count, float scale);
/* count values uniform in [−1, 1), guard tail included (a new operand). */
float *hb_sweep_uniform(hb_sweep *h, size_t count);
/* The operand `off` floats (0…7) past the 64-byte boundary that p's buffer (from
 * hb_sweep_floats, allocated with 8 floats of room) starts on: a sweep's way to meet a body
 * at every alignment. */
static inline float *hb_sweep_at(float *p, size_t off) { return p - 1 + off; }

/* The reference's and the variant's copy of an operand start equal to source. */
static inline void hb_twin(const float *source, float *ref, float *variant, size_t count) {
  memcpy(ref, source, count * sizeof(float));
  memcpy(variant, source, count * sizeof(float));
}

static inline void hb_compare(hb_sweep *h, float ref, float got, float scale) {
  const float e = hb_sweep_error(ref, got, scale);
  if (e > h->max_error) h->max_error = e;
}

/* The shared shape tables. */
#define HB_LENGTHS_MAX 67 /* lengths 1…67: every tail of 4- and 8-lane bodies and their unrolls */
#define HB_SIDES_COUNT 17
extern const size_t hb_strides[2];              /* 1, 3 */
extern const size_t hb_sides[HB_SIDES_COUNT];   /* 1…67, around every panel width */

/* Workloads: n floats the workload owns (freed with it); NULL and w->failed on failure. */
float *hb_workload_floats(hb_workload *w, size_t n);
void *hb_workload_bytes(hb_workload *w, size_t bytes);
/* n standard normal values times scale, drawn in double and rounded (the benchmarks' data). */
float *hb_workload_normal(hb_workload *w, hb_rng *r, size_t n, double scale);
/* `count` operands of d standard normal values each: a vector kernel's, which sets uses_k
 * false (its cost does not depend on k). */
void hb_workload_vectors(hb_workload *w, hb_rng *r, size_t count);
/* n values uniform in [lo, hi). */
float *hb_workload_uniform(hb_workload *w, hb_rng *r, size_t n, float lo, float hi);
/* A unit-norm sample: η|x|² ≪ 1 keeps the rules stable over any number of repetitions. */
float *hb_workload_sample(hb_workload *w, hb_rng *r, size_t d);

/* The function-pointer type of each kernel, hb_<op>_fn, and the contract prototypes. */
#define HB_KERNEL(family, ret, op, avx2, neon, params, args)                                 \
  typedef ret(*hb_##op##_fn) params;                                                         \
  void hb_##op##_f32__sweep(hb_sweep *h, hb_##op##_fn ref, hb_##op##_fn k);                  \
  void hb_##op##_f32__workload(hb_workload *w, hb_rng *r);
#include "hebbian/hb_kernels.inc"

#endif
