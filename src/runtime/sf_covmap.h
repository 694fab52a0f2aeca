/* sf_covmap.h - which coverage counters a campaign has hit, per module, for
 * `seamfuzz fuzz`'s split of coverage into C, Rust and Go (docs/nightly.md).
 *
 * libFuzzer sees one module for C and Rust (the executable's counters) and
 * one for Go (the Go archive's), and reports only their sum.  When
 * SEAM_STATUS_FILE names a file, the runtime ORs both modules' counters into
 * bitmaps after every input and writes them there about once a second (and
 * at exit), and writes once the PC of every counter of the executable's
 * module (as offsets into the binary) to SEAM_STATUS_FILE.pcs, which the tool
 * symbolizes to tell C from Rust.
 */
#ifndef SF_COVMAP_H
#define SF_COVMAP_H

#include <stdint.h>

typedef struct sf_covmap sf_covmap;

/* A covmap for the modules registered so far, or NULL when SEAM_STATUS_FILE
 * is unset or nothing was registered (then the other calls are no-ops).
 * Caller frees with sf_covmap_free. */
sf_covmap *sf_covmap_new(void);
void sf_covmap_free(sf_covmap *m);
/* After an input: ORs the counters in; writes the file when now_ns is a
 * second past the last write. */
void sf_covmap_input(sf_covmap *m, uint64_t now_ns);
/* Writes the file now (at exit). */
void sf_covmap_flush(sf_covmap *m);

#endif /* SF_COVMAP_H */
