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
int hb_sys_dup(int fd);
int hb_sys_fsync(int fd);
int hb_sys_rename(const char *from, const char *to);
int hb_sys_unlink(const char *path);
/* 1 when a read of fd would not wait (data, or the end of the stream), 0 when it would. */
int hb_sys_readable(int fd);
/* Opens the existing regular file at path for writing after its first `keep` bytes: fails
 * with -ERANGE when it holds fewer, else cuts it to `keep` and returns the descriptor,
 * positioned at the end. */
int hb_sys_open_keeping(const char *path, int64_t keep);
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
/* Asks for a pipe buffer of `bytes` when fd is a pipe or FIFO (Linux F_SETPIPE_SZ; the
 * kernel caps it at /proc/sys/fs/pipe-max-size for unprivileged users) and returns its size
 * then: the new one, the old one when the request was refused or the pipe was as wide
 * already (it is never narrowed). 0 when fd is no pipe (or the system has no such request).
 * A writer ahead of the reader then fills more before it blocks, and the reader wakes less
 * often. */
int64_t hb_sys_widen_pipe(int fd, int64_t bytes);
/* The largest d hb_sys_moments_add takes. */
#define HB_SYS_MOMENTS_MAX_DIM 16
/* Adds n samples x (rows of d <= HB_SYS_MOMENTS_MAX_DIM floats), less `shift`, to sum[j] and
 * to cross[j * d + l] for l <= j (the lower triangle of their cross products), in Double. */
void hb_sys_moments_add(const float *x, size_t n, size_t d, const double *shift, double *sum,
                        double *cross);
/* Peak resident set size of this process in KiB, or -1. */
int64_t hb_sys_peak_rss_kib(void);
/* Data cache size in bytes of the given level (1, 2, 3) as the OS reports it, or 0. */
int64_t hb_sys_cache_bytes(int level);

/* The passes the roofline's reference is timed on (bandwidth.c). n floats from src to dst
 * over four streams, with non-temporal stores when asked and the variant has them (32-byte
 * aligned rows). */
void hb_sys_copy_pass(float *dst, const float *src, size_t n, int nontemporal);
/* Reads the n floats of buf and returns their sum (4n bytes), as one sequential stream
 * (streams = 1) or as four streams walked in lockstep (any other value): the four quarters
 * of the buffer when row = 0, else four rows of `row` floats at a time, as a rule sweeps W. */
float hb_sys_read_pass(const float *buf, size_t n, size_t streams, size_t row);
/* Scales the n floats of buf in place (4n bytes read, 4n written), over 1 or 4 streams as
 * above. A read pass and this pass over the same bytes are the traffic of a step that reads W
 * and then updates it. */
void hb_sys_update_pass(float *buf, size_t n, float scale, size_t streams, size_t row);

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
  int32_t kind;  /* HB_SYS_KIND_* */
  uint32_t mode; /* permission bits, 07777 */
  uint64_t device;
  uint64_t inode;
  int64_t size;
  int64_t mtime_ns; /* modification time, nanoseconds since the epoch */
  uint64_t links;   /* hard links */
  uint32_t uid;
  uint32_t gid;
} hb_sys_file_info;

/* Returned (negated) by hb_sys_resolve_output for a symlink the protected_symlinks rule
 * refuses; outside the errno range. */
enum { HB_SYS_REFUSED_LINK = 100000 };

/* stat(2) (following symlinks) of a path, or fstat(2) of a descriptor. A missing path gives
 * 0 with kind MISSING; other failures give -errno. */
int hb_sys_stat(const char *path, hb_sys_file_info *out);
int hb_sys_fstat(int fd, hb_sys_file_info *out);
/* Opens /dev/null onto descriptors 0, 1 and 2 where they are closed, so that no file the
 * process opens later lands on a standard descriptor. Returns 0 or -errno. */
int hb_sys_ensure_std_fds(void);
/* Where writing to `path` lands, as an absolute path with every symlink followed (at most 40
 * in all). A symlink that the kernel's protected_symlinks rule would refuse (see
 * hb_sys_link_refused) is not followed, whatever the sysctl says: the result is
 * -HB_SYS_REFUSED_LINK and buf holds the link's path. The result may not exist yet. Returns
 * its length, or -errno (ENOENT: a directory on the way does not exist). */
int hb_sys_resolve_output(const char *path, char *buf, size_t cap);
/* fs.protected_symlinks: a symlink in a sticky world-writable directory is followed only by
 * its owner or when the directory's owner also owns it. 1 when `caller` may not follow it. */
int hb_sys_link_refused(uint32_t dir_mode, uint32_t dir_uid, uint32_t link_uid, uint32_t caller);
/* 0 when the directory holding `path` exists and this process may create files in it. */
int hb_sys_parent_writable(const char *path);

/* Temporaries: the new content of a regular file is written to a temporary in the target's
 * directory, opened by hb_sys_temp_open, and put in place by hb_sys_temp_commit. The
 * temporary is anonymous (O_TMPFILE: nothing to leave behind, whatever ends the process) where
 * the file system supports it, or else a file named ".<base>.<16 hex>.tmp" (O_CREAT | O_EXCL
 * | O_NOFOLLOW) that SIGINT, SIGTERM, SIGHUP and SIGPIPE remove, and that the next run
 * holding the target's lock sweeps (SIGKILL). HEBBIAN_NO_TMPFILE=1 forces named ones.
 * hb_sys_temp_open returns the descriptor (mode 0600 until committed) and writes the name
 * into buf ("" when anonymous), or -errno. */
int hb_sys_temp_open(const char *path, char *buf, size_t cap);
/* Puts the temporary in place of `path`, consuming fd: it takes the mode (and, where
 * permitted, the owner) of the file it replaces, or 0666 & ~umask for a new file; fsync;
 * link (anonymous) and rename over `path`; fsync of the directory. `written` receives the
 * new file's identity. On failure the temporary is removed and -errno returned. */
int hb_sys_temp_commit(int fd, const char *name, const char *path, hb_sys_file_info *written);
/* Closes fd and removes the temporary: the target keeps its old content. */
void hb_sys_temp_discard(int fd, const char *name);
/* An exclusive advisory lock (flock) on `path`.lock, which is created if needed, held by the
 * run writing `path`. The holder also removes the stale named temporaries of `path` (no live
 * run can own one: it would hold the lock). Returns the lock's descriptor, -EWOULDBLOCK when
 * another process holds it, -EEXIST when `path`.lock is a non-empty file (not a lock this
 * tool made), or -errno. */
int hb_sys_lock(const char *path);
/* Releases a lock from hb_sys_lock and removes its file. */
void hb_sys_unlock(const char *path, int fd);
/* Whether a descriptor is a terminal. */
int hb_sys_isatty(int fd);

#ifdef __cplusplus
}
#endif
#endif
