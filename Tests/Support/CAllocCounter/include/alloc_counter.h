/* Counts heap allocations made by the calling thread (test support only). The test target
 * links this object, whose malloc family interposes glibc's for the whole test process and
 * forwards to __libc_malloc & co.; only the thread between start and stop is counted, so
 * tests running in parallel on other threads do not disturb the count. */
#ifndef HB_ALLOC_COUNTER_H
#define HB_ALLOC_COUNTER_H
#include <stdint.h>

void hb_alloc_counter_start(void);
/* Allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) since start. */
int64_t hb_alloc_counter_stop(void);
/* 1 when the interposer is linked and active in this process (a malloc since load was seen). */
int hb_alloc_counter_active(void);

#endif
