/* sf_gen_int.h - internal to src/gen: the growable text buffer and the
 * emitters shared by sf_gen.c (harness, dictionary, files) and sf_seed.c.
 */
#ifndef SF_GEN_INT_H
#define SF_GEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sf_spec_int.h"

/* A growable byte buffer; `oom` is sticky so callers check once at the end. */
typedef struct sf__sb {
    char *p;
    size_t len, cap;
    int oom;
} sf__sb;

void sf__sb_printf(sf__sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sf__sb_put(sf__sb *b, const void *data, size_t n);
/* Appends n bytes as a C string literal body (\xNN escapes, quotes added). */
void sf__sb_cstr(sf__sb *b, const uint8_t *data, size_t n);
/* Frees the buffer's memory. */
void sf__sb_free(sf__sb *b);

/* One seed: its file name and encoded bytes (owned by the seed list). */
typedef struct sf__seed {
    char name[96];
    uint8_t *bytes;
    size_t len;
} sf__seed;

/* Writes the text form of every seed program into *text and, when
 * `encode`, their encoded bytes into *seeds / *n_seeds (caller frees with
 * sf__seeds_free).  Returns 0 or SF_E* with one line in err. */
int sf__seeds_build(const sf_seam *s, int encode, sf__sb *text, sf__seed **seeds, size_t *n_seeds,
                    char *err, size_t errlen);
void sf__seeds_free(sf__seed *seeds, size_t n);

/* Renders the harness, wrap list and (when dict != NULL) dictionary of the
 * error-free spec s into the given buffers; spec_path names the spec in the
 * banners.  Check the buffers' `oom` afterwards. */
void sf__gen_render(const sf_seam *s, const char *spec_path, sf__sb *harness, sf__sb *wrap,
                    sf__sb *dict);

/* C type of a resource value ("BbBuf *", "uint64_t"), by resource index. */
const char *sf__res_ctype(const sf_seam *s, int r, int is_const, char *buf, size_t n);
/* C type of parameter p / of f's return value, as the generated harness
 * declares it, written into buf (n bytes); returns buf. */
const char *sf__param_ctype(const sf_seam *s, const sf__param *p, char *buf, size_t n);
const char *sf__ret_ctype(const sf_seam *s, const sf__func *f, char *buf, size_t n);
/* 1 when the C type t ends in '*'. */
int sf__is_ptr_ctype(const char *t);

#endif /* SF_GEN_INT_H */
