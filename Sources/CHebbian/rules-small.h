/* Shared by the AVX2 and NEON rule steps: the row groups of pass 1, and the small-d entry.
 * At d <= 16 (one or two AVX2
 * vectors, at most four NEON ones per row: the IMU regime) a step is a few dozen cycles of
 * dependent arithmetic, and the panel ladder, the loop tests and the tail masks computed at
 * run time cost as much again. Each body is instantiated once per d in 1..16 with d a
 * compile-time constant, so every loop and switch over d folds away. */
#ifndef HEBBIAN_RULES_SMALL_H
#define HEBBIAN_RULES_SMALL_H

/* Pass 1, y = W x, in groups of R rows with R*U = 8 independent accumulators: eight rows at a
 * time, then four, two and one. rows_dot(R, U, d, x, W, ldw, y) is the ISA's body for R rows,
 * R and U constants in every call. */
#define HB_WX_ROW_GROUPS(rows_dot, k, d, x, W, ldw, y)                                      \
  do {                                                                                       \
    size_t i_ = 0;                                                                           \
    for (; i_ + 8 <= (k); i_ += 8) rows_dot(8, 1, d, x, (W) + i_ * (ldw), ldw, (y) + i_);    \
    if (i_ + 4 <= (k)) {                                                                     \
      rows_dot(4, 2, d, x, (W) + i_ * (ldw), ldw, (y) + i_);                                 \
      i_ += 4;                                                                               \
    }                                                                                        \
    if (i_ + 2 <= (k)) {                                                                     \
      rows_dot(2, 4, d, x, (W) + i_ * (ldw), ldw, (y) + i_);                                 \
      i_ += 2;                                                                               \
    }                                                                                        \
    if (i_ < (k)) rows_dot(1, 8, d, x, (W) + i_ * (ldw), ldw, (y) + i_);                     \
  } while (0)

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
