/* sf_check.h - `seamfuzz check`: does a spec agree with the archives that
 * implement it (symbols, sides) and with the C header that declares it?
 */
#ifndef SF_CHECK_H
#define SF_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include "sf_seam.h"

typedef struct sf_check_opts {
    const char *const *archives; /* borrowed paths of .a files */
    size_t n_archives;
    const char *header; /* borrowed C header path, or NULL for none */
    const char *nm;     /* nm program; NULL means "nm" */
    FILE *out;          /* report stream (borrowed) */
} sf_check_opts;

/* Checks the error-free spec s (borrowed) against o.  Prints one line per
 * mismatch, then the coverage summary, to o->out.  Returns 0 when everything
 * agrees, 1 on mismatches, or a negative SF_E* code (an archive or header
 * could not be read; one line says why). */
int sf_check_run(const sf_seam *s, const sf_check_opts *o);

#endif /* SF_CHECK_H */
