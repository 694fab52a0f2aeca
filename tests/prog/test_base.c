/* test_base.c - the byte cursor, the error table and the allocation pair. */
#include "sf_test.h"

#include "sf_alloc.h"
#include "sf_covline.h"
#include "sf_cursor.h"
#include "sf_err.h"

SF_TEST(cursor_reads_little_endian)
{
    const uint8_t d[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                         0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
    sf_cursor c = sf_cursor_make(d, sizeof d);
    SF_ASSERT_EQ_UINT(sf_cursor_u8(&c), 0x01);
    SF_ASSERT_EQ_UINT(sf_cursor_u16(&c), 0x0302);
    SF_ASSERT_EQ_UINT(sf_cursor_u32(&c), 0x07060504);
    SF_ASSERT_EQ_UINT(sf_cursor_offset(&c), 7);
    SF_ASSERT_EQ_UINT(sf_cursor_u64(&c), 0x0f0e0d0c0b0a0908ull);
    SF_ASSERT_EQ_UINT(sf_cursor_remaining(&c), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_offset(&c), sizeof d);
}

SF_TEST(cursor_missing_bytes_read_as_zero)
{
    const uint8_t d[] = {0xaa, 0xbb, 0xcc};
    sf_cursor c = sf_cursor_make(d, sizeof d);
    SF_ASSERT_EQ_UINT(sf_cursor_u16(&c), 0xbbaa);
    SF_ASSERT_EQ_UINT(sf_cursor_u32(&c), 0xcc);
    SF_ASSERT_EQ_UINT(sf_cursor_offset(&c), 3);
    SF_ASSERT_EQ_UINT(sf_cursor_u8(&c), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_u64(&c), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_offset(&c), 3);
    SF_ASSERT_EQ_UINT(sf_cursor_remaining(&c), 0);
}

SF_TEST(cursor_odd_widths)
{
    const uint8_t d[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    sf_cursor c = sf_cursor_make(d, sizeof d);
    SF_ASSERT_EQ_UINT(sf_cursor_uint(&c, 0), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_offset(&c), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_uint(&c, 3), 0x030201);
    /* Widths past 8 read 8 bytes; here only 7 are left. */
    SF_ASSERT_EQ_UINT(sf_cursor_uint(&c, 200), 0x000a090807060504ull);
    SF_ASSERT_EQ_UINT(sf_cursor_remaining(&c), 0);
}

SF_TEST(cursor_bytes_truncate)
{
    const uint8_t d[] = {'a', 'b', 'c', 'd', 'e'};
    const uint8_t *p = NULL;
    sf_cursor c = sf_cursor_make(d, sizeof d);
    SF_ASSERT_EQ_UINT(sf_cursor_bytes(&c, 2, &p), 2);
    SF_ASSERT_EQ_MEM(p, "ab", 2);
    SF_ASSERT_EQ_UINT(sf_cursor_bytes(&c, 0, &p), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_bytes(&c, 100, &p), 3);
    SF_ASSERT_EQ_MEM(p, "cde", 3);
    SF_ASSERT_EQ_UINT(sf_cursor_bytes(&c, 1, &p), 0);
    SF_ASSERT_NOT_NULL(p);
    SF_ASSERT_EQ_UINT(sf_cursor_offset(&c), 5);
}

SF_TEST(cursor_empty_and_null)
{
    const uint8_t *p = NULL;
    sf_cursor c = sf_cursor_make(NULL, 10); /* NULL data has no bytes */
    SF_ASSERT_EQ_UINT(sf_cursor_remaining(&c), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_u32(&c), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_bytes(&c, 4, &p), 0);
    SF_ASSERT_NOT_NULL(p);
    c = sf_cursor_make((const uint8_t *)"", 0);
    SF_ASSERT_EQ_UINT(sf_cursor_u8(&c), 0);
    SF_ASSERT_EQ_UINT(sf_cursor_offset(&c), 0);
}

SF_TEST(cursor_is_a_value)
{
    const uint8_t d[] = {7, 8, 9};
    sf_cursor c = sf_cursor_make(d, sizeof d);
    sf_cursor_u8(&c);
    sf_cursor saved = c; /* copying remembers the position */
    SF_ASSERT_EQ_UINT(sf_cursor_u8(&c), 8);
    SF_ASSERT_EQ_UINT(sf_cursor_u8(&saved), 8);
    SF_ASSERT_EQ_UINT(sf_cursor_u8(&saved), 9);
}

SF_TEST(err_names_and_messages)
{
    SF_ASSERT_EQ_STR(sf_err_name(SF_OK), "SF_OK");
    SF_ASSERT_EQ_STR(sf_err_name(SF_ENOMEM), "SF_ENOMEM");
    SF_ASSERT_EQ_STR(sf_err_name(SF_EPARSE), "SF_EPARSE");
    SF_ASSERT_EQ_STR(sf_err_name(SF_EBUSY), "SF_EBUSY");
    SF_ASSERT_EQ_STR(sf_err_name(-1000), "SF_E?");
    SF_ASSERT_EQ_STR(sf_err_name(5), "SF_E?");
    SF_ASSERT_EQ_STR(sf_strerror(SF_OK), "success");
    SF_ASSERT_EQ_STR(sf_strerror(SF_EINVAL), "invalid argument");
    SF_ASSERT_EQ_STR(sf_strerror(SF_EIO), "input/output error");
    SF_ASSERT_EQ_STR(sf_strerror(-1000), "unknown error");
}

SF_TEST(err_every_code_has_a_name)
{
#define CHECK(name, val, msg)                                                                      \
    SF_ASSERT_EQ_STR(sf_err_name(val), "SF_E" #name);                                              \
    SF_ASSERT_EQ_STR(sf_strerror(val), msg);
    SF_ERRNO_MAP(CHECK)
#undef CHECK
}

SF_TEST(alloc_basic)
{
    uint8_t *p = sf_calloc(16);
    SF_ASSERT_NOT_NULL(p);
    for (int i = 0; i < 16; i++)
        SF_ASSERT_EQ_INT(p[i], 0);
    p = sf_realloc(p, 4096);
    SF_ASSERT_NOT_NULL(p);
    SF_ASSERT_EQ_INT(p[15], 0);
    sf_free(p);
    sf_free(NULL);
    p = sf_calloc(0); /* zero bytes still gives a block, so NULL means failure */
    SF_ASSERT_NOT_NULL(p);
    sf_free(p);
}

SF_TEST(alloc_fail_after_fails_exactly_one)
{
    sf_alloc_fail_after(2);
    void *a = sf_calloc(8), *b = sf_calloc(8);
    void *c = sf_calloc(8); /* the third fails */
    void *d = sf_calloc(8); /* and injection is off again */
    SF_ASSERT_NOT_NULL(a);
    SF_ASSERT_NOT_NULL(b);
    SF_ASSERT_NULL(c);
    SF_ASSERT_NOT_NULL(d);
    sf_alloc_fail_after(0);
    void *e = sf_realloc(a, 64); /* realloc counts too, and keeps a on failure */
    SF_ASSERT_NULL(e);
    sf_alloc_fail_after(5);
    sf_alloc_fail_after(-1); /* disables */
    void *f = sf_calloc(8);
    SF_ASSERT_NOT_NULL(f);
    sf_free(a);
    sf_free(b);
    sf_free(d);
    sf_free(f);
}

static void child_fails(void *arg)
{
    (void)arg;
    puts("child output");
    SF_ASSERT_EQ_INT(1, 2);
}

static void child_aborts(void *arg)
{
    (void)arg;
    fputs("about to abort\n", stderr);
    abort();
}

SF_TEST(runner_child_helpers)
{
    char out[256];
    int st = sf_test_run_child(child_fails, NULL, out, sizeof out);
    SF_ASSERT_CHILD_EXITED(st, SF_TEST_CHILD_FAILED);
    SF_ASSERT_STR_CONTAINS(out, "child output");
    SF_ASSERT_STR_CONTAINS(out, "SF_ASSERT_EQ_INT(1, 2) failed: 1 vs 2");
    st = sf_test_run_child(child_aborts, NULL, out, sizeof out);
    SF_ASSERT_CHILD_ABORTED(st);
    SF_ASSERT_EQ_STR(out, "about to abort\n");
}

/* The campaign's counters line (sf_covline.h): what the runtime writes, the
 * tool and a restarted worker read back; a torn line stops at the tear. */
SF_TEST(covline_round_trip)
{
    uint8_t hit[9] = {1, 0, 0, 1, 0, 1, 1, 0, 1};
    sf_buf b = {0};
    sf_covline_put(&b, 1, 1, hit, 9, 5);
    SF_ASSERT_EQ_STR(b.p, "module 1 go 9 5 961\n");
    uint8_t back[9] = {0};
    int index, go;
    size_t len;
    SF_ASSERT_EQ_INT(sf_covline_get(b.p, &index, &go, &len, back, sizeof back), 5);
    SF_ASSERT_EQ_INT(index, 1);
    SF_ASSERT_EQ_INT(go, 1);
    SF_ASSERT_EQ_INT(len, 9);
    SF_ASSERT(memcmp(hit, back, sizeof hit) == 0);
    /* Read again: nothing newly set. */
    SF_ASSERT_EQ_INT(sf_covline_get(b.p, &index, &go, &len, back, sizeof back), 0);
    uint8_t torn[9] = {0};
    SF_ASSERT_EQ_INT(sf_covline_get("module 0 native 9 5 9", &index, &go, &len, torn, 9), 2);
    SF_ASSERT_EQ_INT(torn[4], 0);
    SF_ASSERT_EQ_INT(sf_covline_get("seamfuzz-covmap 1", &index, &go, &len, NULL, 0), -1);
    sf_buf_free(&b);
}

SF_TEST_MAIN()
