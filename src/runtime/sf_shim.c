/* sf_shim.c - the linker-wrap interception shims: every call one archive
 * makes to another through an intercepted symbol (-Wl,--wrap=) pushes the
 * callee's side and is checked by the same model as the harness's own calls.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>

#include "sf_run.h"
#include "sf_run_int.h"

/* ---- linker-wrap shims ------------------------------------------------------------------ */

uint32_t sf_shim_enter(const sf_spec *spec, int func, const sf_val *args)
{
    sf__ctx *c = sf__g;
    if (!spec || func < 0 || func >= spec->n_funcs)
        return 0;
    const sf_func_desc *fd = &spec->funcs[func];
    if (c && c->direct_func == func && pthread_equal(c->direct_thread, pthread_self())) {
        /* The executor's own call: it pushed the side and checks it. */
        c->direct_func = -1;
        return 0;
    }
    sf_side caller = sf_side_current();
    sf_side_push((sf_side)fd->side);
    if (!c || c->spec != spec || !c->in_run || !c->model_on)
        return SF__TOK_PUSHED;

    pthread_mutex_lock(&c->mu);
    sf_side_tls *ct = sf_side_tls_get();
    if (ct->cb_depth > 0 && ct->cb_type >= 0 && ct->cb_type < spec->n_cbs &&
        !(spec->cbs[ct->cb_type].flags & SF_CB_REENTRANT))
        sf__violation(c, SF_V_CALLBACK_REENTERED, func, (int)sf_side_depth(), -1, -1,
                      "a %s callback called %s; the callback type is not reentrant",
                      spec->cbs[ct->cb_type].name, fd->name);
    int slot = -1;
    for (int k = 0; k < SF__FRAMES; k++)
        if (!(c->frames_used & (1ull << k))) {
            slot = k;
            break;
        }
    if (slot < 0) {
        pthread_mutex_unlock(&c->mu);
        return SF__TOK_PUSHED;
    }
    c->frames_used |= 1ull << slot;
    sf__call *k = &c->frames[slot];
    memset(k, 0, sizeof *k);
    k->func = func;
    k->depth = (int)sf_side_depth();
    k->op = c->cur_op;
    k->caller = caller;
    for (int j = 0; j < SF_MAX_PARAMS; j++)
        k->rid[j] = -1;
    for (int j = 0; j < fd->n_params && j < SF_MAX_PARAMS; j++)
        k->args[j] = args[j];
    sf__expect_ranges(fd, k);
    sf__precheck(c, k);
    sf_side_tls *tls = sf_side_tls_get();
    for (int s = 0; s < 3; s++)
        k->allocs0[s] = tls->allocs[s];
    k->enter_ns = sf__now();
    pthread_mutex_unlock(&c->mu);
    return SF__TOK_PUSHED | (uint32_t)(slot + 1);
}

void sf_shim_exit(uint32_t token, sf_val ret)
{
    if (token & SF__TOK_PUSHED)
        sf_side_pop();
    uint32_t slot = token & 0xffffu;
    sf__ctx *c = sf__g;
    if (!slot || !c || slot > SF__FRAMES)
        return;
    uint64_t t_out = sf__now();
    pthread_mutex_lock(&c->mu);
    sf__call *k = &c->frames[slot - 1];
    const sf_func_desc *fd = &c->spec->funcs[k->func];
    uint64_t cells[SF_MAX_PARAMS] = {0};
    int32_t out_slot[SF_MAX_PARAMS + 1];
    for (int j = 0; j <= SF_MAX_PARAMS; j++)
        out_slot[j] = -1;
    for (int j = 0; j < fd->n_params && j < SF_MAX_PARAMS; j++)
        if (fd->params[j].kind == SF_K_OUTRES)
            cells[j] = k->args[j].p ? *(const uint64_t *)k->args[j].p
                                    : sf__invalid(c->spec, fd->params[j].res);
        else if (fd->params[j].kind == SF_K_OUTEXTENT)
            cells[j] = k->args[j].p ? *(const size_t *)k->args[j].p : 0;
    sf__ring_add(c, k->op, k->func, k->depth, k->enter_ns, t_out);
    sf__postcheck(c, k, ret, cells, out_slot);
    sf__nested_last_error(c, k, ret);
    if (c->prof) {
        sf_side_tls *tls = sf_side_tls_get();
        uint64_t d[3];
        for (int s = 0; s < 3; s++)
            d[s] = tls->allocs[s] - k->allocs0[s];
        sf__profile_call(c, k, ret, t_out - k->enter_ns, d);
    }
    c->frames_used &= ~(1ull << (slot - 1));
    pthread_mutex_unlock(&c->mu);
}

/* ---- callback trampolines ------------------------------------------------------------- */

/* The newest user-data record of block ud for callback type cb, or NULL. */
static const sf__ud *sf__ud_find(const sf__ctx *c, int cb, const void *ud)
{
    for (uint32_t k = c->n_uds; k-- > 0;)
        if (c->uds[k].p == ud && c->uds[k].cb == cb)
            return &c->uds[k];
    return NULL;
}

uint32_t sf_cb_enter(const sf_spec *spec, int cb, int impl, void *ud)
{
    sf__ctx *c = sf__g;
    if (!spec || cb < 0 || cb >= spec->n_cbs || impl < 0 || impl >= spec->cbs[cb].n_impls)
        return 0;
    const sf_cb_desc *cd = &spec->cbs[cb];
    int fi = cd->impls[impl];
    sf_side_tls *tls = sf_side_tls_get();
    uint32_t token = SF__TOK_PUSHED | (uint32_t)(tls->cb_type + 1) << 8 | (tls->cb_depth & 0xff);
    tls->cb_depth++;
    tls->cb_type = cb;
    sf_side_push((sf_side)spec->funcs[fi].side);
    if (!c || c->spec != spec || !c->in_run || !c->model_on || cd->ud_param < 0)
        return token;
    pthread_mutex_lock(&c->mu);
    const sf__ud *u = sf__ud_find(c, cb, ud);
    if (u && !u->live)
        sf__violation(c, SF_V_CALLBACK_EXPIRED, fi, (int)sf_side_depth(), -1, -1,
                      "%s (a %s) called with the user data passed at op %d, whose lifetime "
                      "ended after op %d",
                      spec->funcs[fi].name, cd->name, (int)u->op, (int)u->end_op);
    if (!u && !c->uds_full)
        sf__violation(c, SF_V_CALLBACK_EXPIRED, fi, (int)sf_side_depth(), -1, -1,
                      "%s (a %s) called with user data %p, which the harness never passed",
                      spec->funcs[fi].name, cd->name, ud);
    pthread_mutex_unlock(&c->mu);
    return token;
}

void sf_cb_exit(uint32_t token)
{
    if (!(token & SF__TOK_PUSHED))
        return;
    sf_side_pop();
    sf_side_tls *tls = sf_side_tls_get();
    tls->cb_depth = (int32_t)(token & 0xffu);
    tls->cb_type = (int32_t)((token >> 8) & 0xffffu) - 1;
}
