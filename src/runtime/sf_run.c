/* sf_run.c - the executor: runs one decoded program against the boundary with
 * the shadow model checking every call, then tears down and checks for leaks.
 *
 * Execution semantics are docs/program.md's; the checks and their ids are
 * docs/violations.md's; signals, sanitizer hooks and the Go environment are
 * explained in docs/runtime.md.
 */
#define _GNU_SOURCE /* pthread_mutexattr_settype, sigaction flags, execv */
#include "sf_run.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sf_alloc.h"
#include "sf_diag.h"
#include "sf_err.h"
#include "sf_model.h"
#include "sf_mutate.h"
#include "sf_prog.h"
#include "sf_profile.h"
#include "sf_side.h"
#include "sf_thread.h"

/* Sanitizer interfaces, weak so that the runtime also links without them. */
extern int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
                                                     void (*f)(const volatile void *))
    __attribute__((weak));
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));
extern void __asan_set_error_report_callback(void (*cb)(const char *)) __attribute__((weak));
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
extern void __ubsan_get_current_report_data(const char **kind, const char **msg, const char **file,
                                            unsigned *line, unsigned *col, char **addr)
    __attribute__((weak));
/* libFuzzer's byte mutator, weak so that the other engines link without it. */
extern size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));

#define SF__RING       16 /* recent calls kept for the TIMING lines */
#define SF__FRAMES     64 /* nested shim calls in flight at once */
#define SF__TOK_PUSHED 0x80000000u

enum { SF__SLOT_EMPTY = 0, SF__SLOT_LIVE, SF__SLOT_DEAD };

/* One call in flight: the executor's own, or a nested one seen by a shim. */
typedef struct sf__call {
    int func;
    int depth;      /* 0 harness, >= 1 nested */
    int32_t op;     /* harness op it belongs to */
    sf_side caller; /* side that made the call */
    sf_val args[SF_MAX_PARAMS];
    int32_t rid[SF_MAX_PARAMS];        /* model id of each resource arg, -1 */
    uint8_t expect[SF_MAX_PARAMS];     /* must fail: 3 = stale (SF-103), 4 = null (SF-104) */
    int32_t out_id[SF_MAX_PARAMS + 1]; /* produced model ids; [SF_MAX_PARAMS] = ret */
    uint64_t out_val[SF_MAX_PARAMS + 1];
    uint64_t enter_ns;
    uint64_t allocs0[3];
    int failed;
} sf__call;

typedef struct sf__ctx {
    const sf_spec *spec;
    sf_limits lim;
    int model_on, profile_on, json, lsan_on, wrongside_on, mutator_on;
    sf_model *model;
    sf_side_tracker *tracker;
    /* Blocks allocated during the input (any side) and not freed since: the
     * leak check runs when one is left, not when the counts differ, because
     * a free of an older block would balance a leak. */
    sf_side_tracker *born;
    sf_profile *prof;
    pthread_mutex_t mu; /* recursive: model, ring, frames, profile */

    /* Per input. */
    sf_prog *prog;
    int32_t *slot_id; /* model id per slot, -1 */
    sf_val *slot_val;
    uint8_t *slot_state;
    uint8_t *slot_holds; /* 1 if the slot holds another (teardown order) */
    uint32_t slot_cap;
    uint8_t *op_status;
    uint32_t op_cap;
    volatile int32_t cur_op;
    volatile int cur_func;
    volatile int in_run;
    volatile int counting; /* allocations tracked (born): decode .. leak check */
    int next_on_thread;
    uint32_t max_gc;  /* explicit Go GCs allowed per input (-seam_max_gc) */
    uint32_t gc_done; /* explicit Go GCs run in this input */
    uint64_t t0;
    sf_diag_timing ring[SF__RING];
    uint32_t ring_n;
    atomic_ulong mallocs, frees;
    uint64_t born_dropped0; /* born's dropped count when the input began */

    /* The executor's own call, so that its shim passes through. */
    volatile int direct_func;
    pthread_t direct_thread;

    sf__call frames[SF__FRAMES];
    uint64_t frames_used;

    atomic_int reported;
    int signals_done;
    struct sigaction old_abrt, old_ill;
} sf__ctx;

/* The one global of the runtime: the linker-wrap shims, the sanitizer hooks
 * and the signal handlers are called without an argument of ours, so they
 * reach the context through this pointer.  Set once by sf_run_init. */
static sf__ctx *sf__g;

static uint64_t sf__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- findings ----------------------------------------------------------- */

static void sf__finding_init(sf__ctx *c, sf_finding *f, int id, int func)
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
}

static void sf__add_res(sf_finding *f, int32_t id)
{
    if (id >= 0 && f->n_res < SF_DIAG_MAX_RES)
        f->res[f->n_res++] = id;
}

/* Reports violation id about func (and up to two resources) and aborts. */
_Noreturn static void sf__violation(sf__ctx *c, int id, int func, int depth, int32_t r1, int32_t r2,
                                    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

_Noreturn static void sf__violation(sf__ctx *c, int id, int func, int depth, int32_t r1, int32_t r2,
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

static uint64_t sf__invalid(const sf_spec *s, int res)
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

/* Returns 1 when resource parameter j is destroyed by a successful call: it
 * is SF_M_CONSUME, or it is the first SF_K_RES parameter of a destructor.
 * This is the decoder's rule (docs/program.md, "Resource arguments and
 * slots"): a destructor's other resource parameters keep their own mode. */
static int sf__consumes(const sf_func_desc *fd, int j)
{
    const sf_param_desc *p = &fd->params[j];
    if (p->kind != SF_K_RES)
        return 0;
    if (p->mode == SF_M_CONSUME)
        return 1;
    if (!(fd->flags & SF_F_DESTRUCTOR))
        return 0;
    for (int i = 0; i < j; i++)
        if (fd->params[i].kind == SF_K_RES)
            return 0;
    return 1;
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

static void sf__ring_add(sf__ctx *c, int32_t op, int func, int depth, uint64_t enter, uint64_t exit)
{
    sf_diag_timing *t = &c->ring[c->ring_n++ % SF__RING];
    t->op = op;
    t->func = (int16_t)func;
    t->depth = (uint8_t)(depth > 255 ? 255 : depth);
    t->enter_ns = enter - c->t0;
    t->exit_ns = exit - c->t0;
}

/* Calls func's stub with the callee's side pushed; marks it as the
 * executor's own call so that its linker-wrap shim does not count it again. */
static void sf__call_stub(sf__ctx *c, int func, const sf_val *args, sf_val *ret)
{
    const sf_func_desc *fd = &c->spec->funcs[func];
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
static void sf__precheck(sf__ctx *c, sf__call *k)
{
    const sf_func_desc *fd = &c->spec->funcs[k->func];
    for (int j = 0; j < fd->n_params; j++) {
        const sf_param_desc *p = &fd->params[j];
        int32_t id = k->rid[j];
        k->rid[j] = -1;
        if (p->kind != SF_K_RES || p->res < 0)
            continue;
        uint64_t v = k->args[j].u;
        if (id < 0 && v == sf__invalid(c->spec, p->res))
            continue;
        if (id < 0)
            id = sf_model_find(c->model, p->res, v);
        if (id < 0)
            continue;
        const sf_mres *r = sf_model_get(c->model, id);
        int consumes = sf__consumes(fd, j);
        if (k->expect[j]) {
            /* A deliberate stale value that now names a live resource is a
             * legal call on that resource, not a stale one. */
            if (r->state != SF_RS_FREED && r->state != SF_RS_TRANSFERRED)
                k->expect[j] = 0;
            else {
                sf_model_touch(c->model, id, k->op, k->func, k->depth, SF_EV_STALE);
                continue;
            }
        }
        if (r->state == SF_RS_FREED)
            sf__violation(c, SF_V_USE_FREED, k->func, k->depth, id, -1,
                          "%s argument %s is r%d/n%d, freed earlier", fd->name, p->name,
                          (int)r->slot, (int)id);
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
}

static int sf__is_failure(const sf_spec *s, const sf_func_desc *fd, sf_val ret)
{
    switch (fd->err_style) {
    case SF_ERR_NEG:
        return ret.i < 0;
    case SF_ERR_NULL:
    case SF_ERR_OBJ:
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
    if (o && o->state != SF_RS_FREED)
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

/* Postcheck: error contract, produced resources, state transitions.
 * cells[j] holds the value written through OUTRES param j.  out_slot[j] /
 * out_slot[SF_MAX_PARAMS] name the program slots of produced resources (-1
 * for nested calls).  Caller holds c->mu. */
static void sf__postcheck(sf__ctx *c, sf__call *k, sf_val ret, const uint64_t *cells,
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
            if (k->expect[j] == 3) {
                /* Name the stale resource, so its history (created, freed,
                 * then passed again) is in the report. */
                int32_t sid = c->model_on && fd->params[j].res >= 0
                                  ? sf_model_find(c->model, fd->params[j].res, k->args[j].u)
                                  : -1;
                sf__violation(c, SF_V_STALE_ACCEPTED, k->func, k->depth, sid, -1,
                              "%s(%s = stale 0x%llx) succeeded", fd->name, fd->params[j].name,
                              (unsigned long long)k->args[j].u);
            }
            if (k->expect[j] == 4)
                sf__violation(c, SF_V_NULL_ACCEPTED, k->func, k->depth, -1, -1,
                              "%s(%s = null) succeeded", fd->name, fd->params[j].name);
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

    /* State transitions of the resource arguments. */
    for (int j = 0; j < fd->n_params; j++) {
        int32_t id = k->rid[j];
        if (id < 0)
            continue;
        const sf_param_desc *p = &fd->params[j];
        const sf_mres *r = sf_model_get(c->model, id);
        if (sf__consumes(fd, j)) {
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
        if (!id || !v || !st || !h)
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
    }
    for (uint32_t i = 0; i < p->n_slots; i++)
        if (p->slot_holder && p->slot_holder[i] >= 0 && (uint32_t)p->slot_holder[i] < p->n_slots)
            c->slot_holds[p->slot_holder[i]] = 1;
    memset(c->op_status, SF_OPST_NONE, p->n_ops + 1);
    return 0;
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
                k.expect[j] = 3;
            break;
        case SF_A_NULL:
            k.args[j].u = sf__invalid(s, p->res);
            if (p->flags & SF_P_REJECT_NULL)
                k.expect[j] = 4;
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
        case SF_A_OUTSLOT: {
            uint64_t *cell = malloc(sizeof *cell);
            if (!cell)
                abort();
            *cell = sf__invalid(s, p->res);
            blocks[j] = cell;
            k.args[j].p = cell;
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
        default: /* SF_A_SCALAR */
            k.args[j] = a->v;
            break;
        }
    }

    c->cur_op = i;
    c->cur_func = op->func;
    if (in_prog)
        c->op_status[i] = SF_OPST_RUNNING;
    if (c->model_on) {
        pthread_mutex_lock(&c->mu);
        sf__precheck(c, &k);
        pthread_mutex_unlock(&c->mu);
    }

    sf_side_tls *tls = sf_side_tls_get();
    uint64_t a0[3] = {tls->allocs[0], tls->allocs[1], tls->allocs[2]};
    sf_val ret = {0};
    uint64_t t_in = sf__now();
    sf__call_stub(c, op->func, k.args, &ret);
    uint64_t t_out = sf__now();

    /* Borrowed input blocks die right after the call. */
    for (int j = 0; j < n; j++) {
        uint8_t tag = op->args[j].tag;
        if (tag == SF_A_OUTSLOT)
            cells[j] = *(uint64_t *)blocks[j];
        if (tag == SF_A_BYTES || tag == SF_A_OUTBUF || tag == SF_A_OUTSLOT ||
            tag == SF_A_OUTSTRUCT) {
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
    if (c->prof) {
        uint64_t d[3] = {tls->allocs[0] - a0[0], tls->allocs[1] - a0[1], tls->allocs[2] - a0[2]};
        sf_profile_call(c->prof, op->func, 0, k.failed, t_out - t_in, d);
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
    if (!k.failed) {
        for (int j = 0; j < n; j++) {
            const sf_param_desc *p = &fd->params[j];
            if (op->args[j].tag == SF_A_SLOT &&
                (sf__consumes(fd, j) || (p->kind == SF_K_RES && p->mode == SF_M_TRANSFER)))
                c->slot_state[op->args[j].slot] = SF__SLOT_DEAD;
        }
    }
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
            if (r->nested && r->state != SF_RS_FREED)
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

/* ---- signals ------------------------------------------------------------------ */

static void sf__chain(int sig, siginfo_t *si, void *uc, const struct sigaction *old)
{
    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
        old->sa_sigaction(sig, si, uc);
        return;
    }
    if (old->sa_handler == SIG_IGN)
        return;
    if (old->sa_handler != SIG_DFL) {
        old->sa_handler(sig);
        return;
    }
    /* Default action: it is blocked while we run, so it lands on return. */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void sf__on_fatal(int sig, siginfo_t *si, void *uc)
{
    sf__ctx *c = sf__g;
    if (!c)
        return;
    if (c->in_run && !atomic_exchange(&c->reported, 1)) {
        sf_side side = sf_side_current();
        int id = side == SF_SIDE_RUST ? SF_V_RUST_PANIC
                 : side == SF_SIDE_GO ? SF_V_GO_PANIC
                                      : SF_V_FATAL_SIGNAL;
        sf_finding f;
        sf__finding_init(c, &f, id, c->cur_func);
        f.kind = sig == SIGABRT ? "SIGABRT" : "SIGILL";
        f.detail = side == SF_SIDE_C ? "the process aborted while C was running"
                                     : "the process aborted while a callee was running";
        sf_diag_print(&f, stderr);
    }
    sf__chain(sig, si, uc, sig == SIGABRT ? &c->old_abrt : &c->old_ill);
}

/* Go needs SA_ONSTACK on every handler that can run on a Go thread
 * (golang/go#49075); libFuzzer installs its own without it after
 * LLVMFuzzerInitialize, so this runs on the first input. */
static void sf__signals_first_run(sf__ctx *c)
{
    static const int sigs[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL, SIGABRT,
                               SIGALRM, SIGUSR1, SIGUSR2, SIGINT, SIGTERM};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
        struct sigaction old;
        if (sigaction(sigs[k], NULL, &old) != 0)
            continue;
        if (sigs[k] == SIGABRT || sigs[k] == SIGILL) {
            if (sigs[k] == SIGABRT)
                c->old_abrt = old;
            else
                c->old_ill = old;
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_sigaction = sf__on_fatal;
            sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
            sigemptyset(&sa.sa_mask);
            sigaction(sigs[k], &sa, NULL);
            continue;
        }
        int is_fn = (old.sa_flags & SA_SIGINFO)
                        ? old.sa_sigaction != NULL
                        : old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN;
        if (is_fn && !(old.sa_flags & SA_ONSTACK)) {
            old.sa_flags |= SA_ONSTACK;
            sigaction(sigs[k], &old, NULL);
        }
    }
    c->signals_done = 1;
}

/* ---- sanitizer hooks ------------------------------------------------------------ */

static void sf__malloc_hook(const volatile void *ptr, size_t size)
{
    sf__ctx *c = sf__g;
    if (!c)
        return;
    sf_side_tls *t = sf_side_tls_get();
    if (t->in_hook)
        return;
    t->in_hook = 1;
    sf_side s = sf_side_current();
    t->allocs[s]++;
    if (c->counting) {
        atomic_fetch_add_explicit(&c->mallocs, 1, memory_order_relaxed);
        sf_side_track_alloc(c->born, (const void *)ptr, size, s, c->cur_op);
    }
    if (s != SF_SIDE_C && c->tracker)
        sf_side_track_alloc(c->tracker, (const void *)ptr, size, s, c->cur_op);
    t->in_hook = 0;
}

static void sf__free_hook(const volatile void *ptr)
{
    sf__ctx *c = sf__g;
    if (!c || !ptr)
        return;
    sf_side_tls *t = sf_side_tls_get();
    if (t->in_hook)
        return;
    t->in_hook = 1;
    if (c->counting) {
        atomic_fetch_add_explicit(&c->frees, 1, memory_order_relaxed);
        sf_side_track_free(c->born, (const void *)ptr, NULL);
    }
    sf_side_block b;
    if (c->tracker && sf_side_track_free(c->tracker, (const void *)ptr, &b)) {
        sf_side now = sf_side_current();
        if (c->wrongside_on && c->in_run && b.side == SF_SIDE_RUST && now != SF_SIDE_RUST)
            sf__violation(c, SF_V_WRONG_SIDE_FREE, c->cur_func, 0, -1, -1,
                          "%u-byte block allocated while rust was running (op %d) freed "
                          "while %s was running",
                          b.size, (int)b.op, sf_side_name(now));
    }
    t->in_hook = 0;
}

static void sf__sanitizer_block(const char *kind, const char *detail)
{
    sf__ctx *c = sf__g;
    if (!c || !c->in_run || atomic_exchange(&c->reported, 1))
        return;
    sf_finding f;
    sf__finding_init(c, &f, SF_V_SANITIZER, c->cur_func);
    f.kind = kind;
    f.detail = detail;
    sf_diag_print(&f, stderr);
}

static void sf__asan_report(const char *text)
{
    static char kind[96];
    const char *k = strstr(text, "ERROR: AddressSanitizer: ");
    size_t n = 0;
    if (k) {
        k += strlen("ERROR: AddressSanitizer: ");
        while (k[n] && k[n] != ' ' && k[n] != '\n' && n + 1 < sizeof kind)
            n++;
        memcpy(kind, k, n);
    } else {
        memcpy(kind, "address", 8);
        n = 7;
    }
    kind[n] = 0;
    sf__sanitizer_block(kind, "see the sanitizer report above");
}

static void sf__on_death(void)
{
    sf__sanitizer_block("sanitizer", "a sanitizer ended the process (report above)");
}

/* UBSan calls this (a weak no-op in its runtime) for every report it makes. */
void __ubsan_on_report(void);
void __ubsan_on_report(void)
{
    static char kind[128];
    const char *ik = NULL, *msg = NULL, *file = NULL;
    unsigned line = 0, col = 0;
    char *addr = NULL;
    if (__ubsan_get_current_report_data)
        __ubsan_get_current_report_data(&ik, &msg, &file, &line, &col, &addr);
    snprintf(kind, sizeof kind, "undefined-behavior:%s", ik ? ik : "?");
    sf__sanitizer_block(kind, msg);
}

/* ---- environment and flags ----------------------------------------------------------- */

/* Sanitizer defaults.  The runtimes call these before reading *SAN_OPTIONS,
 * so whatever the user sets there wins over every key here. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "abort_on_error=1:allow_user_segv_handler=1:detect_leaks=1:print_summary=1";
}
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "abort_on_error=1:halt_on_error=1:print_stacktrace=1";
}

/* The Go runtime reads its environment from the process's initial envp, not
 * from libc's environ, so setenv() cannot change what Go sees once the process
 * runs.  Returns 1 if a variable had to be added (then the caller re-executes
 * the process so that Go starts with it).  Never overrides the user. */
static int sf__go_env_defaults(void)
{
    int changed = 0;
    if (!getenv("GOTRACEBACK")) {
        setenv("GOTRACEBACK", "crash", 1);
        changed = 1;
    }
    if (!getenv("GOGC")) {
        setenv("GOGC", "50", 1);
        changed = 1;
    }
    const char *gd = getenv("GODEBUG");
    if (!gd || !gd[0]) {
        setenv("GODEBUG", "cgocheck=1", 1);
        changed = 1;
    } else if (!strstr(gd, "cgocheck=")) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s,cgocheck=1", gd);
        setenv("GODEBUG", buf, 1);
        changed = 1;
    }
    return changed;
}

static int sf__flag_u32(const char *arg, const char *name, uint32_t *out)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0 || arg[n] != '=')
        return 0;
    char *end;
    unsigned long v = strtoul(arg + n + 1, &end, 10);
    if (*end || end == arg + n + 1 || v > 1000000) {
        fprintf(stderr, "seamfuzz: bad value in %s (expected a number up to 1000000)\n", arg);
        exit(1);
    }
    *out = (uint32_t)v;
    return 1;
}

static void sf__profile_atexit(void)
{
    sf__ctx *c = sf__g;
    if (c && c->prof)
        sf_profile_print(c->prof, stderr, c->json);
}

static void sf__check_layouts(sf__ctx *c)
{
    const sf_spec *s = c->spec;
    for (int l = 0; l < s->n_layouts; l++) {
        const sf_layout_desc *ld = &s->layouts[l];
        for (int side = 0; side < 3; side++) {
            sf_layout_fn fn = ld->probe[side];
            if (!fn)
                continue;
            sf_side_push((sf_side)side);
            size_t size = fn(0), align = fn(1), extra = fn(2 + (size_t)ld->n_fields);
            size_t bad_field = SIZE_MAX, got = 0;
            for (size_t k = 0; k < ld->n_fields && bad_field == SIZE_MAX; k++) {
                got = fn(2 + k);
                if (got != ld->fields[k].offset)
                    bad_field = k;
            }
            sf_side_pop();
            char msg[256];
            const char *pn = ld->probe_name[side] ? ld->probe_name[side] : "probe";
            if (size != ld->size)
                snprintf(msg, sizeof msg, "%s: %s says size %zu, C says %u", ld->name, pn, size,
                         ld->size);
            else if (align != ld->align)
                snprintf(msg, sizeof msg, "%s: %s says align %zu, C says %u", ld->name, pn, align,
                         ld->align);
            else if (bad_field != SIZE_MAX)
                snprintf(msg, sizeof msg, "%s.%s: %s says offset %zu, C says %u", ld->name,
                         ld->fields[bad_field].name, pn, got, ld->fields[bad_field].offset);
            else if (extra != SIZE_MAX)
                snprintf(msg, sizeof msg, "%s: %s reports more than the %u fields C knows",
                         ld->name, pn, ld->n_fields);
            else
                continue;
            sf_finding f;
            sf__finding_init(c, &f, SF_V_LAYOUT, -1);
            f.kind = sf_side_name(side);
            f.detail = msg;
            atomic_store(&c->reported, 1);
            sf_diag_abort(&f);
        }
    }
}

static void sf__ctx_free(sf__ctx *c)
{
    if (!c)
        return;
    sf_model_free(c->model);
    sf_side_tracker_free(c->tracker);
    sf_side_tracker_free(c->born);
    sf_profile_free(c->prof);
    sf_free(c->slot_id);
    sf_free(c->slot_val);
    sf_free(c->slot_state);
    sf_free(c->slot_holds);
    sf_free(c->op_status);
    sf_free(c);
}

int sf_run_init(const sf_spec *spec, int *argc, char ***argv)
{
    if (sf__g)
        return 0;
    sf_limits lim = sf_limits_default();
    uint32_t model = 1, profile = 0, json = 0, lsan = 1, reexec = 1, max_gc = 1, mutator = 1;
    const char *ep = getenv("SEAM_PROFILE");
    if (ep && ep[0] == '1')
        profile = 1;

    /* Keep the original argv for a re-exec before removing our flags. */
    char **orig = NULL;
    if (argc && argv && *argv) {
        orig = sf_calloc(sizeof(char *) * ((size_t)*argc + 1));
        if (orig)
            memcpy(orig, *argv, sizeof(char *) * (size_t)*argc);
        int w = 0;
        for (int r = 0; r < *argc; r++) {
            const char *a = (*argv)[r];
            if (r == 0 || strncmp(a, "-seam_", 6) != 0) {
                (*argv)[w++] = (*argv)[r];
                continue;
            }
            if (!(sf__flag_u32(a, "-seam_max_ops", &lim.max_ops) ||
                  sf__flag_u32(a, "-seam_max_live", &lim.max_live) ||
                  sf__flag_u32(a, "-seam_profile", &profile) ||
                  sf__flag_u32(a, "-seam_model", &model) || sf__flag_u32(a, "-seam_json", &json) ||
                  sf__flag_u32(a, "-seam_lsan", &lsan) ||
                  sf__flag_u32(a, "-seam_reexec", &reexec) ||
                  sf__flag_u32(a, "-seam_max_gc", &max_gc) ||
                  sf__flag_u32(a, "-seam_mutator", &mutator))) {
                fprintf(stderr,
                        "seamfuzz: unknown flag %s (known: -seam_max_ops= -seam_max_live= "
                        "-seam_max_gc= -seam_profile= -seam_model= -seam_json= -seam_lsan= "
                        "-seam_reexec= -seam_mutator=)\n",
                        a);
                exit(1);
            }
        }
        (*argv)[w] = NULL;
        *argc = w;
    }

    int has_go = 0;
    for (int i = 0; i < spec->n_funcs; i++)
        has_go |= spec->funcs[i].side == SF_SIDE_GO;
    if (has_go && sf__go_env_defaults() && reexec && orig && !getenv("__AFL_SHM_ID") &&
        !getenv("SEAM_REEXECED")) {
        setenv("SEAM_REEXECED", "1", 1);
        fflush(NULL);
        execv("/proc/self/exe", orig);
        fprintf(stderr, "seamfuzz: warning: re-exec for the Go environment failed; Go keeps "
                        "its defaults\n");
    }
    sf_free(orig);

    sf__ctx *c = sf_calloc(sizeof *c);
    if (!c)
        return SF_ENOMEM;
    c->spec = spec;
    c->lim = lim;
    c->model_on = model != 0;
    c->profile_on = profile != 0;
    c->json = json != 0;
    c->lsan_on = lsan != 0;
    c->max_gc = max_gc;
    c->mutator_on = mutator != 0;
    c->direct_func = -1;
    c->cur_op = -1;
    c->cur_func = -1;
    for (int i = 0; i < spec->n_funcs; i++)
        c->wrongside_on |= (spec->funcs[i].flags & SF_F_INTERCEPT) != 0;
    c->model = sf_model_new(spec);
    c->tracker = sf_side_tracker_new(1u << 16);
    c->born = sf_side_tracker_new(1u << 14);
    c->prof = c->profile_on ? sf_profile_new(spec) : NULL;
    if (!c->model || !c->tracker || !c->born || (c->profile_on && !c->prof)) {
        sf__ctx_free(c);
        return SF_ENOMEM;
    }
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&c->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    sf__g = c;

    if (__sanitizer_install_malloc_and_free_hooks)
        __sanitizer_install_malloc_and_free_hooks(sf__malloc_hook, sf__free_hook);
    if (__asan_set_error_report_callback)
        __asan_set_error_report_callback(sf__asan_report);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(sf__on_death);
    if (c->profile_on)
        atexit(sf__profile_atexit);
    sf__check_layouts(c);
    return 0;
}

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
    c->next_on_thread = 0;
    c->gc_done = 0;
    c->t0 = sf__now();
    c->in_run = 1;

    for (uint32_t i = 0; i < p->n_ops; i++) {
        const sf_op *op = &p->ops[i];
        if (op->func < 0) {
            sf__exec_builtin(c, i, op);
            continue;
        }
        if (op->func >= spec->n_funcs || !spec->funcs[op->func].call) {
            c->op_status[i] = SF_OPST_SKIPPED;
            continue;
        }
        if (c->next_on_thread) {
            c->next_on_thread = 0;
            pthread_t th;
            sf__thread_arg ta = {c, (int32_t)i, op};
            if (pthread_create(&th, NULL, sf__thread_main, &ta) == 0)
                pthread_join(th, NULL);
            else
                sf__exec_call(c, (int32_t)i, op);
            continue;
        }
        sf__exec_call(c, (int32_t)i, op);
    }
    sf__teardown(c);
    sf__leak_checks(c);

    uint32_t n_ops = p->n_ops;
    c->prog = NULL;
    sf_prog_free(p);
    /* No thread may be half set up while LeakSanitizer looks (sf_thread.h);
     * waiting before counting stops also counts the set-up's own frees. */
    int lsan = c->lsan_on && __lsan_do_recoverable_leak_check;
    if (lsan)
        sf_thread_hold();
    c->counting = 0;
    /* Blocks of the input still live, or more than the set could hold. */
    uint32_t left = sf_side_tracker_count(c->born);
    int overflow = sf_side_tracker_dropped(c->born) != c->born_dropped0;
    int leaked = lsan && (left || overflow) && __lsan_do_recoverable_leak_check();
    /* Open before reporting: the abort path may need a thread (Go's). */
    if (lsan)
        sf_thread_release();
    if (leaked) {
        /* The program is gone; decode it again for the report. */
        sf_prog *q = NULL;
        if (sf_prog_decode(spec, &c->lim, data, size, &q) == 0)
            c->prog = q;
        c->cur_op = -1;
        sf__violation(c, SF_V_LEAK_LSAN, -1, 0, -1, -1,
                      "%lu allocations, %lu frees during the input, %u%s of its blocks "
                      "still live; LeakSanitizer report above",
                      (unsigned long)atomic_load(&c->mallocs),
                      (unsigned long)atomic_load(&c->frees), left, overflow ? "+" : "");
    }
    c->in_run = 0;
    c->cur_op = -1;
    c->cur_func = -1;
    if (c->prof)
        sf_profile_input(c->prof, n_ops, sf__now() - c->t0);
    return 0;
}

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
    sf__ring_add(c, k->op, k->func, k->depth, k->enter_ns, t_out);
    sf__postcheck(c, k, ret, cells, out_slot);
    if (c->prof) {
        sf_side_tls *tls = sf_side_tls_get();
        uint64_t d[3];
        for (int s = 0; s < 3; s++)
            d[s] = tls->allocs[s] - k->allocs0[s];
        sf_profile_call(c->prof, k->func, 1, k->failed, t_out - k->enter_ns, d);
    }
    c->frames_used &= ~(1ull << (slot - 1));
    pthread_mutex_unlock(&c->mu);
}

/* ---- structure-aware mutation (libFuzzer) ----------------------------------------- */

size_t sf_run_mutate(const sf_spec *spec, uint8_t *data, size_t size, size_t max_size,
                     unsigned int seed)
{
    sf__ctx *c = sf__g;
    if (!c || !c->mutator_on)
        return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
    return sf_mutate(spec, &c->lim, data, size, max_size, seed, LLVMFuzzerMutate, NULL);
}

size_t sf_run_cross_over(const sf_spec *spec, const uint8_t *data1, size_t size1,
                         const uint8_t *data2, size_t size2, uint8_t *out, size_t max_out,
                         unsigned int seed)
{
    sf__ctx *c = sf__g;
    if (!c || !c->mutator_on)
        return 0;
    return sf_mutate_cross(spec, &c->lim, data1, size1, data2, size2, out, max_out, seed);
}
