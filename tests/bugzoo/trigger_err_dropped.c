/* trigger_err_dropped.c - bug zoo: the Go wrapper turns an error code into
 * success (bug_err_dropped, docs/bugzoo.md).  Releasing an adopted buffer a
 * second time must fail with BB_E_STALE; the variant answers BB_OK. */
#include "bz_trigger.h"

int main(void)
{
    BbBuf *b = bb_buf_new(4); /* call 1 */
    BZ_REQUIRE(b);
    int64_t h = bbgo_adopt(b); /* call 2 */
    BZ_CHECK_INT(h, >, 0);
    BZ_CHECK_INT(bbgo_release(h), ==, BB_OK);      /* call 3 */
    BZ_CHECK_INT(bbgo_release(h), ==, BB_E_STALE); /* call 4: stale handle */
    bz_check_probes_zero();
    return bz_finish("err_dropped");
}
