/* sf_gen.h - `seamfuzz gen`: turns a checked spec into the harness C file, the
 * wrap list, the dictionary and the seed corpus, written atomically.
 */
#ifndef SF_GEN_H
#define SF_GEN_H

#include <stddef.h>

#include "sf_buf.h"
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

/* The C declarations of spec s (error-free) as the harness and `seamfuzz
 * cprog` write them, appended to b: opaque resource types, the shared struct
 * layouts (with _Static_assert on their sizes) and every prototype. */
void sf_gen_c_decls(const sf_seam *s, sf_buf *b);
/* Appends "T name" with a pointer's star bound to the name. */
void sf_gen_c_decl(sf_buf *b, const char *type, const char *name);
/* The C type, written into buf (n bytes, returned), of resource r, of
 * parameter pi of function fi, and of function fi's return value. */
const char *sf_gen_res_ctype(const sf_seam *s, int r, char *buf, size_t n);
const char *sf_gen_param_ctype(const sf_seam *s, uint32_t fi, uint32_t pi, char *buf, size_t n);
const char *sf_gen_ret_ctype(const sf_seam *s, uint32_t fi, char *buf, size_t n);

#endif /* SF_GEN_H */
