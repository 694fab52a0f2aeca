/* trigger_realloc_ptr.c - bug zoo: a reallocation in Rust invalidates a
 * pointer Go obtained earlier (bug_realloc_ptr, docs/bugzoo.md).  Get (a peek
 * caches bb_buf_data), put (an append that grows the buffer, so Rust moves
 * its bytes), read (a peek through the cached pointer: heap-use-after-free
 * in Go's peekBuf). */
#include "bz_trigger.h"

int main(void)
{
    uint8_t *xy = bz_dup("xy", 2);
    uint8_t *more = bz_dup("0123456789abcdef", 16);
    BbBuf *b = bb_buf_new(2); /* call 1 */
    BZ_REQUIRE(b);
    BZ_CHECK_INT(bb_buf_write(b, xy, 2), ==, 2); /* call 2: capacity 2 is now full */
    int64_t h = bbgo_adopt(b);                   /* call 3 */
    b = NULL;
    BZ_CHECK_INT(h, >, 0);
    BZ_CHECK_INT(bbgo_peek(h, 0), ==, 'x');         /* call 4: get */
    BZ_CHECK_INT(bbgo_append(h, more, 16), ==, 18); /* call 5: put, grows the buffer */
    BZ_CHECK_INT(bbgo_peek(h, 1), ==, 'y');         /* call 6: read */
    BZ_CHECK_INT(bbgo_release(h), ==, BB_OK);
    free(xy);
    free(more);
    bz_check_probes_zero();
    return bz_finish("realloc_ptr");
}
