/* fuzz_baseline.c - the hand-written bytebridge harness a team writes without
 * seamfuzz: the first byte picks one call shape, the rest is its data.  No
 * ownership model, no call sequences across inputs.  Kept as the comparison
 * point for seamfuzz's benchmarks (docs/benchmarks.md); do not improve it. */
#include <stdint.h>
#include <string.h>

#include "bytebridge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t shape = data[0] % 8;
    data++;
    size--;
    switch (shape) {
    case 0: { /* parse a record, inspect it, free everything */
        BbError *err = NULL;
        BbRecord *rec = bb_record_parse(data, size, &err);
        if (rec) {
            BbRecordView view;
            bb_record_get(rec, &view);
            bb_string_free(bb_record_describe(rec));
            bb_record_free(rec);
        } else {
            (void)bb_error_code(err);
            (void)bb_error_message(err);
            bb_error_free(err);
        }
        break;
    }
    case 1: { /* buffer: new, write, read back, free */
        BbBuf *buf = bb_buf_new(size);
        if (!buf)
            break;
        bb_buf_write(buf, data, size);
        uint8_t out[64];
        bb_buf_read(buf, size / 2, out, sizeof out);
        (void)bb_buf_len(buf);
        bb_buf_free(buf);
        break;
    }
    case 2: {
        uint32_t sum = 0;
        bb_checksum(data, size, &sum);
        break;
    }
    case 3: { /* handle table round trip */
        uint64_t h = bb_table_insert(data, size);
        if (h) {
            uint8_t out[64];
            bb_table_get(h, out, sizeof out);
            bb_table_remove(h);
        }
        break;
    }
    case 4:
        bbgo_process(data, size);
        break;
    case 5: { /* Go-held table entry */
        int64_t h = bbgo_store(data, size);
        if (h > 0) {
            uint8_t out[64];
            bbgo_load(h, out, sizeof out);
            bbgo_drop(h);
        }
        break;
    }
    case 6: { /* Go adopts a Rust buffer */
        BbBuf *buf = bb_buf_new(16);
        int64_t h = bbgo_adopt(buf);
        if (h > 0) {
            bbgo_append(h, data, size);
            bbgo_peek(h, size ? data[0] : 0);
            bbgo_release(h);
        } else {
            bb_buf_free(buf);
        }
        break;
    }
    default:
        bbgo_checked(data, size);
        break;
    }
    return 0;
}
