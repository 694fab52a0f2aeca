/* trigger_leak_record.c - bug zoo: Go forgets to free a Rust record on an
 * early-return path (bug_leak_record, docs/bugzoo.md).  A record of kind 0
 * takes that path; bb_live_records() stays 1 and LeakSanitizer reports the
 * record at exit. */
#include "bz_trigger.h"

int main(void)
{
    uint8_t wire[16];
    memcpy(wire, bz_record, sizeof(wire));
    wire[2] = 0; /* kind 0 */
    uint8_t *rec = bz_dup(wire, sizeof(wire));
    BZ_CHECK_INT(bbgo_process(rec, sizeof(wire)), ==, 0); /* call 1 */
    free(rec);
    BZ_CHECK_UINT(bb_live_records(), ==, 0); /* probe */
    bz_check_probes_zero();
    return bz_finish("leak_record");
}
