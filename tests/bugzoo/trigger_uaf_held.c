/* trigger_uaf_held.c - bug zoo: Rust frees a buffer Go still holds
 * (bug_uaf_held, docs/bugzoo.md).  An empty append to an adopted buffer
 * must leave it alone; the variant frees it on that early return, and Go's
 * next peek reads freed memory (heap-use-after-free in bb_buf_len, called
 * from Go's peekBuf). */
#include "bz_trigger.h"

int main(void)
{
    uint8_t *empty = bz_dup("", 0); /* a 1-byte block passed with length 0 */
    BbBuf *b = bb_buf_new(4);       /* call 1 */
    BZ_REQUIRE(b);
    int64_t h = bbgo_adopt(b); /* call 2: Go owns b now */
    b = NULL;
    BZ_CHECK_INT(h, >, 0);
    BZ_CHECK_INT(bbgo_append(h, empty, 0), ==, 0); /* call 3: frees b in the variant */
    BZ_CHECK_INT(bbgo_peek(h, 0), ==, BB_E_RANGE); /* call 4: use of the adopted buffer */
    BZ_CHECK_INT(bbgo_release(h), ==, BB_OK);
    free(empty);
    bz_check_probes_zero();
    return bz_finish("uaf_held");
}
