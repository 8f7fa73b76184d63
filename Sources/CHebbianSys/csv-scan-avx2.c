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

/* The value of 16 digits (bytes 0 to 9, the first the most significant) by multiply-adds. */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) uint64_t
sixteen_digits(__m128i aligned) {
  const __m128i pairs = _mm_maddubs_epi16(aligned, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10,
                                                                 1, 10, 1, 10, 1, 10, 1));
  const __m128i quads = _mm_madd_epi16(pairs, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
  const __m128i packed = _mm_packus_epi32(quads, quads);
  const __m128i eights = _mm_madd_epi16(packed, _mm_setr_epi16(10000, 1, 10000, 1, 0, 0, 0, 0));
  const uint64_t w = (uint64_t)(uint32_t)_mm_cvtsi128_si32(eights) * 100000000u +
                     (uint32_t)_mm_extract_epi32(eights, 1);
  return w;
}

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
  const uint64_t w = sixteen_digits(aligned);
  return fast_finish(p + used, negative, w, -fraction, out);
}

/* drop_point[n] (pshufb) drops byte n and moves the bytes before it up by one, a zero first;
 * drop_point[16] keeps all. */
#define DROP_POINT(j, n) (j > n || n == 16 ? j : j == 0 ? 0x80 : j - 1)
static const uint8_t drop_point[17][16] = HB_SHUFFLE_TABLE(DROP_POINT);
#undef DROP_POINT

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
  const uint64_t w = sixteen_digits(aligned);
  uint32_t bits = decimal_to_f32(w, point < 16 ? point - 15 : 0);
  if (bits >= F32_INF_BITS) return 0;
  bits |= (uint32_t)negative << 31;
  memcpy(out, &bits, sizeof bits);
  return 1;
}

/* 16 bytes from first_lane + n: 0xFF in the n-th last, the first byte of a field of n. */
static const uint8_t first_lane[32] = {[16] = 0xFF};
/* The divisor of a field whose point is in lane p of its right-aligned 16 bytes: 10^(15 - p),
 * 1 without a point (p = 16). */
static const double point_scale[17] = {1e15, 1e14, 1e13, 1e12, 1e11, 1e10, 1e9, 1e8, 1e7,
                                       1e6,  1e5,  1e4,  1e3,  1e2,  1e1,  1e0, 1e0};

/* Two fields' 16 bytes each, right-aligned at their ends, in one register. */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) __m256i
two_lanes(const uint8_t *a, const uint8_t *b) {
  return _mm256_inserti128_si256(
      _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)a)),
      _mm_loadu_si128((const __m128i *)(const void *)b), 1);
}

/* What the group parser needs from two fields in one register: their digits (as values,
 * zero elsewhere), their points, and the masks that check their form. */
typedef struct {
  __m256i kept, points;
  uint32_t bad, point_bits, digits, minus;
} two_fields;

__attribute__((target("avx2"))) static inline __attribute__((always_inline)) two_fields
scan_two(const uint8_t *chunk, uint32_t e0, uint32_t n0, uint32_t e1, uint32_t n1) {
  const __m256i x = two_lanes(chunk + e0 - 16, chunk + e1 - 16);
  const __m256i inside = two_lanes(from_lane + n0, from_lane + n1);
  const __m256i first = two_lanes(first_lane + n0, first_lane + n1);
  const __m256i t = _mm256_sub_epi8(x, _mm256_set1_epi8('0'));
  const __m256i digit = _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8(9)), t);
  const __m256i point = _mm256_cmpeq_epi8(x, _mm256_set1_epi8('.'));
  const __m256i minus = _mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('-')), first);
  const __m256i plus = _mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('+')), first);
  const __m256i ok = _mm256_or_si256(_mm256_or_si256(digit, point), _mm256_or_si256(minus, plus));
  const __m256i digits = _mm256_and_si256(digit, inside);
  two_fields r;
  r.kept = _mm256_and_si256(t, digits);
  r.points = _mm256_and_si256(point, inside);
  r.bad = (uint32_t)_mm256_movemask_epi8(_mm256_andnot_si256(ok, inside));
  r.point_bits = (uint32_t)_mm256_movemask_epi8(r.points);
  r.digits = (uint32_t)_mm256_movemask_epi8(digits);
  r.minus = (uint32_t)_mm256_movemask_epi8(minus);
  return r;
}

/* The value of the digits of four fields, the point dropped, as doubles (exact: 15 digits at
 * most). lane 0 of each register, then lane 1. */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) __m256d
four_values(__m256i aligned_a, __m256i aligned_b) {
  const __m256i tens = _mm256_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1,
                                        10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1);
  const __m256i hundreds = _mm256_set1_epi32(0x00010064); /* (100, 1) */
  const __m256i quads_a = _mm256_madd_epi16(_mm256_maddubs_epi16(aligned_a, tens), hundreds);
  const __m256i quads_b = _mm256_madd_epi16(_mm256_maddubs_epi16(aligned_b, tens), hundreds);
  /* lane 0: fields 0 and 2, lane 1: fields 1 and 3, each as its 8 high and 8 low digits */
  const __m256i eights = _mm256_madd_epi16(_mm256_packus_epi32(quads_a, quads_b),
                                           _mm256_set1_epi32(0x00012710)); /* (10000, 1) */
  const __m256i split =
      _mm256_permutevar8x32_epi32(eights, _mm256_setr_epi32(0, 4, 2, 6, 1, 5, 3, 7));
  const __m256d high = _mm256_cvtepi32_pd(_mm256_castsi256_si128(split));
  const __m256d low = _mm256_cvtepi32_pd(_mm256_extracti128_si256(split, 1));
  return _mm256_add_pd(_mm256_mul_pd(high, _mm256_set1_pd(1e8)), low);
}

/* Whether any of the four 16-bit lanes of x is zero (exact for "any"). */
static inline int zero_lane(uint64_t x) {
  return ((x - UINT64_C(0x0001000100010001)) & ~x & UINT64_C(0x8000800080008000)) != 0;
}

/* The block path's group parser: field_avx2 on four fields at once, two to a register, and
 * the decimal -> float32 of the four in one double division. Fields of 1 to 15 bytes, so the
 * values (< 10^15) are exact in double: Clinger as in decimal_to_f32, the halfway cases left
 * to the field parser. */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) int
group_avx2(const uint8_t *chunk, const uint32_t *ends, float *out) {
  const uint32_t e0 = ends[0], e1 = ends[1], e2 = ends[2], e3 = ends[3];
  const uint32_t n0 = e0 - ends[-1] - 1, n1 = e1 - e0 - 1, n2 = e2 - e1 - 1, n3 = e3 - e2 - 1;
  if (n0 - 1 > 14 || n1 - 1 > 14 || n2 - 1 > 14 || n3 - 1 > 14) return 0;
  const two_fields a = scan_two(chunk, e0, n0, e1, n1), b = scan_two(chunk, e2, n2, e3, n3);
  /* Only digits, a sign first and points, and a digit in each field (a 16-bit lane each). */
  if ((a.bad | b.bad) != 0 || zero_lane(a.digits | (uint64_t)b.digits << 32)) return 0;
  const int q0 = __builtin_ctz((a.point_bits & 0xFFFF) | 0x10000), q1 = __builtin_ctz((a.point_bits >> 16) | 0x10000);
  const int q2 = __builtin_ctz((b.point_bits & 0xFFFF) | 0x10000), q3 = __builtin_ctz((b.point_bits >> 16) | 0x10000);
  const __m256i drop_a = two_lanes(drop_point[q0], drop_point[q1]);
  const __m256i drop_b = two_lanes(drop_point[q2], drop_point[q3]);
  /* The first point dropped, no other may be left. */
  if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_shuffle_epi8(a.points, drop_a),
                                           _mm256_shuffle_epi8(b.points, drop_b))) != 0)
    return 0;
  const __m256d w = four_values(_mm256_shuffle_epi8(a.kept, drop_a), _mm256_shuffle_epi8(b.kept, drop_b));
  const __m256d d = _mm256_div_pd(
      w, _mm256_setr_pd(point_scale[q0], point_scale[q1], point_scale[q2], point_scale[q3]));
  /* A double halfway between two floats: the field parser decides it. */
  const __m256i low_bits = _mm256_and_si256(_mm256_castpd_si256(d), _mm256_set1_epi64x(0x1FFFFFFF));
  if (_mm256_movemask_pd(_mm256_castsi256_pd(
          _mm256_cmpeq_epi64(low_bits, _mm256_set1_epi64x(0x10000000)))) != 0)
    return 0;
  /* The sign bits: 0x8000 in each 16-bit lane of the minus masks that is not zero, widened. */
  const uint64_t minus = a.minus | (uint64_t)b.minus << 32;
  const uint64_t low15 = UINT64_C(0x7FFF7FFF7FFF7FFF);
  const uint64_t negative = (((minus & low15) + low15) | minus) & ~low15;
  const __m128i sign = _mm_slli_epi32(_mm_cvtepu16_epi32(_mm_cvtsi64_si128((int64_t)negative)), 16);
  _mm_storeu_ps(out, _mm_or_ps(_mm256_cvtpd_ps(d), _mm_castsi128_ps(sign)));
  return 1;
}
#define HB_CSV_NUMBER_AVX2 fast_number_avx2
#define HB_CSV_FIELD_AVX2 field_avx2
#define HB_CSV_GROUP_AVX2 group_avx2
#else
#define HB_CSV_NUMBER_AVX2 fast_number_swar
#define HB_CSV_FIELD_AVX2 NULL
#define HB_CSV_GROUP_AVX2 NULL
#endif

HB_CSV_ROWS(hb_csv_rows_avx2, __attribute__((target("avx2"))), mask_avx2, HB_CSV_NUMBER_AVX2,
            HB_CSV_FIELD_AVX2, HB_CSV_GROUP_AVX2)
#endif
