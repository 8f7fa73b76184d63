/* The CLI's whole libc surface: files, clock, environment, float parsing, resource usage.
 * Only fixed-width types in this header, so Swift (hosted or Embedded) imports it without a
 * C library's headers; sys.c is compiled against the target's libc. Functions returning int
 * give >= 0 on success and -errno on failure. */
#ifndef HEBBIAN_HB_SYS_H
#define HEBBIAN_HB_SYS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { HB_SYS_READ = 0, HB_SYS_WRITE_TRUNCATE = 1, HB_SYS_WRITE_EXCLUSIVE = 2 };

int hb_sys_open(const char *path, int mode);
int64_t hb_sys_read(int fd, void *buf, size_t n);        /* retries EINTR */
int hb_sys_write_all(int fd, const void *buf, size_t n); /* 0 or -errno */
int hb_sys_close(int fd);
int hb_sys_fsync(int fd);
int hb_sys_rename(const char *from, const char *to);
int hb_sys_unlink(const char *path);
/* fsync of the directory holding path, so a rename survives power loss. */
int hb_sys_fsync_parent_dir(const char *path);
/* Size of a regular file, or -errno. */
int64_t hb_sys_file_size(const char *path);
const char *hb_sys_strerror(int err);
const char *hb_sys_getenv(const char *name);
/* The process's command line (captured at start-up; Embedded Swift has no CommandLine). */
int hb_sys_argc(void);
const char *hb_sys_argv(int i);
/* exit(status) after flushing stdio. */
void hb_sys_exit(int status) __attribute__((noreturn));
int32_t hb_sys_getpid(void);
uint64_t hb_sys_monotonic_ns(void);
/* Peak resident set size of this process in KiB, or -1. */
int64_t hb_sys_peak_rss_kib(void);
/* Data cache size in bytes of the given level (1, 2, 3) as the OS reports it, or 0. */
int64_t hb_sys_cache_bytes(int level);

/* Parses the whole of text[0..<len] as a decimal or scientific float (strtod rules, correctly
 * rounded). Returns 0 on success, 1 when the text is not a number or has trailing characters,
 * 2 when it is out of float range. NaN and infinity spellings are reported as 1.
 * hb_sys_parse_f32 is hb_csv_parse_f32 (hb_csv.h). */
int hb_sys_parse_f32(const char *text, size_t len, float *out);
int hb_sys_parse_f64(const char *text, size_t len, double *out);

/* Shortest round-trip decimal text of a float ("%.9g"-style, trimmed) into buf (>= 32 bytes).
 * Returns the length written. */
size_t hb_sys_format_f32(float value, char *buf);
/* printf("%.*f") / printf("%.*e") into buf (cap bytes). Returns the length written. */
size_t hb_sys_format_fixed(double value, int digits, char *buf, size_t cap);
size_t hb_sys_format_sci(double value, int digits, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
