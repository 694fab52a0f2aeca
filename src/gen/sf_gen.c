/* sf_gen.c - emits the harness C source, the --wrap list and the dictionary
 * of a checked spec, and commits all outputs atomically (temp + rename).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_gen.h"
#include "sf_gen_int.h"
#include "sf_prog.h"

/* ---- C types ----------------------------------------------------------- */

static const sf__res *res_root(const sf_seam *s, int r)
{
    for (int d = 0; d < 64 && s->res[r].parent_idx >= 0; d++)
        r = s->res[r].parent_idx;
    return &s->res[r];
}

const char *sf__res_ctype(const sf_seam *s, int r, int is_const, char *buf, size_t n)
{
    const sf__res *root = res_root(s, r);
    if (root->repr == SF_R_HANDLE)
        snprintf(buf, n, "%s", sf__scalar_ctype(root->hscalar));
    else
        snprintf(buf, n, "%s%s *", is_const ? "const " : "",
                 root->ctype ? root->ctype : root->name);
    return buf;
}

/* C type of parameter p of f, for prototypes. */
const char *sf__param_ctype(const sf_seam *s, const sf__param *p, char *buf, size_t n)
{
    char rb[160];
    switch (p->type.tt) {
    case SF__T_SCALAR:
        if (p->mode == SF_M_OUT)
            snprintf(buf, n, "%s *", sf__scalar_ctype(p->type.scalar));
        else
            snprintf(buf, n, "%s", sf__scalar_ctype(p->type.scalar));
        break;
    case SF__T_NAMED:
        if (p->type.cb >= 0) {
            snprintf(buf, n, "%s", s->cbs[p->type.cb].name);
        } else if (p->type.res >= 0) {
            sf__res_ctype(s, p->type.res, p->type.is_const, rb, sizeof(rb));
            if (p->mode == SF_M_OUT)
                snprintf(buf, n, "%s%s*", rb, rb[strlen(rb) - 1] == '*' ? "" : " ");
            else
                snprintf(buf, n, "%s", rb);
        } else {
            snprintf(buf, n, "%s *", s->layouts[p->type.layout].name);
        }
        break;
    case SF__T_BYTES:
        snprintf(buf, n, p->type.is_mut ? "uint8_t *" : "const uint8_t *");
        break;
    case SF__T_OUTBYTES:
        snprintf(buf, n, "uint8_t *");
        break;
    case SF__T_CSTR:
        snprintf(buf, n, p->type.is_mut ? "char *" : "const char *");
        break;
    case SF__T_EXTENT:
        snprintf(buf, n, p->mode == SF_M_OUT ? "size_t *" : "size_t");
        break;
    case SF__T_USERDATA:
        snprintf(buf, n, "void *");
        break;
    case SF__T_VIEW: /* a callback's parameter */
        snprintf(buf, n, "const uint8_t *");
        break;
    case SF__T_CVIEW:
        snprintf(buf, n, "const char *");
        break;
    default:
        snprintf(buf, n, "size_t");
    }
    return buf;
}

const char *sf__ret_ctype(const sf_seam *s, const sf__func *f, char *buf, size_t n)
{
    switch (f->ret.tt) {
    case SF__T_SCALAR:
        snprintf(buf, n, "%s", sf__scalar_ctype(f->ret.scalar));
        break;
    case SF__T_NAMED:
        sf__res_ctype(s, f->ret.res, 0, buf, n);
        break;
    case SF__T_VIEW:
        if (f->ret.of.name)
            snprintf(buf, n, "const %s *", f->ret.of.name);
        else
            snprintf(buf, n, "const uint8_t *");
        break;
    case SF__T_CVIEW:
        snprintf(buf, n, "const char *");
        break;
    default:
        snprintf(buf, n, "void");
    }
    return buf;
}

int sf__is_ptr_ctype(const char *t)
{
    return t[strlen(t) - 1] == '*';
}

/* Appends "T name" with the pointer star bound to the name. */
static void decl(sf_buf *b, const char *type, const char *name)
{
    if (sf__is_ptr_ctype(type))
        sf_buf_printf(b, "%s%s", type, name);
    else
        sf_buf_printf(b, "%s %s", type, name);
}

static void proto_named(sf_buf *b, const sf_seam *s, const sf__func *f, const char *nm);

/* Prints "RET NAME(PARAMS)" with the given name prefix. */
static void proto(sf_buf *b, const sf_seam *s, const sf__func *f, const char *prefix)
{
    char nm[256];
    snprintf(nm, sizeof(nm), "%s%s", prefix, f->name);
    proto_named(b, s, f, nm);
}

/* Prints "RET NM(PARAMS)" for f's signature under the name (or declarator) nm. */
static void proto_named(sf_buf *b, const sf_seam *s, const sf__func *f, const char *nm)
{
    char rt[160], pt[160];
    sf__ret_ctype(s, f, rt, sizeof(rt));
    decl(b, rt, nm);
    sf_buf_put(b, "(", 1);
    if (f->n_params == 0)
        sf_buf_printf(b, "void");
    for (uint32_t i = 0; i < f->n_params; i++) {
        if (i)
            sf_buf_put(b, ", ", 2);
        decl(b, sf__param_ctype(s, &f->params[i], pt, sizeof(pt)), f->params[i].name);
    }
    sf_buf_put(b, ")", 1);
}

/* The sf_val member a value of C type t travels in. */
static const char *val_member(const sf_seam *s, const sf__param *p)
{
    char pt[160];
    sf__param_ctype(s, p, pt, sizeof(pt));
    if (sf__is_ptr_ctype(pt) || (p->type.tt == SF__T_NAMED && p->type.cb >= 0))
        return "p";
    if (p->type.tt == SF__T_SCALAR)
        return sf__scalar_signed(p->type.scalar) ? "i" : "u";
    if (p->type.tt == SF__T_NAMED && p->type.res >= 0)
        return sf__scalar_signed(res_root(s, p->type.res)->hscalar) ? "i" : "u";
    return "u";
}

static const char *ret_member(const sf_seam *s, const sf__func *f)
{
    char rt[160];
    sf__ret_ctype(s, f, rt, sizeof(rt));
    if (sf__is_ptr_ctype(rt))
        return "p";
    if (f->ret.tt == SF__T_SCALAR)
        return sf__scalar_signed(f->ret.scalar) ? "i" : "u";
    if (f->ret.tt == SF__T_NAMED)
        return sf__scalar_signed(res_root(s, f->ret.res)->hscalar) ? "i" : "u";
    return "u";
}

void sf_gen_c_decl(sf_buf *b, const char *type, const char *name)
{
    decl(b, type, name);
}

const char *sf_gen_res_ctype(const sf_seam *s, int r, char *buf, size_t n)
{
    return sf__res_ctype(s, r, 0, buf, n);
}

const char *sf_gen_param_ctype(const sf_seam *s, uint32_t fi, uint32_t pi, char *buf, size_t n)
{
    if (fi >= s->n_funcs || pi >= s->funcs[fi].n_params) {
        snprintf(buf, n, "void *");
        return buf;
    }
    return sf__param_ctype(s, &s->funcs[fi].params[pi], buf, n);
}

const char *sf_gen_ret_ctype(const sf_seam *s, uint32_t fi, char *buf, size_t n)
{
    if (fi >= s->n_funcs) {
        snprintf(buf, n, "void");
        return buf;
    }
    return sf__ret_ctype(s, &s->funcs[fi], buf, n);
}

/* The function-pointer typedef of every callback type. */
static void emit_cb_typedefs(sf_buf *b, const sf_seam *s)
{
    if (!s->n_cbs)
        return;
    sf_buf_printf(b, "/* ---- Callback types: function pointers passed across. ---- */\n");
    for (uint32_t i = 0; i < s->n_cbs; i++) {
        char nm[160];
        snprintf(nm, sizeof nm, "(*%s)", s->cbs[i].name);
        sf_buf_printf(b, "typedef ");
        proto_named(b, s, &s->cbs[i].sig, nm);
        sf_buf_printf(b, ";\n");
    }
    sf_buf_put(b, "\n", 1);
}

void sf_gen_c_decls(const sf_seam *s, sf_buf *b)
{
    sf_buf_printf(b, "/* ---- Resource types, opaque to C. ---- */\n");
    for (uint32_t r = 0; r < s->n_res; r++) {
        const sf__res *x = &s->res[r];
        if (x->parent_idx < 0 && x->repr == SF_R_PTR && x->ctype == NULL)
            sf_buf_printf(b, "typedef struct %s %s;\n", x->name, x->name);
    }
    /* Layouts in dependency order: a layout after the ones it nests. */
    uint8_t *done = sf_calloc(s->n_layouts ? s->n_layouts : 1);
    if (!done) {
        b->oom = 1;
        return;
    }
    int any = 0;
    for (uint32_t round = 0; round < s->n_layouts; round++) {
        for (uint32_t l = 0; l < s->n_layouts; l++) {
            const sf__layout *L = &s->layouts[l];
            int ready = !done[l];
            for (uint32_t f = 0; ready && f < L->n_fields; f++)
                if (L->fields[f].scalar == SF__SC_NONE && L->fields[f].layout >= 0 &&
                    !done[L->fields[f].layout])
                    ready = 0;
            if (!ready)
                continue;
            done[l] = 1;
            if (L->implicit_scalar)
                continue;
            if (!any)
                sf_buf_printf(b, "\n/* ---- Struct layouts shared across the boundary. ---- */\n");
            any = 1;
            sf_buf_printf(b, "typedef struct %s {\n", L->name);
            for (uint32_t f = 0; f < L->n_fields; f++) {
                const sf__field *F = &L->fields[f];
                const char *t = F->scalar != SF__SC_NONE ? sf__scalar_ctype(F->scalar)
                                                         : s->layouts[F->layout].name;
                sf_buf_printf(b, "    %s %s", t, F->name);
                if (F->count)
                    sf_buf_printf(b, "[%lld]", (long long)F->count);
                sf_buf_printf(b, "; /* offset %u */\n", F->coff);
            }
            sf_buf_printf(b, "} %s;\n", L->name);
            sf_buf_printf(b, "_Static_assert(sizeof(%s) == %u, \"spec: size of %s\");\n", L->name,
                          L->csize, L->name);
        }
    }
    sf_free(done);
    sf_buf_put(b, "\n", 1);
    emit_cb_typedefs(b, s);
    sf_buf_printf(b, "/* ---- Prototypes from the spec. ---- */\n");
    for (uint32_t i = 0; i < s->n_funcs; i++) {
        proto(b, s, &s->funcs[i], "");
        sf_buf_printf(b, ";\n");
    }
}

/* ---- Enum names for the tables ----------------------------------------- */

static const char *kind_name(int k)
{
    static const char *const n[] = {
        "SF_K_VOID",   "SF_K_INT",       "SF_K_UINT",      "SF_K_BOOL",
        "SF_K_RES",    "SF_K_BUF",       "SF_K_LEN",       "SF_K_CSTR",
        "SF_K_OUTBUF", "SF_K_OUTRES",    "SF_K_OUTSTRUCT", "SF_K_PTR",
        "SF_K_EXTENT", "SF_K_OUTEXTENT", "SF_K_CALLBACK",  "SF_K_USERDATA"};
    return k >= 0 && k <= SF_K_USERDATA ? n[k] : "SF_K_VOID";
}

static const char *mode_name(int m)
{
    static const char *const n[] = {"SF_M_NONE", "SF_M_BORROW", "SF_M_CONSUME", "SF_M_TRANSFER",
                                    "SF_M_OUT"};
    return m >= 0 && m <= SF_M_OUT ? n[m] : "SF_M_NONE";
}

static const char *side_const(int side)
{
    return side == SF_SIDE_RUST ? "SF_SIDE_RUST" : side == SF_SIDE_GO ? "SF_SIDE_GO" : "SF_SIDE_C";
}

static const char *err_name(int e)
{
    static const char *const n[] = {"SF_ERR_NONE", "SF_ERR_NEG", "SF_ERR_NULL", "SF_ERR_OBJ"};
    return e >= 0 && e <= SF_ERR_OBJ ? n[e] : "SF_ERR_NONE";
}

static void flag_list(sf_buf *b, unsigned v, const char *const *names, const unsigned *bits,
                      size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (v & bits[i]) {
            sf_buf_printf(b, "%s%s", any ? " | " : "", names[i]);
            any = 1;
        }
    }
    if (!any)
        sf_buf_put(b, "0", 1);
}

static void func_flags(sf_buf *b, unsigned v)
{
    static const char *const n[] = {"SF_F_DESTRUCTOR", "SF_F_PROBE",     "SF_F_NOFUZZ",
                                    "SF_F_PANICS",     "SF_F_INTERCEPT", "SF_F_ERR_CODE",
                                    "SF_F_ERR_MSG",    "SF_F_LAST_ERROR"};
    static const unsigned bits[] = {SF_F_DESTRUCTOR, SF_F_PROBE,    SF_F_NOFUZZ,  SF_F_PANICS,
                                    SF_F_INTERCEPT,  SF_F_ERR_CODE, SF_F_ERR_MSG, SF_F_LAST_ERROR};
    flag_list(b, v, n, bits, 8);
}

static void param_flags(sf_buf *b, unsigned v)
{
    static const char *const n[] = {"SF_P_NULLABLE", "SF_P_REJECT_STALE", "SF_P_REJECT_NULL",
                                    "SF_P_FLAGS",    "SF_P_REJECT_RANGE", "SF_P_CSTRING"};
    static const unsigned bits[] = {SF_P_NULLABLE, SF_P_REJECT_STALE, SF_P_REJECT_NULL,
                                    SF_P_FLAGS,    SF_P_REJECT_RANGE, SF_P_CSTRING};
    flag_list(b, v, n, bits, 6);
}

static void int_lit(sf_buf *b, int64_t v)
{
    if (v == INT64_MIN)
        sf_buf_printf(b, "INT64_MIN");
    else
        sf_buf_printf(b, "%lld", (long long)v);
}

/* The name the spec gives value v (a constant or an enum member; the first
 * one declared when several share it), or NULL. */
static const char *const_name(const sf_seam *s, int64_t v)
{
    const sf__sym *best = NULL;
    for (uint32_t i = 0; i < s->sym_cap; i++) {
        const sf__sym *y = &s->syms[i];
        if (!y->name || (y->kind != SF__S_CONST && y->kind != SF__S_MEMBER) || y->value != v)
            continue;
        if (!best || y->loc.line < best->loc.line ||
            (y->loc.line == best->loc.line && y->loc.col < best->loc.col))
            best = y;
    }
    return best ? best->name : NULL;
}

/* One sf_param_desc initializer (no trailing comma).  Fields that are zero
 * (C's default for the ones left out) are not written; the indexes res, link
 * and layout are, since their "none" is -1. */
static void param_desc(sf_buf *b, const sf_seam *s, const sf_param_desc *q, const char *choices)
{
    sf_buf_printf(b, "{.name = \"%s\"", q->name);
    if (q->kind)
        sf_buf_printf(b, ", .kind = %s", kind_name(q->kind));
    if (q->width)
        sf_buf_printf(b, ", .width = %u", q->width);
    if (q->mode)
        sf_buf_printf(b, ", .mode = %s", mode_name(q->mode));
    if (q->to_side)
        sf_buf_printf(b, ", .to_side = %s", side_const(q->to_side));
    if (q->flags) {
        sf_buf_printf(b, ", .flags = ");
        param_flags(b, q->flags);
    }
    sf_buf_printf(b, ", .res = %d", q->res);
    if (q->res >= 0)
        sf_buf_printf(b, " /* %s */", s->res[q->res].name);
    sf_buf_printf(b, ", .link = %d, .layout = %d", q->link, q->layout);
    /* A callback parameter's `layout` is its callback type (sf_desc.h). */
    if (q->layout >= 0)
        sf_buf_printf(b, " /* %s */",
                      q->kind == SF_K_CALLBACK ? s->cbs[q->layout].name
                                               : s->layouts[q->layout].name);
    if (q->min) {
        sf_buf_printf(b, ", .min = ");
        int_lit(b, q->min);
    }
    if (q->max) {
        sf_buf_printf(b, ", .max = ");
        if (q->kind == SF_K_UINT && q->max == -1)
            sf_buf_printf(b, "-1 /* UINT64_MAX */");
        else
            int_lit(b, q->max);
    }
    if (choices)
        sf_buf_printf(b, ", .choices = %s, .n_choices = %u", choices, q->n_choices);
    sf_buf_put(b, "}", 1);
}

/* ---- The harness ------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static void emit_banner(sf_buf *b, const sf_seam *s, const char *spec, const char *file,
                        const char *what)
{
    sf_buf_printf(b,
                  "/* %s - %s\n"
                  " * GENERATED by `seamfuzz gen` from %s (boundary \"%s\", spec hash 0x%08x).\n"
                  " * DO NOT EDIT: change the spec and regenerate.\n",
                  file, what, base_name(spec), s->boundary, s->hash);
}

static void emit_layouts(sf_buf *b, const sf_seam *s)
{
    sf_buf_printf(b, "/* ---- Struct layouts shared across the boundary: the C view. ---- */\n");
    for (uint32_t i = 0; i < s->n_layouts; i++) {
        const sf__layout *l = &s->layouts[i];
        if (l->implicit_scalar)
            continue;
        sf_buf_printf(b, "typedef struct %s {\n", l->name);
        for (uint32_t k = 0; k < l->n_fields; k++) {
            const sf__field *f = &l->fields[k];
            const char *t = f->scalar ? sf__scalar_ctype(f->scalar) : s->layouts[f->layout].name;
            sf_buf_printf(b, "    %s %s", t, f->name);
            if (f->count)
                sf_buf_printf(b, "[%lld]", (long long)f->count);
            sf_buf_printf(b, "; /* offset %u, size %u */\n", f->coff, f->csize);
        }
        sf_buf_printf(b, "} %s;\n", l->name);
        sf_buf_printf(b, "_Static_assert(sizeof(%s) == %u, \"spec: size of %s\");\n", l->name,
                      l->csize, l->name);
        sf_buf_printf(b, "_Static_assert(_Alignof(%s) == %u, \"spec: align of %s\");\n", l->name,
                      l->calign, l->name);
        for (uint32_t k = 0; k < l->n_fields; k++)
            sf_buf_printf(b, "_Static_assert(offsetof(%s, %s) == %u, \"spec: offset of %s.%s\");\n",
                          l->name, l->fields[k].name, l->fields[k].coff, l->name,
                          l->fields[k].name);
        sf_buf_put(b, "\n", 1);
    }
}

static void emit_stub(sf_buf *b, const sf_seam *s, const sf__func *f)
{
    sf_buf_printf(b, "static void sf_call_%s(const sf_val *a, sf_val *r)\n{\n", f->name);
    if (f->n_params == 0)
        sf_buf_printf(b, "    (void)a;\n");
    const char *callee = (f->flags & SF_F_INTERCEPT) ? "SF_REAL(" : "";
    char rt[160], pt[160];
    sf__ret_ctype(s, f, rt, sizeof(rt));
    if (f->ret.tt == SF__T_VOID)
        sf_buf_printf(b, "    r->u = 0;\n    ");
    else if (sf__is_ptr_ctype(rt))
        sf_buf_printf(b, "    r->p = (void *)");
    else
        sf_buf_printf(b, "    r->%s = (%s)", ret_member(s, f),
                      strcmp(ret_member(s, f), "i") == 0 ? "int64_t" : "uint64_t");
    sf_buf_printf(b, "%s%s%s(", callee, f->name, *callee ? ")" : "");
    for (uint32_t i = 0; i < f->n_params; i++) {
        const sf__param *p = &f->params[i];
        sf__param_ctype(s, p, pt, sizeof(pt));
        if (i)
            sf_buf_put(b, ", ", 2);
        if (strcmp(pt, "bool") == 0)
            sf_buf_printf(b, "a[%u].u != 0", i);
        else
            sf_buf_printf(b, "(%s)a[%u].%s", pt, i, val_member(s, p));
    }
    sf_buf_printf(b, ");\n}\n\n");
}

/* Layout probes in the size/align form (`probe SIDE size F;`) answer the
 * runtime's what-question through a generated adapter; SIZE_MAX is "not
 * reported" (offsets, and whichever form is missing). */
static void emit_probe_adapters(sf_buf *b, const sf_seam *s)
{
    for (uint32_t i = 0; i < s->n_layouts; i++) {
        const sf__layout *l = &s->layouts[i];
        for (int side = 0; side < 3; side++) {
            const char *sz = l->probe_size[side].name, *al = l->probe_align[side].name;
            if (l->probe[side].name || (!sz && !al))
                continue;
            sf_buf_printf(b, "static size_t sf_probe_%s_%s(size_t what)\n{\n", l->name,
                          sf_side_name(side));
            sf_buf_printf(b, "    if (what == 0)\n        return %s%s;\n", sz ? sz : "SIZE_MAX",
                          sz ? "()" : "");
            sf_buf_printf(b, "    if (what == 1)\n        return %s%s;\n", al ? al : "SIZE_MAX",
                          al ? "()" : "");
            sf_buf_printf(b, "    return SIZE_MAX; /* offsets: not reported */\n}\n\n");
        }
    }
}

/* One trampoline per implementation of a callback type: the harness passes
 * it in place of the implementation, so that every call the library makes
 * to it is checked (sf_cb_enter: live user data, re-entry) first. */
static void emit_trampolines(sf_buf *b, const sf_seam *s)
{
    if (s->n_cbs)
        sf_buf_printf(b,
                      "/* ---- Callback trampolines. ---- */\nextern const sf_spec SF_SPEC_%s;\n\n",
                      s->boundary);
    for (uint32_t c = 0; c < s->n_cbs; c++) {
        const sf__cb *cb = &s->cbs[c];
        int ud = -1;
        for (uint32_t p = 0; p < cb->sig.n_params; p++)
            if (cb->sig.params[p].type.tt == SF__T_USERDATA)
                ud = (int)p;
        for (uint32_t k = 0; k < cb->n_impls; k++) {
            const sf__func *impl = &s->funcs[cb->impls[k]];
            char nm[300], rt[160];
            snprintf(nm, sizeof nm, "sf_cb_%s_%s", cb->name, impl->name);
            sf_buf_printf(b, "static ");
            proto_named(b, s, &cb->sig, nm);
            sf_buf_printf(
                b, "\n{\n    uint32_t token = sf_cb_enter(&SF_SPEC_%s, %u /* %s */, %u, %s);\n",
                s->boundary, c, cb->name, k, ud >= 0 ? cb->sig.params[ud].name : "NULL");
            sf__ret_ctype(s, &cb->sig, rt, sizeof rt);
            sf_buf_printf(b, "    ");
            if (cb->sig.ret.tt != SF__T_VOID)
                decl(b, rt, "ret = ");
            sf_buf_printf(b, "%s(", impl->name);
            for (uint32_t p = 0; p < cb->sig.n_params; p++)
                sf_buf_printf(b, "%s%s", p ? ", " : "", cb->sig.params[p].name);
            sf_buf_printf(b, ");\n    sf_cb_exit(token);\n%s}\n\n",
                          cb->sig.ret.tt != SF__T_VOID ? "    return ret;\n" : "");
        }
    }
}

static void emit_shim(sf_buf *b, const sf_seam *s, const sf__func *f, uint32_t idx)
{
    char rt[160], pt[160];
    sf__ret_ctype(s, f, rt, sizeof(rt));
    proto(b, s, f, "__wrap_");
    sf_buf_printf(b, "\n{\n    sf_val a[%u];\n", f->n_params ? f->n_params : 1);
    if (f->n_params == 0)
        sf_buf_printf(b, "    a[0].u = 0;\n");
    for (uint32_t i = 0; i < f->n_params; i++) {
        const sf__param *p = &f->params[i];
        sf__param_ctype(s, p, pt, sizeof(pt));
        const char *m = val_member(s, p);
        sf_buf_printf(b, "    a[%u].%s = (%s)%s;\n", i, m,
                      *m == 'p'   ? "void *"
                      : *m == 'i' ? "int64_t"
                                  : "uint64_t",
                      p->name);
    }
    sf_buf_printf(b, "    uint32_t token = sf_shim_enter(&SF_SPEC_%s, %u /* %s */, a);\n",
                  s->boundary, idx, f->name);
    sf_buf_printf(b, "    sf_val r;\n");
    sf_buf_printf(b, "    ");
    if (f->ret.tt != SF__T_VOID)
        decl(b, rt, "ret = ");
    sf_buf_printf(b, "__real_%s(", f->name);
    for (uint32_t i = 0; i < f->n_params; i++)
        sf_buf_printf(b, "%s%s", i ? ", " : "", f->params[i].name);
    sf_buf_printf(b, ");\n");
    if (f->ret.tt == SF__T_VOID) {
        sf_buf_printf(b, "    r.u = 0;\n");
    } else {
        const char *m = ret_member(s, f);
        sf_buf_printf(b, "    r.%s = (%s)ret;\n", m,
                      *m == 'p'   ? "void *"
                      : *m == 'i' ? "int64_t"
                                  : "uint64_t");
    }
    sf_buf_printf(b, "    sf_shim_exit(token, r);\n");
    if (f->ret.tt != SF__T_VOID)
        sf_buf_printf(b, "    return ret;\n");
    sf_buf_printf(b, "}\n\n");
}

static void emit_harness(sf_buf *b, const sf_seam *s, const char *spec_path)
{
    const sf_spec *sp = s->spec;
    const char *nm = s->boundary;
    char file[256];
    snprintf(file, sizeof(file), "fuzz_%s.c", nm);
    emit_banner(b, s, spec_path, file, "the fuzz harness of one boundary.");
    sf_buf_printf(
        b,
        " *\n"
        " * Prototypes, layouts and descriptor tables below come from the spec alone; the\n"
        " * library header is not included, so `seamfuzz check --header` keeps the two in\n"
        " * step.  Built with -DSF_INTERCEPT and -Wl,--wrap=SYM for every symbol in\n"
        " * %s.wrap, the archives' calls to each other go through the __wrap_ shims at\n"
        " * the end; the harness's own calls use __real_ directly, because the executor\n"
        " * already records them.  Built with -DSF_SPEC_ONLY, only the descriptor tables\n"
        " * remain, without calls into the archives: the AFL++ mutator library's form.\n"
        " */\n"
        "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n\n"
        "#include \"sf_desc.h\"\n#include \"sf_run.h\"\n\n"
        "_Static_assert(sizeof(size_t) == 8 && sizeof(void *) == 8, \"seamfuzz: 64-bit only\");\n\n"
        "#ifdef SF_INTERCEPT\n#define SF_REAL(fn) __real_##fn\n#else\n#define SF_REAL(fn) fn\n"
        "#endif\n"
        "#ifdef SF_SPEC_ONLY\n#define SF_CALL(stub) NULL\n#else\n#define SF_CALL(stub) stub\n"
        "#endif\n\n",
        nm);

    /* Opaque resource types. */
    sf_buf_printf(b, "/* ---- Resource types, opaque to C. ---- */\n");
    for (uint32_t i = 0; i < s->n_res; i++) {
        const sf__res *r = &s->res[i];
        if (r->parent_idx < 0 && r->repr == SF_R_PTR && r->ctype == NULL)
            sf_buf_printf(b, "typedef struct %s %s;\n", r->name, r->name);
    }
    sf_buf_put(b, "\n", 1);
    emit_layouts(b, s);

    emit_cb_typedefs(b, s);

    /* Prototypes grouped by library. */
    sf_buf_printf(b, "/* ---- Prototypes from the spec. ---- */\n");
    for (uint32_t l = 0; l < s->n_libs; l++) {
        sf_buf_printf(b, "/* library %s (%s) */\n", s->libs[l].name, sf_side_name(s->libs[l].side));
        for (uint32_t i = 0; i < s->n_funcs; i++) {
            if (s->funcs[i].lib != (int)l)
                continue;
            proto(b, s, &s->funcs[i], "");
            sf_buf_printf(b, ";\n");
        }
    }
    sf_buf_printf(b, "\n#ifdef SF_INTERCEPT\n/* The real definitions behind -Wl,--wrap. */\n");
    for (uint32_t i = 0; i < s->n_funcs; i++) {
        if (!(s->funcs[i].flags & SF_F_INTERCEPT))
            continue;
        proto(b, s, &s->funcs[i], "__real_");
        sf_buf_printf(b, ";\n");
    }
    sf_buf_printf(b, "#endif\n\n");

    /* Call stubs. */
    sf_buf_printf(b,
                  "#ifndef SF_SPEC_ONLY\n"
                  "/* ---- Call stubs: unpack sf_val arguments, call, store the return. ---- */\n");
    for (uint32_t i = 0; i < s->n_funcs; i++)
        emit_stub(b, s, &s->funcs[i]);
    emit_probe_adapters(b, s);
    emit_trampolines(b, s);
    sf_buf_printf(b, "#endif /* SF_SPEC_ONLY */\n\n");

    /* Resource table. */
    sf_buf_printf(b, "/* ---- Descriptor tables (see src/prog/sf_desc.h). ---- */\n");
    sf_buf_printf(b, "static const sf_res_desc sf_res_%s[] = {\n", nm);
    for (uint32_t i = 0; i < sp->n_res; i++) {
        const sf_res_desc *r = &sp->res[i];
        sf_buf_printf(b,
                      "    /* %u */ {.name = \"%s\", .repr = %s, .owner = %s, .dtor = %d /* %s */, "
                      ".parent = %d, .probe = %d%s%s%s",
                      i, r->name, r->repr == SF_R_HANDLE ? "SF_R_HANDLE" : "SF_R_PTR",
                      side_const(r->owner), r->dtor, r->dtor >= 0 ? sp->funcs[r->dtor].name : "-",
                      r->parent, r->probe, r->probe >= 0 ? " /* " : "",
                      r->probe >= 0 ? sp->funcs[r->probe].name : "", r->probe >= 0 ? " */" : "");
        if (r->invalid)
            sf_buf_printf(b, ", .invalid = 0x%llx", (unsigned long long)r->invalid);
        if (r->align)
            sf_buf_printf(b, ", .align = %u", r->align);
        if (r->size)
            sf_buf_printf(b, ", .size = %u", r->size);
        sf_buf_printf(b, ", .container = %d", r->container);
        if (r->on_close)
            sf_buf_printf(b, " /* %s */, .on_close = %s", sp->res[r->container].name,
                          r->on_close == SF_CLOSE_BUSY ? "SF_CLOSE_BUSY" : "SF_CLOSE_INVALIDATES");
        if (r->on_close == SF_CLOSE_BUSY) {
            sf_buf_printf(b, ", .busy_code = ");
            int_lit(b, r->busy_code);
            const char *cn = const_name(s, r->busy_code);
            if (cn)
                sf_buf_printf(b, " /* %s */", cn);
        }
        sf_buf_printf(b, "},\n");
    }
    if (sp->n_res == 0)
        sf_buf_printf(b, "    {.name = NULL},\n");
    sf_buf_printf(b, "};\n\n");

    /* Per-function parameter tables. */
    char ch[256];
    for (uint32_t i = 0; i < sp->n_funcs; i++) {
        const sf_func_desc *f = &sp->funcs[i];
        for (uint32_t p = 0; p <= f->n_params; p++) {
            const sf_param_desc *q = p < f->n_params ? &f->params[p] : &f->ret;
            if (q->n_choices == 0)
                continue;
            sf_buf_printf(b, "static const int64_t sf_choices_%s_%s[] = {", f->name, q->name);
            for (uint32_t c = 0; c < q->n_choices; c++) {
                if (c)
                    sf_buf_put(b, ", ", 2);
                int_lit(b, q->choices[c]);
            }
            sf_buf_printf(b, "};\n");
        }
        if (f->n_err_codes) {
            sf_buf_printf(b, "static const int64_t sf_errs_%s[] = {", f->name);
            for (uint32_t c = 0; c < f->n_err_codes; c++) {
                if (c)
                    sf_buf_put(b, ", ", 2);
                int_lit(b, f->err_codes[c]);
                const char *cn = const_name(s, f->err_codes[c]);
                if (cn)
                    sf_buf_printf(b, " /* %s */", cn);
            }
            sf_buf_printf(b, "};\n");
        }
        if (f->n_view_until) {
            sf_buf_printf(b, "static const int16_t sf_until_%s[] = {", f->name);
            for (uint32_t c = 0; c < f->n_view_until; c++)
                sf_buf_printf(b, "%s%d /* %s */", c ? ", " : "", f->view_until[c],
                              sp->funcs[f->view_until[c]].name);
            sf_buf_printf(b, "};\n");
        }
        if (f->n_params == 0)
            continue;
        sf_buf_printf(b, "static const sf_param_desc sf_params_%s[] = {\n", f->name);
        for (uint32_t p = 0; p < f->n_params; p++) {
            const sf_param_desc *q = &f->params[p];
            snprintf(ch, sizeof(ch), "sf_choices_%s_%s", f->name, q->name);
            sf_buf_printf(b, "    ");
            param_desc(b, s, q, q->n_choices ? ch : NULL);
            sf_buf_printf(b, ",\n");
        }
        sf_buf_printf(b, "};\n");
    }
    sf_buf_put(b, "\n", 1);

    sf_buf_printf(b, "static const sf_func_desc sf_funcs_%s[] = {\n", nm);
    for (uint32_t i = 0; i < sp->n_funcs; i++) {
        const sf_func_desc *f = &sp->funcs[i];
        sf_buf_printf(b, "    /* %u */ {.name = \"%s\", .side = %s", i, f->name,
                      side_const(f->side));
        if (f->flags) {
            sf_buf_printf(b, ", .flags = ");
            func_flags(b, f->flags);
        }
        if (f->n_params)
            sf_buf_printf(b, ", .n_params = %u, .params = sf_params_%s", f->n_params, f->name);
        sf_buf_printf(b, ", .ret = ");
        snprintf(ch, sizeof(ch), "sf_choices_%s_ret", f->name);
        param_desc(b, s, &f->ret, f->ret.n_choices ? ch : NULL);
        if (f->err_style)
            sf_buf_printf(b, ", .err_style = %s", err_name(f->err_style));
        sf_buf_printf(b, ", .err_param = %d", f->err_param);
        sf_buf_printf(b, ", .err_last = %d", f->err_last);
        if (f->err_last >= 0)
            sf_buf_printf(b, " /* %s */", sp->funcs[f->err_last].name);
        if (f->view_life)
            sf_buf_printf(b, ", .view_life = %s",
                          f->view_life == SF_LIFE_USE ? "SF_LIFE_USE" : "SF_LIFE_FUNCS");
        if (f->n_view_until)
            sf_buf_printf(b, ", .n_view_until = %u, .view_until = sf_until_%s", f->n_view_until,
                          f->name);
        if (f->n_err_codes)
            sf_buf_printf(b, ", .err_codes = sf_errs_%s, .n_err_codes = %u", f->name,
                          f->n_err_codes);
        sf_buf_printf(b, ", .call = SF_CALL(sf_call_%s)},\n", f->name);
    }
    sf_buf_printf(b, "};\n\n");

    /* Layout tables. */
    for (uint32_t i = 0; i < s->n_layouts; i++) {
        const sf__layout *l = &s->layouts[i];
        sf_buf_printf(b, "static const sf_field_desc sf_fields_%s[] = {\n", l->name);
        for (uint32_t k = 0; k < l->n_fields; k++) {
            if (l->implicit_scalar)
                sf_buf_printf(b, "    {.name = \"value\", .offset = 0, .size = sizeof(%s)},\n",
                              sf__scalar_ctype(l->implicit_scalar));
            else
                sf_buf_printf(b,
                              "    {.name = \"%s\", .offset = offsetof(%s, %s), "
                              ".size = sizeof(((%s *)0)->%s)},\n",
                              l->fields[k].name, l->name, l->fields[k].name, l->name,
                              l->fields[k].name);
        }
        sf_buf_printf(b, "};\n");
    }
    if (s->n_layouts) {
        sf_buf_printf(b, "static const sf_layout_desc sf_layouts_%s[] = {\n", nm);
        for (uint32_t i = 0; i < s->n_layouts; i++) {
            const sf__layout *l = &s->layouts[i];
            const char *ct = l->implicit_scalar ? sf__scalar_ctype(l->implicit_scalar) : l->name;
            sf_buf_printf(
                b,
                "    /* %u */ {.name = \"%s\", .size = sizeof(%s), .align = _Alignof(%s), "
                ".n_fields = %u, .fields = sf_fields_%s",
                i, l->name, ct, ct, l->n_fields, l->name);
            if (!sp->layouts[i].probe_name[0] && !sp->layouts[i].probe_name[1] &&
                !sp->layouts[i].probe_name[2]) {
                sf_buf_printf(b, "},\n");
                continue;
            }
            sf_buf_printf(b, ", .probe = {");
            for (int side = 0; side < 3; side++) {
                if (l->probe[side].name)
                    sf_buf_printf(b, "%sSF_CALL(%s)", side ? ", " : "", l->probe[side].name);
                else if (sp->layouts[i].probe_name[side])
                    sf_buf_printf(b, "%sSF_CALL(sf_probe_%s_%s)", side ? ", " : "", l->name,
                                  sf_side_name(side));
                else
                    sf_buf_printf(b, "%sNULL", side ? ", " : "");
            }
            sf_buf_printf(b, "}, .probe_name = {");
            for (int side = 0; side < 3; side++) {
                if (sp->layouts[i].probe_name[side])
                    sf_buf_printf(b, "%s\"%s\"", side ? ", " : "", sp->layouts[i].probe_name[side]);
                else
                    sf_buf_printf(b, "%sNULL", side ? ", " : "");
            }
            sf_buf_printf(b, "}},\n");
        }
        sf_buf_printf(b, "};\n\n");
    }

    for (uint32_t c = 0; c < s->n_cbs; c++) {
        const sf__cb *cb = &s->cbs[c];
        sf_buf_printf(b, "static const int16_t sf_impls_%s[] = {", cb->name);
        for (uint32_t k = 0; k < cb->n_impls; k++)
            sf_buf_printf(b, "%s%d /* %s */", k ? ", " : "", cb->impls[k],
                          s->funcs[cb->impls[k]].name);
        sf_buf_printf(b, "};\nstatic const sf_cb_fn sf_tramps_%s[] = {", cb->name);
        for (uint32_t k = 0; k < cb->n_impls; k++)
            sf_buf_printf(b, "%sSF_CALL((sf_cb_fn)sf_cb_%s_%s)", k ? ", " : "", cb->name,
                          s->funcs[cb->impls[k]].name);
        sf_buf_printf(b, "};\n");
    }
    if (s->n_cbs) {
        sf_buf_printf(b, "static const sf_cb_desc sf_cbs_%s[] = {\n", nm);
        for (uint32_t c = 0; c < s->n_cbs; c++) {
            const sf_cb_desc *cd = &sp->cbs[c];
            sf_buf_printf(b, "    /* %u */ {.name = \"%s\"", c, cd->name);
            if (cd->flags)
                sf_buf_printf(b, ", .flags = %s%s%s",
                              cd->flags & SF_CB_REENTRANT ? "SF_CB_REENTRANT" : "",
                              cd->flags == (SF_CB_REENTRANT | SF_CB_PANICS) ? " | " : "",
                              cd->flags & SF_CB_PANICS ? "SF_CB_PANICS" : "");
            sf_buf_printf(b,
                          ", .ud_param = %d, .n_impls = %u, .impls = sf_impls_%s, "
                          ".tramps = sf_tramps_%s},\n",
                          cd->ud_param, cd->n_impls, cd->name, cd->name);
        }
        sf_buf_printf(b, "};\n\n");
    }

    sf_buf_printf(b, "/* The boundary as the runtime sees it. */\nconst sf_spec SF_SPEC_%s = {\n",
                  nm);
    sf_buf_printf(b, "    .version = SF_DESC_VERSION,\n    .name = \"%s\",\n", nm);
    sf_buf_printf(b, "    .hash = 0x%08xu,\n", sp->hash);
    sf_buf_printf(b, "    .n_res = %u,\n    .res = sf_res_%s,\n", sp->n_res, nm);
    sf_buf_printf(b, "    .n_funcs = %u,\n    .funcs = sf_funcs_%s,\n", sp->n_funcs, nm);
    if (s->n_layouts)
        sf_buf_printf(b, "    .n_layouts = %u,\n    .layouts = sf_layouts_%s,\n", sp->n_layouts,
                      nm);
    if (s->n_cbs)
        sf_buf_printf(b, "    .n_cbs = %u,\n    .cbs = sf_cbs_%s,\n", sp->n_cbs, nm);
    sf_buf_printf(b, "    .gc_func = %d,%s%s%s\n", sp->gc_func, sp->gc_func >= 0 ? " /* " : "",
                  sp->gc_func >= 0 ? sp->funcs[sp->gc_func].name : "",
                  sp->gc_func >= 0 ? " */" : "");
    sf_buf_printf(b, "    .builtins = ");
    static const char *const bn[] = {"SF_B_GO_GC", "SF_B_YIELD", "SF_B_THREAD", "SF_B_STALE"};
    int any = 0;
    for (int k = 0; k < SF_B__COUNT; k++) {
        if (sp->builtins & (1u << k)) {
            sf_buf_printf(b, "%s(1u << %s)", any ? " | " : "", bn[k]);
            any = 1;
        }
    }
    if (!any)
        sf_buf_put(b, "0", 1);
    sf_buf_printf(b, ",\n};\n\n");

    sf_buf_printf(
        b,
        "#ifdef SF_SPEC_ONLY\n"
        "/* The spec, for the AFL++ mutator library (harness/engines/sf_afl_mutator.c). */\n"
        "const sf_spec *sf_harness_spec(void);\n\n"
        "const sf_spec *sf_harness_spec(void)\n{\n    return &SF_SPEC_%s;\n}\n"
        "#else\n",
        nm);
    sf_buf_printf(b,
                  "/* ---- Engine entry points. ---- */\n"
                  "int LLVMFuzzerInitialize(int *argc, char ***argv);\n"
                  "int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);\n\n"
                  "int LLVMFuzzerInitialize(int *argc, char ***argv)\n{\n"
                  "    /* A bad -seam_ flag was reported in one line: stop. */\n"
                  "    if (sf_run_init(&SF_SPEC_%s, argc, argv) != 0)\n"
                  "        exit(1);\n"
                  "    return 0;\n}\n\n"
                  "int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)\n{\n"
                  "    return sf_run_one(&SF_SPEC_%s, data, size);\n}\n\n",
                  nm, nm);
    sf_buf_printf(
        b,
        "/* libFuzzer's structure-aware hooks: mutate and splice at op boundaries. */\n"
        "size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,\n"
        "                               unsigned int seed);\n"
        "size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1,\n"
        "                                 const uint8_t *data2, size_t size2, uint8_t *out,\n"
        "                                 size_t max_out_size, unsigned int seed);\n\n"
        "size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,\n"
        "                               unsigned int seed)\n{\n"
        "    return sf_run_mutate(&SF_SPEC_%s, data, size, max_size, seed);\n}\n\n"
        "size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1,\n"
        "                                 const uint8_t *data2, size_t size2, uint8_t *out,\n"
        "                                 size_t max_out_size, unsigned int seed)\n{\n"
        "    return sf_run_cross_over(&SF_SPEC_%s, data1, size1, data2, size2, out,\n"
        "                             max_out_size, seed);\n}\n"
        "#endif /* SF_SPEC_ONLY */\n\n",
        nm, nm);

    sf_buf_printf(b, "#ifdef SF_INTERCEPT\n/* ---- Linker-wrap shims for the calls between the "
                     "archives. ---- */\n");
    for (uint32_t i = 0; i < s->n_funcs; i++)
        if (s->funcs[i].flags & SF_F_INTERCEPT)
            emit_shim(b, s, &s->funcs[i], i);
    sf_buf_printf(b, "#endif /* SF_INTERCEPT */\n");
}

/* ---- Wrap list and dictionary ------------------------------------------ */

static void emit_wrap(sf_buf *b, const sf_seam *s)
{
    for (uint32_t i = 0; i < s->n_funcs; i++)
        if (s->funcs[i].flags & SF_F_INTERCEPT)
            sf_buf_printf(b, "%s\n", s->funcs[i].name);
}

typedef struct dict {
    sf_buf *b;
    sf_buf seen; /* "\n"-separated values already written */
} dict;

static void dict_add(dict *d, const char *key, const uint8_t *v, size_t n)
{
    sf_buf lit = {0};
    sf_buf_quote(&lit, v, n, SF_ESC_DICT);
    if (lit.oom) {
        d->b->oom = 1;
        return;
    }
    /* Deduplicate by the literal. */
    if (d->seen.p) {
        const char *p = d->seen.p;
        size_t ln = strlen(lit.p);
        while ((p = strstr(p, lit.p)) != NULL) {
            if ((p == d->seen.p || p[-1] == '\n') && p[ln] == '\n') {
                sf_buf_free(&lit);
                return;
            }
            p++;
        }
    }
    sf_buf_printf(&d->seen, "%s\n", lit.p);
    sf_buf_printf(d->b, "%s=%s\n", key, lit.p);
    sf_buf_free(&lit);
}

static void dict_int(dict *d, const char *key, uint64_t v, unsigned width)
{
    uint8_t le[8];
    for (unsigned i = 0; i < width && i < 8; i++)
        le[i] = (uint8_t)(v >> (8 * i));
    dict_add(d, key, le, width);
}

static void emit_dict(sf_buf *b, const sf_seam *s, const char *spec_path)
{
    const sf_spec *sp = s->spec;
    sf_buf_printf(b,
                  "# %s.dict - GENERATED by `seamfuzz gen` from %s (spec hash 0x%08x).\n"
                  "# DO NOT EDIT.  libFuzzer -dict= / AFL++ -x format.\n",
                  s->boundary, base_name(spec_path), s->hash);
    dict d = {.b = b};
    char key[256];
    sf_buf_printf(b, "\n# Magic values declared in the spec.\n");
    for (uint32_t i = 0; i < s->n_magics; i++) {
        snprintf(key, sizeof(key), "magic_%u", i);
        dict_add(&d, key, s->magics[i].p, s->magics[i].len);
    }
    /* The op table: fuzzable functions in spec order, then built-ins. */
    sf_buf_printf(b, "\n# Op selector bytes (an op is table[byte %% n_ops]).\n");
    uint32_t op = 0;
    for (uint32_t i = 0; i < sp->n_funcs; i++) {
        if (sp->funcs[i].flags & (SF_F_PROBE | SF_F_NOFUZZ))
            continue;
        snprintf(key, sizeof(key), "op_%s", sp->funcs[i].name);
        uint8_t v = (uint8_t)op++;
        /* Selectors repeat every n_ops bytes; small ones may collide with
         * values above, so the key keeps each entry unique. */
        dict_add(&d, key, &v, 1);
    }
    static const char *const bn[] = {"gc", "yield", "thread", "stale"};
    for (int k = 0; k < SF_B__COUNT; k++) {
        if (!(sp->builtins & (1u << k)))
            continue;
        snprintf(key, sizeof(key), "op_builtin_%s", bn[k]);
        uint8_t v = (uint8_t)op++;
        dict_add(&d, key, &v, 1);
    }
    sf_buf_printf(b, "\n# Resource argument specials: even >= 0xf8 is null, odd is stale.\n");
    uint8_t sp8 = 0xf8, sp9 = 0xf9;
    dict_add(&d, "res_null", &sp8, 1);
    dict_add(&d, "res_stale", &sp9, 1);
    sf_buf_printf(b, "\n# Invalid sentinels of handle resources.\n");
    for (uint32_t i = 0; i < sp->n_res; i++) {
        if (sp->res[i].repr != SF_R_HANDLE)
            continue;
        snprintf(key, sizeof(key), "invalid_%s", sp->res[i].name);
        dict_int(&d, key, sp->res[i].invalid, sf__scalar_width(res_root(s, (int)i)->hscalar));
    }
    sf_buf_printf(b, "\n# Enum and flag values, range edges of scalar parameters.\n");
    for (uint32_t i = 0; i < sp->n_funcs; i++) {
        const sf_func_desc *f = &sp->funcs[i];
        if (f->flags & (SF_F_PROBE | SF_F_NOFUZZ))
            continue;
        for (uint32_t p = 0; p < f->n_params; p++) {
            const sf_param_desc *q = &f->params[p];
            if (q->kind != SF_K_INT && q->kind != SF_K_UINT)
                continue;
            for (uint32_t c = 0; c < q->n_choices; c++) {
                snprintf(key, sizeof(key), "%s_%s_%u", f->name, q->name, c);
                dict_int(&d, key, (uint64_t)q->choices[c], q->width);
            }
            /* Raw values, as the decoder reads them: the top of the range,
             * and the values just outside a `rejects(range)` one. */
            const sf__type *t = &s->funcs[i].params[p].type;
            uint64_t raw, lo, hi;
            int has_lo, has_hi;
            if (t->has_range && !q->n_choices && sf_param_raw(q, (uint64_t)q->max, &raw) == 0) {
                snprintf(key, sizeof(key), "%s_%s_max", f->name, q->name);
                dict_int(&d, key, raw, q->width);
            }
            if (sf_param_outside(q, &lo, &has_lo, &hi, &has_hi)) {
                if (has_lo && sf_param_raw(q, lo, &raw) == 0) {
                    snprintf(key, sizeof(key), "%s_%s_below", f->name, q->name);
                    dict_int(&d, key, raw, q->width);
                }
                if (has_hi && sf_param_raw(q, hi, &raw) == 0) {
                    snprintf(key, sizeof(key), "%s_%s_above", f->name, q->name);
                    dict_int(&d, key, raw, q->width);
                }
            }
        }
    }
    sf_buf_free(&d.seen);
}

#define GEN_COLS 100 /* the project's column limit, for generated C too */

/* Where a line may break: just past a ", " whose comma is code (not inside
 * a string, a character constant or a comment).  Scans l[from, n) from the
 * lexical state *state (0 code, 1 string, 2 character constant, 3 block
 * comment) and bracket depth *depth, both updated; returns the next break,
 * or n. */
static size_t next_break(const char *l, size_t from, size_t n, int *state, int *depth)
{
    for (size_t i = from; i < n; i++) {
        char c = l[i];
        switch (*state) {
        case 1:
        case 2:
            if (c == '\\')
                i++;
            else if (c == (*state == 1 ? '"' : '\''))
                *state = 0;
            break;
        case 3:
            if (c == '*' && i + 1 < n && l[i + 1] == '/') {
                *state = 0;
                i++;
            }
            break;
        default:
            if (c == '"')
                *state = 1;
            else if (c == '\'')
                *state = 2;
            else if (c == '/' && i + 1 < n && l[i + 1] == '*')
                *state = 3;
            else if (c == '{' || c == '(')
                (*depth)++;
            else if (c == '}' || c == ')')
                (*depth)--;
            else if (c == ',' && i + 1 < n && l[i + 1] == ' ')
                return i + 2;
        }
    }
    return n;
}

/* Appends line l (n bytes, no newline) to out, broken after a ", " of code
 * wherever it would pass GEN_COLS, as late as fits; continuation lines are
 * indented 8 more than the line.  Preprocessor and comment lines, and lines
 * with nowhere to break, stay as they are. */
static void wrap_line(sf_buf *out, const char *l, size_t n)
{
    size_t ind = 0;
    while (ind < n && l[ind] == ' ')
        ind++;
    /* A comment line: a block comment's inner line, or one that opens a
     * comment running to (or past) the line's end. */
    int comment = ind < n && l[ind] == '*';
    if (ind + 1 < n && l[ind] == '/' && l[ind + 1] == '*') {
        const char *close = NULL;
        for (size_t i = ind + 2; i + 1 < n && !close; i++)
            if (l[i] == '*' && l[i + 1] == '/')
                close = l + i;
        comment = !close || close + 2 == l + n;
    }
    if (n <= GEN_COLS || ind == n || l[ind] == '#' || comment) {
        sf_buf_put(out, l, n);
        return;
    }
    size_t at = 0, col = 0; /* the piece starts at l + at, written at column col */
    int state = 0, depth = 0;
    while (n - at + col > GEN_COLS) {
        /* Of the breaks that keep the piece (less its trailing space) within
         * the limit, the last one at the shallowest bracket depth, so that a
         * nested initializer stays whole where it can; else the first. */
        int st = state, dp = depth, st_cut = state, dp_cut = depth, best = 1 << 30;
        size_t cut = 0;
        for (size_t b = next_break(l, at, n, &st, &dp); b < n; b = next_break(l, b, n, &st, &dp)) {
            if (cut && col + (b - 1 - at) > GEN_COLS)
                break;
            if (dp <= best) {
                best = dp;
                cut = b;
                st_cut = st;
                dp_cut = dp;
            }
        }
        if (!cut)
            break;
        sf_buf_put(out, l + at, cut - 1 - at);
        sf_buf_printf(out, "\n%*s", (int)(ind + 8), "");
        col = ind + 8;
        at = cut;
        state = st_cut;
        depth = dp_cut;
    }
    sf_buf_put(out, l + at, n - at);
}

/* Appends text (len bytes) to out line by line through wrap_line. */
static void wrap_text(sf_buf *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        wrap_line(out, text + i, e - i);
        if (nl)
            sf_buf_put(out, "\n", 1);
        i = e + 1;
    }
}

void sf__gen_render(const sf_seam *s, const char *spec_path, sf_buf *harness, sf_buf *wrap,
                    sf_buf *dict)
{
    sf_buf raw = {0};
    emit_harness(&raw, s, spec_path);
    wrap_text(harness, raw.p ? raw.p : "", raw.len);
    harness->oom |= raw.oom;
    sf_buf_free(&raw);
    emit_wrap(wrap, s);
    if (dict)
        emit_dict(dict, s, spec_path);
}

/* ---- Atomic output ----------------------------------------------------- */

typedef struct outfile {
    char path[4096];
    char tmp[4200];
    const sf_buf *data;
} outfile;

static int write_tmp(outfile *o, char *err, size_t errlen)
{
    snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.%ld", o->path, (long)getpid());
    FILE *f = fopen(o->tmp, "wb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot create %s: %s", o->tmp, strerror(errno));
        o->tmp[0] = '\0';
        return SF_EIO;
    }
    size_t n = o->data->len;
    int bad = (n && fwrite(o->data->p, 1, n, f) != n);
    bad |= fclose(f) != 0;
    if (bad) {
        snprintf(err, errlen, "cannot write %s", o->tmp);
        return SF_EIO;
    }
    return 0;
}

static int ensure_dir(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        snprintf(err, errlen, "%s exists and is not a directory", dir);
        return SF_EIO;
    }
    if (mkdir(dir, 0777) != 0) {
        snprintf(err, errlen, "cannot create directory %s: %s", dir, strerror(errno));
        return SF_EIO;
    }
    return 0;
}

/* Removes the regular files of dir and then dir itself (seed dirs are flat). */
static void remove_flat_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        char p[4400];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Writes the seeds into a fresh sibling directory, then swaps it in. */
static int write_corpus(const char *dir, const sf__seed *seeds, size_t n, char *err, size_t errlen)
{
    char tmp[4200], old[4200], p[4400];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", dir, (long)getpid());
    snprintf(old, sizeof(old), "%s.old.%ld", dir, (long)getpid());
    remove_flat_dir(tmp);
    if (mkdir(tmp, 0777) != 0) {
        snprintf(err, errlen, "cannot create directory %s: %s", tmp, strerror(errno));
        return SF_EIO;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(p, sizeof(p), "%s/%s", tmp, seeds[i].name);
        FILE *f = fopen(p, "wb");
        int bad = f == NULL;
        if (f) {
            bad |= seeds[i].len && fwrite(seeds[i].bytes, 1, seeds[i].len, f) != seeds[i].len;
            bad |= fclose(f) != 0;
        }
        if (bad) {
            snprintf(err, errlen, "cannot write %s", p);
            remove_flat_dir(tmp);
            return SF_EIO;
        }
    }
    struct stat st;
    int had = stat(dir, &st) == 0;
    if (had && rename(dir, old) != 0) {
        snprintf(err, errlen, "cannot replace %s: %s", dir, strerror(errno));
        remove_flat_dir(tmp);
        return SF_EIO;
    }
    if (rename(tmp, dir) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, dir, strerror(errno));
        if (had)
            rename(old, dir);
        remove_flat_dir(tmp);
        return SF_EIO;
    }
    if (had)
        remove_flat_dir(old);
    return 0;
}

int sf_gen_run(const sf_seam *s, const sf_gen_opts *o, char *err, size_t errlen)
{
    err[0] = '\0';
    if (sf_seam_spec(s) == NULL) {
        snprintf(err, errlen, "the spec has errors; nothing generated");
        return SF_EINVAL;
    }
    if (o->spec_path == NULL || o->out_dir == NULL) {
        snprintf(err, errlen, "no output directory (-o DIR)");
        return SF_EINVAL;
    }
    sf_buf harness = {0}, wrap = {0}, dictb = {0}, seedtxt = {0};
    sf__seed *seeds = NULL;
    size_t n_seeds = 0;
    outfile files[4];
    unsigned nf = 0;
    int rc = 0;

    sf__gen_render(s, o->spec_path, &harness, &wrap, o->dict_path ? &dictb : NULL);
    /* The spec's `seeds` file, relative to the spec's folder. */
    sf__hand hand = {NULL, NULL, 0};
    char hpath[4096];
    sf_buf htext = {0};
    if (s->seeds) {
        const char *slash = strrchr(o->spec_path, '/');
        if (s->seeds[0] == '/' || slash == NULL)
            snprintf(hpath, sizeof hpath, "%s", s->seeds);
        else
            snprintf(hpath, sizeof hpath, "%.*s/%s", (int)(slash - o->spec_path), o->spec_path,
                     s->seeds);
        FILE *f = fopen(hpath, "rb");
        if (f == NULL) {
            snprintf(err, errlen,
                     "%s:%u:%u: error: cannot read the seeds file %s: %s (hint: the path is "
                     "relative to the spec's folder)",
                     o->spec_path, s->seeds_loc.line, s->seeds_loc.col, hpath, strerror(errno));
            rc = SF_EIO;
        } else {
            char chunk[4096];
            size_t got;
            while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
                sf_buf_put(&htext, chunk, got);
            fclose(f);
            hand.path = hpath;
            hand.text = htext.p ? htext.p : "";
            hand.len = htext.len;
        }
    }
    if (rc == 0)
        rc = sf__seeds_build(s, &hand, o->corpus_dir != NULL, &seedtxt, &seeds, &n_seeds, err,
                             errlen);
    sf_buf_free(&htext);
    if (rc == 0 && (harness.oom || wrap.oom || dictb.oom || seedtxt.oom)) {
        snprintf(err, errlen, "out of memory");
        rc = SF_ENOMEM;
    }
    if (rc == 0)
        rc = ensure_dir(o->out_dir, err, errlen);
    if (rc == 0) {
        memset(files, 0, sizeof(files));
        snprintf(files[nf].path, sizeof(files[nf].path), "%s/fuzz_%s.c", o->out_dir, s->boundary);
        files[nf++].data = &harness;
        snprintf(files[nf].path, sizeof(files[nf].path), "%s/%s.wrap", o->out_dir, s->boundary);
        files[nf++].data = &wrap;
        snprintf(files[nf].path, sizeof(files[nf].path), "%s/seeds_%s.txt", o->out_dir,
                 s->boundary);
        files[nf++].data = &seedtxt;
        if (o->dict_path) {
            snprintf(files[nf].path, sizeof(files[nf].path), "%s", o->dict_path);
            files[nf++].data = &dictb;
        }
        for (unsigned i = 0; i < nf && rc == 0; i++)
            rc = write_tmp(&files[i], err, errlen);
        if (rc == 0 && o->corpus_dir)
            rc = write_corpus(o->corpus_dir, seeds, n_seeds, err, errlen);
        for (unsigned i = 0; i < nf; i++) {
            if (files[i].tmp[0] == '\0')
                continue;
            if (rc == 0 && rename(files[i].tmp, files[i].path) != 0) {
                snprintf(err, errlen, "cannot rename %s: %s", files[i].tmp, strerror(errno));
                rc = SF_EIO;
            }
            if (rc != 0)
                unlink(files[i].tmp);
        }
    }
    sf_buf_free(&harness);
    sf_buf_free(&wrap);
    sf_buf_free(&dictb);
    sf_buf_free(&seedtxt);
    sf__seeds_free(seeds, n_seeds);
    return rc;
}
