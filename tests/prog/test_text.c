/* test_text.c - the text form: print, parse, encode and their round-trips,
 * and the exact "line:col: message" of parse errors. */
#include "sf_test.h"

#include "prog_util.h"

/* A program that uses every kind, every special and every built-in. */
static const char *const canonical =
    "r0 = toy_buf_new(16)\n"
    "toy_buf_write(r0, \"ab\\x00c\\n\\t\\\\\\\"\\x7f\\xff\")\n"
    "r1 = "
    "toy_record_parse(\"BB\\x01\\x00\\x07\\x00\\x00\\x00*\\x00\\x00\\x00\\x00\\x00\\x00\\x00\", "
    "&r2)\n"
    "toy_buf_read(r0, 0, out[8])\n"
    "toy_record_get(r1, &TRecordView)\n"
    "r3 = toygo_adopt(r0)\n"
    "r4 = toy_table_insert(\"x\")\n"
    "toy_table_remove(r4)\n"
    "toy_table_get(stale(r4), out[4])\n"
    "toy_buf_len(null)\n"
    "@gc\n"
    "@yield\n"
    "@thread\n"
    "@stale\n"
    "toy_table_get(stale(r4), out[0])\n"
    "r5 = toy_buf_new(1)\n"
    "toy_set_mode(r5, 7, 0x83, true, -4)\n"
    "toy_scale(-1, 4294967295, -128, 18446744073709551615, 1005)\n"
    "toygo_greet(\"hi\")\n"
    "r6 = toy_buf_freeze(r5)\n"
    "toy_buf_len(r6)\n"
    "r7 = toy_record_describe(r1)\n"
    "toy_string_free(r7)\n"
    "toy_error_code(r2)\n"
    "toy_error_free(r2)\n"
    "toy_record_free(r1)\n"
    "toygo_peek(r3, 7)\n"
    "toygo_release(r3)\n"
    "toygo_peek(stale(r3), 0)\n"
    "toy_buf_write(null, \"\")\n";

/* text -> program -> text must be exact (text is canonical), and the
 * program must survive text -> bytes -> program unchanged. */
static void check_roundtrip(const char *text)
{
    sf_prog *p = parse_lim(text, NULL);
    char *t = print_prog(p);
    size_t hl = strlen(TOY_HEADER);
    SF_ASSERT_EQ_INT(strncmp(t, TOY_HEADER, hl), 0);
    SF_ASSERT_EQ_STR(t + hl, text);
    uint8_t *bytes = NULL;
    size_t n = encode(p, &bytes);
    sf_prog *q = decode(bytes, n);
    assert_same_prog(p, q);
    for (uint32_t i = 0; i < p->n_ops; i++)
        SF_ASSERT_EQ_INT(p->ops[i].offset, q->ops[i].offset);
    char *u = print_prog(q);
    SF_ASSERT_EQ_STR(u, t);
    free(u);
    free(t);
    sf_free(bytes);
    sf_prog_free(q);
    sf_prog_free(p);
}

SF_TEST(canonical_program_roundtrips)
{
    check_roundtrip(canonical);
    sf_prog *p = parse_lim(canonical, NULL);
    SF_ASSERT_EQ_INT(p->n_slots, 8);
    SF_ASSERT_EQ_INT(p->slot_holder[0], 3);
    SF_ASSERT_EQ_INT(p->slot_res[6], TOY_R_FROZEN);
    SF_ASSERT_EQ_INT(p->ops[1].args[1].len, 10);
    SF_ASSERT_EQ_MEM(p->ops[1].args[1].bytes, "ab\0c\n\t\\\"\x7f\xff", 10);
    SF_ASSERT_EQ_UINT(p->ops[1].args[2].len, 10); /* the LEN is not written */
    sf_prog_free(p);
}

SF_TEST(small_programs_roundtrip)
{
    check_roundtrip("");
    check_roundtrip("@yield\n");
    check_roundtrip("r0 = toy_buf_new(65536)\ntoy_buf_read(r0, 65536, out[300])\n");
    check_roundtrip("toy_scale(-9223372036854775808, 0, 127, 0, 1009)\n");
    check_roundtrip("r0 = toy_record_parse(\"\", &r1)\nr2 = toy_record_parse(\"\", &r3)\n"
                    "toy_error_free(r3)\ntoy_error_free(r1)\n");
}

SF_TEST(encode_is_canonical)
{
    sf_prog *p = parse_lim("r0 = toy_buf_new(16)\n"
                           "toy_buf_write(r0, \"ab\")\n"
                           "toy_set_mode(r0, 2, 0x81, false, 5)\n"
                           "toy_buf_len(null)\n"
                           "@stale\n",
                           NULL);
    uint8_t *b = NULL;
    size_t n = encode(p, &b);
    const uint8_t want[] = {
        TOY_SEL(TOY_F_BUF_NEW),   16,   0, 0, 0,   0,   0,    0, 0,     /* cap */
        TOY_SEL(TOY_F_BUF_WRITE), 0,    2, 0, 'a', 'b',                 /* r0, 2-byte length */
        TOY_SEL(TOY_F_SET_MODE),  0,    2, 0, 0,   0,   0x09, 0, 10, 0, /* index 2, bits 0+3 */
        TOY_SEL(TOY_F_BUF_LEN),   0xf8,                                 /* the null special */
        TOY_SEL_B(SF_B_STALE)};
    SF_ASSERT_EQ_INT(n, sizeof want);
    SF_ASSERT_EQ_MEM(b, want, sizeof want);
    sf_free(b);
    sf_prog_free(p);
}

SF_TEST(encode_stale_uses_the_special_or_the_builtin)
{
    const char *text = "r0 = toy_table_insert(\"\")\n"
                       "r1 = toy_table_insert(\"\")\n"
                       "toy_table_remove(r0)\n"
                       "toy_table_remove(r1)\n"
                       "toy_table_get(stale(r1), out[0])\n"
                       "@stale\n"
                       "toy_table_get(stale(r1), out[0])\n";
    sf_prog *p = parse_lim(text, NULL);
    uint8_t *b = NULL;
    size_t n = encode(p, &b);
    /* 0xf9: dead[124 % 2] = r0, 0xfb: dead[125 % 2] = r1; after @stale the
     * byte is a plain index. */
    SF_ASSERT_EQ_INT(n, 3 + 3 + 2 + 2 + 4 + 1 + 4);
    SF_ASSERT_EQ_INT(b[10], TOY_SEL(TOY_F_TABLE_GET));
    SF_ASSERT_EQ_INT(b[11], 0xfb);
    SF_ASSERT_EQ_INT(b[14], TOY_SEL_B(SF_B_STALE));
    SF_ASSERT_EQ_INT(b[16], 1);
    sf_free(b);
    sf_prog_free(p);
    check_roundtrip(text);
}

SF_TEST(parse_accepts_comments_blanks_and_spacing)
{
    sf_prog *p = parse_lim("# a seed\n"
                           "\n"
                           "   r0=toy_buf_new( 0x10 )   # sixteen\r\n"
                           "\ttoy_buf_write( r0 ,\"#,)\" )\n"
                           "toy_set_mode(r0, 1, 0, 0, 0)\n"
                           "@yield # done",
                           NULL);
    char *t = print_prog(p);
    SF_ASSERT_EQ_STR(t, TOY_HEADER "r0 = toy_buf_new(16)\n"
                                   "toy_buf_write(r0, \"#,)\")\n"
                                   "toy_set_mode(r0, 1, 0x0, false, 0)\n"
                                   "@yield\n");
    free(t);
    sf_prog_free(p);
}

/* A deterministic generator for pseudo-random inputs. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

SF_TEST(bytes_to_text_to_bytes_is_stable)
{
    uint64_t s = 99;
    uint8_t in[400];
    for (int round = 0; round < 3000; round++) {
        size_t n = rng_next(&s) % sizeof in;
        for (size_t i = 0; i < n; i++)
            in[i] = (uint8_t)rng_next(&s);
        /* Favour the special bytes and small selectors. */
        for (size_t i = 0; i < n; i += 1 + rng_next(&s) % 7)
            in[i] = (uint8_t)(rng_next(&s) & 1 ? 0xf8 + rng_next(&s) % 8 : rng_next(&s) % 27);
        sf_prog *p = decode(in, n);
        char *t = print_prog(p);
        sf_prog *q = parse_lim(t, NULL);
        assert_same_prog(p, q);
        uint8_t *b = NULL;
        size_t bn = encode(q, &b);
        sf_prog *r = decode(b, bn);
        char *u = print_prog(r);
        SF_ASSERT_EQ_STR(u, t);
        free(u);
        free(t);
        sf_free(b);
        sf_prog_free(r);
        sf_prog_free(q);
        sf_prog_free(p);
    }
}

#define ERR(text, msg) SF_ASSERT_EQ_STR(parse_err(text), msg)

SF_TEST(parse_errors_name_line_and_column)
{
    ERR("toy_nope(1)", "1:1: unknown function 'toy_nope'");
    ERR("toy_live_buffers()", "1:1: 'toy_live_buffers' is not fuzzable");
    ERR("\n\n  @nope", "3:3: unknown built-in '@nope'");
    ERR("@", "1:1: expected a built-in name after '@'");
    ERR("@gc x", "1:5: unexpected 'x' after the op");
    ERR("42", "1:1: expected a call or a built-in (@name), found '4'");
    ERR("toy_buf_new(16)", "1:1: 'toy_buf_new' returns a resource: write 'r0 = toy_buf_new(...)'");
    ERR("r1 = toy_buf_new(16)", "1:1: expected r0 (resources are numbered in order)");
    ERR("r0 = toygo_greet(\"a\")", "1:1: 'toygo_greet' returns no resource: remove 'r0 ='");
    ERR("r0 = toy_buf_new 16", "1:18: expected '(' after 'toy_buf_new', found '1'");
    ERR("r0 = toy_buf_new(16", "1:20: expected ')', found end of line");
    ERR("r0 = toy_buf_new(1, 2)", "1:19: too many arguments for 'toy_buf_new'");
    ERR("r0 = toy_buf_new()", "1:18: missing argument 'cap' of 'toy_buf_new'");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_write(r0)",
        "2:17: missing argument 'data' of 'toy_buf_write'");
    ERR("r0 = toy_buf_new(1) x", "1:21: unexpected 'x' after the op");
    ERR("r0 = toy_buf_new(70000)", "1:18: 70000 is out of range [0, 65536] for 'cap'");
    ERR("r0 = toy_buf_new(-1)", "1:18: 'cap' is unsigned");
    ERR("r0 = toy_buf_new(99999999999999999999)", "1:18: integer out of range");
    ERR("r0 = toy_buf_new(x)", "1:18: expected an integer for 'cap'");
    ERR("toy_buf_write(r0, \"a\")", "1:15: r0 is not defined yet");
    ERR("toy_buf_len(buf)", "1:13: expected a resource (rN, null or stale(rN)) for 'buf'");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_write(r0, 7)", "2:19: expected a string for 'data'");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_write(r0, \"ab", "2:19: unterminated string");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_write(r0, \"a\\q\")",
        "2:21: unknown escape '\\' followed by 'q'");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_write(r0, \"\\x4\")", "2:20: \\x needs two hex digits");
    ERR("toygo_greet(\"a\\x00b\")", "1:13: C string 'name' cannot contain \\x00");
    ERR("r0 = toy_record_parse(\"0123456789012345678901234567890123456789012345678901234567890123"
        "4\", &r1)",
        "1:23: 65 bytes is more than the maximum 64 of 'data'");
    ERR("r0 = toy_record_parse(\"\", &r2)",
        "1:27: expected &r1 for 'err_out' (resources are numbered in order)");
    ERR("r0 = toy_record_parse(\"\", &r1)\ntoy_record_get(r0, out)",
        "2:20: expected &TRecordView for 'out'");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_read(r0, 0, out(3))", "2:24: expected '[' after 'out'");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_read(r0, 0, out[301])",
        "2:21: 301 bytes is more than the maximum 300 of 'out'");
    ERR("r0 = toy_buf_new(1)\ntoy_record_get(r0, &TRecordView)",
        "2:16: r0 is a TBuf, but 'rec' takes a TRecord");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_free(r0)\ntoy_buf_len(r0)",
        "3:13: r0 is no longer live (write stale(r0) to pass it on purpose)");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_free(r0)\ntoy_buf_len(stale(r0))",
        "3:13: 'buf' does not take stale values");
    ERR("r0 = toy_table_insert(\"\")\ntoy_table_get(stale(r0), out[1])",
        "2:15: stale(r0): r0 is still live");
    ERR("r0 = toy_buf_new(1)\nr1 = toy_buf_freeze(null)", "2:21: 'buf' does not take null");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_len(stale r0)", "2:19: expected '(' after 'stale'");
    ERR("r0 = toy_buf_new(1)\ntoy_set_mode(r0, 3, 0, false, 0)",
        "2:18: 3 is not one of the choices of 'mode'");
    ERR("r0 = toy_buf_new(1)\ntoy_set_mode(r0, 0, 0x8, false, 0)",
        "2:21: 0x8 is not a combination of the flags of 'flags'");
    ERR("r0 = toy_buf_new(1)\ntoy_set_mode(r0, 0, 0, 2, 0)",
        "2:24: 'verbose' is a bool: write true or false");
    ERR("r0 = toy_buf_new(1)\ntoy_set_mode(r0, 0, 0, yes, 0)",
        "2:24: expected an integer for 'verbose'");
    ERR("r0 = toy_buf_new(1)\ntoy_set_mode(r0, 0, 0, true, -6)",
        "2:30: -6 is out of range [-5, 5] for 'level'");
    ERR("r0 = toy_buf_new(1)\nr1 = toy_buf_freeze(r0)\ntoy_buf_read(r0, 0 out[1])",
        "3:14: r0 is no longer live (write stale(r0) to pass it on purpose)");
    ERR("r0 = toy_buf_new(1)\ntoy_buf_read(r0, 0 out[1])", "2:20: expected ',' or ')', found 'o'");
    ERR("toy_buf_len(null)\x01", "1:18: unexpected '\\x01' after the op");
}

SF_TEST(parse_errors_of_the_byte_format)
{
    /* @stale forces the next call's reject-stale argument. */
    ERR("r0 = toy_table_insert(\"a\")\nr1 = toy_table_insert(\"b\")\ntoy_table_remove(r0)\n"
        "@stale\ntoy_table_get(r1, out[1])",
        "5:15: @stale requires a stale resource for 'h'");
    /* With five dead handles the stale specials reach dead[4], [0], [1], [2]. */
    const char *five = "r0 = toy_table_insert(\"\")\nr1 = toy_table_insert(\"\")\n"
                       "r2 = toy_table_insert(\"\")\nr3 = toy_table_insert(\"\")\n"
                       "r4 = toy_table_insert(\"\")\ntoy_table_remove(r0)\ntoy_table_remove(r1)\n"
                       "toy_table_remove(r2)\ntoy_table_remove(r3)\ntoy_table_remove(r4)\n";
    char text[1024];
    snprintf(text, sizeof text, "%stoy_table_get(stale(r3), out[0])", five);
    ERR(text, "11:15: stale(r3) cannot be encoded here; write @stale on the line before");
    snprintf(text, sizeof text, "%s@stale\ntoy_table_get(stale(r3), out[0])\n", five);
    check_roundtrip(text);
    snprintf(text, sizeof text, "%stoy_table_get(stale(r2), out[0])\n", five);
    check_roundtrip(text);
    /* A slot consumed earlier in the same op is not a candidate. */
    ERR("r0 = toy_buf_new(1)\nr1 = toy_buf_new(1)\nr2 = toygo_adopt(r0)\ntoygo_peek(r2, 0)\n"
        "toy_record_free(r0)",
        "5:17: r0 is a TBuf, but 'rec' takes a TRecord");
}

SF_TEST(parse_enforces_limits)
{
    sf_limits two = {2, 0};
    SF_ASSERT_EQ_STR(parse_err_lim("@gc\n@gc\n@gc\n", &two), "3:1: too many ops (max_ops is 2)");
    sf_limits live = {0, 2};
    SF_ASSERT_EQ_STR(parse_err_lim("r0 = toy_buf_new(1)\nr1 = toy_record_parse(\"\", &r2)", &live),
                     "2:1: too many live resources (max_live is 2)");
    sf_prog *p =
        parse_lim("r0 = toy_buf_new(1)\ntoy_buf_free(r0)\nr1 = toy_record_parse(\"\", &r2)", &live);
    uint8_t *b = NULL;
    size_t n = encode(p, &b);
    sf_prog *q = decode_lim(b, n, &live);
    assert_same_prog(p, q);
    sf_free(b);
    sf_prog_free(q);
    sf_prog_free(p);
}

SF_TEST(parse_error_buffer_is_optional_and_truncated)
{
    sf_prog *p = (sf_prog *)1;
    char small[8];
    SF_ASSERT_EQ_INT(sf_prog_parse(&toy_spec, NULL, "bad", 3, &p, NULL, 0), SF_EPARSE);
    SF_ASSERT_NULL(p);
    SF_ASSERT_EQ_INT(sf_prog_parse(&toy_spec, NULL, "bad", 3, &p, small, sizeof small), SF_EPARSE);
    SF_ASSERT_EQ_STR(small, "1:1: un");
    /* The length bounds the text: the NUL-free prefix "@gc" is all there is. */
    SF_ASSERT_EQ_INT(sf_prog_parse(&toy_spec, NULL, "@gcXYZ", 3, &p, small, sizeof small), 0);
    SF_ASSERT_EQ_INT(p->n_ops, 1);
    sf_prog_free(p);
    SF_ASSERT_EQ_INT(sf_prog_parse(NULL, NULL, "", 0, &p, NULL, 0), SF_EINVAL);
}

SF_TEST(parse_survives_garbage)
{
    uint64_t s = 5;
    char text[300];
    static const char alphabet[] = "r0123=(),\"\\x&@#[]\n toy_buf_newstalenull-abcdef";
    for (int round = 0; round < 20000; round++) {
        size_t n = rng_next(&s) % sizeof text;
        for (size_t i = 0; i < n; i++)
            text[i] = (char)(rng_next(&s) % 4 ? alphabet[rng_next(&s) % (sizeof alphabet - 1)]
                                              : (char)rng_next(&s));
        sf_prog *p = NULL;
        char err[128];
        int rc = sf_prog_parse(&toy_spec, NULL, text, n, &p, err, sizeof err);
        if (rc == 0) {
            sf_prog_free(p);
            continue;
        }
        SF_ASSERT_EQ_INT(rc, SF_EPARSE);
        SF_ASSERT_NULL(p);
        SF_ASSERT(err[0] >= '1' && err[0] <= '9');
    }
}

SF_TEST(encode_rejects_inconsistent_programs)
{
    sf_prog *p = parse_lim("r0 = toy_buf_new(1)\ntoy_buf_len(r0)\n", NULL);
    uint8_t *b = (uint8_t *)1;
    size_t n = 1;
    p->ops[1].args[0].slot = 5; /* no such slot */
    SF_ASSERT_EQ_INT(sf_prog_encode(p, &b, &n), SF_EINVAL);
    SF_ASSERT_NULL(b);
    SF_ASSERT_EQ_INT(n, 0);
    p->ops[1].args[0].slot = 0;
    p->ops[0].ret_slot = 3; /* misnumbered */
    SF_ASSERT_EQ_INT(sf_prog_encode(p, &b, &n), SF_EINVAL);
    p->ops[0].ret_slot = 0;
    p->ops[0].args[0].v.u = 70000; /* out of range */
    SF_ASSERT_EQ_INT(sf_prog_encode(p, &b, &n), SF_EINVAL);
    p->ops[0].args[0].v.u = 1;
    SF_ASSERT_EQ_INT(sf_prog_encode(p, &b, &n), 0);
    sf_free(b);
    SF_ASSERT_EQ_INT(sf_prog_encode(NULL, &b, &n), SF_EINVAL);
    sf_prog_free(p);
}

SF_TEST(print_op_writes_one_line_without_newline)
{
    sf_prog *p = parse_lim("r0 = toy_buf_new(1)\n@thread\n", NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    SF_ASSERT_EQ_INT(sf_prog_print_op(p, 0, f), 0);
    SF_ASSERT_EQ_INT(sf_prog_print_op(p, 1, f), 0);
    SF_ASSERT_EQ_INT(sf_prog_print_op(p, 2, f), SF_EINVAL);
    fclose(f);
    SF_ASSERT_EQ_STR(buf, "r0 = toy_buf_new(1)@thread");
    free(buf);
    sf_prog_free(p);
}

SF_TEST(out_of_memory_is_clean)
{
    const char *text = "r0 = toy_buf_new(1)\ntoy_buf_write(r0, \"abc\")\n@gc\n";
    int ok = 0;
    for (long k = 0; !ok; k++) {
        sf_prog *p = (sf_prog *)1;
        sf_alloc_fail_after(k);
        int rc = sf_prog_parse(&toy_spec, NULL, text, strlen(text), &p, NULL, 0);
        sf_alloc_fail_after(-1);
        if (rc == SF_ENOMEM) {
            SF_ASSERT_NULL(p);
            continue;
        }
        SF_ASSERT_EQ_INT(rc, 0);
        SF_ASSERT_GT_INT(k, 0);
        for (long j = 0;; j++) {
            uint8_t *b = (uint8_t *)1;
            size_t n = 1;
            sf_alloc_fail_after(j);
            rc = sf_prog_encode(p, &b, &n);
            sf_alloc_fail_after(-1);
            if (rc == 0) {
                SF_ASSERT_GT_INT(j, 0);
                sf_free(b);
                break;
            }
            SF_ASSERT_EQ_INT(rc, SF_ENOMEM);
            SF_ASSERT_NULL(b);
        }
        sf_prog_free(p);
        ok = 1;
    }
}

SF_TEST_MAIN()
