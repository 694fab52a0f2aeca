/* trigger_go_panic.c - bug zoo: a Go panic escapes an exported function
 * (bug_go_panic, docs/bugzoo.md).  bbgo_checked("!G") must recover its panic
 * and return BB_E_PANIC; the variant lets it reach C, and the Go runtime
 * ends the process ("panic: ...", exit status 2). */
#include "bz_trigger.h"

int main(void)
{
    uint8_t *trip = bz_dup("!G", 2);
    BZ_CHECK_INT(bbgo_checked(trip, 2), ==, BB_E_PANIC); /* call 1 */
    free(trip);
    bz_check_probes_zero();
    return bz_finish("go_panic");
}
