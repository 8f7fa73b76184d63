/* The shuffle tables of the 16-byte number parsers (csv-scan-avx2.c, csv-scan-neon.c), which
 * only one of them compiles in a build. Internal to CHebbianSys. */
#ifndef HEBBIAN_CSV_DIGITS16_H
#define HEBBIAN_CSV_DIGITS16_H

#include <stdint.h>

/* A table of 17 shuffles, one for each n in 0...16, whose byte j is E(j, n): the shape of
 * every table of the 16-byte parsers, written once (csv-scan-avx2.c's drop_point too). */
#define HB_SHUFFLE_ROW(E, n)                                                                   \
  {E(0, n), E(1, n), E(2, n), E(3, n), E(4, n), E(5, n), E(6, n), E(7, n), E(8, n), E(9, n),   \
   E(10, n), E(11, n), E(12, n), E(13, n), E(14, n), E(15, n)}
#define HB_SHUFFLE_TABLE(E)                                                                    \
  {HB_SHUFFLE_ROW(E, 0),  HB_SHUFFLE_ROW(E, 1),  HB_SHUFFLE_ROW(E, 2),  HB_SHUFFLE_ROW(E, 3),  \
   HB_SHUFFLE_ROW(E, 4),  HB_SHUFFLE_ROW(E, 5),  HB_SHUFFLE_ROW(E, 6),  HB_SHUFFLE_ROW(E, 7),  \
   HB_SHUFFLE_ROW(E, 8),  HB_SHUFFLE_ROW(E, 9),  HB_SHUFFLE_ROW(E, 10), HB_SHUFFLE_ROW(E, 11), \
   HB_SHUFFLE_ROW(E, 12), HB_SHUFFLE_ROW(E, 13), HB_SHUFFLE_ROW(E, 14), HB_SHUFFLE_ROW(E, 15), \
   HB_SHUFFLE_ROW(E, 16)}

/* Byte shuffle indices (pshufb, tbl; 0x80 gives a zero): remove_dot[n] drops byte n (the
 * decimal point after n integer digits); right_align[n] moves the first n bytes to the end,
 * zeros before them. */
#define REMOVE_DOT(j, n) (j < n ? j : j < 15 ? j + 1 : 0x80)
static const uint8_t remove_dot[17][16] = HB_SHUFFLE_TABLE(REMOVE_DOT);
#undef REMOVE_DOT
#define RIGHT_ALIGN(j, n) (j >= 16 - n ? j - (16 - n) : 0x80)
static const uint8_t right_align[17][16] = HB_SHUFFLE_TABLE(RIGHT_ALIGN);
#undef RIGHT_ALIGN

#endif
