/* sf_cprog.c - emits a decoded program as a standalone C file: one function
 * per op, resources in variables r0, r1 ..., inputs as static arrays copied
 * into exact-size heap blocks the way the runtime passes them, the contract
 * checks that need no shadow model, teardown and the live-count probes.
 *
 * C types come from the spec's syntax tree (sf_spec_int.h) so the prototypes
 * are exactly those of the generated harness, which `seamfuzz check --header`
 * keeps in step with the library's header.
 */
#define _POSIX_C_SOURCE 200809L
#include "sf_cprog.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_gen_int.h"
#include "sf_spec_int.h"

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "?";
}

/* ---- C types (the same rules as the harness generator) ---------------- */

static void param_ctype(const sf_seam *s, const sf__param *p, char *buf, size_t n)
{
    char rb[160];
    switch (p->type.tt) {
    case SF__T_SCALAR:
        snprintf(buf, n, "%s%s", sf__scalar_ctype(p->type.scalar), p->mode == SF_M_OUT ? " *" : "");
        break;
    case SF__T_NAMED:
        if (p->type.res >= 0) {
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
        snprintf(buf, n, "const uint8_t *");
        break;
    case SF__T_OUTBYTES:
        snprintf(buf, n, "uint8_t *");
        break;
    case SF__T_CSTR:
        snprintf(buf, n, "const char *");
        break;
    default:
        snprintf(buf, n, "size_t");
    }
}

static void ret_ctype(const sf_seam *s, const sf__func *f, char *buf, size_t n)
{
    switch (f->ret.tt) {
    case SF__T_SCALAR:
        snprintf(buf, n, "%s", sf__scalar_ctype(f->ret.scalar));
        break;
    case SF__T_NAMED:
        sf__res_ctype(s, f->ret.res, 0, buf, n);
        break;
    case SF__T_VIEW:
        snprintf(buf, n, "const uint8_t *");
        break;
    case SF__T_CVIEW:
        snprintf(buf, n, "const char *");
        break;
    default:
        snprintf(buf, n, "void");
    }
}

static int is_ptr(const char *t)
{
    return t[strlen(t) - 1] == '*';
}

/* "T name" with the star bound to the name. */
static void decl(sf_buf *b, const char *type, const char *name)
{
    sf_buf_printf(b, is_ptr(type) ? "%s%s" : "%s %s", type, name);
}

/* The C expression of resource type r's invalid sentinel. */
static void invalid_expr(const sf_seam *s, const sf_spec *sp, int r, char *buf, size_t n)
{
    char t[160];
    sf__res_ctype(s, r, 0, t, sizeof(t));
    uint64_t v = sp->res[r].invalid;
    if (sp->res[r].repr == SF_R_PTR)
        snprintf(buf, n, v ? "(%s)(uintptr_t)0x%" PRIx64 "u" : "NULL", t, v);
    else
        snprintf(buf, n, "(%s)0x%" PRIx64 "u", t, v);
}

/* Appends bytes as C string literal pieces: octal escapes (never greedy),
 * '?' escaped against trigraphs, a new piece every 48 bytes. */
static void c_string(sf_buf *b, const uint8_t *p, size_t n, const char *indent)
{
    sf_buf_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (i && i % 48 == 0)
            sf_buf_printf(b, "\"\n%s\"", indent);
        if (c == '"' || c == '\\' || c == '?')
            sf_buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            sf_buf_printf(b, "\\%03o", c);
        else
            sf_buf_put(b, &c, 1);
    }
    sf_buf_put(b, "\"", 1);
}

/* Appends s to a comment: a "*" followed by "/" gets a space between. */
static void comment_text(sf_buf *b, const char *s)
{
    for (; *s; s++) {
        sf_buf_put(b, s, 1);
        if (s[0] == '*' && s[1] == '/')
            sf_buf_put(b, " ", 1);
    }
}

/* Appends the text form of op i as a comment body ("* /" cannot end it). */
static void op_comment(sf_buf *b, const sf_prog *p, uint32_t i)
{
    char *t = NULL;
    size_t tn = 0;
    FILE *f = open_memstream(&t, &tn);
    if (f == NULL)
        sf_fatal("out of memory");
    sf_prog_print_op(p, i, f);
    fclose(f);
    for (size_t k = 0; k < tn; k++) {
        sf_buf_put(b, &t[k], 1);
        if (t[k] == '*' && t[k + 1] == '/')
            sf_buf_put(b, " ", 1);
    }
    free(t); /* open_memstream's buffer comes from malloc */
}

/* The first resource parameter of a destructor, and consume/transfer, kill
 * the slot passed (when the call succeeds). */
static int consumes(const sf_func_desc *fd, int j)
{
    const sf_param_desc *q = &fd->params[j];
    if (q->kind != SF_K_RES)
        return 0;
    if (q->mode == SF_M_CONSUME || q->mode == SF_M_TRANSFER)
        return 1;
    if (fd->flags & SF_F_DESTRUCTOR) {
        for (int k = 0; k < j; k++)
            if (fd->params[k].kind == SF_K_RES)
                return 0;
        return 1;
    }
    return 0;
}

/* Alignment a pointer of resource r must have (its own or inherited). */
static uint32_t res_align(const sf_spec *sp, int r)
{
    for (int d = 0; d < 64 && r >= 0 && r < sp->n_res; d++) {
        if (sp->res[r].align)
            return sp->res[r].align;
        r = sp->res[r].parent;
    }
    return 0;
}

/* ---- the file ----------------------------------------------------------- */

static void emit_banner(sf_buf *b, const sf_seam *s, const sf_prog *p, const sf_cprog_opts *o)
{
    const sf_spec *sp = sf_seam_spec(s);
    const char *out = o->out_name ? base_name(o->out_name) : "repro.c";
    char exe[128];
    snprintf(exe, sizeof(exe), "%s", out);
    char *dot = strrchr(exe, '.');
    if (dot && strcmp(dot, ".c") == 0)
        *dot = 0;
    sf_buf_printf(b,
                  "/* %s - testcase %s (%zu bytes, %u ops) replayed as straight-line C calls\n"
                  " * against the %s API.\n"
                  " * GENERATED by `seamfuzz cprog` from %s (boundary \"%s\", spec hash 0x%08x).\n"
                  " * Edit freely: it needs nothing of seamfuzz, only the two archives.\n"
                  " *\n"
                  " * Build: link the archives the fuzz binary was linked with (the Go archive\n"
                  " * calls the Rust one, hence the group):\n"
                  " *   clang -g -O0 -fsanitize=fuzzer-no-link,address,undefined %s -o %s \\\n"
                  " *     -Wl,--start-group",
                  out, base_name(o->testcase), o->testcase_len, p->n_ops, sp->name,
                  base_name(o->spec_path), sp->name, sp->hash, out, exe);
    if (o->n_archives == 0)
        sf_buf_printf(b, " GO_ARCHIVE.a RUST_ARCHIVE.a");
    for (size_t i = 0; i < o->n_archives; i++) {
        sf_buf_put(b, " ", 1);
        comment_text(b, o->archives[i]);
    }
    sf_buf_printf(
        b,
        " -Wl,--end-group -lpthread -ldl -lm\n"
        " * (in a build tree the archives are seam/go-<pkg>/libgo.a and\n"
        " * seam/rust-<crate>/[<target>/]release/lib<crate>.a; with the standalone\n"
        " * preset's archives `fuzzer-no-link` may be dropped.)\n"
        " * Run it with the Go settings the fuzzing runtime uses:\n"
        " *   GOTRACEBACK=crash GOGC=50 GODEBUG=cgocheck=1 ./%s\n"
        " *\n"
        " * Each op is a function op_N (break on it in gdb); r0, r1 ... are the program's\n"
        " * resource slots, rN_st their state.  Inputs are exact-size heap copies freed\n"
        " * right after the call, outputs exact-size blocks filled with 0xbe, as in the\n"
        " * harness, so the sanitizers see what the fuzzer saw.  The checks that need no\n"
        " * shadow model are replayed (SF-103/104 a stale or null value accepted, SF-105 an\n"
        " * undeclared error code, SF-140 a misaligned pointer, SF-120 live-count probes\n"
        " * after teardown) and print a SEAMFUZZ-CPROG line; model-only checks (SF-101,\n"
        " * 102, 106-110, 121, 160) are not, though a sanitizer still sees the memory\n"
        " * errors behind most of them.  Prints CPROG-OK when it ran clean.\n"
        " */\n",
        exe);
}

static void emit_types(sf_buf *b, const sf_seam *s)
{
    sf_buf_printf(b, "#define _POSIX_C_SOURCE 200809L\n"
                     "#include <pthread.h>\n#include <sched.h>\n#include <stdbool.h>\n"
                     "#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n"
                     "#include <stdlib.h>\n#include <string.h>\n\n");
    sf_buf_printf(b, "/* ---- Resource types, opaque to C. ---- */\n");
    for (uint32_t r = 0; r < s->n_res; r++) {
        const sf__res *x = &s->res[r];
        if (x->parent_idx < 0 && x->repr == SF_R_PTR && x->ctype == NULL)
            sf_buf_printf(b, "typedef struct %s %s;\n", x->name, x->name);
    }
    /* Layouts in dependency order: a layout after the ones it nests. */
    uint8_t *done = sf_xcalloc(s->n_layouts ? s->n_layouts : 1);
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
    sf_buf_printf(b, "\n/* ---- Prototypes from the spec. ---- */\n");
    for (uint32_t i = 0; i < s->n_funcs; i++) {
        const sf__func *f = &s->funcs[i];
        char rt[160], pt[160];
        ret_ctype(s, f, rt, sizeof(rt));
        decl(b, rt, f->name);
        sf_buf_put(b, "(", 1);
        if (f->n_params == 0)
            sf_buf_printf(b, "void");
        for (uint32_t j = 0; j < f->n_params; j++) {
            if (j)
                sf_buf_put(b, ", ", 2);
            param_ctype(s, &f->params[j], pt, sizeof(pt));
            decl(b, pt, f->params[j].name);
        }
        sf_buf_printf(b, ");\n");
    }
}

static void emit_helpers(sf_buf *b)
{
    sf_buf_printf(
        b,
        "\n/* ---- Helpers. ---- */\n"
        "enum { EMPTY = 0, LIVE, DEAD }; /* slot states: not made (or failed), usable, freed */\n\n"
        "/* An exact-size heap copy of n input bytes (plus extra zero bytes). */\n"
        "__attribute__((unused)) static void *cprog_in(const void *data, size_t n, size_t "
        "extra)\n{\n"
        "    unsigned char *p = malloc(n + extra);\n"
        "    if (p == NULL && n + extra)\n        abort();\n"
        "    if (n)\n        memcpy(p, data, n);\n"
        "    if (extra)\n        memset(p + n, 0, extra);\n"
        "    return p;\n}\n\n"
        "/* An exact-size output block filled with 0xbe. */\n"
        "__attribute__((unused)) static void *cprog_out(size_t n)\n{\n"
        "    void *p = malloc(n);\n"
        "    if (p == NULL && n)\n        abort();\n"
        "    if (n)\n        memset(p, 0xbe, n);\n"
        "    return p;\n}\n\n"
        "/* A contract violation: one report line, then abort like the runtime. */\n"
        "__attribute__((unused)) static void cprog_violation(int id, int op, const char *fn, const "
        "char *what)\n{\n"
        "    fprintf(stderr, \"SEAMFUZZ-CPROG: SF-%%d %%s\\nFUNCTION: %%s\\nOP: %%d\\n\", id, "
        "what, fn, op);\n"
        "    abort();\n}\n\n"
        "__attribute__((unused)) static void cprog_skip(int op, const char *slot)\n{\n"
        "    fprintf(stderr, \"op %%d: skipped (%%s is not live)\\n\", op, slot);\n}\n\n"
        "static void (*cprog_thread_fn)(void);\n"
        "static void *cprog_thread_main(void *unused)\n{\n"
        "    (void)unused;\n    cprog_thread_fn();\n    return NULL;\n}\n\n"
        "/* @thread: the next call runs on a new thread, joined at once. */\n"
        "__attribute__((unused)) static void cprog_on_thread(void (*fn)(void))\n{\n"
        "    pthread_t t;\n"
        "    cprog_thread_fn = fn;\n"
        "    if (pthread_create(&t, NULL, cprog_thread_main, NULL) != 0)\n        abort();\n"
        "    pthread_join(t, NULL);\n}\n");
}

/* Appends a scalar argument literal. */
static void scalar_lit(sf_buf *b, const sf_param_desc *q, sf_val v)
{
    if (q->kind == SF_K_BOOL)
        sf_buf_printf(b, "%s", v.u & 1 ? "true" : "false");
    else if (q->kind == SF_K_INT && v.i == INT64_MIN)
        sf_buf_printf(b, "(-9223372036854775807LL - 1)");
    else if (q->kind == SF_K_INT)
        sf_buf_printf(b, "%lldLL", (long long)v.i);
    else if (q->flags & SF_P_FLAGS)
        sf_buf_printf(b, "0x%llxULL", (unsigned long long)v.u);
    else
        sf_buf_printf(b, "%lluULL", (unsigned long long)v.u);
}

/* The printf conversion of a returned value and the cast it needs. */
static const char *value_fmt(const sf_spec *sp, const sf_param_desc *r, const char **cast)
{
    int res_ptr = r->kind == SF_K_RES && r->res >= 0 && r->res < sp->n_res &&
                  sp->res[r->res].repr == SF_R_PTR;
    if (r->kind == SF_K_PTR || res_ptr) {
        *cast = "(const void *)";
        return "%p";
    }
    if (r->kind == SF_K_INT) {
        *cast = "(long long)";
        return "%lld";
    }
    *cast = "(unsigned long long)";
    return "%llu";
}

static void emit_op(sf_buf *b, const sf_seam *s, const sf_prog *p, uint32_t i)
{
    const sf_spec *sp = sf_seam_spec(s);
    const sf_op *op = &p->ops[i];
    const sf_func_desc *fd = &sp->funcs[op->func];
    const sf__func *sf = &s->funcs[op->func];
    char t[160], inv[200];

    sf_buf_printf(b, "\n/* op %u: ", i);
    op_comment(b, p, i);
    sf_buf_printf(b, " */\nstatic void op_%u(void)\n{\n", i);
    /* An argument naming a slot that is not live (or, for stale, was never
     * made) skips the op, as in the runtime. */
    for (int j = 0; j < op->n_args; j++) {
        const sf_arg *a = &op->args[j];
        if (a->tag == SF_A_SLOT)
            sf_buf_printf(b,
                          "    if (r%d_st != LIVE) {\n        cprog_skip(%u, \"r%d\");\n"
                          "        return;\n    }\n",
                          (int)a->slot, i, (int)a->slot);
        else if (a->tag == SF_A_STALE)
            sf_buf_printf(b,
                          "    if (r%d_st == EMPTY) {\n        cprog_skip(%u, \"r%d\");\n"
                          "        return;\n    }\n",
                          (int)a->slot, i, (int)a->slot);
    }
    /* Inputs and outputs. */
    for (int j = 0; j < op->n_args; j++) {
        const sf_arg *a = &op->args[j];
        const sf_param_desc *q = &fd->params[j];
        if (a->tag == SF_A_BYTES) {
            sf_buf_printf(b, "    static const uint8_t d%d[%zu] = ", j, a->len ? a->len : 1);
            c_string(b, a->bytes, a->len, "        ");
            sf_buf_printf(b, ";\n    %sa%d = cprog_in(d%d, %zu, %d);\n",
                          q->kind == SF_K_CSTR ? "char *" : "uint8_t *", j, j, a->len,
                          q->kind == SF_K_CSTR ? 1 : 0);
        } else if (a->tag == SF_A_OUTBUF) {
            sf_buf_printf(b, "    uint8_t *a%d = cprog_out(%zu);\n", j, a->len);
        } else if (a->tag == SF_A_OUTSTRUCT) {
            param_ctype(s, &sf->params[j], t, sizeof(t));
            sf_buf_printf(b, "    %sa%d = cprog_out(%zu);\n", t, j, a->len);
        } else if (a->tag == SF_A_OUTSLOT) {
            param_ctype(s, &sf->params[j], t, sizeof(t));
            invalid_expr(s, sp, q->res, inv, sizeof(inv));
            sf_buf_printf(b, "    %sa%d = cprog_out(sizeof(*a%d));\n    *a%d = %s;\n", t, j, j, j,
                          inv);
        }
    }
    /* The call. */
    ret_ctype(s, sf, t, sizeof(t));
    int has_ret = fd->ret.kind != SF_K_VOID;
    sf_buf_printf(b, "    ");
    if (has_ret) {
        decl(b, t, "ret");
        sf_buf_printf(b, " = ");
    }
    sf_buf_printf(b, "%s(", fd->name);
    for (int j = 0; j < op->n_args; j++) {
        const sf_arg *a = &op->args[j];
        const sf_param_desc *q = &fd->params[j];
        if (j)
            sf_buf_printf(b, ", ");
        switch (a->tag) {
        case SF_A_SCALAR:
            scalar_lit(b, q, a->v);
            break;
        case SF_A_SLOT:
        case SF_A_STALE:
            sf_buf_printf(b, "r%d", (int)a->slot);
            break;
        case SF_A_NULL:
            invalid_expr(s, sp, q->res, inv, sizeof(inv));
            sf_buf_printf(b, "%s", inv);
            break;
        case SF_A_LEN:
            sf_buf_printf(b, "%zu", (size_t)a->v.u);
            break;
        default:
            sf_buf_printf(b, "a%d", j);
        }
    }
    sf_buf_printf(b, ");\n");
    for (int j = 0; j < op->n_args; j++) {
        const sf_arg *a = &op->args[j];
        if (a->tag == SF_A_BYTES || a->tag == SF_A_OUTBUF || a->tag == SF_A_OUTSTRUCT)
            sf_buf_printf(b, "    free(a%d);\n", j);
        else if (a->tag == SF_A_OUTSLOT)
            sf_buf_printf(b, "    r%d = *a%d;\n    free(a%d);\n", (int)a->slot, j, j);
    }
    if (has_ret) {
        const char *cast;
        const char *fmt = value_fmt(sp, &fd->ret, &cast);
        sf_buf_printf(b, "    fprintf(stderr, \"op %u: %s -> %s\\n\", %sret);\n", i, fd->name, fmt,
                      cast);
    } else {
        sf_buf_printf(b, "    fprintf(stderr, \"op %u: %s\\n\");\n", i, fd->name);
    }
    /* Failure by the error contract. */
    if (fd->err_style == SF_ERR_NEG && has_ret)
        sf_buf_printf(b, "    int failed = ret < 0;\n");
    else if ((fd->err_style == SF_ERR_NULL || fd->err_style == SF_ERR_OBJ) &&
             fd->ret.kind == SF_K_RES) {
        invalid_expr(s, sp, fd->ret.res, inv, sizeof(inv));
        sf_buf_printf(b, "    int failed = ret == %s;\n", inv);
    } else {
        sf_buf_printf(b, "    int failed = 0;\n");
    }
    sf_buf_printf(b, "    (void)failed;\n");
    /* SF-103 / SF-104: a deliberate stale or null value must fail. */
    for (int j = 0; j < op->n_args; j++) {
        const sf_arg *a = &op->args[j];
        const sf_param_desc *q = &fd->params[j];
        if (a->tag == SF_A_STALE && (q->flags & SF_P_REJECT_STALE))
            sf_buf_printf(b,
                          "    if (!failed)\n        cprog_violation(103, %u, \"%s\", "
                          "\"stale value accepted where the contract requires an error: "
                          "stale(r%d) as %s\");\n",
                          i, fd->name, (int)a->slot, q->name);
        if (a->tag == SF_A_NULL && (q->flags & SF_P_REJECT_NULL))
            sf_buf_printf(b,
                          "    if (!failed)\n        cprog_violation(104, %u, \"%s\", "
                          "\"null/invalid value accepted where the contract requires an "
                          "error: null as %s\");\n",
                          i, fd->name, q->name);
    }
    /* SF-105: only declared error codes. */
    if (fd->err_style == SF_ERR_NEG && has_ret) {
        sf_buf_printf(b, "    if (failed");
        for (int k = 0; k < fd->n_err_codes; k++)
            sf_buf_printf(b, " && ret != %lld", (long long)fd->err_codes[k]);
        sf_buf_printf(b,
                      ")\n        cprog_violation(105, %u, \"%s\", \"error code not declared "
                      "in the contract\");\n",
                      i, fd->name);
    }
    /* Produced resources become live; SF-140 checks their alignment. */
    if (op->ret_slot >= 0) {
        invalid_expr(s, sp, fd->ret.res, inv, sizeof(inv));
        sf_buf_printf(b, "    r%d = ret;\n    if (!failed && r%d != %s)\n        r%d_st = LIVE;\n",
                      (int)op->ret_slot, (int)op->ret_slot, inv, (int)op->ret_slot);
        uint32_t al = sp->res[fd->ret.res].repr == SF_R_PTR ? res_align(sp, fd->ret.res) : 0;
        if (al > 1)
            sf_buf_printf(b,
                          "    if (r%d_st == LIVE && (uintptr_t)r%d %% %u != 0)\n"
                          "        cprog_violation(140, %u, \"%s\", \"pointer misaligned for "
                          "its declared type\");\n",
                          (int)op->ret_slot, (int)op->ret_slot, al, i, fd->name);
    }
    if (fd->ret.kind == SF_K_PTR) {
        uint32_t al = res_align(sp, fd->ret.res);
        if (al > 1)
            sf_buf_printf(b,
                          "    if (ret != NULL && (uintptr_t)ret %% %u != 0)\n"
                          "        cprog_violation(140, %u, \"%s\", \"pointer misaligned for "
                          "its declared type\");\n",
                          al, i, fd->name);
    }
    for (int j = 0; j < op->n_args; j++) {
        const sf_arg *a = &op->args[j];
        if (a->tag != SF_A_OUTSLOT)
            continue;
        invalid_expr(s, sp, fd->params[j].res, inv, sizeof(inv));
        sf_buf_printf(b, "    if (%sr%d != %s)\n        r%d_st = LIVE;\n",
                      j == fd->err_param ? "" : "!failed && ", (int)a->slot, inv, (int)a->slot);
    }
    /* Consumed and transferred slots die when the call succeeds. */
    for (int j = 0; j < op->n_args; j++)
        if (op->args[j].tag == SF_A_SLOT && consumes(fd, j))
            sf_buf_printf(b, "    if (!failed)\n        r%d_st = DEAD;\n", (int)op->args[j].slot);
    sf_buf_printf(b, "}\n");
}

/* Teardown (holders first, then newest first) and the live-count probes. */
static void emit_teardown(sf_buf *b, const sf_seam *s, const sf_prog *p)
{
    const sf_spec *sp = sf_seam_spec(s);
    uint8_t *holds = sf_xcalloc(p->n_slots ? p->n_slots : 1);
    for (uint32_t k = 0; k < p->n_slots; k++)
        if (p->slot_holder && p->slot_holder[k] >= 0 && (uint32_t)p->slot_holder[k] < p->n_slots)
            holds[p->slot_holder[k]] = 1;
    sf_buf_printf(b, "\n/* Teardown: every live slot destroyed by its type's destructor, "
                     "holders first,\n * then newest first, as the runtime does. */\n"
                     "static void teardown(void)\n{\n");
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t sl = (int32_t)p->n_slots - 1; sl >= 0; sl--) {
            int res = p->slot_res[sl];
            if (holds[sl] != (pass == 0) || res < 0 || res >= sp->n_res)
                continue;
            int d = sp->res[res].dtor;
            if (d < 0 || d >= sp->n_funcs)
                continue;
            const sf_func_desc *fd = &sp->funcs[d];
            sf_buf_printf(b,
                          "    if (r%d_st == LIVE) {\n        fprintf(stderr, \"teardown: "
                          "%s(r%d)\\n\");\n        ",
                          (int)sl, fd->name, (int)sl);
            if (fd->ret.kind != SF_K_VOID)
                sf_buf_printf(b, "(void)");
            sf_buf_printf(b, "%s(", fd->name);
            int placed = 0;
            for (int j = 0; j < fd->n_params; j++) {
                sf_buf_printf(b, "%s", j ? ", " : "");
                if (!placed && fd->params[j].kind == SF_K_RES) {
                    sf_buf_printf(b, "r%d", (int)sl);
                    placed = 1;
                } else {
                    sf_buf_printf(b, "0");
                }
            }
            sf_buf_printf(b, ");\n        r%d_st = DEAD;\n    }\n", (int)sl);
        }
    }
    sf_buf_printf(b, "}\n\n/* After teardown every live-count probe must read 0 (SF-120). */\n"
                     "static void probes(void)\n{\n");
    for (int t = 0; t < sp->n_res; t++) {
        int pf = sp->res[t].probe;
        int dup = 0;
        for (int u = 0; u < t; u++)
            dup |= sp->res[u].probe == pf;
        if (pf < 0 || pf >= sp->n_funcs || dup)
            continue;
        const char *pn = sp->funcs[pf].name;
        sf_buf_printf(b,
                      "    if (%s() != 0) {\n"
                      "        fprintf(stderr, \"%s() = %%llu after teardown (type %s)\\n\", "
                      "(unsigned long long)%s());\n"
                      "        cprog_violation(120, %u, \"%s\", \"leak: live-count probe is "
                      "non-zero after teardown\");\n    }\n",
                      pn, pn, sp->res[t].name, pn, p->n_ops, pn);
    }
    sf_buf_printf(b, "}\n");
    sf_free(holds);
}

void sf_cprog_emit(const sf_seam *s, const sf_prog *p, const sf_cprog_opts *o, sf_buf *b)
{
    const sf_spec *sp = sf_seam_spec(s);
    emit_banner(b, s, p, o);
    emit_types(b, s);
    emit_helpers(b);
    if (p->n_slots)
        sf_buf_printf(b, "\n/* ---- Resource slots: value and state. ---- */\n");
    for (uint32_t sl = 0; sl < p->n_slots; sl++) {
        char t[160], inv[200], nm[32];
        int r = p->slot_res[sl];
        sf__res_ctype(s, r, 0, t, sizeof(t));
        invalid_expr(s, sp, r, inv, sizeof(inv));
        snprintf(nm, sizeof(nm), "r%u", sl);
        sf_buf_printf(b, "static ");
        decl(b, t, nm);
        sf_buf_printf(b, " = %s; /* %s */\nstatic int r%u_st = EMPTY;\n", inv, sp->res[r].name, sl);
    }
    for (uint32_t i = 0; i < p->n_ops; i++)
        if (p->ops[i].func >= 0)
            emit_op(b, s, p, i);
    emit_teardown(b, s, p);
    sf_buf_printf(b, "\nint main(void)\n{\n    setvbuf(stderr, NULL, _IONBF, 0);\n");
    int on_thread = 0;
    for (uint32_t i = 0; i < p->n_ops; i++) {
        const sf_op *op = &p->ops[i];
        if (op->func >= 0) {
            if (on_thread)
                sf_buf_printf(b, "    cprog_on_thread(op_%u); /* @thread */\n", i);
            else
                sf_buf_printf(b, "    op_%u();\n", i);
            on_thread = 0;
            continue;
        }
        switch (op->builtin) {
        case SF_B_GO_GC:
            if (sp->gc_func >= 0 && sp->gc_func < sp->n_funcs)
                sf_buf_printf(b, "    %s(); /* op %u: @gc */\n", sp->funcs[sp->gc_func].name, i);
            break;
        case SF_B_YIELD:
            sf_buf_printf(b, "    sched_yield(); /* op %u: @yield */\n", i);
            break;
        case SF_B_THREAD:
            on_thread = 1;
            break;
        default:
            sf_buf_printf(
                b, "    /* op %u: @stale: the next call passes a dead value on purpose */\n", i);
        }
    }
    sf_buf_printf(b,
                  "    teardown();\n    probes();\n"
                  "    fprintf(stderr, \"CPROG-OK: %u ops ran clean\\n\");\n    return 0;\n}\n",
                  p->n_ops);
}
