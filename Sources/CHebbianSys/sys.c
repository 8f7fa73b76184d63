#define _GNU_SOURCE
#include "hb_sys.h"
#include "hb_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int hb_sys_open(const char *path, int mode) {
  int flags;
  switch (mode) {
  case HB_SYS_READ: flags = O_RDONLY; break;
  case HB_SYS_WRITE_TRUNCATE: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
  case HB_SYS_WRITE_EXCLUSIVE: flags = O_WRONLY | O_CREAT | O_EXCL; break;
  case HB_SYS_WRITE_EXISTING: flags = O_WRONLY | O_NOCTTY; break;
  default: return -EINVAL;
  }
  int fd;
  do fd = open(path, flags | O_CLOEXEC, 0644);
  while (fd < 0 && errno == EINTR);
  return fd < 0 ? -errno : fd;
}

int64_t hb_sys_read(int fd, void *buf, size_t n) {
  ssize_t r;
  do r = read(fd, buf, n);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -(int64_t)errno : (int64_t)r;
}

int hb_sys_write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int hb_sys_readable(int fd) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  int r;
  do r = poll(&p, 1, 0);
  while (r < 0 && errno == EINTR);
  if (r < 0) return -errno;
  return r > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

int64_t hb_sys_widen_pipe(int fd, int64_t bytes) {
#ifdef F_SETPIPE_SZ
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return 0;
  // A pipe its writer made wider already is left so: F_SETPIPE_SZ would shrink it.
  const int now = fcntl(fd, F_GETPIPE_SZ);
  if (now >= bytes) return now;
  const int r = fcntl(fd, F_SETPIPE_SZ, (int)bytes);
  return r < 0 ? (now < 0 ? 0 : now) : r;
#else
  (void)fd, (void)bytes;
  return 0;
#endif
}

int hb_sys_open_keeping(const char *path, int64_t keep) {
  int fd;
  do fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return -errno;
  struct stat st;
  int err = 0;
  if (fstat(fd, &st) < 0) err = errno;
  else if (!S_ISREG(st.st_mode)) err = EINVAL;
  else if ((int64_t)st.st_size < keep) err = ERANGE;
  else if (ftruncate(fd, (off_t)keep) < 0 || lseek(fd, 0, SEEK_END) < 0) err = errno;
  if (err != 0) {
    close(fd);
    return -err;
  }
  return fd;
}

int hb_sys_dup(int fd) {
  int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  return r < 0 ? -errno : r;
}

int hb_sys_close(int fd) { return close(fd) < 0 ? -errno : 0; }
int hb_sys_fsync(int fd) { return fsync(fd) < 0 ? -errno : 0; }
int hb_sys_rename(const char *from, const char *to) { return rename(from, to) < 0 ? -errno : 0; }
int hb_sys_unlink(const char *path) { return unlink(path) < 0 ? -errno : 0; }

int hb_sys_fsync_parent_dir(const char *path) {
  char dir[4096];
  size_t len = strlen(path);
  if (len >= sizeof dir) return -ENAMETOOLONG;
  memcpy(dir, path, len + 1);
  char *slash = strrchr(dir, '/');
  if (slash == NULL) strcpy(dir, ".");
  else if (slash == dir) dir[1] = '\0';
  else *slash = '\0';
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -errno;
  int r = fsync(fd) < 0 ? -errno : 0;
  close(fd);
  return r;
}

int64_t hb_sys_file_size(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) return -(int64_t)errno;
  return (int64_t)st.st_size;
}

const char *hb_sys_strerror(int err) { return strerror(err < 0 ? -err : err); }
const char *hb_sys_getenv(const char *name) { return getenv(name); }
static int saved_argc;
static char **saved_argv;

/* glibc passes (argc, argv, envp) to ELF constructors; this works for both the hosted and the
 * Embedded Swift builds, neither of which needs Swift's CommandLine. */
__attribute__((constructor)) static void capture_args(int argc, char **argv, char **envp) {
  (void)envp;
  saved_argc = argc;
  saved_argv = argv;
}

int hb_sys_argc(void) { return saved_argc; }
const char *hb_sys_argv(int i) { return i >= 0 && i < saved_argc ? saved_argv[i] : ""; }

void hb_sys_exit(int status) { exit(status); }
int32_t hb_sys_getpid(void) { return (int32_t)getpid(); }

uint64_t hb_sys_monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int64_t hb_sys_peak_rss_kib(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) < 0) return -1;
  return (int64_t)ru.ru_maxrss; /* KiB on Linux */
}

/* The data or unified cache of a level as the kernel describes cpu0's, 0 when it does not. */
static int64_t sysfs_cache_bytes(int level) {
  for (int idx = 0; idx < 8; idx++) {
    char path[128];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", idx);
    FILE *f = fopen(path, "r");
    if (!f) break;
    int lv = 0;
    int ok = fscanf(f, "%d", &lv) == 1;
    fclose(f);
    if (!ok || lv != level) continue;
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", idx);
    f = fopen(path, "r");
    char type[32] = {0};
    if (f) {
      ok = fscanf(f, "%31s", type) == 1;
      fclose(f);
    }
    if (strcmp(type, "Instruction") == 0) continue;
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", idx);
    f = fopen(path, "r");
    if (!f) continue;
    long kb = 0;
    char unit = 'K';
    int n = fscanf(f, "%ld%c", &kb, &unit);
    fclose(f);
    if (n >= 1) return unit == 'M' ? kb * 1024 * 1024 : kb * 1024;
  }
  return 0;
}

/* sysfs first: ARM boards report caches only there, and glibc's sysconf reads cpuid, which a
 * guest can misreport (a 32 MiB L3 seen as 320 MiB). sysconf when sysfs has nothing. */
int64_t hb_sys_cache_bytes(int level) {
  const int64_t bytes = sysfs_cache_bytes(level);
  if (bytes > 0) return bytes;
#ifdef _SC_LEVEL1_DCACHE_SIZE
  long v = -1;
  if (level == 1) v = sysconf(_SC_LEVEL1_DCACHE_SIZE);
  else if (level == 2) v = sysconf(_SC_LEVEL2_CACHE_SIZE);
  else if (level == 3) v = sysconf(_SC_LEVEL3_CACHE_SIZE);
  if (v > 0) return v;
#endif
  return 0;
}

static int parse_common(const char *text, size_t len, double *out) {
  char buf[128];
  if (len == 0 || len >= sizeof buf) return 1;
  memcpy(buf, text, len);
  buf[len] = '\0';
  /* strtod accepts "nan", "inf", hex floats and leading blanks: the stream formats do not. */
  for (size_t i = 0; i < len; i++) {
    char c = buf[i];
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return 1;
  }
  char *end = NULL;
  errno = 0;
  double v = strtod(buf, &end);
  if (end != buf + len) return 1;
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) return 2;
  *out = v;
  return 0;
}

int hb_sys_parse_f64(const char *text, size_t len, double *out) {
  double v;
  int r = parse_common(text, len, &v);
  if (r == 0) *out = v;
  return r;
}

int hb_sys_parse_f32(const char *text, size_t len, float *out) {
  return hb_csv_parse_f32(text, len, out); /* straight to float32, no double rounding */
}

size_t hb_sys_format_f32(float value, char *buf) {
  int n = 0;
  for (int prec = 6; prec <= 9; prec++) {
    n = snprintf(buf, 32, "%.*g", prec, (double)value);
    if (strtof(buf, NULL) == value || value != value) break;
  }
  return n < 0 ? 0 : (size_t)n;
}

size_t hb_sys_format_fixed(double value, int digits, char *buf, size_t cap) {
  int n = snprintf(buf, cap, "%.*f", digits, value);
  return n < 0 ? 0 : ((size_t)n >= cap ? cap - 1 : (size_t)n);
}

size_t hb_sys_format_sci(double value, int digits, char *buf, size_t cap) {
  int n = snprintf(buf, cap, "%.*e", digits, value);
  return n < 0 ? 0 : ((size_t)n >= cap ? cap - 1 : (size_t)n);
}
