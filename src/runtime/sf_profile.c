/* sf_profile.c - per-function call statistics, printed at exit. */
#include "sf_profile.h"

#include "sf_alloc.h"

typedef struct sf__fprof {
    uint64_t calls, nested, errors, ns;
    uint64_t allocs[3];
} sf__fprof;

struct sf_profile {
    const sf_spec *spec;
    sf__fprof *f;
    uint64_t inputs, ops, ns;
};

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
    return p;
}

void sf_profile_free(sf_profile *p)
{
    if (!p)
        return;
    sf_free(p->f);
    sf_free(p);
}

void sf_profile_call(sf_profile *p, int func, int nested, int failed, uint64_t ns,
                     const uint64_t allocs[3])
{
    if (!p || func < 0 || func >= p->spec->n_funcs)
        return;
    sf__fprof *f = &p->f[func];
    f->calls++;
    f->nested += nested != 0;
    f->errors += failed != 0;
    f->ns += ns;
    for (int s = 0; s < 3; s++)
        f->allocs[s] += allocs[s];
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
