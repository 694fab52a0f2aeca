/* sf_cprog.h - `seamfuzz cprog`: a decoded program as a standalone C file of
 * straight-line calls against the real API, to debug a crash without the
 * fuzzing runtime (docs/tools.md shows an example).
 */
#ifndef SF_CPROG_H
#define SF_CPROG_H

#include <stddef.h>

#include "sf_prog.h"
#include "sf_seam.h"
#include "sf_tool.h"

typedef struct sf_cprog_opts {
    const char *spec_path;       /* shown in the banner (base name only) */
    const char *testcase;        /* shown in the banner (base name only) */
    size_t testcase_len;         /* bytes of the testcase */
    const char *out_name;        /* the output file name, for the build line */
    const char *const *archives; /* archives for the build line, or NULL */
    size_t n_archives;
    const char *cc;       /* compiler for the build line, NULL: clang */
    const char *sanitize; /* its -fsanitize= list, NULL: fuzzer-no-link,address,undefined */
} sf_cprog_opts;

/* Appends the C file replaying p (decoded against the lowered tables of s;
 * both borrowed) to out.  Deterministic: same inputs, same bytes. */
void sf_cprog_emit(const sf_seam *s, const sf_prog *p, const sf_cprog_opts *o, sf_buf *out);

#endif /* SF_CPROG_H */
