/* fuzz_goonly.c - the harness a `go test -fuzz` user writes for the bytebridge
 * Go application: the Go API alone (bbgo_* only) fed byte inputs, one call
 * shape per input chosen by the first byte, with the round-trip checks a
 * FuzzXxx(f *testing.F) would t.Fatal on.  Written in C against the same
 * c-archive because that is the same code path.  The Go API offers no way to
 * make a Rust buffer, so the adopt/append/peek calls are out of its reach, as
 * they are for a Go fuzz test that only has byte inputs.  No ownership model,
 * no sequences across inputs.  A comparison point for bench/zoo.sh; do not
 * improve it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebridge.h"

/* What t.Fatalf does under `go test -fuzz`: report and fail the input. */
#define GO_CHECK(cond, what)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_goonly: check failed: %s (%s:%d)\n", (what), __FILE__,           \
                    __LINE__);                                                                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Store the input, load it back, drop it. */
static void go_store(const uint8_t *data, size_t size)
{
    int64_t h = bbgo_store(data, size);
    if (h <= 0)
        return;
    uint8_t out[64];
    int64_t n = bbgo_load(h, out, sizeof out);
    GO_CHECK(n == (int64_t)size, "bbgo_load returns the stored length");
    GO_CHECK(memcmp(out, data, size < sizeof out ? size : sizeof out) == 0,
             "bytes loaded equal bytes stored");
    GO_CHECK(bbgo_drop(h) == BB_OK, "dropping a live handle");
    GO_CHECK(bbgo_live() == 0, "nothing held after the drop");
}

/* libFuzzer entry point: shape byte, then the shape's data. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t shape = data[0] % 3;
    data++;
    size--;
    switch (shape) {
    case 0:
        (void)bbgo_process(data, size);
        break;
    case 1:
        go_store(data, size);
        break;
    default:
        (void)bbgo_checked(data, size);
        break;
    }
    return 0;
}
