/* sf_minimize.h - op-level delta debugging of a crashing testcase.
 *
 * The testcase is decoded into a program; ops are dropped (ddmin over op
 * chunks, then one at a time) and then buffers shrunk, as long as the fuzz
 * binary, run as a child on each candidate's sf_prog_encode bytes, still
 * crashes with the same signature (sf_crashlog.h).  Candidates are op-level
 * edits of the program (sf_edit.h): an op that uses a resource of a dropped
 * op goes with it and the slots are renumbered, so every candidate is a
 * program the decoder itself makes; the text form is not involved.
 */
#ifndef SF_MINIMIZE_H
#define SF_MINIMIZE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sf_prog.h"
#include "sf_crashlog.h"

typedef struct sf_min_opts {
    const char *bin;     /* fuzz binary (borrowed) */
    const sf_spec *spec; /* the spec the binary was generated from (borrowed) */
    sf_limits lim;       /* decoding limits; zero fields mean the defaults */
    unsigned timeout_s;  /* per run; 0 = none */
    unsigned max_runs;   /* child runs at most; 0 = 2000 */
    FILE *log;           /* progress lines, or NULL */
} sf_min_opts;

typedef struct sf_min_result {
    char sig[SF_SIG_MAX]; /* the signature kept */
    uint32_t ops_before, ops_after;
    size_t bytes_before, bytes_after;
    unsigned runs;  /* child runs made */
    uint8_t *bytes; /* the minimized testcase; caller frees with sf_free */
    size_t len;
    char *text; /* its text form; caller frees with sf_free */
} sf_min_result;

/* Minimizes data (borrowed, len bytes).  Returns 0 with *res filled (free its
 * buffers), 1 when the testcase does not crash (nothing to keep), or -1 with
 * one line in err (the binary cannot run, or its reports name a different
 * spec than o->spec). */
int sf_minimize(const sf_min_opts *o, const uint8_t *data, size_t len, sf_min_result *res,
                char *err, size_t errlen);

#endif /* SF_MINIMIZE_H */
