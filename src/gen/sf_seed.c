/* sf_seed.c - builds the seed corpus of a spec: text-form programs that call
 * every fuzzable function, every producer -> consumer chain, and every
 * declared null/stale/range rejection, empty buffer and magic value, encoded
 * with sf_prog.
 */
#include <stdio.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_gen_int.h"
#include "sf_prog.h"

#define SEED_MAX_SLOTS 128
#define SEED_MAX_DEPTH 6
#define SEED_DEFAULT   "seamfuzz"

/* Builds one program; `fail` is set when it cannot be built. */
typedef struct seedgen {
    const sf_seam *s;
    const sf_spec *sp;
    sf_buf text;
    uint32_t n_slots;
    int16_t slot_res[SEED_MAX_SLOTS];
    uint8_t visiting[SF_SEAM_MAX_ITEMS];
    int depth;
    int fail;
} seedgen;

/* How the fixed parameter of a call is filled. */
enum { FIX_SLOT = 0, FIX_NULL, FIX_STALE, FIX_VALUE };

typedef struct fixarg {
    int param; /* -1 = none */
    int how;
    int32_t slot;
    const uint8_t *bytes; /* for buffer params: magic content, or NULL */
    size_t len;
    uint64_t value; /* FIX_VALUE: a scalar's value (two's complement) */
} fixarg;

static int fuzzable(const sf_func_desc *f)
{
    return !(f->flags & (SF_F_PROBE | SF_F_NOFUZZ));
}

static int res_is(const sf_spec *sp, int r, int want)
{
    for (int d = 0; r >= 0 && d < 64; d++) {
        if (r == want)
            return 1;
        r = sp->res[r].parent;
    }
    return 0;
}

/* 1 if f produces a resource of type `res` (or a subtype). */
static int produces(const sf_spec *sp, const sf_func_desc *f, int res)
{
    if (f->ret.kind == SF_K_RES && f->ret.mode == SF_M_OUT && res_is(sp, f->ret.res, res))
        return 1;
    for (uint32_t i = 0; i < f->n_params; i++)
        if (f->params[i].kind == SF_K_OUTRES && res_is(sp, f->params[i].res, res))
            return 1;
    return 0;
}

static int64_t pick_scalar(const sf_param_desc *q)
{
    if (q->kind == SF_K_BOOL)
        return 1;
    if (q->n_choices)
        return q->choices[0];
    int64_t v = 8;
    if (q->kind == SF_K_UINT && q->max == -1)
        return v; /* full 64-bit unsigned range */
    if (v < q->min)
        v = q->min;
    if (v > q->max)
        v = q->max;
    return v;
}

static int32_t call(seedgen *g, int fi, const fixarg *fx, int32_t want_res);

/* Emits the ops that produce a live resource of type res; returns its slot. */
static int32_t produce(seedgen *g, int res, int via)
{
    const sf_spec *sp = g->sp;
    if (via < 0) {
        for (uint32_t i = 0; i < sp->n_funcs && via < 0; i++)
            if (fuzzable(&sp->funcs[i]) && !g->visiting[i] && produces(sp, &sp->funcs[i], res))
                via = (int)i;
    }
    if (via < 0 || g->depth >= SEED_MAX_DEPTH) {
        g->fail = 1;
        return -1;
    }
    fixarg none = {.param = -1};
    return call(g, via, &none, res);
}

/* Destroys live slot `slot` with its type's destructor. */
static void destroy(seedgen *g, int32_t slot)
{
    const sf_spec *sp = g->sp;
    int d = sp->res[g->slot_res[slot]].dtor;
    if (d < 0 || !fuzzable(&sp->funcs[d])) {
        g->fail = 1;
        return;
    }
    fixarg fx = {.param = -1, .how = FIX_SLOT, .slot = slot};
    for (uint32_t i = 0; i < sp->funcs[d].n_params; i++)
        if (sp->funcs[d].params[i].kind == SF_K_RES) {
            fx.param = (int)i;
            break;
        }
    call(g, d, &fx, -1);
}

/* Emits the call of function fi (and the ops producing its resource
 * arguments).  Returns the slot of its first product of type want_res (any
 * product when want_res < 0), or -1. */
static int32_t call(seedgen *g, int fi, const fixarg *fx, int32_t want_res)
{
    const sf_spec *sp = g->sp;
    const sf_func_desc *f = &sp->funcs[fi];
    int32_t slots[SF_MAX_PARAMS];
    int how[SF_MAX_PARAMS];
    if (g->fail)
        return -1;
    g->visiting[fi] = 1;
    g->depth++;
    for (uint32_t i = 0; i < f->n_params && !g->fail; i++) {
        slots[i] = -1;
        how[i] = FIX_SLOT;
        if (f->params[i].kind != SF_K_RES)
            continue;
        if (fx->param == (int)i) {
            how[i] = fx->how;
            if (fx->how == FIX_SLOT) {
                slots[i] = fx->slot;
            } else if (fx->how == FIX_STALE) {
                slots[i] = produce(g, f->params[i].res, -1);
                if (slots[i] >= 0)
                    destroy(g, slots[i]);
            }
        } else {
            slots[i] = produce(g, f->params[i].res, -1);
        }
    }
    g->depth--;
    g->visiting[fi] = 0;
    if (g->fail)
        return -1;

    /* Products: the return value first, then OUTRES parameters in order. */
    int32_t first = -1;
    uint32_t n_prod = (f->ret.kind == SF_K_RES && f->ret.mode == SF_M_OUT) ? 1 : 0;
    for (uint32_t i = 0; i < f->n_params; i++)
        n_prod += f->params[i].kind == SF_K_OUTRES;
    if (g->n_slots + n_prod > SEED_MAX_SLOTS) {
        g->fail = 1;
        return -1;
    }
    uint32_t next = g->n_slots;
    if (f->ret.kind == SF_K_RES && f->ret.mode == SF_M_OUT) {
        sf_buf_printf(&g->text, "r%u = ", next);
        g->slot_res[next] = f->ret.res;
        if (want_res < 0 || res_is(sp, f->ret.res, want_res))
            first = (int32_t)next;
        next++;
    }
    sf_buf_printf(&g->text, "%s(", f->name);
    int nargs = 0;
    for (uint32_t i = 0; i < f->n_params; i++) {
        const sf_param_desc *q = &f->params[i];
        if (sf_param_implicit(q->kind))
            continue;
        if (nargs++)
            sf_buf_put(&g->text, ", ", 2);
        int fixed = fx->param == (int)i && fx->how == FIX_VALUE;
        switch (q->kind) {
        case SF_K_INT:
            sf_buf_printf(&g->text, "%lld",
                          fixed ? (long long)(int64_t)fx->value : (long long)pick_scalar(q));
            break;
        case SF_K_UINT:
        case SF_K_BOOL:
            sf_buf_printf(&g->text, "%llu",
                          fixed ? (unsigned long long)fx->value
                                : (unsigned long long)pick_scalar(q));
            break;
        case SF_K_RES:
            if (how[i] == FIX_NULL)
                sf_buf_printf(&g->text, "null");
            else if (how[i] == FIX_STALE)
                sf_buf_printf(&g->text, "stale(r%d)", slots[i]);
            else
                sf_buf_printf(&g->text, "r%d", slots[i]);
            break;
        case SF_K_BUF:
        case SF_K_CSTR: {
            const uint8_t *d = (const uint8_t *)SEED_DEFAULT;
            size_t n = strlen(SEED_DEFAULT);
            /* The first magic value is the spec's example of valid input;
             * "seamfuzz" is used where a failure is wanted (to produce an
             * error object) or no magic is declared. */
            if (g->s->n_magics &&
                !(f->err_style == SF_ERR_OBJ && f->err_param >= 0 && want_res >= 0 &&
                  res_is(sp, f->params[f->err_param].res, want_res))) {
                d = g->s->magics[0].p;
                n = g->s->magics[0].len;
            }
            if (fx->bytes && fx->param == (int)i) {
                d = fx->bytes;
                n = fx->len;
            }
            if ((int64_t)n > q->max)
                n = q->max > 0 ? (size_t)q->max : 0;
            if (q->kind == SF_K_CSTR && memchr(d, 0, n))
                n = (size_t)((const uint8_t *)memchr(d, 0, n) - d);
            if ((int64_t)n < q->min) {
                /* Shorter than the minimum: the spec's minimum of 'A's. */
                d = NULL;
                n = (size_t)q->min;
            }
            if (d) {
                sf_buf_quote(&g->text, d, n, SF_ESC_TEXT);
            } else {
                sf_buf_put(&g->text, "\"", 1);
                for (size_t k = 0; k < n; k++)
                    sf_buf_put(&g->text, "A", 1);
                sf_buf_put(&g->text, "\"", 1);
            }
            break;
        }
        case SF_K_OUTBUF: {
            int64_t n = q->max < 16 ? q->max : 16;
            sf_buf_printf(&g->text, "out[%lld]", (long long)(n < q->min ? q->min : n));
            break;
        }
        case SF_K_OUTRES:
            sf_buf_printf(&g->text, "&r%u", next);
            g->slot_res[next] = q->res;
            if (first < 0 && (want_res < 0 || res_is(sp, q->res, want_res)))
                first = (int32_t)next;
            next++;
            break;
        case SF_K_OUTSTRUCT:
            sf_buf_printf(&g->text, "&%s", sp->layouts[q->layout].name);
            break;
        case SF_K_CALLBACK: /* its first implementation */
            sf_buf_printf(&g->text, "%s", sp->funcs[sp->cbs[q->layout].impls[0]].name);
            break;
        default:
            break;
        }
    }
    sf_buf_printf(&g->text, ")\n");
    g->n_slots = next;
    return first;
}

typedef struct seedlist {
    sf__seed *v;
    size_t n, cap;
    sf_buf *all;  /* concatenated text form */
    char **texts; /* for deduplication */
    int oom;
} seedlist;

/* Adds the seed program text (len bytes) called name, unless it is there. */
static void seed_add_text(seedlist *l, const char *name, const char *text, size_t len)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->texts[i]) == len && memcmp(l->texts[i], text, len) == 0)
            return;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        sf__seed *nv = sf_realloc(l->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            l->oom = 1;
            return;
        }
        l->v = nv;
        char **nt = sf_realloc(l->texts, ncap * sizeof(*nt));
        if (nt == NULL) {
            l->oom = 1;
            return;
        }
        l->texts = nt;
        l->cap = ncap;
    }
    sf__seed *sd = &l->v[l->n];
    memset(sd, 0, sizeof(*sd));
    snprintf(sd->name, sizeof(sd->name), "%03zu-%.80s", l->n, name);
    l->texts[l->n] = sf_calloc(len + 1);
    if (l->texts[l->n] == NULL) {
        l->oom = 1;
        return;
    }
    memcpy(l->texts[l->n], text, len);
    sf_buf_printf(l->all, "# seed %s\n%s\n", sd->name, l->texts[l->n]);
    l->n++;
}

static void seed_add(seedlist *l, const char *name, seedgen *g)
{
    if (g->fail || g->text.oom || g->text.p == NULL)
        return;
    seed_add_text(l, name, g->text.p, g->text.len);
}

/* The hand-written seeds (the format seeds_<name>.txt is written in: each
 * program after a "# seed NAME" line) join the list as hand-NAME; a program
 * that does not parse is one "path:line:col: error" in err. */
static int hand_seeds(seedlist *l, const sf_spec *sp, const sf__hand *h, char *err, size_t errlen)
{
    const char *t = h->text, *end = h->text + h->len;
    uint32_t line = 1;
    while (t < end) {
        const char *nl = memchr(t, '\n', (size_t)(end - t));
        const char *eol = nl ? nl : end;
        if (strncmp(t, "# seed ", 7) != 0 || eol - t < 8) {
            /* Only blank lines and comments may come before the first seed. */
            const char *q = t;
            while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (q < eol && *q != '#') {
                snprintf(err, errlen,
                         "%s:%u:1: error: a program before its \"# seed NAME\" line "
                         "(hint: start every seed with one)",
                         h->path, line);
                return SF_EPARSE;
            }
            t = nl ? nl + 1 : end;
            line++;
            continue;
        }
        char name[80];
        snprintf(name, sizeof name, "hand-%.*s", (int)(eol - t - 7 > 70 ? 70 : eol - t - 7), t + 7);
        const char *body = nl ? nl + 1 : end, *b = body;
        uint32_t body_line = line + 1;
        while (b < end && strncmp(b, "# seed ", 7) != 0) {
            const char *n2 = memchr(b, '\n', (size_t)(end - b));
            b = n2 ? n2 + 1 : end;
            line++;
        }
        sf_prog *p = NULL;
        char perr[256];
        int rc = sf_prog_parse(sp, NULL, body, (size_t)(b - body), &p, perr, sizeof perr);
        sf_prog_free(p);
        if (rc != 0) {
            unsigned pl = 1, pc = 1;
            sscanf(perr, "%u:%u", &pl, &pc);
            const char *msg = strstr(perr, ": ");
            snprintf(err, errlen, "%s:%u:%u: error: seed %s: %s", h->path, body_line + pl - 1, pc,
                     name + 5, msg ? msg + 2 : perr);
            return rc == SF_ENOMEM ? SF_ENOMEM : SF_EPARSE;
        }
        seed_add_text(l, name, body, (size_t)(b - body));
        t = b;
        line++;
    }
    return 0;
}

static void gen_reset(seedgen *g)
{
    g->text.len = 0;
    if (g->text.p)
        g->text.p[0] = '\0';
    g->n_slots = 0;
    g->depth = 0;
    g->fail = 0;
    memset(g->visiting, 0, sizeof(g->visiting));
}

int sf__seeds_build(const sf_seam *s, const sf__hand *hand, int encode, sf_buf *text,
                    sf__seed **seeds, size_t *n_seeds, char *err, size_t errlen)
{
    const sf_spec *sp = sf_seam_spec(s);
    *seeds = NULL;
    *n_seeds = 0;
    seedgen *g = sf_calloc(sizeof(*g));
    if (g == NULL) {
        snprintf(err, errlen, "out of memory");
        return SF_ENOMEM;
    }
    g->s = s;
    g->sp = sp;
    seedlist l = {.all = text};
    char name[256];
    sf_buf_printf(text,
                  "# seeds_%s.txt - GENERATED by `seamfuzz gen` (spec hash 0x%08x). DO NOT EDIT.\n"
                  "# The text form of every seed in the corpus, in order (docs/program.md).\n\n",
                  s->boundary, s->hash);

    /* Every fuzzable function once. */
    for (uint32_t fi = 0; fi < sp->n_funcs; fi++) {
        if (!fuzzable(&sp->funcs[fi]))
            continue;
        gen_reset(g);
        fixarg none = {.param = -1};
        call(g, (int)fi, &none, -1);
        snprintf(name, sizeof(name), "call-%s", sp->funcs[fi].name);
        seed_add(&l, name, g);
    }
    /* Every producer -> consumer chain, and the declared rejections. */
    for (uint32_t ci = 0; ci < sp->n_funcs; ci++) {
        const sf_func_desc *c = &sp->funcs[ci];
        if (!fuzzable(c))
            continue;
        for (uint32_t pi = 0; pi < c->n_params; pi++) {
            const sf_param_desc *q = &c->params[pi];
            if (q->kind != SF_K_RES)
                continue;
            for (uint32_t pf = 0; pf < sp->n_funcs; pf++) {
                if (!fuzzable(&sp->funcs[pf]) || !produces(sp, &sp->funcs[pf], q->res))
                    continue;
                gen_reset(g);
                int32_t slot = produce(g, q->res, (int)pf);
                if (slot < 0)
                    continue;
                fixarg fx = {.param = (int)pi, .how = FIX_SLOT, .slot = slot};
                call(g, (int)ci, &fx, -1);
                snprintf(name, sizeof(name), "chain-%s-%s", sp->funcs[pf].name, c->name);
                seed_add(&l, name, g);
            }
            if (q->flags & (SF_P_REJECT_NULL | SF_P_NULLABLE)) {
                gen_reset(g);
                fixarg fx = {.param = (int)pi, .how = FIX_NULL};
                call(g, (int)ci, &fx, -1);
                snprintf(name, sizeof(name), "null-%s-%s", c->name, q->name);
                seed_add(&l, name, g);
            }
            if (q->flags & SF_P_REJECT_STALE) {
                gen_reset(g);
                fixarg fx = {.param = (int)pi, .how = FIX_STALE};
                call(g, (int)ci, &fx, -1);
                snprintf(name, sizeof(name), "stale-%s-%s", c->name, q->name);
                seed_add(&l, name, g);
            }
        }
    }
    /* An empty value for every buffer that may be empty (a zero-length
     * value is a contract shape of its own: NULL or not, freed or not). */
    for (uint32_t ci = 0; ci < sp->n_funcs; ci++) {
        const sf_func_desc *c = &sp->funcs[ci];
        for (uint32_t pi = 0; fuzzable(c) && pi < c->n_params; pi++) {
            const sf_param_desc *q = &c->params[pi];
            if ((q->kind != SF_K_BUF && q->kind != SF_K_CSTR) || q->min > 0)
                continue;
            gen_reset(g);
            fixarg fx = {
                .param = (int)pi, .how = FIX_SLOT, .slot = -1, .bytes = (const uint8_t *)""};
            call(g, (int)ci, &fx, -1);
            snprintf(name, sizeof(name), "empty-%s-%s", c->name, q->name);
            seed_add(&l, name, g);
        }
    }
    /* The values just outside every `rejects(range)` scalar. */
    for (uint32_t ci = 0; ci < sp->n_funcs; ci++) {
        const sf_func_desc *c = &sp->funcs[ci];
        for (uint32_t pi = 0; fuzzable(c) && pi < c->n_params; pi++) {
            uint64_t edge[2];
            int has[2];
            if (!sf_param_outside(&c->params[pi], &edge[0], &has[0], &edge[1], &has[1]))
                continue;
            static const char *const side[] = {"below", "above"};
            for (int e = 0; e < 2; e++) {
                if (!has[e])
                    continue;
                gen_reset(g);
                fixarg fx = {.param = (int)pi, .how = FIX_VALUE, .value = edge[e]};
                call(g, (int)ci, &fx, -1);
                snprintf(name, sizeof(name), "range-%s-%s-%s", c->name, c->params[pi].name,
                         side[e]);
                seed_add(&l, name, g);
            }
        }
    }
    /* Magic values (record formats, panic triggers) in every input buffer. */
    for (uint32_t m = 0; m < s->n_magics; m++) {
        for (uint32_t ci = 0; ci < sp->n_funcs; ci++) {
            const sf_func_desc *c = &sp->funcs[ci];
            if (!fuzzable(c))
                continue;
            for (uint32_t pi = 0; pi < c->n_params; pi++) {
                if (c->params[pi].kind != SF_K_BUF && c->params[pi].kind != SF_K_CSTR)
                    continue;
                gen_reset(g);
                fixarg fx = {.param = (int)pi,
                             .how = FIX_SLOT,
                             .slot = -1,
                             .bytes = s->magics[m].p,
                             .len = s->magics[m].len};
                call(g, (int)ci, &fx, -1);
                snprintf(name, sizeof(name), "magic%u-%s", m, c->name);
                seed_add(&l, name, g);
                break;
            }
        }
    }
    /* The built-in ops around the first two fuzzable functions. */
    if (sp->builtins) {
        gen_reset(g);
        static const char *const bn[] = {"@gc", "@yield", "@thread", "@stale"};
        int calls = 0;
        for (uint32_t fi = 0; fi < sp->n_funcs && calls < 2 && !g->fail; fi++) {
            if (!fuzzable(&sp->funcs[fi]))
                continue;
            for (int k = 0; k < SF_B__COUNT; k++)
                if ((sp->builtins & (1u << k)) && k != SF_B_STALE &&
                    (k != SF_B_GO_GC || sp->gc_func >= 0))
                    sf_buf_printf(&g->text, "%s\n", bn[k]);
            fixarg none = {.param = -1};
            call(g, (int)fi, &none, -1);
            calls++;
        }
        if (sp->builtins & (1u << SF_B_STALE))
            sf_buf_printf(&g->text, "@stale\n");
        seed_add(&l, "builtins", g);
    }
    sf_buf_free(&g->text);
    sf_free(g);

    int rc = 0;
    if (hand && hand->text)
        rc = hand_seeds(&l, sp, hand, err, errlen);
    if (rc == 0 && l.oom) {
        rc = SF_ENOMEM;
        snprintf(err, errlen, "out of memory");
    }
    for (size_t i = 0; i < l.n && rc == 0 && encode; i++) {
        sf_prog *p = NULL;
        char perr[256];
        int prc = sf_prog_parse(sp, NULL, l.texts[i], strlen(l.texts[i]), &p, perr, sizeof(perr));
        if (prc != 0) {
            snprintf(err, errlen, "internal error: seed %s does not parse: %s", l.v[i].name, perr);
            rc = prc == SF_ENOMEM ? SF_ENOMEM : SF_EPARSE;
            break;
        }
        prc = sf_prog_encode(p, &l.v[i].bytes, &l.v[i].len);
        sf_prog_free(p);
        if (prc != 0) {
            snprintf(err, errlen, "cannot encode seed %s: %s", l.v[i].name, sf_strerror(prc));
            rc = prc;
        }
    }
    for (size_t i = 0; i < l.n; i++)
        sf_free(l.texts[i]);
    sf_free(l.texts);
    if (rc != 0) {
        sf__seeds_free(l.v, l.n);
        return rc;
    }
    *seeds = l.v;
    *n_seeds = l.n;
    return 0;
}

void sf__seeds_free(sf__seed *seeds, size_t n)
{
    for (size_t i = 0; seeds && i < n; i++)
        sf_free(seeds[i].bytes);
    sf_free(seeds);
}
