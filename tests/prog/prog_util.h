/* prog_util.h - helpers shared by the program tests (included after
 * sf_test.h, in one translation unit per test executable). */
#ifndef PROG_UTIL_H
#define PROG_UTIL_H

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_prog.h"
#include "toy_spec.h"

#define TOY_HEADER "# seamfuzz program for toy\n"

/* Returns the text form of p; the caller frees it with free(). */
static inline char *print_prog(const sf_prog *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    SF_ASSERT_NOT_NULL(f);
    int rc = sf_prog_print(p, f);
    fclose(f);
    SF_ASSERT_EQ_INT(rc, 0);
    return buf;
}

/* Decodes bytes with lim (NULL: defaults); the caller frees the program. */
static inline sf_prog *decode_lim(const void *b, size_t n, const sf_limits *lim)
{
    sf_prog *p = NULL;
    SF_ASSERT_EQ_INT(sf_prog_decode(&toy_spec, lim, b, n, &p), 0);
    SF_ASSERT_NOT_NULL(p);
    return p;
}

static inline sf_prog *decode(const void *b, size_t n)
{
    return decode_lim(b, n, NULL);
}

/* Returns the text of decode(b) without its header; caller frees. */
static inline char *decode_text(const void *b, size_t n)
{
    sf_prog *p = decode(b, n);
    char *t = print_prog(p);
    sf_prog_free(p);
    SF_ASSERT_EQ_INT(strncmp(t, TOY_HEADER, strlen(TOY_HEADER)), 0);
    memmove(t, t + strlen(TOY_HEADER), strlen(t) - strlen(TOY_HEADER) + 1);
    return t;
}

/* Parses text that must be valid; the caller frees the program. */
static inline sf_prog *parse_lim(const char *text, const sf_limits *lim)
{
    sf_prog *p = NULL;
    char err[256];
    int rc = sf_prog_parse(&toy_spec, lim, text, strlen(text), &p, err, sizeof err);
    SF_ASSERT_EQ_STR(rc ? err : "", "");
    SF_ASSERT_EQ_INT(rc, 0);
    return p;
}

/* Returns the parse error of text (which must not parse) in a static buffer. */
static inline const char *parse_err_lim(const char *text, const sf_limits *lim)
{
    static char err[256];
    sf_prog *p = NULL;
    int rc = sf_prog_parse(&toy_spec, lim, text, strlen(text), &p, err, sizeof err);
    SF_ASSERT_EQ_INT(rc, SF_EPARSE);
    SF_ASSERT_NULL(p);
    return err;
}

static inline const char *parse_err(const char *text)
{
    return parse_err_lim(text, NULL);
}

/* Encodes p, which must be encodable; the caller frees *out with sf_free. */
static inline size_t encode(const sf_prog *p, uint8_t **out)
{
    size_t n = 0;
    SF_ASSERT_EQ_INT(sf_prog_encode(p, out, &n), 0);
    SF_ASSERT_NOT_NULL(*out);
    return n;
}

/* Compares two programs field by field (slots, args, bytes). */
static inline void assert_same_prog(const sf_prog *a, const sf_prog *b)
{
    SF_ASSERT_EQ_INT(a->n_ops, b->n_ops);
    SF_ASSERT_EQ_INT(a->n_slots, b->n_slots);
    for (uint32_t s = 0; s < a->n_slots; s++) {
        SF_ASSERT_EQ_INT(a->slot_res[s], b->slot_res[s]);
        SF_ASSERT_EQ_INT(a->slot_holder[s], b->slot_holder[s]);
    }
    for (uint32_t i = 0; i < a->n_ops; i++) {
        const sf_op *x = &a->ops[i], *y = &b->ops[i];
        SF_ASSERT_EQ_INT(x->func, y->func);
        SF_ASSERT_EQ_INT(x->builtin, y->builtin);
        SF_ASSERT_EQ_INT(x->ret_slot, y->ret_slot);
        SF_ASSERT_EQ_INT(x->n_args, y->n_args);
        for (uint32_t j = 0; j < x->n_args; j++) {
            SF_ASSERT_EQ_INT(x->args[j].tag, y->args[j].tag);
            SF_ASSERT_EQ_INT(x->args[j].slot, y->args[j].slot);
            SF_ASSERT_EQ_UINT(x->args[j].v.u, y->args[j].v.u);
            SF_ASSERT_EQ_UINT(x->args[j].len, y->args[j].len);
            if (x->args[j].tag == SF_A_BYTES)
                SF_ASSERT_EQ_MEM(x->args[j].bytes, y->args[j].bytes, x->args[j].len);
        }
    }
}

#endif /* PROG_UTIL_H */
