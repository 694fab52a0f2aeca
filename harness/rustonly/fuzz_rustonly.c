/* fuzz_rustonly.c - the harness a `cargo fuzz` user writes for the bytebridge
 * Rust module: the Rust API alone (bb_* only), one call shape per input chosen
 * by the first byte, round-trip asserts where the API promises one.  Written in
 * C against the same staticlib because that is the same code path as a
 * fuzz_target! over the crate.  No Go, no ownership model, no sequences across
 * inputs.  A comparison point for bench/zoo.sh; do not improve it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebridge.h"

/* What assert_eq! does in a fuzz_target!: print both sides and abort, so the
 * engine saves the input. */
#define RO_CHECK(cond, what)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_rustonly: check failed: %s (%s:%d)\n", (what), __FILE__,         \
                    __LINE__);                                                                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Splits the input in two at a position taken from its first byte. */
static size_t ro_split(const uint8_t *data, size_t size)
{
    return size ? (size_t)data[0] % (size + 1) : 0;
}

/* Parses the input as a record; on success looks at it the three ways the API
 * offers, on failure reads the error object.  Everything is freed. */
static void ro_record(const uint8_t *data, size_t size)
{
    BbError *err = NULL;
    BbRecord *rec = bb_record_parse(data, size, &err);
    if (!rec) {
        RO_CHECK(err != NULL, "a failed parse returns an error object");
        RO_CHECK(bb_error_code(err) < 0, "error codes are negative");
        RO_CHECK(bb_error_message(err) != NULL, "an error has a message");
        bb_error_free(err);
        return;
    }
    BbRecordView view;
    RO_CHECK(bb_record_get(rec, &view) == BB_OK, "bb_record_get on a record");
    RO_CHECK(view.pad == 0, "pad is always 0");
    char *desc = bb_record_describe(rec);
    RO_CHECK(desc != NULL, "a record has a description");
    bb_string_free(desc);
    bb_record_free(rec);
}

/* Buffer round trip: two writes, then the bytes read back must be the input. */
static void ro_buffer(const uint8_t *data, size_t size)
{
    BbBuf *buf = bb_buf_new(size / 2);
    if (!buf)
        return;
    size_t cut = ro_split(data, size);
    bb_buf_write(buf, data, cut);
    bb_buf_write(buf, data + cut, size - cut);
    RO_CHECK(bb_buf_len(buf) == size, "length after two writes");
    uint8_t *out = malloc(size + 1);
    if (out) {
        int64_t n = bb_buf_read(buf, 0, out, size);
        RO_CHECK(n == (int64_t)size, "bb_buf_read returns every byte");
        RO_CHECK(memcmp(out, data, size) == 0, "bytes read back equal bytes written");
        free(out);
    }
    const uint8_t *p = bb_buf_data(buf);
    RO_CHECK(size == 0 || (p && p[size - 1] == data[size - 1]), "bb_buf_data sees the bytes");
    bb_buf_free(buf);
}

/* Checksum of the input; any result is fine, the call must not crash. */
static void ro_checksum(const uint8_t *data, size_t size)
{
    uint32_t sum = 0;
    (void)bb_checksum(data, size, &sum);
}

/* Table round trip: insert, read back, remove; a removed handle is stale. */
static void ro_table(const uint8_t *data, size_t size)
{
    uint64_t h = bb_table_insert(data, size);
    if (!h)
        return;
    uint8_t out[64];
    int64_t n = bb_table_get(h, out, sizeof out);
    RO_CHECK(n == (int64_t)size, "bb_table_get returns the entry's length");
    RO_CHECK(memcmp(out, data, size < sizeof out ? size : sizeof out) == 0,
             "bytes read back equal bytes inserted");
    RO_CHECK(bb_table_remove(h) == BB_OK, "removing a live handle");
    RO_CHECK(bb_table_get(h, out, sizeof out) == BB_E_STALE, "a removed handle is stale");
}

/* Buffer reads at an offset from the input. */
static void ro_read_at(const uint8_t *data, size_t size)
{
    BbBuf *buf = bb_buf_new(16);
    if (!buf)
        return;
    bb_buf_write(buf, data, size);
    uint8_t out[32];
    (void)bb_buf_read(buf, ro_split(data, size), out, sizeof out);
    bb_buf_free(buf);
}

/* libFuzzer entry point: shape byte, then the shape's data. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t shape = data[0] % 5;
    data++;
    size--;
    switch (shape) {
    case 0:
        ro_record(data, size);
        break;
    case 1:
        ro_buffer(data, size);
        break;
    case 2:
        ro_checksum(data, size);
        break;
    case 3:
        ro_table(data, size);
        break;
    default:
        ro_read_at(data, size);
        break;
    }
    return 0;
}
