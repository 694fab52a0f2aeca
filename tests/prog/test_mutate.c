/* test_mutate.c - the structure-aware mutator: each op-level mutation moves
 * whole op spans and nothing else, the splice keeps both inputs' ops intact,
 * byte mutations stay inside one op, and no input or seed breaks the bounds. */
#include "sf_test.h"

#include "prog_util.h"
#include "sf_edit.h"
#include "sf_mutate.h"

/* A program of five ops: one producer, then borrowing calls. */
static const char *const prog5 = "r0 = toy_buf_new(16)\n"
                                 "toy_buf_write(r0, \"abc\")\n"
                                 "toy_buf_len(r0)\n"
                                 "toy_buf_read(r0, 1, out[8])\n"
                                 "toy_buf_write(r0, \"de\")\n";

/* The encoding of text and the offsets of its ops (n + 1 entries: the last
 * is the end). */
typedef struct enc {
    uint8_t *b;
    size_t n;
    uint32_t ops;
    uint32_t at[16];
} enc;

static enc encode_text(const char *text)
{
    enc e = {0};
    sf_prog *p = parse_lim(text, NULL);
    e.n = encode(p, &e.b);
    sf_prog_free(p);
    p = decode(e.b, e.n);
    SF_ASSERT_LT_INT(p->n_ops, 16);
    e.ops = p->n_ops;
    for (uint32_t i = 0; i < p->n_ops; i++)
        e.at[i] = p->ops[i].offset;
    e.at[p->n_ops] = p->n_read;
    SF_ASSERT_EQ_INT(p->n_read, e.n);
    sf_prog_free(p);
    return e;
}

/* out = a[0:cut] + ins[0:k] + a[cut:n] ? */
static int is_insert(const uint8_t *out, size_t on, const uint8_t *a, size_t n, size_t cut,
                     const uint8_t *ins, size_t k)
{
    return on == n + k && memcmp(out, a, cut) == 0 && memcmp(out + cut, ins, k) == 0 &&
           memcmp(out + cut + k, a + cut, n - cut) == 0;
}

/* out == the encoding of e's program without op i (and what uses it)? */
static int is_removal(const enc *e, uint32_t i, const uint8_t *out, size_t on)
{
    sf_prog *p = decode(e->b, e->n), *q = NULL;
    uint8_t keep[16];
    memset(keep, 1, sizeof keep);
    keep[i] = 0;
    SF_ASSERT_EQ_INT(sf_edit_keep(p, keep, SF_EDIT_CASCADE, &q, NULL), 0);
    uint8_t *b = NULL;
    size_t n = encode(q, &b);
    int same = n == on && memcmp(b, out, n) == 0;
    sf_free(b);
    sf_prog_free(q);
    sf_prog_free(p);
    return same;
}

/* The byte mutator of these tests: flips the first byte and appends one. */
static size_t flip_and_grow(uint8_t *d, size_t size, size_t max_size)
{
    if (size)
        d[0] ^= 0x5a;
    if (size < max_size)
        d[size++] = 0xee;
    return size;
}

/* Runs sf_mutate on a copy of e with seed; returns the kind, fills out. */
static int mutate(const enc *e, uint32_t seed, uint8_t *out, size_t max, size_t *on)
{
    memcpy(out, e->b, e->n);
    int kind = -1;
    *on = sf_mutate(&toy_spec, NULL, out, e->n, max, seed, flip_and_grow, &kind);
    SF_ASSERT_LE_INT(*on, max);
    return kind;
}

SF_TEST(every_kind_is_chosen_and_bytes_about_half)
{
    enc e = encode_text(prog5);
    uint8_t out[256];
    size_t on;
    int count[SF_MUT__COUNT] = {0};
    for (uint32_t seed = 1; seed <= 2000; seed++) {
        int k = mutate(&e, seed, out, sizeof out, &on);
        SF_ASSERT(k >= 0 && k < SF_MUT__COUNT);
        count[k]++;
    }
    for (int k = 0; k < SF_MUT__COUNT; k++)
        SF_ASSERT_GT_INT(count[k], 100);
    SF_ASSERT_GT_INT(count[SF_MUT_BYTES], 800);
    SF_ASSERT_LT_INT(count[SF_MUT_BYTES], 1200);
    sf_free(e.b);
}

SF_TEST(without_a_byte_mutator_only_op_level_kinds)
{
    /* AFL++ mutates bytes itself: its library passes no byte mutator, and
     * every call must then move ops (repeat, copy, delete, swap, remove). */
    enc e = encode_text(prog5);
    uint8_t out[256];
    int count[SF_MUT__COUNT] = {0};
    for (uint32_t seed = 1; seed <= 2000; seed++) {
        memcpy(out, e.b, e.n);
        int k = -1;
        size_t on = sf_mutate(&toy_spec, NULL, out, e.n, sizeof out, seed, NULL, &k);
        SF_ASSERT((k >= SF_MUT_REPEAT && k <= SF_MUT_SWAP) || k == SF_MUT_REMOVE);
        /* prog5's ops are all different, so even a swap changes the bytes. */
        SF_ASSERT(on != e.n || memcmp(out, e.b, e.n) != 0);
        count[k]++;
    }
    for (int k = SF_MUT_REPEAT; k <= SF_MUT_SWAP; k++)
        SF_ASSERT_GT_INT(count[k], 300);
    SF_ASSERT_GT_INT(count[SF_MUT_REMOVE], 300);
    sf_free(e.b);
}

SF_TEST(the_same_seed_mutates_the_same_way)
{
    enc e = encode_text(prog5);
    uint8_t o1[256], o2[256];
    size_t n1, n2;
    for (uint32_t seed = 1; seed <= 200; seed++) {
        int k1 = mutate(&e, seed, o1, sizeof o1, &n1);
        int k2 = mutate(&e, seed, o2, sizeof o2, &n2);
        SF_ASSERT_EQ_INT(k1, k2);
        SF_ASSERT_EQ_INT(n1, n2);
        SF_ASSERT_EQ_MEM(o1, o2, n1);
    }
    sf_free(e.b);
}

SF_TEST(op_level_mutations_move_whole_ops)
{
    enc e = encode_text(prog5);
    uint8_t out[256];
    size_t on;
    int seen[SF_MUT__COUNT] = {0};
    for (uint32_t seed = 1; seed <= 2000; seed++) {
        int k = mutate(&e, seed, out, sizeof out, &on);
        int ok = 0;
        seen[k]++;
        switch (k) {
        case SF_MUT_REPEAT: /* ops [i, j) again right after themselves */
        case SF_MUT_COPY:   /* ops [i, j) again at a later boundary */
            for (uint32_t i = 0; i < e.ops && !ok; i++)
                for (uint32_t j = i + 1; j <= e.ops && j <= i + 4 && !ok; j++)
                    for (uint32_t to = j; to <= (k == SF_MUT_COPY ? e.ops : j) && !ok; to++)
                        ok = is_insert(out, on, e.b, e.n, e.at[to], e.b + e.at[i],
                                       e.at[j] - e.at[i]);
            break;
        case SF_MUT_DELETE: /* ops [i, j) gone, j - i <= 2 */
            for (uint32_t i = 0; i < e.ops && !ok; i++)
                for (uint32_t j = i + 1; j <= e.ops && j <= i + 2 && !ok; j++)
                    ok = is_insert(e.b, e.n, out, on, e.at[i], e.b + e.at[i], e.at[j] - e.at[i]);
            break;
        case SF_MUT_SWAP: /* ops i and i + 1 exchanged */
            for (uint32_t i = 0; i + 1 < e.ops && !ok; i++) {
                size_t a = e.at[i], b = e.at[i + 1], c = e.at[i + 2];
                ok = on == e.n && memcmp(out, e.b, a) == 0 &&
                     memcmp(out + a, e.b + b, c - b) == 0 &&
                     memcmp(out + a + (c - b), e.b + a, b - a) == 0 &&
                     memcmp(out + c, e.b + c, e.n - c) == 0;
            }
            break;
        case SF_MUT_OP_BYTES: /* one op flipped and grown by a byte, the rest intact */
            for (uint32_t i = 0; i < e.ops && !ok; i++) {
                size_t a = e.at[i], b = e.at[i + 1];
                ok = on == e.n + 1 && memcmp(out, e.b, a) == 0 && out[a] == (e.b[a] ^ 0x5a) &&
                     memcmp(out + a + 1, e.b + a + 1, b - a - 1) == 0 && out[b] == 0xee &&
                     memcmp(out + b + 1, e.b + b, e.n - b) == 0;
            }
            break;
        case SF_MUT_REMOVE: /* the program without op i and its dependents */
            for (uint32_t i = 0; i < e.ops && !ok; i++)
                ok = is_removal(&e, i, out, on);
            break;
        default: /* the byte mutator on the whole input */
            ok = on == e.n + 1 && out[0] == (e.b[0] ^ 0x5a) && out[e.n] == 0xee;
            break;
        }
        if (!ok)
            fprintf(stderr, "seed %u kind %d: unexpected result\n", seed, k);
        SF_ASSERT(ok);
    }
    for (int k = 0; k < SF_MUT__COUNT; k++)
        SF_ASSERT_GT_INT(seen[k], 0);
    sf_free(e.b);
}

SF_TEST(a_repeated_run_means_the_same_calls_again)
{
    /* Repeating a run of borrowing calls leaves the live set as it was, so
     * the copy decodes to the same calls: "write, len" becomes "write, len,
     * write, len", the sequence behind a stale-cache bug. */
    enc e = encode_text(prog5);
    uint8_t out[256];
    size_t on;
    int found = 0;
    for (uint32_t seed = 1; seed <= 5000 && !found; seed++) {
        if (mutate(&e, seed, out, sizeof out, &on) != SF_MUT_REPEAT ||
            !is_insert(out, on, e.b, e.n, e.at[3], e.b + e.at[1], e.at[3] - e.at[1]))
            continue;
        found = 1;
        char *t = decode_text(out, on);
        SF_ASSERT_EQ_STR(t, "r0 = toy_buf_new(16)\n"
                            "toy_buf_write(r0, \"abc\")\n"
                            "toy_buf_len(r0)\n"
                            "toy_buf_write(r0, \"abc\")\n"
                            "toy_buf_len(r0)\n"
                            "toy_buf_read(r0, 1, out[8])\n"
                            "toy_buf_write(r0, \"de\")\n");
        free(t);
    }
    SF_ASSERT(found);
    sf_free(e.b);
}

SF_TEST(mutations_respect_max_size)
{
    enc e = encode_text(prog5);
    uint8_t out[256];
    size_t on;
    for (uint32_t seed = 1; seed <= 2000; seed++) {
        /* No room to grow at all: op-level growth is refused, bytes truncate. */
        int k = mutate(&e, seed, out, e.n, &on);
        SF_ASSERT_LE_INT(on, e.n);
        SF_ASSERT(k != SF_MUT_REPEAT && k != SF_MUT_COPY);
    }
    sf_free(e.b);
}

SF_TEST(inputs_without_ops_fall_back_to_bytes)
{
    uint8_t out[16] = {0};
    int kind = -1;
    for (uint32_t seed = 1; seed <= 100; seed++) {
        /* Empty input: nothing to decode. */
        size_t on = sf_mutate(&toy_spec, NULL, out, 0, sizeof out, seed, flip_and_grow, &kind);
        SF_ASSERT_EQ_INT(kind, SF_MUT_BYTES);
        SF_ASSERT_EQ_INT(on, 1);
        /* Without a byte mutator the input is left as it is. */
        on = sf_mutate(&toy_spec, NULL, out, 0, sizeof out, seed, NULL, &kind);
        SF_ASSERT_EQ_INT(on, 0);
        on = sf_mutate(NULL, NULL, out, 3, sizeof out, seed, NULL, &kind);
        SF_ASSERT_EQ_INT(on, 3);
    }
}

SF_TEST(limits_decide_which_ops_move)
{
    /* 100 ops: under the default 64 the ops from the 65th on are left where
     * they are (the output ends with them unchanged); with max_ops = 200
     * some mutation moves or deletes one of them. */
    char text[100 * 32];
    size_t tn = 0;
    for (int i = 0; i < 100; i++)
        tn += (size_t)snprintf(text + tn, sizeof text - tn, "r%d = toy_buf_new(%d)\n", i, i + 1);
    sf_limits lim = {200, 300};
    sf_prog *p = parse_lim(text, &lim);
    uint8_t *b = NULL;
    size_t n = encode(p, &b);
    size_t tail = n - p->ops[64].offset; /* bytes of ops 65..100 */
    sf_prog_free(p);
    uint8_t out[4096];
    int tail_moved = 0;
    for (uint32_t seed = 1; seed <= 200; seed++) {
        for (int with_lim = 0; with_lim < 2; with_lim++) {
            memcpy(out, b, n);
            size_t on =
                sf_mutate(&toy_spec, with_lim ? &lim : NULL, out, n, sizeof out, seed, NULL, NULL);
            int kept = on >= tail && memcmp(out + on - tail, b + n - tail, tail) == 0;
            if (!with_lim)
                SF_ASSERT(kept);
            else
                tail_moved += !kept;
        }
    }
    sf_free(b);
    SF_ASSERT_GT_INT(tail_moved, 0);
}

SF_TEST(random_inputs_stay_in_bounds)
{
    /* Arbitrary bytes, sizes and limits: the result always fits and decodes. */
    uint32_t x = 12345;
    uint8_t in[200], out[300];
    sf_limits lim = {.max_ops = 4, .max_live = 2};
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        for (; n < (size_t)(round % 200); n++) {
            x = x * 1103515245u + 12345u;
            in[n] = (uint8_t)(x >> 16);
        }
        size_t max = n + (size_t)(round % 7) * 13;
        memcpy(out, in, n);
        size_t on = sf_mutate(&toy_spec, round & 1 ? &lim : NULL, out, n, max, (uint32_t)round,
                              round & 2 ? flip_and_grow : NULL, NULL);
        SF_ASSERT_LE_INT(on, max);
        sf_prog *p = decode(out, on);
        sf_prog_free(p);
    }
}

SF_TEST(cross_over_splices_ops_of_the_second_input)
{
    enc a = encode_text(prog5);
    enc b = encode_text("r0 = toy_table_insert(\"x\")\n"
                        "toy_table_get(r0, out[4])\n"
                        "toy_table_remove(r0)\n");
    uint8_t out[256];
    for (uint32_t seed = 1; seed <= 500; seed++) {
        size_t on = sf_mutate_cross(&toy_spec, NULL, a.b, a.n, b.b, b.n, out, sizeof out, seed);
        int ok = 0;
        for (uint32_t cut = 0; cut <= a.ops && !ok; cut++)
            for (uint32_t i = 0; i < b.ops && !ok; i++)
                for (uint32_t j = i + 1; j <= b.ops && !ok; j++)
                    ok = is_insert(out, on, a.b, a.n, a.at[cut], b.b + b.at[i], b.at[j] - b.at[i]);
        SF_ASSERT(ok);
        /* No room: no splice. */
        SF_ASSERT_EQ_INT(sf_mutate_cross(&toy_spec, NULL, a.b, a.n, b.b, b.n, out, a.n, seed), 0);
    }
    /* A second input without ops gives nothing to splice. */
    SF_ASSERT_EQ_INT(sf_mutate_cross(&toy_spec, NULL, a.b, a.n, NULL, 0, out, sizeof out, 1), 0);
    sf_free(a.b);
    sf_free(b.b);
}

SF_TEST(out_of_memory_falls_back_or_refuses)
{
    /* Fail each allocation in turn: an op-level mutation falls back to the
     * byte mutator, a splice gives nothing. */
    enc e = encode_text(prog5);
    uint8_t out[256];
    uint32_t seed = 1;
    int kind = -1;
    size_t on;
    while (mutate(&e, seed, out, sizeof out, &on) != SF_MUT_REPEAT)
        seed++;
    for (long n = 0; n < 8; n++) {
        memcpy(out, e.b, e.n);
        sf_alloc_fail_after(n);
        on = sf_mutate(&toy_spec, NULL, out, e.n, sizeof out, seed, flip_and_grow, &kind);
        sf_alloc_fail_after(-1);
        if (kind == SF_MUT_BYTES)
            SF_ASSERT(on == e.n + 1 && out[0] == (e.b[0] ^ 0x5a));
        else
            SF_ASSERT_EQ_INT(kind, SF_MUT_REPEAT);
        SF_ASSERT_EQ_INT(n < 3, kind == SF_MUT_BYTES);

        sf_alloc_fail_after(n);
        size_t cn = sf_mutate_cross(&toy_spec, NULL, e.b, e.n, e.b, e.n, out, sizeof out, 7);
        sf_alloc_fail_after(-1);
        SF_ASSERT_EQ_INT(n < 4, cn == 0);
    }
    sf_free(e.b);
}

SF_TEST_MAIN()
