/* sf_check.c - checks a spec against the archives (symbols read with nm) and a
 * C header (simple prototypes parsed here): missing or undescribed functions,
 * wrong sides, disagreeing prototypes, and the spec's coverage.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_check.h"
#include "sf_err.h"
#include "sf_gen_int.h"

/* A set of names with an optional side or C prototype each. */
typedef struct symtab {
    char **name;
    char **info; /* canonical prototype, or NULL */
    int *side;
    size_t n, cap;
    int oom;
} symtab;

static void st_add(symtab *t, const char *name, size_t n, int side, const char *info)
{
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        char **nn = sf_realloc(t->name, ncap * sizeof(*nn));
        if (nn)
            t->name = nn;
        char **ni = nn ? sf_realloc(t->info, ncap * sizeof(*ni)) : NULL;
        if (ni)
            t->info = ni;
        int *ns = ni ? sf_realloc(t->side, ncap * sizeof(*ns)) : NULL;
        if (ns == NULL) {
            t->oom = 1;
            return;
        }
        t->side = ns;
        t->cap = ncap;
    }
    char *c = sf_calloc(n + 1);
    char *i = info ? sf_calloc(strlen(info) + 1) : NULL;
    if (c == NULL || (info && i == NULL)) {
        sf_free(c);
        sf_free(i);
        t->oom = 1;
        return;
    }
    memcpy(c, name, n);
    if (info)
        memcpy(i, info, strlen(info));
    t->name[t->n] = c;
    t->info[t->n] = i;
    t->side[t->n] = side;
    t->n++;
}

static long st_find(const symtab *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->name[i], name) == 0)
            return (long)i;
    return -1;
}

static void st_free(symtab *t)
{
    for (size_t i = 0; i < t->n; i++) {
        sf_free(t->name[i]);
        sf_free(t->info[i]);
    }
    sf_free(t->name);
    sf_free(t->info);
    sf_free(t->side);
    memset(t, 0, sizeof(*t));
}

/* ---- C prototypes ------------------------------------------------------ */

/* Canonical form of a C type: identifiers and '*' separated by one space,
 * storage-class words dropped. */
static void canon_type(const char *b, const char *e, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    while (b < e) {
        if (*b == '*') {
            if (o && o + 2 < n)
                out[o++] = ' ';
            if (o + 1 < n)
                out[o++] = '*';
            b++;
            continue;
        }
        if ((*b >= 'a' && *b <= 'z') || (*b >= 'A' && *b <= 'Z') || *b == '_' ||
            (*b >= '0' && *b <= '9')) {
            const char *s = b;
            while (b < e && ((*b >= 'a' && *b <= 'z') || (*b >= 'A' && *b <= 'Z') || *b == '_' ||
                             (*b >= '0' && *b <= '9')))
                b++;
            size_t len = (size_t)(b - s);
            if ((len == 6 && memcmp(s, "extern", 6) == 0) ||
                (len == 6 && memcmp(s, "static", 6) == 0) ||
                (len == 6 && memcmp(s, "inline", 6) == 0))
                continue;
            if (len == 5 && memcmp(s, "_Bool", 5) == 0) {
                s = "bool";
                len = 4;
            }
            if (o && o + 1 < n)
                out[o++] = ' ';
            for (size_t k = 0; k < len && o + 1 < n; k++)
                out[o++] = s[k];
            continue;
        }
        b++;
    }
    out[o] = '\0';
}

static int is_id(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
}

/* Canonical parameter type: the declaration minus its trailing name. */
static void canon_param(const char *b, const char *e, char *out, size_t n)
{
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
        e--;
    const char *name = e;
    while (name > b && is_id((unsigned char)name[-1]))
        name--;
    /* Drop the name only when something other than blanks precedes it. */
    const char *q = name;
    while (q > b && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n'))
        q--;
    if (q > b && name < e)
        e = name;
    canon_type(b, e, out, n);
}

/* Parses one statement "RET NAME(PARAMS)" into a canonical
 * "RET (P1, P2)" string; returns 0 or -1 when it is not a prototype. */
static int parse_proto(const char *b, const char *e, char *name, size_t nn, char *sig, size_t sn)
{
    const char *lp = memchr(b, '(', (size_t)(e - b));
    if (lp == NULL)
        return -1;
    const char *rp = e;
    while (rp > lp && rp[-1] != ')')
        rp--;
    if (rp <= lp + 0 || rp[-1] != ')')
        return -1;
    const char *ne = lp;
    while (ne > b && (ne[-1] == ' ' || ne[-1] == '\t' || ne[-1] == '\n'))
        ne--;
    const char *ns = ne;
    while (ns > b && is_id((unsigned char)ns[-1]))
        ns--;
    if (ns == ne || (size_t)(ne - ns) >= nn)
        return -1;
    /* Reject typedefs and function-pointer declarations. */
    if (strncmp(b, "typedef", 7) == 0 || memchr(b, '{', (size_t)(e - b)))
        return -1;
    memcpy(name, ns, (size_t)(ne - ns));
    name[ne - ns] = '\0';
    char rt[256], pt[256];
    canon_type(b, ns, rt, sizeof(rt));
    if (rt[0] == '\0')
        return -1;
    size_t o = (size_t)snprintf(sig, sn, "%s (", rt);
    const char *p = lp + 1, *end = rp - 1;
    int first = 1;
    while (p < end && o < sn) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        const char *pe = c ? c : end;
        canon_param(p, pe, pt, sizeof(pt));
        if (!(first && !c && strcmp(pt, "void") == 0) && pt[0] != '\0')
            o += (size_t)snprintf(sig + o, sn - o, "%s%s", first ? "" : ", ", pt);
        first = 0;
        p = c ? c + 1 : end;
    }
    if (o < sn)
        snprintf(sig + o, sn - o, ")");
    return 0;
}

/* Reads the prototypes of a header into t.  Returns 0 or SF_EIO. */
static int read_header(const char *path, symtab *t, int *cgo)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return SF_EIO;
    sf_buf b = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && b.len < (16u << 20))
        sf_buf_put(&b, buf, n);
    fclose(f);
    if (b.oom || b.p == NULL) {
        sf_buf_free(&b);
        return b.oom ? SF_ENOMEM : 0;
    }
    if (cgo)
        *cgo = strstr(b.p, "Code generated by cmd/cgo") != NULL;
    /* Blank out comments, preprocessor lines and string literals. */
    char *s = b.p;
    int bol = 1;
    for (size_t i = 0; i < b.len; i++) {
        if (s[i] == '/' && i + 1 < b.len && s[i + 1] == '*') {
            size_t j = i;
            while (j < b.len && !(s[j] == '*' && j + 1 < b.len && s[j + 1] == '/'))
                s[j++] = ' ';
            for (size_t k = j; k < b.len && k < j + 2; k++)
                s[k] = ' ';
            i = j + 1;
            continue;
        }
        if (s[i] == '/' && i + 1 < b.len && s[i + 1] == '/') {
            while (i < b.len && s[i] != '\n')
                s[i++] = ' ';
        } else if (bol && s[i] == '#') {
            while (i < b.len && s[i] != '\n') {
                if (s[i] == '\\' && i + 1 < b.len && s[i + 1] == '\n')
                    s[i++] = ' ';
                s[i++] = ' ';
            }
        } else if (s[i] == '"') {
            /* extern "C" { ... }: drop the string and the brace after it. */
            size_t j = i + 1;
            while (j < b.len && s[j] != '"' && s[j] != '\n')
                j++;
            for (size_t k = i; k <= j && k < b.len; k++)
                s[k] = ' ';
            size_t k = j + 1;
            while (k < b.len && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t'))
                k++;
            if (k < b.len && s[k] == '{')
                s[k] = ' ';
            i = j;
            continue;
        }
        if (i < b.len) {
            if (s[i] == '\n')
                bol = 1;
            else if (s[i] != ' ' && s[i] != '\t')
                bol = 0;
        }
    }
    /* Split at ';' outside braces. */
    int depth = 0;
    size_t st = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (s[i] == '{')
            depth++;
        else if (s[i] == '}') {
            if (depth > 0)
                depth--;
            if (depth == 0)
                st = i + 1;
        } else if (s[i] == ';' && depth == 0) {
            const char *pb = s + st, *pe = s + i;
            while (pb < pe && (*pb == ' ' || *pb == '\n' || *pb == '\t'))
                pb++;
            char name[256], sig[1024];
            if (parse_proto(pb, pe, name, sizeof(name), sig, sizeof(sig)) == 0)
                st_add(t, name, strlen(name), -1, sig);
            st = i + 1;
        }
    }
    sf_buf_free(&b);
    return t->oom ? SF_ENOMEM : 0;
}

/* The spec's own prototype of function fi, canonical. */
static void spec_sig(const sf_seam *s, uint32_t fi, char *sig, size_t n)
{
    const sf__func *f = &s->funcs[fi];
    char rt[256], pt[256], c[256];
    /* The generator's C types: the harness declares exactly these. */
    sf__ret_ctype(s, f, rt, sizeof(rt));
    canon_type(rt, rt + strlen(rt), c, sizeof(c));
    size_t o = (size_t)snprintf(sig, n, "%s (", c);
    for (uint32_t i = 0; i < f->n_params && o < n; i++) {
        sf__param_ctype(s, &f->params[i], pt, sizeof(pt));
        canon_type(pt, pt + strlen(pt), c, sizeof(c));
        o += (size_t)snprintf(sig + o, n - o, "%s%s", i ? ", " : "", c);
    }
    if (o < n)
        snprintf(sig + o, n - o, ")");
}

/* ---- Archives ---------------------------------------------------------- */

static int is_rust_internal(const char *n)
{
    return strncmp(n, "_ZN", 3) == 0 || strncmp(n, "_R", 2) == 0 || strncmp(n, "rust_", 5) == 0 ||
           strncmp(n, "__", 2) == 0 || strchr(n, '.') || strchr(n, '$');
}

static int is_go_internal(const char *n)
{
    return n[0] == '_' || strchr(n, '.') || strncmp(n, "x_cgo", 5) == 0 ||
           strncmp(n, "crosscall", 9) == 0 || strncmp(n, "cgo", 3) == 0 ||
           strcmp(n, "fatalf") == 0 || strncmp(n, "go_", 3) == 0;
}

/* Reads the global text symbols of one archive with nm.  Sets *side to the
 * archive's language as its runtime symbols reveal it. */
static int read_archive(const char *nm, const char *path, symtab *syms, int *side)
{
    FILE *probe = fopen(path, "rb");
    if (probe == NULL)
        return SF_EIO;
    fclose(probe);
    /* Quote the path for the shell: '...' with embedded quotes escaped. */
    sf_buf cmd = {0};
    sf_buf_printf(&cmd, "%s -g --defined-only -P '", nm);
    for (const char *p = path; *p; p++) {
        if (*p == '\'')
            sf_buf_printf(&cmd, "'\\''");
        else
            sf_buf_put(&cmd, p, 1);
    }
    sf_buf_printf(&cmd, "' 2>/dev/null");
    if (cmd.oom) {
        sf_buf_free(&cmd);
        return SF_ENOMEM;
    }
    FILE *f = popen(cmd.p, "r");
    sf_buf_free(&cmd);
    if (f == NULL)
        return SF_EIO;
    char line[4096];
    int go = 0, rust = 0;
    size_t before = syms->n;
    while (fgets(line, sizeof(line), f)) {
        char *sp = strchr(line, ' ');
        if (sp == NULL || sp[1] == '\0')
            continue;
        char type = sp[1];
        *sp = '\0';
        if (strcmp(line, "runtime.main") == 0 || strncmp(line, "_cgo_", 5) == 0)
            go = 1;
        if (strncmp(line, "rust_", 5) == 0 || strncmp(line, "_ZN4core", 8) == 0 ||
            strncmp(line, "_RNv", 4) == 0)
            rust = 1;
        if (type != 'T')
            continue;
        st_add(syms, line, strlen(line), -1, NULL);
    }
    int st = pclose(f);
    if (st != 0 && syms->n == before)
        return SF_EIO;
    *side = go ? SF_SIDE_GO : rust ? SF_SIDE_RUST : SF_SIDE_C;
    for (size_t i = before; i < syms->n; i++)
        syms->side[i] = *side;
    return syms->oom ? SF_ENOMEM : 0;
}

int sf_check_run(const sf_seam *s, const sf_check_opts *o)
{
    FILE *out = o->out ? o->out : stdout;
    const char *nm = o->nm ? o->nm : "nm";
    symtab defs = {0}, exports = {0}, hdr = {0};
    int rc = 0, mismatches = 0;
    for (size_t a = 0; a < o->n_archives && rc == 0; a++) {
        int side = SF_SIDE_C;
        size_t before = defs.n;
        rc = read_archive(nm, o->archives[a], &defs, &side);
        if (rc != 0) {
            fprintf(out,
                    "seamfuzz check: cannot read symbols of %s (is it an archive? is %s "
                    "installed?)\n",
                    o->archives[a], nm);
            break;
        }
        fprintf(out, "archive %s: %s, %zu global functions\n", o->archives[a], sf_side_name(side),
                defs.n - before);
        /* The boundary exports: for Go, the cgo header next to the archive
         * lists them exactly; otherwise filter the runtime's own symbols. */
        symtab cg = {0};
        int cgo = 0;
        if (side == SF_SIDE_GO) {
            char hp[4200];
            size_t pl = strlen(o->archives[a]);
            if (pl > 2 && strcmp(o->archives[a] + pl - 2, ".a") == 0 && pl < 4000) {
                snprintf(hp, sizeof(hp), "%.*s.h", (int)(pl - 2), o->archives[a]);
                if (read_header(hp, &cg, &cgo) != 0 || !cgo) {
                    st_free(&cg);
                    cgo = 0;
                }
            }
        }
        for (size_t i = before; i < defs.n; i++) {
            const char *n = defs.name[i];
            int boundary;
            if (cgo)
                boundary = st_find(&cg, n) >= 0;
            else if (side == SF_SIDE_GO)
                boundary = !is_go_internal(n);
            else
                boundary = !is_rust_internal(n);
            if (boundary && !sf_seam_ignored(s, n) && st_find(&exports, n) < 0)
                st_add(&exports, n, strlen(n), side, NULL);
        }
        st_free(&cg);
    }
    if (rc == 0 && o->header) {
        rc = read_header(o->header, &hdr, NULL);
        if (rc != 0)
            fprintf(out, "seamfuzz check: cannot read header %s\n", o->header);
    }
    if (rc != 0 || defs.oom || exports.oom || hdr.oom) {
        st_free(&defs);
        st_free(&exports);
        st_free(&hdr);
        return rc ? rc : SF_ENOMEM;
    }

    /* Spec -> archives. */
    uint32_t found = 0, needed = 0;
    for (uint32_t i = 0; i < s->n_funcs && o->n_archives; i++) {
        const sf__func *f = &s->funcs[i];
        if (f->side == SF_SIDE_C)
            continue;
        needed++;
        long k = st_find(&defs, f->name);
        if (k < 0) {
            fprintf(out, "MISSING: %s (declared %s in library %s) is not defined in any archive\n",
                    f->name, sf_side_name(f->side), s->libs[f->lib].name);
            mismatches++;
            continue;
        }
        found++;
        if (defs.side[k] != SF_SIDE_C && defs.side[k] != f->side) {
            fprintf(out, "SIDE: %s is declared %s but defined in the %s archive\n", f->name,
                    sf_side_name(f->side), sf_side_name(defs.side[k]));
            mismatches++;
        }
    }
    /* Archives -> spec. */
    uint32_t described = 0;
    for (size_t i = 0; i < exports.n; i++) {
        if (sf__sym_find((sf_seam *)s, exports.name[i]) != NULL &&
            sf__sym_find((sf_seam *)s, exports.name[i])->kind == SF__S_FUNC) {
            described++;
            continue;
        }
        fprintf(out,
                "UNDESCRIBED: %s, exported by the %s archive, is not in the spec (declare it, or "
                "add `ignore \"%s\";`)\n",
                exports.name[i], sf_side_name(exports.side[i]), exports.name[i]);
        mismatches++;
    }
    /* Spec <-> header. */
    uint32_t hdr_ok = 0;
    if (o->header) {
        for (uint32_t i = 0; i < s->n_funcs; i++) {
            long k = st_find(&hdr, s->funcs[i].name);
            if (k < 0) {
                fprintf(out, "HEADER: %s is not declared in %s\n", s->funcs[i].name, o->header);
                mismatches++;
                continue;
            }
            char sig[1024];
            spec_sig(s, i, sig, sizeof(sig));
            if (strcmp(sig, hdr.info[k]) != 0) {
                fprintf(out, "PROTOTYPE: %s: spec says %s, header says %s\n", s->funcs[i].name, sig,
                        hdr.info[k]);
                mismatches++;
            } else {
                hdr_ok++;
            }
        }
        for (size_t k = 0; k < hdr.n; k++) {
            sf__sym *sym = sf__sym_find((sf_seam *)s, hdr.name[k]);
            if ((sym == NULL || sym->kind != SF__S_FUNC) && !sf_seam_ignored(s, hdr.name[k])) {
                fprintf(out, "HEADER: %s, declared in %s, is not in the spec\n", hdr.name[k],
                        o->header);
                mismatches++;
            }
        }
    }
    double cov = exports.n ? 100.0 * described / (double)exports.n : 100.0;
    if (o->n_archives) {
        fprintf(out, "spec functions found in the archives: %u/%u\n", found, needed);
        fprintf(out, "archive exports described by the spec: %u/%zu (coverage %.1f%%)\n", described,
                exports.n, cov);
    }
    if (o->header)
        fprintf(out, "prototypes agreeing with %s: %u/%u\n", o->header, hdr_ok, s->n_funcs);
    fprintf(out, "%s: %d mismatch%s\n", mismatches ? "FAIL" : "OK", mismatches,
            mismatches == 1 ? "" : "es");
    st_free(&defs);
    st_free(&exports);
    st_free(&hdr);
    return mismatches ? 1 : 0;
}
