/* The CSV row parser's entry points. Each call reads with the scanner of the active variant
 * (hb_isa_active, the kernels' one choice), so HEBBIAN_ISA pins the reader with the kernels.
 * The parser itself is csv-rows.h, instantiated per ISA by the csv-scan-*.c files; decimal ->
 * float32 is csv-float.h. See hb_csv.h. */
#include "hb_csv.h"
#include "csv-rows.h"
#include "hebbian/hb_base.h"

#include <string.h>

typedef struct {
  const char *name;
  hb_csv_rows_fn rows;
} scanner;

static const scanner swar = {"swar", hb_csv_rows_swar};
#ifdef HB_CSV_AVX2
static const scanner avx2 = {"avx2", hb_csv_rows_avx2};
#endif
#ifdef HB_CSV_NEON
static const scanner neon = {"neon", hb_csv_rows_neon};
#endif

/* The scanner of a variant: its own where this build has one, else the portable one (the
 * scalar variant, and NEON on 32-bit ARM). */
static const scanner *scanner_for(int32_t isa) {
#ifdef HB_CSV_AVX2
  if (isa == HB_ISA_AVX2) return &avx2;
#endif
#ifdef HB_CSV_NEON
  if (isa == HB_ISA_NEON) return &neon;
#endif
  (void)isa;
  return &swar;
}

void hb_csv_parse_rows(const hb_csv_layout *layout, const uint8_t *buf, size_t len, int at_eof,
                       float *rows, size_t max_rows, int64_t *row_line, int64_t *id_span,
                       hb_csv_result *result) {
  scanner_for((int32_t)hb_isa_active())
      ->rows(layout, buf, len, at_eof, rows, max_rows, row_line, id_span, result);
}

const char *hb_csv_isa(void) { return scanner_for((int32_t)hb_isa_active())->name; }

const char *hb_csv_isa_for(int32_t isa) { return scanner_for(isa)->name; }

int hb_csv_parse_rows_isa(const char *isa, const hb_csv_layout *layout, const uint8_t *buf,
                          size_t len, int at_eof, float *rows, size_t max_rows, int64_t *row_line,
                          int64_t *id_span, hb_csv_result *result) {
  hb_csv_rows_fn f = NULL;
  if (strcmp(isa, "swar") == 0) f = hb_csv_rows_swar;
#ifdef HB_CSV_AVX2
  if (strcmp(isa, "avx2") == 0 && hb_isa_supported(HB_ISA_AVX2)) f = hb_csv_rows_avx2;
#endif
#ifdef HB_CSV_NEON
  if (strcmp(isa, "neon") == 0) f = hb_csv_rows_neon;
#endif
  if (f == NULL) return -1;
  f(layout, buf, len, at_eof, rows, max_rows, row_line, id_span, result);
  return 0;
}
