/* Two builds of the kernels in one process: every AVX2 body whose source is restructured
 * without meaning to change its speed, timed against the same body of another revision.
 * Scripts/kernel-ab.sh links the two object sets with their symbols renamed old_hb_* and
 * new_hb_*; each row alternates old and new over 41 rounds and keeps each one's best, so
 * frequency changes and neighbours on a shared machine hit both alike. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hebbian/hb_plastic.h"

#define BOTH(ret, name, params) ret old_##name params; ret new_##name params;
BOTH(float, hb_softmax_f32__avx2, (size_t, float, const float *, float *))
BOTH(float, hb_nrm2_f32__avx2, (size_t, const float *, size_t))
BOTH(void, hb_gemv_f32__avx2,
     (size_t, size_t, float, const float *, size_t, const float *, float, float *))
BOTH(void, hb_gemv_t_f32__avx2,
     (size_t, size_t, float, const float *, size_t, const float *, float, float *))
BOTH(void, hb_gha_step_f32__avx2,
     (size_t, size_t, const float *, const float *, float *, size_t, float *))
BOTH(void, hb_subspace_step_f32__avx2,
     (size_t, size_t, const float *, const float *, float *, size_t, float *))
BOTH(float, hb_plastic_backward_step_f32__avx2,
     (hb_trace_rule, size_t, size_t, float, const float *, const float *, const float *, size_t,
      const float *, const float *, float *, float *, float *, float *, float *))
BOTH(void, hb_bit_overlap_f32__avx2,
     (size_t, size_t, const uint64_t *, size_t, const uint64_t *, float *))

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static float *buffer(size_t n, float scale) {
  float *p = aligned_alloc(64, ((n * 4 + 63) / 64) * 64 + 64);
  for (size_t i = 0; i < n; i++) p[i] = scale * ((float)rand() / (float)RAND_MAX - 0.5f);
  return p;
}

static volatile float sink;
static double worst = 0;

/* CALL(prefix) is one call of the kernel under test. */
#define AB(reps, ...)                                                                         \
  do {                                                                                        \
    char label[64];                                                                           \
    snprintf(label, sizeof label, __VA_ARGS__);                                               \
    double best_old = 1e30, best_new = 1e30;                                                  \
    for (int r = 0; r < 41; r++) {                                                            \
      double t0 = now();                                                                      \
      for (int i = 0; i < (reps); i++) { CALL(old_) }                                         \
      double t1 = now();                                                                      \
      for (int i = 0; i < (reps); i++) { CALL(new_) }                                         \
      double t2 = now();                                                                      \
      if ((t1 - t0) / (reps) < best_old) best_old = (t1 - t0) / (reps);                       \
      if ((t2 - t1) / (reps) < best_new) best_new = (t2 - t1) / (reps);                       \
    }                                                                                         \
    printf("%-28s %10.1f %10.1f %8.2f\n", label, best_old, best_new, best_new / best_old);    \
    if (best_new / best_old > worst) worst = best_new / best_old;                             \
  } while (0)

int main(void) {
  printf("%-28s %10s %10s %8s\n", "kernel (AVX2)", "old ns", "new ns", "new/old");
  const size_t lengths[] = {6, 16, 64, 256, 1000};
  for (int a = 0; a < 5; a++) {
    size_t d = lengths[a], k = 8;
    float *x = buffer(d, 1), *y = buffer(d, 1), *w = buffer(k * d, 0.1f), *yk = buffer(k, 1);
    float *eta = buffer(k, 0);
    for (size_t i = 0; i < k; i++) eta[i] = 1e-6f; /* W stays put over the repetitions */
#define CALL(p) sink = p##hb_softmax_f32__avx2(d, 2.0f, x, y);
    AB(500, "softmax n=%zu", d);
#undef CALL
#define CALL(p) sink = p##hb_nrm2_f32__avx2(d, x, 1);
    AB(2000, "nrm2 n=%zu", d);
#undef CALL
#define CALL(p) sink = p##hb_nrm2_f32__avx2(d / 2, x, 2);
    AB(2000, "nrm2 n=%zu inc=2", d / 2);
#undef CALL
#define CALL(p) p##hb_gemv_f32__avx2(k, d, 1, w, d, x, 0, yk);
    AB(500, "gemv %zux%zu", k, d);
#undef CALL
#define CALL(p) p##hb_gemv_t_f32__avx2(k, d, 1, w, d, yk, 0, y);
    AB(500, "gemv_t %zux%zu", k, d);
#undef CALL
    for (size_t rows = 3; rows <= 8; rows += 5) {
#define CALL(p) p##hb_gha_step_f32__avx2(rows, d, eta, x, w, d, yk);
      AB(500, "gha k=%zu d=%zu", rows, d);
#undef CALL
#define CALL(p) p##hb_subspace_step_f32__avx2(rows, d, eta, x, w, d, yk);
      AB(500, "subspace k=%zu d=%zu", rows, d);
#undef CALL
    }
    if (d <= 64) {
      size_t n = d;
      float *pw = buffer(n * n, 0.1f), *alpha = buffer(n * n, 0.1f), *h = buffer(n * n, 0.1f);
      float *px = buffer(n, 1), *py = buffer(n, 1), *gy = buffer(n, 0.1f), *gh = buffer(n * n, 0.1f);
      float *gx = buffer(n, 0), *gw = buffer(n * n, 0), *galpha = buffer(n * n, 0);
      for (int rule = 0; rule < 2; rule++) {
#define CALL(p)                                                                                \
  sink = p##hb_plastic_backward_step_f32__avx2((hb_trace_rule)rule, n, n, 0.01f, pw, alpha, h, \
                                               n, px, py, gy, gh, gx, gw, galpha);
        AB(50, "plastic_backward %s %zux%zu", rule ? "oja" : "decay", n, n);
#undef CALL
      }
    }
    uint64_t *xi = malloc(64 * 16 * 8), *s = malloc(16 * 8);
    for (int i = 0; i < 64 * 16; i++) xi[i] = ((uint64_t)rand() << 32) ^ (uint64_t)rand();
    for (int i = 0; i < 16; i++) s[i] = (uint64_t)rand();
    float *m = buffer(64, 0);
#define CALL(p) p##hb_bit_overlap_f32__avx2(64, d, xi, 16, s, m);
    AB(500, "bit_overlap 64x%zu", d);
#undef CALL
  }
  printf("slowest new/old: %.2f\n", worst);
  return 0;
}
