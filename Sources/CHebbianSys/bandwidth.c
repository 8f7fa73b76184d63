/* The memory passes `hebbian bench --roofline` measures its reference against: a copy with
 * ordinary stores, a copy with non-temporal stores, and a read pass followed by an in-place
 * pass over the same bytes (the traffic of a rule step that reads W and then updates it).
 * glibc's memcpy is not a bound: on large copies it can run at a third of what a plain vector
 * loop reaches. Every pass moves whole aligned 32-byte vectors over several streams at once
 * (HB_BW_STREAMS below). The vector bodies run on the active variant (hb_isa_active), so HEBBIAN_ISA
 * pins them with the kernels; without AVX2 they are plain loops the compiler vectorises. */
#include "hb_sys.h"
#include "hebbian/hb_base.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define HB_BW_AVX2 1
#endif

#ifdef HB_BW_AVX2
/* Each pass walks HB_BW_STREAMS equal parts of the buffer in lockstep, a cache line from each
 * per step. One core's bandwidth from memory is bounded by the misses it keeps in flight, and
 * the hardware prefetchers keep more in flight over several sequential streams than over one:
 * on a shared 2-core EPYC guest a read of 64 MiB ran at 8-20 GB/s as one stream and 21-26 GB/s
 * as 2-8 (best of 9, interleaved). The rule steps walk two to four rows at a time, so a
 * one-stream reference was no bound for them (gha reached 105 % of it). */
#define HB_BW_STREAMS 4
#define HB_BW_LINE 16

/* The floats of each part (a whole number of lines); the rest, after the parts, goes to a
 * scalar loop. */
static size_t part_floats(size_t n) { return n / HB_BW_STREAMS / HB_BW_LINE * HB_BW_LINE; }

__attribute__((target("avx2"))) static inline void store8(float *p, __m256 v, int nontemporal) {
  if (nontemporal)
    _mm256_stream_ps(p, v);
  else
    _mm256_store_ps(p, v);
}

/* The store kind is a constant the compiler hoists. */
__attribute__((target("avx2"))) static void copy_avx2(float *dst, const float *src, size_t n,
                                                      int nontemporal) {
  const size_t part = part_floats(n);
  for (size_t i = 0; i < part; i += HB_BW_LINE) {
    for (size_t p = 0; p < HB_BW_STREAMS; p++) {
      const size_t at = p * part + i;
      const __m256 a = _mm256_load_ps(src + at), b = _mm256_load_ps(src + at + 8);
      store8(dst + at, a, nontemporal);
      store8(dst + at + 8, b, nontemporal);
    }
  }
  if (nontemporal) _mm_sfence();
  for (size_t i = HB_BW_STREAMS * part; i < n; i++) dst[i] = src[i];
}

/* Two independent sums per stream: the pass runs at load throughput, not add latency. */
__attribute__((target("avx2"))) static float read_avx2(const float *buf, size_t n) {
  const size_t part = part_floats(n);
  __m256 s[2 * HB_BW_STREAMS];
  for (size_t u = 0; u < 2 * HB_BW_STREAMS; u++) s[u] = _mm256_setzero_ps();
  for (size_t i = 0; i < part; i += HB_BW_LINE) {
    for (size_t p = 0; p < HB_BW_STREAMS; p++) {
      s[2 * p] = _mm256_add_ps(s[2 * p], _mm256_load_ps(buf + p * part + i));
      s[2 * p + 1] = _mm256_add_ps(s[2 * p + 1], _mm256_load_ps(buf + p * part + i + 8));
    }
  }
  for (size_t u = 1; u < 2 * HB_BW_STREAMS; u++) s[0] = _mm256_add_ps(s[0], s[u]);
  float lanes[8];
  _mm256_storeu_ps(lanes, s[0]);
  float sum = 0;
  for (int l = 0; l < 8; l++) sum += lanes[l];
  for (size_t i = HB_BW_STREAMS * part; i < n; i++) sum += buf[i];
  return sum;
}

__attribute__((target("avx2"))) static void scale_avx2(float *buf, size_t n, float scale) {
  const size_t part = part_floats(n);
  const __m256 a = _mm256_set1_ps(scale);
  for (size_t i = 0; i < part; i += HB_BW_LINE) {
    for (size_t p = 0; p < HB_BW_STREAMS; p++) {
      float *q = buf + p * part + i;
      _mm256_store_ps(q, _mm256_mul_ps(a, _mm256_load_ps(q)));
      _mm256_store_ps(q + 8, _mm256_mul_ps(a, _mm256_load_ps(q + 8)));
    }
  }
  for (size_t i = HB_BW_STREAMS * part; i < n; i++) buf[i] *= scale;
}
#endif

static int vector_bodies(void) {
#ifdef HB_BW_AVX2
  return hb_isa_active() == HB_ISA_AVX2;
#else
  return 0;
#endif
}

void hb_sys_copy_pass(float *dst, const float *src, size_t n, int nontemporal) {
#ifdef HB_BW_AVX2
  if (vector_bodies() && ((uintptr_t)dst | (uintptr_t)src) % 32 == 0) {
    copy_avx2(dst, src, n, nontemporal);
    return;
  }
#endif
  (void)nontemporal;
  for (size_t i = 0; i < n; i++) dst[i] = src[i];
}

float hb_sys_read_update_pass(float *buf, size_t n, float scale) {
#ifdef HB_BW_AVX2
  if (vector_bodies() && (uintptr_t)buf % 32 == 0) {
    const float sum = read_avx2(buf, n);
    scale_avx2(buf, n, scale);
    return sum;
  }
#endif
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += buf[i];
    s1 += buf[i + 1];
    s2 += buf[i + 2];
    s3 += buf[i + 3];
  }
  for (; i < n; i++) s0 += buf[i];
  for (i = 0; i < n; i++) buf[i] *= scale;
  return (s0 + s1) + (s2 + s3);
}
