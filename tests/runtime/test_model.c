/* test_model.c - unit tests of the shadow model: state transitions, the
 * value index (shadowing, handle families), holders, reset, growth. */
#include "sf_test.h"

#include "sf_model.h"

/* Two pointer types (one a subtype), two handle families. */
static const sf_res_desc res[] = {
    {"Buf", SF_R_PTR, SF_SIDE_RUST, -1, -1, -1, 0, 8, 0, -1, SF_CLOSE_PLAIN, 0},
    {"SubBuf", SF_R_PTR, SF_SIDE_RUST, -1, 0, -1, 0, 8, 0, -1, SF_CLOSE_PLAIN, 0},
    {"H", SF_R_HANDLE, SF_SIDE_RUST, -1, -1, -1, 0, 0, 0, -1, SF_CLOSE_PLAIN, 0},
    {"G", SF_R_HANDLE, SF_SIDE_GO, -1, -1, -1, 0, 0, 0, -1, SF_CLOSE_PLAIN, 0},
};
static const sf_spec spec = {SF_DESC_VERSION, "m", 0, 4, res, 0, NULL, 0, NULL, -1, 0, 0, NULL};

static sf_model *m;

/* Each test gets a model of its own, so it runs alone and in any order. */
static void before(void)
{
    m = sf_model_new(&spec);
    SF_ASSERT_NOT_NULL(m);
}

static void after(void)
{
    /* Every test leaves the model empty once reset. */
    sf_model_reset(m);
    SF_ASSERT_EQ_UINT(sf_model_count(m), 0);
    SF_ASSERT_EQ_UINT(sf_model_live(m), 0);
    SF_ASSERT_EQ_INT(sf_model_find(m, 0, 0x1000), -1);
    sf_model_free(m);
    m = NULL;
}

SF_TEST_FIXTURE(before, after)

SF_TEST(add_find_get)
{
    int32_t a = sf_model_add(m, 0, 0x1000, SF_SIDE_C, 0, 0, 3, 0);
    SF_ASSERT_EQ_INT(a, 0);
    SF_ASSERT_EQ_INT(sf_model_find(m, 0, 0x1000), a);
    SF_ASSERT_EQ_INT(sf_model_find(m, 1, 0x1000), a);  /* any pointer type */
    SF_ASSERT_EQ_INT(sf_model_find(m, 2, 0x1000), -1); /* not a handle */
    const sf_mres *r = sf_model_get(m, a);
    SF_ASSERT_EQ_INT(r->state, SF_RS_LIVE);
    SF_ASSERT_EQ_INT(r->owner, SF_SIDE_RUST);
    SF_ASSERT_EQ_INT(r->held_by, SF_SIDE_C);
    SF_ASSERT_EQ_INT(r->creator_op, 0);
    SF_ASSERT_EQ_UINT(r->n_touch, 1);
    SF_ASSERT_EQ_INT(r->creator_func, 3);
    sf_mhist h[SF_MODEL_HIST];
    SF_ASSERT_EQ_INT(sf_model_history(m, a, h, SF_MODEL_HIST), 1);
    SF_ASSERT_EQ_INT(h[0].event, SF_EV_CREATE);
    SF_ASSERT_EQ_INT(h[0].func, 3);
    SF_ASSERT_EQ_UINT(sf_model_live(m), 1);
    SF_ASSERT_NULL(sf_model_get(m, 1));
    SF_ASSERT_NULL(sf_model_get(m, -1));
}

SF_TEST(handle_families_do_not_collide)
{
    int32_t h = sf_model_add(m, 2, 7, SF_SIDE_C, 0, 0, 0, 0);
    int32_t g = sf_model_add(m, 3, 7, SF_SIDE_C, 1, 1, 0, 0);
    SF_ASSERT_EQ_INT(sf_model_find(m, 2, 7), h);
    SF_ASSERT_EQ_INT(sf_model_find(m, 3, 7), g);
    SF_ASSERT_EQ_INT(sf_model_find(m, 0, 7), -1);
}

SF_TEST(transitions_live_borrowed_transferred_freed)
{
    int32_t a = sf_model_add(m, 0, 0x2000, SF_SIDE_C, 0, 0, 0, 0);
    sf_model_set_state(m, a, SF_RS_BORROWED, -1);
    SF_ASSERT_EQ_UINT(sf_model_live(m), 1);
    sf_model_set_state(m, a, SF_RS_LIVE, -1);
    sf_model_set_state(m, a, SF_RS_TRANSFERRED, SF_SIDE_GO);
    SF_ASSERT_EQ_INT(sf_model_get(m, a)->held_by, SF_SIDE_GO);
    SF_ASSERT_EQ_UINT(sf_model_live(m), 1);
    sf_model_set_state(m, a, SF_RS_FREED, -1);
    SF_ASSERT_EQ_UINT(sf_model_live(m), 0);
    sf_model_set_state(m, a, SF_RS_FREED, -1); /* idempotent */
    SF_ASSERT_EQ_UINT(sf_model_live(m), 0);
    /* A freed record stays findable: a later use is a use after free. */
    SF_ASSERT_EQ_INT(sf_model_find(m, 0, 0x2000), a);
}

SF_TEST(reused_value_shadows_freed_record)
{
    int32_t a = sf_model_add(m, 0, 0x3000, SF_SIDE_C, 0, 0, 0, 0);
    sf_model_set_state(m, a, SF_RS_FREED, -1);
    int32_t b = sf_model_add(m, 1, 0x3000, SF_SIDE_C, 1, 5, 0, 0);
    SF_ASSERT_NE_INT(a, b);
    SF_ASSERT_EQ_INT(sf_model_find(m, 0, 0x3000), b);
    SF_ASSERT_EQ_INT(sf_model_get(m, a)->state, SF_RS_FREED);
}

SF_TEST(history_keeps_the_newest_entries_oldest_first)
{
    int32_t a = sf_model_add(m, 0, 0x4000, SF_SIDE_C, 0, 0, 0, 0);
    for (int i = 1; i <= 20; i++)
        sf_model_touch(m, a, i, 1, 0, SF_EV_BORROW);
    const sf_mres *r = sf_model_get(m, a);
    SF_ASSERT_EQ_UINT(r->n_touch, 21);
    sf_mhist h[SF_MODEL_HIST];
    SF_ASSERT_EQ_INT(sf_model_history(m, a, h, SF_MODEL_HIST), SF_MODEL_HIST);
    SF_ASSERT_EQ_INT(h[0].op, 13);
    SF_ASSERT_EQ_INT(h[SF_MODEL_HIST - 1].op, 20);
}

SF_TEST(histories_of_interleaved_resources_stay_apart)
{
    int32_t a = sf_model_add(m, 0, 0x4100, SF_SIDE_C, 0, 0, 0, 0);
    int32_t b = sf_model_add(m, 0, 0x4200, SF_SIDE_C, 1, 1, 0, 0);
    for (int i = 2; i < 8; i++)
        sf_model_touch(m, i % 2 ? b : a, i, 1, 0, SF_EV_BORROW);
    sf_mhist h[SF_MODEL_HIST];
    SF_ASSERT_EQ_INT(sf_model_history(m, a, h, SF_MODEL_HIST), 4); /* create, 2, 4, 6 */
    SF_ASSERT_EQ_INT(h[0].op, 0);
    SF_ASSERT_EQ_INT(h[3].op, 6);
    SF_ASSERT_EQ_INT(sf_model_history(m, b, h, SF_MODEL_HIST), 4); /* create, 3, 5, 7 */
    SF_ASSERT_EQ_INT(h[3].op, 7);
}

SF_TEST(history_overwritten_in_the_log_is_reported_gone_not_wrong)
{
    int32_t a = sf_model_add(m, 0, 0x4300, SF_SIDE_C, 0, 0, 0, 0);
    int32_t b = sf_model_add(m, 0, 0x4400, SF_SIDE_C, 1, 1, 0, 0);
    /* Enough events on b to wrap the shared log past a's only event. */
    for (uint32_t i = 0; i < SF_MODEL_LOG_CAP + 5; i++)
        sf_model_touch(m, b, 2, 1, 0, SF_EV_BORROW);
    sf_mhist h[SF_MODEL_HIST];
    SF_ASSERT_EQ_INT(sf_model_history(m, a, h, SF_MODEL_HIST), 0);
    SF_ASSERT_EQ_UINT(sf_model_get(m, a)->n_touch, 1);
    SF_ASSERT_EQ_INT(sf_model_history(m, b, h, SF_MODEL_HIST), SF_MODEL_HIST);
}

SF_TEST(holder_frees_what_it_holds_transitively)
{
    int32_t buf = sf_model_add(m, 0, 0x5000, SF_SIDE_C, 0, 0, 0, 0);
    int32_t h = sf_model_add(m, 3, 1, SF_SIDE_C, 1, 1, 0, 0);
    int32_t outer = sf_model_add(m, 3, 2, SF_SIDE_C, 2, 2, 0, 0);
    sf_model_set_state(m, buf, SF_RS_TRANSFERRED, SF_SIDE_GO);
    sf_model_hold(m, buf, h);
    sf_model_set_state(m, h, SF_RS_TRANSFERRED, SF_SIDE_GO);
    sf_model_hold(m, h, outer);
    sf_model_set_state(m, outer, SF_RS_FREED, -1);
    sf_model_free_held(m, outer, 3, 0, 0, SF_EV_FREE);
    SF_ASSERT_EQ_INT(sf_model_get(m, h)->state, SF_RS_FREED);
    SF_ASSERT_EQ_INT(sf_model_get(m, buf)->state, SF_RS_FREED);
    SF_ASSERT_EQ_UINT(sf_model_live(m), 0);
}

SF_TEST(growth_keeps_every_record_findable)
{
    for (uint32_t i = 0; i < 20000; i++)
        SF_ASSERT_EQ_INT(sf_model_add(m, 0, 0x10000 + 16ull * i, SF_SIDE_C, (int32_t)i, 0, 0, 0),
                         (int)i);
    for (uint32_t i = 0; i < 20000; i += 7)
        SF_ASSERT_EQ_INT(sf_model_find(m, 0, 0x10000 + 16ull * i), (int)i);
    SF_ASSERT_EQ_UINT(sf_model_live(m), 20000);
}

SF_TEST(growth_keeps_holds_histories_and_line_alignment)
{
    int32_t buf = sf_model_add(m, 0, 0x6000, SF_SIDE_C, 0, 0, 0, 0);
    int32_t h = sf_model_add(m, 3, 7, SF_SIDE_C, 1, 1, 0, 0);
    sf_model_set_state(m, buf, SF_RS_TRANSFERRED, SF_SIDE_GO);
    sf_model_hold(m, buf, h);
    sf_model_touch(m, buf, 2, 1, 0, SF_EV_TRANSFER);
    /* Records must never straddle a cache line: 32 bytes, 64-aligned. */
    SF_ASSERT_EQ_UINT((uintptr_t)sf_model_get(m, 0) % 64, 0);
    for (uint32_t i = 0; i < 2000; i++) /* several doublings, fewer events than the log keeps */
        sf_model_add(m, 0, 0x100000 + 16ull * i, SF_SIDE_C, -1, 3, 0, 0);
    SF_ASSERT_EQ_UINT((uintptr_t)sf_model_get(m, 0) % 64, 0);
    const sf_mres *r = sf_model_get(m, buf);
    SF_ASSERT_EQ_INT(r->state, SF_RS_TRANSFERRED);
    SF_ASSERT_EQ_INT(r->held_by, SF_SIDE_GO);
    sf_mhist hist[SF_MODEL_HIST];
    SF_ASSERT_EQ_INT(sf_model_history(m, buf, hist, SF_MODEL_HIST), 2);
    SF_ASSERT_EQ_INT(hist[1].event, SF_EV_TRANSFER);
    /* A resource that holds nothing frees nothing else. */
    int32_t lone = sf_model_find(m, 0, 0x100000);
    sf_model_set_state(m, lone, SF_RS_FREED, -1);
    sf_model_free_held(m, lone, 4, 0, 0, SF_EV_FREE);
    SF_ASSERT_EQ_INT(sf_model_get(m, buf)->state, SF_RS_TRANSFERRED);
    sf_model_set_state(m, h, SF_RS_FREED, -1);
    sf_model_free_held(m, h, 4, 0, 0, SF_EV_FREE);
    SF_ASSERT_EQ_INT(sf_model_get(m, buf)->state, SF_RS_FREED);
    SF_ASSERT_EQ_INT(sf_model_history(m, buf, hist, SF_MODEL_HIST), 3);
    SF_ASSERT_EQ_INT(hist[2].event, SF_EV_FREE);
}

SF_TEST(reset_clears_only_used_entries_and_reuses_memory)
{
    for (int round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < 100; i++)
            sf_model_add(m, 2, i + 1, SF_SIDE_C, 0, 0, 0, 0);
        SF_ASSERT_EQ_INT(sf_model_find(m, 2, 50), 49);
        sf_model_reset(m);
        SF_ASSERT_EQ_INT(sf_model_find(m, 2, 50), -1);
    }
}

SF_TEST(names)
{
    SF_ASSERT_EQ_STR(sf_rstate_name(SF_RS_TRANSFERRED), "transferred");
    SF_ASSERT_EQ_STR(sf_revent_name(SF_EV_CONSUME), "consumed");
    SF_ASSERT_EQ_STR(sf_rstate_name(9), "?");
}

SF_TEST(free_is_null_safe)
{
    sf_model_free(NULL);
}

SF_TEST_MAIN()
