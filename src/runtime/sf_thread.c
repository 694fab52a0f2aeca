/* sf_thread.c - the gate on thread starts (sf_thread.h).
 *
 * The state is process-wide on purpose, the runtime's second global next to
 * sf_alloc's fail-after counter: threads are created by the archives (the Go
 * runtime, Rust's std) and by libFuzzer, outside any runtime context, and the
 * wrapper runs before the first context exists (the Go archive starts its
 * runtime from a constructor).
 *
 * The wrapper and sf_thread_hold use the store-then-load pattern on two
 * sequentially consistent atomics: a creator adds itself to in_flight, then
 * reads the gate; the holder closes the gate, then reads in_flight.  At least
 * one of them sees the other, so no start slips past a closed gate unseen.
 */
#define _GNU_SOURCE /* pthread_atfork */
#include "sf_thread.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "sf_side.h"

/* With -Wl,--wrap=pthread_create the linker resolves this to the real
 * pthread_create (the sanitizer's interceptor); weak, so that a link without
 * the wrap (where nobody calls the wrapper) still succeeds. */
extern int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
                                 void *arg) __attribute__((weak));
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);

#define SF__BOXES        64         /* starts tracked at once; more are not tracked */
#define SF__HOLD_WAIT_NS 1000000000 /* sf_thread_hold gives up after this */

/* The start routine and argument of one thread in flight: static, so that
 * no allocation is made (and counted, and checked for leaks) on its behalf. */
typedef struct sf__box {
    void *(*fn)(void *);
    void *arg;
    atomic_int used;
} sf__box;

static sf__box sf__boxes[SF__BOXES];
static atomic_int sf__gate;      /* 1 while a check runs */
static atomic_int sf__in_flight; /* created, start routine not yet entered */
static atomic_uint_fast64_t sf__starts;

/* In a forked child only the forking thread exists: nothing is in flight
 * (AFL++'s fork server forks while the Go runtime may be starting one). */
static void sf__after_fork_child(void)
{
    for (int i = 0; i < SF__BOXES; i++)
        atomic_store(&sf__boxes[i].used, 0);
    atomic_store(&sf__in_flight, 0);
    atomic_store(&sf__gate, 0);
}

__attribute__((constructor)) static void sf__thread_init(void)
{
    pthread_atfork(NULL, NULL, sf__after_fork_child);
}

/* The start routine of every tracked thread: leaves the in-flight count
 * (the sanitizer's set-up of this thread is done by now), then runs the
 * thread's own start routine. */
static void *sf__trampoline(void *p)
{
    sf__box *b = p;
    void *(*fn)(void *) = b->fn;
    void *arg = b->arg;
    atomic_store(&b->used, 0);
    atomic_fetch_sub(&sf__in_flight, 1);
    void *r = fn(arg);
    sf_side_tls_get()->exiting = 1; /* thread-exit clean-up follows */
    return r;
}

/* Takes a free box, or returns NULL when all are in use. */
static sf__box *sf__box_take(void)
{
    for (int i = 0; i < SF__BOXES; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&sf__boxes[i].used, &expected, 1))
            return &sf__boxes[i];
    }
    return NULL;
}

/* Same contract as pthread_create; waits while the gate is closed. */
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    sf__box *b = sf__box_take();
    if (!b)
        return __real_pthread_create(t, attr, fn, arg);
    for (;;) {
        atomic_fetch_add(&sf__in_flight, 1);
        if (!atomic_load(&sf__gate))
            break;
        atomic_fetch_sub(&sf__in_flight, 1);
        while (atomic_load(&sf__gate))
            sched_yield();
    }
    b->fn = fn;
    b->arg = arg;
    atomic_fetch_add(&sf__starts, 1);
    int rc = __real_pthread_create(t, attr, sf__trampoline, b);
    if (rc != 0) {
        atomic_store(&b->used, 0);
        atomic_fetch_sub(&sf__in_flight, 1);
    }
    return rc;
}

static int64_t sf__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int sf_thread_hold(void)
{
    atomic_store(&sf__gate, 1);
    if (atomic_load(&sf__in_flight) == 0)
        return 0;
    int64_t t0 = sf__now_ns();
    while (atomic_load(&sf__in_flight) != 0) {
        if (sf__now_ns() - t0 > SF__HOLD_WAIT_NS)
            return -1;
        sched_yield();
    }
    return 0;
}

void sf_thread_release(void)
{
    atomic_store(&sf__gate, 0);
}

uint64_t sf_thread_starts(void)
{
    return (uint64_t)atomic_load(&sf__starts);
}
