/* Shared by the AVX2 and NEON rule steps: the small-d entry. At d <= 16 (one or two AVX2
 * vectors, at most four NEON ones per row: the IMU regime) a step is a few dozen cycles of
 * dependent arithmetic, and the panel ladder, the loop tests and the tail masks computed at
 * run time cost as much again. Each body is instantiated once per d in 1..16 with d a
 * compile-time constant, so every loop and switch over d folds away. */
#ifndef HEBBIAN_RULES_SMALL_H
#define HEBBIAN_RULES_SMALL_H

#define HB_SMALL_D_MAX 16

/* Runs AT(D) with the constant D equal to d; the caller checks 1 <= d <= HB_SMALL_D_MAX. */
#define HB_SMALL_D_SWITCH(d, AT)                                                             \
  switch (d) {                                                                               \
  case 1: AT(1); break;                                                                      \
  case 2: AT(2); break;                                                                      \
  case 3: AT(3); break;                                                                      \
  case 4: AT(4); break;                                                                      \
  case 5: AT(5); break;                                                                      \
  case 6: AT(6); break;                                                                      \
  case 7: AT(7); break;                                                                      \
  case 8: AT(8); break;                                                                      \
  case 9: AT(9); break;                                                                      \
  case 10: AT(10); break;                                                                    \
  case 11: AT(11); break;                                                                    \
  case 12: AT(12); break;                                                                    \
  case 13: AT(13); break;                                                                    \
  case 14: AT(14); break;                                                                    \
  case 15: AT(15); break;                                                                    \
  default: AT(16); break;                                                                    \
  }

#endif
