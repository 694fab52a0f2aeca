/* trigger_stale_handle.c - bug zoo: a stale table handle is accepted and
 * reaches the wrong object (bug_stale_handle, docs/bugzoo.md).  Insert,
 * remove, insert again (the slot is reused with a new generation), then get
 * through the first, stale handle: it must be BB_E_STALE, the variant
 * returns the new entry's bytes. */
#include "bz_trigger.h"

int main(void)
{
    uint8_t out[8];
    uint8_t *abc = bz_dup("abc", 3);
    uint8_t *xy = bz_dup("xy", 2);
    uint64_t h1 = bb_table_insert(abc, 3); /* call 1 */
    BZ_CHECK_UINT(h1, !=, 0);
    BZ_CHECK_INT(bb_table_remove(h1), ==, BB_OK); /* call 2: h1 is stale now */
    uint64_t h2 = bb_table_insert(xy, 2);         /* call 3: same slot, next generation */
    BZ_CHECK_UINT(h2, !=, 0);
    BZ_CHECK_UINT(h2 & 0xffffffffu, ==, h1 & 0xffffffffu); /* precondition: slot reused */
    memset(out, 0, sizeof(out));
    BZ_CHECK_INT(bb_table_get(h1, out, sizeof(out)), ==, BB_E_STALE); /* call 4 */
    if (out[0] != 0)
        fprintf(stderr, "    stale handle read \"%.*s\"\n", (int)sizeof(out), (const char *)out);
    BZ_CHECK_INT(bb_table_remove(h1), ==, BB_E_STALE);
    BZ_CHECK_INT(bb_table_remove(h2), ==, BB_OK);
    free(abc);
    free(xy);
    bz_check_probes_zero();
    return bz_finish("stale_handle");
}
