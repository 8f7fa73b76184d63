/* Decimal -> float32 for the CSV reader (internal to CHebbianSys): the correctly rounded parser
 * of a whole field (Clinger and Eisel-Lemire, with an exact slow path) and the fast path's
 * parser of a field where it starts. Everything the row scanners call per field is inline
 * here, so each scanner file compiles it with its own ISA; the out-of-line pieces (the power
 * table, the long-mantissa path and hb_csv_parse_f32) live in csv-float.c. */
#ifndef HEBBIAN_CSV_FLOAT_H
#define HEBBIAN_CSV_FLOAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 5^q for q in [-64, 38] to 128 bits (csv-float.c), high word first. */
extern const uint64_t hb_csv_pow5_128[103][2];

typedef struct {
  uint64_t lo, hi;
} u128;

static inline u128 mul_64x64(uint64_t a, uint64_t b) {
  u128 r;
#if defined(__SIZEOF_INT128__)
  __extension__ typedef unsigned __int128 u128_native;
  u128_native p = (u128_native)a * b;
  r.lo = (uint64_t)p;
  r.hi = (uint64_t)(p >> 64);
#else /* 32-bit targets (armv7): four 32x32 products */
  uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
  r.lo = (mid << 32) | (uint32_t)p00;
  r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
  return r;
}

#define F32_INF_BITS 0x7F800000u

/* The bits (sign excluded) of the float32 nearest to w * 10^q, for w in [1, 10^19) and q in
 * [-64, 38]: Eisel–Lemire. With an exact w the 128-bit product always decides the rounding
 * (Mushtak & Lemire, "Fast number parsing without fallback"). */
static inline __attribute__((always_inline)) uint32_t eisel_lemire_f32(int32_t q, uint64_t w) {
  int lz = __builtin_clzll(w);
  w <<= lz;
  const uint64_t *p5 = hb_csv_pow5_128[q + 64];
  u128 product = mul_64x64(w, p5[0]);
  /* 23 explicit bits + implicit bit + rounding bit + a possible shift: 26 bits must be exact. */
  const uint64_t precision_mask = UINT64_MAX >> 26;
  if ((product.hi & precision_mask) == precision_mask) {
    u128 second = mul_64x64(w, p5[1]);
    product.lo += second.hi;
    if (second.hi > product.lo) product.hi++;
  }
  int upper = (int)(product.hi >> 63);
  int shift = upper + 64 - 23 - 3;
  uint64_t m = product.hi >> shift;
  /* floor(q * log2(5)) + q + 63 for q in (-400, 350), then the float32 bias. */
  int32_t p2 = (int32_t)(((152170 + 65536) * q) >> 16) + 63 + upper - lz + 127;
  if (p2 <= 0) { /* subnormal (or zero) */
    if (-p2 + 1 >= 64) return 0;
    m >>= -p2 + 1;
    m += m & 1;
    m >>= 1;
    /* Rounding up may reach the smallest normal: the mantissa then carries the exponent bit. */
    return (uint32_t)m;
  }
  /* A tie can only be exact when 5^q fits 64 bits: round it to even. */
  if (product.lo <= 1 && q >= -17 && q <= 10 && (m & 3) == 1) {
    if ((m << shift) == product.hi) m &= ~(uint64_t)1;
  }
  m += m & 1;
  m >>= 1;
  if (m >= (UINT64_C(2) << 23)) {
    m = UINT64_C(1) << 23;
    p2++;
  }
  m &= ~(UINT64_C(1) << 23);
  if (p2 >= 0xFF) return F32_INF_BITS;
  return ((uint32_t)p2 << 23) | (uint32_t)m;
}

static inline int is_digit(uint8_t c) { return (unsigned)(c - '0') < 10; }

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HB_CSV_SWAR_DIGITS 1
/* Eight ASCII digits in one 64-bit word (little-endian: the first digit in the low byte). */
static inline int eight_digits(uint64_t v) {
  return ((v & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
          (((v + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) ==
         UINT64_C(0x3333333333333333);
}

static inline uint32_t eight_digits_value(uint64_t v) {
  const uint64_t mask = UINT64_C(0x000000FF000000FF);
  v -= UINT64_C(0x3030303030303030);
  v = v * 10 + (v >> 8); /* pairs */
  v = ((v & mask) * UINT64_C(0x000F424000000064) +
       ((v >> 16) & mask) * UINT64_C(0x0000271000000001)) >> 32;
  return (uint32_t)v;
}
#endif

static inline int finish(int negative, uint32_t bits, float *out) {
  if (bits == F32_INF_BITS) return 2;
  bits |= (uint32_t)negative << 31;
  memcpy(out, &bits, sizeof bits);
  return 0;
}

/* More than 19 significant digits: exactly rounded through a normalised copy (csv-float.c). */
int hb_csv_parse_long(int negative, const uint8_t *digits, const uint8_t *mantissa_end,
                      int64_t exp10, float *out);

/* The whole of [p, end) as a number of hb_csv_parse_f32's grammar: 0, 1 or 2 as it returns. */
static inline __attribute__((always_inline)) int parse_f32(const uint8_t *p, const uint8_t *end, float *out) {
  int negative = 0;
  if (p < end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    p++;
  }
  const uint8_t *digits = p;
  uint64_t w = 0;
  while (p < end && is_digit(*p)) {
    w = 10 * w + (uint64_t)(*p - '0');
    p++;
  }
  size_t count = (size_t)(p - digits);
  int64_t exp10 = 0;
  if (p < end && *p == '.') {
    p++;
    const uint8_t *fraction = p;
#ifdef HB_CSV_SWAR_DIGITS
    while (end - p >= 8) {
      uint64_t v;
      memcpy(&v, p, 8);
      if (!eight_digits(v)) break;
      w = w * 100000000u + eight_digits_value(v);
      p += 8;
    }
#endif
    while (p < end && is_digit(*p)) {
      w = 10 * w + (uint64_t)(*p - '0');
      p++;
    }
    exp10 = -(int64_t)(p - fraction);
    count += (size_t)(p - fraction);
  }
  if (count == 0) return 1;
  const uint8_t *mantissa_end = p;
  if (p < end && (*p | 0x20) == 'e') {
    p++;
    int exp_negative = 0;
    if (p < end && (*p == '-' || *p == '+')) {
      exp_negative = *p == '-';
      p++;
    }
    if (p == end || !is_digit(*p)) return 1;
    int64_t e = 0;
    while (p < end && is_digit(*p)) {
      if (e < 100000000) e = 10 * e + (*p - '0'); /* saturates far beyond any float */
      p++;
    }
    exp10 += exp_negative ? -e : e;
  }
  if (p != end) return 1;
  if (count > 19) {
    /* Leading zeros do not count; beyond 19 significant digits w has overflowed. */
    size_t significant = 0;
    int leading = 1;
    for (const uint8_t *d = digits; d < mantissa_end; d++) {
      if (*d == '.') continue;
      if (leading && *d == '0') continue;
      leading = 0;
      significant++;
    }
    if (significant > 19) return hb_csv_parse_long(negative, digits, mantissa_end, exp10, out);
  }
  if (w == 0 || exp10 < -64) return finish(negative, 0, out);
  if (exp10 > 38) return 2;
  /* No Clinger fast path (w < 2^24, |q| <= 10: one float division): measured slower here, the
   * division and a branch on the digit count against one 64x64 product. */
  return finish(negative, eisel_lemire_f32((int32_t)exp10, w), out);
}

/* ---------------------------------------------------------------------------------------- */
/* The fast path's field parser                                                               */

#ifdef HB_CSV_SWAR_DIGITS
/* 0x80 in each byte of v that is not an ASCII digit: v ^ '0' is below 10 exactly for digits. */
static inline uint64_t non_digits(uint64_t v) {
  const uint64_t t = v ^ UINT64_C(0x3030303030303030);
  return (((t & UINT64_C(0x7F7F7F7F7F7F7F7F)) + UINT64_C(0x7676767676767676)) | t) &
         UINT64_C(0x8080808080808080);
}

/* The value of the first n (0..8) digits of v. The bytes after them may borrow from one
 * another in the subtraction, but only upwards, and they are shifted out. */
static inline uint64_t leading_digits_value(uint64_t v, int n) {
  const uint64_t mask = UINT64_C(0x000000FF000000FF);
  v -= UINT64_C(0x3030303030303030);
  int drop = 4 * (8 - n); /* two shifts: n = 0 would shift by 64 */
  v = (v << drop) << drop;
  v = v * 10 + (v >> 8);
  v = ((v & mask) * UINT64_C(0x000F424000000064) +
       ((v >> 16) & mask) * UINT64_C(0x0000271000000001)) >> 32;
  return v;
}

static const uint64_t pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                      100000000};
/* Exact in double: 5^22 < 2^53. */
static const double pow10_f64[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* w * 10^q (w < 10^19) as float32 bits, sign excluded; F32_INF_BITS beyond the range. */
static inline __attribute__((always_inline)) uint32_t decimal_to_f32(uint64_t w, int32_t q) {
  if (w <= (UINT64_C(1) << 53) && q >= -22 && q <= 22) {
    /* Clinger in double: both operands exact, so d is w * 10^q rounded once. Rounding it
     * again to float goes wrong only when d lands exactly halfway between two floats (the 29
     * bits float drops are 1000...0); Eisel–Lemire decides those. The result is zero or a
     * normal float here (>= 1e-22). */
    double d = (double)(int64_t)w; /* signed: one conversion instruction, exact below 2^53 */
    d = q < 0 ? d / pow10_f64[-q] : d * pow10_f64[q];
    uint64_t dbits;
    memcpy(&dbits, &d, sizeof dbits);
    if (__builtin_expect((dbits & UINT64_C(0x1FFFFFFF)) == UINT64_C(0x10000000), 0)) {
      return eisel_lemire_f32(q, w);
    }
    float f = (float)d;
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
  }
  if (q > 38) return F32_INF_BITS;
  return w == 0 || q < -64 ? 0 : eisel_lemire_f32(q, w);
}

/* The exponent of the fast path, "e" or "E" at p: [+-]d{1,3}, added to *q. Returns the byte
 * after it, or NULL. */
static inline const uint8_t *fast_exponent(const uint8_t *p, int32_t *q) {
  p++;
  const int negative = *p == '-';
  p += (*p == '-') | (*p == '+');
  if (!is_digit(*p)) return NULL;
  int32_t e = *p++ - '0';
  if (is_digit(*p)) {
    e = 10 * e + (*p++ - '0');
    if (is_digit(*p)) {
      e = 10 * e + (*p++ - '0');
      if (is_digit(*p)) return NULL;
    }
  }
  *q += negative ? -e : e;
  return p;
}

/* The sign, then the float32 bits of the number, with the byte after it. */
static inline __attribute__((always_inline)) const uint8_t *
fast_finish(const uint8_t *p, int negative, uint64_t w, int32_t q, float *out) {
  if ((*p | 0x20) == 'e') {
    p = fast_exponent(p, &q);
    if (p == NULL) return NULL;
  }
  uint32_t bits = decimal_to_f32(w, q);
  if (bits >= F32_INF_BITS) return NULL; /* out of range: the careful path reports it */
  bits |= (uint32_t)negative << 31;
  memcpy(out, &bits, sizeof bits);
  return p;
}

/* The common spellings of a field, parsed where it starts without knowing where it ends:
 * [+-]d{0,7}[.d{0,15}][(e|E)[+-]d{1,3}], at most 19 digits. Returns the first byte after the
 * number, or NULL for anything else (the caller then takes the careful path, which has the
 * complete grammar). Reads at most FAST_NUMBER_READ bytes from p. */
static inline __attribute__((always_inline)) const uint8_t *fast_number_swar(const uint8_t *p,
                                                                            float *out) {
  const int negative = *p == '-';
  p += (*p == '-') | (*p == '+');
  uint64_t v;
  memcpy(&v, p, 8);
  uint64_t stops = non_digits(v);
  if (stops == 0) return NULL; /* 8 or more integer digits */
  int n = __builtin_ctzll(stops) >> 3;
  uint64_t w = leading_digits_value(v, n);
  int digits = n, fraction = 0;
  p += n;
  if (*p == '.') {
    p++;
    memcpy(&v, p, 8);
    stops = non_digits(v);
    if (stops == 0) {
      w = w * 100000000u + leading_digits_value(v, 8);
      p += 8;
      fraction = 8;
      memcpy(&v, p, 8);
      stops = non_digits(v);
      if (stops == 0) return NULL;
    }
    n = __builtin_ctzll(stops) >> 3;
    w = w * pow10_u64[n] + leading_digits_value(v, n);
    p += n;
    fraction += n;
    digits += fraction;
  }
  /* Leading zeros count: 19 digits always fit 64 bits. */
  if (digits == 0 || digits > 19) return NULL;
  return fast_finish(p, negative, w, -fraction, out);
}

#else
/* No fast path without little-endian words: every line takes the careful path. */
static inline const uint8_t *fast_number_swar(const uint8_t *p, float *out) {
  (void)p;
  (void)out;
  return NULL;
}
#endif

#endif
