/* The portable CSV scanner: SWAR masks 8 bytes at a time and the SWAR number parser. The one
 * every target has, and the one the scalar variant (HEBBIAN_ISA=scalar) reads with. */
#include "csv-rows.h"

static inline uint64_t zero_bytes(uint64_t x) { /* 0x80 in each zero byte of x, exactly */
  const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
  return ~(((x & low7) + low7) | x | low7);
}

static inline uint64_t mask_swar(const uint8_t *p, uint8_t delimiter) {
  const uint64_t ones = UINT64_C(0x0101010101010101);
  uint64_t r = 0;
  for (int i = 0; i < 8; i++) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x;
    memcpy(&x, p + 8 * i, 8);
    uint64_t z = zero_bytes(x ^ (ones * delimiter)) | zero_bytes(x ^ (ones * '\n')) | zero_bytes(x);
    /* byte k's flag (bit 8k+7) → bit k of the top byte */
    r |= (((z >> 7) * UINT64_C(0x0102040810204080)) >> 56) << (8 * i);
#else
    for (int k = 0; k < 8; k++) {
      uint8_t c = p[8 * i + k];
      if (c == delimiter || c == '\n' || c == 0) r |= UINT64_C(1) << (8 * i + k);
    }
#endif
  }
  return r;
}

HB_CSV_ROWS(hb_csv_rows_swar, , mask_swar, fast_number_swar, NULL, NULL)
