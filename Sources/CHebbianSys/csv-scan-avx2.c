/* The AVX2 CSV scanner (x86-64, the avx2 variant): 32-byte compares for the mask and the
 * 16-byte number parser. */
#include "csv-rows.h"

#ifdef HB_CSV_AVX2
#include <immintrin.h>

__attribute__((target("avx2"))) static inline uint64_t mask_avx2(const uint8_t *p,
                                                                 uint8_t delimiter) {
  const __m256i d = _mm256_set1_epi8((char)delimiter), n = _mm256_set1_epi8('\n');
  const __m256i z = _mm256_setzero_si256();
  __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
  __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
  __m256i ta = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(a, d), _mm256_cmpeq_epi8(a, n)),
                               _mm256_cmpeq_epi8(a, z));
  __m256i tb = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(b, d), _mm256_cmpeq_epi8(b, n)),
                               _mm256_cmpeq_epi8(b, z));
  return (uint64_t)(uint32_t)_mm256_movemask_epi8(ta) |
         (uint64_t)(uint32_t)_mm256_movemask_epi8(tb) << 32;
}

#ifdef HB_CSV_SWAR_DIGITS
#include "csv-digits16.h"

/* fast_number_swar with 16 bytes at a time: the digits before and after the point found in
 * one compare, joined by two shuffles, valued by multiply-adds. Up to 15 digits here; longer
 * numbers go the SWAR way. */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) const uint8_t *
fast_number_avx2(const uint8_t *p, float *out) {
  const uint8_t *const start = p;
  const int negative = *p == '-';
  p += (*p == '-') | (*p == '+');
  const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
  const __m128i t = _mm_sub_epi8(x, _mm_set1_epi8('0'));
  const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
  const uint32_t stops = ~(uint32_t)_mm_movemask_epi8(digit); /* bit 16 and up set */
  const int whole = __builtin_ctz(stops);
  int fraction = 0, used = whole;
  __m128i joined = t;
  if (p[whole] == '.') {
    fraction = __builtin_ctz(stops >> (whole + 1));
    used = whole + 1 + fraction;
    joined = _mm_shuffle_epi8(t, _mm_loadu_si128((const __m128i *)(const void *)remove_dot[whole]));
  }
  const int digits = whole + fraction;
  if (used >= 16 || digits == 0) return fast_number_swar(start, out);
  const __m128i aligned =
      _mm_shuffle_epi8(joined, _mm_loadu_si128((const __m128i *)(const void *)right_align[digits]));
  const __m128i pairs = _mm_maddubs_epi16(aligned, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10,
                                                                 1, 10, 1, 10, 1, 10, 1));
  const __m128i quads = _mm_madd_epi16(pairs, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
  const __m128i packed = _mm_packus_epi32(quads, quads);
  const __m128i eights = _mm_madd_epi16(packed, _mm_setr_epi16(10000, 1, 10000, 1, 0, 0, 0, 0));
  const uint64_t w = (uint64_t)(uint32_t)_mm_cvtsi128_si32(eights) * 100000000u +
                     (uint32_t)_mm_extract_epi32(eights, 1);
  return fast_finish(p + used, negative, w, -fraction, out);
}
#define HB_CSV_NUMBER_AVX2 fast_number_avx2
#else
#define HB_CSV_NUMBER_AVX2 fast_number_swar
#endif

HB_CSV_ROWS(hb_csv_rows_avx2, __attribute__((target("avx2"))), mask_avx2, HB_CSV_NUMBER_AVX2)
#endif
