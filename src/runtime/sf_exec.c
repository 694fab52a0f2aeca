/* sf_exec.c - the executor: runs one decoded program against the boundary
 * with the shadow model checking every call (sf_contract.c), then tears down
 * and checks for leaks.  Execution semantics are docs/program.md's.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_run.h"
#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_reach.h"
#include "sf_covmap.h"
#include "sf_run_int.h"
#include "sf_thread.h"

/* ---- the executor ------------------------------------------------------------ */

static int sf__grow_input(sf__ctx *c, const sf_prog *p)
{
    if (p->n_slots > c->slot_cap) {
        uint32_t n = p->n_slots + 64;
        int32_t *id = sf_realloc(c->slot_id, sizeof(int32_t) * n);
        if (id)
            c->slot_id = id;
        sf_val *v = sf_realloc(c->slot_val, sizeof(sf_val) * n);
        if (v)
            c->slot_val = v;
        uint8_t *st = sf_realloc(c->slot_state, n);
        if (st)
            c->slot_state = st;
        uint8_t *h = sf_realloc(c->slot_holds, n);
        if (h)
            c->slot_holds = h;
        uint64_t *ext = sf_realloc(c->slot_ext, sizeof(uint64_t) * n);
        if (ext)
            c->slot_ext = ext;
        if (!id || !v || !st || !h || !ext)
            return SF_ENOMEM;
        c->slot_cap = n;
    }
    if (p->n_ops + 1 > c->op_cap) {
        uint8_t *o = sf_realloc(c->op_status, p->n_ops + 64);
        if (!o)
            return SF_ENOMEM;
        c->op_status = o;
        c->op_cap = p->n_ops + 64;
    }
    for (uint32_t i = 0; i < p->n_slots; i++) {
        c->slot_id[i] = -1;
        c->slot_val[i].u = 0;
        c->slot_state[i] = SF__SLOT_EMPTY;
        c->slot_holds[i] = 0;
        c->slot_ext[i] = 0;
    }
    for (uint32_t i = 0; i < p->n_slots; i++)
        if (p->slot_holder && p->slot_holder[i] >= 0 && (uint32_t)p->slot_holder[i] < p->n_slots)
            c->slot_holds[p->slot_holder[i]] = 1;
    memset(c->op_status, SF_OPST_NONE, p->n_ops + 1);
    return 0;
}

/* The close of slot sl succeeded: its children of `invalidated` types (and
 * theirs) are dead; they need no destructor (the model ended them too). */
static void sf__kids_end(sf__ctx *c, int32_t sl)
{
    const sf_prog *p = c->prog;
    if (!p->slot_parent || !sf__has_child_type(c->spec, p->slot_res[sl]))
        return;
    for (uint32_t ch = 0; ch < p->n_slots; ch++) {
        if (p->slot_parent[ch] != sl || c->slot_state[ch] != SF__SLOT_LIVE)
            continue;
        int res = p->slot_res[ch];
        if (res < 0 || res >= c->spec->n_res || c->spec->res[res].on_close != SF_CLOSE_INVALIDATES)
            continue;
        c->slot_state[ch] = SF__SLOT_DEAD;
        sf__kids_end(c, (int32_t)ch);
    }
}

/* User data u ends after op i: the block is freed, as the harness that
 * lent it would; a later call of its callback is SF-115. */
static void sf__ud_end(sf__ctx *c, sf__ud *u, int32_t i)
{
    pthread_mutex_lock(&c->mu);
    u->live = 0;
    u->end_op = i;
    free(u->p);
    pthread_mutex_unlock(&c->mu);
}

/* 1 when slot sl's resource is destroyed for certain: the model has it
 * freed (a transferred one lives on elsewhere; without the model, only the
 * end of the input is certain). */
static int sf__slot_destroyed(const sf__ctx *c, int32_t sl)
{
    const sf_mres *r =
        c->model_on && c->slot_id[sl] >= 0 ? sf_model_get(c->model, c->slot_id[sl]) : NULL;
    return r && r->state == SF_RS_FREED;
}

/* After op i: user data that lives with a resource ends when it is
 * destroyed; all = 1 (after teardown) ends every one. */
static void sf__uds_check(sf__ctx *c, int32_t i, int all)
{
    for (uint32_t u = 0; u < c->n_uds; u++) {
        sf__ud *d = &c->uds[u];
        if (d->live && (all || (d->until_slot >= 0 && sf__slot_destroyed(c, d->until_slot))))
            sf__ud_end(c, d, i);
    }
}

/* ASan's own query: the first unaddressable byte of a region, or NULL.
 * Weak, so that a build without ASan links (and skips the view checks). */
extern void *__asan_region_is_poisoned(void *beg, size_t size) __attribute__((weak));

/* Starts following the view op i returned (when its extent is known). */
static void sf__view_add(sf__ctx *c, int32_t i, const sf_op *op, sf_val ret, const uint64_t *cells)
{
    const sf_spec *s = c->spec;
    const sf_func_desc *fd = &s->funcs[op->func];
    size_t len = 0;
    if (fd->ret.layout >= 0 && fd->ret.layout < s->n_layouts)
        len = s->layouts[fd->ret.layout].size;
    for (int j = 0; j < fd->n_params && j < op->n_args; j++)
        if (op->args[j].tag == SF_A_OUTEXTENT && fd->params[j].link < 0)
            len = (size_t)cells[j];
    /* A C string view's extent is its bytes and the NUL; measured now,
     * while the contract says it is valid. */
    if (len == 0 && (fd->ret.flags & SF_P_CSTRING))
        len = strlen((const char *)ret.p) + 1;
    if (len == 0 || ret.u < 4096 || !__asan_region_is_poisoned)
        return;
    if (len > (1u << 24))
        len = 1u << 24;
    int l = fd->ret.link;
    sf__view v = {ret.p, len, i, l >= 0 && l < op->n_args ? op->args[l].slot : -1,
                  (int16_t)op->func};
    if (c->n_views == SF__VIEWS)
        memmove(c->views, c->views + 1, sizeof(sf__view) * (SF__VIEWS - 1)), c->n_views--;
    c->views[c->n_views++] = v;
}

/* Returns 1 when op (i) ends view v's lifetime. */
static int sf__view_ends(const sf__ctx *c, const sf__view *v, const sf_op *op)
{
    const sf_func_desc *vf = &c->spec->funcs[v->func];
    if (vf->view_life == SF_LIFE_CALL || v->slot < 0)
        return 1;
    if (c->slot_state[v->slot] != SF__SLOT_LIVE)
        return 1; /* the viewed resource is gone */
    if (op->func < 0)
        return 0;
    int takes = 0;
    for (uint32_t j = 0; j < op->n_args; j++)
        takes |= (op->args[j].tag == SF_A_SLOT || op->args[j].tag == SF_A_STALE) &&
                 op->args[j].slot == v->slot;
    if (!takes)
        return 0;
    /* A function of another side (a Go wrapper) may make any call on it
     * that the checks do not see: the lifetime may end there. */
    if (vf->view_life == SF_LIFE_USE || c->spec->funcs[op->func].side != vf->side)
        return 1;
    for (uint32_t u = 0; u < vf->n_view_until; u++)
        if (vf->view_until[u] == op->func)
            return 1;
    return 0;
}

/* After op i: every view still within its lifetime must be addressable
 * (those op i returned are checked, never ended, by it). */
static void sf__views_check(sf__ctx *c, int32_t i, const sf_op *op)
{
    uint32_t keep = 0;
    for (uint32_t k = 0; k < c->n_views; k++) {
        sf__view *v = &c->views[k];
        if (v->op != i && sf__view_ends(c, v, op))
            continue;
        void *bad = __asan_region_is_poisoned((void *)v->p, v->len);
        if (bad)
            sf__violation(c, SF_V_VIEW_EXPIRED, v->func, 0, v->slot >= 0 ? c->slot_id[v->slot] : -1,
                          -1,
                          "the view %s returned at op %d (%zu bytes at %p) is unaddressable at "
                          "byte %zu after op %d",
                          c->spec->funcs[v->func].name, (int)v->op, v->len, (const void *)v->p,
                          (size_t)((const uint8_t *)bad - v->p), (int)i);
        c->views[keep++] = *v;
    }
    c->n_views = keep;
}

/* Runs one call op (i may be >= n_ops for a teardown destructor). */
static void sf__exec_call(sf__ctx *c, int32_t i, const sf_op *op)
{
    const sf_spec *s = c->spec;
    const sf_func_desc *fd = &s->funcs[op->func];
    sf__call k;
    void *blocks[SF_MAX_PARAMS] = {0};
    int32_t out_slot[SF_MAX_PARAMS + 1];
    uint64_t cells[SF_MAX_PARAMS] = {0};
    int n = fd->n_params < op->n_args ? fd->n_params : op->n_args;
    int in_prog = (uint32_t)i < c->prog->n_ops;

    memset(&k, 0, sizeof k);
    k.func = op->func;
    k.op = i;
    k.caller = SF_SIDE_C;
    for (int j = 0; j < SF_MAX_PARAMS; j++)
        k.rid[j] = -1;
    for (int j = 0; j <= SF_MAX_PARAMS; j++)
        out_slot[j] = -1;
    out_slot[SF_MAX_PARAMS] = op->ret_slot;

    /* A callback's user data that would not fit the table skips the op:
     * its lifetime could not be followed. */
    int n_ud = 0;
    for (int j = 0; j < n; j++)
        n_ud += op->args[j].tag == SF_A_USERDATA;
    if (c->n_uds + (uint32_t)n_ud > SF__UDS) {
        c->uds_full = 1;
        if (in_prog)
            c->op_status[i] = SF_OPST_SKIPPED;
        return;
    }

    /* An empty slot (its producer failed) skips the op. */
    for (int j = 0; j < n; j++) {
        const sf_arg *a = &op->args[j];
        if ((a->tag == SF_A_SLOT || a->tag == SF_A_STALE) &&
            (a->slot < 0 || (uint32_t)a->slot >= c->prog->n_slots ||
             c->slot_state[a->slot] == SF__SLOT_EMPTY ||
             (a->tag == SF_A_SLOT && c->slot_state[a->slot] != SF__SLOT_LIVE))) {
            if (in_prog)
                c->op_status[i] = SF_OPST_SKIPPED;
            return;
        }
    }

    /* Build the arguments: every buffer is a fresh exact-size heap block so
     * that ASan sees a callee reading past it or keeping it. */
    for (int j = 0; j < n; j++) {
        const sf_param_desc *p = &fd->params[j];
        const sf_arg *a = &op->args[j];
        switch (a->tag) {
        case SF_A_SLOT:
            k.args[j] = c->slot_val[a->slot];
            k.rid[j] = c->slot_id[a->slot];
            break;
        case SF_A_STALE:
            k.args[j] = c->slot_val[a->slot];
            if (p->flags & SF_P_REJECT_STALE)
                k.expect[j] = SF__EXPECT_REJECT_STALE;
            break;
        case SF_A_NULL:
            k.args[j].u = sf__invalid(s, p->res);
            if (p->flags & SF_P_REJECT_NULL)
                k.expect[j] = SF__EXPECT_REJECT_NULL;
            break;
        case SF_A_BYTES: {
            size_t extra = p->kind == SF_K_CSTR ? 1 : 0;
            uint8_t *b = malloc(a->len + extra);
            if (!b)
                abort();
            if (a->len)
                memcpy(b, a->bytes, a->len);
            if (extra)
                b[a->len] = 0;
            blocks[j] = b;
            k.args[j].p = b;
            break;
        }
        case SF_A_OUTBUF: {
            uint8_t *b = malloc(a->len);
            if (!b && a->len)
                abort();
            if (a->len)
                memset(b, 0xbe, a->len);
            blocks[j] = b;
            k.args[j].p = b;
            break;
        }
        case SF_A_OUTSLOT:
        case SF_A_OUTEXTENT: {
            /* An 8-byte cell the callee writes: a T * (preset to the type's
             * invalid sentinel) or a size_t extent. */
            uint64_t *cell = malloc(sizeof *cell);
            if (!cell)
                abort();
            *cell = a->tag == SF_A_OUTSLOT ? sf__invalid(s, p->res) : 0;
            blocks[j] = cell;
            k.args[j].p = cell;
            if (a->tag == SF_A_OUTSLOT)
                out_slot[j] = a->slot;
            break;
        }
        case SF_A_OUTSTRUCT: {
            size_t sz = p->layout >= 0 && p->layout < s->n_layouts ? s->layouts[p->layout].size : 0;
            uint8_t *b = malloc(sz ? sz : 1);
            if (!b)
                abort();
            memset(b, 0xbe, sz ? sz : 1);
            blocks[j] = b;
            k.args[j].p = b;
            break;
        }
        case SF_A_LEN:
            k.args[j].u = a->len;
            break;
        case SF_A_EXTENT: {
            /* The length the resource's producer reported. */
            int l = p->link;
            int32_t sl = l >= 0 && l < n ? op->args[l].slot : -1;
            k.args[j].u = sl >= 0 && (uint32_t)sl < c->prog->n_slots ? c->slot_ext[sl] : 0;
            break;
        }
        case SF_A_USERDATA: {
            /* The harness's block, alive as the contract says (sf__uds_end). */
            sf__ud *u = &c->uds[c->n_uds++];
            u->p = calloc(1, 64);
            if (!u->p)
                abort();
            u->cb = fd->params[p->link].layout;
            u->live = 1;
            u->op = i;
            u->until_slot = p->min >= 0 && p->min < n ? op->args[p->min].slot : -1;
            u->end_op = -1;
            k.args[j].p = u->p;
            break;
        }
        default: /* SF_A_SCALAR */
            k.args[j] = a->v;
            if (p->kind == SF_K_CALLBACK) {
                /* The trampoline of the chosen implementation. */
                const sf_cb_desc *cd = &s->cbs[p->layout];
                sf_cb_fn fn = cd->tramps && a->v.u < cd->n_impls ? cd->tramps[a->v.u] : NULL;
                k.args[j].u = (uint64_t)(uintptr_t)fn;
            }
            break;
        }
    }

    uint32_t blk_at[SF_MAX_PARAMS];
    for (int j = 0; j < n; j++) {
        if (!blocks[j])
            continue;
        blk_at[j] = c->n_argblks % SF__ARGBLKS;
        sf__argblk *b = &c->argblks[c->n_argblks++ % SF__ARGBLKS];
        b->p = (uintptr_t)blocks[j];
        b->len = op->args[j].tag == SF_A_BYTES || op->args[j].tag == SF_A_OUTBUF
                     ? op->args[j].len + (fd->params[j].kind == SF_K_CSTR)
                     : 8;
        if (op->args[j].tag == SF_A_OUTSTRUCT)
            b->len = op->args[j].len;
        b->op = i;
        b->func = (int16_t)op->func;
        b->param = (uint8_t)j;
        b->freed = 0;
    }
    c->cur_op = i;
    c->cur_func = op->func;
    if (in_prog)
        c->op_status[i] = SF_OPST_RUNNING;
    sf__expect_ranges(fd, &k);
    if (c->model_on) {
        pthread_mutex_lock(&c->mu);
        sf__precheck(c, &k);
        memcpy(c->cur_rid, k.rid, sizeof c->cur_rid);
        pthread_mutex_unlock(&c->mu);
    }

    sf_side_tls *tls = sf_side_tls_get();
    uint64_t a0[3] = {tls->allocs[0], tls->allocs[1], tls->allocs[2]};
    sf_val ret = {0};
    uint64_t t_in = sf__now();
    sf__call_stub(c, op->func, k.args, &ret);
    uint64_t t_out = sf__now();
    memset(c->cur_rid, 0xff, sizeof c->cur_rid);

    /* Borrowed input blocks die right after the call. */
    for (int j = 0; j < n; j++) {
        uint8_t tag = op->args[j].tag;
        if (tag == SF_A_OUTSLOT || tag == SF_A_OUTEXTENT)
            cells[j] = *(uint64_t *)blocks[j];
        if (tag == SF_A_BYTES || tag == SF_A_OUTBUF || tag == SF_A_OUTSLOT ||
            tag == SF_A_OUTSTRUCT || tag == SF_A_OUTEXTENT) {
            if (blocks[j])
                c->argblks[blk_at[j]].freed = 1;
            free(blocks[j]);
            blocks[j] = NULL;
        }
    }

    pthread_mutex_lock(&c->mu);
    sf__ring_add(c, i, op->func, 0, t_in, t_out);
    if (c->model_on) {
        sf__postcheck(c, &k, ret, cells, out_slot);
    } else {
        k.failed = sf__is_failure(s, fd, ret);
        for (int j = 0; j <= SF_MAX_PARAMS; j++)
            k.out_id[j] = -1;
        if (!k.failed) {
            if (fd->ret.kind == SF_K_RES && fd->ret.mode == SF_M_OUT &&
                ret.u != sf__invalid(s, fd->ret.res)) {
                k.out_id[SF_MAX_PARAMS] = 0;
                k.out_val[SF_MAX_PARAMS] = ret.u;
            }
        }
        for (int j = 0; j < n; j++)
            if (op->args[j].tag == SF_A_OUTSLOT && (!k.failed || j == fd->err_param) &&
                cells[j] != sf__invalid(s, fd->params[j].res)) {
                k.out_id[j] = 0;
                k.out_val[j] = cells[j];
            }
    }
    if (k.failed && (fd->flags & SF_F_LAST_ERROR))
        sf__last_error(c, &k);
    if (c->prof) {
        uint64_t d[3] = {tls->allocs[0] - a0[0], tls->allocs[1] - a0[1], tls->allocs[2] - a0[2]};
        sf__profile_call(c, &k, ret, t_out - t_in, d);
    }
    pthread_mutex_unlock(&c->mu);

    /* Slots: produced ones become live, consumed/transferred ones dead. */
    for (int j = 0; j <= SF_MAX_PARAMS; j++) {
        int32_t sl = out_slot[j];
        if (sl < 0 || (uint32_t)sl >= c->prog->n_slots || k.out_id[j] < 0)
            continue;
        c->slot_state[sl] = SF__SLOT_LIVE;
        c->slot_val[sl].u = k.out_val[j];
        c->slot_id[sl] = c->model_on ? k.out_id[j] : -1;
    }
    for (int j = 0; j < n && !k.failed; j++) {
        /* Extents the callee reported, for the sized destructor later. */
        int l = fd->params[j].link;
        int32_t sl = l >= 0 && l < n ? out_slot[l] : out_slot[SF_MAX_PARAMS];
        if (op->args[j].tag == SF_A_OUTEXTENT && sl >= 0 && (uint32_t)sl < c->prog->n_slots)
            c->slot_ext[sl] = cells[j];
    }
    if (!k.failed && fd->ret.kind == SF_K_PTR && ret.p && c->model_on)
        sf__view_add(c, i, op, ret, cells);
    if (!k.failed) {
        for (int j = 0; j < n; j++) {
            const sf_param_desc *p = &fd->params[j];
            /* A stale pass that named a slot still live (its destructor
             * failed earlier, so the resource lives on) kills it too. */
            uint8_t tag = op->args[j].tag;
            if ((tag == SF_A_SLOT ||
                 (tag == SF_A_STALE && c->slot_state[op->args[j].slot] == SF__SLOT_LIVE)) &&
                (sf_param_destroys(fd, (uint32_t)j) ||
                 (p->kind == SF_K_RES && p->mode == SF_M_TRANSFER))) {
                c->slot_state[op->args[j].slot] = SF__SLOT_DEAD;
                if (sf_param_destroys(fd, (uint32_t)j))
                    sf__kids_end(c, op->args[j].slot);
            }
        }
    }
    /* User data lent for the call ends with it (and with a failed call,
     * which kept nothing). */
    for (uint32_t u = 0; u < c->n_uds; u++)
        if (c->uds[u].live && c->uds[u].op == i && (c->uds[u].until_slot < 0 || k.failed))
            sf__ud_end(c, &c->uds[u], i);
    if (in_prog)
        c->op_status[i] = k.failed ? SF_OPST_FAILED : SF_OPST_OK;
}

typedef struct sf__thread_arg {
    sf__ctx *c;
    int32_t i;
    const sf_op *op;
} sf__thread_arg;

static void *sf__thread_main(void *arg)
{
    sf__thread_arg *t = arg;
    sf__exec_call(t->c, t->i, t->op);
    sf_side_tls_get()->exiting = 1; /* thread-exit clean-up follows */
    return NULL;
}

static void sf__exec_builtin(sf__ctx *c, uint32_t i, const sf_op *op)
{
    const sf_spec *s = c->spec;
    c->op_status[i] = SF_OPST_OK;
    switch (op->builtin) {
    case SF_B_GO_GC:
        /* A full collection costs ~100x a boundary call; past the per-input
         * budget further gc ops are skipped (shown as such in the trace). */
        if (c->gc_done >= c->max_gc) {
            c->op_status[i] = SF_OPST_SKIPPED;
            break;
        }
        c->gc_done++;
        if (s->gc_func >= 0 && s->gc_func < s->n_funcs && s->funcs[s->gc_func].call) {
            sf_val a[SF_MAX_PARAMS] = {{0}}, r = {0};
            c->cur_op = (int32_t)i;
            c->cur_func = s->gc_func;
            uint64_t t_in = sf__now();
            sf__call_stub(c, s->gc_func, a, &r);
            pthread_mutex_lock(&c->mu);
            sf__ring_add(c, (int32_t)i, s->gc_func, 0, t_in, sf__now());
            pthread_mutex_unlock(&c->mu);
        }
        break;
    case SF_B_YIELD:
        sched_yield();
        break;
    case SF_B_THREAD:
        c->next_on_thread = 1;
        break;
    default: /* SF_B_STALE: the decoder already applied it */
        break;
    }
}

/* Destroys every live slot with its type's destructor: holders first, then
 * the rest, newest first. */
static void sf__teardown(sf__ctx *c)
{
    const sf_prog *p = c->prog;
    const sf_spec *s = c->spec;
    int32_t tix = (int32_t)p->n_ops;
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t sl = (int32_t)p->n_slots - 1; sl >= 0; sl--) {
            if (c->slot_state[sl] != SF__SLOT_LIVE || c->slot_holds[sl] != (pass == 0))
                continue;
            int res = p->slot_res[sl];
            if (res < 0 || res >= s->n_res)
                continue;
            int d = s->res[res].dtor;
            if (d < 0 || d >= s->n_funcs || !s->funcs[d].call)
                continue;
            const sf_func_desc *fd = &s->funcs[d];
            sf_op op;
            memset(&op, 0, sizeof op);
            op.func = (int16_t)d;
            op.ret_slot = -1;
            op.n_args = fd->n_params;
            int placed = 0;
            for (int j = 0; j < fd->n_params && j < SF_MAX_PARAMS; j++) {
                op.args[j].slot = -1;
                if (!placed && fd->params[j].kind == SF_K_RES) {
                    op.args[j].tag = SF_A_SLOT;
                    op.args[j].slot = sl;
                    placed = 1;
                } else if (fd->params[j].kind == SF_K_EXTENT) {
                    op.args[j].tag = SF_A_EXTENT;
                } else {
                    op.args[j].tag = SF_A_SCALAR;
                }
            }
            sf__exec_call(c, tix++, &op);
            c->slot_state[sl] = SF__SLOT_DEAD;
        }
    }
    c->cur_op = tix;
}

/* After teardown every probe must read 0 and no nested resource may live. */
static void sf__leak_checks(sf__ctx *c)
{
    const sf_spec *s = c->spec;
    /* The model first: it names the resource, a probe only counts. */
    if (c->model_on) {
        uint32_t n = sf_model_count(c->model);
        for (uint32_t id = 0; id < n; id++) {
            const sf_mres *r = sf_model_get(c->model, (int32_t)id);
            /* A zero-size value holds no memory, and frees of it cannot be
             * attributed (sf__zero_size): it cannot leak. */
            if (r->nested && r->state != SF_RS_FREED && !sf__zero_size(s, r->type, r->value))
                sf__violation(c, SF_V_LEAK_MODEL, r->creator_func, 0, (int32_t)id, -1,
                              "%s created at op %d inside a nested call, never destroyed",
                              s->res[r->type].name, (int)r->creator_op);
        }
    }
    for (int t = 0; t < s->n_res; t++) {
        int pf = s->res[t].probe;
        if (pf < 0 || pf >= s->n_funcs || !s->funcs[pf].call)
            continue;
        int dup = 0;
        for (int u = 0; u < t; u++)
            dup |= s->res[u].probe == pf;
        if (dup)
            continue;
        sf_val a[SF_MAX_PARAMS] = {{0}}, r = {0};
        sf__call_stub(c, pf, a, &r);
        if (r.u != 0)
            sf__violation(c, SF_V_LEAK_PROBE, pf, 0, -1, -1,
                          "%s() = %llu after teardown (type %s); the model has %u live",
                          s->funcs[pf].name, (unsigned long long)r.u, s->res[t].name,
                          c->model_on ? sf_model_live(c->model) : 0);
    }
}

/* ---- one input ------------------------------------------------------------------ */

int sf_run_one(const sf_spec *spec, const uint8_t *data, size_t size)
{
    if (!sf__g && sf_run_init(spec, NULL, NULL) != 0)
        return 0;
    sf__ctx *c = sf__g;
    if (!c->signals_done)
        sf__signals_first_run(c);

    /* Track allocations from the decode on: the program is freed before the
     * leak check, so a clean input leaves none of its blocks behind.  The set
     * is empty unless the last input left blocks (then clearing it is cheap
     * next to the heap scan that input cost). */
    atomic_store(&c->mallocs, 0);
    atomic_store(&c->frees, 0);
    sf_side_tracker_clear(c->born);
    c->born_dropped0 = sf_side_tracker_dropped(c->born);
    c->counting = 1;
    sf_prog *p = NULL;
    if (sf_prog_decode(spec, &c->lim, data, size, &p) != 0 || !p) {
        c->counting = 0;
        return 0;
    }
    if (sf__grow_input(c, p) != 0) {
        sf_prog_free(p);
        c->counting = 0;
        return 0;
    }
    c->prog = p;
    if (c->model_on)
        sf_model_reset(c->model);
    c->ring_n = 0;
    memset(c->cur_rid, 0xff, sizeof c->cur_rid);
    c->n_argblks = 0;
    atomic_store(&c->n_freed, 0);
    c->n_views = 0;
    c->n_uds = 0;
    c->uds_full = 0;
    c->next_on_thread = 0;
    c->gc_done = 0;
    c->t0 = sf__now();
    c->input_no++;
    c->in_run = 1;

    for (uint32_t i = 0; i < p->n_ops; i++) {
        const sf_op *op = &p->ops[i];
        if (op->func < 0) {
            sf__exec_builtin(c, i, op);
        } else if (op->func >= spec->n_funcs || !spec->funcs[op->func].call) {
            c->op_status[i] = SF_OPST_SKIPPED;
        } else if (c->next_on_thread) {
            c->next_on_thread = 0;
            pthread_t th;
            sf__thread_arg ta = {c, (int32_t)i, op};
            if (pthread_create(&th, NULL, sf__thread_main, &ta) == 0)
                pthread_join(th, NULL);
            else
                sf__exec_call(c, (int32_t)i, op);
        } else {
            sf__exec_call(c, (int32_t)i, op);
        }
        if (c->n_views)
            sf__views_check(c, (int32_t)i, op);
        if (c->n_uds)
            sf__uds_check(c, (int32_t)i, 0);
    }
    sf__teardown(c);
    sf__uds_check(c, c->cur_op, 1);
    sf__leak_checks(c);

    uint32_t n_ops = p->n_ops;
    c->prog = NULL;
    sf_prog_free(p);
    /* No thread may be half set up while LeakSanitizer looks (sf_thread.h);
     * waiting before counting stops also counts the set-up's own frees. */
    int lsan = c->lsan_on && sf__lsan_linked();
    if (lsan)
        sf_thread_hold();
    c->counting = 0;
    /* Blocks of the input still live, or more than the set could hold. */
    uint32_t left = sf_side_tracker_count(c->born);
    int overflow = sf_side_tracker_dropped(c->born) != c->born_dropped0;
    int need = lsan && (left || overflow);
    /* Blocks a library keeps on purpose (global state) are proven reachable
     * from the roots without LeakSanitizer's heap scan; where the proof
     * fails LeakSanitizer decides (sf_reach.h). */
    sf_side_block cand[8];
    uint32_t n_cand = 0;
    int proved = 0;
    if (need && !overflow && c->reach)
        proved = sf_reach_prove(c->reach, c->born, cand, 8, &n_cand);
    need = need && !proved;
    c->lsan_scans += (uint64_t)need;
    int leaked = need && sf__lsan_check(c);
    /* Open before reporting: the abort path may need a thread (Go's). */
    if (lsan)
        sf_thread_release();
    if (leaked) {
        /* The program is gone; decode it again for the report. */
        sf_prog *q = NULL;
        if (sf_prog_decode(spec, &c->lim, data, size, &q) == 0)
            c->prog = q;
        c->cur_op = -1;
        int tried = c->reach && !overflow;
        if (!tried) { /* no proof ran: any block of the input */
            n_cand = sf_side_tracker_list(c->born, cand, 8);
            for (uint32_t i = 0; i < n_cand; i++)
                cand[i].ptr = 0;
        }
        sf__leak_report(c, cand, n_cand, tried, left, overflow);
    }
    c->in_run = 0;
    c->cur_op = -1;
    c->cur_func = -1;
    if (c->prof)
        sf_profile_input(c->prof, n_ops, sf__now() - c->t0);
    sf_covmap_input(c->covmap, sf__now());
    return 0;
}
