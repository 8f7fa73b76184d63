#include "bit_overlap.h"

#if HB_BUILD_NEON
#include "../simd-neon.h"

/* vcntq_u8 counts bits per byte; vpadalq_u8 folds byte pairs into 16-bit lanes. Each lane
 * gains at most 16 per block of two words, so lanes are flushed every 2048 blocks
 * (2048 * 16 = 32768 < 65536). */
HB_NEON_INLINE uint64_t row_diff(const uint64_t *row, const uint64_t *s, size_t words) {
  uint64_t diff = 0;
  size_t w = 0;
  while (w + 2 <= words) {
    /* Four accumulators: one vpadal chain left each add waiting on the one before. Each
     * accumulator takes at most 2048 blocks between flushes. */
    uint16x8_t acc0 = vdupq_n_u16(0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    int block = 0;
    for (; block < 2048 && w + 8 <= words; block++, w += 8) {
      acc0 = vpadalq_u8(acc0, vcntq_u8(veorq_u8(vld1q_u8((const uint8_t *)(row + w)),
                                                vld1q_u8((const uint8_t *)(s + w)))));
      acc1 = vpadalq_u8(acc1, vcntq_u8(veorq_u8(vld1q_u8((const uint8_t *)(row + w + 2)),
                                                vld1q_u8((const uint8_t *)(s + w + 2)))));
      acc2 = vpadalq_u8(acc2, vcntq_u8(veorq_u8(vld1q_u8((const uint8_t *)(row + w + 4)),
                                                vld1q_u8((const uint8_t *)(s + w + 4)))));
      acc3 = vpadalq_u8(acc3, vcntq_u8(veorq_u8(vld1q_u8((const uint8_t *)(row + w + 6)),
                                                vld1q_u8((const uint8_t *)(s + w + 6)))));
    }
    for (; block < 2048 && w + 2 <= words; block++, w += 2)
      acc0 = vpadalq_u8(acc0, vcntq_u8(veorq_u8(vld1q_u8((const uint8_t *)(row + w)),
                                                vld1q_u8((const uint8_t *)(s + w)))));
    uint32x4_t sum = vaddq_u32(vaddq_u32(vpaddlq_u16(acc0), vpaddlq_u16(acc1)),
                               vaddq_u32(vpaddlq_u16(acc2), vpaddlq_u16(acc3)));
    uint64x2_t wide = vpaddlq_u32(sum);
    diff += vgetq_lane_u64(wide, 0) + vgetq_lane_u64(wide, 1);
  }
  if (w < words) {
    uint8x8_t x = veor_u8(vld1_u8((const uint8_t *)(row + w)), vld1_u8((const uint8_t *)(s + w)));
    uint64x1_t c = vpaddl_u32(vpaddl_u16(vpaddl_u8(vcnt_u8(x))));
    diff += vget_lane_u64(c, 0);
  }
  return diff;
}

void hb_bit_overlap_f32__neon(size_t p, size_t n, const uint64_t *xi, size_t ldxi,
                              const uint64_t *s, float *m) {
  HB_BIT_OVERLAP_ROWS(p, n, xi, ldxi, s, m, row_diff);
}
#endif
