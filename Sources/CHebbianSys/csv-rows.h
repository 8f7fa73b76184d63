/* The CSV row parser's two tiers (internal to CHebbianSys), written once and instantiated by
 * each scanner file with its own byte mask and number parser: the fast path parses each field
 * where it starts and takes a line only in its common form; the careful path takes every
 * other line, with a mask of the delimiters, newlines and NUL bytes 64 bytes at a time. A
 * scanner file is one ISA's instance (csv-scan-scalar.c, csv-scan-avx2.c, csv-scan-neon.c);
 * csv.c picks one per call from the active variant (hb_isa_active). */
#ifndef HEBBIAN_CSV_ROWS_H
#define HEBBIAN_CSV_ROWS_H

#include "hb_csv.h"
#include "csv-float.h"

/* The scanners this build has besides the portable one. */
#if defined(__x86_64__)
#define HB_CSV_AVX2 1
#elif defined(__aarch64__) && defined(__ARM_NEON)
#define HB_CSV_NEON 1
#endif

/* One ISA's rows parser: hb_csv_parse_rows with that scanner. */
typedef void (*hb_csv_rows_fn)(const hb_csv_layout *, const uint8_t *, size_t, int, float *,
                               size_t, int64_t *, int64_t *, hb_csv_result *);
void hb_csv_rows_swar(const hb_csv_layout *l, const uint8_t *b, size_t n, int eof, float *r,
                      size_t m, int64_t *rl, int64_t *id, hb_csv_result *res);
#ifdef HB_CSV_AVX2
void hb_csv_rows_avx2(const hb_csv_layout *l, const uint8_t *b, size_t n, int eof, float *r,
                      size_t m, int64_t *rl, int64_t *id, hb_csv_result *res);
#endif
#ifdef HB_CSV_NEON
void hb_csv_rows_neon(const hb_csv_layout *l, const uint8_t *b, size_t n, int eof, float *r,
                      size_t m, int64_t *rl, int64_t *id, hb_csv_result *res);
#endif

/* A 64-bit mask of the delimiters, newlines and NUL bytes in the 64 bytes at p. */
typedef uint64_t (*mask_fn)(const uint8_t *, uint8_t);

static inline __attribute__((always_inline)) uint64_t
mask_at(const uint8_t *buf, size_t len, size_t base, uint8_t delimiter, mask_fn mask) {
  if (len - base >= 64) return mask(buf + base, delimiter);
  uint8_t tail[64];
  memset(tail, ' ', sizeof tail);
  memcpy(tail, buf + base, len - base);
  return mask(tail, delimiter) & ((UINT64_C(1) << (len - base)) - 1);
}

static inline int is_blank(uint8_t c) { return c == ' ' || c == '\t'; }

typedef const uint8_t *(*number_fn)(const uint8_t *, float *);

/* The bytes a fast number parser reads, and the room a field needs on the fast path. */
enum { FAST_NUMBER_READ = 32, FAST_FIELD_ROOM = FAST_NUMBER_READ + 16 };

/* One line in the common form: `fields` fields, each a number in fast_number's form or a
 * non-feature field, blanks around fields, "\n" or "\r\n" at the end. Writes the row and the
 * id span and returns the first byte of the next line, or NULL when the line is anything
 * else (comments, blank lines, errors, a line cut by the end of the buffer, long fields):
 * the careful path takes it then, from the start. */
static inline __attribute__((always_inline)) const uint8_t *
fast_line(const hb_csv_layout *layout, const uint8_t *p, const uint8_t *end, float *row,
          const uint8_t *buf, int64_t *id_span, number_fn fast_number) {
  const uint8_t delimiter = layout->delimiter;
  /* Blanks are spaces and tabs, except the delimiter. */
  const uint8_t tab = delimiter == '\t' ? ' ' : '\t';
  const int32_t fields = layout->fields;
  const int32_t *slot = layout->slot;
  const uint8_t *room = end - FAST_FIELD_ROOM;
  if (*p == '#' || *p == '\n' || *p == '\r') return NULL; /* comment or blank line */
  for (int32_t f = 0; f < fields; f++) {
    if (p >= room) return NULL;
    const int32_t k = slot[f];
    if (k >= 0) {
      const uint8_t *after = fast_number(p, row + k);
      if (__builtin_expect(after == NULL, 0)) {
        /* Blanks before the number? */
        if (*p != ' ' && *p != tab) return NULL;
        while (p < end && (*p == ' ' || *p == tab)) p++;
        if (p >= room || (f == 0 && *p == '#')) return NULL;
        after = fast_number(p, row + k);
        if (after == NULL) return NULL;
      }
      p = after;
    } else {
      while (p < end && (*p == ' ' || *p == tab)) p++;
      if (p >= room || (f == 0 && *p == '#')) return NULL;
      const uint8_t *s = p;
      while (p < end && *p != delimiter && *p != '\n' && *p != '\r' && *p != 0) p++;
      if (p == end || *p == 0) return NULL;
      const uint8_t *e = p;
      while (e > s && (e[-1] == ' ' || e[-1] == tab)) e--;
      if (k == -2 && id_span != NULL) {
        id_span[0] = (int64_t)(s - buf);
        id_span[1] = (int64_t)(e - s);
      }
    }
    const uint8_t term = f + 1 < fields ? delimiter : '\n';
    if (__builtin_expect(p < end && *p == term, 1)) {
      p++;
      continue;
    }
    /* Blanks after the field, "\r\n" */
    while (p < end && (*p == ' ' || *p == tab)) p++;
    if (term == '\n' && p < end && *p == '\r') p++;
    if (p == end || *p != term) return NULL;
    p++;
  }
  return p;
}

/* The careful path's scanner: the 64-byte block at base and its specials not yet taken. */
typedef struct {
  size_t base;
  uint64_t pending;
} scan_state;

/* The next delimiter, newline or NUL at or after the scan position; len when there is none. */
static inline __attribute__((always_inline)) size_t
next_special(scan_state *sc, const uint8_t *buf, size_t len, uint8_t delimiter, mask_fn mask) {
  while (sc->pending == 0 && sc->base + 64 < len) {
    sc->base += 64;
    sc->pending = mask_at(buf, len, sc->base, delimiter, mask);
  }
  if (sc->pending == 0) return len;
  const size_t at = sc->base + (size_t)__builtin_ctzll(sc->pending);
  sc->pending &= sc->pending - 1;
  return at;
}

/* What the careful path made of one line. */
typedef enum { LINE_ROW, LINE_SKIPPED, LINE_INCOMPLETE, LINE_SLOW } line_kind;

/* The rest of a comment or blank line whose special at `at` is c: its end in *next_line (a NUL
 * in it still goes the slow way). */
static inline __attribute__((always_inline)) line_kind
skip_line(scan_state *sc, const uint8_t *buf, size_t len, int at_eof, uint8_t delimiter,
          mask_fn mask, size_t at, uint8_t c, size_t *next_line) {
  while (c != '\n') {
    at = next_special(sc, buf, len, delimiter, mask);
    if (at == len) {
      if (!at_eof) return LINE_INCOMPLETE;
      break;
    }
    c = buf[at];
    if (c == 0) return LINE_SLOW;
  }
  *next_line = at < len ? at + 1 : len;
  return LINE_SKIPPED;
}

/* The careful path, one line from its first byte: every field between the specials the mask
 * finds, trimmed and parsed with parse_f32. A row goes to row (its id span to ids unless
 * NULL); the line's end to *next_line. Anything the careful path does not take (a NUL, a
 * field too many or too few, a number parse_f32 refuses) is LINE_SLOW: the Swift reader
 * takes it and reports it where it is. */
static inline __attribute__((always_inline)) line_kind
careful_line(const hb_csv_layout *layout, const uint8_t *buf, size_t len, int at_eof,
             size_t line, float *row, int64_t *ids, mask_fn mask, size_t *next_line) {
  const uint8_t delimiter = layout->delimiter;
  scan_state sc = {.base = line, .pending = mask_at(buf, len, line, delimiter, mask)};
  size_t start = line;
  for (int32_t field = 0;; field++) {
    const size_t at = next_special(&sc, buf, len, delimiter, mask);
    if (at == len && !at_eof) return LINE_INCOMPLETE;
    const uint8_t c = at < len ? buf[at] : '\n';
    if (c == 0) return LINE_SLOW;
    const int last = c != delimiter;
    size_t s = start, e = at;
    if (last && e > s && buf[e - 1] == '\r') e--;
    while (s < e && is_blank(buf[s])) s++;
    while (e > s && is_blank(buf[e - 1])) e--;
    if (field == 0 && ((s < e && buf[s] == '#') || (last && s == e)))
      return skip_line(&sc, buf, len, at_eof, delimiter, mask, at, c, next_line);
    if (field >= layout->fields) return LINE_SLOW;
    const int32_t k = layout->slot[field];
    if (k >= 0) {
      if (parse_f32(buf + s, buf + e, row + k) != 0) return LINE_SLOW;
    } else if (k == -2 && ids != NULL) {
      ids[0] = (int64_t)s;
      ids[1] = (int64_t)(e - s);
    }
    if (last) {
      *next_line = at < len ? at + 1 : len;
      return field + 1 == layout->fields ? LINE_ROW : LINE_SLOW;
    }
    start = at + 1;
  }
}

/* The block path: lines in the common form, every field a number, well inside the buffer. A
 * chunk's delimiter, newline and NUL positions are listed first from the mask, so each field's
 * both ends are known before it is parsed: the fields' parses are independent of one another,
 * and the only chains through a line are the walk through the list and the row count. (The
 * fast path parses a field where it starts and finds its end from the parse, which chains
 * every field of a line to the one before it.) */

/* A block path field parser: the number that fills [s, e) exactly, in the fast path's form,
 * to *out; 0 for anything else (the number parser then has a try). May read the 16 bytes
 * before e. */
typedef int (*field_fn)(const uint8_t *, const uint8_t *, float *);

/* The bytes a chunk of the block path covers: its list is filled once per chunk. */
enum { BLOCK_CHUNK = 1024 };

/* The positions of a block's bits (at o) from out on, `ahead` of them without a branch on
 * the count (the top bit keeps ctz defined once the bits run out; those entries are not
 * counted), so up to `ahead` past it; returns their count. */
static inline __attribute__((always_inline)) uint32_t list_bits(uint64_t bits, uint32_t o,
                                                                int ahead, uint32_t *out) {
  const uint32_t n = (uint32_t)__builtin_popcountll(bits);
  for (int i = 0; i < ahead; i++) {
    out[i] = o + (uint32_t)__builtin_ctzll(bits | (UINT64_C(1) << 63));
    bits &= bits - 1;
  }
  for (uint32_t i = (uint32_t)ahead; i < n; i++) {
    out[i] = o + (uint32_t)__builtin_ctzll(bits);
    bits &= bits - 1;
  }
  return n;
}

/* The positions of the specials (mask) in the blocks of buf[from, from + size), size a
 * multiple of 64 with room for mask reads, relative to from, to list; returns their count.
 * With newlines not NULL, the newlines and NULs among them too (the mask with '\n' for the
 * delimiter, computed next to the first so that they share the loads and compares), their
 * count in *lines. Writes up to 8 (newlines: 2) entries past the counts. */
static inline __attribute__((always_inline)) uint32_t
list_specials(const uint8_t *buf, size_t from, size_t size, uint8_t delimiter, mask_fn mask,
              uint32_t *list, uint32_t *newlines, uint32_t *lines) {
  uint32_t count = 0, ends = 0;
  for (uint32_t o = 0; o < size; o += 64) {
    /* 8: a 63-byte row has 6 or 7 specials in most blocks; one newline, two in some. */
    count += list_bits(mask(buf + from + o, delimiter), o, 8, list + count);
    if (newlines != NULL) ends += list_bits(mask(buf + from + o, '\n'), o, 2, newlines + ends);
  }
  if (lines != NULL) *lines = ends;
  return count;
}

/* One field of the block path: [s, e) as a number, by the field parser when there is one, or
 * by the number parser when it ends exactly at e. */
static inline __attribute__((always_inline)) int
block_field(const uint8_t *buf, const uint8_t *s, const uint8_t *e, float *out, field_fn field,
            number_fn number) {
  if (field != NULL && e - buf >= 16 && field(s, e, out)) return 1;
  return number(s, out) == e;
}

/* The state of the rows loop the block path takes lines from and gives them back to. */
typedef struct {
  size_t line;   /* start of the current line */
  size_t rows;   /* rows written */
  int64_t lines; /* lines taken */
} rows_state;

/* A group parser of the block path: the four fields that end at chunk[ends[0..3]] (the first
 * starts after chunk[ends[-1]]), each filling its span exactly in the field parser's form, to
 * out[0..3]; 0 when any is not (the field parser then takes the four one by one). */
typedef int (*group_fn)(const uint8_t *chunk, const uint32_t *ends, float *out);

/* Field i of a chunk's stream of fields to out[i] ("\r\n" ends a row too). */
static inline __attribute__((always_inline)) int
stream_field(const uint8_t *buf, const uint8_t *chunk, const uint32_t *ends, uint32_t i,
             uint32_t fields, float *out, field_fn field, number_fn number) {
  const uint32_t start = ends[(ptrdiff_t)i - 1] + 1, at = ends[i];
  const uint32_t end = at - (uint32_t)(i % fields == fields - 1 && at > start &&
                                       chunk[at - 1] == '\r');
  return block_field(buf, chunk + start, chunk + end, out + i, field, number);
}

/* The rows of a chunk at buf + line with the specials ends[0..count) (ends[-1] = -1) and,
 * among them, the newlines and NULs at newlines[0..), for a layout whose fields are its
 * features in order (slot[f] == f, dimension == fields), so the rows are one stream of fields.
 * The rows are checked first: row r is whole when its last special is the r-th newline or
 * NUL and a newline, which (rows before it whole) leaves only delimiters before it. Then the stream is parsed
 * four fields at a time by the group parser. Returns the rows taken (at most max), which
 * stop before the first line not in the block path's form. */
static inline __attribute__((always_inline)) size_t
stream_rows(const uint8_t *buf, size_t line, const uint32_t *ends, const uint32_t *newlines,
            uint32_t fields, size_t max, float *out, group_fn group, field_fn field,
            number_fn number) {
  const uint8_t *chunk = buf + line;
  size_t rows = max;
  for (size_t r = 0; r < max; r++) {
    const uint32_t end = ends[r * fields + fields - 1];
    if (newlines[r] != end || chunk[end] != '\n') {
      rows = r;
      break;
    }
  }
  const uint32_t total = (uint32_t)rows * fields;
  /* The group parser reads the 16 bytes before each field's end. */
  const int near_start = line < 16;
  uint32_t i = 0;
  for (; i + 4 <= total; i += 4) {
    if ((!near_start || line + (uint32_t)(ends[(ptrdiff_t)i - 1] + 1) >= 16) &&
        group(chunk, ends + i, out + i))
      continue;
    for (uint32_t k = i; k < i + 4; k++)
      if (!stream_field(buf, chunk, ends, k, fields, out, field, number)) return k / fields;
  }
  for (; i < total; i++)
    if (!stream_field(buf, chunk, ends, i, fields, out, field, number)) return i / fields;
  return rows;
}

/* Whether the block path can take a layout's rows as one stream of fields. */
static inline int stream_layout(const hb_csv_layout *layout) {
  if (layout->dimension != layout->fields) return 0;
  for (int32_t f = 0; f < layout->fields; f++)
    if (layout->slot[f] != f) return 0;
  return 1;
}

/* Lines from st->line, a row each, until one is not in the block path's form (or the rows are
 * full, or the room for whole-block reads runs out): the fast and careful paths take that one.
 * Only layouts whose fields are all features come here. */
static inline __attribute__((always_inline)) void
block_lines(const hb_csv_layout *layout, const uint8_t *buf, size_t len, float *rows,
            size_t max_rows, int64_t *row_line, rows_state *st, mask_fn mask, field_fn field,
            number_fn number, group_fn group) {
  const uint8_t delimiter = layout->delimiter;
  const uint32_t fields = (uint32_t)layout->fields;
  const int32_t *slot = layout->slot;
  const size_t dimension = (size_t)layout->dimension;
  const int stream = group != NULL && stream_layout(layout);
  /* Room past every special for the number parser's reads. */
  const size_t limit = len > FAST_FIELD_ROOM ? len - FAST_FIELD_ROOM : 0;
  uint32_t positions[1 + BLOCK_CHUNK + 8], newlines[BLOCK_CHUNK + 8];
  uint32_t *const list = positions + 1;
  positions[0] = UINT32_MAX; /* so that a chunk's first field starts at ends[-1] + 1 = 0 */
  size_t line = st->line, nrows = st->rows;
  int64_t lines = st->lines;
  while (nrows < max_rows) {
    /* A chunk from the current line: the rows whose specials are all in it. */
    size_t size = limit > line ? (limit - line) & ~(size_t)63 : 0;
    if (size > BLOCK_CHUNK) size = BLOCK_CHUNK;
    if (size == 0) break;
    const uint8_t *chunk = buf + line;
    uint32_t ends = 0;
    const uint32_t count =
        stream ? list_specials(buf, line, size, delimiter, mask, list, newlines, &ends)
               : list_specials(buf, line, size, delimiter, mask, list, NULL, NULL);
    if (stream) {
      size_t whole = count / fields < ends ? count / fields : ends;
      if (whole > max_rows - nrows) whole = max_rows - nrows;
      const size_t taken = stream_rows(buf, line, list, newlines, fields, whole,
                                       rows + nrows * dimension, group, field, number);
      for (size_t r = 0; r < taken; r++) row_line[nrows++] = ++lines;
      if (taken > 0) line += list[taken * fields - 1] + 1;
      if (taken < whole || taken == 0) break;
      continue;
    }
    const size_t first = nrows;
    uint32_t next = 0, start = 0;
    while (next + fields <= count && nrows < max_rows) {
      float *row = rows + nrows * dimension;
      for (uint32_t f = 0; f < fields; f++) {
        const uint32_t at = list[next + f];
        const int last = f + 1 == fields;
        if (chunk[at] != (last ? '\n' : delimiter)) goto done;
        /* "\r\n" ends a line too */
        const uint32_t end = at - (uint32_t)(last && at > start && chunk[at - 1] == '\r');
        if (!block_field(buf, chunk + start, chunk + end, row + slot[f], field, number))
          goto done;
        start = at + 1;
      }
      next += fields;
      row_line[nrows++] = ++lines;
      line = (size_t)(chunk - buf) + start;
    }
    if (nrows == first) break; /* a line longer than a chunk */
  }
done:
  st->line = line;
  st->rows = nrows;
  st->lines = lines;
}

/* Whether every field is a feature: the block path takes only such layouts. */
static inline int all_features(const hb_csv_layout *layout) {
  for (int32_t f = 0; f < layout->fields; f++)
    if (layout->slot[f] < 0) return 0;
  return 1;
}

static inline __attribute__((always_inline)) void
parse_rows(const hb_csv_layout *layout, const uint8_t *buf, size_t len, int at_eof, float *rows,
           size_t max_rows, int64_t *row_line, int64_t *id_span, hb_csv_result *result,
           mask_fn mask, number_fn number, field_fn field, group_fn group) {
  rows_state st = {0, 0, 0};
  int32_t status = HB_CSV_MORE;
  /* Lines the block path leaves to the others before it tries again: doubled each time it
   * takes none, so a file in another form (blanks after the delimiters, an id column) pays
   * for a try only every 64 lines. */
  const int block = all_features(layout);
  uint32_t backoff = 0, pause = 0;
  while (st.line < len) {
    if (st.rows == max_rows) {
      status = HB_CSV_FULL;
      break;
    }
    if (block && pause == 0) {
      const size_t before = st.rows;
      block_lines(layout, buf, len, rows, max_rows, row_line, &st, mask, field, number, group);
      if (st.rows != before) backoff = 0;
      else backoff = backoff == 0 ? 1 : backoff < 64 ? 2 * backoff : 64;
      pause = backoff;
      if (st.line == len || st.rows == max_rows) continue;
    }
    if (pause > 0) pause--;
    float *row = rows + st.rows * (size_t)layout->dimension;
    int64_t *ids = id_span != NULL ? id_span + 2 * st.rows : NULL;
    const uint8_t *next = fast_line(layout, buf + st.line, buf + len, row, buf, ids, number);
    if (next != NULL) {
      row_line[st.rows++] = ++st.lines;
      st.line = (size_t)(next - buf);
      continue;
    }
    size_t next_line = st.line;
    const line_kind kind =
        careful_line(layout, buf, len, at_eof, st.line, row, ids, mask, &next_line);
    if (kind == LINE_INCOMPLETE) break;
    if (kind == LINE_SLOW) {
      status = HB_CSV_SLOW;
      break;
    }
    if (kind == LINE_ROW) row_line[st.rows++] = st.lines + 1;
    st.lines++;
    st.line = next_line;
  }
  result->consumed = st.line;
  result->rows = st.rows;
  result->lines = st.lines;
  result->status = status;
}

/* The digit parser a vector ISA's rows use: its own unless HB_CSV_SWAR_DIGITS is off. */
#ifdef HB_CSV_SWAR_DIGITS
#define HB_CSV_DIGITS(isa) fast_number_##isa
#else
#define HB_CSV_DIGITS(isa) fast_number_swar
#endif

/* One ISA's instance: its mask, number parser, block field parser (NULL: the number parser
 * alone) and group parser (NULL: none) inlined into parse_rows, compiled with the ISA's target
 * attribute. */
#define HB_CSV_ROWS(name, attrs, mask, number, field, group)                                 \
  attrs void name(const hb_csv_layout *l, const uint8_t *b, size_t n, int eof, float *r,      \
                  size_t m, int64_t *rl, int64_t *id, hb_csv_result *res) {                  \
    parse_rows(l, b, n, eof, r, m, rl, id, res, mask, number, field, group);                 \
  }

#endif
