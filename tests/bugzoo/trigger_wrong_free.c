/* trigger_wrong_free.c - bug zoo: Go frees a Rust string with C.free instead
 * of bb_string_free (bug_wrong_free, docs/bugzoo.md).  Both sides use malloc
 * here, so ASan stays silent; the Rust probe bb_live_strings() shows that
 * the string never went through its destructor. */
#include "bz_trigger.h"

int main(void)
{
    uint8_t *rec = bz_dup(bz_record, sizeof(bz_record));
    BZ_CHECK_INT(bbgo_process(rec, sizeof(bz_record)), ==, 7); /* call 1 */
    free(rec);
    BZ_CHECK_UINT(bb_live_strings(), ==, 0); /* probe: the description was freed by Rust */
    bz_check_probes_zero();
    return bz_finish("wrong_free");
}
