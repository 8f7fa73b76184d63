/* The memory passes `hebbian bench --roofline` measures its reference against: a copy with
 * ordinary stores, a copy with non-temporal stores, and a read pass followed by an in-place
 * pass over the same bytes (the traffic of a rule step that reads W and then updates it).
 * glibc's memcpy is not a bound: on large copies it can run at a third of what a plain vector
 * loop reaches. The vector bodies run on the active variant (hb_isa_active), so HEBBIAN_ISA
 * pins them with the kernels; without AVX2 they are plain loops the compiler vectorises. */
#include "hb_sys.h"
#include "hebbian/hb_base.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define HB_BW_AVX2 1
#endif

#ifdef HB_BW_AVX2
__attribute__((target("avx2"))) static inline void store8(float *p, __m256 v, int nontemporal) {
  if (nontemporal)
    _mm256_stream_ps(p, v);
  else
    _mm256_store_ps(p, v);
}

/* Four vectors in flight per iteration; the store kind is a constant the compiler hoists. */
__attribute__((target("avx2"))) static void copy_avx2(float *dst, const float *src, size_t n,
                                                      int nontemporal) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256 a = _mm256_load_ps(src + i), b = _mm256_load_ps(src + i + 8);
    const __m256 c = _mm256_load_ps(src + i + 16), d = _mm256_load_ps(src + i + 24);
    store8(dst + i, a, nontemporal);
    store8(dst + i + 8, b, nontemporal);
    store8(dst + i + 16, c, nontemporal);
    store8(dst + i + 24, d, nontemporal);
  }
  if (nontemporal) _mm_sfence();
  for (; i < n; i++) dst[i] = src[i];
}

__attribute__((target("avx2,fma"))) static float read_update_avx2(float *buf, size_t n,
                                                                  float scale) {
  /* Four independent sums: the read pass runs at load throughput, not add latency. */
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_add_ps(s0, _mm256_load_ps(buf + i));
    s1 = _mm256_add_ps(s1, _mm256_load_ps(buf + i + 8));
    s2 = _mm256_add_ps(s2, _mm256_load_ps(buf + i + 16));
    s3 = _mm256_add_ps(s3, _mm256_load_ps(buf + i + 24));
  }
  float lanes[8];
  _mm256_storeu_ps(lanes, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  float sum = 0;
  for (int l = 0; l < 8; l++) sum += lanes[l];
  for (; i < n; i++) sum += buf[i];
  const __m256 a = _mm256_set1_ps(scale);
  for (i = 0; i + 32 <= n; i += 32) {
    _mm256_store_ps(buf + i, _mm256_mul_ps(a, _mm256_load_ps(buf + i)));
    _mm256_store_ps(buf + i + 8, _mm256_mul_ps(a, _mm256_load_ps(buf + i + 8)));
    _mm256_store_ps(buf + i + 16, _mm256_mul_ps(a, _mm256_load_ps(buf + i + 16)));
    _mm256_store_ps(buf + i + 24, _mm256_mul_ps(a, _mm256_load_ps(buf + i + 24)));
  }
  for (; i < n; i++) buf[i] *= scale;
  return sum;
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
  if (vector_bodies() && (uintptr_t)buf % 32 == 0) return read_update_avx2(buf, n, scale);
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
