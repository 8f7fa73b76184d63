/* The IMU regime's two speeds, d = 6, k = 3, GHA, AVX2: the kernel in a C loop
 * (hb_rule_step_loop_f32, bench's C-loop column), its dependency chain
 * (hb_gha_chain_loop_f32) and the PCA block driver with centring (as bench's `block gha`),
 * timed in slices of 1920 samples each, in turn, each slice followed by a probe of the
 * reorder window the core gives this thread at that moment. Scripts/imu-modes.sh builds it.
 *
 *   imu-modes SECONDS PLACEMENTS [trace]
 *
 * The window probe: two independent pointer chases through a 128 MiB random cycle (each load
 * a cache miss), FILL nops after each load. The two misses overlap only if the second load
 * enters the window while the first is outstanding, so an iteration costs about one miss
 * while 2 FILL fits in the window and about two misses once it does not. FILL = 100 fits in
 * 128 entries, FILL = 180 needs more: a slice whose FILL = 180 chase costs 1.35x its
 * FILL = 100 chase or more ran with a window of 128 entries or less ("half"), else "full"
 * (Zen 3 has 256; it splits the retire queue in two while the other SMT thread of the core
 * runs, which on a guest is whatever the host puts there).
 *
 * The data sit in one arena mapped at a fixed linear address (the same in every process,
 * ASLR or not): W, the rates and the outputs in one 64-byte aligned block, the driver's
 * state a page after it, and PLACEMENTS copies of the sample pool whole pages apart
 * (1 MiB + p * 4 KiB + 40 bytes), the slices going round them in turn. Prints, per window
 * state, the slices and the medians of the three timings, and per placement the median
 * kernel and driver over its full-window slices; `trace` prints every slice instead. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "hebbian/hebbian.h"
#include "hebbian/hb_calibrate.h"
#include "hebbian/hb_pca.h"

enum { D = 6, K = 3, POOL = 64, SLICE = 30 * POOL, RING = 1 << 24, MAXP = 4096 };
#define BASE ((uintptr_t)0x7e0000000000)
#define ARENA ((size_t)64 << 20)

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

#define CHASE(name, fill)                                                                    \
  static double name(int iters, uintptr_t **pa, uintptr_t **pb) {                           \
    uintptr_t *a = *pa, *b = *pb;                                                            \
    double t0 = now();                                                                       \
    for (int i = 0; i < iters; i++) {                                                        \
      a = (uintptr_t *)*a;                                                                   \
      __asm__ volatile(".rept " #fill "\n nop\n .endr" : "+r"(a), "+r"(b));                  \
      b = (uintptr_t *)*b;                                                                   \
      __asm__ volatile(".rept " #fill "\n nop\n .endr" : "+r"(a), "+r"(b));                  \
    }                                                                                        \
    *pa = a, *pb = b;                                                                        \
    return (now() - t0) / iters;                                                             \
  }
CHASE(chase100, 100)
CHASE(chase180, 180)

typedef struct { float kernel, chain, driver, c100, c180; int placement; } slice;

/* Placement p of the sample pool: 1 MiB + p pages + 40 bytes into the arena. */
static float *pool_at(char *arena, int p) {
  return (float *)(arena + (1 << 20) + (size_t)p * 4096 + 40);
}

static int cmp(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

static float median(float *v, size_t n) {
  if (n == 0) return 0;
  qsort(v, n, sizeof *v, cmp);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool half(const slice *s) { return s->c180 >= 1.35f * s->c100; }

/* The medians of one field over the slices that pass keep(). */
static float med(const slice *s, size_t n, size_t field, bool (*keep)(const slice *, int),
                 int arg, size_t *count) {
  float *v = malloc((n + 1) * sizeof *v);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (keep(&s[i], arg)) v[m++] = *(const float *)((const char *)&s[i] + field);
  const float r = median(v, m);
  free(v);
  if (count) *count = m;
  return r;
}

static bool in_state(const slice *s, int want_half) { return half(s) == want_half; }
static bool full_at(const slice *s, int p) { return !half(s) && s->placement == p; }

/* The chases' cycle: RING pointers in one random cycle; a and b start half a cycle apart. */
static bool chase_ring(uintptr_t **a, uintptr_t **b) {
  uintptr_t *ring = malloc(RING * sizeof *ring);
  uint32_t *perm = malloc(RING * sizeof *perm);
  if (!ring || !perm) return false;
  srand(1);
  for (uint32_t i = 0; i < RING; i++) perm[i] = i;
  for (uint32_t i = RING - 1; i > 0; i--) {
    const uint32_t j = ((uint32_t)rand() ^ (uint32_t)rand() << 16) % (i + 1), t = perm[i];
    perm[i] = perm[j], perm[j] = t;
  }
  for (uint32_t i = 0; i < RING; i++) ring[perm[i]] = (uintptr_t)&ring[perm[(i + 1) % RING]];
  *a = &ring[perm[0]], *b = &ring[perm[RING / 2]];
  free(perm);
  return true;
}

/* Per window state the slices and the medians; per placement the full-window medians. */
static void report(const slice *sl, size_t n, int placements) {
  for (int h = 0; h < 2; h++) {
    size_t m;
    const float k = med(sl, n, offsetof(slice, kernel), in_state, h, &m);
    const float c = med(sl, n, offsetof(slice, chain), in_state, h, NULL);
    const float d = med(sl, n, offsetof(slice, driver), in_state, h, NULL);
    const float p1 = med(sl, n, offsetof(slice, c100), in_state, h, NULL);
    const float p2 = med(sl, n, offsetof(slice, c180), in_state, h, NULL);
    if (m == 0) {
      printf("%s window: 0 of %zu slices\n", h ? "half" : "full", n);
      continue;
    }
    printf("%s window: %zu of %zu slices, chase %.0f / %.0f ns; chain %.1f ns, kernel %.1f ns "
           "(%.2fx the chain), driver %.1f ns (%.2fx the kernel)\n",
           h ? "half" : "full", m, n, p1, p2, c, k, k / c, d, d / k);
  }
  if (placements > 1) {
    float lo = 1e9, hi = 0, dlo = 1e9, dhi = 0;
    int used = 0;
    for (int p = 0; p < placements; p++) {
      size_t m;
      const float k = med(sl, n, offsetof(slice, kernel), full_at, p, &m);
      const float d = med(sl, n, offsetof(slice, driver), full_at, p, NULL);
      if (m < 3) continue;
      used++;
      if (k < lo) lo = k;
      if (k > hi) hi = k;
      if (d < dlo) dlo = d;
      if (d > dhi) dhi = d;
    }
    printf("pool at %d page offsets (%d with 3+ full-window slices): full-window medians per "
           "placement, kernel %.1f-%.1f ns, driver %.1f-%.1f ns\n",
           placements, used, lo, hi, dlo, dhi);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const double seconds = atof(argv[1]);
  const int placements = atoi(argv[2]);
  const bool trace = argc > 3 && !strcmp(argv[3], "trace");
  if (placements < 1 || placements > MAXP) return 2;
  char *arena = mmap((void *)BASE, ARENA, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  uintptr_t *a, *b;
  if (arena == MAP_FAILED || !chase_ring(&a, &b)) return 1;
  srand(2024);

  float xs0[POOL * D], w0[K * D];
  for (int s = 0; s < POOL; s++) {
    float n2 = 0;
    for (int j = 0; j < D; j++) n2 += (xs0[s * D + j] = (float)rand() / (float)RAND_MAX - 0.5f) * xs0[s * D + j];
    for (int j = 0; j < D; j++) xs0[s * D + j] /= __builtin_sqrtf(n2);
  }
  for (int i = 0; i < K * D; i++) w0[i] = ((float)rand() / (float)RAND_MAX - 0.5f) / 2.5f;
  /* W (72 bytes), the rates and the outputs in one 64-byte aligned block; W of the chain
   * and of the driver after them. */
  float *W = (float *)arena, *eta = W + 20, *y = W + 24, *wc = W + 32, *wd = W + 64;
  float *st = (float *)(arena + 4096);
  const hb_rule_kernels *t = hb_rule_kernels_for(HB_ISA_AVX2);

  const size_t cap = (size_t)(seconds * 20000) + 16;
  slice *sl = malloc(cap * sizeof *sl);
  size_t n = 0;
  /* Every placement's own pool; the slices go round them, so a change of window state hits
   * every placement alike. */
  for (int p = 0; p < placements; p++) memcpy(pool_at(arena, p), xs0, sizeof xs0);
  memcpy(W, w0, sizeof w0), memcpy(wc, w0, sizeof w0), memcpy(wd, w0, sizeof w0);
  for (int i = 0; i < K; i++) eta[i] = 1e-3f;
  memset(st, 0, 64 * sizeof(float));
  hb_pca_state s = {.rule = HB_PCA_GHA, .k = K, .d = D, .W = wd, .ldw = D, .mean = st,
                    .power = st + 8, .y = st + 16, .xc = st + 24, .eta = st + 32,
                    .centering = true, .rate_scale = 8, .rate_offset = 10};
  size_t ck = 0, cc = 0;
  for (const double end = now() + seconds * 1e9; now() < end && n < cap;) {
    const int p = (int)(n % (size_t)placements);
    const float *xs = pool_at(arena, p);
    const double t0 = now();
    hb_rule_step_loop_f32(t, HB_STEP_GHA, SLICE, K, D, eta, xs, POOL, &ck, W, y);
    const double t1 = now();
    hb_gha_chain_loop_f32(SLICE, K, D, 1e-3f, xs, POOL, &cc, wc);
    const double t2 = now();
    for (int i = 0; i < SLICE / POOL; i++) hb_pca_hebbian_block_f32(&s, POOL, xs, D, NULL);
    const double t3 = now();
    const float c100 = (float)chase100(40, &a, &b), c180 = (float)chase180(40, &a, &b);
    sl[n++] = (slice){(float)((t1 - t0) / SLICE), (float)((t2 - t1) / SLICE),
                      (float)((t3 - t2) / SLICE), c100, c180, p};
  }
  if (trace) {
    for (size_t i = 0; i < n; i++)
      printf("%d %.2f %.2f %.2f %.0f %.0f %s\n", sl[i].placement, sl[i].kernel, sl[i].chain,
             sl[i].driver, sl[i].c100, sl[i].c180, half(&sl[i]) ? "half" : "full");
    return 0;
  }
  report(sl, n, placements);
  return 0;
}
