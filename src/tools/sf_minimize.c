/* sf_minimize.c - delta debugging over the ops of a program, then over its
 * buffers, keeping the crash signature; see sf_minimize.h. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "sf_minimize.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_edit.h"
#include "sf_err.h"
#include "sf_seam.h"
#include "sf_tool.h"

/* The state of one minimization. */
typedef struct min_ctx {
    const sf_min_opts *o;
    char scratch[512];
    char cand_path[600];
    const char *want; /* the signature to keep (points into res->sig) */
    unsigned runs, max_runs;
    uint32_t *tried; /* FNV-1a of candidate bytes already run (not interesting) */
    size_t n_tried, cap_tried;
    char err[512];
    int failed; /* a run could not be started: stop */
} min_ctx;

static uint32_t fnv(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h ^ (uint32_t)n;
}

/* Runs the binary on bytes; writes the signature ("" if it ran clean). */
static int run_sig(min_ctx *c, const uint8_t *bytes, size_t len, char *sig, size_t n,
                   sf_crashlog *rep)
{
    if (sf_tool_write_file(c->cand_path, bytes, len) != 0) {
        snprintf(c->err, sizeof(c->err), "cannot write %s: %s", c->cand_path, strerror(errno));
        c->failed = 1;
        return -1;
    }
    sf_child ch;
    c->runs++;
    if (sf_tool_run_bin(c->o->bin, c->cand_path, c->o->timeout_s, &ch, c->err, sizeof(c->err))) {
        c->failed = 1;
        return -1;
    }
    sf_crashlog r;
    sig[0] = 0;
    if (sf_crashlog_parse(ch.out, ch.len, &r))
        snprintf(sig, n, "%s", r.sig);
    else if (sf_child_crashed(&ch))
        sf_crashlog_crash_sig(ch.timed_out, ch.status, sig, n);
    if (rep)
        *rep = r;
    sf_free(ch.out);
    return 0;
}

/* Encodes candidate q; 1 if it still crashes with the wanted signature.
 * Candidates already run (by the hash of their bytes) are not run again. */
static int interesting(min_ctx *c, const sf_prog *q)
{
    if (c->failed || c->runs >= c->max_runs)
        return 0;
    uint8_t *b = NULL;
    size_t n = 0;
    if (sf_prog_encode(q, &b, &n) != 0)
        return 0;
    uint32_t h = fnv(b, n);
    for (size_t i = 0; i < c->n_tried; i++)
        if (c->tried[i] == h) {
            sf_free(b);
            return 0;
        }
    char sig[SF_SIG_MAX];
    int rc = run_sig(c, b, n, sig, sizeof(sig), NULL);
    sf_free(b);
    if (rc != 0)
        return 0;
    int ok = strcmp(sig, c->want) == 0;
    if (c->o->log)
        fprintf(c->o->log, "minimize: run %u: %u ops, %zu bytes -> %s%s\n", c->runs, q->n_ops, n,
                sig[0] ? sig : "no crash", ok ? " (kept)" : "");
    if (!ok) {
        if (c->n_tried == c->cap_tried) {
            c->cap_tried = c->cap_tried ? c->cap_tried * 2 : 64;
            c->tried = sf_xrealloc(c->tried, c->cap_tried * sizeof(uint32_t));
        }
        c->tried[c->n_tried++] = h;
    }
    return ok;
}

/* The ops of *cur with cand[i] set, their dependents removed with them
 * (sf_edit_keep); on a crash with the wanted signature *cur becomes that
 * program and 1 is returned. */
static int try_keep(min_ctx *c, sf_prog **cur, const uint8_t *cand)
{
    sf_prog *q = NULL;
    if (sf_edit_keep(*cur, cand, SF_EDIT_CASCADE, &q, NULL) != 0)
        sf_fatal("out of memory editing the program");
    if (q->n_ops < (*cur)->n_ops && interesting(c, q)) {
        sf_prog_free(*cur);
        *cur = q;
        return 1;
    }
    sf_prog_free(q);
    return 0;
}

/* Classic ddmin over the ops (complements of gran chunks), then single ops
 * from the end until none can go. */
static void drop_ops(min_ctx *c, sf_prog **cur)
{
    uint32_t gran = 2;
    uint8_t *cand = NULL;
    for (;;) {
        uint32_t cnt = (*cur)->n_ops;
        if (cnt < 2 || c->failed || c->runs >= c->max_runs)
            break;
        cand = sf_xrealloc(cand, cnt);
        if (gran > cnt)
            gran = cnt;
        uint32_t chunk = (cnt + gran - 1) / gran;
        int reduced = 0;
        for (uint32_t st = 0; st < cnt && !reduced; st += chunk) {
            for (uint32_t j = 0; j < cnt; j++)
                cand[j] = j < st || j >= st + chunk;
            if (try_keep(c, cur, cand)) {
                gran = gran > 2 ? gran - 1 : 2;
                reduced = 1;
            }
        }
        if (!reduced) {
            if (gran >= cnt)
                break;
            gran = gran * 2 < cnt ? gran * 2 : cnt;
        }
    }
    for (int changed = 1; changed && !c->failed;) {
        changed = 0;
        for (uint32_t i = (*cur)->n_ops; i-- > 0;) {
            if (i >= (*cur)->n_ops)
                continue; /* a removal took dependents past i with it */
            cand = sf_xrealloc(cand, (*cur)->n_ops);
            memset(cand, 1, (*cur)->n_ops);
            cand[i] = 0;
            changed |= try_keep(c, cur, cand);
        }
    }
    sf_free(cand);
}

/* *cur with argument j of op i shortened to len bytes (sf_edit_set_len);
 * kept, and 1 returned, when it still crashes the same way. */
static int try_len(min_ctx *c, sf_prog **cur, uint32_t i, uint32_t j, size_t len)
{
    sf_prog *q = NULL;
    int rc = sf_edit_set_len(*cur, i, j, len, &q);
    if (rc == SF_ENOMEM)
        sf_fatal("out of memory editing the program");
    if (rc != 0)
        return 0;
    if (interesting(c, q)) {
        sf_prog_free(*cur);
        *cur = q;
        return 1;
    }
    sf_prog_free(q);
    return 0;
}

/* Shrinks every input and output buffer: to nothing if it can, else from
 * the end by halving steps. */
static void shrink_buffers(min_ctx *c, sf_prog **cur)
{
    for (uint32_t i = 0; i < (*cur)->n_ops && !c->failed; i++) {
        for (uint32_t j = 0; j < (*cur)->ops[i].n_args && j < SF_MAX_PARAMS; j++) {
            const sf_arg *a = &(*cur)->ops[i].args[j];
            if (a->tag != SF_A_BYTES && a->tag != SF_A_OUTBUF)
                continue;
            size_t len = a->len;
            if (len == 0 || try_len(c, cur, i, j, 0))
                continue;
            for (size_t cut = len / 2; cut >= 1; cut /= 2)
                while (len > cut && try_len(c, cur, i, j, len - cut))
                    len -= cut;
        }
    }
}

/* The text form of p (caller frees with free(): it comes from stdio). */
static char *prog_text(const sf_prog *p)
{
    char *t = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&t, &n);
    if (!f || sf_prog_print(p, f) != 0 || fclose(f) != 0)
        sf_fatal("out of memory printing the program");
    return t;
}

int sf_minimize(const sf_min_opts *o, const uint8_t *data, size_t len, sf_min_result *res,
                char *err, size_t errlen)
{
    memset(res, 0, sizeof(*res));
    min_ctx c = {.o = o, .max_runs = o->max_runs ? o->max_runs : 2000};
    if (sf_tool_mkscratch(c.scratch, sizeof(c.scratch)) != 0) {
        snprintf(err, errlen, "cannot create a scratch directory: %s", strerror(errno));
        return -1;
    }
    snprintf(c.cand_path, sizeof(c.cand_path), "%s/candidate", c.scratch);
    int rc = -1;
    sf_prog *p = NULL;
    sf_crashlog rep;

    /* 1. The original must crash; its report must name our spec. */
    if (run_sig(&c, data, len, res->sig, sizeof(res->sig), &rep) != 0)
        goto out;
    if (res->sig[0] == 0) {
        rc = 1;
        goto out;
    }
    if (rep.found && rep.has_hash && rep.spec_hash != o->spec->hash) {
        snprintf(c.err, sizeof(c.err),
                 "the binary was built from spec '%s' (hash 0x%08x), --spec is '%s' (hash 0x%08x): "
                 "pass the .seam the binary was generated from",
                 rep.spec, rep.spec_hash, o->spec->name, o->spec->hash);
        goto out;
    }
    c.want = res->sig;
    if (sf_prog_decode(o->spec, &o->lim, data, len, &p) != 0)
        sf_fatal("out of memory decoding the testcase");
    res->ops_before = p->n_ops;
    res->bytes_before = len;

    /* 2. The canonical encoding of the whole program must keep the crash. */
    if (!interesting(&c, p)) {
        if (!c.failed)
            snprintf(c.err, sizeof(c.err),
                     "the re-encoded program does not crash with %s (is --spec the spec of the "
                     "binary, and are --limits those of the fuzzing run?)",
                     res->sig);
        goto out;
    }

    /* 3. Drop ops, then shrink buffers: edits of the program itself. */
    drop_ops(&c, &p);
    shrink_buffers(&c, &p);
    if (c.failed)
        goto out;
    if (sf_prog_encode(p, &res->bytes, &res->len) != 0)
        sf_fatal("out of memory encoding the minimized program");
    char *text = prog_text(p);
    res->text = sf_xstrdup(text);
    free(text);
    res->ops_after = p->n_ops;
    res->bytes_after = res->len;
    rc = 0;
out:
    if (rc < 0)
        snprintf(err, errlen, "%s", c.err);
    res->runs = c.runs;
    sf_free(c.tried);
    sf_prog_free(p);
    sf_tool_rmscratch(c.scratch);
    return rc;
}
