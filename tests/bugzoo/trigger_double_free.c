/* trigger_double_free.c - bug zoo: Go frees an error object through its Rust
 * destructor and Rust frees it again on its next error path
 * (bug_double_free, docs/bugzoo.md).  Two failing bbgo_process calls: the
 * first error object is freed by Go, the second failure makes Rust free it
 * once more. */
#include "bz_trigger.h"

int main(void)
{
    uint8_t *bad = bz_dup("BB", 2);                     /* too short: BB_E_PARSE */
    BZ_CHECK_INT(bbgo_process(bad, 2), ==, BB_E_PARSE); /* call 1: error freed by Go */
    BZ_CHECK_INT(bbgo_process(bad, 2), ==, BB_E_PARSE); /* call 2: Rust frees it again */
    free(bad);
    bz_check_probes_zero();
    return bz_finish("double_free");
}
