/* sf_side.h - which side (C, Rust, Go) is running on this thread, and which
 * side allocated a heap block.
 *
 * The side stack is thread-local: the executor pushes the callee's side
 * around every boundary call and the linker-wrap shims push around every
 * cross-archive call, so a sanitizer malloc/free hook can attribute a block to
 * the side that is running.  The tracker is a bounded hash set of live blocks
 * allocated while Rust or Go was running; it never allocates after creation
 * and is safe to call from allocator hooks (a spinlock, no libc calls).
 */
#ifndef SF_SIDE_H
#define SF_SIDE_H

#include <stddef.h>
#include <stdint.h>

#include "sf_desc.h"

#define SF_SIDE_DEPTH 64

/* Pushes s on this thread's side stack (deeper pushes are counted, not
 * stored, so a runaway recursion cannot overflow). */
void sf_side_push(sf_side s);
/* Pops the top of this thread's stack; an empty stack stays empty. */
void sf_side_pop(void);
/* The running side on this thread: the top of the stack, or SF_SIDE_C. */
sf_side sf_side_current(void);
/* Depth of this thread's stack. */
uint32_t sf_side_depth(void);
/* 1 if s is anywhere on this thread's stack. */
int sf_side_on_stack(sf_side s);

/* Per-thread allocation counters by the side running at allocation time,
 * and a reentrancy flag for allocator hooks.  Borrowed; valid for the
 * calling thread's lifetime. */
typedef struct sf_side_tls {
    uint64_t allocs[3];
    uint32_t in_hook;
    int32_t cb_depth; /* callbacks running on this thread (sf_cb_enter) */
    int32_t cb_type;  /* the innermost one's type */
    /* The thread's start routine has returned: what it frees now is the
     * clean-up of thread exit (every library's thread-local destructors,
     * e.g. Rust's thread_local! storage), which runs as no side. */
    uint32_t exiting;
    /* 1 + the function whose nested call on this thread failed under
     * `last(F)`, while F has not been called yet (0 = none), and the
     * input it failed in (sf__nested_last_error). */
    int32_t err_pending;
    uint64_t err_input;
} sf_side_tls;
sf_side_tls *sf_side_tls_get(void);

/* A live foreign block. */
typedef struct sf_side_block {
    uintptr_t ptr; /* the block (stored inverted inside the tracker; 0 = empty) */
    uint32_t size;
    uint8_t side;
    int32_t op; /* harness op running when it was allocated */
} sf_side_block;

typedef struct sf_side_tracker sf_side_tracker;

/* New tracker holding at most cap blocks (rounded up to a power of two);
 * caller frees with sf_side_tracker_free.  NULL on out of memory. */
sf_side_tracker *sf_side_tracker_new(uint32_t cap);
/* Frees t; NULL is a no-op. */
void sf_side_tracker_free(sf_side_tracker *t);
/* Records block ptr; when the set is 3/4 full the block is dropped (counted
 * in sf_side_tracker_dropped) rather than slowing every free. */
void sf_side_track_alloc(sf_side_tracker *t, const void *ptr, size_t size, sf_side side,
                         int32_t op);
/* Removes ptr; if it was tracked copies its record to *out (OUT) and returns
 * 1, else returns 0. */
int sf_side_track_free(sf_side_tracker *t, const void *ptr, sf_side_block *out);
/* Empties t (dropped stays).  Costs nothing when t is already empty, which
 * backward-shift deletion makes count == 0 mean; else one pass over the cells. */
void sf_side_tracker_clear(sf_side_tracker *t);
/* Makes t log the blocks inserted since the last clear (at most n; beyond,
 * listing reads every cell again), so that sf_side_tracker_list of a sparse
 * set costs its size, not the set's capacity.  Returns 0 or -1 (no memory). */
int sf_side_tracker_keep_log(sf_side_tracker *t, uint32_t n);
/* Looks ptr (a block's start) up: copies its record to *out (OUT) and
 * returns 1, or returns 0 when it is not tracked. */
int sf_side_tracker_get(sf_side_tracker *t, uintptr_t ptr, sf_side_block *out);
/* Copies up to max tracked blocks (pointers shown plainly) into out (OUT,
 * caller's memory); returns how many were copied. */
uint32_t sf_side_tracker_list(sf_side_tracker *t, sf_side_block *out, uint32_t max);
/* Blocks tracked now / dropped since creation. */
uint32_t sf_side_tracker_count(const sf_side_tracker *t);
uint64_t sf_side_tracker_dropped(const sf_side_tracker *t);

#endif /* SF_SIDE_H */
