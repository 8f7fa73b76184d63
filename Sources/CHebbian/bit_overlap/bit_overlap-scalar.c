#include "../internal.h"

/* SWAR popcount (no dependency on a popcnt instruction or libgcc helper). */
static inline uint32_t popcount64(uint64_t v) {
  v = v - ((v >> 1) & 0x5555555555555555ull);
  v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
  v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return (uint32_t)((v * 0x0101010101010101ull) >> 56);
}

/* m_mu = n - 2 popcount(xi^mu XOR s): agreements minus disagreements of two +-1 vectors. */
void hb_bit_overlap_f32__scalar(size_t p, size_t n, const uint64_t *xi, size_t ldxi,
                                const uint64_t *s, float *m) {
  size_t words = (n + 63) / 64;
  for (size_t mu = 0; mu < p; mu++) {
    const uint64_t *row = xi + mu * ldxi;
    uint64_t diff = 0;
    for (size_t w = 0; w < words; w++) diff += popcount64(row[w] ^ s[w]);
    m[mu] = (float)((int64_t)n - 2 * (int64_t)diff);
  }
}
