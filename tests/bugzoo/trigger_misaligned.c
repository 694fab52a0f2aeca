/* trigger_misaligned.c - bug zoo: a pointer returned misaligned for its type
 * (bug_misaligned, docs/bugzoo.md).  A BbRecord holds a u64, so Rust's
 * pointer to it must be 8-byte aligned; the variant returns an odd address. */
#include <stdalign.h>

#include "bz_trigger.h"

int main(void)
{
    uint8_t *wire = bz_dup(bz_record, sizeof(bz_record));
    BbRecord *rec = bb_record_parse(wire, sizeof(bz_record), NULL); /* call 1 */
    BZ_REQUIRE(rec);
    BZ_CHECK_UINT((uintptr_t)rec % alignof(uint64_t), ==, 0);
    bb_record_free(rec);
    free(wire);
    bz_check_probes_zero();
    return bz_finish("misaligned");
}
