/* sf_edit.c - op-level edits of programs (sf_edit.h).  Every edit lays out
 * the ops it wants, lets the encoder's state machine (sf__enc_ops) renumber
 * and legalise them, and decodes the bytes into the new program, so an
 * edited program is always one the decoder itself produces. */
#include "sf_edit.h"

#include <string.h>

#include "sf_alloc.h"
#include "sf_buf.h"
#include "sf_err.h"
#include "sf_prog_int.h"

/* The limits p was decoded (or parsed) under. */
static sf_limits prog_limits(const sf_prog *p)
{
    return p->arena ? ((const sf__prog_priv *)p->arena)->lim : sf_limits_default();
}

/* Encodes ops[0..n) (slots named 0 .. n_slots-1) in mode and decodes the
 * result into *out. */
static int rebuild(const sf_prog *p, const sf_op *ops, uint32_t n, uint32_t n_slots, int mode,
                   uint8_t *kept, sf_prog **out)
{
    sf_limits l = prog_limits(p);
    sf_buf bv = {0};
    int rc = sf__enc_ops(p->spec, l, ops, n, n_slots, mode, &bv, kept);
    /* Under p's limits: an edit that makes more ops than they allow keeps
     * only the ops a fuzz binary with those limits would run. */
    if (rc == 0)
        rc = sf_prog_decode(p->spec, &l, (const uint8_t *)bv.p, bv.len, out);
    sf_free(bv.p);
    return rc;
}

int sf_edit_keep(const sf_prog *p, const uint8_t *keep, sf_edit_deps deps, sf_prog **out,
                 uint8_t *kept)
{
    if (!out)
        return SF_EINVAL;
    *out = NULL;
    if (!p || !p->spec || (p->n_ops && (!p->ops || !keep)))
        return SF_EINVAL;
    sf_op *ops = sf_calloc((size_t)(p->n_ops ? p->n_ops : 1) * sizeof *ops);
    uint32_t *idx = sf_calloc((size_t)(p->n_ops ? p->n_ops : 1) * sizeof *idx);
    uint8_t *got = sf_calloc(p->n_ops ? p->n_ops : 1);
    int rc = SF_ENOMEM;
    if (ops && idx && got) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < p->n_ops; i++)
            if (keep[i]) {
                idx[n] = i;
                ops[n++] = p->ops[i];
            }
        rc = rebuild(p, ops, n, p->n_slots,
                     deps == SF_EDIT_REBIND ? SF__ENC_REBIND : SF__ENC_CASCADE, got, out);
        if (kept) {
            memset(kept, 0, p->n_ops);
            for (uint32_t j = 0; rc == 0 && j < n; j++)
                kept[idx[j]] = got[j];
        }
    }
    sf_free(ops);
    sf_free(idx);
    sf_free(got);
    return rc;
}

/* Moves the slots of op (copied from src) past p's: slot s of src becomes
 * p->n_slots + s, so the copies keep what they make for each other while
 * anything else they name has no producer (and is rebound). */
static void shift_slots(sf_op *op, uint32_t by)
{
    if (op->ret_slot >= 0)
        op->ret_slot += (int32_t)by;
    for (uint32_t j = 0; j < op->n_args && j < SF_MAX_PARAMS; j++) {
        sf_arg *a = &op->args[j];
        if ((a->tag == SF_A_SLOT || a->tag == SF_A_STALE || a->tag == SF_A_OUTSLOT) && a->slot >= 0)
            a->slot += (int32_t)by;
    }
}

int sf_edit_insert(const sf_prog *p, uint32_t at, const sf_prog *src, uint32_t from, uint32_t n,
                   sf_prog **out)
{
    if (!out)
        return SF_EINVAL;
    *out = NULL;
    if (!p || !src || p->spec != src->spec || at > p->n_ops || from > src->n_ops ||
        n > src->n_ops - from || p->n_slots > INT32_MAX - src->n_slots)
        return SF_EINVAL;
    size_t total = (size_t)p->n_ops + n;
    sf_op *ops = sf_calloc((total ? total : 1) * sizeof *ops);
    if (!ops)
        return SF_ENOMEM;
    memcpy(ops, p->ops, (size_t)at * sizeof *ops);
    for (uint32_t j = 0; j < n; j++) {
        ops[at + j] = src->ops[from + j];
        shift_slots(&ops[at + j], p->n_slots);
    }
    memcpy(ops + at + n, p->ops + at, (size_t)(p->n_ops - at) * sizeof *ops);
    int rc = rebuild(p, ops, (uint32_t)total, p->n_slots + src->n_slots, SF__ENC_REBIND, NULL, out);
    sf_free(ops);
    return rc;
}

int sf_edit_set_len(const sf_prog *p, uint32_t i, uint32_t arg, size_t len, sf_prog **out)
{
    if (!out)
        return SF_EINVAL;
    *out = NULL;
    if (!p || !p->spec || i >= p->n_ops || p->ops[i].func < 0 || arg >= p->ops[i].n_args)
        return SF_EINVAL;
    const sf_func_desc *fd = &p->spec->funcs[p->ops[i].func];
    sf_arg *a0 = &p->ops[i].args[arg];
    if ((a0->tag != SF_A_BYTES && a0->tag != SF_A_OUTBUF) || arg >= fd->n_params ||
        (a0->tag == SF_A_BYTES && len > a0->len) || len > sf__len_max(&fd->params[arg]) ||
        len < sf__len_min(&fd->params[arg]))
        return SF_EINVAL;
    sf_op *ops = sf_calloc((size_t)p->n_ops * sizeof *ops);
    if (!ops)
        return SF_ENOMEM;
    memcpy(ops, p->ops, (size_t)p->n_ops * sizeof *ops);
    ops[i].args[arg].len = len;
    sf__fill_lens(fd, &ops[i]);
    int rc = rebuild(p, ops, p->n_ops, p->n_slots, SF__ENC_STRICT, NULL, out);
    sf_free(ops);
    return rc;
}
