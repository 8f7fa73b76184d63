#include "bit_overlap.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* Popcount of 256 bits by nibble lookup (vpshufb, Mula et al. 2018): per-byte counts in
 * 0..8, summed into the four 64-bit lanes by vpsadbw against zero. Byte counters are
 * accumulated for up to 31 blocks (31 * 8 = 248 < 256) before each vpsadbw. */
HB_AVX2_INLINE uint64_t row_diff(const uint64_t *row, const uint64_t *s, size_t words) {
  const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1,
                                       2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  const __m256i zero = _mm256_setzero_si256();
  __m256i total = zero;
  size_t w = 0;
  while (w + 4 <= words) {
    __m256i bytes = zero;
    for (int block = 0; block < 31 && w + 4 <= words; block++, w += 4) {
      __m256i x = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(row + w)),
                                   _mm256_loadu_si256((const __m256i *)(s + w)));
      __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(x, low));
      __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(x, 4), low));
      bytes = _mm256_add_epi8(bytes, _mm256_add_epi8(lo, hi));
    }
    total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, zero));
  }
  __m128i t = _mm_add_epi64(_mm256_castsi256_si128(total), _mm256_extracti128_si256(total, 1));
  uint64_t diff = (uint64_t)_mm_cvtsi128_si64(t) + (uint64_t)_mm_extract_epi64(t, 1);
  for (; w < words; w++) diff += hb_popcount64(row[w] ^ s[w]);
  return diff;
}

HB_AVX2 void hb_bit_overlap_f32__avx2(size_t p, size_t n, const uint64_t *xi, size_t ldxi,
                                      const uint64_t *s, float *m) {
  HB_BIT_OVERLAP_ROWS(p, n, xi, ldxi, s, m, row_diff);
}
#endif
