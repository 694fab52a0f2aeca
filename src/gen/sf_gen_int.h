/* sf_gen_int.h - internal to src/gen: the emitters shared by sf_gen.c
 * (harness, dictionary, files) and sf_seed.c.
 */
#ifndef SF_GEN_INT_H
#define SF_GEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sf_buf.h"
#include "sf_seam_int.h"

/* One seed: its file name and encoded bytes (owned by the seed list). */
typedef struct sf__seed {
    char name[96];
    uint8_t *bytes;
    size_t len;
} sf__seed;

/* Hand-written seeds (the spec's `seeds` file), read by the caller. */
typedef struct sf__hand {
    const char *path; /* for messages */
    const char *text; /* borrowed, len bytes; NULL for none */
    size_t len;
} sf__hand;

/* Writes the text form of every seed program into *text and, when
 * `encode`, their encoded bytes into *seeds / *n_seeds (caller frees with
 * sf__seeds_free).  Returns 0 or SF_E* with one line in err. */
int sf__seeds_build(const sf_seam *s, const sf__hand *hand, int encode, sf_buf *text,
                    sf__seed **seeds, size_t *n_seeds, char *err, size_t errlen);
void sf__seeds_free(sf__seed *seeds, size_t n);

/* Renders the harness, wrap list and (when dict != NULL) dictionary of the
 * error-free spec s into the given buffers; spec_path names the spec in the
 * banners.  Check the buffers' `oom` afterwards. */
void sf__gen_render(const sf_seam *s, const char *spec_path, sf_buf *harness, sf_buf *wrap,
                    sf_buf *dict);

/* C type of a resource value ("BbBuf *", "uint64_t"), by resource index. */
const char *sf__res_ctype(const sf_seam *s, int r, int is_const, char *buf, size_t n);
/* C type of parameter p / of f's return value, as the generated harness
 * declares it, written into buf (n bytes); returns buf. */
const char *sf__param_ctype(const sf_seam *s, const sf__param *p, char *buf, size_t n);
const char *sf__ret_ctype(const sf_seam *s, const sf__func *f, char *buf, size_t n);
/* 1 when the C type t ends in '*'. */
int sf__is_ptr_ctype(const char *t);

#endif /* SF_GEN_INT_H */
