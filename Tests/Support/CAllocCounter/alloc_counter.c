#define _GNU_SOURCE
#include "alloc_counter.h"

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HB_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HB_UNDER_ASAN 1
#endif

static __thread int counting;
static __thread int64_t count;
static int seen;

static inline void note(void) {
  seen = 1;
  if (counting) count++;
}

#ifdef HB_UNDER_ASAN
/* AddressSanitizer owns malloc; interposing it would bypass ASan's allocator. Its allocation
 * hooks see every malloc/calloc/realloc/memalign instead. */
#include <sanitizer/allocator_interface.h>

static void on_alloc(const volatile void *p, size_t n) {
  (void)p;
  (void)n;
  note();
}
static void on_free(const volatile void *p) { (void)p; }

__attribute__((constructor)) static void install_hooks(void) {
  __sanitizer_install_malloc_and_free_hooks(on_alloc, on_free);
}
#else
/* glibc's own entry points: forwarding to them needs no dlsym (which itself allocates). */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

void *malloc(size_t n) { note(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { note(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { note(); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t align, size_t n) { note(); return __libc_memalign(align, n); }
void *aligned_alloc(size_t align, size_t n) { note(); return __libc_memalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) {
  note();
  if (align < sizeof(void *) || (align & (align - 1)) != 0) return 22; /* EINVAL */
  void *p = __libc_memalign(align, n);
  if (!p) return 12; /* ENOMEM */
  *out = p;
  return 0;
}
#endif

void hb_alloc_counter_start(void) {
  count = 0;
  counting = 1;
}

int64_t hb_alloc_counter_stop(void) {
  counting = 0;
  return count;
}

int hb_alloc_counter_active(void) { return seen; }
