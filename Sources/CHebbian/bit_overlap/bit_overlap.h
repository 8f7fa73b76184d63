/* Shared by the bit_overlap bodies: m_mu = n - 2 popcount(xi^mu XOR s), the agreements minus
 * the disagreements of two +-1 vectors packed 64 to a word. Each body only counts the bits
 * in which one row differs from s. */
#ifndef HEBBIAN_BIT_OVERLAP_H
#define HEBBIAN_BIT_OVERLAP_H

#include "../internal.h"

/* SWAR popcount (no dependency on a popcnt instruction or libgcc helper). */
static inline uint32_t hb_popcount64(uint64_t v) {
  v = v - ((v >> 1) & 0x5555555555555555ull);
  v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
  v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return (uint32_t)((v * 0x0101010101010101ull) >> 56);
}

/* m[mu] for every row, with row_diff(row, s, words) the differing bits of one row. A macro,
 * so that row_diff inlines into each body with the body's target attributes. */
#define HB_BIT_OVERLAP_ROWS(p, n, xi, ldxi, s, m, row_diff)                                  \
  do {                                                                                       \
    const size_t words_ = ((n) + 63) / 64;                                                   \
    for (size_t mu_ = 0; mu_ < (p); mu_++) {                                                 \
      const uint64_t diff_ = row_diff((xi) + mu_ * (ldxi), (s), words_);                     \
      (m)[mu_] = (float)((int64_t)(n) - 2 * (int64_t)diff_);                                 \
    }                                                                                        \
  } while (0)

#endif
