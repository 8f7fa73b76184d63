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

/* drop_point[n] (pshufb) drops byte n and moves the bytes before it up by one, a zero first;
 * drop_point[16] keeps all. */
static const uint8_t drop_point[17][16] = {
#define D(j, n) (j > n || n == 16 ? j : j == 0 ? 0x80 : j - 1)
#define R(n)                                                                                   \
  {D(0, n), D(1, n), D(2, n), D(3, n), D(4, n), D(5, n), D(6, n), D(7, n), D(8, n), D(9, n),   \
   D(10, n), D(11, n), D(12, n), D(13, n), D(14, n), D(15, n)}
    R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7), R(8), R(9), R(10), R(11), R(12), R(13),
    R(14), R(15), R(16)
#undef R
#undef D
};
/* 16 bytes from from_lane + n: 0xFF in the last n. */
static const uint8_t from_lane[32] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

/* The block path's field parser: [+-]d*[.d*] filling [s, e) exactly, 1 to 16 bytes, at
 * least one digit. The 16 bytes that end at e are loaded, so the digits are right-aligned
 * from the start: the sign and the bytes before s are masked to zero, the point is dropped
 * by one shuffle. Anything else (an exponent, blanks) is left to the number parser. */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) int
field_avx2(const uint8_t *s, const uint8_t *e, float *out) {
  const size_t n = (size_t)(e - s);
  if (n - 1 >= 16) return 0;
  const int negative = *s == '-';
  const uint32_t sign = (uint32_t)(negative | (*s == '+'));
  const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(e - 16));
  const __m128i t = _mm_sub_epi8(x, _mm_set1_epi8('0'));
  const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
  const uint32_t inside = (UINT32_C(0xFFFF) << (16 - n)) & 0xFFFF;
  const uint32_t digits = (uint32_t)_mm_movemask_epi8(digit) & inside;
  const uint32_t others = inside & ~digits & ~(sign << (16 - n));
  if ((others & (others - 1)) != 0 || digits == 0) return 0;
  const int point = __builtin_ctz(others | 0x10000); /* 16: none */
  if (point < 16 && e[point - 16] != '.') return 0;
  const __m128i kept = _mm_and_si128(
      t, _mm_and_si128(digit, _mm_loadu_si128((const __m128i *)(const void *)(from_lane + n))));
  const __m128i aligned =
      _mm_shuffle_epi8(kept, _mm_loadu_si128((const __m128i *)(const void *)drop_point[point]));
  const __m128i pairs = _mm_maddubs_epi16(aligned, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10,
                                                                 1, 10, 1, 10, 1, 10, 1));
  const __m128i quads = _mm_madd_epi16(pairs, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
  const __m128i packed = _mm_packus_epi32(quads, quads);
  const __m128i eights = _mm_madd_epi16(packed, _mm_setr_epi16(10000, 1, 10000, 1, 0, 0, 0, 0));
  const uint64_t w = (uint64_t)(uint32_t)_mm_cvtsi128_si32(eights) * 100000000u +
                     (uint32_t)_mm_extract_epi32(eights, 1);
  uint32_t bits = decimal_to_f32(w, point < 16 ? point - 15 : 0);
  if (bits >= F32_INF_BITS) return 0;
  bits |= (uint32_t)negative << 31;
  memcpy(out, &bits, sizeof bits);
  return 1;
}
#define HB_CSV_NUMBER_AVX2 fast_number_avx2
#define HB_CSV_FIELD_AVX2 field_avx2
#else
#define HB_CSV_NUMBER_AVX2 fast_number_swar
#define HB_CSV_FIELD_AVX2 NULL
#endif

HB_CSV_ROWS(hb_csv_rows_avx2, __attribute__((target("avx2"))), mask_avx2, HB_CSV_NUMBER_AVX2,
            HB_CSV_FIELD_AVX2)
#endif
