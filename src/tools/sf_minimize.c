/* sf_minimize.c - delta debugging over the ops of a program, then over its
 * buffers, keeping the crash signature; see sf_minimize.h. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "sf_minimize.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
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
                   sf_report *rep)
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
    sf_report r;
    sig[0] = 0;
    if (sf_report_parse(ch.out, ch.len, &r))
        snprintf(sig, n, "%s", r.sig);
    else if (sf_child_crashed(&ch))
        sf_report_crash_sig(ch.timed_out, ch.status, sig, n);
    if (rep)
        *rep = r;
    sf_free(ch.out);
    return 0;
}

/* Parses and encodes text; 1 if it still crashes with the wanted signature.
 * On success, *bytes (when not NULL) receives the encoding (sf_free). */
static int interesting(min_ctx *c, const char *text, uint8_t **bytes, size_t *blen)
{
    if (c->failed || c->runs >= c->max_runs)
        return 0;
    sf_prog *p = NULL;
    char perr[256];
    if (sf_prog_parse(c->o->spec, &c->o->lim, text, strlen(text), &p, perr, sizeof(perr)) != 0) {
        sf_prog_free(p);
        return 0; /* not a program any byte string decodes to */
    }
    uint8_t *b = NULL;
    size_t n = 0;
    int rc = sf_prog_encode(p, &b, &n);
    sf_prog_free(p);
    if (rc != 0)
        return 0;
    uint32_t h = fnv(b, n);
    for (size_t i = 0; i < c->n_tried; i++)
        if (c->tried[i] == h) {
            sf_free(b);
            return 0;
        }
    char sig[SF_SIG_MAX];
    if (run_sig(c, b, n, sig, sizeof(sig), NULL) != 0) {
        sf_free(b);
        return 0;
    }
    int ok = strcmp(sig, c->want) == 0;
    if (c->o->log)
        fprintf(c->o->log, "minimize: run %u: %zu bytes -> %s%s\n", c->runs, n,
                sig[0] ? sig : "no crash", ok ? " (kept)" : "");
    if (!ok) {
        if (c->n_tried == c->cap_tried) {
            c->cap_tried = c->cap_tried ? c->cap_tried * 2 : 64;
            c->tried = sf_xrealloc(c->tried, c->cap_tried * sizeof(uint32_t));
        }
        c->tried[c->n_tried++] = h;
        sf_free(b);
        return 0;
    }
    if (bytes) {
        *bytes = b;
        *blen = n;
    } else {
        sf_free(b);
    }
    return 1;
}

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Skips a string literal starting at the quote s[0]; returns the index just
 * past its closing quote (or the end of the line). */
static size_t skip_string(const char *s, size_t i)
{
    for (i++; s[i] && s[i] != '"'; i++)
        if (s[i] == '\\' && s[i + 1])
            i++;
    return s[i] ? i + 1 : i;
}

char *sf_min_join(char *const *lines, const uint8_t *keep, uint32_t n)
{
    /* map[old slot] = new slot + 1 (0 = not defined by a kept line). */
    uint32_t cap = 64;
    uint32_t *map = sf_xcalloc(cap * sizeof(uint32_t));
    uint32_t next = 0;
    sf_buf out = {0};
    sf_buf_printf(&out, "# minimized\n");
    for (uint32_t li = 0; li < n; li++) {
        if (!keep[li])
            continue;
        const char *s = lines[li];
        for (size_t i = 0; s[i];) {
            if (s[i] == '"') {
                size_t j = skip_string(s, i);
                sf_buf_put(&out, s + i, j - i);
                i = j;
                continue;
            }
            int at_word = s[i] == 'r' && (i == 0 || !ident_char(s[i - 1])) &&
                          isdigit((unsigned char)s[i + 1]);
            if (!at_word) {
                sf_buf_put(&out, s + i, 1);
                i++;
                continue;
            }
            size_t j = i + 1;
            unsigned long old = 0;
            while (isdigit((unsigned char)s[j]) && old < 1000000)
                old = old * 10 + (unsigned long)(s[j++] - '0');
            if (ident_char(s[j])) { /* an identifier like r2x: not a slot */
                sf_buf_put(&out, s + i, j - i);
                i = j;
                continue;
            }
            int def = (i > 0 && s[i - 1] == '&') || (i == 0 && strncmp(s + j, " = ", 3) == 0);
            while (old >= cap) {
                map = sf_xrealloc(map, cap * 2 * sizeof(uint32_t));
                memset(map + cap, 0, cap * sizeof(uint32_t));
                cap *= 2;
            }
            if (def) {
                map[old] = ++next;
            } else if (map[old] == 0) {
                sf_free(map);
                sf_buf_free(&out);
                return NULL;
            }
            sf_buf_printf(&out, "r%u", map[old] - 1);
            i = j;
        }
        sf_buf_put(&out, "\n", 1);
    }
    sf_free(map);
    return out.p;
}

/* ---- string literals of the text form --------------------------------- */

/* Decodes the literal at s[i] (a quote) into bytes (sf_free); *end is the
 * index past the closing quote.  Returns the byte count. */
static size_t lit_decode(const char *s, size_t i, uint8_t **bytes, size_t *end)
{
    size_t cap = strlen(s + i) + 1, n = 0;
    uint8_t *b = sf_xcalloc(cap);
    for (i++; s[i] && s[i] != '"'; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' && s[i + 1]) {
            i++;
            switch (s[i]) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'x': {
                char hex[3] = {s[i + 1], s[i + 1] ? s[i + 2] : 0, 0};
                c = (unsigned char)strtoul(hex, NULL, 16);
                i += 2;
                break;
            }
            default:
                c = (unsigned char)s[i];
            }
        }
        b[n++] = c;
    }
    *end = s[i] ? i + 1 : i;
    *bytes = b;
    return n;
}

/* Appends bytes as a literal in the escapes sf_prog_print uses. */
static void lit_encode(sf_buf *b, const uint8_t *p, size_t n)
{
    sf_buf_quote(b, p, n, SF_ESC_TEXT);
}

/* Position of the k-th shrinkable item of line s: a string literal or the N
 * of "out[N]".  Writes its span [*a, *b) and kind (1 literal, 2 out[N]).
 * Returns 0 when there is no k-th item. */
static int find_item(const char *s, int k, size_t *a, size_t *b, int *kind)
{
    int seen = 0;
    for (size_t i = 0; s[i];) {
        if (s[i] == '"') {
            size_t j = skip_string(s, i);
            if (seen++ == k) {
                *a = i, *b = j, *kind = 1;
                return 1;
            }
            i = j;
        } else if (strncmp(s + i, "out[", 4) == 0 && (i == 0 || !ident_char(s[i - 1]))) {
            size_t j = i + 4;
            while (isdigit((unsigned char)s[j]))
                j++;
            if (seen++ == k) {
                *a = i + 4, *b = j, *kind = 2;
                return 1;
            }
            i = j;
        } else {
            i++;
        }
    }
    return 0;
}

/* Replaces span [a, b) of *line with rep (sf_buf contents). */
static char *splice(const char *line, size_t a, size_t b, const char *rep, size_t rn)
{
    sf_buf o = {0};
    sf_buf_put(&o, line, a);
    sf_buf_put(&o, rep, rn);
    sf_buf_put(&o, line + b, strlen(line + b));
    return o.p;
}

/* Tries line li with item k replaced by a version of length len; keeps the
 * change and returns 1 when the program is still interesting. */
static int try_len(min_ctx *c, char **lines, const uint8_t *keep, uint32_t n, uint32_t li, int k,
                   size_t len)
{
    size_t a, b;
    int kind;
    if (!find_item(lines[li], k, &a, &b, &kind))
        return 0;
    sf_buf rep = {0};
    if (kind == 1) {
        uint8_t *bytes;
        size_t e;
        size_t have = lit_decode(lines[li], a, &bytes, &e);
        lit_encode(&rep, bytes, len < have ? len : have);
        sf_free(bytes);
    } else {
        sf_buf_printf(&rep, "%zu", len);
    }
    char *old = lines[li];
    lines[li] = splice(old, a, b, rep.p, rep.len);
    sf_buf_free(&rep);
    char *text = sf_min_join(lines, keep, n);
    int ok = text && interesting(c, text, NULL, NULL);
    sf_free(text);
    if (ok) {
        sf_free(old);
    } else {
        sf_free(lines[li]);
        lines[li] = old;
    }
    return ok;
}

/* Current length of item k of line li (bytes of a literal, N of out[N]). */
static size_t item_len(const char *line, int k)
{
    size_t a, b, e;
    int kind;
    if (!find_item(line, k, &a, &b, &kind))
        return 0;
    if (kind == 2)
        return (size_t)strtoull(line + a, NULL, 10);
    uint8_t *bytes;
    size_t n = lit_decode(line, a, &bytes, &e);
    sf_free(bytes);
    return n;
}

/* Shrinks every buffer: from the end, by halving steps. */
static void shrink_buffers(min_ctx *c, char **lines, const uint8_t *keep, uint32_t n)
{
    for (uint32_t li = 0; li < n; li++) {
        if (!keep[li])
            continue;
        for (int k = 0; k < SF_MAX_PARAMS; k++) {
            size_t a, b;
            int kind;
            if (!find_item(lines[li], k, &a, &b, &kind))
                break;
            size_t len = item_len(lines[li], k);
            if (len == 0 || try_len(c, lines, keep, n, li, k, 0))
                continue;
            for (size_t cut = len / 2; cut >= 1; cut /= 2)
                while (len > cut && try_len(c, lines, keep, n, li, k, len - cut))
                    len -= cut;
        }
    }
}

/* Classic ddmin over the kept ops (complements of n chunks), then single ops
 * from the end until nothing more can go. */
static void drop_ops(min_ctx *c, char **lines, uint8_t *keep, uint32_t n)
{
    uint8_t *cand = sf_xcalloc(n ? n : 1);
    uint32_t *idx = sf_xcalloc((n ? n : 1) * sizeof(uint32_t));
    uint32_t gran = 2;
    for (;;) {
        uint32_t cnt = 0;
        for (uint32_t i = 0; i < n; i++)
            if (keep[i])
                idx[cnt++] = i;
        if (cnt < 2 || c->failed || c->runs >= c->max_runs)
            break;
        if (gran > cnt)
            gran = cnt;
        uint32_t chunk = (cnt + gran - 1) / gran;
        int reduced = 0;
        for (uint32_t st = 0; st < cnt && !reduced; st += chunk) {
            memcpy(cand, keep, n);
            for (uint32_t j = st; j < st + chunk && j < cnt; j++)
                cand[idx[j]] = 0;
            char *text = sf_min_join(lines, cand, n);
            if (text && interesting(c, text, NULL, NULL)) {
                memcpy(keep, cand, n);
                gran = gran > 2 ? gran - 1 : 2;
                reduced = 1;
            }
            sf_free(text);
        }
        if (!reduced) {
            if (gran >= cnt)
                break;
            gran = gran * 2 < cnt ? gran * 2 : cnt;
        }
    }
    for (int changed = 1; changed && !c->failed;) {
        changed = 0;
        for (uint32_t i = n; i-- > 0;) {
            if (!keep[i])
                continue;
            memcpy(cand, keep, n);
            cand[i] = 0;
            char *text = sf_min_join(lines, cand, n);
            if (text && interesting(c, text, NULL, NULL)) {
                keep[i] = 0;
                changed = 1;
            }
            sf_free(text);
        }
    }
    sf_free(idx);
    sf_free(cand);
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
    char **lines = NULL;
    uint8_t *keep = NULL;
    sf_report rep;

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
    uint32_t n = p->n_ops;
    res->ops_before = n;
    res->bytes_before = len;
    lines = sf_xcalloc((n ? n : 1) * sizeof(char *));
    keep = sf_xcalloc(n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        lines[i] = sf_op_text(p, i);
        keep[i] = 1;
    }

    /* 2. The canonical encoding of the whole program must keep the crash. */
    char *text = sf_min_join(lines, keep, n);
    uint8_t *best = NULL;
    size_t best_len = 0;
    if (text == NULL || !interesting(&c, text, &best, &best_len)) {
        sf_free(text);
        if (!c.failed)
            snprintf(c.err, sizeof(c.err),
                     "the re-encoded program does not crash with %s (is --spec the spec of the "
                     "binary, and are --limits those of the fuzzing run?)",
                     res->sig);
        goto out;
    }
    sf_free(text);
    sf_free(best);

    /* 3. Drop ops, then shrink buffers. */
    drop_ops(&c, lines, keep, n);
    shrink_buffers(&c, lines, keep, n);
    if (c.failed)
        goto out;

    text = sf_min_join(lines, keep, n);
    sf_prog *q = NULL;
    char perr[256];
    if (text == NULL ||
        sf_prog_parse(o->spec, &o->lim, text, strlen(text), &q, perr, sizeof(perr)) != 0 ||
        sf_prog_encode(q, &res->bytes, &res->len) != 0) {
        sf_free(text);
        sf_prog_free(q);
        snprintf(c.err, sizeof(c.err), "internal error: the minimized program does not parse");
        goto out;
    }
    res->ops_after = q->n_ops;
    res->bytes_after = res->len;
    res->text = text;
    sf_prog_free(q);
    rc = 0;
out:
    if (rc < 0)
        snprintf(err, errlen, "%s", c.err);
    res->runs = c.runs;
    for (uint32_t i = 0; lines && p && i < p->n_ops; i++)
        sf_free(lines[i]);
    sf_free(lines);
    sf_free(keep);
    sf_free(c.tried);
    sf_prog_free(p);
    sf_tool_rmscratch(c.scratch);
    return rc;
}
