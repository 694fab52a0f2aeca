/* trigger_off_by_one.c - bug zoo: an off-by-one length passed across the
 * border (bug_off_by_one, docs/bugzoo.md).  Go hands Rust one byte more than
 * C passed in, and Rust reads past the end of C's exact-size buffer
 * (heap-buffer-overflow in bb_table_insert). */
#include "bz_trigger.h"

int main(void)
{
    uint8_t out[8];
    uint8_t *abc = bz_dup("abc", 3);
    int64_t h = bbgo_store(abc, 3); /* call 1 */
    BZ_CHECK_INT(h, >, 0);
    free(abc);
    BZ_CHECK_INT(bbgo_load(h, out, sizeof(out)), ==, 3);
    BZ_CHECK_INT(bbgo_drop(h), ==, BB_OK);
    bz_check_probes_zero();
    return bz_finish("off_by_one");
}
