/* test_side.c - the per-thread side stack and the foreign-allocation
 * tracker (insert, lookup, backward-shift deletion, bound). */
#include "sf_test.h"

#include <stdlib.h>

#include <pthread.h>

#include "sf_diag.h"
#include "sf_side.h"

SF_TEST(stack_push_pop)
{
    SF_ASSERT_EQ_INT(sf_side_current(), SF_SIDE_C);
    sf_side_push(SF_SIDE_GO);
    sf_side_push(SF_SIDE_RUST);
    SF_ASSERT_EQ_INT(sf_side_current(), SF_SIDE_RUST);
    SF_ASSERT(sf_side_on_stack(SF_SIDE_GO));
    SF_ASSERT_EQ_UINT(sf_side_depth(), 2);
    sf_side_pop();
    SF_ASSERT_EQ_INT(sf_side_current(), SF_SIDE_GO);
    sf_side_pop();
    sf_side_pop(); /* extra pops are harmless */
    SF_ASSERT_EQ_INT(sf_side_current(), SF_SIDE_C);
    SF_ASSERT_EQ_UINT(sf_side_depth(), 0);
}

SF_TEST(stack_overflow_is_counted_not_stored)
{
    for (int i = 0; i < SF_SIDE_DEPTH + 10; i++)
        sf_side_push(i % 2 ? SF_SIDE_RUST : SF_SIDE_GO);
    SF_ASSERT_EQ_UINT(sf_side_depth(), SF_SIDE_DEPTH + 10);
    for (int i = 0; i < SF_SIDE_DEPTH + 10; i++)
        sf_side_pop();
    SF_ASSERT_EQ_INT(sf_side_current(), SF_SIDE_C);
}

static void *other_thread(void *arg)
{
    (void)arg;
    return (void *)(uintptr_t)sf_side_current();
}

SF_TEST(stack_is_per_thread)
{
    sf_side_push(SF_SIDE_RUST);
    pthread_t t;
    void *res = NULL;
    SF_ASSERT_EQ_INT(pthread_create(&t, NULL, other_thread, NULL), 0);
    pthread_join(t, &res);
    SF_ASSERT_EQ_INT((int)(uintptr_t)res, SF_SIDE_C);
    sf_side_pop();
}

SF_TEST(tracker_insert_lookup_delete)
{
    sf_side_tracker *t = sf_side_tracker_new(64);
    SF_ASSERT_NOT_NULL(t);
    /* Colliding-ish pointers exercise probing and backward shifting. */
    for (uintptr_t i = 1; i <= 40; i++)
        sf_side_track_alloc(t, (void *)(i * 4096), i, SF_SIDE_RUST, (int32_t)i);
    SF_ASSERT_EQ_UINT(sf_side_tracker_count(t), 40);
    sf_side_block b;
    for (uintptr_t i = 1; i <= 40; i += 2) {
        SF_ASSERT_EQ_INT(sf_side_track_free(t, (void *)(i * 4096), &b), 1);
        SF_ASSERT_EQ_UINT(b.ptr, i * 4096);
        SF_ASSERT_EQ_UINT(b.size, i);
        SF_ASSERT_EQ_INT(b.op, (int)i);
    }
    for (uintptr_t i = 2; i <= 40; i += 2)
        SF_ASSERT_EQ_INT(sf_side_track_free(t, (void *)(i * 4096), &b), 1);
    SF_ASSERT_EQ_UINT(sf_side_tracker_count(t), 0);
    SF_ASSERT_EQ_INT(sf_side_track_free(t, (void *)4096, &b), 0);
    sf_side_tracker_free(t);
}

SF_TEST(tracker_is_bounded)
{
    sf_side_tracker *t = sf_side_tracker_new(16);
    for (uintptr_t i = 1; i <= 100; i++)
        sf_side_track_alloc(t, (void *)(i * 16), 1, SF_SIDE_GO, 0);
    SF_ASSERT_EQ_UINT(sf_side_tracker_count(t), 12);
    SF_ASSERT_EQ_UINT(sf_side_tracker_dropped(t), 88);
    sf_side_tracker_free(t);
    sf_side_tracker_free(NULL);
}

SF_TEST(tracker_clear_empties_it_and_keeps_dropped)
{
    sf_side_tracker *t = sf_side_tracker_new(16);
    for (uintptr_t i = 1; i <= 20; i++)
        sf_side_track_alloc(t, (void *)(i * 16), 1, SF_SIDE_C, 0);
    SF_ASSERT_EQ_UINT(sf_side_tracker_count(t), 12);
    sf_side_tracker_clear(t);
    SF_ASSERT_EQ_UINT(sf_side_tracker_count(t), 0);
    SF_ASSERT_EQ_UINT(sf_side_tracker_dropped(t), 8);
    sf_side_block b;
    SF_ASSERT_EQ_INT(sf_side_track_free(t, (void *)16, &b), 0);
    /* Every cell is empty again: a full set's worth fits. */
    for (uintptr_t i = 1; i <= 12; i++)
        sf_side_track_alloc(t, (void *)(i * 32), 1, SF_SIDE_C, 0);
    SF_ASSERT_EQ_UINT(sf_side_tracker_count(t), 12);
    SF_ASSERT_EQ_UINT(sf_side_tracker_dropped(t), 8);
    SF_ASSERT_EQ_INT(sf_side_track_free(t, (void *)(12 * 32), &b), 1);
    sf_side_tracker_clear(t);
    sf_side_tracker_clear(t); /* an empty set: nothing to do */
    SF_ASSERT_EQ_UINT(sf_side_tracker_count(t), 0);
    sf_side_tracker_free(t);
}

/* Sorts listed pointers so that a listing can be compared. */
static int cmp_block(const void *a, const void *b)
{
    uintptr_t x = ((const sf_side_block *)a)->ptr, y = ((const sf_side_block *)b)->ptr;
    return x < y ? -1 : x > y;
}

SF_TEST(tracker_list_with_and_without_a_log)
{
    for (int logged = 0; logged < 2; logged++) {
        sf_side_tracker *t = sf_side_tracker_new(64);
        if (logged)
            SF_ASSERT_EQ_INT(sf_side_tracker_keep_log(t, 4), 0);
        sf_side_block out[64], b;
        /* A block freed and made again at the same address is listed once. */
        for (uintptr_t i = 1; i <= 3; i++)
            sf_side_track_alloc(t, (void *)(i * 16), (size_t)i, SF_SIDE_RUST, 7);
        SF_ASSERT_EQ_INT(sf_side_track_free(t, (void *)32, &b), 1);
        sf_side_track_alloc(t, (void *)48, 9, SF_SIDE_GO, 8);
        uint32_t n = sf_side_tracker_list(t, out, 64);
        qsort(out, n, sizeof out[0], cmp_block);
        SF_ASSERT_EQ_UINT(n, 2);
        SF_ASSERT_EQ_UINT(out[0].ptr, 16);
        SF_ASSERT_EQ_UINT(out[0].size, 1);
        SF_ASSERT_EQ_UINT(out[1].ptr, 48);
        SF_ASSERT_EQ_UINT(out[1].size, 9);
        SF_ASSERT_EQ_INT(sf_side_tracker_get(t, 48, &b), 1);
        SF_ASSERT_EQ_INT(b.side, SF_SIDE_GO);
        SF_ASSERT_EQ_INT(sf_side_tracker_get(t, 32, &b), 0);
        /* More inserts than the log holds: listing still finds them all. */
        for (uintptr_t i = 10; i < 20; i++)
            sf_side_track_alloc(t, (void *)(i * 16), 1, SF_SIDE_C, 0);
        SF_ASSERT_EQ_UINT(sf_side_tracker_list(t, out, 64), 12);
        /* After a clear the log starts again. */
        sf_side_tracker_clear(t);
        sf_side_track_alloc(t, (void *)64, 1, SF_SIDE_C, 0);
        SF_ASSERT_EQ_UINT(sf_side_tracker_list(t, out, 64), 1);
        SF_ASSERT_EQ_UINT(out[0].ptr, 64);
        sf_side_tracker_free(t);
    }
}

SF_TEST(violation_table)
{
    SF_ASSERT_EQ_STR(sf_violation_meaning(101), "use of a freed resource");
    SF_ASSERT_EQ_STR(sf_violation_name(SF_V_WRONG_SIDE_FREE), "WRONG_SIDE_FREE");
    SF_ASSERT_EQ_STR(sf_violation_meaning(999), "unknown violation");
    SF_ASSERT_EQ_STR(sf_side_name(SF_SIDE_GO), "go");
}

SF_TEST_MAIN()
