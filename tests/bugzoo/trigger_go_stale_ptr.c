/* trigger_go_stale_ptr.c - bug zoo: Go keeps a pointer into Rust memory in a
 * global and reads it after Rust freed it (bug_go_stale_ptr,
 * docs/bugzoo.md).  The first failing bbgo_process leaves Go holding the
 * message of a freed error object; the second compares against it
 * (heap-use-after-free in strcmp, called from Go). */
#include "bz_trigger.h"

int main(void)
{
    uint8_t *bad = bz_dup("BB", 2);
    BZ_CHECK_INT(bbgo_process(bad, 2), ==, BB_E_PARSE); /* call 1 */
    BZ_CHECK_INT(bbgo_process(bad, 2), ==, BB_E_PARSE); /* call 2 */
    free(bad);
    bz_check_probes_zero();
    return bz_finish("go_stale_ptr");
}
