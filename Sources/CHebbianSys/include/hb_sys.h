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

/* WRITE_EXISTING writes into what is already there (a device, a FIFO): no create, no truncate. */
enum {
  HB_SYS_READ = 0,
  HB_SYS_WRITE_TRUNCATE = 1,
  HB_SYS_WRITE_EXCLUSIVE = 2,
  HB_SYS_WRITE_EXISTING = 3
};

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

/* ---- Outputs: what a path names, exclusive temporaries, cleanup on signals, locks ---- */

enum {
  HB_SYS_KIND_MISSING = 0,
  HB_SYS_KIND_REGULAR = 1,
  HB_SYS_KIND_DIRECTORY = 2,
  HB_SYS_KIND_CHAR_DEVICE = 3,
  HB_SYS_KIND_BLOCK_DEVICE = 4,
  HB_SYS_KIND_FIFO = 5,
  HB_SYS_KIND_SOCKET = 6,
  HB_SYS_KIND_OTHER = 7
};

typedef struct {
  int32_t kind; /* HB_SYS_KIND_* */
  uint64_t device;
  uint64_t inode;
  int64_t size;
} hb_sys_file_info;

/* stat(2) (following symlinks) of a path, or fstat(2) of a descriptor. A missing path gives
 * 0 with kind MISSING; other failures give -errno. */
int hb_sys_stat(const char *path, hb_sys_file_info *out);
int hb_sys_fstat(int fd, hb_sys_file_info *out);
/* Opens /dev/null onto descriptors 0, 1 and 2 where they are closed, so that no file the
 * process opens later lands on a standard descriptor. Returns 0 or -errno. */
int hb_sys_ensure_std_fds(void);
/* Where writing to `path` lands: symlinks of the last component followed (at most 40), and
 * the directory made absolute with realpath(3). The result may not exist yet. Returns its
 * length, or -errno (ENOENT: the directory does not exist). */
int hb_sys_resolve_output(const char *path, char *buf, size_t cap);
/* 0 when the directory holding `path` exists and this process may create files in it. */
int hb_sys_parent_writable(const char *path);
/* Creates a new file beside `path` with an unpredictable name (O_CREAT | O_EXCL |
 * O_NOFOLLOW, mode 0666 & ~umask), writes its name into buf and registers it for removal on
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE. Returns the descriptor or -errno. */
int hb_sys_create_temp(const char *path, char *buf, size_t cap);
/* Forgets a registered temporary (after renaming or removing it). */
void hb_sys_forget_temp(const char *temp);
/* An exclusive advisory lock (flock) on `path`.lock, which is created if needed. Returns the
 * lock's descriptor, -EWOULDBLOCK when another process holds it, or -errno. */
int hb_sys_lock(const char *path);
/* Releases a lock from hb_sys_lock and removes its file. */
void hb_sys_unlock(const char *path, int fd);
/* Whether a descriptor is a terminal. */
int hb_sys_isatty(int fd);

#ifdef __cplusplus
}
#endif
#endif
