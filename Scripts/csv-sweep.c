/* The big sweep of the CSV reader's float parsing (Scripts/csv-sweep.sh builds and runs it):
 * numbers in many spellings, four to a line, through hb_csv_parse_rows with every scanner the
 * machine has (the fast path, and the careful path for the spellings it leaves) and through
 * hb_csv_parse_f32, each against strtof (glibc: correctly rounded to float32). A line may be
 * refused only for a number beyond the float range. Exit status 1 on any mismatch. */
#include "hb_csv.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void) { /* splitmix64 */
  uint64_t z = (state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

enum { LINES = 4096, F = 4, LONGEST = 96 };
static char text[LINES * F * (LONGEST + 1)];
static char nums[LINES * F][LONGEST];
static float rows[LINES * F];
static int64_t lines[LINES];

static float random_float(void) {
  float f;
  do {
    uint32_t b = (uint32_t)rnd();
    memcpy(&f, &b, 4);
  } while (!isfinite(f));
  return f;
}

/* Significant digits of a %g-style spelling. */
static int digits_of(const char *t) {
  int n = 0;
  for (const char *c = t; *c && *c != 'e' && *c != 'E'; c++) n += *c >= '0' && *c <= '9';
  return n;
}

static void spell(char *out, int kind) {
  float f = random_float();
  double d = f;
  switch (kind) {
  case 0: sprintf(out, "%.9g", d); break;
  case 1: sprintf(out, "%.8g", d); break;
  case 2: sprintf(out, "%.7g", d); break;
  case 3: sprintf(out, "%+.9E", d); break;
  case 4: { /* the IMU shape: fixed notation, a few integer digits */
    double v = (double)(int64_t)(rnd() % 2000000001) * 1e-8 - 10;
    sprintf(out, "%.*f", (int)(rnd() % 10), v * (rnd() % 4 ? 1 : 1000));
    break;
  }
  case 5: { /* halfway between two floats (and its neighbours in double) */
    float g = nextafterf(f, INFINITY);
    if (!isfinite(g)) g = f;
    double mid = ((double)f + (double)g) / 2;
    sprintf(out, "%.40g", mid);
    if (digits_of(out) > 19) {
      double near[3] = {mid, nextafter(mid, 0), nextafter(mid, INFINITY)};
      sprintf(out, rnd() & 1 ? "%.17g" : "%.25g", near[rnd() % 3]);
    }
    break;
  }
  case 6: { /* digit strings of 1 to 24 digits, the point anywhere, an exponent or not */
    int n = 1 + (int)(rnd() % 24), dot = (int)(rnd() % (uint64_t)(n + 2)) - 1, at = 0;
    if (rnd() & 1) out[at++] = (rnd() & 1) ? '-' : '+';
    for (int i = 0; i < n; i++) {
      if (i == dot) out[at++] = '.';
      out[at++] = (char)('0' + ((i == 0 && (rnd() & 3)) ? 1 + rnd() % 9 : rnd() % 10));
    }
    if (dot == n) out[at++] = '.';
    out[at] = 0;
    if (rnd() % 3 == 0) {
      sprintf(out + at, "%c%d", (rnd() & 1) ? 'e' : 'E', (int)(rnd() % 100) - 50);
    }
    break;
  }
  case 7: { /* integers from 2^24 to 5 * 2^24: float ties among them */
    unsigned long long v = (1u << 24) + rnd() % (1u << 26);
    sprintf(out, (rnd() & 1) ? "%llu" : "%llu.0", v);
    break;
  }
  case 8: { /* the edges: subnormals, the least normal, FLT_MAX */
    const float edges[] = {1.4e-45f, 1.1754942e-38f, 1.17549435e-38f, 3.4028235e38f, 1e-40f};
    float e = edges[rnd() % 5];
    uint32_t b;
    memcpy(&b, &e, 4);
    b += (uint32_t)(rnd() % 9) - 4;
    memcpy(&e, &b, 4);
    if (!isfinite(e) || e < 0) e = 0;
    sprintf(out, "%.*g", 1 + (int)(rnd() % 20), (double)e);
    break;
  }
  case 9: /* 20 to 60 significant digits */
    sprintf(out, "%.*e", 19 + (int)(rnd() % 41), d * (1 + (double)(rnd() % 1000) * 1e-12));
    break;
  default:
    sprintf(out, "%.*g", 1 + (int)(rnd() % 17),
            (double)(int64_t)rnd() * ldexp(1, (int)(rnd() % 200) - 100));
  }
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 100;
  const char *isas[] = {"swar", "avx2", "neon"};
  int32_t slot[F] = {0, 1, 2, 3};
  hb_csv_layout layout = {',', F, slot, F};
  long checked = 0, bad = 0, refused = 0;
  int tried[3] = {0};
  for (long r = 0; r < rounds; r++) {
    size_t at = 0;
    for (int i = 0; i < LINES * F; i++) {
      spell(nums[i], (int)(rnd() % 11));
      at += (size_t)sprintf(text + at, "%s%s", nums[i], i % F == F - 1 ? "\n" : ",");
    }
    for (int i = 0; i < LINES * F; i++) { /* the careful path alone */
      float got, want = strtof(nums[i], NULL);
      int code = hb_csv_parse_f32(nums[i], strlen(nums[i]), &got);
      checked++;
      if (isinf(want) ? code != 2 : (code != 0 || memcmp(&got, &want, 4) != 0)) {
        if (bad++ < 10) printf("hb_csv_parse_f32: %s: code %d got %.9g want %.9g\n", nums[i], code, got, want);
      }
    }
    for (int k = 0; k < 3; k++) {
      size_t pos = 0;
      int line = 0;
      while (line < LINES) {
        hb_csv_result res;
        if (hb_csv_parse_rows_isa(isas[k], &layout, (const uint8_t *)text + pos, at - pos, 1, rows,
                                  LINES, lines, NULL, &res) != 0)
          break;
        tried[k] = 1;
        for (size_t i = 0; i < res.rows * F; i++) {
          const char *t = nums[line * F + i];
          float want = strtof(t, NULL);
          checked++;
          if (memcmp(&want, &rows[i], 4) != 0 && bad++ < 10) {
            printf("%s: %s: got %.9g want %.9g\n", isas[k], t, rows[i], want);
          }
        }
        line += (int)res.rows;
        pos += res.consumed;
        if (res.status == HB_CSV_SLOW) {
          int inf = 0;
          for (int i = 0; i < F; i++) inf |= isinf(strtof(nums[line * F + i], NULL));
          if (!inf && bad++ < 10) printf("%s: line refused: %.*s\n", isas[k], 80, text + pos);
          refused++;
          while (text[pos] != '\n') pos++;
          pos++;
          line++;
        } else if (res.rows == 0) {
          break;
        }
      }
    }
  }
  printf("scanners:");
  for (int k = 0; k < 3; k++)
    if (tried[k]) printf(" %s", isas[k]);
  printf("; %ld values checked against strtof (%ld lines refused for range), %ld mismatches\n",
         checked, refused, bad);
  return bad != 0;
}
