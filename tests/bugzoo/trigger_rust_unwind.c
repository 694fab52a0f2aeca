/* trigger_rust_unwind.c - bug zoo: a Rust panic unwinds into an extern "C"
 * frame (bug_rust_unwind, docs/bugzoo.md).  bb_checksum("!P") must contain
 * its panic and return BB_E_PANIC; the variant aborts the process with
 * "panic in a function that cannot unwind". */
#include "bz_trigger.h"

int main(void)
{
    uint32_t sum = 0xdeadbeefu;
    uint8_t *trip = bz_dup("!P", 2);
    BZ_CHECK_INT(bb_checksum(trip, 2, &sum), ==, BB_E_PANIC); /* call 1 */
    BZ_CHECK_UINT(sum, ==, 0xdeadbeefu);
    free(trip);
    bz_check_probes_zero();
    return bz_finish("rust_unwind");
}
