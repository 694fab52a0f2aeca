/* test_edit.c - op-level edits (sf_edit.h): removing ops fixes up the
 * resources (cascade or rebind), inserting copies keeps what they make for
 * each other, shortening a buffer; every result is what the decoder makes. */
#include "sf_test.h"

#include "prog_util.h"
#include "sf_edit.h"

/* The text of p without its header; caller frees. */
static char *body(const sf_prog *p)
{
    char *t = print_prog(p);
    SF_ASSERT_EQ_INT(strncmp(t, TOY_HEADER, strlen(TOY_HEADER)), 0);
    memmove(t, t + strlen(TOY_HEADER), strlen(t) - strlen(TOY_HEADER) + 1);
    return t;
}

/* An edited program must be exactly what its own encoding decodes to. */
static void assert_canonical(const sf_prog *p)
{
    uint8_t *b = NULL;
    size_t n = encode(p, &b);
    sf_prog *q = decode(b, n);
    assert_same_prog(p, q);
    sf_prog_free(q);
    sf_free(b);
}

/* Keeps the ops of text marked '1' in mask; returns the result's text. */
static char *keep_text(const char *text, const char *mask, sf_edit_deps deps, uint8_t *kept)
{
    sf_prog *p = parse_lim(text, NULL);
    SF_ASSERT_EQ_INT((int)strlen(mask), (int)p->n_ops);
    uint8_t keep[64];
    for (uint32_t i = 0; i < p->n_ops; i++)
        keep[i] = mask[i] == '1';
    sf_prog *q = NULL;
    SF_ASSERT_EQ_INT(sf_edit_keep(p, keep, deps, &q, kept), 0);
    SF_ASSERT_NOT_NULL(q);
    assert_canonical(q);
    char *t = body(q);
    sf_prog_free(q);
    sf_prog_free(p);
    return t;
}

static const char *const three_bufs = "r0 = toy_buf_new(4)\n"
                                      "r1 = toy_buf_new(8)\n"
                                      "toy_buf_write(r1, \"ab\")\n"
                                      "r2 = toy_buf_new(2)\n"
                                      "toy_buf_len(r2)\n"
                                      "toy_buf_len(r0)\n";

/* One keep edit: the program, which ops to keep, what happens to the ops
 * that depend on the removed ones, and the text of the result. */
typedef struct keep_case {
    const char *why, *text, *mask;
    sf_edit_deps deps;
    const char *want;
} keep_case;

static const keep_case keep_cases[] = {
    {"keeping every op is the same program", three_bufs, "111111", SF_EDIT_CASCADE, three_bufs},
    {"r1's producer is gone, so is its write; r2 becomes r1", three_bufs, "101111", SF_EDIT_CASCADE,
     "r0 = toy_buf_new(4)\n"
     "r1 = toy_buf_new(2)\n"
     "toy_buf_len(r1)\n"
     "toy_buf_len(r0)\n"},
    {"rebind: the write takes the newest live buffer instead", three_bufs, "101111", SF_EDIT_REBIND,
     "r0 = toy_buf_new(4)\n"
     "toy_buf_write(r0, \"ab\")\n"
     "r1 = toy_buf_new(2)\n"
     "toy_buf_len(r1)\n"
     "toy_buf_len(r0)\n"},
    {"rebind: the last op's r0 is gone, it takes r2 (now r1)", three_bufs, "011111", SF_EDIT_REBIND,
     "r0 = toy_buf_new(8)\n"
     "toy_buf_write(r0, \"ab\")\n"
     "r1 = toy_buf_new(2)\n"
     "toy_buf_len(r1)\n"
     "toy_buf_len(r1)\n"},
    {"r1 is made from r0: removing r0's producer takes r1's users too",
     "r0 = toy_buf_new(4)\n"
     "r1 = toygo_adopt(r0)\n"
     "toygo_peek(r1, 0)\n"
     "toygo_release(r1)\n"
     "r2 = toy_buf_new(1)\n",
     "01111", SF_EDIT_CASCADE, "r0 = toy_buf_new(1)\n"},
    {"without the free, stale(r0) would name a live slot: the stale call goes too",
     "r0 = toy_table_insert(\"k\")\n"
     "toy_table_remove(r0)\n"
     "toy_table_get(stale(r0), out[4])\n"
     "r1 = toy_table_insert(\"j\")\n"
     "toy_table_get(r1, out[2])\n",
     "10111", SF_EDIT_CASCADE,
     "r0 = toy_table_insert(\"k\")\n"
     "r1 = toy_table_insert(\"j\")\n"
     "toy_table_get(r1, out[2])\n"},
};

SF_TEST(keep_removes_or_rebinds_what_depends_on_removed_ops)
{
    for (size_t i = 0; i < sizeof keep_cases / sizeof keep_cases[0]; i++) {
        const keep_case *k = &keep_cases[i];
        fprintf(stderr, "case: %s\n", k->why);
        char *t = keep_text(k->text, k->mask, k->deps, NULL);
        SF_ASSERT_EQ_STR(t, k->want);
        free(t);
    }
}

SF_TEST(kept_says_which_ops_made_it)
{
    uint8_t kept[6];
    char *t = keep_text(three_bufs, "101111", SF_EDIT_CASCADE, kept);
    SF_ASSERT_EQ_MEM(kept, "\1\0\0\1\1\1", 6);
    free(t);
}

SF_TEST(insert_copies_keep_their_own_resources_and_rebind_the_rest)
{
    sf_prog *p = parse_lim("r0 = toy_buf_new(4)\n"
                           "toy_buf_len(r0)\n",
                           NULL);
    sf_prog *src = parse_lim("r0 = toy_buf_new(9)\n"
                             "r1 = toy_buf_new(3)\n"
                             "toy_buf_write(r1, \"xy\")\n"
                             "toy_buf_write(r0, \"z\")\n",
                             NULL);
    sf_prog *q = NULL;
    /* Ops 1..3 of src after op 0 of p: the first write keeps the buffer
     * copied with it; the second's (src's r0) was not copied, so it takes
     * the newest live buffer at that point, the copied one. */
    SF_ASSERT_EQ_INT(sf_edit_insert(p, 1, src, 1, 3, &q), 0);
    assert_canonical(q);
    char *t = body(q);
    SF_ASSERT_EQ_STR(t, "r0 = toy_buf_new(4)\n"
                        "r1 = toy_buf_new(3)\n"
                        "toy_buf_write(r1, \"xy\")\n"
                        "toy_buf_write(r1, \"z\")\n"
                        "toy_buf_len(r0)\n");
    free(t);
    sf_prog_free(q);
    SF_ASSERT_EQ_INT(sf_edit_insert(p, 3, src, 0, 1, &q), SF_EINVAL);
    SF_ASSERT_NULL(q);
    SF_ASSERT_EQ_INT(sf_edit_insert(p, 0, src, 2, 3, &q), SF_EINVAL);
    sf_prog_free(src);
    sf_prog_free(p);
}

SF_TEST(set_len_shortens_input_and_output_buffers)
{
    sf_prog *p = parse_lim("r0 = toy_buf_new(4)\n"
                           "toy_buf_write(r0, \"abcdef\")\n"
                           "toy_buf_read(r0, 0, out[8])\n",
                           NULL);
    sf_prog *q = NULL, *r = NULL;
    SF_ASSERT_EQ_INT(sf_edit_set_len(p, 1, 1, 2, &q), 0);
    SF_ASSERT_EQ_INT(sf_edit_set_len(q, 2, 3, 3, &r), 0);
    assert_canonical(r);
    char *t = body(r);
    SF_ASSERT_EQ_STR(t, "r0 = toy_buf_new(4)\n"
                        "toy_buf_write(r0, \"ab\")\n"
                        "toy_buf_read(r0, 0, out[3])\n");
    free(t);
    sf_prog_free(r);
    sf_prog_free(q);
    /* Not a buffer, longer than it is, or past the op count. */
    SF_ASSERT_EQ_INT(sf_edit_set_len(p, 0, 0, 1, &q), SF_EINVAL);
    SF_ASSERT_EQ_INT(sf_edit_set_len(p, 1, 1, 7, &q), SF_EINVAL);
    SF_ASSERT_EQ_INT(sf_edit_set_len(p, 3, 0, 0, &q), SF_EINVAL);
    SF_ASSERT_NULL(q);
    sf_prog_free(p);
}

SF_TEST(edits_survive_out_of_memory)
{
    sf_prog *p = parse_lim(three_bufs, NULL);
    uint8_t keep[6] = {1, 0, 1, 1, 1, 1};
    int ok = 0;
    for (long k = 0; k < 200 && !ok; k++) {
        sf_prog *q = NULL;
        sf_alloc_fail_after(k);
        int rc = sf_edit_keep(p, keep, SF_EDIT_CASCADE, &q, NULL);
        sf_alloc_fail_after(-1);
        if (rc == 0) {
            SF_ASSERT_NOT_NULL(q);
            ok = 1;
        } else {
            SF_ASSERT_EQ_INT(rc, SF_ENOMEM);
            SF_ASSERT_NULL(q);
        }
        sf_prog_free(q);
    }
    SF_ASSERT(ok);
    sf_prog_free(p);
}

SF_TEST_MAIN()
