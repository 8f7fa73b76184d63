/* bit_overlap's contract: 5 patterns of every length 1…67 and of 127, 128, 129, 255, 257 and
 * 2559 bits (every word tail and the vector bodies' unrolls), rows one word longer than the
 * pattern (ldxi = words + 1), the bits past n zero. The overlaps are integers from popcounts,
 * the same in any order: the variant must match the reference exactly (tolerance 0). */
#include "../contract.h"

#define PATTERNS 5
#define LONGEST (64 * 40 - 1)

void hb_bit_overlap_f32__sweep(hb_sweep *h, hb_bit_overlap_fn ref, hb_bit_overlap_fn k) {
  static const size_t extra[6] = {127, 128, 129, 255, 257, LONGEST};
  h->tolerance = 0;
  const size_t max_words = (LONGEST + 63) / 64;
  /* One word past a 64-byte boundary: no 32-byte alignment for the vector loads. */
  uint64_t *rows = hb_sweep_words(h, PATTERNS * (max_words + 1));
  uint64_t *state = hb_sweep_words(h, max_words);
  float *s[2];
  hb_sweep_scratch(h, s, 2, PATTERNS);
  float *mr = s[0], *mv = s[1];
  for (size_t c = 0; c < HB_LENGTHS_MAX + 6; c++) {
    const size_t n = c < HB_LENGTHS_MAX ? c + 1 : extra[c - HB_LENGTHS_MAX];
    const size_t words = (n + 63) / 64, ld = words + 1;
    for (size_t q = 0; q < PATTERNS * ld; q++) rows[q] = hb_rng_next(&h->rng);
    for (size_t q = 0; q < words; q++) state[q] = hb_rng_next(&h->rng);
    const uint64_t pad = n % 64 == 0 ? ~(uint64_t)0 : ((uint64_t)1 << (n % 64)) - 1;
    for (size_t mu = 0; mu < PATTERNS; mu++) rows[mu * ld + words - 1] &= pad;
    state[words - 1] &= pad;
    ref(PATTERNS, n, rows, ld, state, mr);
    k(PATTERNS, n, rows, ld, state, mv);
    for (size_t i = 0; i < PATTERNS; i++) hb_compare(h, mr[i], mv[i], 0);
    h->cases++;
  }
}

static void run(hb_workload *w) {
  const size_t words = (w->d + 63) / 64;
  ((hb_bit_overlap_fn)w->body)(w->k, w->d, w->op[0], words, w->op[1], w->op[2]);
}

void hb_bit_overlap_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  /* k stored patterns of d ±1 bits against one state: popcount of the XOR per pattern. */
  const size_t words = (d + 63) / 64;
  uint64_t *xi = hb_workload_bytes(w, k * words * sizeof(uint64_t));
  uint64_t *st = hb_workload_bytes(w, words * sizeof(uint64_t));
  if (xi == NULL || st == NULL) return;
  for (size_t i = 0; i < k * words; i++) xi[i] = hb_rng_next(r);
  for (size_t i = 0; i < words; i++) st[i] = hb_rng_next(r);
  if (words > 0) {
    /* The packed layout's bits past d are zero (hb_pack_signs_u64), so each overlap is one
     * of d ±1 entries. */
    const uint64_t pad = d % 64 == 0 ? ~(uint64_t)0 : ((uint64_t)1 << (d % 64)) - 1;
    for (size_t mu = 0; mu < k; mu++) xi[mu * words + words - 1] &= pad;
    st[words - 1] &= pad;
  }
  hb_workload_floats(w, k);
  w->run = run;
  /* Counted as the float overlap it stands for: one multiply-add per bit. */
  w->flops = 2 * k * d;
}
