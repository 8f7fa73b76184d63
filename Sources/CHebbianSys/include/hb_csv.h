/* The sample reader's hot path: a correctly rounded decimal → float32 parser and a CSV row
 * parser that finds delimiters and newlines a vector at a time (AVX2 on x86-64, NEON on
 * AArch64, SWAR on every target and for the scalar variant). No allocation: the caller owns every buffer. Only fixed-width
 * types here, so Swift (hosted or Embedded) imports it without a C library's headers. */
#ifndef HEBBIAN_HB_CSV_H
#define HEBBIAN_HB_CSV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parses the whole of text[0..<len] as [+-]digits[.digits][(e|E)[+-]digits] (a leading or
 * trailing '.' is allowed, at least one digit is required), correctly rounded to the nearest
 * float32 (ties to even) straight from the decimal, without going through double. Returns 0 on
 * success, 1 when the text is not such a number (NaN and infinity spellings, blanks, hex
 * floats, trailing characters), 2 when it rounds beyond the float range. Underflow gives zero
 * or a subnormal, like strtof. Any length: mantissas beyond 19 digits take a slow exact path. */
int hb_csv_parse_f32(const char *text, size_t len, float *out);

/* How the fields of a CSV line map to a sample. */
typedef struct {
  uint8_t delimiter;    /* ',', ';' or '\t' */
  int32_t fields;       /* fields per line */
  const int32_t *slot;  /* per field: >= 0 the feature index, -1 ignored, -2 the id field */
  int32_t dimension;    /* features per sample: rows are this many floats */
} hb_csv_layout;

enum {
  HB_CSV_MORE = 0, /* no complete line left in the buffer (or the buffer is used up at EOF) */
  HB_CSV_FULL = 1, /* max_rows rows written */
  HB_CSV_SLOW = 2  /* the line at `consumed` needs the careful path (errors, NaN, NUL, ...) */
};

typedef struct {
  size_t consumed; /* bytes of whole lines taken */
  size_t rows;     /* rows written */
  int64_t lines;   /* lines taken: samples, blank lines and comments */
  int32_t status;  /* HB_CSV_* */
} hb_csv_result;

/* Parses whole lines of buf[0..<len] (a line ends at '\n'; at_eof: the end of buf also ends
 * the last line) into rows (max_rows x dimension floats). Blank lines and '#' comments are
 * skipped; a trailing '\r' is dropped; fields are trimmed of blanks and tabs. A line is
 * taken only when it has exactly `fields` fields and every feature field is a finite float32
 * with nothing else in it and no NUL byte; any other line stops the parse with HB_CSV_SLOW.
 * For each row, row_line[i] is the 1-based index of its line among the lines taken, and
 * (when id_span is not NULL and the layout has an id field) id_span[2i], id_span[2i+1] are
 * the offset in buf and the length of its trimmed id field. Reads only buf[0..<len], and
 * gives the same rows whichever path (fast, careful) or scanner takes a line. */
void hb_csv_parse_rows(const hb_csv_layout *layout, const uint8_t *buf, size_t len, int at_eof,
                       float *rows, size_t max_rows, int64_t *row_line, int64_t *id_span,
                       hb_csv_result *result);

/* The scanner the row parser uses here: the active kernel variant's (hb_isa_active, so
 * HEBBIAN_ISA pins it): "avx2", "neon" (AArch64) or "swar" (the scalar variant, and 32-bit
 * ARM). */
const char *hb_csv_isa(void);
/* The scanner the row parser uses when variant `isa` (an hb_isa value this machine supports)
 * is the active one. */
const char *hb_csv_isa_for(int32_t isa);
/* hb_csv_parse_rows with a given scanner ("swar" everywhere; "avx2" or "neon" where the
 * machine has it), for tests that compare them. Returns -1 when it is not available here. */
int hb_csv_parse_rows_isa(const char *isa, const hb_csv_layout *layout, const uint8_t *buf,
                          size_t len, int at_eof, float *rows, size_t max_rows, int64_t *row_line,
                          int64_t *id_span, hb_csv_result *result);

#ifdef __cplusplus
}
#endif
#endif
