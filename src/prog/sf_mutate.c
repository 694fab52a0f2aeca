/* sf_mutate.c - structure-aware mutation at op boundaries (sf_mutate.h).
 *
 * An input is a prefix (bytes of ops the decoder dropped before the first
 * kept op), then one span per kept op, then a tail the decoder never read.
 * Op-level mutations rearrange whole spans; the prefix and tail stay put.
 * The remove mutation edits the decoded program instead (sf_edit.h) and
 * writes its canonical encoding in place of prefix and spans.
 */
#include <string.h>

#include "sf_alloc.h"
#include "sf_edit.h"
#include "sf_err.h"
#include "sf_mutate.h"

#define MUT_MAX_RUN 4 /* ops copied by REPEAT, COPY and a splice at most */

/* The op spans of one input: op i is [at[i], at[i + 1]), the tail starts
 * at at[n]. */
typedef struct spans {
    uint32_t n;
    uint32_t *at; /* n + 1 entries, owned (sf_free) */
} spans;

/* A small PRNG from the engine's seed: the same seed mutates the same way. */
static uint32_t rnd_next(uint32_t *s)
{
    uint32_t x = *s ? *s : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static uint32_t rnd_below(uint32_t *s, uint32_t n)
{
    return n ? rnd_next(s) % n : 0;
}

/* A run of 1 to MUT_MAX_RUN ops starting at op i of n (i < n). */
static uint32_t rnd_run(uint32_t *s, uint32_t n, uint32_t i)
{
    return 1 + rnd_below(s, n - i < MUT_MAX_RUN ? n - i : MUT_MAX_RUN);
}

/* Decodes data and fills sp; returns 0, or SF_ENOMEM (sp then empty).  When
 * prog is not NULL it receives the decoded program (caller frees). */
static int spans_of(const sf_spec *spec, const sf_limits *lim, const uint8_t *data, size_t size,
                    spans *sp, sf_prog **prog)
{
    sp->n = 0;
    sp->at = NULL;
    sf_prog *p = NULL;
    if (sf_prog_decode(spec, lim, data, size, &p) != 0 || !p)
        return SF_ENOMEM;
    sp->at = sf_calloc(((size_t)p->n_ops + 1) * sizeof(uint32_t));
    if (!sp->at) {
        sf_prog_free(p);
        return SF_ENOMEM;
    }
    for (uint32_t i = 0; i < p->n_ops; i++)
        sp->at[i] = p->ops[i].offset;
    sp->at[p->n_ops] = p->n_read;
    sp->n = p->n_ops;
    if (prog)
        *prog = p;
    else
        sf_prog_free(p);
    return 0;
}

/* Inserts src[0..n) at data + at (data holds size of max_size bytes);
 * returns the new size, or size when it does not fit. */
static size_t insert_at(uint8_t *data, size_t size, size_t max_size, size_t at, const uint8_t *src,
                        size_t n)
{
    if (n == 0 || n > max_size - size)
        return size;
    memmove(data + at + n, data + at, size - at);
    memcpy(data + at, src, n);
    return size + n;
}

/* The op-level mutations.  Each returns the new size, or (size_t)-1 when it
 * does not apply to this input (the caller then falls back). */

static size_t mut_copy(uint8_t *data, size_t size, size_t max_size, const spans *sp, uint32_t *rs,
                       int later)
{
    uint32_t i = rnd_below(rs, sp->n);
    uint32_t k = rnd_run(rs, sp->n, i);
    uint32_t to = i + k;
    if (later)
        to += rnd_below(rs, sp->n - to + 1);
    size_t len = sp->at[i + k] - sp->at[i];
    if (len == 0 || len > max_size - size)
        return (size_t)-1;
    uint8_t *tmp = sf_calloc(len);
    if (!tmp)
        return (size_t)-1;
    memcpy(tmp, data + sp->at[i], len);
    size_t r = insert_at(data, size, max_size, sp->at[to], tmp, len);
    sf_free(tmp);
    return r;
}

static size_t mut_delete(uint8_t *data, size_t size, const spans *sp, uint32_t *rs)
{
    if (sp->n < 2)
        return (size_t)-1;
    uint32_t i = rnd_below(rs, sp->n);
    uint32_t k = 1 + rnd_below(rs, sp->n - i < 2 ? 1 : 2);
    size_t from = sp->at[i], to = sp->at[i + k];
    memmove(data + from, data + to, size - to);
    return size - (to - from);
}

static size_t mut_swap(uint8_t *data, size_t size, const spans *sp, uint32_t *rs)
{
    if (sp->n < 2)
        return (size_t)-1;
    uint32_t i = rnd_below(rs, sp->n - 1);
    size_t a = sp->at[i], b = sp->at[i + 1], e = sp->at[i + 2];
    uint8_t *tmp = sf_calloc(b - a);
    if (!tmp)
        return (size_t)-1;
    memcpy(tmp, data + a, b - a);
    memmove(data + a, data + b, e - b);
    memcpy(data + a + (e - b), tmp, b - a);
    sf_free(tmp);
    return size;
}

static size_t mut_op_bytes(uint8_t *data, size_t size, size_t max_size, const spans *sp,
                           uint32_t *rs, sf_mutate_bytes_fn bytes)
{
    uint32_t i = rnd_below(rs, sp->n);
    size_t a = sp->at[i], b = sp->at[i + 1];
    size_t room = (b - a) + (max_size - size);
    uint8_t *tmp = sf_calloc(room ? room : 1);
    if (!tmp)
        return (size_t)-1;
    memcpy(tmp, data + a, b - a);
    size_t n = bytes(tmp, b - a, room);
    if (n > room)
        n = room;
    /* Replace [a, b) by tmp[0..n): the rest of the input moves by n - (b - a). */
    memmove(data + a + n, data + b, size - b);
    memcpy(data + a, tmp, n);
    sf_free(tmp);
    return size - (b - a) + n;
}

/* Replaces the ops of data by program p without op i and what depends on
 * it, re-encoded; the bytes the decoder never read stay behind them. */
static size_t mut_remove(uint8_t *data, size_t size, size_t max_size, const sf_prog *p,
                         uint32_t *rs)
{
    if (p->n_ops < 2)
        return (size_t)-1;
    uint8_t *keep = sf_calloc(p->n_ops);
    if (!keep)
        return (size_t)-1;
    memset(keep, 1, p->n_ops);
    keep[rnd_below(rs, p->n_ops)] = 0;
    sf_prog *q = NULL;
    uint8_t *b = NULL;
    size_t n = 0, r = (size_t)-1;
    if (sf_edit_keep(p, keep, SF_EDIT_CASCADE, &q, NULL) == 0 && sf_prog_encode(q, &b, &n) == 0 &&
        p->n_read <= size && n <= max_size - (size - p->n_read)) {
        memmove(data + n, data + p->n_read, size - p->n_read);
        memcpy(data, b, n);
        r = n + (size - p->n_read);
    }
    sf_free(b);
    sf_prog_free(q);
    sf_free(keep);
    return r;
}

size_t sf_mutate(const sf_spec *spec, const sf_limits *lim, uint8_t *data, size_t size,
                 size_t max_size, uint32_t seed, sf_mutate_bytes_fn bytes, int *kind)
{
    uint32_t rs = seed;
    int k;
    if (bytes) {
        /* Half of all mutations are the engine's own, so nothing it finds
         * alone (comparisons, dictionary words) is lost; the rest are spread
         * evenly. */
        k = (int)rnd_below(&rs, 2 * (SF_MUT__COUNT - 1));
        k = k < SF_MUT__COUNT - 1 ? SF_MUT_BYTES : k - (SF_MUT__COUNT - 2);
    } else {
        /* The engine mutates bytes on its own (AFL++): op level only. */
        k = SF_MUT_REPEAT + (int)rnd_below(&rs, SF_MUT_SWAP - SF_MUT_REPEAT + 2);
        if (k > SF_MUT_SWAP)
            k = SF_MUT_REMOVE;
    }
    if (size > max_size)
        size = max_size;
    spans sp = {0, NULL};
    sf_prog *p = NULL;
    size_t r = (size_t)-1;
    if (k != SF_MUT_BYTES && spec && spans_of(spec, lim, data, size, &sp, &p) == 0 && sp.n > 0) {
        switch (k) {
        case SF_MUT_REPEAT:
        case SF_MUT_COPY:
            r = mut_copy(data, size, max_size, &sp, &rs, k == SF_MUT_COPY);
            break;
        case SF_MUT_DELETE:
            r = mut_delete(data, size, &sp, &rs);
            break;
        case SF_MUT_SWAP:
            r = mut_swap(data, size, &sp, &rs);
            break;
        case SF_MUT_OP_BYTES:
            if (bytes)
                r = mut_op_bytes(data, size, max_size, &sp, &rs, bytes);
            break;
        case SF_MUT_REMOVE:
            r = mut_remove(data, size, max_size, p, &rs);
            break;
        default:
            break;
        }
    }
    sf_prog_free(p);
    sf_free(sp.at);
    if (r == (size_t)-1) {
        k = SF_MUT_BYTES;
        r = bytes ? bytes(data, size, max_size) : size;
    }
    if (kind)
        *kind = k;
    return r > max_size ? max_size : r;
}

size_t sf_mutate_cross(const sf_spec *spec, const sf_limits *lim, const uint8_t *a, size_t a_size,
                       const uint8_t *b, size_t b_size, uint8_t *out, size_t max_out, uint32_t seed)
{
    uint32_t rs = seed;
    spans sa = {0, NULL}, sb = {0, NULL};
    size_t r = 0;
    if (!spec || !out || spans_of(spec, lim, a, a_size, &sa, NULL) != 0 ||
        spans_of(spec, lim, b, b_size, &sb, NULL) != 0 || sb.n == 0)
        goto done;
    /* The point in a: after its prefix and any number of its ops. */
    uint32_t at = sa.at[rnd_below(&rs, sa.n + 1)];
    uint32_t i = rnd_below(&rs, sb.n);
    uint32_t k = rnd_run(&rs, sb.n, i);
    size_t mid = sb.at[i + k] - sb.at[i];
    if (a_size > max_out || mid > max_out - a_size)
        goto done;
    memcpy(out, a, at);
    memcpy(out + at, b + sb.at[i], mid);
    memcpy(out + at + mid, a + at, a_size - at);
    r = a_size + mid;
done:
    sf_free(sa.at);
    sf_free(sb.at);
    return r;
}
