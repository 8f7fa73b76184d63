/* The kernel contracts' shared harness (see contract.h). */
#include "contract.h"

#include <stdlib.h>

const size_t hb_strides[2] = {1, 3};
const size_t hb_sides[HB_SIDES_COUNT] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 67};

/* C11's aligned_alloc wants a size that is a multiple of the alignment. */
static void *alloc64(size_t bytes) { return aligned_alloc(64, (bytes + 63) / 64 * 64); }

static uint64_t splitmix(uint64_t *z) {
  *z += 0x9E3779B97F4A7C15ull;
  uint64_t x = *z;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

void hb_rng_seed(hb_rng *r, uint64_t seed) {
  for (int i = 0; i < 4; i++) r->s[i] = splitmix(&seed);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t hb_rng_next(hb_rng *r) {
  uint64_t *s = r->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double hb_rng_uniform(hb_rng *r) { return (double)(hb_rng_next(r) >> 11) * 0x1.0p-53; }

double hb_rng_gaussian(hb_rng *r) {
  double u1 = hb_rng_uniform(r);
  while (u1 <= 0) u1 = hb_rng_uniform(r);
  const double u2 = hb_rng_uniform(r);
  return sqrt(-2 * log(u1)) * cos(2 * 3.141592653589793 * u2);
}

float hb_sweep_error(float ref, float got, float scale) {
  if (scale == 0) {
    uint32_t a, b;
    memcpy(&a, &ref, sizeof a);
    memcpy(&b, &got, sizeof b);
    return a == b ? 0.0f : INFINITY;
  }
  const float e = fabsf(ref - got) / scale;
  return isnan(e) ? INFINITY : e;
}

/* count elements of `size` bytes one element past a 64-byte boundary, plus the guard tail,
 * zeroed; a sweep that runs out of memory or buffers ends with an infinite error. */
static void *sweep_alloc(hb_sweep *h, size_t count, size_t size) {
  const size_t bytes = (1 + count + HB_GUARD) * size;
  void *base = h->nbuffers < HB_SWEEP_BUFFERS ? alloc64(bytes) : NULL;
  if (base == NULL) longjmp(h->out_of_memory, 1);
  memset(base, 0, bytes);
  h->buffers[h->nbuffers++] = base;
  return (char *)base + size;
}

float *hb_sweep_floats(hb_sweep *h, size_t count) { return sweep_alloc(h, count, sizeof(float)); }

uint64_t *hb_sweep_words(hb_sweep *h, size_t count) {
  return sweep_alloc(h, count, sizeof(uint64_t));
}

void hb_sweep_scratch(hb_sweep *h, float **slots, size_t n, size_t count) {
  for (size_t i = 0; i < n; i++) slots[i] = hb_sweep_floats(h, count);
}

float *hb_sweep_copy(hb_sweep *h, const float *p, size_t count) {
  float *c = hb_sweep_floats(h, count);
  memcpy(c, p, (count + HB_GUARD) * sizeof(float));
  return c;
}

void hb_fill(hb_sweep *h, float *p, size_t count, float scale) {
  for (size_t i = 0; i < count; i++) p[i] = scale * (float)hb_rng_gaussian(&h->rng);
}

float *hb_sweep_uniform(hb_sweep *h, size_t count) {
  float *p = hb_sweep_floats(h, count);
  for (size_t i = 0; i < count + HB_GUARD; i++) p[i] = (float)(2 * hb_rng_uniform(&h->rng) - 1);
  return p;
}

/* Frees a sweep's buffers (every path out of a sweep, the longjmp one included). */
void hb_sweep_release(hb_sweep *h) {
  for (size_t i = 0; i < h->nbuffers; i++) free(h->buffers[i]);
  h->nbuffers = 0;
}

void *hb_workload_bytes(hb_workload *w, size_t bytes) {
  void *p = w->ops < sizeof w->op / sizeof w->op[0] ? alloc64(bytes > 0 ? bytes : 1) : NULL;
  if (p == NULL) {
    w->failed = true;
    return NULL;
  }
  memset(p, 0, bytes);
  w->op[w->ops++] = p;
  return p;
}

float *hb_workload_floats(hb_workload *w, size_t n) {
  float *p = hb_workload_bytes(w, n * sizeof(float));
  if (p != NULL) w->op_floats[w->ops - 1] = n;
  return p;
}

float *hb_workload_normal(hb_workload *w, hb_rng *r, size_t n, double scale) {
  float *p = hb_workload_floats(w, n);
  if (p != NULL) {
    for (size_t i = 0; i < n; i++) p[i] = (float)(hb_rng_gaussian(r) * scale);
  }
  return p;
}

void hb_workload_vectors(hb_workload *w, hb_rng *r, size_t count) {
  for (size_t i = 0; i < count; i++) hb_workload_normal(w, r, w->d, 1);
  w->uses_k = false;
}

float *hb_workload_uniform(hb_workload *w, hb_rng *r, size_t n, float lo, float hi) {
  float *p = hb_workload_floats(w, n);
  if (p != NULL) {
    for (size_t i = 0; i < n; i++) p[i] = lo + (hi - lo) * (float)hb_rng_uniform(r);
  }
  return p;
}

float *hb_workload_sample(hb_workload *w, hb_rng *r, size_t d) {
  float *x = hb_workload_normal(w, r, d, 1);
  if (x == NULL) return NULL;
  float n2 = 0;
  for (size_t i = 0; i < d; i++) n2 += x[i] * x[i];
  const float inv = 1 / sqrtf(n2);
  for (size_t i = 0; i < d; i++) x[i] *= inv;
  return x;
}

void hb_workload_free(hb_workload *w) {
  if (w == NULL) return;
  for (size_t i = 0; i < w->ops; i++) free(w->op[i]);
  free(w);
}
