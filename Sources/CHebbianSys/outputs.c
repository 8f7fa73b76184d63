/* The file-system side of the CLI's output discipline: what a path names, where a write
 * through it lands, temporaries that never outlive their run, and per-file locks. See
 * Support/Outputs.swift for the policy built on these. */
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
  out->mode = (uint32_t)(st->st_mode & 07777);
  out->device = (uint64_t)st->st_dev;
  out->inode = (uint64_t)st->st_ino;
  out->size = (int64_t)st->st_size;
  /* 64-bit arithmetic: time_t and long are 32 bits on armv7. */
  out->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + (int64_t)st->st_mtim.tv_nsec;
  out->links = (uint64_t)st->st_nlink;
  out->uid = (uint32_t)st->st_uid;
  out->gid = (uint32_t)st->st_gid;
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

/* The umask, read once before any thread exists: umask(2) can only be read by setting it,
 * which would race with files other threads create. */
static mode_t process_umask = 022;
__attribute__((constructor)) static void capture_umask(void) {
  process_umask = umask(0);
  umask(process_umask);
}

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

int hb_sys_link_refused(uint32_t dir_mode, uint32_t dir_uid, uint32_t link_uid, uint32_t caller) {
  const uint32_t sticky_open = (uint32_t)(S_ISVTX | S_IWOTH);
  if ((dir_mode & sticky_open) != sticky_open) return 0;
  return link_uid != dir_uid && link_uid != caller;
}

/* Drops the last component of an absolute path ("/" stays "/"). */
static void drop_last(char *abs) {
  char *slash = strrchr(abs, '/');
  if (slash == abs) abs[1] = '\0';
  else if (slash != NULL) *slash = '\0';
}

/* The walk is done here rather than by realpath(3), which reads links with readlink(2) and so
 * follows what the kernel would refuse to follow for an open(2). */
int hb_sys_resolve_output(const char *path, char *buf, size_t cap) {
  char done[PATH_MAX]; /* the physical path walked so far, absolute */
  char rest[PATH_MAX]; /* what is left to walk */
  if (strlen(path) >= sizeof rest) return -ENAMETOOLONG;
  if (path[0] == '/') strcpy(done, "/");
  else if (getcwd(done, sizeof done) == NULL) return -errno;
  strcpy(rest, path);
  const uint32_t caller = (uint32_t)geteuid();
  int hops = 0;
  size_t at = 0;
  for (;;) {
    while (rest[at] == '/') at++;
    if (rest[at] == '\0') break;
    size_t len = strcspn(rest + at, "/");
    char name[NAME_MAX + 1];
    if (len > NAME_MAX) return -ENAMETOOLONG;
    memcpy(name, rest + at, len);
    name[len] = '\0';
    at += len;
    size_t after = at;
    while (rest[after] == '/') after++;
    const int last = rest[after] == '\0';
    if (strcmp(name, ".") == 0) continue;
    if (strcmp(name, "..") == 0) {
      drop_last(done);
      continue;
    }
    char next[PATH_MAX];
    int w = snprintf(next, sizeof next, "%s/%s", strcmp(done, "/") == 0 ? "" : done, name);
    if (w < 0 || (size_t)w >= sizeof next) return -ENAMETOOLONG;
    struct stat st;
    if (lstat(next, &st) < 0) {
      /* A missing last component is the file to create; a missing directory is an error. */
      if (errno == ENOENT && last) {
        strcpy(done, next);
        break;
      }
      return -errno;
    }
    if (S_ISLNK(st.st_mode)) {
      if (++hops > 40) return -ELOOP;
      struct stat dir;
      if (stat(done, &dir) < 0) return -errno;
      if (hb_sys_link_refused((uint32_t)dir.st_mode, (uint32_t)dir.st_uid, (uint32_t)st.st_uid,
                              caller)) {
        int n = snprintf(buf, cap, "%s", next);
        if (n < 0 || (size_t)n >= cap) return -ENAMETOOLONG;
        return -HB_SYS_REFUSED_LINK;
      }
      char target[PATH_MAX];
      ssize_t n = readlink(next, target, sizeof target - 1);
      if (n < 0) return -errno;
      target[n] = '\0';
      /* The link's text replaces its name in what is left to walk. */
      char joined[PATH_MAX];
      w = snprintf(joined, sizeof joined, "%s%s", target, rest + at);
      if (w < 0 || (size_t)w >= sizeof joined) return -ENAMETOOLONG;
      strcpy(rest, joined);
      at = 0;
      if (target[0] == '/') strcpy(done, "/");
      continue;
    }
    if (!last && !S_ISDIR(st.st_mode)) return -ENOTDIR;
    strcpy(done, next);
  }
  int len = snprintf(buf, cap, "%s", done);
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

/* Named files to remove if a signal ends the process: named temporaries and lock files. A
 * slot is 0 (free), 1 (being written) or 2 (holds a path); claimed with an atomic exchange
 * so concurrent runs (tests drive the CLI in parallel in one process) never share one. */
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

static void forget(const char *temp) {
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

/* ".<base>.<16 hex>.tmp" beside `path`: the one name the sweep recognises as this tool's. */
static int temp_name(const char *path, char *buf, size_t cap) {
  char dir[PATH_MAX];
  const char *base;
  int r = split(path, dir, sizeof dir, &base);
  if (r < 0) return r;
  int len = snprintf(buf, cap, "%s/.%s.%016llx.tmp", dir, base,
                     (unsigned long long)random_word());
  return len < 0 || (size_t)len >= cap ? -ENAMETOOLONG : 0;
}

static int named_temps_forced(void) {
  const char *v = getenv("HEBBIAN_NO_TMPFILE");
  return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

int hb_sys_temp_open(const char *path, char *buf, size_t cap) {
  char dir[PATH_MAX];
  const char *base;
  int r = split(path, dir, sizeof dir, &base);
  if (r < 0) return r;
  if (cap < 1) return -ENAMETOOLONG;
  buf[0] = '\0';
  install_handlers();
  if (!named_temps_forced()) {
    int fd = open(dir, O_WRONLY | O_TMPFILE | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    /* EOPNOTSUPP (the file system has no O_TMPFILE), EISDIR or EINVAL (a kernel before
     * 3.11): named temporaries. Any other failure the named open reports again. */
  }
  for (int attempt = 0; attempt < 100; attempt++) {
    r = temp_name(path, buf, cap);
    if (r < 0) return r;
    /* Remembered before it exists: a signal between the open and the bookkeeping would
     * otherwise leave the file behind. (Should the name be taken, the slot is released at
     * once; a 64-bit random name makes that a never-case.) */
    int slot = remember(buf);
    int fd = open(buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    int e = errno;
    release_slot(slot);
    if (e != EEXIST && e != EINTR) {
      buf[0] = '\0';
      return -e;
    }
  }
  buf[0] = '\0';
  return -EEXIST;
}

/* Gives an anonymous temporary a name beside `path` (rename(2) cannot take a descriptor, and
 * linkat(2) does not replace). AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc/self/fd works
 * for everyone where /proc is mounted. */
static int link_anonymous(int fd, const char *path, char *name, size_t cap) {
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  for (int attempt = 0; attempt < 100; attempt++) {
    int r = temp_name(path, name, cap);
    if (r < 0) return r;
    int slot = remember(name);
    if (linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH) == 0) return 0;
    int e = errno;
    if (e != EEXIST) {
      if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) return 0;
      e = errno;
    }
    release_slot(slot);
    if (e != EEXIST) return -e;
  }
  return -EEXIST;
}

/* The mode and owner the file at `path` has (a new file: what open(2) would have given it). */
static void take_attributes(int fd, const char *path) {
  struct stat old, own;
  mode_t mode = 0666 & ~process_umask;
  if (stat(path, &old) == 0 && S_ISREG(old.st_mode) && fstat(fd, &own) == 0) {
    mode = old.st_mode & 07777;
    /* Owner first: chown clears the set-id bits. Only root (or the owner, for a group it
     * belongs to) may; otherwise the file stays the caller's and loses set-id bits that
     * would now name the caller. */
    if (own.st_uid != old.st_uid || own.st_gid != old.st_gid) {
      if (fchown(fd, old.st_uid, old.st_gid) < 0) {
        (void)fchown(fd, (uid_t)-1, old.st_gid);
        if (fstat(fd, &own) == 0 && own.st_uid != old.st_uid) mode &= ~(mode_t)S_ISUID;
        if (fstat(fd, &own) == 0 && own.st_gid != old.st_gid) mode &= ~(mode_t)S_ISGID;
      }
    }
  }
  (void)fchmod(fd, mode);
}

int hb_sys_temp_commit(int fd, const char *name, const char *path, hb_sys_file_info *written) {
  memset(written, 0, sizeof *written);
  char linked[PATH_MAX];
  snprintf(linked, sizeof linked, "%s", name);
  take_attributes(fd, path);
  int r = fsync(fd) < 0 ? -errno : 0;
  if (r == 0) r = hb_sys_fstat(fd, written);
  if (r == 0 && linked[0] == '\0') r = link_anonymous(fd, path, linked, sizeof linked);
  if (r == 0 && rename(linked, path) < 0) r = -errno;
  if (r < 0 && linked[0] != '\0') unlink(linked);
  if (linked[0] != '\0') forget(linked);
  close(fd);
  if (r < 0) return r;
  (void)hb_sys_fsync_parent_dir(path);
  return 0;
}

void hb_sys_temp_discard(int fd, const char *name) {
  close(fd);
  if (name[0] != '\0') {
    unlink(name);
    forget(name);
  }
}

/* Named temporaries of `path` left by a run that was killed with SIGKILL (which no handler
 * sees): ".<base>.<16 hex>.tmp" beside it, regular files. Called only by the holder of the
 * path's lock: a live run writing `path` would hold it, so every such file is a dead run's. */
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
    struct stat st;
    if (w > 0 && (size_t)w < sizeof full && lstat(full, &st) == 0 && S_ISREG(st.st_mode))
      unlinkat(AT_FDCWD, full, 0);
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
    struct stat held, now;
    /* A lock file is empty: anything else is someone's file that happens to have the name,
     * which the holder would remove at the end. */
    if (fstat(fd, &held) < 0 || !S_ISREG(held.st_mode) || held.st_size != 0) {
      close(fd);
      return -EEXIST;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
      int e = errno;
      close(fd);
      return e == EWOULDBLOCK ? -EWOULDBLOCK : -e;
    }
    /* The previous holder removes the file before releasing it: a lock on a file that is no
     * longer at `lock` guards nothing, so take the new one. */
    if (stat(lock, &now) == 0 && held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
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
    forget(lock);
  }
  close(fd);
}
