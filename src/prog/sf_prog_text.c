/* sf_prog_text.c - the text form of programs: printing (sf_prog_print,
 * sf_prog_print_op) and parsing (sf_prog_parse).  The parser runs every
 * argument it reads through the encoder's state machine (sf_prog_int.h), so
 * it accepts exactly the programs some byte string decodes to
 * (docs/program.md, "Text form"). */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "sf_buf.h"
#include "sf_err.h"
#include "sf_prog.h"
#include "sf_prog_int.h"

/* ---- printing ------------------------------------------------------------ */

static void put_arg(FILE *f, const sf_prog *p, const sf_param_desc *pd, const sf_arg *a)
{
    const sf_cb_desc *cb = sf__cb_of(p->spec, pd);
    switch (a->tag) {
    case SF_A_SCALAR:
        if (cb) /* a callback: the implementation's name */
            fputs(a->v.u < cb->n_impls ? p->spec->funcs[cb->impls[a->v.u]].name : "?", f);
        else if (pd->kind == SF_K_BOOL)
            fputs(a->v.u ? "true" : "false", f);
        else if (pd->n_choices && (pd->flags & SF_P_FLAGS))
            fprintf(f, "0x%" PRIx64, a->v.u);
        else if (pd->kind == SF_K_INT)
            fprintf(f, "%" PRId64, a->v.i);
        else
            fprintf(f, "%" PRIu64, a->v.u);
        break;
    case SF_A_SLOT:
        fprintf(f, "r%" PRId32, a->slot);
        break;
    case SF_A_NULL:
        fputs("null", f);
        break;
    case SF_A_STALE:
        fprintf(f, "stale(r%" PRId32 ")", a->slot);
        break;
    case SF_A_BYTES:
        sf_esc_fquote(f, a->bytes, a->len, SF_ESC_TEXT);
        break;
    case SF_A_OUTBUF:
        fprintf(f, "out[%zu]", a->len);
        break;
    case SF_A_OUTSLOT:
        fprintf(f, "&r%" PRId32, a->slot);
        break;
    case SF_A_OUTSTRUCT:
        if (p->spec->layouts && pd->layout >= 0 && pd->layout < p->spec->n_layouts &&
            p->spec->layouts[pd->layout].name)
            fprintf(f, "&%s", p->spec->layouts[pd->layout].name);
        else
            fputs("&?", f);
        break;
    default:
        fputs("?", f);
        break;
    }
}

/* p and f are borrowed. */
int sf_prog_print_op(const sf_prog *p, uint32_t i, FILE *f)
{
    if (!p || !f || i >= p->n_ops)
        return SF_EINVAL;
    const sf_op *op = &p->ops[i];
    if (op->func < 0 || op->func >= p->spec->n_funcs) {
        if (op->builtin >= 0 && op->builtin < SF_B__COUNT)
            fprintf(f, "@%s", sf__builtin_names[op->builtin]);
        else
            fputs("@?", f);
        return ferror(f) ? SF_EIO : 0;
    }
    const sf_func_desc *fd = &p->spec->funcs[op->func];
    if (op->ret_slot >= 0)
        fprintf(f, "r%" PRId32 " = ", op->ret_slot);
    fputs(fd->name, f);
    putc('(', f);
    int first = 1;
    for (uint32_t pi = 0; pi < op->n_args && pi < fd->n_params; pi++) {
        if (sf_param_implicit(fd->params[pi].kind))
            continue;
        if (!first)
            fputs(", ", f);
        first = 0;
        put_arg(f, p, &fd->params[pi], &op->args[pi]);
    }
    putc(')', f);
    return ferror(f) ? SF_EIO : 0;
}

/* p and f are borrowed. */
int sf_prog_print(const sf_prog *p, FILE *f)
{
    if (!p || !f)
        return SF_EINVAL;
    fprintf(f, "# seamfuzz program for %s\n", p->spec->name ? p->spec->name : "?");
    for (uint32_t i = 0; i < p->n_ops; i++) {
        int rc = sf_prog_print_op(p, i, f);
        if (rc)
            return rc;
        putc('\n', f);
    }
    return ferror(f) ? SF_EIO : 0;
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct lexer {
    const char *s;
    size_t n, i;   /* text, its length, the position */
    size_t bol;    /* offset of the current line's first byte */
    size_t eol;    /* offset of the current line's '\n' (or n) */
    uint32_t line; /* 1-based */
    char *err;
    size_t errlen;
} lexer;

typedef struct parser {
    lexer lx;
    sf__pstate st;
    sf__optab t;
    sf_prog *p;
    sf_limits lim;
    uint8_t *arena;
    size_t alen;
    sf_buf bv; /* count_only: the encoded offset of each op */
} parser;

__attribute__((format(printf, 3, 4))) static int perr(lexer *lx, size_t at, const char *fmt, ...)
{
    if (lx->err && lx->errlen) {
        int n = snprintf(lx->err, lx->errlen, "%" PRIu32 ":%zu: ", lx->line, at - lx->bol + 1);
        if (n >= 0 && (size_t)n < lx->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return SF_EPARSE;
}

static int lx_peek(const lexer *lx)
{
    return lx->i < lx->eol ? (unsigned char)lx->s[lx->i] : -1;
}

static void lx_ws(lexer *lx)
{
    while (lx->i < lx->eol && (lx->s[lx->i] == ' ' || lx->s[lx->i] == '\t' || lx->s[lx->i] == '\r'))
        lx->i++;
}

static int lx_accept(lexer *lx, int ch)
{
    lx_ws(lx);
    if (lx_peek(lx) != ch)
        return 0;
    lx->i++;
    return 1;
}

/* Describes the character at the position for a message ("end of line",
 * "'x'", "'\x01'"); d is the caller's buffer. */
static const char *lx_what(const lexer *lx, char d[16])
{
    int c = lx_peek(lx);
    if (c < 0)
        return "end of line";
    if (c == '#')
        return "a comment";
    if (c > 0x20 && c < 0x7f)
        snprintf(d, 16, "'%c'", c);
    else
        snprintf(d, 16, "'\\x%02x'", (unsigned)c);
    return d;
}

static int is_id0(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Length of the identifier at the position (0 if none); does not consume. */
static size_t lx_idlen(const lexer *lx)
{
    size_t j = lx->i;
    if (j >= lx->eol || !is_id0((unsigned char)lx->s[j]))
        return 0;
    while (j < lx->eol && (is_id0((unsigned char)lx->s[j]) || is_digit((unsigned char)lx->s[j])))
        j++;
    return j - lx->i;
}

static int lx_is_word(const lexer *lx, size_t idl, const char *w)
{
    return idl == strlen(w) && memcmp(lx->s + lx->i, w, idl) == 0;
}

/* Returns 1 when the identifier of length idl at the position is a slot name
 * rN; *num (OUT) is N. */
static int slot_name(const lexer *lx, size_t idl, int32_t *num)
{
    const char *s = lx->s + lx->i;
    uint64_t v = 0;
    if (idl < 2 || s[0] != 'r')
        return 0;
    for (size_t j = 1; j < idl; j++) {
        if (!is_digit((unsigned char)s[j]))
            return 0;
        v = v * 10 + (uint64_t)(s[j] - '0');
        if (v > INT32_MAX)
            v = INT32_MAX; /* saturate: such a slot never exists */
    }
    *num = (int32_t)v;
    return 1;
}

/* Reads [-](decimal | 0x hex) for parameter pd into *x (OUT, the value's
 * 64-bit pattern). */
static int lx_int(lexer *lx, const sf_param_desc *pd, uint64_t *x)
{
    size_t at = lx->i;
    int neg = 0, hex = 0;
    uint64_t v = 0;
    if (lx_peek(lx) == '-') {
        neg = 1;
        lx->i++;
    }
    if (lx_peek(lx) == '0' && lx->i + 1 < lx->eol && (lx->s[lx->i + 1] | 0x20) == 'x') {
        hex = 1;
        lx->i += 2;
    }
    size_t d0 = lx->i;
    for (;;) {
        int c = lx_peek(lx), d;
        if (is_digit(c))
            d = c - '0';
        else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            break;
        uint64_t base = hex ? 16 : 10;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return perr(lx, at, "integer out of range");
        v = v * base + (uint64_t)d;
        lx->i++;
    }
    if (lx->i == d0)
        return perr(lx, at, "expected an integer for '%s'", sf__pname(pd));
    if (neg) {
        if (pd->kind != SF_K_INT)
            return perr(lx, at, "'%s' is unsigned", sf__pname(pd));
        if (v > (uint64_t)1 << 63)
            return perr(lx, at, "integer out of range");
        v = 0 - v;
    } else if (pd->kind == SF_K_INT && !hex && v > INT64_MAX) {
        return perr(lx, at, "integer out of range");
    }
    *x = v;
    return 0;
}

/* Reads a string literal into dst (room for every byte of the line);
 * *len (OUT) is its length. */
static int lx_string(lexer *lx, const sf_param_desc *pd, uint8_t *dst, size_t *len)
{
    size_t at = lx->i, n = 0;
    if (lx_peek(lx) != '"')
        return perr(lx, at, "expected a string for '%s'", sf__pname(pd));
    lx->i++;
    for (;;) {
        if (lx->i >= lx->eol)
            return perr(lx, at, "unterminated string");
        unsigned c = (unsigned char)lx->s[lx->i];
        if (c == '"') {
            lx->i++;
            break;
        }
        if (c == '\\') {
            size_t esc = lx->i++;
            int e = lx_peek(lx);
            if (e < 0)
                return perr(lx, at, "unterminated string");
            lx->i++;
            if (e == 'n') {
                c = '\n';
            } else if (e == 't') {
                c = '\t';
            } else if (e == '\\' || e == '"') {
                c = (unsigned)e;
            } else if (e == 'x') {
                c = 0;
                for (int h = 0; h < 2; h++) {
                    int d = lx_peek(lx);
                    if (is_digit(d))
                        c = c * 16 + (unsigned)(d - '0');
                    else if ((d | 0x20) >= 'a' && (d | 0x20) <= 'f')
                        c = c * 16 + (unsigned)((d | 0x20) - 'a' + 10);
                    else
                        return perr(lx, esc, "\\x needs two hex digits");
                    lx->i++;
                }
            } else {
                char d[16];
                lx->i--;
                return perr(lx, esc, "unknown escape '\\' followed by %s", lx_what(lx, d));
            }
        } else {
            lx->i++;
        }
        dst[n++] = (uint8_t)c;
    }
    *len = n;
    return 0;
}

/* Explains why resource argument a cannot stand for parameter pd here. */
static int res_why(parser *ps, size_t at, const sf_param_desc *pd, const sf_arg *a)
{
    lexer *lx = &ps->lx;
    const sf__pstate *st = &ps->st;
    const sf_spec *s = st->spec;
    const char *want = sf__res_name(s, pd->res);
    if (sf__stale_target(st, pd) && a->tag != SF_A_STALE)
        return perr(lx, at, "@stale requires a stale resource for '%s'", sf__pname(pd));
    if (a->tag == SF_A_NULL) {
        if (!(pd->flags & (SF_P_NULLABLE | SF_P_REJECT_NULL)))
            return perr(lx, at, "'%s' does not take null", sf__pname(pd));
        return perr(lx, at, "null cannot be encoded for '%s' here", sf__pname(pd));
    }
    int32_t r = a->slot;
    if (!sf_res_is(s, st->slot_res[r], pd->res))
        return perr(lx, at, "r%" PRId32 " is a %s, but '%s' takes a %s", r,
                    sf__res_name(s, st->slot_res[r]), sf__pname(pd), want);
    if (st->slot_st[r] == SF__PS_DYING)
        return perr(lx, at, "r%" PRId32 " is already consumed by this call", r);
    if (a->tag == SF_A_SLOT) {
        if (st->slot_st[r] == SF__PS_DEAD)
            return perr(lx, at,
                        "r%" PRId32 " is no longer live (write stale(r%" PRId32
                        ") to pass it on purpose)",
                        r, r);
        return perr(lx, at, "r%" PRId32 " cannot be selected (too many live %s)", r, want);
    }
    if (st->slot_st[r] == SF__PS_LIVE)
        return perr(lx, at, "stale(r%" PRId32 "): r%" PRId32 " is still live", r, r);
    if (!(pd->flags & SF_P_REJECT_STALE))
        return perr(lx, at, "'%s' does not take stale values", sf__pname(pd));
    return perr(lx, at,
                "stale(r%" PRId32 ") cannot be encoded here; write @stale on the line before", r);
}

/* Parses the argument of parameter pi at the position into op->args[pi] and
 * runs it through the encoder (so it is exactly what the bytes can say). */
static int parse_arg(parser *ps, const sf_func_desc *fd, uint32_t pi, sf_op *op, uint32_t *k)
{
    lexer *lx = &ps->lx;
    const sf_param_desc *pd = &fd->params[pi];
    sf_arg *a = &op->args[pi];
    size_t at = lx->i, idl = lx_idlen(lx);
    int32_t num = -1;
    int rc;
    switch (pd->kind) {
    case SF_K_BOOL:
        if (lx_is_word(lx, idl, "true") || lx_is_word(lx, idl, "false")) {
            a->v.u = lx->s[lx->i] == 't';
            lx->i += idl;
        } else if ((rc = lx_int(lx, pd, &a->v.u)) != 0) {
            return rc;
        }
        break;
    case SF_K_INT:
    case SF_K_UINT:
        if ((rc = lx_int(lx, pd, &a->v.u)) != 0)
            return rc;
        break;
    case SF_K_CALLBACK: {
        const sf_cb_desc *cb = sf__cb_of(ps->st.spec, pd);
        uint32_t k2 = 0;
        while (cb && k2 < cb->n_impls &&
               !lx_is_word(lx, idl, ps->st.spec->funcs[cb->impls[k2]].name))
            k2++;
        if (!cb || k2 == cb->n_impls)
            return perr(lx, at, "expected an implementation of callback type %s for '%s'",
                        cb ? cb->name : "?", sf__pname(pd));
        lx->i += idl;
        a->v.u = k2;
        break;
    }
    case SF_K_RES:
        if (lx_is_word(lx, idl, "null")) {
            lx->i += idl;
            a->tag = SF_A_NULL;
            a->v.u = ps->st.spec->res[pd->res].invalid;
            break;
        }
        if (lx_is_word(lx, idl, "stale")) {
            lx->i += idl;
            if (!lx_accept(lx, '('))
                return perr(lx, lx->i, "expected '(' after 'stale'");
            lx_ws(lx);
            idl = lx_idlen(lx);
            if (!slot_name(lx, idl, &num))
                return perr(lx, lx->i, "expected a resource name (rN) in stale()");
            lx->i += idl;
            if (!lx_accept(lx, ')'))
                return perr(lx, lx->i, "expected ')' after stale(r%" PRId32, num);
            a->tag = SF_A_STALE;
        } else if (slot_name(lx, idl, &num)) {
            lx->i += idl;
            a->tag = SF_A_SLOT;
        } else {
            return perr(lx, at, "expected a resource (rN, null or stale(rN)) for '%s'",
                        sf__pname(pd));
        }
        if ((uint32_t)num >= ps->st.n_slots)
            return perr(lx, at, "r%" PRId32 " is not defined yet", num);
        a->slot = num;
        break;
    case SF_K_BUF:
    case SF_K_CSTR:
        a->tag = SF_A_BYTES;
        a->bytes = ps->arena + ps->alen;
        if ((rc = lx_string(lx, pd, ps->arena + ps->alen, &a->len)) != 0)
            return rc;
        ps->arena[ps->alen + a->len] = 0;
        ps->alen += a->len + 1;
        break;
    case SF_K_OUTBUF: {
        sf_param_desc n = *pd;
        n.kind = SF_K_UINT;
        if (!lx_is_word(lx, idl, "out"))
            return perr(lx, at, "expected out[N] for '%s'", sf__pname(pd));
        lx->i += idl;
        if (!lx_accept(lx, '['))
            return perr(lx, lx->i, "expected '[' after 'out'");
        lx_ws(lx);
        uint64_t v;
        if ((rc = lx_int(lx, &n, &v)) != 0)
            return rc;
        if (!lx_accept(lx, ']'))
            return perr(lx, lx->i, "expected ']'");
        a->tag = SF_A_OUTBUF;
        a->len = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
        break;
    }
    case SF_K_OUTRES:
        if (lx_peek(lx) != '&')
            return perr(lx, at, "expected &r%" PRIu32 " for '%s'", ps->st.n_slots + *k,
                        sf__pname(pd));
        lx->i++;
        idl = lx_idlen(lx);
        if (!slot_name(lx, idl, &num) || (uint32_t)num != ps->st.n_slots + *k)
            return perr(lx, at, "expected &r%" PRIu32 " for '%s' (resources are numbered in order)",
                        ps->st.n_slots + *k, sf__pname(pd));
        lx->i += idl;
        a->tag = SF_A_OUTSLOT;
        a->slot = num;
        break;
    case SF_K_OUTSTRUCT: {
        const char *ln = ps->st.spec->layouts[pd->layout].name;
        int amp = lx_peek(lx) == '&';
        lx->i += amp;
        idl = lx_idlen(lx);
        if (!amp || !lx_is_word(lx, idl, ln))
            return perr(lx, at, "expected &%s for '%s'", ln, sf__pname(pd));
        lx->i += idl;
        a->tag = SF_A_OUTSTRUCT;
        a->len = ps->st.spec->layouts[pd->layout].size;
        break;
    }
    default:
        break;
    }
    rc = sf__enc_param(&ps->st, fd, pi, op, k, &ps->bv);
    switch (rc) {
    case SF__R_OK:
        return 0;
    case SF__R_RANGE:
        if (pd->kind == SF_K_BOOL)
            return perr(lx, at, "'%s' is a bool: write true or false", sf__pname(pd));
        if (pd->kind == SF_K_INT)
            return perr(lx, at, "%" PRId64 " is out of range [%" PRId64 ", %" PRId64 "] for '%s'",
                        a->v.i, pd->min, pd->max, sf__pname(pd));
        return perr(lx, at, "%" PRIu64 " is out of range [%" PRIu64 ", %" PRIu64 "] for '%s'",
                    a->v.u, (uint64_t)pd->min, (uint64_t)pd->max, sf__pname(pd));
    case SF__R_CHOICE:
        return perr(lx, at, "%" PRId64 " is not one of the choices of '%s'", a->v.i, sf__pname(pd));
    case SF__R_FLAGS:
        return perr(lx, at, "0x%" PRIx64 " is not a combination of the flags of '%s'", a->v.u,
                    sf__pname(pd));
    case SF__R_LONG:
        return perr(lx, at, "%zu bytes is more than the maximum %zu of '%s'", a->len,
                    sf__len_max(pd), sf__pname(pd));
    case SF__R_SHORT:
        return perr(lx, at, "%zu bytes is less than the minimum %zu of '%s'", a->len,
                    sf__len_min(pd), sf__pname(pd));
    case SF__R_NUL:
        return perr(lx, at, "C string '%s' cannot contain \\x00", sf__pname(pd));
    case SF__R_RES:
        return res_why(ps, at, pd, a);
    default:
        return perr(lx, at, "bad argument for '%s'", sf__pname(pd));
    }
}

/* After an op: only blanks or a comment may follow. */
static int parse_eol(parser *ps)
{
    lexer *lx = &ps->lx;
    char d[16];
    lx_ws(lx);
    if (lx->i < lx->eol && lx->s[lx->i] != '#')
        return perr(lx, lx->i, "unexpected %s after the op", lx_what(lx, d));
    return 0;
}

/* Looks the function name at the position up; *fi (OUT). */
static int parse_func(parser *ps, size_t idl, int32_t *fi, int *sel)
{
    lexer *lx = &ps->lx;
    const sf_spec *s = ps->st.spec;
    for (uint32_t i = 0; i < s->n_funcs && s->funcs; i++) {
        const char *nm = s->funcs[i].name;
        if (!nm || !lx_is_word(lx, idl, nm))
            continue;
        *fi = (int32_t)i;
        *sel = sf__optab_find(&ps->t, (int32_t)i);
        if (*sel >= 0)
            return 0;
        if (!sf__func_ok(s, i))
            return perr(lx, lx->i, "'%s' is not fuzzable", nm);
        return perr(lx, lx->i, "'%s' cannot be selected (more than 256 ops in the table)", nm);
    }
    return perr(lx, lx->i, "unknown function '%.*s'", (int)idl, lx->s + lx->i);
}

static int parse_builtin(parser *ps, sf_op *op)
{
    lexer *lx = &ps->lx;
    size_t at = lx->i++;
    size_t idl = lx_idlen(lx);
    for (unsigned b = 0; b < SF_B__COUNT; b++) {
        if (!lx_is_word(lx, idl, sf__builtin_names[b]))
            continue;
        int sel = sf__optab_find(&ps->t, -1 - (int32_t)b);
        if (sel < 0)
            return perr(lx, at, "built-in '@%s' is not enabled for this spec",
                        sf__builtin_names[b]);
        lx->i += idl;
        sf_buf_byte(&ps->bv, (unsigned)sel);
        sf__builtin_op(&ps->st, op, b);
        return parse_eol(ps);
    }
    if (!idl)
        return perr(lx, at, "expected a built-in name after '@'");
    return perr(lx, at, "unknown built-in '@%.*s'", (int)idl, lx->s + lx->i);
}

/* Parses the current line (at most one op) into ps->p. */
static int parse_line(parser *ps)
{
    lexer *lx = &ps->lx;
    sf_prog *p = ps->p;
    char d[16];
    int rc;
    lx_ws(lx);
    if (lx->i >= lx->eol || lx->s[lx->i] == '#')
        return 0;
    size_t op_at = lx->i;
    if (p->n_ops >= ps->lim.max_ops)
        return perr(lx, op_at, "too many ops (max_ops is %" PRIu32 ")", ps->lim.max_ops);
    sf_op *op = &p->ops[p->n_ops];
    uint32_t off = (uint32_t)ps->bv.len;
    if (lx->s[lx->i] == '@') {
        if ((rc = parse_builtin(ps, op)) != 0)
            return rc;
        op->offset = off;
        p->n_ops++;
        return 0;
    }
    int32_t bind = -1, fi = -1;
    int sel = -1;
    size_t bind_at = 0, idl = lx_idlen(lx);
    if (slot_name(lx, idl, &bind)) {
        bind_at = lx->i;
        lx->i += idl;
        if (!lx_accept(lx, '=')) {
            lx->i = bind_at;
            bind = -1;
        } else {
            lx_ws(lx);
            idl = lx_idlen(lx);
            if (!idl)
                return perr(lx, lx->i, "expected a function name after '=', found %s",
                            lx_what(lx, d));
        }
    }
    if (!idl)
        return perr(lx, lx->i, "expected a call or a built-in (@name), found %s", lx_what(lx, d));
    if ((rc = parse_func(ps, idl, &fi, &sel)) != 0)
        return rc;
    const sf_func_desc *fd = &ps->st.spec->funcs[fi];
    if (sf__ret_produces(fd) && bind < 0)
        return perr(lx, lx->i, "'%s' returns a resource: write 'r%" PRIu32 " = %s(...)'", fd->name,
                    ps->st.n_slots, fd->name);
    if (!sf__ret_produces(fd) && bind >= 0)
        return perr(lx, bind_at, "'%s' returns no resource: remove 'r%" PRId32 " ='", fd->name,
                    bind);
    if (bind >= 0 && (uint32_t)bind != ps->st.n_slots)
        return perr(lx, bind_at, "expected r%" PRIu32 " (resources are numbered in order)",
                    ps->st.n_slots);
    lx->i += idl;
    if (!lx_accept(lx, '('))
        return perr(lx, lx->i, "expected '(' after '%s', found %s", fd->name, lx_what(lx, d));
    op->func = (int16_t)fi;
    op->builtin = -1;
    op->n_args = fd->n_params;
    sf_buf_byte(&ps->bv, (unsigned)sel);
    uint32_t k = sf__op_begin(&ps->st, fd);
    int first = 1;
    for (uint32_t pi = 0; pi < fd->n_params; pi++) {
        sf__arg_clear(&op->args[pi]);
        if (sf_param_implicit(fd->params[pi].kind))
            continue;
        lx_ws(lx);
        if (!first && !lx_accept(lx, ',')) {
            if (lx_peek(lx) == ')')
                return perr(lx, lx->i, "missing argument '%s' of '%s'", sf__pname(&fd->params[pi]),
                            fd->name);
            return perr(lx, lx->i, "expected ',' or ')', found %s", lx_what(lx, d));
        }
        lx_ws(lx);
        if (first && lx_peek(lx) == ')')
            return perr(lx, lx->i, "missing argument '%s' of '%s'", sf__pname(&fd->params[pi]),
                        fd->name);
        first = 0;
        if ((rc = parse_arg(ps, fd, pi, op, &k)) != 0)
            return rc;
    }
    if (!lx_accept(lx, ')')) {
        if (lx_peek(lx) == ',')
            return perr(lx, lx->i, "too many arguments for '%s'", fd->name);
        return perr(lx, lx->i, "expected ')', found %s", lx_what(lx, d));
    }
    if ((rc = parse_eol(ps)) != 0)
        return rc;
    sf__fill_lens(fd, op);
    if (!sf__op_finish(&ps->st, fd, op, 0, &op->ret_slot))
        return perr(lx, op_at, "too many live resources (max_live is %" PRIu32 ")",
                    ps->st.max_live);
    op->offset = off;
    p->n_ops++;
    return 0;
}

/* text is borrowed; *out is owned by the caller (sf_prog_free). */
int sf_prog_parse(const sf_spec *spec, const sf_limits *lim, const char *text, size_t len,
                  sf_prog **out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = 0;
    if (!out)
        return SF_EINVAL;
    *out = NULL;
    if (!spec || (!text && len))
        return SF_EINVAL;
    parser ps;
    memset(&ps, 0, sizeof ps);
    sf__optab_build(spec, &ps.t);
    ps.lim = sf__eff_limits(lim);
    size_t lines = 1;
    for (const char *q = text; q && (q = memchr(q, '\n', len - (size_t)(q - text))) != NULL; q++)
        lines++;
    size_t ops_cap = lines < ps.lim.max_ops ? lines : ps.lim.max_ops;
    /* String contents are never longer than their escaped text. */
    ps.p = sf__prog_alloc(spec, ps.lim, ops_cap, sf__mul_sat(ops_cap, ps.t.max_prod),
                          len + ops_cap * SF_MAX_PARAMS, &ps.st);
    if (!ps.p)
        return SF_ENOMEM;
    ps.arena = ((sf__prog_priv *)ps.p->arena)->bytes;
    ps.bv.count_only = 1;
    ps.lx.s = text;
    ps.lx.n = len;
    ps.lx.err = err;
    ps.lx.errlen = errlen;
    ps.lx.line = 1;
    for (size_t bol = 0; bol <= len; ps.lx.line++) {
        const char *nl = len > bol ? memchr(text + bol, '\n', len - bol) : NULL;
        ps.lx.bol = ps.lx.i = bol;
        ps.lx.eol = nl ? (size_t)(nl - text) : len;
        int rc = parse_line(&ps);
        if (rc) {
            sf_prog_free(ps.p);
            return rc;
        }
        bol = ps.lx.eol + 1;
    }
    ps.p->n_slots = ps.st.n_slots;
    ps.p->n_read = (uint32_t)ps.bv.len;
    *out = ps.p;
    return 0;
}
