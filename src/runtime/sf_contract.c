/* sf_contract.c - the model checks of one boundary call, harness or nested:
 * resource arguments before it (sf__precheck), error contract, produced
 * resources and state transitions after it (sf__postcheck), and the
 * findings they report.  Ids and meanings: docs/violations.md.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_covmap.h"
#include "sf_run_int.h"

/* ---- findings ----------------------------------------------------------- */

void sf__finding_init(sf__ctx *c, sf_finding *f, int id, int func)
{
    static sf_diag_timing ordered[SF__RING]; /* used once, just before abort */
    memset(f, 0, sizeof *f);
    f->id = id;
    f->spec = c->spec;
    f->prog = c->in_run ? c->prog : NULL;
    f->op_status = c->in_run ? c->op_status : NULL;
    f->op = c->in_run ? c->cur_op : -1;
    f->func = func;
    f->model = c->model_on ? c->model : NULL;
    uint32_t n = c->ring_n < SF__RING ? c->ring_n : SF__RING;
    for (uint32_t k = 0; k < n; k++)
        ordered[k] = c->ring[(c->ring_n - n + k) % SF__RING];
    f->timings = ordered;
    f->n_timings = n;
    /* The process ends with this finding: keep what it covered. */
    sf_covmap_flush(c->covmap);
}

static void sf__add_res(sf_finding *f, int32_t id)
{
    if (id >= 0 && f->n_res < SF_DIAG_MAX_RES)
        f->res[f->n_res++] = id;
}

_Noreturn void sf__violation(sf__ctx *c, int id, int func, int depth, int32_t r1, int32_t r2,
                             const char *fmt, ...)
{
    static char detail[512], chain[256];
    sf_finding f;
    atomic_store(&c->reported, 1);
    sf__finding_init(c, &f, id, func);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    f.detail = detail;
    if (depth > 0 && c->cur_func >= 0) {
        snprintf(chain, sizeof chain, "%s -> %s", c->spec->funcs[c->cur_func].name,
                 c->spec->funcs[func].name);
        f.callchain = chain;
    }
    sf__add_res(&f, r1);
    sf__add_res(&f, r2);
    sf_diag_abort(&f);
}

/* ---- descriptor helpers -------------------------------------------------- */

int sf__zero_size(const sf_spec *s, int res, uint64_t v)
{
    return v != 0 && v < 4096 && res >= 0 && res < s->n_res && s->res[res].repr == SF_R_PTR &&
           v != s->res[res].invalid;
}

uint64_t sf__invalid(const sf_spec *s, int res)
{
    return res >= 0 && res < s->n_res ? s->res[res].invalid : 0;
}

static int sf__in_codes(const sf_func_desc *fd, int64_t code)
{
    if (!fd->err_codes || fd->n_err_codes == 0)
        return 1; /* nothing declared: any code is accepted */
    for (uint16_t k = 0; k < fd->n_err_codes; k++)
        if (fd->err_codes[k] == code)
            return 1;
    return 0;
}

/* The first function flagged `flag` whose first parameter is of type res. */
static int sf__accessor(const sf_spec *s, int res, unsigned flag)
{
    for (int i = 0; i < s->n_funcs; i++) {
        const sf_func_desc *fd = &s->funcs[i];
        if ((fd->flags & flag) && fd->n_params >= 1 && fd->params[0].res == res)
            return i;
    }
    return -1;
}

void sf__ring_add(sf__ctx *c, int32_t op, int func, int depth, uint64_t enter, uint64_t exit)
{
    sf_diag_timing *t = &c->ring[c->ring_n++ % SF__RING];
    t->op = op;
    t->func = (int16_t)func;
    t->depth = (uint8_t)(depth > 255 ? 255 : depth);
    t->enter_ns = enter - c->t0;
    t->exit_ns = exit - c->t0;
}

/* Calls func's stub with the callee's side pushed; marks it as the
 * executor's own call so that its linker-wrap shim does not count it again.
 * It is a call in between for a nested failure's pending last error. */
void sf__call_stub(sf__ctx *c, int func, const sf_val *args, sf_val *ret)
{
    const sf_func_desc *fd = &c->spec->funcs[func];
    sf_side_tls_get()->err_pending = 0;
    c->direct_thread = pthread_self();
    c->direct_func = func;
    sf_side_push((sf_side)fd->side);
    fd->call(args, ret);
    sf_side_pop();
    c->direct_func = -1;
}

/* ---- the model checks shared by harness and nested calls ------------------ */

/* Precheck of resource arguments.  k->rid[j] is preset to the slot's model
 * id for harness slot arguments, else -1 (then the value is looked up).
 * Caller holds c->mu. */
void sf__precheck(sf__ctx *c, sf__call *k)
{
    const sf_func_desc *fd = &c->spec->funcs[k->func];
    for (int j = 0; j < fd->n_params; j++) {
        const sf_param_desc *p = &fd->params[j];
        int32_t id = k->rid[j];
        k->rid[j] = -1;
        k->seen[j] = SF_PST_NONE;
        if (p->kind != SF_K_RES || p->res < 0)
            continue;
        uint64_t v = k->args[j].u;
        k->seen[j] = SF_PST_UNTRACKED;
        if (id < 0 && v == sf__invalid(c->spec, p->res)) {
            k->seen[j] = SF_PST_INVALID;
            continue;
        }
        /* A zero-size value (sf__zero_size) names no one resource: a nested
         * call passing it cannot be attributed, so it is not checked. */
        if (id < 0 && sf__zero_size(c->spec, p->res, v))
            continue;
        if (id < 0)
            id = sf_model_find(c->model, p->res, v);
        if (id < 0)
            continue;
        const sf_mres *r = sf_model_get(c->model, id);
        static const uint8_t seen_of[] = {[SF_RS_LIVE] = SF_PST_LIVE,
                                          [SF_RS_BORROWED] = SF_PST_BORROWED,
                                          [SF_RS_TRANSFERRED] = SF_PST_TRANSFERRED,
                                          [SF_RS_FREED] = SF_PST_FREED};
        k->seen[j] = r->state < sizeof seen_of ? seen_of[r->state] : SF_PST_UNTRACKED;
        int consumes = sf_param_destroys(fd, (uint32_t)j);
        /* A dead handle where the contract says stale values are rejected
         * (a Go wrapper forwarding its caller's handle) is a stale pass the
         * callee must refuse, not a use after free. */
        if (!k->expect[j] && (p->flags & SF_P_REJECT_STALE) && r->state == SF_RS_FREED)
            k->expect[j] = SF__EXPECT_REJECT_STALE;
        if (k->expect[j]) {
            /* A deliberate stale value that now names a live resource is a
             * legal call on that resource, not a stale one. */
            if (r->state != SF_RS_FREED && r->state != SF_RS_TRANSFERRED)
                k->expect[j] = SF__EXPECT_ANY;
            else {
                sf_model_touch(c->model, id, k->op, k->func, k->depth, SF_EV_STALE);
                continue;
            }
        }
        if (r->state == SF_RS_FREED) {
            char who[24]; /* as the report's RESOURCE lines name it */
            sf_diag_res_name(who, sizeof who, r->slot, id);
            sf__violation(c, SF_V_USE_FREED, k->func, k->depth, id, -1,
                          "%s argument %s is %s, freed earlier", fd->name, p->name, who);
        }
        if (r->state == SF_RS_TRANSFERRED && r->held_by != k->caller)
            sf__violation(c, SF_V_USE_TRANSFERRED, k->func, k->depth, id, -1,
                          "%s passed by %s, but ownership was transferred to %s", p->name,
                          sf_side_name(k->caller), sf_side_name(r->held_by));
        if (r->state == SF_RS_BORROWED && consumes && k->depth > 0)
            sf__violation(c, SF_V_BORROW_FREED, k->func, k->depth, id, -1,
                          "%s destroys %s, which the harness only lent for this call", fd->name,
                          p->name);
        k->rid[j] = id;
        if (p->mode == SF_M_BORROW && r->state == SF_RS_LIVE && k->depth == 0)
            sf_model_set_state(c->model, id, SF_RS_BORROWED, -1);
    }
    /* A sized destructor (or any extent(p) parameter) gets the length the
     * producer of p reported; from the harness it always does, so this
     * catches the archives' own calls (Go freeing a Rust blob). */
    for (int j = 0; j < fd->n_params; j++) {
        const sf_param_desc *p = &fd->params[j];
        uint64_t want;
        if (p->kind != SF_K_EXTENT || p->link < 0 || p->link >= fd->n_params)
            continue;
        int32_t id = k->rid[p->link];
        if (id < 0 || !sf_model_extent(c->model, id, &want) || k->args[j].u == want)
            continue;
        sf__violation(c, SF_V_EXTENT_MISMATCH, k->func, k->depth, id, -1,
                      "%s(%s = %llu) for %s, whose producer reported extent %llu", fd->name,
                      p->name, (unsigned long long)k->args[j].u, fd->params[p->link].name,
                      (unsigned long long)want);
    }
}

void sf__profile_call(sf__ctx *c, const sf__call *k, sf_val ret, uint64_t ns,
                      const uint64_t allocs[3])
{
    const sf_func_desc *fd = &c->spec->funcs[k->func];
    sf_profile_call_info ci = {.func = k->func,
                               .nested = k->depth > 0,
                               .failed = k->failed,
                               .ret = ret.i,
                               .ns = ns,
                               .allocs = {allocs[0], allocs[1], allocs[2]}};
    for (int j = 0; j < fd->n_params && j < SF_MAX_PARAMS; j++) {
        ci.state[j] = k->seen[j];
        ci.rejected |= k->failed && k->expect[j] != SF__EXPECT_ANY;
    }
    sf_profile_call(c->prof, &ci);
}

void sf__expect_ranges(const sf_func_desc *fd, sf__call *k)
{
    for (int j = 0; j < fd->n_params; j++) {
        const sf_param_desc *p = &fd->params[j];
        if (!(p->flags & SF_P_REJECT_RANGE))
            continue;
        int out = p->kind == SF_K_INT
                      ? (k->args[j].i < p->min || k->args[j].i > p->max)
                      : (k->args[j].u < (uint64_t)p->min || k->args[j].u > (uint64_t)p->max);
        if (out)
            k->expect[j] = SF__EXPECT_REJECT_RANGE;
    }
}

int sf__is_failure(const sf_spec *s, const sf_func_desc *fd, sf_val ret)
{
    switch (fd->err_style) {
    case SF_ERR_NEG:
        return ret.i < 0;
    case SF_ERR_NULL:
    case SF_ERR_OBJ:
        /* A view (borrowed pointer) fails with NULL: it has no sentinel. */
        if (fd->ret.kind == SF_K_PTR)
            return ret.p == NULL;
        return fd->ret.kind == SF_K_RES && ret.u == sf__invalid(s, fd->ret.res);
    default:
        return 0;
    }
}

static void sf__check_align(sf__ctx *c, sf__call *k, int res, uint64_t v, const char *what,
                            int32_t id)
{
    if (res < 0 || res >= c->spec->n_res || c->spec->res[res].repr != SF_R_PTR)
        return;
    uint32_t a = c->spec->res[res].align;
    if (a > 1 && v != 0 && v % a != 0)
        sf__violation(c, SF_V_MISALIGNED, k->func, k->depth, id, -1,
                      "%s 0x%llx is not a multiple of %u (%s)", what, (unsigned long long)v, a,
                      c->spec->res[res].name);
}

/* Records one produced resource; returns its model id. */
static int32_t sf__produce(sf__ctx *c, sf__call *k, int res, uint64_t v, int32_t slot)
{
    sf__check_align(c, k, res, v, "new resource", -1);
    int32_t old = sf_model_find(c->model, res, v);
    const sf_mres *o = sf_model_get(c->model, old);
    /* A call that returns what a call nested inside it made during this op
     * (a Go wrapper handing back the object its cgo call into Rust
     * produced) hands over that object: the same resource, not a second. */
    if (o && o->state == SF_RS_LIVE && o->nested && o->creator_op == k->op && o->depth > k->depth) {
        sf_model_adopt(c->model, old, slot, k->caller, k->op, k->func, k->depth);
        return old;
    }
    if (o && o->state != SF_RS_FREED && !sf__zero_size(c->spec, res, v))
        sf__violation(c, SF_V_DUPLICATE_VALUE, k->func, k->depth, old, -1,
                      "%s returned 0x%llx, already live as %s", c->spec->funcs[k->func].name,
                      (unsigned long long)v, c->spec->res[o->type].name);
    int32_t id = sf_model_add(c->model, res, v, k->caller, slot, k->op, k->func, k->depth);
    if (id < 0) {
        fprintf(stderr, "seamfuzz: out of memory in the shadow model\n");
        abort();
    }
    return id;
}

/* Checks a fresh error object: message accessor and code accessor. */
static void sf__check_error_object(sf__ctx *c, sf__call *k, int res, uint64_t v, int32_t id)
{
    const sf_func_desc *fd = &c->spec->funcs[k->func];
    int fm = sf__accessor(c->spec, res, SF_F_ERR_MSG);
    sf_val a[SF_MAX_PARAMS] = {{0}}, r = {0};
    if (fm >= 0 && c->spec->funcs[fm].call) {
        a[0].u = v;
        sf__call_stub(c, fm, a, &r);
        const char *msg = r.p;
        if (!msg || !msg[0])
            sf__violation(c, SF_V_EMPTY_ERROR_MESSAGE, k->func, k->depth, id, -1,
                          "%s failed; %s(error) returned %s", fd->name, c->spec->funcs[fm].name,
                          msg ? "\"\"" : "NULL");
    }
    int fc = sf__accessor(c->spec, res, SF_F_ERR_CODE);
    if (fc >= 0 && c->spec->funcs[fc].call) {
        a[0].u = v;
        r.u = 0;
        sf__call_stub(c, fc, a, &r);
        if (!sf__in_codes(fd, r.i))
            sf__violation(c, SF_V_UNDECLARED_ERROR, k->func, k->depth, id, -1,
                          "%s failed with error object code %lld, not declared", fd->name,
                          (long long)r.i);
    }
}

int sf__has_child_type(const sf_spec *s, int r)
{
    for (int t = 0; t < s->n_res; t++)
        if (s->res[t].on_close != SF_CLOSE_PLAIN && sf_res_is(s, r, s->res[t].container))
            return 1;
    return 0;
}

void sf__last_error(sf__ctx *c, sf__call *k)
{
    const sf_spec *s = c->spec;
    const sf_func_desc *fd = &s->funcs[k->func];
    int lf = fd->err_last;
    if (!(fd->flags & SF_F_LAST_ERROR) || lf < 0 || lf >= s->n_funcs || !s->funcs[lf].call ||
        s->funcs[lf].ret.kind != SF_K_RES)
        return;
    int res = s->funcs[lf].ret.res;
    sf_val a[SF_MAX_PARAMS] = {{0}}, r = {0};
    sf__call_stub(c, lf, a, &r);
    if (r.u == sf__invalid(s, res))
        sf__violation(c, SF_V_NO_ERROR_OBJECT, k->func, k->depth, -1, -1,
                      "%s failed but %s() returned no error object", fd->name, s->funcs[lf].name);
    int32_t id = c->model_on ? sf__produce(c, k, res, r.u, -1) : -1;
    if (c->model_on)
        sf__check_error_object(c, k, res, r.u, id);
    /* The caller owns it: free it now, with its destructor. */
    int d = s->res[res].dtor;
    if (d >= 0 && d < s->n_funcs && s->funcs[d].call) {
        a[0] = r;
        sf_val ignored = {0};
        sf__call_stub(c, d, a, &ignored);
        if (id >= 0) {
            sf_model_set_state(c->model, id, SF_RS_FREED, -1);
            sf_model_touch(c->model, id, k->op, d, 0, SF_EV_FREE);
        }
    }
}

void sf__nested_last_error(sf__ctx *c, const sf__call *k, sf_val ret)
{
    const sf_spec *s = c->spec;
    const sf_func_desc *fd = &s->funcs[k->func];
    sf_side_tls *t = sf_side_tls_get();
    int pend = t->err_input == c->input_no ? t->err_pending - 1 : -1;
    t->err_pending = 0;
    if (pend >= 0 && pend < s->n_funcs && s->funcs[pend].err_last == k->func &&
        fd->ret.kind == SF_K_RES && ret.u == sf__invalid(s, fd->ret.res))
        sf__violation(c, SF_V_NO_ERROR_OBJECT, pend, k->depth, -1, -1,
                      "%s failed (called by the %s side) and the caller's next call, %s(), "
                      "returned no error object",
                      s->funcs[pend].name, sf_side_name(k->caller), fd->name);
    if (k->failed && (fd->flags & SF_F_LAST_ERROR) && fd->err_last >= 0) {
        t->err_pending = k->func + 1;
        t->err_input = c->input_no;
    }
}

/* What the model learns about the resources a successful call produced:
 * the extent its OUTEXTENT cells report, and the container of a child. */
static void sf__produced_facts(sf__ctx *c, sf__call *k, const uint64_t *cells)
{
    const sf_spec *s = c->spec;
    const sf_func_desc *fd = &s->funcs[k->func];
    for (int j = 0; j < fd->n_params; j++) {
        const sf_param_desc *p = &fd->params[j];
        if (p->kind != SF_K_OUTEXTENT)
            continue;
        int32_t id =
            p->link >= 0 && p->link < fd->n_params ? k->out_id[p->link] : k->out_id[SF_MAX_PARAMS];
        if (id >= 0)
            sf_model_set_extent(c->model, id, cells[j]);
    }
    for (int o = 0; o <= SF_MAX_PARAMS; o++) {
        int32_t id = k->out_id[o];
        const sf_mres *r = sf_model_get(c->model, id);
        if (!r || s->res[r->type].on_close == SF_CLOSE_PLAIN)
            continue;
        int want = s->res[r->type].container;
        for (int j = 0; j < fd->n_params; j++)
            if (fd->params[j].kind == SF_K_RES && k->rid[j] >= 0 &&
                sf_res_is(s, fd->params[j].res, want)) {
                sf_model_set_container(c->model, id, k->rid[j]);
                break;
            }
    }
}

/* A successful close of container id: with live children of a `busy`
 * type the contract said it must fail; `invalidated` children end. */
static void sf__close_children(sf__ctx *c, sf__call *k, int32_t id)
{
    const sf_mres *r = sf_model_get(c->model, id);
    if (!r || !sf__has_child_type(c->spec, r->type))
        return;
    uint32_t busy = sf_model_live_children(c->model, id, SF_CLOSE_BUSY);
    if (busy)
        sf__violation(c, SF_V_CLOSED_WITH_CHILDREN, k->func, k->depth, id, -1,
                      "%s succeeded while %u child%s of it lived; the contract says it fails "
                      "busy",
                      c->spec->funcs[k->func].name, busy, busy == 1 ? "" : "ren");
    sf_model_end_children(c->model, id, k->op, k->func, k->depth);
}

/* Postcheck: error contract, produced resources, state transitions.
 * cells[j] holds the value written through OUTRES param j.  out_slot[j] /
 * out_slot[SF_MAX_PARAMS] name the program slots of produced resources (-1
 * for nested calls).  Caller holds c->mu. */
void sf__postcheck(sf__ctx *c, sf__call *k, sf_val ret, const uint64_t *cells,
                   const int32_t *out_slot)
{
    const sf_spec *s = c->spec;
    const sf_func_desc *fd = &s->funcs[k->func];
    int failed = sf__is_failure(s, fd, ret);
    k->failed = failed;
    for (int j = 0; j <= SF_MAX_PARAMS; j++)
        k->out_id[j] = -1;

    if (failed) {
        if (fd->err_style == SF_ERR_NEG && !sf__in_codes(fd, ret.i))
            sf__violation(c, SF_V_UNDECLARED_ERROR, k->func, k->depth, -1, -1,
                          "%s returned %lld, not a declared error code", fd->name,
                          (long long)ret.i);
        if (fd->err_style == SF_ERR_OBJ && fd->err_param >= 0 && fd->err_param < fd->n_params) {
            int e = fd->err_param;
            int res = fd->params[e].res;
            uint64_t ev = cells[e];
            if (ev == sf__invalid(s, res))
                sf__violation(c, SF_V_NO_ERROR_OBJECT, k->func, k->depth, -1, -1,
                              "%s failed but left %s invalid", fd->name, fd->params[e].name);
            k->out_id[e] = sf__produce(c, k, res, ev, out_slot[e]);
            k->out_val[e] = ev;
            sf__check_error_object(c, k, res, ev, k->out_id[e]);
        }
        for (int j = 0; j < fd->n_params; j++) {
            if (k->rid[j] < 0)
                continue;
            const sf_mres *r = sf_model_get(c->model, k->rid[j]);
            if (r->state == SF_RS_BORROWED)
                sf_model_set_state(c->model, k->rid[j], SF_RS_LIVE, -1);
            sf_model_touch(c->model, k->rid[j], k->op, k->func, k->depth, SF_EV_FAILED);
        }
        return;
    }

    if (fd->err_style != SF_ERR_NONE) {
        for (int j = 0; j < fd->n_params; j++) {
            if (k->expect[j] == SF__EXPECT_REJECT_STALE) {
                /* Name the stale resource, so its history (created, freed,
                 * then passed again) is in the report. */
                int32_t sid = c->model_on && fd->params[j].res >= 0
                                  ? sf_model_find(c->model, fd->params[j].res, k->args[j].u)
                                  : -1;
                sf__violation(c, SF_V_STALE_ACCEPTED, k->func, k->depth, sid, -1,
                              "%s(%s = stale 0x%llx) succeeded", fd->name, fd->params[j].name,
                              (unsigned long long)k->args[j].u);
            }
            if (k->expect[j] == SF__EXPECT_REJECT_NULL)
                sf__violation(c, SF_V_NULL_ACCEPTED, k->func, k->depth, -1, -1,
                              "%s(%s = null) succeeded", fd->name, fd->params[j].name);
            if (k->expect[j] == SF__EXPECT_REJECT_RANGE)
                sf__violation(c, SF_V_RANGE_ACCEPTED, k->func, k->depth, -1, -1,
                              "%s(%s = %lld) succeeded; its range is [%lld, %lld]", fd->name,
                              fd->params[j].name, (long long)k->args[j].i,
                              (long long)fd->params[j].min, (long long)fd->params[j].max);
        }
    }

    /* Produced resources. */
    int32_t ret_id = -1;
    if (fd->ret.kind == SF_K_RES && fd->ret.mode == SF_M_OUT && fd->ret.res >= 0) {
        if (ret.u != sf__invalid(s, fd->ret.res)) {
            ret_id = sf__produce(c, k, fd->ret.res, ret.u, out_slot[SF_MAX_PARAMS]);
            k->out_id[SF_MAX_PARAMS] = ret_id;
            k->out_val[SF_MAX_PARAMS] = ret.u;
        }
    } else if (fd->ret.kind == SF_K_PTR) {
        sf__check_align(c, k, fd->ret.res, ret.u, "returned pointer", -1);
        int l = fd->ret.layout;
        uint32_t a = l >= 0 && l < s->n_layouts ? s->layouts[l].align : 0;
        if (a > 1 && ret.u % a != 0)
            sf__violation(c, SF_V_MISALIGNED, k->func, k->depth, -1, -1,
                          "returned %s * 0x%llx is not a multiple of its alignment %u",
                          s->layouts[l].name, (unsigned long long)ret.u, a);
    }
    for (int j = 0; j < fd->n_params; j++) {
        const sf_param_desc *p = &fd->params[j];
        if (p->kind != SF_K_OUTRES || p->res < 0)
            continue;
        if (cells[j] == sf__invalid(s, p->res)) {
            if (j != fd->err_param && !(p->flags & SF_P_NULLABLE))
                sf__violation(c, SF_V_INVALID_SUCCESS, k->func, k->depth, -1, -1,
                              "%s reported success but left %s invalid", fd->name, p->name);
            continue;
        }
        k->out_id[j] = sf__produce(c, k, p->res, cells[j], out_slot[j]);
        k->out_val[j] = cells[j];
    }

    sf__produced_facts(c, k, cells);

    /* State transitions of the resource arguments. */
    for (int j = 0; j < fd->n_params; j++) {
        int32_t id = k->rid[j];
        if (id < 0)
            continue;
        const sf_param_desc *p = &fd->params[j];
        const sf_mres *r = sf_model_get(c->model, id);
        if (sf_param_destroys(fd, (uint32_t)j)) {
            sf__close_children(c, k, id);
            sf_model_set_state(c->model, id, SF_RS_FREED, -1);
            sf_model_touch(c->model, id, k->op, k->func, k->depth,
                           k->op >= (int32_t)(c->prog ? c->prog->n_ops : 0) && k->depth == 0
                               ? SF_EV_TEARDOWN
                               : SF_EV_CONSUME);
            sf_model_free_held(c->model, id, k->op, k->func, k->depth, SF_EV_FREE);
        } else if (p->mode == SF_M_TRANSFER) {
            sf_model_set_state(c->model, id, SF_RS_TRANSFERRED, p->to_side);
            sf_model_touch(c->model, id, k->op, k->func, k->depth, SF_EV_TRANSFER);
            if (ret_id >= 0)
                sf_model_hold(c->model, id, ret_id);
        } else {
            if (r->state == SF_RS_FREED && k->depth == 0)
                sf__violation(c, SF_V_BORROW_FREED, k->func, k->depth, id, -1,
                              "%s was lent to %s and is freed afterwards", p->name, fd->name);
            if (r->state == SF_RS_BORROWED)
                sf_model_set_state(c->model, id, SF_RS_LIVE, -1);
            sf_model_touch(c->model, id, k->op, k->func, k->depth, SF_EV_BORROW);
        }
    }
}
