/* The shuffle tables of the 16-byte number parsers (csv-scan-avx2.c, csv-scan-neon.c), which
 * only one of them compiles in a build. Internal to CHebbianSys. */
#ifndef HEBBIAN_CSV_DIGITS16_H
#define HEBBIAN_CSV_DIGITS16_H

#include <stdint.h>

/* Byte shuffle indices (pshufb, tbl; 0x80 gives a zero): remove_dot[n] drops byte n (the decimal point after n integer digits);
 * right_align[n] moves the first n bytes to the end, zeros before them. */
static const uint8_t remove_dot[17][16] = {
#define R(n)                                                                                   \
  {(0 < n ? 0 : 1), (1 < n ? 1 : 2), (2 < n ? 2 : 3), (3 < n ? 3 : 4), (4 < n ? 4 : 5),        \
   (5 < n ? 5 : 6), (6 < n ? 6 : 7), (7 < n ? 7 : 8), (8 < n ? 8 : 9), (9 < n ? 9 : 10),       \
   (10 < n ? 10 : 11), (11 < n ? 11 : 12), (12 < n ? 12 : 13), (13 < n ? 13 : 14),             \
   (14 < n ? 14 : 15), (15 < n ? 15 : 0x80)}
    R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7), R(8), R(9), R(10), R(11), R(12), R(13),
    R(14), R(15), R(16)
#undef R
};
static const uint8_t right_align[17][16] = {
#define A(j, n) (j >= 16 - n ? j - (16 - n) : 0x80)
#define R(n)                                                                                   \
  {A(0, n), A(1, n), A(2, n), A(3, n), A(4, n), A(5, n), A(6, n), A(7, n), A(8, n), A(9, n),   \
   A(10, n), A(11, n), A(12, n), A(13, n), A(14, n), A(15, n)}
    R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7), R(8), R(9), R(10), R(11), R(12), R(13),
    R(14), R(15), R(16)
#undef R
#undef A
};

#endif
