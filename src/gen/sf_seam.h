/* sf_seam.h - the .seam boundary spec: parse, check and lower it to the
 * descriptor tables of sf_desc.h.  The language is documented in docs/spec.md.
 */
#ifndef SF_SEAM_H
#define SF_SEAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sf_desc.h"

/* Hard caps that keep the parser linear and bounded on any input. */
#define SF_SEAM_MAX_BYTES  (1u << 20) /* spec text size */
#define SF_SEAM_MAX_TOKENS 200000u    /* tokens in one spec */
#define SF_SEAM_MAX_IDENT  128u       /* identifier length */
#define SF_SEAM_MAX_STRING 4096u      /* decoded string literal length */
#define SF_SEAM_MAX_DEPTH  32u        /* nesting of ( [ { */
#define SF_SEAM_MAX_ERRORS 50u        /* diagnostics kept before giving up */
#define SF_SEAM_MAX_ITEMS  4096u      /* functions, resources, constants ... each */
#define SF_SEAM_MAX_LEN    (1 << 24)  /* longest buffer a spec may declare */

/* A parsed (and, when error-free, checked and lowered) spec. */
typedef struct sf_seam sf_seam;

/* Parses text (borrowed, len bytes, need not be NUL-terminated) of a spec
 * called `name` in diagnostics.  On return *out is a spec the caller frees
 * with sf_seam_free, even when it has errors (read them with sf_seam_errors /
 * sf_seam_print_diags).  Returns 0, SF_ESEMA/SF_EPARSE when the spec has
 * errors, or SF_ENOMEM (then *out is NULL). */
int sf_seam_parse(const char *name, const char *text, size_t len, sf_seam **out);

/* Reads and parses the file at path (borrowed).  Returns as sf_seam_parse,
 * or SF_ENOENT / SF_EIO / SF_ELIMIT with *out NULL when the file cannot be
 * read or is larger than SF_SEAM_MAX_BYTES; `why` (may be NULL, whylen bytes)
 * then receives one line saying why. */
int sf_seam_load(const char *path, sf_seam **out, char *why, size_t whylen);

/* Number of errors found (0 for a usable spec). */
unsigned sf_seam_errors(const sf_seam *s);

/* Prints every diagnostic as "file:line:col: error: msg" + "hint: ..." lines
 * to f.  Returns 0 or SF_EIO. */
int sf_seam_print_diags(const sf_seam *s, FILE *f);

/* Copies the first diagnostic line (no newline) into buf; "" when none. */
void sf_seam_first_diag(const sf_seam *s, char *buf, size_t buflen);

/* The lowered descriptor tables (call stubs and probes NULL), borrowed from s
 * and valid until sf_seam_free(s); NULL when the spec has errors. */
const sf_spec *sf_seam_spec(const sf_seam *s);

/* Header path named by the spec's `header` item (borrowed), or NULL;
 * `seamfuzz check` uses it when no --header is given. */
const char *sf_seam_header(const sf_seam *s);

/* 1 if sym matches one of the spec's `ignore` glob patterns, else 0. */
int sf_seam_ignored(const sf_seam *s, const char *sym);

/* Frees s and everything it owns; NULL is a no-op. */
void sf_seam_free(sf_seam *s);

/* FNV-1a 32-bit hash of len bytes (the sf_seam.hash of a spec text). */
uint32_t sf_seam_hash(const void *data, size_t len);

#endif /* SF_SEAM_H */
