/* The file-system side of the CLI's output discipline: what a path names, where a write
 * through it lands, exclusive temporaries that are removed when a signal ends the process,
 * and per-file locks. See Support/Outputs.swift for the policy built on these. */
#define _GNU_SOURCE
#include "hb_sys.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void fill_info(const struct stat *st, hb_sys_file_info *out) {
  int kind = HB_SYS_KIND_OTHER;
  if (S_ISREG(st->st_mode)) kind = HB_SYS_KIND_REGULAR;
  else if (S_ISDIR(st->st_mode)) kind = HB_SYS_KIND_DIRECTORY;
  else if (S_ISCHR(st->st_mode)) kind = HB_SYS_KIND_CHAR_DEVICE;
  else if (S_ISBLK(st->st_mode)) kind = HB_SYS_KIND_BLOCK_DEVICE;
  else if (S_ISFIFO(st->st_mode)) kind = HB_SYS_KIND_FIFO;
  else if (S_ISSOCK(st->st_mode)) kind = HB_SYS_KIND_SOCKET;
  out->kind = kind;
  out->device = (uint64_t)st->st_dev;
  out->inode = (uint64_t)st->st_ino;
  out->size = (int64_t)st->st_size;
}

int hb_sys_stat(const char *path, hb_sys_file_info *out) {
  struct stat st;
  memset(out, 0, sizeof *out);
  if (stat(path, &st) < 0) return errno == ENOENT ? 0 : -errno;
  fill_info(&st, out);
  return 0;
}

int hb_sys_fstat(int fd, hb_sys_file_info *out) {
  struct stat st;
  memset(out, 0, sizeof *out);
  if (fstat(fd, &st) < 0) return -errno;
  fill_info(&st, out);
  return 0;
}

int hb_sys_ensure_std_fds(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    /* open() returns the lowest free descriptor: this one. */
    int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (n < 0) return -errno;
    if (n != fd) {
      dup2(n, fd);
      close(n);
    }
  }
  return 0;
}

int hb_sys_isatty(int fd) { return isatty(fd); }

/* dir and base of `path` ("." for a bare name). */
static int split(const char *path, char *dir, size_t dcap, const char **base) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL) {
    if (dcap < 2) return -ENAMETOOLONG;
    strcpy(dir, ".");
    *base = path;
    return 0;
  }
  size_t n = (size_t)(slash - path);
  if (n == 0) n = 1; /* "/name" */
  if (n >= dcap) return -ENAMETOOLONG;
  memcpy(dir, path, n);
  dir[n] = '\0';
  *base = slash + 1;
  return 0;
}

int hb_sys_resolve_output(const char *path, char *buf, size_t cap) {
  char cur[PATH_MAX];
  if (strlen(path) >= sizeof cur) return -ENAMETOOLONG;
  strcpy(cur, path);
  for (int hops = 0;; hops++) {
    struct stat st;
    if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode)) break;
    if (hops == 40) return -ELOOP;
    char target[PATH_MAX];
    ssize_t n = readlink(cur, target, sizeof target - 1);
    if (n < 0) return -errno;
    target[n] = '\0';
    if (target[0] == '/') {
      strcpy(cur, target);
    } else {
      /* Relative to the directory holding the link. */
      char dir[PATH_MAX];
      const char *base;
      int r = split(cur, dir, sizeof dir, &base);
      if (r < 0) return r;
      if (strlen(dir) + 1 + (size_t)n >= sizeof cur) return -ENAMETOOLONG;
      snprintf(cur, sizeof cur, "%s/%s", dir, target);
    }
  }
  char dir[PATH_MAX];
  const char *base;
  int r = split(cur, dir, sizeof dir, &base);
  if (r < 0) return r;
  char real[PATH_MAX];
  if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
    /* Names a directory: resolve the whole path; the caller reports it as one. */
    if (realpath(cur, real) == NULL) return -errno;
    int len = snprintf(buf, cap, "%s", real);
    return len < 0 || (size_t)len >= cap ? -ENAMETOOLONG : len;
  }
  if (realpath(dir, real) == NULL) return -errno;
  int len = snprintf(buf, cap, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base);
  return len < 0 || (size_t)len >= cap ? -ENAMETOOLONG : len;
}

int hb_sys_parent_writable(const char *path) {
  char dir[PATH_MAX];
  const char *base;
  int r = split(path, dir, sizeof dir, &base);
  if (r < 0) return r;
  struct stat st;
  if (stat(dir, &st) < 0) return -errno;
  if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
  return access(dir, W_OK | X_OK) < 0 ? -errno : 0;
}

/* Temporaries to remove if a signal ends the process. A slot is 0 (free), 1 (being written)
 * or 2 (holds a path); claimed with an atomic exchange so concurrent runs (tests drive the
 * CLI in parallel in one process) never share one. */
enum { TEMP_SLOTS = 64 };
static char temp_paths[TEMP_SLOTS][PATH_MAX];
static volatile int temp_state[TEMP_SLOTS];
static volatile int handlers_installed;

static void remove_temps_and_reraise(int sig) {
  for (int i = 0; i < TEMP_SLOTS; i++) {
    if (__atomic_load_n(&temp_state[i], __ATOMIC_ACQUIRE) == 2) unlink(temp_paths[i]);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

static void install_handlers(void) {
  if (__atomic_exchange_n(&handlers_installed, 1, __ATOMIC_ACQ_REL)) return;
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction old;
    if (sigaction(sigs[i], NULL, &old) < 0) continue;
    /* Leave a signal the parent chose to ignore (nohup, SIGPIPE ignored) ignored. */
    if (old.sa_handler != SIG_DFL) continue;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_temps_and_reraise;
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[i], &sa, NULL);
    /* A launcher's worker thread may hand down a mask that blocks these (libdispatch's
     * threads do): unblocked, so that kill(1) ends the run as it would from a shell. */
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sigs[i]);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
  }
}

/* The slot now holding `temp`, or -1 when all are taken (the file is then still removed on
 * every normal exit path). */
static int remember(const char *temp) {
  for (int i = 0; i < TEMP_SLOTS; i++) {
    int expected = 0;
    if (__atomic_compare_exchange_n(&temp_state[i], &expected, 1, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
      snprintf(temp_paths[i], PATH_MAX, "%s", temp);
      __atomic_store_n(&temp_state[i], 2, __ATOMIC_RELEASE);
      return i;
    }
  }
  return -1;
}

static void release_slot(int i) {
  if (i < 0) return;
  __atomic_store_n(&temp_state[i], 1, __ATOMIC_RELEASE);
  temp_paths[i][0] = '\0';
  __atomic_store_n(&temp_state[i], 0, __ATOMIC_RELEASE);
}

void hb_sys_forget_temp(const char *temp) {
  for (int i = 0; i < TEMP_SLOTS; i++) {
    if (__atomic_load_n(&temp_state[i], __ATOMIC_ACQUIRE) == 2 &&
        strcmp(temp_paths[i], temp) == 0) {
      int expected = 2;
      if (__atomic_compare_exchange_n(&temp_state[i], &expected, 1, 0, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        temp_paths[i][0] = '\0';
        __atomic_store_n(&temp_state[i], 0, __ATOMIC_RELEASE);
      }
      return;
    }
  }
}

static uint64_t random_word(void) {
  uint64_t v;
  if (getrandom(&v, sizeof v, GRND_NONBLOCK) == (ssize_t)sizeof v) return v;
  /* No entropy source (early boot): O_EXCL still makes the name safe, only guessable. */
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  static uint64_t counter;
  v = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid() << 32 ^
      __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
  return v;
}

int hb_sys_create_temp(const char *path, char *buf, size_t cap) {
  char dir[PATH_MAX];
  const char *base;
  int r = split(path, dir, sizeof dir, &base);
  if (r < 0) return r;
  install_handlers();
  for (int attempt = 0; attempt < 100; attempt++) {
    int len = snprintf(buf, cap, "%s/.%s.%016llx.tmp", dir, base,
                       (unsigned long long)random_word());
    if (len < 0 || (size_t)len >= cap) return -ENAMETOOLONG;
    /* Remembered before it exists: a signal between the open and the bookkeeping would
     * otherwise leave the file behind. (Should the name be taken, the slot is released at
     * once; a 64-bit random name makes that a never-case.) */
    int slot = remember(buf);
    int fd = open(buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    int e = errno;
    release_slot(slot);
    if (e != EEXIST && e != EINTR) return -e;
  }
  return -EEXIST;
}

/* Temporaries of `path` left by a run that was killed with SIGKILL (which no handler sees):
 * ".<base>.<16 hex>.tmp" beside it. Called only by the holder of the path's lock, the only
 * process that may be writing one. */
static void remove_stale_temps(const char *path) {
  char dir[PATH_MAX];
  const char *base;
  if (split(path, dir, sizeof dir, &base) < 0) return;
  size_t blen = strlen(base);
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *n = e->d_name;
    size_t len = strlen(n);
    if (len != 1 + blen + 1 + 16 + 4 || n[0] != '.' || strncmp(n + 1, base, blen) != 0 ||
        n[1 + blen] != '.' || strcmp(n + len - 4, ".tmp") != 0)
      continue;
    int hex = 1;
    for (size_t i = 0; i < 16; i++) {
      char c = n[2 + blen + i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) hex = 0;
    }
    if (!hex) continue;
    char full[PATH_MAX];
    int w = snprintf(full, sizeof full, "%s/%s", dir, n);
    if (w > 0 && (size_t)w < sizeof full) unlinkat(AT_FDCWD, full, 0);
  }
  closedir(d);
}

int hb_sys_lock(const char *path) {
  char lock[PATH_MAX];
  int len = snprintf(lock, sizeof lock, "%s.lock", path);
  if (len < 0 || (size_t)len >= sizeof lock) return -ENAMETOOLONG;
  for (int attempt = 0; attempt < 16; attempt++) {
    int fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return -errno;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
      int e = errno;
      close(fd);
      return e == EWOULDBLOCK ? -EWOULDBLOCK : -e;
    }
    /* The previous holder removes the file before releasing it: a lock on a file that is no
     * longer at `lock` guards nothing, so take the new one. */
    struct stat held, now;
    if (fstat(fd, &held) == 0 && stat(lock, &now) == 0 && held.st_dev == now.st_dev &&
        held.st_ino == now.st_ino) {
      /* Removed like a temporary if a signal ends the process (a SIGKILL leaves it: the
       * next run takes it over, since the kernel released the lock). */
      install_handlers();
      (void)remember(lock);
      remove_stale_temps(path);
      return fd;
    }
    close(fd);
  }
  return -EAGAIN;
}

void hb_sys_unlock(const char *path, int fd) {
  char lock[PATH_MAX];
  int len = snprintf(lock, sizeof lock, "%s.lock", path);
  if (len >= 0 && (size_t)len < sizeof lock) {
    unlink(lock);
    hb_sys_forget_temp(lock);
  }
  close(fd);
}
