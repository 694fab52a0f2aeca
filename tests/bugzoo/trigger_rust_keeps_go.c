/* trigger_rust_keeps_go.c - bug zoo: Rust keeps a pointer to memory borrowed
 * from C/Go past the call (bug_rust_keeps_go, docs/bugzoo.md).  The data of
 * bbgo_store is borrowed for that call only and freed right after it, as the
 * seamfuzz harness does; bbgo_load then makes Rust read it
 * (heap-use-after-free in bb_table_get). */
#include "bz_trigger.h"

int main(void)
{
    uint8_t *out = bz_dup("\0\0\0\0\0", 5);
    uint8_t *hello = bz_dup("hello", 5);
    int64_t h = bbgo_store(hello, 5); /* call 1 */
    BZ_CHECK_INT(h, >, 0);
    free(hello);                               /* the borrow ends with the call */
    BZ_CHECK_INT(bbgo_load(h, out, 5), ==, 5); /* call 2 */
    BZ_CHECK_INT(memcmp(out, "hello", 5), ==, 0);
    BZ_CHECK_INT(bbgo_drop(h), ==, BB_OK);
    free(out);
    bz_check_probes_zero();
    return bz_finish("rust_keeps_go");
}
