/* sf_gen.h - `seamfuzz gen`: turns a checked spec into the harness C file, the
 * wrap list, the dictionary and the seed corpus, written atomically.
 */
#ifndef SF_GEN_H
#define SF_GEN_H

#include <stddef.h>

#include "sf_seam.h"

typedef struct sf_gen_opts {
    const char *spec_path;  /* borrowed; only its base name appears in output */
    const char *out_dir;    /* fuzz_<name>.c, <name>.wrap, seeds_<name>.txt */
    const char *dict_path;  /* dictionary file, or NULL for none */
    const char *corpus_dir; /* seed corpus directory (replaced), or NULL */
} sf_gen_opts;

/* Generates every output of the error-free spec s (borrowed) as o says.
 * Nothing is written unless everything could be generated; each file is
 * written to a temporary name and renamed into place.  Returns 0, or
 * SF_EINVAL / SF_EIO / SF_ENOMEM / SF_EPARSE with one line in err. */
int sf_gen_run(const sf_seam *s, const sf_gen_opts *o, char *err, size_t errlen);

#endif /* SF_GEN_H */
