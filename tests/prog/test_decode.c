/* test_decode.c - bytes -> program: every kind, specials, drops, limits,
 * subtypes, holders and out-of-memory. */
#include "sf_test.h"

#include "prog_util.h"

#define NEW    TOY_SEL(TOY_F_BUF_NEW)
#define WRITE  TOY_SEL(TOY_F_BUF_WRITE)
#define LEN    TOY_SEL(TOY_F_BUF_LEN)
#define INSERT TOY_SEL(TOY_F_TABLE_INSERT)
#define GET    TOY_SEL(TOY_F_TABLE_GET)
#define REMOVE TOY_SEL(TOY_F_TABLE_REMOVE)
/* toy_buf_new(n): a selector and an 8-byte capacity. */
#define NEW_N(n) NEW, (n), 0, 0, 0, 0, 0, 0, 0

#define ASSERT_DECODES(bytes, text)                                                                \
    do {                                                                                           \
        const uint8_t in_[] = bytes;                                                               \
        char *t_ = decode_text(in_, sizeof in_);                                                   \
        SF_ASSERT_EQ_STR(t_, text);                                                                \
        free(t_);                                                                                  \
    } while (0)
#define B(...)                                                                                     \
    {                                                                                              \
        __VA_ARGS__                                                                                \
    }

SF_TEST(empty_input_is_an_empty_program)
{
    sf_prog *p = decode(NULL, 0);
    SF_ASSERT_EQ_INT(p->n_ops, 0);
    SF_ASSERT_EQ_INT(p->n_slots, 0);
    char *t = print_prog(p);
    SF_ASSERT_EQ_STR(t, TOY_HEADER);
    free(t);
    sf_prog_free(p);
    sf_prog_free(NULL);
}

SF_TEST(selector_wraps_around_the_op_table)
{
    ASSERT_DECODES(B(NEW_N(16)), "r0 = toy_buf_new(16)\n");
    ASSERT_DECODES(B(TOY_N_OPS + NEW, 3), "r0 = toy_buf_new(3)\n");
    ASSERT_DECODES(B(TOY_SEL_B(SF_B_GO_GC)), "@gc\n");
    ASSERT_DECODES(B(TOY_SEL_B(SF_B_YIELD), TOY_SEL_B(SF_B_THREAD), TOY_SEL_B(SF_B_STALE)),
                   "@yield\n@thread\n@stale\n");
    /* The probe and the nofuzz function are not in the table. */
    SF_ASSERT_EQ_INT(TOY_SEL(TOY_F_SCALE), TOY_F_LIVE_BUFFERS);
    ASSERT_DECODES(B(TOY_F_LIVE_BUFFERS), "toy_scale(0, 0, 0, 0, 1000)\n");
}

SF_TEST(truncated_ops_read_zeros)
{
    ASSERT_DECODES(B(NEW, 0x10), "r0 = toy_buf_new(16)\n");
    ASSERT_DECODES(B(NEW), "r0 = toy_buf_new(0)\n");
    /* A buffer whose data runs out is truncated. */
    ASSERT_DECODES(B(NEW_N(1), WRITE, 0, 9, 0, 'a', 'b'), "r0 = toy_buf_new(1)\n"
                                                          "toy_buf_write(r0, \"ab\")\n");
    /* A missing length byte is 0. */
    ASSERT_DECODES(B(NEW_N(1), WRITE, 0, 2), "r0 = toy_buf_new(1)\n"
                                             "toy_buf_write(r0, \"\")\n");
}

SF_TEST(offsets_record_each_selector)
{
    const uint8_t in[] = {NEW_N(1), WRITE, 0, 1, 0, 'z', TOY_SEL_B(SF_B_YIELD)};
    sf_prog *p = decode(in, sizeof in);
    SF_ASSERT_EQ_INT(p->n_ops, 3);
    SF_ASSERT_EQ_INT(p->ops[0].offset, 0);
    SF_ASSERT_EQ_INT(p->ops[1].offset, 9);
    SF_ASSERT_EQ_INT(p->ops[2].offset, 14);
    sf_prog_free(p);
}

SF_TEST(range_scalars_wrap_into_range)
{
    /* cap is in [0, 65536]: 65537 wraps to 0, 65538 to 1. */
    ASSERT_DECODES(B(NEW, 0x01, 0x00, 0x01), "r0 = toy_buf_new(0)\n");
    ASSERT_DECODES(B(NEW, 0x02, 0x00, 0x01), "r0 = toy_buf_new(1)\n");
    ASSERT_DECODES(B(NEW, 0x00, 0x00, 0x01), "r0 = toy_buf_new(65536)\n");
}

SF_TEST(enum_flags_bool_and_small_ranges)
{
    /* mode: choices[6 % 4] = 2; flags: bits 0,1,3 -> 0x1|0x2|0x80; verbose:
     * 3 & 1; level in [-5, 5]: -5 + 12 % 11 = -4. */
    ASSERT_DECODES(B(NEW_N(1), TOY_SEL(TOY_F_SET_MODE), 0, 6, 0, 0, 0, 0x0b, 3, 12, 0),
                   "r0 = toy_buf_new(1)\n"
                   "toy_set_mode(r0, 2, 0x83, true, -4)\n");
    /* Flag bits past the choices are ignored. */
    ASSERT_DECODES(B(NEW_N(1), TOY_SEL(TOY_F_SET_MODE), 0, 3, 0, 0, 0, 0xf0, 2, 0, 0),
                   "r0 = toy_buf_new(1)\n"
                   "toy_set_mode(r0, 7, 0x0, false, -5)\n");
}

SF_TEST(full_range_scalars_pass_through)
{
    ASSERT_DECODES(B(TOY_SEL(TOY_F_SCALE), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                     0xff, 0xff, 0xff, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 25, 0),
                   "toy_scale(-1, 4294967295, -128, 18446744073709551615, 1005)\n");
    ASSERT_DECODES(B(TOY_SEL(TOY_F_SCALE), 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0x80, 0x7f),
                   "toy_scale(-9223372036854775808, 2147483648, 127, 0, 1000)\n");
}

SF_TEST(buffers_lengths_and_links)
{
    const uint8_t in[] = {NEW_N(1), TOY_SEL(TOY_F_BUF_READ),
                          0,        5,
                          0,        0,
                          0,        0,
                          0,        0,
                          0,        0x2c,
                          0x01,     WRITE,
                          0,        3,
                          0,        'x',
                          0,        'y'};
    sf_prog *p = decode(in, sizeof in);
    char *t = print_prog(p);
    SF_ASSERT_EQ_STR(t, TOY_HEADER "r0 = toy_buf_new(1)\n"
                                   "toy_buf_read(r0, 5, out[300])\n"
                                   "toy_buf_write(r0, \"x\\x00y\")\n");
    free(t);
    /* toy_buf_read declares its LEN before the OUTBUF: still linked. */
    const sf_op *rd = &p->ops[1];
    SF_ASSERT_EQ_INT(rd->n_args, 4);
    SF_ASSERT_EQ_INT(rd->args[2].tag, SF_A_LEN);
    SF_ASSERT_EQ_UINT(rd->args[2].len, 300);
    SF_ASSERT_EQ_UINT(rd->args[2].v.u, 300);
    SF_ASSERT_EQ_INT(rd->args[3].tag, SF_A_OUTBUF);
    SF_ASSERT_EQ_UINT(rd->args[3].len, 300);
    const sf_op *wr = &p->ops[2];
    SF_ASSERT_EQ_INT(wr->args[1].tag, SF_A_BYTES);
    SF_ASSERT_EQ_UINT(wr->args[1].len, 3);
    SF_ASSERT_EQ_MEM(wr->args[1].bytes, "x\0y", 4); /* NUL-terminated in the arena */
    SF_ASSERT_EQ_UINT(wr->args[2].len, 3);
    sf_prog_free(p);
}

SF_TEST(length_wraps_modulo_max_plus_one)
{
    /* toy_record_parse's data has max 64: a 1-byte length, 70 % 65 = 5. */
    ASSERT_DECODES(B(TOY_SEL(TOY_F_RECORD_PARSE), 70, 'a', 'b', 'c', 'd', 'e', 'f'),
                   "r0 = toy_record_parse(\"abcde\", &r1)\n"
                   "toygo_greet(\"\")\n"); /* 'f' selects op 102 % 27 */
    /* An out-buffer of max 300: 2-byte length, 301 -> 0. */
    ASSERT_DECODES(B(INSERT, 0, 0, GET, 0, 0x2d, 0x01), "r0 = toy_table_insert(\"\")\n"
                                                        "toy_table_get(r0, out[0])\n");
}

SF_TEST(cstr_stops_at_nul_but_consumes_its_length)
{
    const uint8_t in[] = {TOY_SEL(TOY_F_GO_GREET), 5, 'h', 'i', 0, 'x', 'y', NEW, 7};
    sf_prog *p = decode(in, sizeof in);
    char *t = print_prog(p);
    SF_ASSERT_EQ_STR(t, TOY_HEADER "toygo_greet(\"hi\")\n"
                                   "r0 = toy_buf_new(7)\n");
    SF_ASSERT_EQ_UINT(p->ops[0].args[0].len, 2);
    SF_ASSERT_EQ_INT(p->ops[0].args[0].bytes[2], 0);
    free(t);
    sf_prog_free(p);
}

SF_TEST(outres_outstruct_and_slot_types)
{
    const uint8_t in[] = {TOY_SEL(TOY_F_RECORD_PARSE), 2, 'B', 'B', TOY_SEL(TOY_F_RECORD_GET), 0,
                          TOY_SEL(TOY_F_ERROR_CODE),   0};
    sf_prog *p = decode(in, sizeof in);
    char *t = print_prog(p);
    SF_ASSERT_EQ_STR(t, TOY_HEADER "r0 = toy_record_parse(\"BB\", &r1)\n"
                                   "toy_record_get(r0, &TRecordView)\n"
                                   "toy_error_code(r1)\n");
    free(t);
    SF_ASSERT_EQ_INT(p->n_slots, 2);
    SF_ASSERT_EQ_INT(p->slot_res[0], TOY_R_RECORD);
    SF_ASSERT_EQ_INT(p->slot_res[1], TOY_R_ERROR);
    SF_ASSERT_EQ_INT(p->ops[0].ret_slot, 0);
    SF_ASSERT_EQ_INT(p->ops[0].args[2].tag, SF_A_OUTSLOT);
    SF_ASSERT_EQ_INT(p->ops[0].args[2].slot, 1);
    SF_ASSERT_EQ_INT(p->ops[1].args[1].tag, SF_A_OUTSTRUCT);
    SF_ASSERT_EQ_UINT(p->ops[1].args[1].len, 16);
    SF_ASSERT_EQ_INT(p->ops[1].ret_slot, -1);
    sf_prog_free(p);
}

SF_TEST(resource_byte_picks_modulo_live)
{
    ASSERT_DECODES(B(NEW_N(1), NEW_N(2), NEW_N(3), LEN, 0, LEN, 4, LEN, 0xf7),
                   "r0 = toy_buf_new(1)\n"
                   "r1 = toy_buf_new(2)\n"
                   "r2 = toy_buf_new(3)\n"
                   "toy_buf_len(r0)\n"
                   "toy_buf_len(r1)\n"
                   "toy_buf_len(r1)\n");
}

SF_TEST(ops_without_candidates_are_dropped_whole)
{
    /* The write has no TBuf: dropped, with its resource byte, its 2-byte
     * length and its data consumed. */
    ASSERT_DECODES(B(WRITE, 0, 2, 0, 'x', 'y', NEW_N(5)), "r0 = toy_buf_new(5)\n");
    /* A dropped producer gets no slot: numbering stays dense. */
    ASSERT_DECODES(B(TOY_SEL(TOY_F_BUF_FREEZE), 0, NEW_N(1)), "r0 = toy_buf_new(1)\n");
}

SF_TEST(null_only_where_allowed)
{
    /* Nullable: even special byte is null, odd falls through (no stale). */
    ASSERT_DECODES(B(NEW_N(1), LEN, 0xf8, LEN, 0xf9, LEN, 0xfe), "r0 = toy_buf_new(1)\n"
                                                                 "toy_buf_len(null)\n"
                                                                 "toy_buf_len(r0)\n"
                                                                 "toy_buf_len(null)\n");
    /* Reject-null: null is passed on purpose. */
    ASSERT_DECODES(B(NEW_N(1), WRITE, 0xfa, 0, 0), "r0 = toy_buf_new(1)\n"
                                                   "toy_buf_write(null, \"\")\n");
    /* No flags: a special byte is just an index. */
    ASSERT_DECODES(B(NEW_N(1), TOY_SEL(TOY_F_BUF_FREEZE), 0xf8), "r0 = toy_buf_new(1)\n"
                                                                 "r1 = toy_buf_freeze(r0)\n");
    /* Null needs no live candidate. */
    ASSERT_DECODES(B(LEN, 0xfc), "toy_buf_len(null)\n");
    sf_prog *p = decode((const uint8_t[]){LEN, 0xfc}, 2);
    SF_ASSERT_EQ_INT(p->ops[0].args[0].tag, SF_A_NULL);
    SF_ASSERT_EQ_UINT(p->ops[0].args[0].v.u, 0); /* TBuf's invalid sentinel */
    sf_prog_free(p);
}

SF_TEST(stale_only_where_rejected)
{
    ASSERT_DECODES(
        B(INSERT, 1, 0, 'A', REMOVE, 0, GET, 0xf9, 4, 0, GET, 0xfa, 1, 0, GET, 0xf7, 1, 0),
        "r0 = toy_table_insert(\"A\")\n"
        "toy_table_remove(r0)\n"
        "toy_table_get(stale(r0), out[4])\n"
        "toy_table_get(null, out[1])\n");
    /* Stale needs a dead slot of a compatible type; r0 (TBuf) does not count. */
    ASSERT_DECODES(B(NEW_N(1), TOY_SEL(TOY_F_BUF_FREE), 0, GET, 0xf9, 0, 0), "r0 = toy_buf_new(1)\n"
                                                                             "toy_buf_free(r0)\n");
    /* toy_table_remove rejects stale but not null: even byte is an index. */
    ASSERT_DECODES(B(INSERT, 0, 0, INSERT, 0, 0, REMOVE, 0xf8, REMOVE, 0xfb),
                   "r0 = toy_table_insert(\"\")\n"
                   "r1 = toy_table_insert(\"\")\n"
                   "toy_table_remove(r0)\n"
                   "toy_table_remove(stale(r0))\n");
}

SF_TEST(stale_special_index_is_half_the_byte)
{
    /* Three dead handles: 0xf9 -> 124 % 3 = 1, 0xfb -> 125 % 3 = 2,
     * 0xfd -> 126 % 3 = 0. */
    ASSERT_DECODES(B(INSERT, 0, 0, INSERT, 0, 0, INSERT, 0, 0, REMOVE, 0, REMOVE, 0, REMOVE, 0, GET,
                     0xf9, 0, 0, GET, 0xfb, 0, 0, GET, 0xfd, 0, 0),
                   "r0 = toy_table_insert(\"\")\n"
                   "r1 = toy_table_insert(\"\")\n"
                   "r2 = toy_table_insert(\"\")\n"
                   "toy_table_remove(r0)\n"
                   "toy_table_remove(r1)\n"
                   "toy_table_remove(r2)\n"
                   "toy_table_get(stale(r1), out[0])\n"
                   "toy_table_get(stale(r2), out[0])\n"
                   "toy_table_get(stale(r0), out[0])\n");
}

SF_TEST(builtin_stale_forces_the_next_call)
{
    /* @stale: the next kept call's first reject-stale parameter takes
     * dead[b % n_dead]; builtins and dropped ops in between keep it pending. */
    ASSERT_DECODES(B(INSERT, 0, 0, INSERT, 0, 0, INSERT, 0, 0, REMOVE, 0, REMOVE, 0,
                     TOY_SEL_B(SF_B_STALE), TOY_SEL_B(SF_B_YIELD), WRITE, 0, 0, 0, GET, 1, 0, 0,
                     GET, 1, 0, 0),
                   "r0 = toy_table_insert(\"\")\n"
                   "r1 = toy_table_insert(\"\")\n"
                   "r2 = toy_table_insert(\"\")\n"
                   "toy_table_remove(r0)\n"
                   "toy_table_remove(r1)\n"
                   "@stale\n"
                   "@yield\n"
                   "toy_table_get(stale(r1), out[0])\n"
                   "toy_table_get(r2, out[0])\n");
    /* A kept call without such a parameter clears it. */
    ASSERT_DECODES(
        B(INSERT, 0, 0, INSERT, 0, 0, REMOVE, 0, TOY_SEL_B(SF_B_STALE), NEW_N(1), GET, 0, 0, 0),
        "r0 = toy_table_insert(\"\")\n"
        "r1 = toy_table_insert(\"\")\n"
        "toy_table_remove(r0)\n"
        "@stale\n"
        "r2 = toy_buf_new(1)\n"
        "toy_table_get(r1, out[0])\n");
    /* Without a dead slot @stale changes nothing. */
    ASSERT_DECODES(B(INSERT, 0, 0, TOY_SEL_B(SF_B_STALE), GET, 0, 0, 0),
                   "r0 = toy_table_insert(\"\")\n"
                   "@stale\n"
                   "toy_table_get(r0, out[0])\n");
}

SF_TEST(consume_transfer_and_destructor_kill_slots)
{
    ASSERT_DECODES(B(NEW_N(1), TOY_SEL(TOY_F_BUF_FREE), 0, LEN, 0), "r0 = toy_buf_new(1)\n"
                                                                    "toy_buf_free(r0)\n");
    /* toy_string_free borrows in its descriptor but is a destructor. */
    ASSERT_DECODES(B(TOY_SEL(TOY_F_RECORD_PARSE), 0, TOY_SEL(TOY_F_RECORD_DESCRIBE), 0,
                     TOY_SEL(TOY_F_STRING_FREE), 0, TOY_SEL(TOY_F_STRING_FREE), 0),
                   "r0 = toy_record_parse(\"\", &r1)\n"
                   "r2 = toy_record_describe(r0)\n"
                   "toy_string_free(r2)\n");
    /* Transferred to Go: gone from the live set. */
    ASSERT_DECODES(B(NEW_N(1), TOY_SEL(TOY_F_GO_ADOPT), 0, LEN, 0), "r0 = toy_buf_new(1)\n"
                                                                    "r1 = toygo_adopt(r0)\n");
}

SF_TEST(transfer_makes_the_returned_resource_the_holder)
{
    const uint8_t in[] = {
        NEW_N(1), NEW_N(2), TOY_SEL(TOY_F_GO_ADOPT), 1, TOY_SEL(TOY_F_GO_PEEK), 0, 3, 0, 0, 0, 0, 0,
        0,        0};
    sf_prog *p = decode(in, sizeof in);
    char *t = print_prog(p);
    SF_ASSERT_EQ_STR(t, TOY_HEADER "r0 = toy_buf_new(1)\n"
                                   "r1 = toy_buf_new(2)\n"
                                   "r2 = toygo_adopt(r1)\n"
                                   "toygo_peek(r2, 3)\n");
    free(t);
    SF_ASSERT_EQ_INT(p->n_slots, 3);
    SF_ASSERT_EQ_INT(p->slot_holder[0], -1);
    SF_ASSERT_EQ_INT(p->slot_holder[1], 2);
    SF_ASSERT_EQ_INT(p->slot_holder[2], -1);
    SF_ASSERT_EQ_INT(p->slot_res[2], TOY_R_GOBUF);
    sf_prog_free(p);
}

SF_TEST(a_consumed_slot_is_not_a_candidate_later_in_the_same_op)
{
    /* Only one TRecord and one TError: record_free(r0) then a second
     * record_free finds nothing; the error frees fine. */
    ASSERT_DECODES(B(TOY_SEL(TOY_F_RECORD_PARSE), 0, TOY_SEL(TOY_F_RECORD_FREE), 0,
                     TOY_SEL(TOY_F_RECORD_FREE), 0, TOY_SEL(TOY_F_ERROR_FREE), 0),
                   "r0 = toy_record_parse(\"\", &r1)\n"
                   "toy_record_free(r0)\n"
                   "toy_error_free(r1)\n");
}

SF_TEST(subtypes_are_candidates_for_their_parent)
{
    const uint8_t in[] = {NEW_N(1),
                          NEW_N(2),
                          TOY_SEL(TOY_F_BUF_FREEZE),
                          0,
                          LEN,
                          1,
                          LEN,
                          0,
                          TOY_SEL(TOY_F_RECORD_GET),
                          0,
                          TOY_SEL(TOY_F_BUF_FREE),
                          1};
    sf_prog *p = decode(in, sizeof in);
    char *t = print_prog(p);
    /* After the freeze, TBuf candidates are [r1, r2 (TFrozen)]. */
    SF_ASSERT_EQ_STR(t, TOY_HEADER "r0 = toy_buf_new(1)\n"
                                   "r1 = toy_buf_new(2)\n"
                                   "r2 = toy_buf_freeze(r0)\n"
                                   "toy_buf_len(r2)\n"
                                   "toy_buf_len(r1)\n"
                                   "toy_buf_free(r2)\n");
    free(t);
    SF_ASSERT_EQ_INT(p->slot_res[2], TOY_R_FROZEN);
    sf_prog_free(p);
}

SF_TEST(max_live_drops_producers)
{
    sf_limits lim = {0, 2};
    const uint8_t in[] = {NEW_N(1), TOY_SEL(TOY_F_RECORD_PARSE), 0, NEW_N(2), NEW_N(3), LEN,
                          1,        TOY_SEL(TOY_F_BUF_FREE),     0, NEW_N(4)};
    sf_prog *p = decode_lim(in, sizeof in, &lim);
    char *t = print_prog(p);
    SF_ASSERT_EQ_STR(t, TOY_HEADER "r0 = toy_buf_new(1)\n"
                                   "r1 = toy_buf_new(2)\n"
                                   "toy_buf_len(r1)\n"
                                   "toy_buf_free(r0)\n"
                                   "r2 = toy_buf_new(4)\n");
    free(t);
    sf_prog_free(p);
}

SF_TEST(max_ops_bounds_the_program)
{
    sf_limits lim = {3, 0};
    const uint8_t in[] = {TOY_SEL_B(SF_B_YIELD), TOY_SEL_B(SF_B_YIELD), TOY_SEL_B(SF_B_GO_GC),
                          TOY_SEL_B(SF_B_YIELD), TOY_SEL_B(SF_B_YIELD)};
    sf_prog *p = decode_lim(in, sizeof in, &lim);
    SF_ASSERT_EQ_INT(p->n_ops, 3);
    sf_prog_free(p);
    sf_limits def = sf_limits_default();
    SF_ASSERT_EQ_INT(def.max_ops, 64);
    SF_ASSERT_EQ_INT(def.max_live, 256);
}

/* A program of 600 table handles, then r0..r(removed-1) removed, in
 * table_text_buf; returns its length, *cap the buffer's size (room for more
 * lines after it). */
static char table_text_buf[600 * 32 + 600 * 32 + 512];

static size_t table_text(int removed, size_t *cap)
{
    size_t n = 0;
    *cap = sizeof table_text_buf;
    for (int i = 0; i < 600; i++)
        n += (size_t)snprintf(table_text_buf + n, *cap - n, "r%d = toy_table_insert(\"x\")\n", i);
    for (int i = 0; i < removed; i++)
        n += (size_t)snprintf(table_text_buf + n, *cap - n, "toy_table_remove(r%d)\n", i);
    return n;
}

SF_TEST(candidates_are_the_kth_live_and_dead_slots_at_scale)
{
    /* 600 handles, then r0..r99 removed: the live candidates are r100..r599
     * and a resource byte b < 248 picks the b-th of them; the dead candidates
     * are r0..r99 in slot order. */
    sf_limits lim = {1000, 1000};
    size_t cap, n = table_text(100, &cap);
    char *text = table_text_buf;
    snprintf(text + n, cap - n,
             "toy_table_get(r347, out[1])\n@stale\ntoy_table_get(stale(r99), out[1])\n");
    sf_prog *p = parse_lim(text, &lim);
    uint8_t *b = NULL;
    size_t len = encode(p, &b);
    sf_prog *q = decode_lim(b, len, &lim);
    assert_same_prog(p, q);
    SF_ASSERT_EQ_INT(q->n_ops, 703);
    SF_ASSERT_EQ_INT(q->ops[700].args[0].slot, 347);
    SF_ASSERT_EQ_INT(q->ops[702].args[0].tag, SF_A_STALE);
    SF_ASSERT_EQ_INT(q->ops[702].args[0].slot, 99);
    sf_prog_free(q);
    sf_prog_free(p);
    sf_free(b);
}

/* The resource index of op i of the input in (1 or 3 bytes after its
 * selector), little-endian. */
static uint32_t op_index(const sf_prog *p, const uint8_t *in, uint32_t i, int wide)
{
    const uint8_t *x = in + p->ops[i].offset + 1;
    return wide ? (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 : x[0];
}

SF_TEST(a_resource_index_reaches_every_candidate_of_a_long_list)
{
    /* 600 handles, then r0..r299 removed: 300 live candidates (r300..r599)
     * and 300 dead ones (r0..r299).  More than 248 candidates: a resource
     * index is its first byte and two more, (b | c << 8) % n, so that every
     * candidate can be named, not only the first 248. */
    sf_limits lim = {1000, 1000};
    size_t cap, n = table_text(300, &cap), base = n;
    char *text = table_text_buf;
    snprintf(text + n, cap - n,
             "toy_table_get(r300, out[1])\n"                /* index 0 */
             "toy_table_get(r599, out[1])\n"                /* 299 */
             "toy_table_get(r548, out[1])\n"                /* 248 = 0xF8 is null: 548 */
             "@stale\ntoy_table_get(stale(r299), out[1])\n" /* 299 among the dead */
             "toy_table_get(stale(r125), out[1])\n");       /* special 0xFB: 1 byte */
    sf_prog *p = parse_lim(text, &lim);
    uint8_t *b = NULL;
    size_t len = encode(p, &b);
    sf_prog *q = decode_lim(b, len, &lim);
    assert_same_prog(p, q);
    SF_ASSERT_EQ_INT(q->n_ops, 906); /* op 903 is the @stale */
    const uint32_t op[] = {900, 901, 902, 904, 905};
    const int32_t want_slot[] = {300, 599, 548, 299, 125};
    const uint32_t want_index[] = {0, 299, 548, 299, 0xFB};
    for (int i = 0; i < 5; i++) {
        SF_ASSERT_EQ_INT(q->ops[op[i]].args[0].slot, want_slot[i]);
        SF_ASSERT_EQ_INT(op_index(q, b, op[i], i < 4), want_index[i]);
    }
    SF_ASSERT_EQ_INT(q->ops[904].args[0].tag, SF_A_STALE);
    SF_ASSERT_EQ_INT(q->ops[905].args[0].tag, SF_A_STALE);
    /* Any 3-byte index is taken modulo the count. */
    uint8_t *w = b + q->ops[900].offset + 1;
    w[0] = 0x05, w[1] = 0xff, w[2] = 0xff;
    sf_prog *r = decode_lim(b, len, &lim);
    SF_ASSERT_EQ_INT(r->ops[900].args[0].slot, 300 + (int32_t)(0xffff05u % 300));
    SF_ASSERT_EQ_INT(r->n_ops, 906);
    sf_prog_free(r);
    sf_prog_free(q);
    sf_prog_free(p);
    sf_free(b);
    /* Without @stale only the four odd specials name dead candidates. */
    snprintf(text + base, cap - base, "toy_table_get(stale(r5), out[1])\n");
    const char *e = parse_err_lim(text, &lim);
    SF_ASSERT_STR_CONTAINS(e, "write @stale on the line before");
}

/* A deterministic generator for pseudo-random inputs. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

SF_TEST(a_megabyte_decodes_in_bounded_ops)
{
    size_t n = 1u << 20;
    uint8_t *in = malloc(n);
    SF_ASSERT_NOT_NULL(in);
    uint64_t s = 42;
    for (size_t i = 0; i < n; i++)
        in[i] = (uint8_t)rng_next(&s);
    sf_prog *p = decode(in, n);
    SF_ASSERT_LE_INT(p->n_ops, 64);
    SF_ASSERT_LE_INT(p->n_slots, 64 * 2);
    sf_prog_free(p);
    /* All ops dropped: decoding still stops after 8 * max_ops selectors. */
    memset(in, WRITE, n);
    p = decode(in, n);
    SF_ASSERT_EQ_INT(p->n_ops, 0);
    sf_prog_free(p);
    free(in);
}

SF_TEST(random_inputs_produce_consistent_programs)
{
    uint64_t s = 7;
    uint8_t in[512];
    for (int round = 0; round < 3000; round++) {
        size_t n = rng_next(&s) % sizeof in;
        for (size_t i = 0; i < n; i++)
            in[i] = (uint8_t)rng_next(&s);
        sf_prog *p = decode(in, n);
        SF_ASSERT_LE_INT(p->n_ops, 64);
        for (uint32_t i = 0; i < p->n_ops; i++) {
            const sf_op *op = &p->ops[i];
            SF_ASSERT_LT_INT(op->offset, n);
            for (uint32_t j = 0; j < op->n_args; j++) {
                const sf_arg *a = &op->args[j];
                if (a->tag == SF_A_SLOT || a->tag == SF_A_STALE || a->tag == SF_A_OUTSLOT)
                    SF_ASSERT_LT_INT(a->slot, p->n_slots);
            }
        }
        sf_prog_free(p);
    }
}

SF_TEST(decode_rejects_bad_arguments)
{
    sf_prog *p = (sf_prog *)1;
    SF_ASSERT_EQ_INT(sf_prog_decode(NULL, NULL, (const uint8_t *)"a", 1, &p), SF_EINVAL);
    SF_ASSERT_NULL(p);
    SF_ASSERT_EQ_INT(sf_prog_decode(&toy_spec, NULL, NULL, 0, NULL), SF_EINVAL);
}

SF_TEST(decode_out_of_memory_is_clean)
{
    const uint8_t in[] = {NEW_N(1), WRITE, 0, 3, 0, 'a', 'b', 'c'};
    int failures = 0;
    for (long k = 0;; k++) {
        sf_prog *p = (sf_prog *)1;
        sf_alloc_fail_after(k);
        int rc = sf_prog_decode(&toy_spec, NULL, in, sizeof in, &p);
        sf_alloc_fail_after(-1);
        if (rc == 0) {
            SF_ASSERT_EQ_INT(p->n_ops, 2);
            sf_prog_free(p);
            break;
        }
        SF_ASSERT_EQ_INT(rc, SF_ENOMEM);
        SF_ASSERT_NULL(p);
        failures++;
    }
    SF_ASSERT_EQ_INT(failures, 1); /* decoding is one allocation */
}

SF_TEST_MAIN()
