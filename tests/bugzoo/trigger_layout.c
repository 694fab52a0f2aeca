/* trigger_layout.c - bug zoo: a #[repr(C)] struct whose Rust layout differs
 * from the C and Go view (bug_layout, docs/bugzoo.md).  The layout probes of
 * Rust and Go must agree with offsetof in C, and the view Rust fills must
 * read back as the record that was parsed. */
#include <stdalign.h>
#include <stddef.h>

#include "bz_trigger.h"

int main(void)
{
    static const size_t c_view[] = {
        sizeof(BbRecordView),          alignof(BbRecordView),         offsetof(BbRecordView, id),
        offsetof(BbRecordView, kind),  offsetof(BbRecordView, flags), offsetof(BbRecordView, pad),
        offsetof(BbRecordView, value),
    };
    for (size_t what = 0; what < sizeof(c_view) / sizeof(c_view[0]); what++) {
        BZ_CHECK_UINT(bb_layout_record_view(what), ==, c_view[what]);   /* Rust's view */
        BZ_CHECK_UINT(bbgo_layout_record_view(what), ==, c_view[what]); /* Go's view */
    }

    BbRecordView view;
    uint8_t *wire = bz_dup(bz_record, sizeof(bz_record));
    BbRecord *rec = bb_record_parse(wire, sizeof(bz_record), NULL); /* call 1 */
    BZ_REQUIRE(rec);
    BZ_CHECK_INT(bb_record_get(rec, &view), ==, BB_OK); /* call 2 */
    BZ_CHECK_UINT(view.id, ==, 0x04030201u);
    BZ_CHECK_UINT(view.kind, ==, 7);
    BZ_CHECK_UINT(view.flags, ==, 0x81);
    bb_record_free(rec);
    BZ_CHECK_INT(bbgo_process(wire, sizeof(bz_record)), ==, 7); /* Go reads the view too */
    free(wire);
    bz_check_probes_zero();
    return bz_finish("layout");
}
