/* sf_side.c - the per-thread side stack and the foreign-allocation tracker.
 *
 * The side stack is the one piece of thread-local state in the runtime: it
 * must be per thread because Go runs goroutines on several threads and the
 * `thread` built-in runs ops on a fresh one.  The tracker uses linear probing
 * with backward-shift deletion, so it needs no tombstones and stays O(1).
 */
#include "sf_side.h"

#include <stdatomic.h>
#include <string.h>

#include "sf_alloc.h"

typedef struct sf__side_stack {
    uint8_t side[SF_SIDE_DEPTH];
    uint32_t depth; /* may exceed SF_SIDE_DEPTH; tops beyond it read as the last stored */
    sf_side_tls tls;
} sf__side_stack;

/* Thread-local by necessity (see the file comment); zero = empty stack. */
static _Thread_local sf__side_stack sf__stack;

void sf_side_push(sf_side s)
{
    if (sf__stack.depth < SF_SIDE_DEPTH)
        sf__stack.side[sf__stack.depth] = (uint8_t)s;
    sf__stack.depth++;
}

void sf_side_pop(void)
{
    if (sf__stack.depth > 0)
        sf__stack.depth--;
}

sf_side sf_side_current(void)
{
    uint32_t d = sf__stack.depth;
    if (d == 0)
        return SF_SIDE_C;
    if (d > SF_SIDE_DEPTH)
        d = SF_SIDE_DEPTH;
    return (sf_side)sf__stack.side[d - 1];
}

uint32_t sf_side_depth(void)
{
    return sf__stack.depth;
}

int sf_side_on_stack(sf_side s)
{
    uint32_t d = sf__stack.depth < SF_SIDE_DEPTH ? sf__stack.depth : SF_SIDE_DEPTH;
    for (uint32_t i = 0; i < d; i++)
        if (sf__stack.side[i] == (uint8_t)s)
            return 1;
    return 0;
}

sf_side_tls *sf_side_tls_get(void)
{
    return &sf__stack.tls;
}

/* Cells store pointers bit-inverted: a plain copy would make every tracked
 * block reachable to LeakSanitizer and hide the very leaks we look for. */
#define SF__HIDE(p) (~(uintptr_t)(p))

struct sf_side_tracker {
    atomic_flag lock;
    uint32_t mask;
    uint32_t count;
    uint64_t dropped;
    sf_side_block *cells;
    /* Optional insertion log (sf_side_tracker_keep_log): the hidden
     * pointers inserted since the last clear, so that listing a sparse set
     * reads a few cells, not all of them. */
    uintptr_t *log;
    uint32_t n_log, log_cap;
    int log_lost; /* more inserts than the log holds: list scans the cells */
};

sf_side_tracker *sf_side_tracker_new(uint32_t cap)
{
    uint32_t n = 16;
    while (n < cap && n < (1u << 28))
        n <<= 1;
    sf_side_tracker *t = sf_calloc(sizeof *t);
    if (!t)
        return NULL;
    t->cells = sf_calloc(sizeof(sf_side_block) * n);
    if (!t->cells) {
        sf_free(t);
        return NULL;
    }
    atomic_flag_clear(&t->lock);
    t->mask = n - 1;
    return t;
}

int sf_side_tracker_keep_log(sf_side_tracker *t, uint32_t n)
{
    t->log = sf_calloc(sizeof(uintptr_t) * (n ? n : 1));
    if (!t->log)
        return -1;
    t->log_cap = n;
    return 0;
}

void sf_side_tracker_free(sf_side_tracker *t)
{
    if (!t)
        return;
    sf_free(t->log);
    sf_free(t->cells);
    sf_free(t);
}

static void sf__lock(sf_side_tracker *t)
{
    while (atomic_flag_test_and_set_explicit(&t->lock, memory_order_acquire))
        ;
}

static void sf__unlock(sf_side_tracker *t)
{
    atomic_flag_clear_explicit(&t->lock, memory_order_release);
}

/* p is a hidden (inverted) pointer. */
static uint32_t sf__bucket(const sf_side_tracker *t, uintptr_t p)
{
    uint64_t x = (uint64_t)p * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(x >> 32) & t->mask;
}

void sf_side_track_alloc(sf_side_tracker *t, const void *ptr, size_t size, sf_side side, int32_t op)
{
    if (!ptr)
        return;
    uintptr_t p = SF__HIDE(ptr);
    sf__lock(t);
    if (t->count >= (t->mask + 1) / 4 * 3) {
        t->dropped++;
        sf__unlock(t);
        return;
    }
    uint32_t b = sf__bucket(t, p);
    while (t->cells[b].ptr && t->cells[b].ptr != p)
        b = (b + 1) & t->mask;
    if (!t->cells[b].ptr) {
        t->count++;
        if (t->n_log < t->log_cap)
            t->log[t->n_log++] = p;
        else
            t->log_lost = 1;
    }
    t->cells[b].ptr = p;
    t->cells[b].size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
    t->cells[b].side = (uint8_t)side;
    t->cells[b].op = op;
    sf__unlock(t);
}

int sf_side_track_free(sf_side_tracker *t, const void *ptr, sf_side_block *out)
{
    if (!ptr || t->count == 0) /* racy read: a miss only skips one check */
        return 0;
    uintptr_t p = SF__HIDE(ptr);
    sf__lock(t);
    uint32_t b = sf__bucket(t, p);
    while (t->cells[b].ptr && t->cells[b].ptr != p)
        b = (b + 1) & t->mask;
    if (!t->cells[b].ptr) {
        sf__unlock(t);
        return 0;
    }
    if (out) {
        *out = t->cells[b];
        out->ptr = SF__HIDE(out->ptr);
    }
    /* Backward-shift deletion: move later cells of the run into the hole
     * when their home bucket allows it. */
    uint32_t hole = b, i = b;
    for (;;) {
        i = (i + 1) & t->mask;
        if (!t->cells[i].ptr)
            break;
        uint32_t home = sf__bucket(t, t->cells[i].ptr);
        if (((i - home) & t->mask) >= ((i - hole) & t->mask)) {
            t->cells[hole] = t->cells[i];
            hole = i;
        }
    }
    memset(&t->cells[hole], 0, sizeof t->cells[hole]);
    t->count--;
    sf__unlock(t);
    return 1;
}

void sf_side_tracker_clear(sf_side_tracker *t)
{
    sf__lock(t);
    if (t->count) {
        memset(t->cells, 0, sizeof(sf_side_block) * ((size_t)t->mask + 1));
        t->count = 0;
    }
    t->n_log = 0;
    t->log_lost = 0;
    sf__unlock(t);
}

int sf_side_tracker_get(sf_side_tracker *t, uintptr_t ptr, sf_side_block *out)
{
    if (!ptr || t->count == 0)
        return 0;
    uintptr_t p = SF__HIDE(ptr);
    int found = 0;
    sf__lock(t);
    uint32_t b = sf__bucket(t, p);
    while (t->cells[b].ptr && t->cells[b].ptr != p)
        b = (b + 1) & t->mask;
    if (t->cells[b].ptr) {
        *out = t->cells[b];
        out->ptr = ptr;
        found = 1;
    }
    sf__unlock(t);
    return found;
}

uint32_t sf_side_tracker_list(sf_side_tracker *t, sf_side_block *out, uint32_t max)
{
    uint32_t n = 0;
    sf__lock(t);
    if (t->log && !t->log_lost) {
        /* Each logged pointer once, if it is still in the set. */
        for (uint32_t k = 0; k < t->n_log && n < max && n < t->count; k++) {
            uintptr_t p = t->log[k];
            uint32_t b = sf__bucket(t, p);
            while (t->cells[b].ptr && t->cells[b].ptr != p)
                b = (b + 1) & t->mask;
            int dup = !t->cells[b].ptr;
            for (uint32_t j = 0; j < n && !dup; j++)
                dup = out[j].ptr == SF__HIDE(p);
            if (dup)
                continue;
            out[n] = t->cells[b];
            out[n].ptr = SF__HIDE(p);
            n++;
        }
        sf__unlock(t);
        return n;
    }
    for (uint32_t i = 0; i <= t->mask && n < max && n < t->count; i++)
        if (t->cells[i].ptr) {
            out[n] = t->cells[i];
            out[n].ptr = SF__HIDE(out[n].ptr);
            n++;
        }
    sf__unlock(t);
    return n;
}

uint32_t sf_side_tracker_count(const sf_side_tracker *t)
{
    return t->count;
}

uint64_t sf_side_tracker_dropped(const sf_side_tracker *t)
{
    return t->dropped;
}
