/* smoke_bytebridge.c - calls every function of bytebridge.h (the Rust
 * staticlib and the Go c-archive of examples/bytebridge) with valid and
 * invalid inputs, checks that C, Rust and Go agree on BbRecordView, and ends
 * by checking that every live-object probe reads 0.
 *
 * One test case per area, on the shared runner (tests/sf_test.h): every case
 * runs alone and ends by checking that every live-object probe reads 0.
 * Exit status: 0 when every case passed.  Built and run by ctest
 * (example_smoke_bytebridge, standalone build); tests/example/README.txt.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_test.h"

#include "bytebridge.h"

/* One byte more than BB_MAX_CAP, heap-allocated at its exact size so that
 * ASan would see any read past the length passed in; made for each test. */
static uint8_t *big;

static void before(void)
{
    big = malloc((size_t)BB_MAX_CAP + 1);
    SF_ASSERT_NOT_NULL(big);
    for (size_t i = 0; i < (size_t)BB_MAX_CAP + 1; i++)
        big[i] = (uint8_t)(i * 7u + 3u);
}

/* Every probe must read 0 once a test has released its objects. */
static void after(void)
{
    free(big);
    big = NULL;
    bbgo_gc();
    SF_ASSERT_CMP_UINT(bb_live_buffers(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_records(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_strings(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_errors(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_handles(), ==, 0);
    SF_ASSERT_CMP_INT(bbgo_live(), ==, 0);
}

SF_TEST_FIXTURE(before, after)

/* A valid 16-byte record: kind 7, flags 0x81, id 0x04030201,
 * value 0x8070605040302010. */
static const uint8_t k_record[16] = {'B',  'B',  7,    0x81, 0x01, 0x02, 0x03, 0x04,
                                     0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80};

/* Reference Adler-32, one modulo per byte, to cross-check bb_checksum. */
static uint32_t ref_adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return b << 16 | a;
}

/* C, Rust and Go must report the same size, alignment and field offsets. */
SF_TEST(layout)
{
    const size_t c_view[] = {
        sizeof(BbRecordView),          alignof(BbRecordView),         offsetof(BbRecordView, id),
        offsetof(BbRecordView, kind),  offsetof(BbRecordView, flags), offsetof(BbRecordView, pad),
        offsetof(BbRecordView, value),
    };
    const size_t n = sizeof(c_view) / sizeof(c_view[0]);

    SF_ASSERT_CMP_UINT(c_view[0], ==, 16);
    SF_ASSERT_CMP_UINT(c_view[1], ==, 8);
    for (size_t what = 0; what < n; what++) {
        SF_ASSERT_CMP_UINT(bb_layout_record_view(what), ==, c_view[what]);
        SF_ASSERT_CMP_UINT(bbgo_layout_record_view(what), ==, c_view[what]);
    }
    SF_ASSERT_CMP_UINT(bb_layout_record_view(n), ==, SIZE_MAX);
    SF_ASSERT_CMP_UINT(bbgo_layout_record_view(n), ==, SIZE_MAX);
    SF_ASSERT_CMP_UINT(bb_layout_record_view(SIZE_MAX), ==, SIZE_MAX);
    SF_ASSERT_CMP_UINT(bbgo_layout_record_view(SIZE_MAX), ==, SIZE_MAX);
}

/* bb_buf_*: creation limits, writes (including from the buffer's own
 * bytes), reads at every edge, NULL arguments. */
SF_TEST(buffers)
{
    uint8_t out[16];

    SF_ASSERT_NULL(bb_buf_new((size_t)BB_MAX_CAP + 1));
    SF_ASSERT_NULL(bb_buf_new(SIZE_MAX));
    SF_ASSERT_CMP_UINT(bb_buf_len(NULL), ==, 0);
    SF_ASSERT_NULL(bb_buf_data(NULL));
    bb_buf_free(NULL);
    SF_ASSERT_CMP_INT(bb_buf_write(NULL, (const uint8_t *)"x", 1), ==, BB_E_NULL);
    SF_ASSERT_CMP_INT(bb_buf_read(NULL, 0, out, sizeof(out)), ==, BB_E_NULL);

    BbBuf *b = bb_buf_new(8);
    SF_ASSERT_NOT_NULL(b);
    SF_ASSERT_CMP_UINT(bb_live_buffers(), ==, 1);
    SF_ASSERT_CMP_UINT(bb_buf_len(b), ==, 0);
    SF_ASSERT_NULL(bb_buf_data(b));
    SF_ASSERT_CMP_INT(bb_buf_read(b, 0, out, sizeof(out)), ==, 0);
    SF_ASSERT_CMP_INT(bb_buf_read(b, 1, out, sizeof(out)), ==, BB_E_RANGE);

    SF_ASSERT_CMP_INT(bb_buf_write(b, (const uint8_t *)"hello", 5), ==, 5);
    SF_ASSERT_CMP_INT(bb_buf_write(b, NULL, 0), ==, 5);
    SF_ASSERT_CMP_INT(bb_buf_write(b, NULL, 1), ==, BB_E_NULL);
    SF_ASSERT_CMP_UINT(bb_buf_len(b), ==, 5);
    const uint8_t *data = bb_buf_data(b);
    SF_ASSERT_NOT_NULL(data);
    SF_ASSERT_EQ_MEM(data, "hello", 5);

    /* The header lets the bb_buf_data pointer be passed straight back into
     * bb_buf_write (it is valid until that call), even though the write
     * outgrows the capacity and moves the bytes. */
    SF_ASSERT_CMP_INT(bb_buf_write(b, data, 5), ==, 10);
    SF_ASSERT_CMP_UINT(bb_buf_len(b), ==, 10);

    memset(out, 0, sizeof(out));
    SF_ASSERT_CMP_INT(bb_buf_read(b, 0, out, sizeof(out)), ==, 10);
    SF_ASSERT_EQ_MEM(out, "hellohello", 10);
    SF_ASSERT_CMP_INT(bb_buf_read(b, 1, out, 3), ==, 3);
    SF_ASSERT_EQ_MEM(out, "ell", 3);
    SF_ASSERT_CMP_INT(bb_buf_read(b, 8, out, sizeof(out)), ==, 2);
    SF_ASSERT_EQ_MEM(out, "lo", 2);
    SF_ASSERT_CMP_INT(bb_buf_read(b, 10, out, sizeof(out)), ==, 0);
    SF_ASSERT_CMP_INT(bb_buf_read(b, 11, out, sizeof(out)), ==, BB_E_RANGE);
    SF_ASSERT_CMP_INT(bb_buf_read(b, SIZE_MAX, out, sizeof(out)), ==, BB_E_RANGE);
    SF_ASSERT_CMP_INT(bb_buf_read(b, 0, NULL, 4), ==, BB_E_NULL);
    SF_ASSERT_CMP_INT(bb_buf_read(b, 0, NULL, 0), ==, 0);
    bb_buf_free(b);

    /* Length limit: exactly BB_MAX_CAP fits, one byte more does not, and a
     * failed write leaves the buffer unchanged. */
    BbBuf *full = bb_buf_new(0);
    SF_ASSERT_NOT_NULL(full);
    SF_ASSERT_CMP_INT(bb_buf_write(full, big, (size_t)BB_MAX_CAP + 1), ==, BB_E_RANGE);
    SF_ASSERT_CMP_UINT(bb_buf_len(full), ==, 0);
    SF_ASSERT_CMP_INT(bb_buf_write(full, big, BB_MAX_CAP - 1), ==, BB_MAX_CAP - 1);
    SF_ASSERT_CMP_INT(bb_buf_write(full, big, 2), ==, BB_E_RANGE);
    SF_ASSERT_CMP_INT(bb_buf_write(full, big, 1), ==, BB_MAX_CAP);
    SF_ASSERT_CMP_INT(bb_buf_write(full, big, 1), ==, BB_E_RANGE);
    SF_ASSERT_CMP_INT(bb_buf_write(full, NULL, 0), ==, BB_MAX_CAP);
    SF_ASSERT_CMP_UINT(bb_buf_len(full), ==, BB_MAX_CAP);
    SF_ASSERT_CMP_INT(bb_buf_read(full, BB_MAX_CAP - 2, out, sizeof(out)), ==, 2);
    bb_buf_free(full);

    BbBuf *max = bb_buf_new(BB_MAX_CAP);
    SF_ASSERT_NOT_NULL(max);
    bb_buf_free(max);
    SF_ASSERT_CMP_UINT(bb_live_buffers(), ==, 0);
}

/* Parses len bytes at data, expecting NULL and an error object with code
 * want and a non-empty message; line is the caller's. */
static void check_parse_error(const uint8_t *data, size_t len, int32_t want, int line)
{
    BbError *err = NULL;
    BbRecord *rec = bb_record_parse(data, len, &err);
    if (rec != NULL || err == NULL) {
        bb_record_free(rec);
        sf__test_fail(__FILE__, line, "bb_record_parse did not fail with an error object");
    }
    SF_ASSERT_CMP_INT(bb_error_code(err), ==, want);
    const char *msg = bb_error_message(err);
    SF_ASSERT_NOT_NULL(msg);
    SF_ASSERT_CMP_UINT(strlen(msg), >, 0);
    bb_error_free(err);
}

/* bb_record_*, bb_string_free and bb_error_*. */
SF_TEST(records)
{
    static char stale_marker;
    BbRecordView view;
    BbError *err = (BbError *)(void *)&stale_marker; /* Rust must clear it */

    BbRecord *rec = bb_record_parse(k_record, sizeof(k_record), &err);
    SF_ASSERT_NOT_NULL(rec);
    SF_ASSERT_NULL(err);
    SF_ASSERT_CMP_UINT(bb_live_records(), ==, 1);

    memset(&view, 0xa5, sizeof(view));
    SF_ASSERT_CMP_INT(bb_record_get(rec, &view), ==, BB_OK);
    SF_ASSERT_CMP_UINT(view.id, ==, 0x04030201u);
    SF_ASSERT_CMP_UINT(view.kind, ==, 7);
    SF_ASSERT_CMP_UINT(view.flags, ==, 0x81);
    SF_ASSERT_CMP_UINT(view.pad, ==, 0);
    SF_ASSERT_CMP_UINT(view.value, ==, 0x8070605040302010ull);
    SF_ASSERT_CMP_INT(bb_record_get(NULL, &view), ==, BB_E_NULL);
    SF_ASSERT_CMP_INT(bb_record_get(rec, NULL), ==, BB_E_NULL);

    char *desc = bb_record_describe(rec);
    SF_ASSERT_NOT_NULL(desc);
    SF_ASSERT_CMP_UINT(bb_live_strings(), ==, 1);
    SF_ASSERT_CMP_UINT(strlen(desc), >, 0);
    SF_ASSERT_STR_CONTAINS(desc, "kind=7");
    bb_string_free(desc);
    bb_string_free(NULL);
    SF_ASSERT_NULL(bb_record_describe(NULL));
    bb_record_free(rec);
    bb_record_free(NULL);

    /* Without err_out a successful parse still works. */
    rec = bb_record_parse(k_record, sizeof(k_record), NULL);
    SF_ASSERT_NOT_NULL(rec);
    bb_record_free(rec);

    /* Parse errors: wrong length either way, empty, bad magic, NULL data. */
    uint8_t wire[17];
    memcpy(wire, k_record, sizeof(k_record));
    wire[16] = 0;
    check_parse_error(wire, 15, BB_E_PARSE, __LINE__);
    check_parse_error(wire, 17, BB_E_PARSE, __LINE__);
    check_parse_error(wire, 0, BB_E_PARSE, __LINE__);
    check_parse_error(NULL, 0, BB_E_PARSE, __LINE__);
    check_parse_error(NULL, 16, BB_E_NULL, __LINE__);
    wire[1] = 'X';
    check_parse_error(wire, 16, BB_E_PARSE, __LINE__);
    wire[1] = 'B';
    wire[0] = 'b';
    check_parse_error(wire, 16, BB_E_PARSE, __LINE__);

    /* A failure without err_out allocates no error object. */
    SF_ASSERT_NULL(bb_record_parse(wire, 16, NULL));
    SF_ASSERT_NULL(bb_record_parse(NULL, 3, NULL));

    SF_ASSERT_CMP_INT(bb_error_code(NULL), ==, BB_E_NULL);
    SF_ASSERT_NULL(bb_error_message(NULL));
    bb_error_free(NULL);

    SF_ASSERT_CMP_UINT(bb_live_records(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_strings(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_errors(), ==, 0);
}

/* bb_table_*: handle format, copies, stale handles, full table; bbgo_store
 * on a full table. */
SF_TEST(table)
{
    uint8_t out[8];

    uint64_t h = bb_table_insert((const uint8_t *)"abc", 3);
    SF_ASSERT_CMP_UINT(h, !=, 0);
    SF_ASSERT_CMP_UINT(h & 0xffffffffu, <, BB_TABLE_SLOTS);
    SF_ASSERT_CMP_UINT(h >> 32, !=, 0);
    SF_ASSERT_CMP_UINT(bb_live_handles(), ==, 1);

    memset(out, 0, sizeof(out));
    SF_ASSERT_CMP_INT(bb_table_get(h, out, sizeof(out)), ==, 3);
    SF_ASSERT_EQ_MEM(out, "abc", 3);
    SF_ASSERT_CMP_INT(bb_table_get(h, NULL, 0), ==, 3);
    memset(out, 0, sizeof(out));
    SF_ASSERT_CMP_INT(bb_table_get(h, out, 1), ==, 3);
    SF_ASSERT_CMP_UINT(out[0], ==, 'a');
    SF_ASSERT_CMP_UINT(out[1], ==, 0);
    SF_ASSERT_CMP_INT(bb_table_get(h, NULL, 2), ==, BB_E_NULL);

    /* Unknown handles: 0, a slot past the table, a wrong generation. */
    SF_ASSERT_CMP_INT(bb_table_get(0, out, sizeof(out)), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bb_table_get((uint64_t)1 << 32 | BB_TABLE_SLOTS, out, sizeof(out)), ==,
                      BB_E_STALE);
    SF_ASSERT_CMP_INT(bb_table_get(h & 0xffffffffu, out, sizeof(out)), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bb_table_get(h + ((uint64_t)1 << 32), out, sizeof(out)), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bb_table_remove(0), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bb_table_remove(UINT64_MAX), ==, BB_E_STALE);

    /* Removal makes the handle stale even after its slot is reused. */
    SF_ASSERT_CMP_INT(bb_table_remove(h), ==, BB_OK);
    SF_ASSERT_CMP_INT(bb_table_remove(h), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bb_table_get(h, out, sizeof(out)), ==, BB_E_STALE);
    uint64_t h2 = bb_table_insert((const uint8_t *)"xy", 2);
    SF_ASSERT_CMP_UINT(h2, !=, 0);
    SF_ASSERT_CMP_UINT(h2, !=, h);
    SF_ASSERT_CMP_INT(bb_table_get(h, out, sizeof(out)), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bb_table_get(h2, out, sizeof(out)), ==, 2);
    SF_ASSERT_CMP_INT(bb_table_remove(h2), ==, BB_OK);

    /* Empty entries, and arguments that must be refused. */
    uint64_t empty = bb_table_insert(NULL, 0);
    SF_ASSERT_CMP_UINT(empty, !=, 0);
    SF_ASSERT_CMP_INT(bb_table_get(empty, NULL, 0), ==, 0);
    SF_ASSERT_CMP_INT(bb_table_remove(empty), ==, BB_OK);
    SF_ASSERT_CMP_UINT(bb_table_insert(NULL, 5), ==, 0);
    SF_ASSERT_CMP_UINT(bb_table_insert(big, (size_t)BB_MAX_CAP + 1), ==, 0);
    uint64_t max = bb_table_insert(big, BB_MAX_CAP);
    SF_ASSERT_CMP_UINT(max, !=, 0);
    SF_ASSERT_CMP_INT(bb_table_get(max, NULL, 0), ==, BB_MAX_CAP);
    SF_ASSERT_CMP_INT(bb_table_remove(max), ==, BB_OK);
    SF_ASSERT_CMP_UINT(bb_live_handles(), ==, 0);

    /* Fill every slot; the next insert (Rust or through Go) is refused. */
    uint64_t all[BB_TABLE_SLOTS];
    for (size_t i = 0; i < BB_TABLE_SLOTS; i++) {
        uint8_t byte = (uint8_t)i;
        all[i] = bb_table_insert(&byte, 1);
        SF_ASSERT_CMP_UINT(all[i], !=, 0);
    }
    SF_ASSERT_CMP_UINT(bb_live_handles(), ==, BB_TABLE_SLOTS);
    SF_ASSERT_CMP_UINT(bb_table_insert((const uint8_t *)"z", 1), ==, 0);
    SF_ASSERT_CMP_INT(bbgo_store((const uint8_t *)"z", 1), ==, BB_E_FULL);
    SF_ASSERT_CMP_INT(bbgo_live(), ==, 0);
    for (size_t i = 0; i < BB_TABLE_SLOTS; i++) {
        SF_ASSERT_CMP_INT(bb_table_get(all[i], out, 1), ==, 1);
        SF_ASSERT_CMP_UINT(out[0], ==, (uint8_t)i);
        SF_ASSERT_CMP_INT(bb_table_remove(all[i]), ==, BB_OK);
    }
    SF_ASSERT_CMP_UINT(bb_live_handles(), ==, 0);
}

/* bb_checksum: known values, NULL arguments, the contained Rust panic. */
SF_TEST(checksum)
{
    uint32_t sum = 0;

    SF_ASSERT_CMP_INT(bb_checksum((const uint8_t *)"Wikipedia", 9, &sum), ==, BB_OK);
    SF_ASSERT_CMP_UINT(sum, ==, 0x11E60398u);
    SF_ASSERT_CMP_INT(bb_checksum(NULL, 0, &sum), ==, BB_OK);
    SF_ASSERT_CMP_UINT(sum, ==, 1);
    SF_ASSERT_CMP_INT(bb_checksum(big, (size_t)BB_MAX_CAP + 1, &sum), ==, BB_OK);
    SF_ASSERT_CMP_UINT(sum, ==, ref_adler32(big, (size_t)BB_MAX_CAP + 1));
    SF_ASSERT_CMP_INT(bb_checksum(NULL, 5, &sum), ==, BB_E_NULL);
    SF_ASSERT_CMP_INT(bb_checksum((const uint8_t *)"abc", 3, NULL), ==, BB_E_NULL);

    /* The panic path: BB_E_PANIC, *out untouched, and repeatable. */
    sum = 0xdeadbeefu;
    SF_ASSERT_CMP_INT(bb_checksum((const uint8_t *)"!P", 2, &sum), ==, BB_E_PANIC);
    SF_ASSERT_CMP_INT(bb_checksum((const uint8_t *)"!Pxyz", 5, &sum), ==, BB_E_PANIC);
    SF_ASSERT_CMP_UINT(sum, ==, 0xdeadbeefu);
    SF_ASSERT_CMP_INT(bb_checksum((const uint8_t *)"!", 1, &sum), ==, BB_OK);
    SF_ASSERT_CMP_UINT(sum, ==, ref_adler32((const uint8_t *)"!", 1));
    SF_ASSERT_CMP_INT(bb_checksum((const uint8_t *)"P!", 2, &sum), ==, BB_OK);
}

/* bbgo_adopt / append / peek / release: ownership moves from C to Go. */
SF_TEST(go_buffers)
{
    SF_ASSERT_CMP_INT(bbgo_adopt(NULL), ==, BB_E_NULL);

    BbBuf *b = bb_buf_new(4);
    SF_ASSERT_NOT_NULL(b);
    SF_ASSERT_CMP_INT(bb_buf_write(b, (const uint8_t *)"xy", 2), ==, 2);
    int64_t h = bbgo_adopt(b);
    b = NULL; /* Go owns it now. */
    SF_ASSERT_CMP_INT(h, >, 0);
    SF_ASSERT_CMP_INT(bbgo_live(), ==, 1);
    SF_ASSERT_CMP_UINT(bb_live_buffers(), ==, 1);

    SF_ASSERT_CMP_INT(bbgo_append(h, (const uint8_t *)"z\xff", 2), ==, 4);
    SF_ASSERT_CMP_INT(bbgo_append(h, NULL, 0), ==, 4);
    SF_ASSERT_CMP_INT(bbgo_append(h, NULL, 2), ==, BB_E_NULL);
    SF_ASSERT_CMP_INT(bbgo_append(h, big, BB_MAX_CAP), ==, BB_E_RANGE);
    SF_ASSERT_CMP_INT(bbgo_peek(h, 0), ==, 'x');
    SF_ASSERT_CMP_INT(bbgo_peek(h, 2), ==, 'z');
    SF_ASSERT_CMP_INT(bbgo_peek(h, 3), ==, 255);
    SF_ASSERT_CMP_INT(bbgo_peek(h, 4), ==, BB_E_RANGE);
    SF_ASSERT_CMP_INT(bbgo_peek(h, SIZE_MAX), ==, BB_E_RANGE);

    SF_ASSERT_CMP_INT(bbgo_peek(0, 0), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_peek(-1, 0), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_peek(h + 1000, 0), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_append(h + 1000, (const uint8_t *)"a", 1), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_release(0), ==, BB_E_STALE);

    /* A second adopted buffer gets its own handle. */
    BbBuf *b2 = bb_buf_new(0);
    SF_ASSERT_NOT_NULL(b2);
    int64_t h2 = bbgo_adopt(b2);
    SF_ASSERT_CMP_INT(h2, >, 0);
    SF_ASSERT_CMP_INT(h2, !=, h);
    SF_ASSERT_CMP_INT(bbgo_peek(h2, 0), ==, BB_E_RANGE);
    SF_ASSERT_CMP_INT(bbgo_live(), ==, 2);

    bbgo_gc(); /* Go's GC must leave adopted Rust objects alone. */
    SF_ASSERT_CMP_INT(bbgo_peek(h, 0), ==, 'x');

    SF_ASSERT_CMP_INT(bbgo_release(h), ==, BB_OK);
    SF_ASSERT_CMP_INT(bbgo_release(h), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_append(h, (const uint8_t *)"a", 1), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_peek(h, 0), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_release(h2), ==, BB_OK);
    SF_ASSERT_CMP_INT(bbgo_live(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_buffers(), ==, 0);
}

/* bbgo_process: the record round trip through Go and its error codes. */
SF_TEST(go_process)
{
    uint8_t wire[16];
    memcpy(wire, k_record, sizeof(wire));

    SF_ASSERT_CMP_INT(bbgo_process(wire, 16), ==, 7);
    wire[2] = 0xff;
    SF_ASSERT_CMP_INT(bbgo_process(wire, 16), ==, 255);
    SF_ASSERT_CMP_INT(bbgo_process(wire, 15), ==, BB_E_PARSE);
    SF_ASSERT_CMP_INT(bbgo_process(wire, 0), ==, BB_E_PARSE);
    SF_ASSERT_CMP_INT(bbgo_process(NULL, 0), ==, BB_E_PARSE);
    SF_ASSERT_CMP_INT(bbgo_process(NULL, 16), ==, BB_E_NULL);
    wire[0] = 'C';
    SF_ASSERT_CMP_INT(bbgo_process(wire, 16), ==, BB_E_PARSE);

    SF_ASSERT_CMP_UINT(bb_live_records(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_strings(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_errors(), ==, 0);
}

/* bbgo_store / load / drop: Rust table entries behind Go handles. */
SF_TEST(go_store)
{
    uint8_t out[8];

    int64_t h = bbgo_store((const uint8_t *)"hello", 5);
    SF_ASSERT_CMP_INT(h, >, 0);
    SF_ASSERT_CMP_INT(bbgo_live(), ==, 1);
    SF_ASSERT_CMP_UINT(bb_live_handles(), ==, 1);
    memset(out, 0, sizeof(out));
    SF_ASSERT_CMP_INT(bbgo_load(h, out, sizeof(out)), ==, 5);
    SF_ASSERT_EQ_MEM(out, "hello", 5);
    SF_ASSERT_CMP_INT(bbgo_load(h, out, 2), ==, 5);
    SF_ASSERT_CMP_INT(bbgo_load(h, NULL, 0), ==, 5);
    SF_ASSERT_CMP_INT(bbgo_load(h, NULL, 3), ==, BB_E_NULL);
    SF_ASSERT_CMP_INT(bbgo_load(h + 1000, out, sizeof(out)), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_load(0, out, sizeof(out)), ==, BB_E_STALE);

    SF_ASSERT_CMP_INT(bbgo_store(NULL, 3), ==, BB_E_NULL);
    SF_ASSERT_CMP_INT(bbgo_store(big, (size_t)BB_MAX_CAP + 1), ==, BB_E_RANGE);
    int64_t empty = bbgo_store(NULL, 0);
    SF_ASSERT_CMP_INT(empty, >, 0);
    SF_ASSERT_CMP_INT(bbgo_load(empty, out, sizeof(out)), ==, 0);
    SF_ASSERT_CMP_INT(bbgo_drop(empty), ==, BB_OK);

    SF_ASSERT_CMP_INT(bbgo_drop(h), ==, BB_OK);
    SF_ASSERT_CMP_INT(bbgo_drop(h), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_load(h, out, sizeof(out)), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_drop(-5), ==, BB_E_STALE);
    SF_ASSERT_CMP_INT(bbgo_live(), ==, 0);
    SF_ASSERT_CMP_UINT(bb_live_handles(), ==, 0);
}

/* bbgo_checked: validation in Go and the recovered Go panic. */
SF_TEST(go_checked)
{
    SF_ASSERT_CMP_INT(bbgo_checked(k_record, sizeof(k_record)), ==, BB_OK);
    SF_ASSERT_CMP_INT(bbgo_checked(k_record, 15), ==, BB_E_PARSE);
    SF_ASSERT_CMP_INT(bbgo_checked((const uint8_t *)"BX", 2), ==, BB_E_PARSE);
    SF_ASSERT_CMP_INT(bbgo_checked(NULL, 0), ==, BB_E_PARSE);
    SF_ASSERT_CMP_INT(bbgo_checked(NULL, 4), ==, BB_E_NULL);
    SF_ASSERT_CMP_INT(bbgo_checked(big, (size_t)BB_MAX_CAP + 1), ==, BB_E_RANGE);
    SF_ASSERT_CMP_INT(bbgo_checked((const uint8_t *)"!G", 2), ==, BB_E_PANIC);
    SF_ASSERT_CMP_INT(bbgo_checked((const uint8_t *)"!Gxyz", 5), ==, BB_E_PANIC);
    SF_ASSERT_CMP_INT(bbgo_checked((const uint8_t *)"!", 1), ==, BB_E_PARSE);
    /* The process is still healthy after the recovered panic. */
    SF_ASSERT_CMP_INT(bbgo_process(k_record, sizeof(k_record)), ==, 7);
}

SF_TEST_MAIN()
