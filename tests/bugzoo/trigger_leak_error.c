/* trigger_leak_error.c - bug zoo: an error object's message is never freed
 * (bug_leak_error, docs/bugzoo.md).  One failing bbgo_process: Go frees the
 * error object with bb_error_free, which in the variant leaves its message
 * behind.  The probes all read 0 (the object itself was freed); only
 * LeakSanitizer sees the lost message, at exit. */
#include "bz_trigger.h"

int main(void)
{
    uint8_t *bad = bz_dup("BB", 2);                     /* too short: BB_E_PARSE */
    BZ_CHECK_INT(bbgo_process(bad, 2), ==, BB_E_PARSE); /* call 1 */
    free(bad);
    bz_check_probes_zero();
    return bz_finish("leak_error");
}
