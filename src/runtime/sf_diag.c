/* sf_diag.c - prints a finding as one stable, greppable block plus a JSON
 * line, then aborts.  Output goes through stdio on an unbuffered stream and
 * allocates nothing of its own, so sanitizer callbacks and signal handlers can
 * use it. */
#define _POSIX_C_SOURCE 200809L
#include "sf_diag.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sf_buf.h"
#include "sf_model.h"
#include "sf_side.h"

const char *sf_violation_meaning(int id)
{
    switch (id) {
#define SF__V_MEANING(num, name, msg, fix)                                                         \
    case num:                                                                                      \
        return msg;
        SF_VIOLATION_MAP(SF__V_MEANING)
#undef SF__V_MEANING
    default:
        return "unknown violation";
    }
}

const char *sf_violation_name(int id)
{
    switch (id) {
#define SF__V_NAME(num, name, msg, fix)                                                            \
    case num:                                                                                      \
        return #name;
        SF_VIOLATION_MAP(SF__V_NAME)
#undef SF__V_NAME
    default:
        return "UNKNOWN";
    }
}

/* The running fuzz binary's path, for `seamfuzz repro` to find it from a
 * saved report ("" when unknown); into buf, no allocation. */
static const char *sf__self_path(char *buf, size_t n)
{
    ssize_t k = readlink("/proc/self/exe", buf, n - 1);
    buf[k > 0 ? k : 0] = 0;
    return buf;
}

static const char *sf__fname(const sf_spec *s, int f)
{
    return s && f >= 0 && f < s->n_funcs ? s->funcs[f].name : "?";
}

void sf_diag_res_name(char *buf, size_t n, int32_t slot, int32_t id)
{
    if (slot >= 0)
        snprintf(buf, n, "r%d", (int)slot);
    else
        snprintf(buf, n, "n%d", (int)id);
}

/* Writes the name of model record id ("r3", or "n7" without a slot). */
static void sf__res_name(FILE *out, const sf_mres *r, int32_t id)
{
    char name[24];
    sf_diag_res_name(name, sizeof name, r->slot, id);
    fputs(name, out);
}

static void sf__json_str(FILE *out, const char *s)
{
    sf_esc_fquote(out, s ? s : "", s ? strlen(s) : 0, SF_ESC_JSON);
}

static void sf__print_history(FILE *out, const sf_finding *f, const sf_mres *r, int32_t id)
{
    sf_mhist h[SF_MODEL_HIST];
    int n = sf_model_history(f->model, id, h, SF_MODEL_HIST);
    fprintf(out, "HISTORY ");
    sf__res_name(out, r, id);
    fprintf(out, ":");
    if (r->n_touch > (uint32_t)n)
        fprintf(out, " (%u earlier events not kept)", r->n_touch - (uint32_t)n);
    for (int k = 0; k < n; k++)
        fprintf(out, "%s op %d %s by %s%s", k ? ";" : "", (int)h[k].op, sf_revent_name(h[k].event),
                sf__fname(f->spec, h[k].func), h[k].depth ? " (nested)" : "");
    fputc('\n', out);
}

static void sf__print_program(FILE *out, const sf_finding *f)
{
    const sf_prog *p = f->prog;
    uint32_t last = p->n_ops ? p->n_ops - 1 : 0;
    if (f->op >= 0 && (uint32_t)f->op < p->n_ops)
        last = (uint32_t)f->op;
    fprintf(out, "PROGRAM: (%u ops, spec %s)\n", p->n_ops, f->spec->name ? f->spec->name : "?");
    for (uint32_t i = 0; p->n_ops && i <= last; i++) {
        int mark = f->op >= 0 && (uint32_t)f->op == i;
        fprintf(out, "%s%4u  ", mark ? " >>" : "   ", i);
        sf_prog_print_op(p, i, out);
        if (f->op_status && f->op_status[i] == SF_OPST_SKIPPED)
            fprintf(out, "  # skipped");
        else if (f->op_status && f->op_status[i] == SF_OPST_FAILED)
            fprintf(out, "  # failed");
        fputc('\n', out);
    }
    if (f->op >= 0 && (uint32_t)f->op >= p->n_ops)
        fprintf(out, " >> teardown: %s\n", sf__fname(f->spec, f->func));
}

void sf_diag_print(const sf_finding *f, FILE *out)
{
    const sf_model *m = f->model;
    fprintf(out, "\nSEAMFUZZ-VIOLATION: SF-%d %s\n", f->id, sf_violation_meaning(f->id));
    if (f->kind)
        fprintf(out, "KIND: %s\n", f->kind);
    if (f->detail)
        fprintf(out, "DETAIL: %s\n", f->detail);
    if (f->func >= 0)
        fprintf(out, "FUNCTION: %s\n", sf__fname(f->spec, f->func));
    if (f->callchain)
        fprintf(out, "CALLCHAIN: %s\n", f->callchain);
    if (f->op >= 0) {
        int teardown = f->prog && (uint32_t)f->op >= f->prog->n_ops;
        fprintf(out, "OP: %d%s\n", (int)f->op, teardown ? " (teardown)" : "");
    }
    for (int k = 0; k < f->n_res && k < SF_DIAG_MAX_RES; k++) {
        const sf_mres *r = sf_model_get(m, f->res[k]);
        if (!r)
            continue;
        fprintf(out, "RESOURCE: ");
        sf__res_name(out, r, f->res[k]);
        fprintf(out, " (%s, owner=%s, held_by=%s, state=%s, value=0x%llx)\n",
                f->spec->res[r->type].name, sf_side_name(r->owner), sf_side_name(r->held_by),
                sf_rstate_name(r->state), (unsigned long long)r->value);
    }
    if (f->prog)
        sf__print_program(out, f);
    for (int k = 0; k < f->n_res && k < SF_DIAG_MAX_RES; k++) {
        const sf_mres *r = sf_model_get(m, f->res[k]);
        if (r)
            sf__print_history(out, f, r, f->res[k]);
    }
    char self[1024];
    if (sf__self_path(self, sizeof self)[0])
        fprintf(out, "BINARY: %s\n", self);
    for (uint32_t k = 0; f->timings && k < f->n_timings; k++) {
        const sf_diag_timing *t = &f->timings[k];
        fprintf(out, "TIMING: op %d %s%s enter=%lluns exit=%lluns\n", (int)t->op,
                sf__fname(f->spec, t->func), t->depth ? " (nested)" : "",
                (unsigned long long)t->enter_ns, (unsigned long long)t->exit_ns);
    }

    fprintf(out, "SEAMFUZZ-JSON: {\"id\":\"SF-%d\",\"name\":", f->id);
    sf__json_str(out, sf_violation_name(f->id));
    fprintf(out, ",\"meaning\":");
    sf__json_str(out, sf_violation_meaning(f->id));
    fprintf(out, ",\"spec\":");
    sf__json_str(out, f->spec->name);
    fprintf(out, ",\"spec_hash\":%u,\"binary\":", f->spec->hash);
    if (self[0])
        sf__json_str(out, self);
    else
        fprintf(out, "null");
    fprintf(out, ",\"op\":%d,\"function\":", (int)f->op);
    if (f->func >= 0)
        sf__json_str(out, sf__fname(f->spec, f->func));
    else
        fprintf(out, "null");
    fprintf(out, ",\"kind\":");
    if (f->kind)
        sf__json_str(out, f->kind);
    else
        fprintf(out, "null");
    fprintf(out, ",\"detail\":");
    if (f->detail)
        sf__json_str(out, f->detail);
    else
        fprintf(out, "null");
    fprintf(out, ",\"resources\":[");
    int first = 1;
    for (int k = 0; k < f->n_res && k < SF_DIAG_MAX_RES; k++) {
        const sf_mres *r = sf_model_get(m, f->res[k]);
        if (!r)
            continue;
        fprintf(out, "%s{\"name\":\"", first ? "" : ",");
        sf__res_name(out, r, f->res[k]);
        fprintf(out, "\",\"type\":");
        sf__json_str(out, f->spec->res[r->type].name);
        fprintf(out,
                ",\"owner\":\"%s\",\"held_by\":\"%s\",\"state\":\"%s\",\"created_op\":%d,"
                "\"value\":\"0x%llx\"}",
                sf_side_name(r->owner), sf_side_name(r->held_by), sf_rstate_name(r->state),
                (int)r->creator_op, (unsigned long long)r->value);
        first = 0;
    }
    fprintf(out, "]}\n");
    fflush(out);
}

_Noreturn void sf_diag_abort(const sf_finding *f)
{
    sf_diag_print(f, stderr);
    fflush(stderr);
    abort();
}
