/* sf_reach.h - proofs that blocks an input left behind are still reachable,
 * so that the per-input leak check does not run LeakSanitizer after every
 * input of a library that keeps process-global state (a registry, a cache,
 * a last-error slot).
 *
 * A block is proven reachable when a chain of pointers leads to it from a
 * root: a word of a writable segment of a loaded module (.data, .bss) or of
 * the calling thread's static TLS, through live blocks the input or an
 * earlier one left behind (the "carried" set).  Those roots and blocks are a
 * subset of what LeakSanitizer scans, and the words are read as they are now,
 * so a block proven reachable here is one LeakSanitizer would not report:
 * skipping the heap scan for it changes no verdict (docs/runtime.md).  Where
 * the proof fails the caller runs LeakSanitizer as before.
 *
 * Cheap in the steady state: the root words that held such pointers before
 * ("hot" roots) are tried first; the full root scan (about 10 MB in a fuzz
 * binary, ~0.5 ms) runs only when they do not suffice.
 */
#ifndef SF_REACH_H
#define SF_REACH_H

#include <stdint.h>

#include "sf_side.h"

typedef struct sf_reach sf_reach;

/* New prover; caller frees with sf_reach_free.  NULL on out of memory. */
sf_reach *sf_reach_new(void);
/* Frees r; NULL is a no-op. */
void sf_reach_free(sf_reach *r);

/* Forgets ptr if it is a carried block (the allocator's free hook calls it
 * for every free, so a carried block is never read after its free). */
void sf_reach_forget(sf_reach *r, const void *ptr);

/* Returns 1 when every block in born (the input's blocks still live) is
 * proven reachable, else 0 (then LeakSanitizer must decide).  Either way the
 * blocks of born join the carried set, as containers for later proofs.
 * When the proof fails and out is not NULL, up to max of the blocks it could
 * not prove are copied to out with ptr set to 0: a plain
 * pointer left in memory would hide the block from LeakSanitizer; *n_out
 * (OUT) is their count.  Reads other threads' data without stopping them:
 * run it while nothing else of the program runs (the end of an input). */
int sf_reach_prove(sf_reach *r, sf_side_tracker *born, sf_side_block *out, uint32_t max,
                   uint32_t *n_out);

/* Counters for the profile and the benchmarks: proofs made without the full
 * root scan, with it, and failed; address-index entries of freed blocks
 * dropped when the index was full. */
typedef struct sf_reach_stats {
    uint64_t hot, full, failed, compacted;
} sf_reach_stats;
sf_reach_stats sf_reach_stats_get(const sf_reach *r);

#endif /* SF_REACH_H */
