/* The Hebbian Hopfield network's retrieval curve at large N, in the overlap form (no N x N
 * matrix), as an independent check of `hebbian capacity --model hopfield`.
 *
 * Same protocol as the CLI: ±1 patterns, W = (1/N) Σ ξξᵀ with zero diagonal, probes started
 * at stored patterns (evenly spaced through the sequence), asynchronous updates in a fresh
 * random order per sweep, s_i ← +1 if h_i > 0 else −1, until a sweep flips nothing or 100
 * sweeps; retrieved when the final overlap m ≥ 0.9. The field is h_i = Σ_μ ξ^μ_i m_μ − P s_i
 * with integer overlaps m_μ = ξ^μ · s, updated on every flip, so every field is exact.
 *
 * usage: hopfield-alpha N TRIALS PROBES SEED LOAD1 [LOAD2 ...]
 * prints one line per trial and load: N trial load P retrieved probes mean_m mean_m_retrieved
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;
static uint64_t next(void) { /* splitmix64 */
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: hopfield-alpha N TRIALS PROBES SEED LOAD...\n");
    return 2;
  }
  int n = atoi(argv[1]), trials = atoi(argv[2]), probes = atoi(argv[3]);
  state = strtoull(argv[4], 0, 10) * 0x2545F4914F6CDD1Dull + 1;
  int loads = argc - 5;
  int *counts = malloc(sizeof(int) * loads);
  for (int k = 0; k < loads; k++) counts[k] = (int)(atof(argv[5 + k]) * n + 0.5);
  int pmax = counts[loads - 1];
  /* xt[i * pmax + mu]: pattern entries by neuron, so a field is one contiguous dot product. */
  int8_t *xt = malloc((size_t)n * pmax);
  int8_t *s = malloc(n);
  int32_t *m = malloc(sizeof(int32_t) * pmax);
  int *order = malloc(sizeof(int) * n);
  for (int t = 0; t < trials; t++) {
    for (size_t k = 0; k < (size_t)n * pmax; k++) xt[k] = (next() >> 63) ? 1 : -1;
    for (int c = 0; c < loads; c++) {
      int p = counts[c];
      int k = probes < p ? probes : p;
      int retrieved = 0;
      double msum = 0, mret = 0;
      for (int q = 0; q < k; q++) {
        int target = (int)((long)q * p / k);
        for (int i = 0; i < n; i++) s[i] = xt[(size_t)i * pmax + target];
        for (int mu = 0; mu < p; mu++) m[mu] = 0;
        for (int i = 0; i < n; i++) {
          const int8_t *row = xt + (size_t)i * pmax;
          int si = s[i];
          for (int mu = 0; mu < p; mu++) m[mu] += row[mu] * si;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
          for (int i = 0; i < n; i++) order[i] = i;
          for (int i = n - 1; i > 0; i--) {
            int j = (int)(next() % (uint64_t)(i + 1));
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
          }
          int flips = 0;
          for (int r = 0; r < n; r++) {
            int i = order[r];
            const int8_t *row = xt + (size_t)i * pmax;
            long h = 0;
            for (int mu = 0; mu < p; mu++) h += row[mu] * m[mu];
            h -= (long)p * s[i];
            int v = h > 0 ? 1 : -1;
            if (v != s[i]) {
              for (int mu = 0; mu < p; mu++) m[mu] += 2 * v * row[mu];
              s[i] = (int8_t)v;
              flips++;
            }
          }
          if (flips == 0) break;
        }
        double overlap = (double)m[target] / n;
        msum += overlap;
        if (overlap >= 0.9) {
          retrieved++;
          mret += overlap;
        }
      }
      printf("%d %d %.6f %d %d %d %.6f %.6f\n", n, t, (double)p / n, p, retrieved, k, msum / k,
             retrieved ? mret / retrieved : 0.0);
      fflush(stdout);
    }
  }
  return 0;
}
