/* The memory passes `hebbian bench --roofline` measures its reference against: a copy with
 * ordinary stores, a copy with non-temporal stores, a read pass and an in-place pass over the
 * same bytes (together, the traffic of a rule step that reads W and then updates it).
 * glibc's memcpy is not a bound: on large copies it can run at a third of what a plain vector
 * loop reaches. Every pass moves whole aligned 32-byte vectors, over one stream or four (below).
 * The vector bodies run on the active variant (hb_isa_active), so HEBBIAN_ISA
 * pins them with the kernels; without AVX2 they are plain loops the compiler vectorises. */
#include "hb_sys.h"
#include "hebbian/hb_base.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define HB_BW_AVX2 1
#endif

#ifdef HB_BW_AVX2
/* The passes walk S streams in lockstep (S equal parts of the buffer, or S rows of W at a
 * time), a cache line from each per step.
 * One core's bandwidth from memory is bounded by the misses it keeps in flight, and the
 * hardware prefetchers may keep more in flight over several sequential streams than over one,
 * as the rules' sweeps over two to four rows at a time do. On the shared 2-core EPYC guest a
 * read of 64 MiB ran at 8-20 GB/s as one stream and 21-26 GB/s as four (best of 9,
 * interleaved), but from run to run either shape could be the faster, so the read and the
 * in-place pass take the stream count (1 or 4) and the bench times both. */
#define HB_BW_ALWAYS_INLINE static inline __attribute__((always_inline, target("avx2")))

/* A step of the read and the in-place pass covers 64 floats (8 vectors), 64 / S from each of
 * the S streams. The streams start `row` floats apart and walk their rows in lockstep; groups
 * of S rows follow each other. row = 0 makes the streams S equal parts of the buffer (one
 * group); row = d is a rule's own shape, S rows of W at a time. What no group covers goes to
 * a scalar loop. */
typedef struct {
  size_t row, groups;
} hb_bw_shape;

static hb_bw_shape shape_of(size_t n, size_t S, size_t row) {
  if (row == 0) return (hb_bw_shape){n / S / (64 / S) * (64 / S), 1};
  return (hb_bw_shape){row, n / (S * row)};
}

HB_BW_ALWAYS_INLINE void store8(float *p, __m256 v, int nontemporal) {
  if (nontemporal)
    _mm256_stream_ps(p, v);
  else
    _mm256_store_ps(p, v);
}

/* Four streams; the store kind is a constant the compiler hoists. */
__attribute__((target("avx2"))) static void copy_avx2(float *dst, const float *src, size_t n,
                                                      int nontemporal) {
  const size_t part = shape_of(n, 4, 0).row;
  for (size_t i = 0; i < part; i += 16) {
    for (size_t p = 0; p < 4; p++) {
      const size_t at = p * part + i;
      const __m256 a = _mm256_load_ps(src + at), b = _mm256_load_ps(src + at + 8);
      store8(dst + at, a, nontemporal);
      store8(dst + at + 8, b, nontemporal);
    }
  }
  if (nontemporal) _mm_sfence();
  for (size_t i = 4 * part; i < n; i++) dst[i] = src[i];
}

/* Eight independent sums (S constant after inlining): the pass runs at load throughput, not
 * add latency. */
HB_BW_ALWAYS_INLINE float read_streams(const float *buf, size_t n, size_t S, size_t row) {
  const hb_bw_shape g = shape_of(n, S, row);
  __m256 s[8];
  for (size_t u = 0; u < 8; u++) s[u] = _mm256_setzero_ps();
  for (const float *base = buf; base < buf + g.groups * S * g.row; base += S * g.row) {
    for (size_t i = 0; i < g.row; i += 64 / S) {
      for (size_t p = 0; p < S; p++) {
        for (size_t v = 0; v < 8 / S; v++) {
          const size_t u = p * (8 / S) + v;
          s[u] = _mm256_add_ps(s[u], _mm256_load_ps(base + p * g.row + i + 8 * v));
        }
      }
    }
  }
  for (size_t u = 1; u < 8; u++) s[0] = _mm256_add_ps(s[0], s[u]);
  float lanes[8];
  _mm256_storeu_ps(lanes, s[0]);
  float sum = 0;
  for (int l = 0; l < 8; l++) sum += lanes[l];
  for (size_t i = g.groups * S * g.row; i < n; i++) sum += buf[i];
  return sum;
}

HB_BW_ALWAYS_INLINE void scale_streams(float *buf, size_t n, float scale, size_t S,
                                       size_t row) {
  const hb_bw_shape g = shape_of(n, S, row);
  const __m256 a = _mm256_set1_ps(scale);
  for (float *base = buf; base < buf + g.groups * S * g.row; base += S * g.row) {
    for (size_t i = 0; i < g.row; i += 64 / S) {
      for (size_t p = 0; p < S; p++) {
        for (size_t v = 0; v < 8 / S; v++) {
          float *q = base + p * g.row + i + 8 * v;
          _mm256_store_ps(q, _mm256_mul_ps(a, _mm256_load_ps(q)));
        }
      }
    }
  }
  for (size_t i = g.groups * S * g.row; i < n; i++) buf[i] *= scale;
}

__attribute__((target("avx2"))) static float read_avx2(const float *buf, size_t n, size_t streams,
                                                       size_t row) {
  return streams == 1 ? read_streams(buf, n, 1, 0) : read_streams(buf, n, 4, row);
}

__attribute__((target("avx2"))) static void scale_avx2(float *buf, size_t n, float scale,
                                                       size_t streams, size_t row) {
  if (streams == 1)
    scale_streams(buf, n, scale, 1, 0);
  else
    scale_streams(buf, n, scale, 4, row);
}
#endif

/* Rows must hold whole steps of four streams (16 floats: 64 bytes, so every row stays
 * aligned); other rows take the plain loops. */
static int rows_fit(size_t streams, size_t row) { return streams == 1 || row % 16 == 0; }

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

float hb_sys_read_pass(const float *buf, size_t n, size_t streams, size_t row) {
#ifdef HB_BW_AVX2
  if (vector_bodies() && (uintptr_t)buf % 32 == 0 && rows_fit(streams, row))
    return read_avx2(buf, n, streams, row);
#endif
  (void)streams, (void)row;
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += buf[i];
    s1 += buf[i + 1];
    s2 += buf[i + 2];
    s3 += buf[i + 3];
  }
  for (; i < n; i++) s0 += buf[i];
  return (s0 + s1) + (s2 + s3);
}

void hb_sys_update_pass(float *buf, size_t n, float scale, size_t streams, size_t row) {
#ifdef HB_BW_AVX2
  if (vector_bodies() && (uintptr_t)buf % 32 == 0 && rows_fit(streams, row)) {
    scale_avx2(buf, n, scale, streams, row);
    return;
  }
#endif
  (void)streams, (void)row;
  for (size_t i = 0; i < n; i++) buf[i] *= scale;
}
