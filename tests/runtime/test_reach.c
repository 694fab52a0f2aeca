/* test_reach.c - the reachability proofs of the per-input leak check
 * (sf_reach.h): blocks reached from a global, through a container found by
 * an interior pointer, and the address index after many carried blocks were
 * freed (the LeakSanitizer storm of issue 13: the index filled with dead
 * entries and every later container was left out of it).
 *
 * The roots are this binary's writable segments, so a block the test means
 * to hide from them is only ever held in a local; the globals below are the
 * roots it means to have. */
#include "sf_test.h"

#include <stdlib.h>

#include "sf_reach.h"
#include "sf_side.h"

/* The roots the proofs may use (volatile: the compiler would drop stores
 * to a static nothing reads). */
static volatile uintptr_t g_at_start; /* a block's start */
static volatile uintptr_t g_inside;   /* an address inside a container, not its start */

/* One input: block p (size n) is the only one the input left behind. */
static int prove_one(sf_reach *r, void *p, size_t n)
{
    sf_side_tracker *born = sf_side_tracker_new(64);
    sf_side_track_alloc(born, p, n, SF_SIDE_RUST, 0);
    int ok = sf_reach_prove(r, born, NULL, 0, NULL);
    sf_side_tracker_free(born);
    return ok;
}

/* Frees p as the allocator's free hook would tell the prover. */
static void free_carried(sf_reach *r, void *p)
{
    sf_reach_forget(r, p);
    free(p);
}

SF_TEST(block_held_by_a_global_is_proven)
{
    sf_reach *r = sf_reach_new();
    void *p = calloc(1, 32);
    g_at_start = (uintptr_t)p;
    SF_ASSERT(prove_one(r, p, 32));
    g_at_start = 0;
    void *q = calloc(1, 32);
    SF_ASSERT(!prove_one(r, q, 32)); /* nothing points at it */
    free_carried(r, p);
    free_carried(r, q);
    sf_reach_free(r);
}

/* A container made by an earlier input, reached only through a pointer into
 * its middle (as hashbrown's table is, through its control bytes), holds the
 * new block. */
static int container_proof(sf_reach *r)
{
    uintptr_t *table = calloc(32, sizeof(uintptr_t));
    g_at_start = (uintptr_t)table;
    int ok = prove_one(r, table, 32 * sizeof(uintptr_t));
    g_at_start = 0;
    g_inside = (uintptr_t)&table[16];
    void *entry = calloc(1, 16);
    table[3] = (uintptr_t)entry;
    ok = ok && prove_one(r, entry, 16);
    g_inside = 0;
    table[3] = 0;
    free_carried(r, entry);
    free_carried(r, table);
    return ok;
}

SF_TEST(container_found_by_an_interior_pointer)
{
    sf_reach *r = sf_reach_new();
    SF_ASSERT(container_proof(r));
    sf_reach_free(r);
}

SF_TEST(container_found_after_many_carried_blocks_were_freed)
{
    sf_reach *r = sf_reach_new();
    /* 10,000 inputs, each leaving one block behind (held by a global) that
     * the next one frees: far more than the index holds. */
    void *prev = NULL;
    for (int i = 0; i < 10000; i++) {
        void *b = malloc(24);
        g_at_start = (uintptr_t)b;
        SF_ASSERT(prove_one(r, b, 24));
        if (prev)
            free_carried(r, prev);
        prev = b;
    }
    g_at_start = 0;
    free_carried(r, prev);
    SF_ASSERT(container_proof(r));
    SF_ASSERT(sf_reach_stats_get(r).compacted > 0);
    sf_reach_free(r);
}

SF_TEST_MAIN()
