/* sf_profile.c - per-function call statistics, printed at exit. */
#include "sf_profile.h"

#include "sf_alloc.h"

typedef struct sf__fprof {
    uint64_t calls, nested, errors, rejected, ns;
    uint64_t allocs[3];
    uint64_t *codes; /* per declared error code (n_err_codes), then one "other" */
    uint64_t states[SF_MAX_PARAMS][SF_PST_COUNT];
} sf__fprof;

struct sf_profile {
    const sf_spec *spec;
    sf__fprof *f;
    uint64_t inputs, ops, ns;
};

static const char *const sf__state_names[SF_PST_COUNT] = {
    "none", "live", "borrowed", "transferred", "freed", "invalid", "untracked"};

const char *sf_profile_state_name(sf_profile_state s)
{
    return (unsigned)s < SF_PST_COUNT ? sf__state_names[s] : "?";
}

sf_profile *sf_profile_new(const sf_spec *spec)
{
    sf_profile *p = sf_calloc(sizeof *p);
    if (!p)
        return NULL;
    p->spec = spec;
    p->f = sf_calloc(sizeof(sf__fprof) * (spec->n_funcs ? spec->n_funcs : 1));
    if (!p->f) {
        sf_free(p);
        return NULL;
    }
    for (int i = 0; i < spec->n_funcs; i++) {
        p->f[i].codes = sf_calloc(sizeof(uint64_t) * ((size_t)spec->funcs[i].n_err_codes + 1));
        if (!p->f[i].codes) {
            sf_profile_free(p);
            return NULL;
        }
    }
    return p;
}

void sf_profile_free(sf_profile *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->spec->n_funcs; i++)
        sf_free(p->f[i].codes);
    sf_free(p->f);
    sf_free(p);
}

void sf_profile_call(sf_profile *p, const sf_profile_call_info *ci)
{
    if (!p || ci->func < 0 || ci->func >= p->spec->n_funcs)
        return;
    const sf_func_desc *fd = &p->spec->funcs[ci->func];
    sf__fprof *f = &p->f[ci->func];
    f->calls++;
    f->nested += ci->nested != 0;
    f->errors += ci->failed != 0;
    f->rejected += ci->rejected != 0;
    f->ns += ci->ns;
    for (int s = 0; s < 3; s++)
        f->allocs[s] += ci->allocs[s];
    if (ci->failed && fd->err_style == SF_ERR_NEG) {
        uint16_t k = 0;
        while (k < fd->n_err_codes && fd->err_codes[k] != ci->ret)
            k++;
        f->codes[k]++; /* k == n_err_codes: not a declared code */
    }
    for (int j = 0; j < fd->n_params && j < SF_MAX_PARAMS; j++)
        if (ci->state[j] != SF_PST_NONE && ci->state[j] < SF_PST_COUNT)
            f->states[j][ci->state[j]]++;
}

void sf_profile_input(sf_profile *p, uint32_t n_ops, uint64_t ns)
{
    if (!p)
        return;
    p->inputs++;
    p->ops += n_ops;
    p->ns += ns;
}

void sf_profile_print(const sf_profile *p, FILE *out, int json)
{
    if (!p)
        return;
    if (json) {
        fprintf(out, "SEAMFUZZ-PROFILE: {\"inputs\":%llu,\"ops\":%llu,\"ns\":%llu,\"functions\":[",
                (unsigned long long)p->inputs, (unsigned long long)p->ops,
                (unsigned long long)p->ns);
    } else {
        fprintf(out, "seamfuzz profile: %llu inputs, %llu ops, %.1f us/input\n",
                (unsigned long long)p->inputs, (unsigned long long)p->ops,
                p->inputs ? (double)p->ns / 1e3 / (double)p->inputs : 0.0);
        fprintf(out, "%-28s %10s %8s %8s %10s %10s %10s %10s %12s\n", "function", "calls", "nested",
                "errors", "alloc_c", "alloc_rust", "alloc_go", "avg_ns", "total_ms");
    }
    int first = 1;
    for (int i = 0; i < p->spec->n_funcs; i++) {
        const sf__fprof *f = &p->f[i];
        if (!f->calls)
            continue;
        double avg = (double)f->ns / (double)f->calls;
        if (json) {
            fprintf(out,
                    "%s{\"name\":\"%s\",\"calls\":%llu,\"nested\":%llu,\"errors\":%llu,"
                    "\"allocs\":{\"c\":%llu,\"rust\":%llu,\"go\":%llu},\"ns\":%llu}",
                    first ? "" : ",", p->spec->funcs[i].name, (unsigned long long)f->calls,
                    (unsigned long long)f->nested, (unsigned long long)f->errors,
                    (unsigned long long)f->allocs[0], (unsigned long long)f->allocs[1],
                    (unsigned long long)f->allocs[2], (unsigned long long)f->ns);
        } else {
            fprintf(out, "%-28s %10llu %8llu %8llu %10llu %10llu %10llu %10.0f %12.3f\n",
                    p->spec->funcs[i].name, (unsigned long long)f->calls,
                    (unsigned long long)f->nested, (unsigned long long)f->errors,
                    (unsigned long long)f->allocs[0], (unsigned long long)f->allocs[1],
                    (unsigned long long)f->allocs[2], avg, (double)f->ns / 1e6);
        }
        first = 0;
    }
    if (json)
        fprintf(out, "]}\n");
    fflush(out);
}

int sf_profile_write_contract(const sf_profile *p, FILE *out)
{
    if (!p)
        return -1;
    fprintf(out, "seamfuzz-contract 1\n");
    for (int i = 0; i < p->spec->n_funcs; i++) {
        const sf_func_desc *fd = &p->spec->funcs[i];
        const sf__fprof *f = &p->f[i];
        fprintf(out, "func %s calls %llu ok %llu failed %llu rejected %llu nested %llu\n", fd->name,
                (unsigned long long)f->calls, (unsigned long long)(f->calls - f->errors),
                (unsigned long long)f->errors, (unsigned long long)f->rejected,
                (unsigned long long)f->nested);
        if (fd->err_style == SF_ERR_NEG) {
            for (uint16_t k = 0; k < fd->n_err_codes; k++)
                fprintf(out, "error %s %lld %llu\n", fd->name, (long long)fd->err_codes[k],
                        (unsigned long long)f->codes[k]);
            if (f->codes[fd->n_err_codes])
                fprintf(out, "error %s undeclared %llu\n", fd->name,
                        (unsigned long long)f->codes[fd->n_err_codes]);
        }
        for (int j = 0; j < fd->n_params && j < SF_MAX_PARAMS; j++) {
            if (fd->params[j].kind != SF_K_RES)
                continue;
            for (int st = SF_PST_LIVE; st < SF_PST_COUNT; st++)
                fprintf(out, "state %s %s %s %llu\n", fd->name, fd->params[j].name,
                        sf__state_names[st], (unsigned long long)f->states[j][st]);
        }
    }
    fflush(out);
    return ferror(out) ? -1 : 0;
}
