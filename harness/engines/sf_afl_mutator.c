/* sf_afl_mutator.c - the AFL++ custom mutator library of one generated
 * harness: op-level mutations and splices (sf_mutate.h) next to AFL++'s own
 * byte mutations, which it leaves to AFL++.
 *
 * Built as a shared object from the harness compiled with -DSF_SPEC_ONLY (the
 * descriptor tables without calls into the archives), without sanitizers or
 * coverage, because it runs inside afl-fuzz, not in the target.  Load it with
 * AFL_CUSTOM_MUTATOR_LIBRARY=<build>/bin/<harness>_mutator.so (docs/runtime.md).
 * It decodes with the limits in SEAM_AFL_LIMITS (max_ops=N,max_live=N, as the
 * target's -seam_max_ops= and -seam_max_live=), else the defaults; with fewer
 * ops than the target decodes, the ops past the limit are left where they
 * are, never cut.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_mutate.h"
#include "sf_prog.h"

/* Defined by the generated harness under SF_SPEC_ONLY. */
const sf_spec *sf_harness_spec(void);

/* AFL++'s custom mutator interface (include/afl-mutations.h, 4.x). */
void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

/* One per afl-fuzz instance: the output buffer AFL++ borrows between calls. */
typedef struct sf_aflm {
    const sf_spec *spec;
    sf_limits lim; /* from SEAM_AFL_LIMITS; 0 fields are the defaults */
    uint8_t *out;
    size_t cap;
    uint32_t rs;
    const char *last; /* what the last mutation was, for queue file names */
} sf_aflm;

/* Returns the state AFL++ hands back to every call; freed by deinit.  On out
 * of memory or a bad SEAM_AFL_LIMITS it prints one line and exits afl-fuzz
 * with status 1: AFL++ 4.04c does not check for NULL and would crash. */
void *afl_custom_init(void *afl, unsigned int seed)
{
    (void)afl;
    sf_aflm *m = sf_calloc(sizeof *m);
    if (!m) {
        fprintf(stderr, "seamfuzz AFL++ mutator: out of memory\n");
        exit(1);
    }
    m->spec = sf_harness_spec();
    m->rs = seed ? seed : 1;
    m->last = "seam";
    const char *env = getenv("SEAM_AFL_LIMITS");
    char err[160];
    if (env && sf_limits_parse(env, &m->lim, err, sizeof err) != 0) {
        fprintf(stderr,
                "seamfuzz AFL++ mutator: SEAM_AFL_LIMITS: %s (example: "
                "SEAM_AFL_LIMITS=max_ops=200,max_live=1000, the target's -seam_max_ops= and "
                "-seam_max_live=)\n",
                err);
        exit(1);
    }
    return m;
}

static uint32_t aflm_next(sf_aflm *m)
{
    m->rs ^= m->rs << 13;
    m->rs ^= m->rs >> 17;
    m->rs ^= m->rs << 5;
    return m->rs;
}

/* Writes one mutation of buf (borrowed) to *out_buf, a buffer the state
 * owns, valid until the next call; returns its size (<= max_size). */
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
    sf_aflm *m = data;
    *out_buf = buf;
    if (buf_size > max_size)
        buf_size = max_size;
    if (max_size > m->cap) {
        uint8_t *n = sf_realloc(m->out, max_size);
        if (!n)
            return buf_size; /* unchanged: AFL++ runs it once more, no harm */
        m->out = n;
        m->cap = max_size;
    }
    uint32_t seed = aflm_next(m);
    size_t n = 0;
    /* One splice in four when AFL++ offers a second input. */
    if (add_buf && add_buf_size && seed % 4 == 0) {
        n = sf_mutate_cross(m->spec, &m->lim, buf, buf_size, add_buf, add_buf_size, m->out,
                            max_size, aflm_next(m));
        m->last = "seam-splice";
    }
    if (n == 0) {
        static const char *const names[SF_MUT__COUNT] = {
            "seam-none", "seam-repeat",  "seam-copy",  "seam-delete",
            "seam-swap", "seam-opbytes", "seam-remove"};
        int kind = SF_MUT_BYTES;
        memcpy(m->out, buf, buf_size);
        n = sf_mutate(m->spec, &m->lim, m->out, buf_size, max_size, aflm_next(m), NULL, &kind);
        m->last = names[kind];
    }
    *out_buf = m->out;
    return n;
}

/* Names the last mutation (AFL++ puts it in the queue file name). */
const char *afl_custom_describe(void *data, size_t max_description_len)
{
    sf_aflm *m = data;
    return strlen(m->last) < max_description_len ? m->last : "seam";
}

/* Frees the state from afl_custom_init. */
void afl_custom_deinit(void *data)
{
    sf_aflm *m = data;
    if (m)
        sf_free(m->out);
    sf_free(m);
}
