/* smoke_bytebridge.c - calls every function of bytebridge.h (the Rust
 * staticlib and the Go c-archive of examples/bytebridge) with valid and
 * invalid inputs, checks that C, Rust and Go agree on BbRecordView, and ends
 * by checking that every live-object probe reads 0.
 *
 * Exit status: 0 when every check passed, 1 otherwise.  Checks are never
 * compiled out and print both operands on failure.  Build commands are in
 * tests/example/README.txt.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebridge.h"

/* Counts of checks run and failed; the only state this program keeps. */
typedef struct SmokeCtx {
    unsigned long checks;
    unsigned long failures;
} SmokeCtx;

static SmokeCtx g_ctx; /* one run per process; reset implicitly at start */

/* Records the outcome of one check and prints the failed expression; the
 * macros below then print the operands.  Returns ok. */
static int smoke_check(int ok, const char *file, int line, const char *text)
{
    g_ctx.checks++;
    if (!ok) {
        g_ctx.failures++;
        fprintf(stderr, "%s:%d: CHECK FAILED: %s\n", file, line, text);
    }
    return ok;
}

/* Signed comparison: both operands are shown as long long. */
#define CHECK_INT(a, op, b)                                                                        \
    do {                                                                                           \
        long long chk_a_ = (long long)(a);                                                         \
        long long chk_b_ = (long long)(b);                                                         \
        if (!smoke_check(chk_a_ op chk_b_, __FILE__, __LINE__, #a " " #op " " #b))                 \
            fprintf(stderr, "    left:  %lld\n    right: %lld\n", chk_a_, chk_b_);                 \
    } while (0)

/* Unsigned comparison (sizes, handles): operands shown in decimal and hex. */
#define CHECK_UINT(a, op, b)                                                                       \
    do {                                                                                           \
        unsigned long long chk_a_ = (unsigned long long)(a);                                       \
        unsigned long long chk_b_ = (unsigned long long)(b);                                       \
        if (!smoke_check(chk_a_ op chk_b_, __FILE__, __LINE__, #a " " #op " " #b))                 \
            fprintf(stderr, "    left:  %llu (0x%llx)\n    right: %llu (0x%llx)\n", chk_a_,        \
                    chk_a_, chk_b_, chk_b_);                                                       \
    } while (0)

/* Pointer is NULL / not NULL; the pointer value is shown on failure. */
#define CHECK_NULL(p)                                                                              \
    do {                                                                                           \
        const void *chk_p_ = (const void *)(p);                                                    \
        if (!smoke_check(chk_p_ == NULL, __FILE__, __LINE__, #p " == NULL"))                       \
            fprintf(stderr, "    value: %p\n", chk_p_);                                            \
    } while (0)

/* Like CHECK_NULL, but the caller cannot go on without the pointer: the
 * enclosing test function returns (leaking what it holds, which only
 * matters once the run has already failed). */
#define REQUIRE_NONNULL(p)                                                                         \
    do {                                                                                           \
        if (!smoke_check((p) != NULL, __FILE__, __LINE__, #p " != NULL"))                          \
            return;                                                                                \
    } while (0)

/* Byte ranges are equal; both are dumped on failure. */
#define CHECK_BYTES(a, b, n) check_bytes((a), (b), (n), __FILE__, __LINE__, #a " == " #b)

static void dump_bytes(const char *label, const uint8_t *p, size_t n)
{
    fprintf(stderr, "    %s:", label);
    for (size_t i = 0; i < n && i < 32; i++)
        fprintf(stderr, " %02x", p[i]);
    fprintf(stderr, "%s\n", n > 32 ? " ..." : "");
}

static void check_bytes(const void *a, const void *b, size_t n, const char *file, int line,
                        const char *text)
{
    if (!smoke_check(memcmp(a, b, n) == 0, file, line, text)) {
        dump_bytes("left ", a, n);
        dump_bytes("right", b, n);
    }
}

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
static void test_layout(void)
{
    const size_t c_view[] = {
        sizeof(BbRecordView),          alignof(BbRecordView),         offsetof(BbRecordView, id),
        offsetof(BbRecordView, kind),  offsetof(BbRecordView, flags), offsetof(BbRecordView, pad),
        offsetof(BbRecordView, value),
    };
    const size_t n = sizeof(c_view) / sizeof(c_view[0]);

    CHECK_UINT(c_view[0], ==, 16);
    CHECK_UINT(c_view[1], ==, 8);
    for (size_t what = 0; what < n; what++) {
        CHECK_UINT(bb_layout_record_view(what), ==, c_view[what]);
        CHECK_UINT(bbgo_layout_record_view(what), ==, c_view[what]);
    }
    CHECK_UINT(bb_layout_record_view(n), ==, SIZE_MAX);
    CHECK_UINT(bbgo_layout_record_view(n), ==, SIZE_MAX);
    CHECK_UINT(bb_layout_record_view(SIZE_MAX), ==, SIZE_MAX);
    CHECK_UINT(bbgo_layout_record_view(SIZE_MAX), ==, SIZE_MAX);
}

/* bb_buf_*: creation limits, writes (including from the buffer's own
 * bytes), reads at every edge, NULL arguments. */
static void test_buffers(const uint8_t *big)
{
    uint8_t out[16];

    CHECK_NULL(bb_buf_new((size_t)BB_MAX_CAP + 1));
    CHECK_NULL(bb_buf_new(SIZE_MAX));
    CHECK_UINT(bb_buf_len(NULL), ==, 0);
    CHECK_NULL(bb_buf_data(NULL));
    bb_buf_free(NULL);
    CHECK_INT(bb_buf_write(NULL, (const uint8_t *)"x", 1), ==, BB_E_NULL);
    CHECK_INT(bb_buf_read(NULL, 0, out, sizeof(out)), ==, BB_E_NULL);

    BbBuf *b = bb_buf_new(8);
    REQUIRE_NONNULL(b);
    CHECK_UINT(bb_live_buffers(), ==, 1);
    CHECK_UINT(bb_buf_len(b), ==, 0);
    CHECK_NULL(bb_buf_data(b));
    CHECK_INT(bb_buf_read(b, 0, out, sizeof(out)), ==, 0);
    CHECK_INT(bb_buf_read(b, 1, out, sizeof(out)), ==, BB_E_RANGE);

    CHECK_INT(bb_buf_write(b, (const uint8_t *)"hello", 5), ==, 5);
    CHECK_INT(bb_buf_write(b, NULL, 0), ==, 5);
    CHECK_INT(bb_buf_write(b, NULL, 1), ==, BB_E_NULL);
    CHECK_UINT(bb_buf_len(b), ==, 5);
    const uint8_t *data = bb_buf_data(b);
    REQUIRE_NONNULL(data);
    CHECK_BYTES(data, "hello", 5);

    /* The header lets the bb_buf_data pointer be passed straight back into
     * bb_buf_write (it is valid until that call), even though the write
     * outgrows the capacity and moves the bytes. */
    CHECK_INT(bb_buf_write(b, data, 5), ==, 10);
    CHECK_UINT(bb_buf_len(b), ==, 10);

    memset(out, 0, sizeof(out));
    CHECK_INT(bb_buf_read(b, 0, out, sizeof(out)), ==, 10);
    CHECK_BYTES(out, "hellohello", 10);
    CHECK_INT(bb_buf_read(b, 1, out, 3), ==, 3);
    CHECK_BYTES(out, "ell", 3);
    CHECK_INT(bb_buf_read(b, 8, out, sizeof(out)), ==, 2);
    CHECK_BYTES(out, "lo", 2);
    CHECK_INT(bb_buf_read(b, 10, out, sizeof(out)), ==, 0);
    CHECK_INT(bb_buf_read(b, 11, out, sizeof(out)), ==, BB_E_RANGE);
    CHECK_INT(bb_buf_read(b, SIZE_MAX, out, sizeof(out)), ==, BB_E_RANGE);
    CHECK_INT(bb_buf_read(b, 0, NULL, 4), ==, BB_E_NULL);
    CHECK_INT(bb_buf_read(b, 0, NULL, 0), ==, 0);
    bb_buf_free(b);

    /* Length limit: exactly BB_MAX_CAP fits, one byte more does not, and a
     * failed write leaves the buffer unchanged. */
    BbBuf *full = bb_buf_new(0);
    REQUIRE_NONNULL(full);
    CHECK_INT(bb_buf_write(full, big, (size_t)BB_MAX_CAP + 1), ==, BB_E_RANGE);
    CHECK_UINT(bb_buf_len(full), ==, 0);
    CHECK_INT(bb_buf_write(full, big, BB_MAX_CAP - 1), ==, BB_MAX_CAP - 1);
    CHECK_INT(bb_buf_write(full, big, 2), ==, BB_E_RANGE);
    CHECK_INT(bb_buf_write(full, big, 1), ==, BB_MAX_CAP);
    CHECK_INT(bb_buf_write(full, big, 1), ==, BB_E_RANGE);
    CHECK_INT(bb_buf_write(full, NULL, 0), ==, BB_MAX_CAP);
    CHECK_UINT(bb_buf_len(full), ==, BB_MAX_CAP);
    CHECK_INT(bb_buf_read(full, BB_MAX_CAP - 2, out, sizeof(out)), ==, 2);
    bb_buf_free(full);

    BbBuf *max = bb_buf_new(BB_MAX_CAP);
    REQUIRE_NONNULL(max);
    bb_buf_free(max);
    CHECK_UINT(bb_live_buffers(), ==, 0);
}

/* Parses len bytes at data, expecting NULL and an error object with code
 * want and a non-empty message; line is the caller's. */
static void check_parse_error(const uint8_t *data, size_t len, int32_t want, int line)
{
    BbError *err = NULL;
    BbRecord *rec = bb_record_parse(data, len, &err);
    if (!smoke_check(rec == NULL && err != NULL, __FILE__, line, "parse fails with an error")) {
        bb_record_free(rec);
        return;
    }
    CHECK_INT(bb_error_code(err), ==, want);
    const char *msg = bb_error_message(err);
    if (smoke_check(msg != NULL, __FILE__, line, "error message != NULL"))
        CHECK_UINT(strlen(msg), >, 0);
    bb_error_free(err);
}

/* bb_record_*, bb_string_free and bb_error_*. */
static void test_records(void)
{
    static char stale_marker;
    BbRecordView view;
    BbError *err = (BbError *)(void *)&stale_marker; /* Rust must clear it */

    BbRecord *rec = bb_record_parse(k_record, sizeof(k_record), &err);
    REQUIRE_NONNULL(rec);
    CHECK_NULL(err);
    CHECK_UINT(bb_live_records(), ==, 1);

    memset(&view, 0xa5, sizeof(view));
    CHECK_INT(bb_record_get(rec, &view), ==, BB_OK);
    CHECK_UINT(view.id, ==, 0x04030201u);
    CHECK_UINT(view.kind, ==, 7);
    CHECK_UINT(view.flags, ==, 0x81);
    CHECK_UINT(view.pad, ==, 0);
    CHECK_UINT(view.value, ==, 0x8070605040302010ull);
    CHECK_INT(bb_record_get(NULL, &view), ==, BB_E_NULL);
    CHECK_INT(bb_record_get(rec, NULL), ==, BB_E_NULL);

    char *desc = bb_record_describe(rec);
    REQUIRE_NONNULL(desc);
    CHECK_UINT(bb_live_strings(), ==, 1);
    CHECK_UINT(strlen(desc), >, 0);
    if (!smoke_check(strstr(desc, "kind=7") != NULL, __FILE__, __LINE__, "desc mentions kind=7"))
        fprintf(stderr, "    desc: \"%s\"\n", desc);
    bb_string_free(desc);
    bb_string_free(NULL);
    CHECK_NULL(bb_record_describe(NULL));
    bb_record_free(rec);
    bb_record_free(NULL);

    /* Without err_out a successful parse still works. */
    rec = bb_record_parse(k_record, sizeof(k_record), NULL);
    REQUIRE_NONNULL(rec);
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
    CHECK_NULL(bb_record_parse(wire, 16, NULL));
    CHECK_NULL(bb_record_parse(NULL, 3, NULL));

    CHECK_INT(bb_error_code(NULL), ==, BB_E_NULL);
    CHECK_NULL(bb_error_message(NULL));
    bb_error_free(NULL);

    CHECK_UINT(bb_live_records(), ==, 0);
    CHECK_UINT(bb_live_strings(), ==, 0);
    CHECK_UINT(bb_live_errors(), ==, 0);
}

/* bb_table_*: handle format, copies, stale handles, full table; bbgo_store
 * on a full table. */
static void test_table(const uint8_t *big)
{
    uint8_t out[8];

    uint64_t h = bb_table_insert((const uint8_t *)"abc", 3);
    CHECK_UINT(h, !=, 0);
    CHECK_UINT(h & 0xffffffffu, <, BB_TABLE_SLOTS);
    CHECK_UINT(h >> 32, !=, 0);
    CHECK_UINT(bb_live_handles(), ==, 1);

    memset(out, 0, sizeof(out));
    CHECK_INT(bb_table_get(h, out, sizeof(out)), ==, 3);
    CHECK_BYTES(out, "abc", 3);
    CHECK_INT(bb_table_get(h, NULL, 0), ==, 3);
    memset(out, 0, sizeof(out));
    CHECK_INT(bb_table_get(h, out, 1), ==, 3);
    CHECK_UINT(out[0], ==, 'a');
    CHECK_UINT(out[1], ==, 0);
    CHECK_INT(bb_table_get(h, NULL, 2), ==, BB_E_NULL);

    /* Unknown handles: 0, a slot past the table, a wrong generation. */
    CHECK_INT(bb_table_get(0, out, sizeof(out)), ==, BB_E_STALE);
    CHECK_INT(bb_table_get((uint64_t)1 << 32 | BB_TABLE_SLOTS, out, sizeof(out)), ==, BB_E_STALE);
    CHECK_INT(bb_table_get(h & 0xffffffffu, out, sizeof(out)), ==, BB_E_STALE);
    CHECK_INT(bb_table_get(h + ((uint64_t)1 << 32), out, sizeof(out)), ==, BB_E_STALE);
    CHECK_INT(bb_table_remove(0), ==, BB_E_STALE);
    CHECK_INT(bb_table_remove(UINT64_MAX), ==, BB_E_STALE);

    /* Removal makes the handle stale even after its slot is reused. */
    CHECK_INT(bb_table_remove(h), ==, BB_OK);
    CHECK_INT(bb_table_remove(h), ==, BB_E_STALE);
    CHECK_INT(bb_table_get(h, out, sizeof(out)), ==, BB_E_STALE);
    uint64_t h2 = bb_table_insert((const uint8_t *)"xy", 2);
    CHECK_UINT(h2, !=, 0);
    CHECK_UINT(h2, !=, h);
    CHECK_INT(bb_table_get(h, out, sizeof(out)), ==, BB_E_STALE);
    CHECK_INT(bb_table_get(h2, out, sizeof(out)), ==, 2);
    CHECK_INT(bb_table_remove(h2), ==, BB_OK);

    /* Empty entries, and arguments that must be refused. */
    uint64_t empty = bb_table_insert(NULL, 0);
    CHECK_UINT(empty, !=, 0);
    CHECK_INT(bb_table_get(empty, NULL, 0), ==, 0);
    CHECK_INT(bb_table_remove(empty), ==, BB_OK);
    CHECK_UINT(bb_table_insert(NULL, 5), ==, 0);
    CHECK_UINT(bb_table_insert(big, (size_t)BB_MAX_CAP + 1), ==, 0);
    uint64_t max = bb_table_insert(big, BB_MAX_CAP);
    CHECK_UINT(max, !=, 0);
    CHECK_INT(bb_table_get(max, NULL, 0), ==, BB_MAX_CAP);
    CHECK_INT(bb_table_remove(max), ==, BB_OK);
    CHECK_UINT(bb_live_handles(), ==, 0);

    /* Fill every slot; the next insert (Rust or through Go) is refused. */
    uint64_t all[BB_TABLE_SLOTS];
    for (size_t i = 0; i < BB_TABLE_SLOTS; i++) {
        uint8_t byte = (uint8_t)i;
        all[i] = bb_table_insert(&byte, 1);
        CHECK_UINT(all[i], !=, 0);
    }
    CHECK_UINT(bb_live_handles(), ==, BB_TABLE_SLOTS);
    CHECK_UINT(bb_table_insert((const uint8_t *)"z", 1), ==, 0);
    CHECK_INT(bbgo_store((const uint8_t *)"z", 1), ==, BB_E_FULL);
    CHECK_INT(bbgo_live(), ==, 0);
    for (size_t i = 0; i < BB_TABLE_SLOTS; i++) {
        CHECK_INT(bb_table_get(all[i], out, 1), ==, 1);
        CHECK_UINT(out[0], ==, (uint8_t)i);
        CHECK_INT(bb_table_remove(all[i]), ==, BB_OK);
    }
    CHECK_UINT(bb_live_handles(), ==, 0);
}

/* bb_checksum: known values, NULL arguments, the contained Rust panic. */
static void test_checksum(const uint8_t *big)
{
    uint32_t sum = 0;

    CHECK_INT(bb_checksum((const uint8_t *)"Wikipedia", 9, &sum), ==, BB_OK);
    CHECK_UINT(sum, ==, 0x11E60398u);
    CHECK_INT(bb_checksum(NULL, 0, &sum), ==, BB_OK);
    CHECK_UINT(sum, ==, 1);
    CHECK_INT(bb_checksum(big, (size_t)BB_MAX_CAP + 1, &sum), ==, BB_OK);
    CHECK_UINT(sum, ==, ref_adler32(big, (size_t)BB_MAX_CAP + 1));
    CHECK_INT(bb_checksum(NULL, 5, &sum), ==, BB_E_NULL);
    CHECK_INT(bb_checksum((const uint8_t *)"abc", 3, NULL), ==, BB_E_NULL);

    /* The panic path: BB_E_PANIC, *out untouched, and repeatable. */
    sum = 0xdeadbeefu;
    CHECK_INT(bb_checksum((const uint8_t *)"!P", 2, &sum), ==, BB_E_PANIC);
    CHECK_INT(bb_checksum((const uint8_t *)"!Pxyz", 5, &sum), ==, BB_E_PANIC);
    CHECK_UINT(sum, ==, 0xdeadbeefu);
    CHECK_INT(bb_checksum((const uint8_t *)"!", 1, &sum), ==, BB_OK);
    CHECK_UINT(sum, ==, ref_adler32((const uint8_t *)"!", 1));
    CHECK_INT(bb_checksum((const uint8_t *)"P!", 2, &sum), ==, BB_OK);
}

/* bbgo_adopt / append / peek / release: ownership moves from C to Go. */
static void test_go_buffers(const uint8_t *big)
{
    CHECK_INT(bbgo_adopt(NULL), ==, BB_E_NULL);

    BbBuf *b = bb_buf_new(4);
    REQUIRE_NONNULL(b);
    CHECK_INT(bb_buf_write(b, (const uint8_t *)"xy", 2), ==, 2);
    int64_t h = bbgo_adopt(b);
    b = NULL; /* Go owns it now. */
    CHECK_INT(h, >, 0);
    CHECK_INT(bbgo_live(), ==, 1);
    CHECK_UINT(bb_live_buffers(), ==, 1);

    CHECK_INT(bbgo_append(h, (const uint8_t *)"z\xff", 2), ==, 4);
    CHECK_INT(bbgo_append(h, NULL, 0), ==, 4);
    CHECK_INT(bbgo_append(h, NULL, 2), ==, BB_E_NULL);
    CHECK_INT(bbgo_append(h, big, BB_MAX_CAP), ==, BB_E_RANGE);
    CHECK_INT(bbgo_peek(h, 0), ==, 'x');
    CHECK_INT(bbgo_peek(h, 2), ==, 'z');
    CHECK_INT(bbgo_peek(h, 3), ==, 255);
    CHECK_INT(bbgo_peek(h, 4), ==, BB_E_RANGE);
    CHECK_INT(bbgo_peek(h, SIZE_MAX), ==, BB_E_RANGE);

    CHECK_INT(bbgo_peek(0, 0), ==, BB_E_STALE);
    CHECK_INT(bbgo_peek(-1, 0), ==, BB_E_STALE);
    CHECK_INT(bbgo_peek(h + 1000, 0), ==, BB_E_STALE);
    CHECK_INT(bbgo_append(h + 1000, (const uint8_t *)"a", 1), ==, BB_E_STALE);
    CHECK_INT(bbgo_release(0), ==, BB_E_STALE);

    /* A second adopted buffer gets its own handle. */
    BbBuf *b2 = bb_buf_new(0);
    REQUIRE_NONNULL(b2);
    int64_t h2 = bbgo_adopt(b2);
    CHECK_INT(h2, >, 0);
    CHECK_INT(h2, !=, h);
    CHECK_INT(bbgo_peek(h2, 0), ==, BB_E_RANGE);
    CHECK_INT(bbgo_live(), ==, 2);

    bbgo_gc(); /* Go's GC must leave adopted Rust objects alone. */
    CHECK_INT(bbgo_peek(h, 0), ==, 'x');

    CHECK_INT(bbgo_release(h), ==, BB_OK);
    CHECK_INT(bbgo_release(h), ==, BB_E_STALE);
    CHECK_INT(bbgo_append(h, (const uint8_t *)"a", 1), ==, BB_E_STALE);
    CHECK_INT(bbgo_peek(h, 0), ==, BB_E_STALE);
    CHECK_INT(bbgo_release(h2), ==, BB_OK);
    CHECK_INT(bbgo_live(), ==, 0);
    CHECK_UINT(bb_live_buffers(), ==, 0);
}

/* bbgo_process: the record round trip through Go and its error codes. */
static void test_go_process(void)
{
    uint8_t wire[16];
    memcpy(wire, k_record, sizeof(wire));

    CHECK_INT(bbgo_process(wire, 16), ==, 7);
    wire[2] = 0xff;
    CHECK_INT(bbgo_process(wire, 16), ==, 255);
    CHECK_INT(bbgo_process(wire, 15), ==, BB_E_PARSE);
    CHECK_INT(bbgo_process(wire, 0), ==, BB_E_PARSE);
    CHECK_INT(bbgo_process(NULL, 0), ==, BB_E_PARSE);
    CHECK_INT(bbgo_process(NULL, 16), ==, BB_E_NULL);
    wire[0] = 'C';
    CHECK_INT(bbgo_process(wire, 16), ==, BB_E_PARSE);

    CHECK_UINT(bb_live_records(), ==, 0);
    CHECK_UINT(bb_live_strings(), ==, 0);
    CHECK_UINT(bb_live_errors(), ==, 0);
}

/* bbgo_store / load / drop: Rust table entries behind Go handles. */
static void test_go_store(const uint8_t *big)
{
    uint8_t out[8];

    int64_t h = bbgo_store((const uint8_t *)"hello", 5);
    CHECK_INT(h, >, 0);
    CHECK_INT(bbgo_live(), ==, 1);
    CHECK_UINT(bb_live_handles(), ==, 1);
    memset(out, 0, sizeof(out));
    CHECK_INT(bbgo_load(h, out, sizeof(out)), ==, 5);
    CHECK_BYTES(out, "hello", 5);
    CHECK_INT(bbgo_load(h, out, 2), ==, 5);
    CHECK_INT(bbgo_load(h, NULL, 0), ==, 5);
    CHECK_INT(bbgo_load(h, NULL, 3), ==, BB_E_NULL);
    CHECK_INT(bbgo_load(h + 1000, out, sizeof(out)), ==, BB_E_STALE);
    CHECK_INT(bbgo_load(0, out, sizeof(out)), ==, BB_E_STALE);

    CHECK_INT(bbgo_store(NULL, 3), ==, BB_E_NULL);
    CHECK_INT(bbgo_store(big, (size_t)BB_MAX_CAP + 1), ==, BB_E_RANGE);
    int64_t empty = bbgo_store(NULL, 0);
    CHECK_INT(empty, >, 0);
    CHECK_INT(bbgo_load(empty, out, sizeof(out)), ==, 0);
    CHECK_INT(bbgo_drop(empty), ==, BB_OK);

    CHECK_INT(bbgo_drop(h), ==, BB_OK);
    CHECK_INT(bbgo_drop(h), ==, BB_E_STALE);
    CHECK_INT(bbgo_load(h, out, sizeof(out)), ==, BB_E_STALE);
    CHECK_INT(bbgo_drop(-5), ==, BB_E_STALE);
    CHECK_INT(bbgo_live(), ==, 0);
    CHECK_UINT(bb_live_handles(), ==, 0);
}

/* bbgo_checked: validation in Go and the recovered Go panic. */
static void test_go_checked(const uint8_t *big)
{
    CHECK_INT(bbgo_checked(k_record, sizeof(k_record)), ==, BB_OK);
    CHECK_INT(bbgo_checked(k_record, 15), ==, BB_E_PARSE);
    CHECK_INT(bbgo_checked((const uint8_t *)"BX", 2), ==, BB_E_PARSE);
    CHECK_INT(bbgo_checked(NULL, 0), ==, BB_E_PARSE);
    CHECK_INT(bbgo_checked(NULL, 4), ==, BB_E_NULL);
    CHECK_INT(bbgo_checked(big, (size_t)BB_MAX_CAP + 1), ==, BB_E_RANGE);
    CHECK_INT(bbgo_checked((const uint8_t *)"!G", 2), ==, BB_E_PANIC);
    CHECK_INT(bbgo_checked((const uint8_t *)"!Gxyz", 5), ==, BB_E_PANIC);
    CHECK_INT(bbgo_checked((const uint8_t *)"!", 1), ==, BB_E_PARSE);
    /* The process is still healthy after the recovered panic. */
    CHECK_INT(bbgo_process(k_record, sizeof(k_record)), ==, 7);
}

/* Every probe must read 0 once all objects are released. */
static void test_all_probes_zero(void)
{
    bbgo_gc();
    CHECK_UINT(bb_live_buffers(), ==, 0);
    CHECK_UINT(bb_live_records(), ==, 0);
    CHECK_UINT(bb_live_strings(), ==, 0);
    CHECK_UINT(bb_live_errors(), ==, 0);
    CHECK_UINT(bb_live_handles(), ==, 0);
    CHECK_INT(bbgo_live(), ==, 0);
}

int main(void)
{
    /* One byte more than BB_MAX_CAP, heap-allocated at its exact size so
     * that ASan would see any read past the length passed in. */
    uint8_t *big = malloc((size_t)BB_MAX_CAP + 1);
    if (big == NULL) {
        fprintf(stderr, "smoke_bytebridge: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < (size_t)BB_MAX_CAP + 1; i++)
        big[i] = (uint8_t)(i * 7u + 3u);

    test_layout();
    test_buffers(big);
    test_records();
    test_table(big);
    test_checksum(big);
    test_go_buffers(big);
    test_go_process();
    test_go_store(big);
    test_go_checked(big);
    test_all_probes_zero();
    free(big);

    if (g_ctx.failures != 0) {
        fprintf(stderr, "smoke_bytebridge: FAILED (%lu of %lu checks)\n", g_ctx.failures,
                g_ctx.checks);
        return 1;
    }
    printf("smoke_bytebridge: OK (%lu checks)\n", g_ctx.checks);
    return 0;
}
