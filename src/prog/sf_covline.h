/* sf_covline.h - one line of the counters file the runtime writes for a
 * campaign (SEAM_STATUS_FILE, src/runtime/sf_covmap.c) and `seamfuzz fuzz`
 * reads (src/tools/sf_cmd_fuzz.c):
 *
 *   module <index> native|go <counters> <hit> <bitmap: hex, 4 counters a digit>
 *
 * Pure text: no I/O.
 */
#ifndef SF_COVLINE_H
#define SF_COVLINE_H

#include <stddef.h>
#include <stdint.h>

#include "sf_buf.h"

/* Appends the line of module index (go: the Go archive's) whose counters
 * are hit[0..len) (1 = hit at least once), n_hit of them set, to b. */
void sf_covline_put(sf_buf *b, int index, int go, const uint8_t *hit, size_t len, size_t n_hit);

/* Parses line (NUL-terminated): *index, *go and *len (the module's
 * counters).  With bits, sets bits[i] = 1 for every hit counter i < cap
 * (leaving the others as they are) and returns how many it newly set.
 * Returns -1 when line is not a module line. */
long sf_covline_get(const char *line, int *index, int *go, size_t *len, uint8_t *bits, size_t cap);

#endif /* SF_COVLINE_H */
