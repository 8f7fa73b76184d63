/* The NEON CSV scanner (AArch64, the neon variant): 16-byte compares for the mask and the
 * 16-byte number parser. 32-bit ARM reads with the portable scanner (its NEON lacks tbl on
 * 16 bytes and the pairwise adds used here). */
#include "csv-rows.h"

#ifdef HB_CSV_NEON
#include <arm_neon.h>

static inline uint64_t mask_neon(const uint8_t *p, uint8_t delimiter) {
  static const uint8_t bit_table[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  const uint8x16_t bits = vld1q_u8(bit_table);
  const uint8x16_t d = vdupq_n_u8(delimiter), n = vdupq_n_u8('\n'), z = vdupq_n_u8(0);
  uint8x16_t t[4];
  for (int i = 0; i < 4; i++) {
    uint8x16_t x = vld1q_u8(p + 16 * i);
    uint8x16_t m = vorrq_u8(vorrq_u8(vceqq_u8(x, d), vceqq_u8(x, n)), vceqq_u8(x, z));
    t[i] = vandq_u8(m, bits);
  }
  uint8x16_t s = vpaddq_u8(vpaddq_u8(t[0], t[1]), vpaddq_u8(t[2], t[3]));
  s = vpaddq_u8(s, s);
  return vgetq_lane_u64(vreinterpretq_u64_u8(s), 0);
}

#ifdef HB_CSV_SWAR_DIGITS
#include "csv-digits16.h"

/* fast_number_avx2 in NEON: a nibble per byte stands in for movemask, tbl for pshufb, and
 * multiplies with pairwise widening adds for the multiply-adds. */
static inline __attribute__((always_inline)) const uint8_t *fast_number_neon(const uint8_t *p,
                                                                            float *out) {
  const uint8_t *const start = p;
  const int negative = *p == '-';
  p += (*p == '-') | (*p == '+');
  const uint8x16_t t = vsubq_u8(vld1q_u8(p), vdupq_n_u8('0'));
  const uint8x16_t digit = vcleq_u8(t, vdupq_n_u8(9));
  const uint64_t stops =
      ~vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(digit), 4)), 0);
  const int whole = stops == 0 ? 16 : __builtin_ctzll(stops) >> 2;
  int fraction = 0, used = whole;
  uint8x16_t joined = t;
  if (whole < 15 && p[whole] == '.') {
    const uint64_t rest = stops >> (4 * (whole + 1));
    fraction = rest == 0 ? 15 - whole : __builtin_ctzll(rest) >> 2;
    used = whole + 1 + fraction;
    joined = vqtbl1q_u8(t, vld1q_u8(remove_dot[whole]));
  } else if (whole >= 15) {
    used = 16;
  }
  const int digits = whole + fraction;
  if (used >= 16 || digits == 0) return fast_number_swar(start, out);
  const uint8x16_t aligned = vqtbl1q_u8(joined, vld1q_u8(right_align[digits]));
  static const uint8_t tens[16] = {10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1};
  static const uint16_t hundreds[8] = {100, 1, 100, 1, 100, 1, 100, 1};
  static const uint32_t ten_thousands[4] = {10000, 1, 10000, 1};
  const uint16x8_t pairs = vpaddlq_u8(vmulq_u8(aligned, vld1q_u8(tens)));
  const uint32x4_t quads = vpaddlq_u16(vmulq_u16(pairs, vld1q_u16(hundreds)));
  const uint64x2_t eights = vpaddlq_u32(vmulq_u32(quads, vld1q_u32(ten_thousands)));
  const uint64_t w = vgetq_lane_u64(eights, 0) * 100000000u + vgetq_lane_u64(eights, 1);
  return fast_finish(p + used, negative, w, -fraction, out);
}
#define HB_CSV_NUMBER_NEON fast_number_neon
#else
#define HB_CSV_NUMBER_NEON fast_number_swar
#endif

HB_CSV_ROWS(hb_csv_rows_neon, , mask_neon, HB_CSV_NUMBER_NEON, NULL, NULL)
#endif
