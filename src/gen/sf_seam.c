/* sf_seam.c - lexer and recursive-descent parser for .seam boundary specs.
 * Reports every error it can in one pass (statement-level recovery) and is
 * bounded on any input by the caps in sf_seam.h; semantic checks live in
 * sf_sema.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_seam_int.h"

/* ======================================================================== */
/* Lexer                                                                    */
/* ======================================================================== */

enum { TK_EOF = 0, TK_IDENT, TK_INT, TK_STRING, TK_PUNCT };

/* Two-character punctuators are given one-character codes. */
#define P_ARROW 'A' /* -> */
#define P_SHL   'S' /* << */

typedef struct sf__tok {
    uint8_t kind;
    char punct;
    uint8_t bol; /* first token on its line */
    uint32_t len;
    const char *text; /* IDENT: name; STRING: decoded bytes (NUL-terminated) */
    uint64_t ival;
    sf__loc loc;
} sf__tok;

typedef struct sf__lexer {
    sf_seam *s;
    const char *src;
    size_t len, pos;
    uint32_t line, col;
    sf__tok *toks;
    uint32_t n, cap;
} sf__lexer;

static void lx_adv(sf__lexer *lx)
{
    if (lx->src[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->pos++;
}

static int is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident_char(int c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Lexes a string literal starting at the opening quote.  Returns 0 with the
 * token filled, or -1 after reporting an error (the lexer has skipped to the
 * end of the literal or of the line). */
static int lx_string(sf__lexer *lx, sf__tok *t)
{
    sf_seam *s = lx->s;
    char buf[SF_SEAM_MAX_STRING + 1];
    size_t n = 0;
    int bad = 0;
    lx_adv(lx); /* opening quote */
    for (;;) {
        if (lx->pos >= lx->len || lx->src[lx->pos] == '\n') {
            sf__diag_add(s, t->loc, "close the string with '\"' on the same line",
                         "unterminated string literal");
            return -1;
        }
        unsigned char c = (unsigned char)lx->src[lx->pos];
        if (c == '"') {
            lx_adv(lx);
            break;
        }
        sf__loc here = {lx->line, lx->col};
        int v;
        if (c == '\\') {
            lx_adv(lx);
            if (lx->pos >= lx->len) {
                sf__diag_add(s, t->loc, "close the string with '\"'",
                             "unterminated string literal");
                return -1;
            }
            char e = lx->src[lx->pos];
            lx_adv(lx);
            switch (e) {
            case 'n':
                v = '\n';
                break;
            case 't':
                v = '\t';
                break;
            case 'r':
                v = '\r';
                break;
            case '0':
                v = 0;
                break;
            case '\\':
                v = '\\';
                break;
            case '"':
                v = '"';
                break;
            case 'x': {
                int h1 = lx->pos < lx->len ? hexval((unsigned char)lx->src[lx->pos]) : -1;
                int h2 = lx->pos + 1 < lx->len ? hexval((unsigned char)lx->src[lx->pos + 1]) : -1;
                if (h1 < 0 || h2 < 0) {
                    if (!bad)
                        sf__diag_add(s, here, "write a byte as \\xNN with exactly two hex digits",
                                     "bad \\x escape in string literal");
                    bad = 1;
                    v = 0;
                } else {
                    lx_adv(lx);
                    lx_adv(lx);
                    v = h1 * 16 + h2;
                }
                break;
            }
            default:
                if (!bad)
                    sf__diag_add(s, here, "valid escapes are \\n \\t \\r \\0 \\\\ \\\" \\xNN",
                                 "unknown escape sequence in string literal");
                bad = 1;
                v = 0;
            }
        } else if (c < 0x20 || c >= 0x7f) {
            if (!bad)
                sf__diag_add(s, here, "write non-printable bytes as \\xNN",
                             "byte 0x%02x not allowed in a string literal", c);
            bad = 1;
            lx_adv(lx);
            v = 0;
        } else {
            v = c;
            lx_adv(lx);
        }
        if (n == SF_SEAM_MAX_STRING) {
            if (!bad)
                sf__diag_add(s, t->loc, "strings in a spec are short magic values or paths",
                             "string literal longer than %u bytes", SF_SEAM_MAX_STRING);
            bad = 1;
        } else {
            buf[n++] = (char)v;
        }
    }
    if (bad)
        return -1;
    t->kind = TK_STRING;
    t->len = (uint32_t)n;
    t->text = sf__arena_strndup(&s->arena, buf, n);
    return t->text ? 0 : -1;
}

/* Tokenizes the whole input.  Returns 0, or SF_ENOMEM. */
static int lx_run(sf__lexer *lx)
{
    sf_seam *s = lx->s;
    uint32_t last_line = 0;
    while (!s->gave_up) {
        /* Skip blanks and comments. */
        while (lx->pos < lx->len) {
            char c = lx->src[lx->pos];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                lx_adv(lx);
            } else if (c == '#' ||
                       (c == '/' && lx->pos + 1 < lx->len && lx->src[lx->pos + 1] == '/')) {
                while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
                    lx_adv(lx);
            } else {
                break;
            }
        }
        sf__tok t = {0};
        t.loc.line = lx->line;
        t.loc.col = lx->col;
        t.bol = lx->line != last_line;
        if (lx->pos >= lx->len) {
            t.kind = TK_EOF;
            t.bol = 1;
        } else {
            unsigned char c = (unsigned char)lx->src[lx->pos];
            if (is_ident_start(c)) {
                size_t b = lx->pos;
                while (lx->pos < lx->len && is_ident_char((unsigned char)lx->src[lx->pos]))
                    lx_adv(lx);
                size_t n = lx->pos - b;
                if (n > SF_SEAM_MAX_IDENT) {
                    sf__diag_add(s, t.loc, "shorten the name",
                                 "identifier longer than %u characters", SF_SEAM_MAX_IDENT);
                    continue;
                }
                t.kind = TK_IDENT;
                t.len = (uint32_t)n;
                t.text = sf__arena_strndup(&s->arena, lx->src + b, n);
            } else if (c >= '0' && c <= '9') {
                uint64_t v = 0;
                int over = 0, hex = 0;
                if (c == '0' && lx->pos + 1 < lx->len &&
                    (lx->src[lx->pos + 1] == 'x' || lx->src[lx->pos + 1] == 'X')) {
                    hex = 1;
                    lx_adv(lx);
                    lx_adv(lx);
                }
                size_t b = lx->pos;
                while (lx->pos < lx->len && is_ident_char((unsigned char)lx->src[lx->pos])) {
                    int d = hexval((unsigned char)lx->src[lx->pos]);
                    if (d < 0 || (!hex && d > 9)) {
                        over = 2;
                    } else if (!over) {
                        uint64_t base = hex ? 16 : 10;
                        if (v > (UINT64_MAX - (uint64_t)d) / base)
                            over = 1;
                        else
                            v = v * base + (uint64_t)d;
                    }
                    lx_adv(lx);
                }
                if (over == 2 || (hex && lx->pos == b)) {
                    sf__diag_add(s, t.loc, "integers are decimal (42) or hexadecimal (0x2a)",
                                 "malformed integer literal");
                    continue;
                }
                if (over || v > (uint64_t)INT64_MAX) {
                    sf__diag_add(s, t.loc, "values are signed 64-bit; write -1 for all bits set",
                                 "integer literal too large");
                    continue;
                }
                t.kind = TK_INT;
                t.ival = v;
            } else if (c == '"') {
                if (lx_string(lx, &t) < 0) {
                    /* Resynchronise at the end of the line. */
                    while (lx->pos < lx->len && lx->src[lx->pos] != '\n' && lx->src[lx->pos] != '"')
                        lx_adv(lx);
                    if (lx->pos < lx->len && lx->src[lx->pos] == '"')
                        lx_adv(lx);
                    continue;
                }
            } else if (strchr("{}()[],;:=+|@&", c) != NULL && c != '\0') {
                t.kind = TK_PUNCT;
                t.punct = (char)c;
                lx_adv(lx);
            } else if (c == '-') {
                t.kind = TK_PUNCT;
                lx_adv(lx);
                if (lx->pos < lx->len && lx->src[lx->pos] == '>') {
                    lx_adv(lx);
                    t.punct = P_ARROW;
                } else {
                    t.punct = '-';
                }
            } else if (c == '<' && lx->pos + 1 < lx->len && lx->src[lx->pos + 1] == '<') {
                lx_adv(lx);
                lx_adv(lx);
                t.kind = TK_PUNCT;
                t.punct = P_SHL;
            } else {
                if (c == '/' && lx->pos + 1 < lx->len && lx->src[lx->pos + 1] == '*')
                    sf__diag_add(s, t.loc, "comments run from '#' or '//' to the end of the line",
                                 "block comments are not supported");
                else if (c >= 0x21 && c < 0x7f)
                    sf__diag_add(s, t.loc, "remove it; see docs/spec.md for the grammar",
                                 "unexpected character '%c'", c);
                else
                    sf__diag_add(s, t.loc, "a spec is ASCII text; is this a binary file?",
                                 "unexpected byte 0x%02x", c);
                lx_adv(lx);
                continue;
            }
        }
        if (s->arena.oom)
            return SF_ENOMEM;
        if (lx->n >= SF_SEAM_MAX_TOKENS && t.kind != TK_EOF) {
            sf__diag_add(s, t.loc, "a boundary spec is a few hundred lines; split it",
                         "too many tokens (limit %u)", SF_SEAM_MAX_TOKENS);
            lx->pos = lx->len;
            continue;
        }
        sf__tok *slot =
            sf__arena_push(&s->arena, (void **)&lx->toks, &lx->n, &lx->cap, sizeof(*slot));
        if (slot == NULL)
            return SF_ENOMEM;
        *slot = t;
        last_line = t.loc.line;
        if (t.kind == TK_EOF)
            return 0;
    }
    /* Gave up: make sure the stream ends with EOF. */
    sf__tok *slot = sf__arena_push(&s->arena, (void **)&lx->toks, &lx->n, &lx->cap, sizeof(*slot));
    if (slot == NULL)
        return SF_ENOMEM;
    slot->kind = TK_EOF;
    slot->bol = 1;
    slot->loc.line = lx->line;
    slot->loc.col = lx->col;
    return 0;
}

/* ======================================================================== */
/* Parser                                                                   */
/* ======================================================================== */

typedef struct sf__parser {
    sf_seam *s;
    sf__tok *t;
    uint32_t n, pos;
    unsigned depth; /* expression nesting */
} sf__parser;

static sf__tok *cur(sf__parser *p)
{
    return &p->t[p->pos];
}

static sf__tok *advance(sf__parser *p)
{
    sf__tok *t = &p->t[p->pos];
    if (t->kind != TK_EOF)
        p->pos++;
    return t;
}

static int is_punct(sf__parser *p, char c)
{
    return cur(p)->kind == TK_PUNCT && cur(p)->punct == c;
}

static int is_kw(sf__parser *p, const char *kw)
{
    return cur(p)->kind == TK_IDENT && strcmp(cur(p)->text, kw) == 0;
}

static int accept(sf__parser *p, char c)
{
    if (is_punct(p, c)) {
        advance(p);
        return 1;
    }
    return 0;
}

static int accept_kw(sf__parser *p, const char *kw)
{
    if (is_kw(p, kw)) {
        advance(p);
        return 1;
    }
    return 0;
}

static const char *punct_str(char c)
{
    static char one[8][2];
    static unsigned k;
    if (c == P_ARROW)
        return "->";
    if (c == P_SHL)
        return "<<";
    char *b = one[k++ & 7];
    b[0] = c;
    b[1] = '\0';
    return b;
}

/* Describes the current token for "found ..." messages. */
static void tok_desc(const sf__tok *t, char *buf, size_t n)
{
    switch (t->kind) {
    case TK_EOF:
        snprintf(buf, n, "end of file");
        break;
    case TK_IDENT:
        snprintf(buf, n, "'%s'", t->text);
        break;
    case TK_INT:
        snprintf(buf, n, "integer %llu", (unsigned long long)t->ival);
        break;
    case TK_STRING:
        snprintf(buf, n, "a string");
        break;
    default:
        snprintf(buf, n, "'%s'", punct_str(t->punct));
    }
}

static void err_expected(sf__parser *p, const char *what, const char *hint)
{
    char d[160];
    tok_desc(cur(p), d, sizeof(d));
    sf__diag_add(p->s, cur(p)->loc, hint, "expected %s, found %s", what, d);
}

static int expect(sf__parser *p, char c, const char *ctx, const char *hint)
{
    if (accept(p, c))
        return 1;
    char what[96];
    snprintf(what, sizeof(what), "'%s' %s", punct_str(c), ctx);
    err_expected(p, what, hint);
    return 0;
}

static const char *expect_ident(sf__parser *p, const char *what, sf__loc *loc)
{
    if (cur(p)->kind == TK_IDENT) {
        if (loc)
            *loc = cur(p)->loc;
        return advance(p)->text;
    }
    err_expected(p, what, NULL);
    return NULL;
}

/* Statement keywords that may start an item; recovery stops before one that
 * begins a line. */
static int starts_item(const sf__tok *t)
{
    static const char *const kws[] = {"boundary", "header",  "const",    "enum",   "flags",
                                      "magic",    "seeds",   "resource", "layout", "library",
                                      "fn",       "builtin", "ignore"};
    if (t->kind != TK_IDENT || !t->bol)
        return 0;
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        if (strcmp(t->text, kws[i]) == 0)
            return 1;
    return 0;
}

/* Error recovery: skips to the end of the broken statement, i.e. past a ';'
 * or a balanced '{...}' at the statement's depth, stopping before a '}' that
 * closes an enclosing block or before an item keyword at line start. */
static void sync(sf__parser *p, sf__tok *start)
{
    int depth = 0;
    for (;;) {
        sf__tok *t = cur(p);
        if (t->kind == TK_EOF)
            return;
        if (depth == 0 && t != start && starts_item(t))
            return;
        if (t->kind == TK_PUNCT) {
            if (t->punct == ';' && depth == 0) {
                advance(p);
                return;
            }
            if (t->punct == '{' || t->punct == '(' || t->punct == '[')
                depth++;
            if (t->punct == '}' || t->punct == ')' || t->punct == ']') {
                if (depth == 0) {
                    if (t->punct == '}')
                        return;
                } else {
                    depth--;
                    if (depth == 0 && t->punct == '}') {
                        advance(p);
                        accept(p, ';');
                        return;
                    }
                }
            }
        }
        advance(p);
    }
}

/* ---- Expressions ------------------------------------------------------- */

static int parse_expr(sf__parser *p, int64_t *out);

static int parse_term(sf__parser *p, int64_t *out)
{
    sf__tok *t = cur(p);
    if (t->kind == TK_INT) {
        advance(p);
        *out = (int64_t)t->ival;
        return 1;
    }
    if (t->kind == TK_IDENT) {
        advance(p);
        sf__sym *sym = sf__sym_find(p->s, t->text);
        if (sym == NULL || (sym->kind != SF__S_CONST && sym->kind != SF__S_MEMBER)) {
            sf__diag_add(p->s, t->loc,
                         sym ? "only constants and enum members have values"
                             : "define it with `const NAME = value;` before its first use",
                         "unknown constant '%s'", t->text);
            return 0;
        }
        *out = sym->value;
        return 1;
    }
    if (is_punct(p, '-')) {
        advance(p);
        int64_t v;
        if (p->depth >= SF_SEAM_MAX_DEPTH) {
            sf__diag_add(p->s, t->loc, "simplify the expression",
                         "expression nested too deeply (limit %u)", SF_SEAM_MAX_DEPTH);
            return 0;
        }
        p->depth++;
        int ok = parse_term(p, &v);
        p->depth--;
        if (!ok)
            return 0;
        if (v == INT64_MIN) {
            sf__diag_add(p->s, t->loc, "keep values within signed 64 bits",
                         "integer overflow in constant expression");
            return 0;
        }
        *out = -v;
        return 1;
    }
    if (is_punct(p, '(')) {
        if (p->depth >= SF_SEAM_MAX_DEPTH) {
            sf__diag_add(p->s, t->loc, "simplify the expression",
                         "expression nested too deeply (limit %u)", SF_SEAM_MAX_DEPTH);
            return 0;
        }
        advance(p);
        p->depth++;
        int ok = parse_expr(p, out);
        p->depth--;
        if (!ok)
            return 0;
        return expect(p, ')', "to close the parenthesis", NULL);
    }
    err_expected(p, "a value (integer, constant or parenthesised expression)",
                 "values are integers, named constants, or a + b, a - b, a << b, a | b");
    return 0;
}

static int parse_expr(sf__parser *p, int64_t *out)
{
    int64_t v;
    if (!parse_term(p, &v))
        return 0;
    for (;;) {
        sf__tok *op = cur(p);
        if (op->kind != TK_PUNCT ||
            (op->punct != '+' && op->punct != '-' && op->punct != P_SHL && op->punct != '|'))
            break;
        advance(p);
        int64_t r;
        if (!parse_term(p, &r))
            return 0;
        int over = 0;
        switch (op->punct) {
        case '+':
            over = __builtin_add_overflow(v, r, &v);
            break;
        case '-':
            over = __builtin_sub_overflow(v, r, &v);
            break;
        case '|':
            v = (int64_t)((uint64_t)v | (uint64_t)r);
            break;
        default:
            if (r < 0 || r > 62 || v < 0 || (r > 0 && v > (INT64_MAX >> r)))
                over = 1;
            else
                v = v << r;
        }
        if (over) {
            sf__diag_add(p->s, op->loc, "keep values within signed 64 bits (shifts by 0..62)",
                         "integer overflow in constant expression");
            return 0;
        }
    }
    *out = v;
    return 1;
}

/* ---- Small items ------------------------------------------------------- */

static int parse_side(sf__parser *p, uint8_t *side)
{
    if (accept_kw(p, "rust"))
        *side = SF_SIDE_RUST;
    else if (accept_kw(p, "go"))
        *side = SF_SIDE_GO;
    else if (accept_kw(p, "c"))
        *side = SF_SIDE_C;
    else {
        err_expected(p, "a side", "a side is one of: rust, go, c");
        return 0;
    }
    return 1;
}

static int parse_ref(sf__parser *p, sf__ref *r, const char *what)
{
    r->loc = cur(p)->loc;
    r->name = expect_ident(p, what, NULL);
    return r->name != NULL;
}

static int parse_boundary(sf__parser *p, sf__tok *kw)
{
    sf__loc loc;
    const char *name = expect_ident(p, "the boundary name after 'boundary'", &loc);
    if (name == NULL)
        return 0;
    if (p->s->boundary != NULL) {
        sf__diag_add(p->s, kw->loc, "a spec describes exactly one boundary",
                     "duplicate 'boundary' (first at line %u)", p->s->boundary_loc.line);
    } else {
        p->s->boundary = name;
        p->s->boundary_loc = loc;
    }
    return expect(p, ';', "after the boundary name", NULL);
}

static int parse_header(sf__parser *p)
{
    if (cur(p)->kind != TK_STRING) {
        err_expected(p, "a header path string", "write: header \"path/to/api.h\";");
        return 0;
    }
    p->s->header = advance(p)->text;
    return expect(p, ';', "after the header path", NULL);
}

static int parse_seeds(sf__parser *p)
{
    if (cur(p)->kind != TK_STRING) {
        err_expected(p, "a seeds file path string", "write: seeds \"seeds_hand.txt\";");
        return 0;
    }
    if (p->s->seeds)
        sf__diag_add(p->s, cur(p)->loc, "list every hand-written seed in one file",
                     "a second 'seeds' item");
    p->s->seeds_loc = cur(p)->loc;
    p->s->seeds = advance(p)->text;
    return expect(p, ';', "after the seeds path", NULL);
}

static int parse_const(sf__parser *p)
{
    sf__loc loc;
    const char *name = expect_ident(p, "a constant name", &loc);
    if (name == NULL || !expect(p, '=', "after the constant name", "write: const NAME = value;"))
        return 0;
    int64_t v;
    if (!parse_expr(p, &v))
        return 0;
    if (!expect(p, ';', "after the constant", NULL))
        return 0;
    if (p->s->n_consts >= SF_SEAM_MAX_ITEMS) {
        sf__diag_add(p->s, loc, NULL, "too many constants (limit %u)", SF_SEAM_MAX_ITEMS);
        return 1;
    }
    p->s->n_consts++;
    sf__sym *sym = sf__sym_define(p->s, name, SF__S_CONST, 0, loc);
    if (sym)
        sym->value = v;
    return 1;
}

static int parse_set(sf__parser *p, int is_flags)
{
    sf_seam *s = p->s;
    sf__loc loc;
    const char *name = expect_ident(p, is_flags ? "a flags set name" : "an enum name", &loc);
    if (name == NULL || !expect(p, '{', "to open the member list", NULL))
        return 0;
    if (s->n_sets >= SF_SEAM_MAX_ITEMS) {
        sf__diag_add(s, loc, NULL, "too many enum/flags sets (limit %u)", SF_SEAM_MAX_ITEMS);
        return 0;
    }
    sf__set *set =
        sf__arena_push(&s->arena, (void **)&s->sets, &s->n_sets, &s->cap_sets, sizeof(*set));
    if (set == NULL)
        return 0;
    uint32_t idx = s->n_sets - 1;
    set->name = name;
    set->loc = loc;
    set->is_flags = (uint8_t)is_flags;
    sf__sym_define(s, name, SF__S_SET, idx, loc);
    int64_t next = is_flags ? 1 : 0;
    while (!is_punct(p, '}')) {
        sf__loc mloc;
        const char *mname = expect_ident(p, "a member name or '}'", &mloc);
        if (mname == NULL)
            return 0;
        int64_t v = next;
        if (accept(p, '=')) {
            if (!parse_expr(p, &v))
                return 0;
        } else if (is_flags && (next <= 0 || next > ((int64_t)1 << 62))) {
            sf__diag_add(s, mloc, "give the member an explicit value",
                         "flags member '%s' needs an explicit value", mname);
            return 0;
        }
        if (set->n >= 64) {
            sf__diag_add(s, mloc, "split the set", "too many members in '%s' (limit 64)", name);
            return 0;
        }
        sf__member *m = sf__arena_push(&s->arena, (void **)&set->m, &set->n, &set->cap, sizeof(*m));
        if (m == NULL)
            return 0;
        m->name = mname;
        m->loc = mloc;
        m->value = v;
        sf__sym *sym = sf__sym_define(s, mname, SF__S_MEMBER, idx, mloc);
        if (sym)
            sym->value = v;
        if (is_flags)
            next = (v > 0 && v <= ((int64_t)1 << 61)) ? v << 1 : 0;
        else
            next = v == INT64_MAX ? v : v + 1;
        if (!accept(p, ','))
            break;
    }
    if (!expect(p, '}', "to close the member list", "separate members with ','"))
        return 0;
    if (set->n == 0)
        sf__diag_add(s, loc, "list at least one member", "%s '%s' has no members",
                     is_flags ? "flags" : "enum", name);
    accept(p, ';');
    return 1;
}

static int parse_strings(sf__parser *p, int magic)
{
    sf_seam *s = p->s;
    do {
        sf__tok *t = cur(p);
        if (t->kind != TK_STRING) {
            err_expected(p, "a string",
                         magic ? "write: magic \"BB\", \"!P\";" : "write: ignore \"pattern*\";");
            return 0;
        }
        advance(p);
        if (t->len == 0) {
            sf__diag_add(s, t->loc, "remove it", "empty %s string", magic ? "magic" : "ignore");
            continue;
        }
        if (magic) {
            if (s->n_magics >= SF_SEAM_MAX_ITEMS)
                continue;
            sf__bytes *b = sf__arena_push(&s->arena, (void **)&s->magics, &s->n_magics,
                                          &s->cap_magics, sizeof(*b));
            if (b == NULL)
                return 0;
            b->p = (const uint8_t *)t->text;
            b->len = t->len;
            b->loc = t->loc;
        } else {
            if (s->n_ignores >= SF_SEAM_MAX_ITEMS)
                continue;
            const char **g = sf__arena_push(&s->arena, (void **)&s->ignores, &s->n_ignores,
                                            &s->cap_ignores, sizeof(*g));
            if (g == NULL)
                return 0;
            *g = t->text;
        }
    } while (accept(p, ','));
    return expect(p, ';', magic ? "after the magic values" : "after the ignore patterns", NULL);
}

static int parse_builtin(sf__parser *p)
{
    sf_seam *s = p->s;
    sf__tok *t = cur(p);
    int b;
    if (accept_kw(p, "gc")) {
        b = SF_B_GO_GC;
        if (!parse_ref(p, &s->gc, "the Go GC function after 'builtin gc'"))
            return 0;
    } else if (accept_kw(p, "yield")) {
        b = SF_B_YIELD;
    } else if (accept_kw(p, "thread")) {
        b = SF_B_THREAD;
    } else if (accept_kw(p, "stale")) {
        b = SF_B_STALE;
    } else {
        err_expected(p, "a built-in op", "built-ins are: gc FUNC, yield, thread, stale");
        return 0;
    }
    if (s->builtins & (1u << b))
        sf__diag_add(s, t->loc, "declare each built-in once", "duplicate built-in '%s'",
                     t->text ? t->text : "?");
    s->builtins |= 1u << b;
    return expect(p, ';', "after the built-in", NULL);
}

/* ---- Resources --------------------------------------------------------- */

static int parse_res_prop(sf__parser *p, sf__res *r)
{
    sf__tok *t = cur(p);
    const char *kw = t->kind == TK_IDENT ? t->text : "";
    int64_t v;
    if (accept_kw(p, "owner")) {
        if (r->has_owner)
            sf__diag_add(p->s, t->loc, "state each property once", "duplicate 'owner'");
        r->owner_loc = t->loc;
        if (!parse_side(p, &r->owner))
            return 0;
        r->has_owner = 1;
    } else if (accept_kw(p, "dtor")) {
        if (!parse_ref(p, &r->dtor, "the destructor function"))
            return 0;
    } else if (accept_kw(p, "probe")) {
        if (!parse_ref(p, &r->probe, "the live-count probe function"))
            return 0;
    } else if (accept_kw(p, "code")) {
        if (!parse_ref(p, &r->code, "the error-code accessor function"))
            return 0;
    } else if (accept_kw(p, "message")) {
        if (!parse_ref(p, &r->message, "the error-message accessor function"))
            return 0;
    } else if (accept_kw(p, "child")) {
        if (r->container.name)
            sf__diag_add(p->s, t->loc, "a resource has one container", "duplicate 'child of'");
        if (!accept_kw(p, "of")) {
            err_expected(p, "'of'",
                         "write: child of Parent busy(E_BUSY); or child of Parent "
                         "invalidated;");
            return 0;
        }
        if (!parse_ref(p, &r->container, "the container resource"))
            return 0;
        if (accept_kw(p, "busy")) {
            r->on_close = SF_CLOSE_BUSY;
            if (!expect(p, '(', "after 'busy'", "write: busy(E_BUSY)") ||
                !parse_expr(p, &r->busy_code) || !expect(p, ')', "after the busy code", NULL))
                return 0;
            if (r->busy_code >= 0)
                sf__diag_add(p->s, t->loc, "the container's destructor fails with a negative code",
                             "busy code %lld is not negative", (long long)r->busy_code);
        } else if (accept_kw(p, "invalidated")) {
            r->on_close = SF_CLOSE_INVALIDATES;
        } else {
            err_expected(p, "'busy(CODE)' or 'invalidated'",
                         "say what closing the container does while children live");
            return 0;
        }
    } else if (accept_kw(p, "invalid") || accept_kw(p, "align") || accept_kw(p, "size")) {
        if (!parse_expr(p, &v))
            return 0;
        if (strcmp(kw, "invalid") == 0) {
            r->has_invalid = 1;
            r->invalid = v;
        } else if (strcmp(kw, "align") == 0) {
            r->has_align = 1;
            r->align = v;
            if (v < 0 || v > 4096 || (v & (v - 1)) != 0)
                sf__diag_add(p->s, t->loc, "alignment is a power of two up to 4096",
                             "bad alignment %lld", (long long)v);
        } else {
            r->has_size = 1;
            r->size = v;
            if (v < 0 || v > UINT32_MAX)
                sf__diag_add(p->s, t->loc, "size is in bytes, 0 for unknown", "bad size %lld",
                             (long long)v);
        }
    } else {
        err_expected(p, "a resource property",
                     "properties: owner, dtor, invalid, align, size, probe, code, message, "
                     "child of");
        return 0;
    }
    return expect(p, ';', "after the resource property", NULL);
}

static int parse_resource(sf__parser *p)
{
    sf_seam *s = p->s;
    sf__loc loc;
    const char *name = expect_ident(p, "a resource name", &loc);
    if (name == NULL ||
        !expect(p, ':', "after the resource name", "write: resource Name : ptr { ... }"))
        return 0;
    if (s->n_res >= SF_SEAM_MAX_ITEMS) {
        sf__diag_add(s, loc, NULL, "too many resources (limit %u)", SF_SEAM_MAX_ITEMS);
        return 0;
    }
    sf__res r = {0};
    r.name = name;
    r.loc = loc;
    if (accept_kw(p, "ptr")) {
        r.base = 0;
        if (accept(p, '(')) {
            const char *ct = expect_ident(p, "the C pointee type", NULL);
            if (ct == NULL || !expect(p, ')', "after the pointee type", NULL))
                return 0;
            r.ctype = ct;
        }
    } else if (accept_kw(p, "handle")) {
        r.base = 1;
        if (!expect(p, '(', "after 'handle'", "write: handle(u64)"))
            return 0;
        sf__loc tl = cur(p)->loc;
        const char *sc = expect_ident(p, "an integer type", NULL);
        if (sc == NULL)
            return 0;
        r.hscalar = (uint8_t)sf__scalar_by_name(sc);
        if (r.hscalar == SF__SC_NONE || r.hscalar == SF__SC_BOOL)
            sf__diag_add(s, tl, "handles are i8..i64, u8..u64, isize or usize",
                         "'%s' is not an integer type", sc);
        if (!expect(p, ')', "after the handle type", NULL))
            return 0;
    } else if (cur(p)->kind == TK_IDENT) {
        r.base = 2;
        parse_ref(p, &r.parent, "the parent resource");
    } else {
        err_expected(p, "'ptr', 'handle(T)' or a parent resource",
                     "write: resource Name : ptr { ... }");
        return 0;
    }
    if (!expect(p, '{', "to open the resource body", NULL))
        return 0;
    int ok = 1;
    while (!is_punct(p, '}') && cur(p)->kind != TK_EOF && !s->gave_up) {
        sf__tok *st = cur(p);
        if (!parse_res_prop(p, &r)) {
            ok = 0;
            sync(p, st);
        }
    }
    if (!expect(p, '}', "to close the resource body", NULL))
        return 0;
    accept(p, ';');
    sf__res *slot =
        sf__arena_push(&s->arena, (void **)&s->res, &s->n_res, &s->cap_res, sizeof(*slot));
    if (slot == NULL)
        return 0;
    *slot = r;
    sf__sym_define(s, name, SF__S_RES, s->n_res - 1, loc);
    (void)ok;
    return 1;
}

/* ---- Layouts ----------------------------------------------------------- */

static int parse_layout_stmt(sf__parser *p, sf__layout *l)
{
    sf_seam *s = p->s;
    sf__tok *t = cur(p);
    if (accept_kw(p, "probe")) {
        uint8_t side;
        if (!parse_side(p, &side))
            return 0;
        /* `probe SIDE F;` (F(what)) or `probe SIDE size F;` / `align F;`. */
        sf__ref *slot = &l->probe[side];
        if (is_kw(p, "size") && p->t[p->pos + 1].kind == TK_IDENT) {
            advance(p);
            slot = &l->probe_size[side];
        } else if (is_kw(p, "align") && p->t[p->pos + 1].kind == TK_IDENT) {
            advance(p);
            slot = &l->probe_align[side];
        }
        if (slot->name != NULL)
            sf__diag_add(s, t->loc, "one probe of each form per side",
                         "duplicate %s probe for layout '%s'", sf_side_name(side), l->name);
        if (!parse_ref(p, slot, "the layout probe function"))
            return 0;
        return expect(p, ';', "after the probe", NULL);
    }
    if (is_kw(p, "size") || is_kw(p, "align")) {
        int is_size = is_kw(p, "size");
        advance(p);
        int64_t v;
        if (!parse_expr(p, &v))
            return 0;
        if (is_size) {
            l->has_size = 1;
            l->size = v;
            l->size_loc = t->loc;
        } else {
            l->has_align = 1;
            l->align = v;
            l->align_loc = t->loc;
        }
        return expect(p, ';', "after the value", NULL);
    }
    sf__loc floc;
    const char *fname = expect_ident(p, "a field name, 'size', 'align' or 'probe'", &floc);
    if (fname == NULL || !expect(p, ':', "after the field name", "write: name: u32 @0;"))
        return 0;
    if (l->n_fields >= 256) {
        sf__diag_add(s, floc, NULL, "too many fields (limit 256)");
        return 0;
    }
    sf__field f = {0};
    f.name = fname;
    f.loc = floc;
    sf__loc tl = cur(p)->loc;
    const char *tn = expect_ident(p, "a field type", NULL);
    if (tn == NULL)
        return 0;
    f.scalar = (uint8_t)sf__scalar_by_name(tn);
    if (f.scalar == SF__SC_NONE) {
        f.lname.name = tn;
        f.lname.loc = tl;
    }
    if (accept(p, '[')) {
        if (!parse_expr(p, &f.count))
            return 0;
        if (f.count < 1 || f.count > 65536)
            sf__diag_add(s, tl, "array fields have 1..65536 elements", "bad array length %lld",
                         (long long)f.count);
        if (!expect(p, ']', "after the array length", NULL))
            return 0;
    }
    if (accept(p, '@')) {
        f.off_loc = cur(p)->loc;
        if (!parse_expr(p, &f.off))
            return 0;
        f.has_off = 1;
    }
    for (uint32_t i = 0; i < l->n_fields; i++)
        if (strcmp(l->fields[i].name, fname) == 0)
            sf__diag_add(s, floc, "field names are unique within a layout",
                         "duplicate field '%s' in layout '%s'", fname, l->name);
    sf__field *slot =
        sf__arena_push(&s->arena, (void **)&l->fields, &l->n_fields, &l->cap_fields, sizeof(*slot));
    if (slot == NULL)
        return 0;
    *slot = f;
    return expect(p, ';', "after the field", NULL);
}

static int parse_layout(sf__parser *p)
{
    sf_seam *s = p->s;
    sf__loc loc;
    const char *name = expect_ident(p, "a layout name", &loc);
    if (name == NULL || !expect(p, '{', "to open the layout body", NULL))
        return 0;
    if (s->n_layouts >= SF_SEAM_MAX_ITEMS) {
        sf__diag_add(s, loc, NULL, "too many layouts (limit %u)", SF_SEAM_MAX_ITEMS);
        return 0;
    }
    sf__layout *l =
        sf__arena_push(&s->arena, (void **)&s->layouts, &s->n_layouts, &s->cap_layouts, sizeof(*l));
    if (l == NULL)
        return 0;
    uint32_t idx = s->n_layouts - 1;
    l->name = name;
    l->loc = loc;
    sf__sym_define(s, name, SF__S_LAYOUT, idx, loc);
    while (!is_punct(p, '}') && cur(p)->kind != TK_EOF && !s->gave_up) {
        sf__tok *st = cur(p);
        /* s->layouts may move while parsing; re-fetch l each statement. */
        l = &s->layouts[idx];
        if (!parse_layout_stmt(p, l))
            sync(p, st);
    }
    if (!expect(p, '}', "to close the layout body", NULL))
        return 0;
    accept(p, ';');
    return 1;
}

/* ---- Functions --------------------------------------------------------- */

/* `[MAX]` or `[MIN : MAX]`: a buffer's length range. */
static int parse_max(sf__parser *p, int64_t *min, int64_t *max, const char *what)
{
    if (!expect(p, '[', what, "write e.g. bytes[64] or bytes[4:64]"))
        return 0;
    sf__loc l = cur(p)->loc;
    *min = 0;
    if (!parse_expr(p, max))
        return 0;
    if (accept(p, ':')) {
        *min = *max;
        if (!parse_expr(p, max))
            return 0;
    }
    if (*max < 0 || *max > SF_SEAM_MAX_LEN) {
        sf__diag_add(p->s, l, "maximum lengths are 0..16777216 bytes", "bad maximum length %lld",
                     (long long)*max);
        return 0;
    }
    if (*min < 0 || *min > *max) {
        sf__diag_add(p->s, l, "write the smaller length first", "bad length range [%lld:%lld]",
                     (long long)*min, (long long)*max);
        return 0;
    }
    return expect(p, ']', "after the length", NULL);
}

/* `until(f, g)` after a view: the functions whose call on the viewed
 * resource ends it; `until(use)` any call taking it, `until(call)` any op. */
static int parse_until(sf__parser *p, sf__type *ty)
{
    if (!expect(p, '(', "after 'until'", "write: until(put, del), until(use) or until(call)"))
        return 0;
    if (accept_kw(p, "call")) {
        ty->life = SF_LIFE_CALL;
    } else if (accept_kw(p, "use")) {
        ty->life = SF_LIFE_USE;
    } else {
        ty->life = SF_LIFE_FUNCS;
        do {
            if (ty->n_until >= 32) {
                sf__diag_add(p->s, cur(p)->loc, NULL, "too many functions in until() (limit 32)");
                return 0;
            }
            sf__ref *r = sf__arena_push(&p->s->arena, (void **)&ty->until, &ty->n_until,
                                        &ty->cap_until, sizeof(*r));
            if (r == NULL || !parse_ref(p, r, "a function name"))
                return 0;
        } while (accept(p, ','));
    }
    return expect(p, ')', "after the lifetime", NULL);
}

/* Parses a parameter or return type (ret = 1 for returns). */
static int parse_type(sf__parser *p, sf__type *ty, int ret)
{
    sf_seam *s = p->s;
    ty->loc = cur(p)->loc;
    ty->res = -1;
    ty->layout = -1;
    if (cur(p)->kind != TK_IDENT) {
        err_expected(p, ret ? "a return type" : "a parameter type",
                     "types: i8..u64, usize, bool, bytes[N], outbytes[N], cstr[N], len(p), "
                     "or a resource/layout name");
        return 0;
    }
    const char *tn = cur(p)->text;
    int sc = sf__scalar_by_name(tn);
    if (sc != SF__SC_NONE) {
        advance(p);
        ty->tt = SF__T_SCALAR;
        ty->scalar = (uint8_t)sc;
        if (is_punct(p, '[')) {
            sf__loc rl = cur(p)->loc;
            advance(p);
            if (!parse_expr(p, &ty->min) ||
                !expect(p, ':', "between the range bounds", "write: u32[0:100]") ||
                !parse_expr(p, &ty->max) || !expect(p, ']', "after the range", NULL))
                return 0;
            ty->has_range = 1;
            if (ty->min > ty->max && sf__scalar_signed(sc))
                sf__diag_add(s, rl, "write the smaller bound first", "empty range [%lld:%lld]",
                             (long long)ty->min, (long long)ty->max);
            else if (!sf__scalar_signed(sc) && (ty->min < 0 || ty->max < ty->min))
                sf__diag_add(s, rl, "unsigned ranges are within 0..INT64_MAX, smaller first",
                             "bad unsigned range [%lld:%lld]", (long long)ty->min,
                             (long long)ty->max);
            else if (sf__scalar_width(sc) < 8 &&
                     (ty->min < sf__scalar_min(sc) || ty->max > sf__scalar_max(sc)))
                sf__diag_add(s, rl, "the range must fit the parameter type",
                             "range [%lld:%lld] does not fit %s", (long long)ty->min,
                             (long long)ty->max, sf__scalar_name(sc));
        } else if (is_kw(p, "in") || is_kw(p, "flags")) {
            ty->choice = is_kw(p, "in") ? 1 : 2;
            advance(p);
            if (!parse_ref(p, &ty->ref, ty->choice == 1 ? "an enum name" : "a flags set name"))
                return 0;
        }
        return 1;
    }
    if (strcmp(tn, "void") == 0) {
        advance(p);
        ty->tt = SF__T_VOID;
        return 1;
    }
    /* `mut` before an input buffer: the C prototype takes a non-const
     * pointer (cgo exports *C.uint8_t as uint8_t *); the callee may still
     * not keep it. */
    if (strcmp(tn, "mut") == 0 && p->t[p->pos + 1].kind == TK_IDENT &&
        (strcmp(p->t[p->pos + 1].text, "bytes") == 0 ||
         strcmp(p->t[p->pos + 1].text, "cstr") == 0)) {
        advance(p);
        ty->is_mut = 1;
        tn = cur(p)->text;
    }
    if (strcmp(tn, "bytes") == 0 || strcmp(tn, "outbytes") == 0 || strcmp(tn, "cstr") == 0) {
        advance(p);
        ty->tt = tn[0] == 'b' ? SF__T_BYTES : tn[0] == 'o' ? SF__T_OUTBYTES : SF__T_CSTR;
        return parse_max(p, &ty->min_len, &ty->max_len, "after the buffer type");
    }
    if (strcmp(tn, "len") == 0 || strcmp(tn, "extent") == 0) {
        advance(p);
        ty->tt = tn[0] == 'l' ? SF__T_LEN : SF__T_EXTENT;
        if (!expect(p, '(', "after the type", "write: len(data) / extent(blob)"))
            return 0;
        if (ty->tt == SF__T_EXTENT && is_kw(p, "return")) {
            ty->ref.name = "return";
            ty->ref.loc = cur(p)->loc;
            advance(p);
        } else if (!parse_ref(p, &ty->ref, "a parameter name")) {
            return 0;
        }
        return expect(p, ')', "after the parameter name", NULL);
    }
    if (strcmp(tn, "userdata") == 0) {
        /* userdata(cb) [until(p)] in a function; bare in a callback type. */
        advance(p);
        ty->tt = SF__T_USERDATA;
        if (accept(p, '(')) {
            if (!parse_ref(p, &ty->ref, "the callback parameter") ||
                !expect(p, ')', "after the callback parameter", NULL))
                return 0;
        }
        if (accept_kw(p, "until")) {
            if (!expect(p, '(', "after 'until'", "write: userdata(cb) until(store)") ||
                !parse_ref(p, &ty->of, "the resource parameter it lives with") ||
                !expect(p, ')', "after the parameter", NULL))
                return 0;
        }
        return 1;
    }
    if (strcmp(tn, "view") == 0 || strcmp(tn, "cview") == 0) {
        advance(p);
        ty->tt = tn[0] == 'v' ? SF__T_VIEW : SF__T_CVIEW;
        /* view(p): into resource argument p; plain `view`: into memory
         * the library keeps (no argument owns it). */
        if (accept(p, '(')) {
            if (!parse_ref(p, &ty->ref, "a parameter name") ||
                !expect(p, ')', "after the parameter name", NULL))
                return 0;
        }
        if (ty->tt == SF__T_VIEW && accept_kw(p, "of")) {
            if (!parse_ref(p, &ty->of, "a layout name"))
                return 0;
        }
        if (accept_kw(p, "until"))
            return parse_until(p, ty);
        return 1;
    }
    if (accept_kw(p, "const"))
        ty->is_const = 1;
    ty->tt = SF__T_NAMED;
    return parse_ref(p, &ty->ref, "a resource or layout name");
}

static int parse_param(sf__parser *p, sf__func *f)
{
    sf_seam *s = p->s;
    sf__loc loc;
    const char *name = expect_ident(p, "a parameter name", &loc);
    if (name == NULL ||
        !expect(p, ':', "after the parameter name", "parameters are written name: [mode] type"))
        return 0;
    if (f->n_params >= SF_MAX_PARAMS_SPEC) {
        sf__diag_add(s, loc, "pass a struct or split the function",
                     "too many parameters (limit %u)", SF_MAX_PARAMS_SPEC);
        return 0;
    }
    sf__param pa = {0};
    pa.name = name;
    pa.loc = loc;
    pa.link = -1;
    pa.mode_loc = cur(p)->loc;
    if (accept_kw(p, "borrow")) {
        pa.mode = SF_M_BORROW;
    } else if (accept_kw(p, "consume")) {
        pa.mode = SF_M_CONSUME;
    } else if (accept_kw(p, "out")) {
        pa.mode = SF_M_OUT;
    } else if (accept_kw(p, "transfer")) {
        pa.mode = SF_M_TRANSFER;
        if (!expect(p, '(', "after 'transfer'", "write: transfer(go) Type"))
            return 0;
        if (!parse_side(p, &pa.to_side) || !expect(p, ')', "after the side", NULL))
            return 0;
    }
    pa.mode_given = pa.mode != SF_M_NONE;
    if (!parse_type(p, &pa.type, 0))
        return 0;
    for (;;) {
        sf__tok *t = cur(p);
        if (accept_kw(p, "nullable")) {
            pa.attrs |= SF__PA_NULLABLE;
            pa.attr_loc = t->loc;
        } else if (accept_kw(p, "rejects")) {
            pa.attr_loc = t->loc;
            if (!expect(p, '(', "after 'rejects'", "write: rejects(null, stale)"))
                return 0;
            do {
                if (accept_kw(p, "null"))
                    pa.attrs |= SF__PA_REJ_NULL;
                else if (accept_kw(p, "stale"))
                    pa.attrs |= SF__PA_REJ_STALE;
                else if (accept_kw(p, "range"))
                    pa.attrs |= SF__PA_REJ_RANGE;
                else {
                    err_expected(p, "'null', 'stale' or 'range'", "write: rejects(null, stale)");
                    return 0;
                }
            } while (accept(p, ','));
            if (!expect(p, ')', "after the rejected values", NULL))
                return 0;
        } else {
            break;
        }
    }
    for (uint32_t i = 0; i < f->n_params; i++)
        if (strcmp(f->params[i].name, name) == 0)
            sf__diag_add(s, loc, "parameter names are unique within a function",
                         "duplicate parameter '%s' in '%s'", name, f->name);
    sf__param *slot =
        sf__arena_push(&s->arena, (void **)&f->params, &f->n_params, &f->cap_params, sizeof(*slot));
    if (slot == NULL)
        return 0;
    *slot = pa;
    return 1;
}

static int parse_errors_base(sf__parser *p, sf__func *f, sf__tok *kw);

/* `errors FORM [last(F)]`: F() returns the error object of the call that
 * just failed (the last-error pattern); the caller owns and frees it. */
static int parse_errors(sf__parser *p, sf__func *f, sf__tok *kw)
{
    if (!parse_errors_base(p, f, kw))
        return 0;
    if (!accept_kw(p, "last"))
        return 1;
    if (!expect(p, '(', "after 'last'", "write: errors neg(E_FAIL) last(lib_last_error)") ||
        !parse_ref(p, &f->err_last, "the last-error function"))
        return 0;
    return expect(p, ')', "after the last-error function", NULL);
}

static int parse_errors_base(sf__parser *p, sf__func *f, sf__tok *kw)
{
    sf_seam *s = p->s;
    if (f->err_given)
        sf__diag_add(s, kw->loc, "give one error contract per function",
                     "duplicate 'errors' on '%s'", f->name);
    f->err_given = 1;
    f->err_loc = kw->loc;
    if (accept_kw(p, "none")) {
        f->err_style = SF_ERR_NONE;
    } else if (accept_kw(p, "null")) {
        f->err_style = SF_ERR_NULL;
    } else if (accept_kw(p, "neg")) {
        f->err_style = SF_ERR_NEG;
        if (!expect(p, '(', "after 'neg'", "write: errors neg(E_ONE, E_TWO)"))
            return 0;
        do {
            sf__loc cl = cur(p)->loc;
            int64_t v;
            if (!parse_expr(p, &v))
                return 0;
            if (v >= 0)
                sf__diag_add(s, cl, "error codes of `errors neg` are negative",
                             "error code %lld is not negative", (long long)v);
            if (f->n_codes >= 64) {
                sf__diag_add(s, cl, NULL, "too many error codes (limit 64)");
                return 0;
            }
            int64_t *c = sf__arena_push(&s->arena, (void **)&f->codes, &f->n_codes, &f->cap_codes,
                                        sizeof(*c));
            if (c == NULL)
                return 0;
            *c = v;
        } while (accept(p, ','));
        return expect(p, ')', "after the error codes", NULL);
    } else if (accept_kw(p, "object")) {
        f->err_style = SF_ERR_OBJ;
        if (!expect(p, '(', "after 'object'", "write: errors object(err_out)"))
            return 0;
        if (!parse_ref(p, &f->err_param, "the error-object parameter"))
            return 0;
        return expect(p, ')', "after the parameter", NULL);
    } else {
        err_expected(p, "an error contract", "write: errors none | null | neg(CODES) | object(p)");
        return 0;
    }
    return 1;
}

/* The parameter list, return type and attributes of a function or callback
 * type, after its name; cb = 1 for a callback type. */
static int parse_sig(sf__parser *p, sf__func *f, int cb);

/* `callback Name(params) -> ret [reentrant] [panics];` */
static int parse_callback(sf__parser *p)
{
    sf_seam *s = p->s;
    sf__loc loc;
    const char *name = expect_ident(p, "a callback type name", &loc);
    if (name == NULL)
        return 0;
    if (s->n_cbs >= 256) {
        sf__diag_add(s, loc, NULL, "too many callback types (limit 256)");
        return 0;
    }
    sf__cb cb = {0};
    cb.name = name;
    cb.loc = loc;
    cb.sig.name = name;
    cb.sig.loc = loc;
    cb.sig.lib = -1;
    cb.sig.ret.tt = SF__T_VOID;
    cb.sig.ret.res = -1;
    cb.sig.ret.layout = -1;
    if (!expect(p, '(', "after the callback type name",
                "write: callback Name(ud: userdata, n: u32) -> i32;") ||
        !parse_sig(p, &cb.sig, 1))
        return 0;
    sf__cb *slot =
        sf__arena_push(&s->arena, (void **)&s->cbs, &s->n_cbs, &s->cap_cbs, sizeof(*slot));
    if (slot == NULL)
        return 0;
    *slot = cb;
    sf__sym_define(s, name, SF__S_CB, s->n_cbs - 1, loc);
    return 1;
}

static int parse_func(sf__parser *p, uint32_t lib_idx)
{
    sf_seam *s = p->s;
    sf__loc loc;
    const char *name = expect_ident(p, "a function name", &loc);
    if (name == NULL)
        return 0;
    if (s->n_funcs >= SF_SEAM_MAX_ITEMS) {
        sf__diag_add(s, loc, NULL, "too many functions (limit %u)", SF_SEAM_MAX_ITEMS);
        return 0;
    }
    sf__func f = {0};
    f.name = name;
    f.loc = loc;
    f.lib = (int)lib_idx;
    f.side = s->libs[lib_idx].side;
    f.ret.tt = SF__T_VOID;
    f.ret.res = -1;
    f.ret.layout = -1;
    if (accept_kw(p, "implements")) {
        /* An exported function of a callback type: its signature is the
         * type's (copied by sema). */
        if (!parse_ref(p, &f.impl_of, "a callback type") ||
            !expect(p, ';', "after the callback type", "write: fn go_visit implements VisitFn;"))
            return 0;
    } else {
        if (!expect(p, '(', "after the function name", "write: fn name(p: type, ...) -> type;") ||
            !parse_sig(p, &f, 0))
            return 0;
    }
    sf__func *slot =
        sf__arena_push(&s->arena, (void **)&s->funcs, &s->n_funcs, &s->cap_funcs, sizeof(*slot));
    if (slot == NULL)
        return 0;
    *slot = f;
    sf__sym_define(s, name, SF__S_FUNC, s->n_funcs - 1, loc);
    return 1;
}

static int parse_sig(sf__parser *p, sf__func *f0, int cb)
{
    sf_seam *s = p->s;
    sf__func f = *f0;
    const char *name = f.name;
    sf__loc loc = f.loc;
    if (!is_punct(p, ')')) {
        do {
            if (!parse_param(p, &f))
                return 0;
        } while (accept(p, ','));
    }
    if (!expect(p, ')', "to close the parameter list", "separate parameters with ','"))
        return 0;
    if (accept(p, P_ARROW)) {
        if (!parse_type(p, &f.ret, 1))
            return 0;
    }
    for (;;) {
        sf__tok *t = cur(p);
        if (accept_kw(p, "errors")) {
            if (!parse_errors(p, &f, t))
                return 0;
        } else if (accept_kw(p, "panics")) {
            f.attrs |= SF__FA_PANICS;
        } else if (accept_kw(p, "nopanic")) {
            f.attrs |= SF__FA_NOPANIC;
        } else if (accept_kw(p, "probe")) {
            f.attrs |= SF__FA_PROBE;
        } else if (accept_kw(p, "nofuzz")) {
            f.attrs |= SF__FA_NOFUZZ;
        } else if (accept_kw(p, "intercept")) {
            f.attrs |= SF__FA_INTERCEPT;
        } else if (cb && accept_kw(p, "reentrant")) {
            f.attrs |= SF__FA_REENTRANT;
        } else {
            break;
        }
    }
    if ((f.attrs & SF__FA_PANICS) && (f.attrs & SF__FA_NOPANIC))
        sf__diag_add(s, loc, "a function either has a contained panic path or none",
                     "'%s' is both 'panics' and 'nopanic'", name);
    if (!expect(p, ';', cb ? "after the callback type" : "after the function declaration",
                cb ? "callback attributes are: reentrant, panics, nopanic"
                   : "attributes are: errors ..., panics, nopanic, probe, nofuzz, intercept"))
        return 0;
    if (cb && (f.attrs & ~(SF__FA_REENTRANT | SF__FA_PANICS | SF__FA_NOPANIC) || f.err_given))
        sf__diag_add(s, loc, "a callback type takes only reentrant, panics and nopanic",
                     "callback type '%s' has a function attribute", name);
    *f0 = f;
    return 1;
}

static int parse_library(sf__parser *p)
{
    sf_seam *s = p->s;
    sf__loc loc;
    const char *name = expect_ident(p, "a library name", &loc);
    if (name == NULL ||
        !expect(p, ':', "after the library name", "write: library librust : rust { ... }"))
        return 0;
    if (s->n_libs >= 64) {
        sf__diag_add(s, loc, NULL, "too many libraries (limit 64)");
        return 0;
    }
    sf__lib lib = {0};
    lib.name = name;
    lib.loc = loc;
    if (!parse_side(p, &lib.side))
        return 0;
    if (accept_kw(p, "uses")) {
        do {
            if (lib.n_uses >= 64)
                return 0;
            sf__ref *r = sf__arena_push(&s->arena, (void **)&lib.uses, &lib.n_uses, &lib.cap_uses,
                                        sizeof(*r));
            if (r == NULL || !parse_ref(p, r, "a library name after 'uses'"))
                return 0;
        } while (accept(p, ','));
    }
    if (!expect(p, '{', "to open the library body", NULL))
        return 0;
    sf__lib *slot =
        sf__arena_push(&s->arena, (void **)&s->libs, &s->n_libs, &s->cap_libs, sizeof(*slot));
    if (slot == NULL)
        return 0;
    *slot = lib;
    uint32_t idx = s->n_libs - 1;
    sf__sym_define(s, name, SF__S_LIB, idx, loc);
    while (!is_punct(p, '}') && cur(p)->kind != TK_EOF && !s->gave_up) {
        sf__tok *st = cur(p);
        if (!accept_kw(p, "fn")) {
            err_expected(p, "'fn' or '}'", "a library body holds only function declarations");
            sync(p, st);
            continue;
        }
        if (!parse_func(p, idx))
            sync(p, st);
    }
    return expect(p, '}', "to close the library body", NULL);
}

static int parse_item(sf__parser *p)
{
    sf__tok *kw = cur(p);
    if (kw->kind == TK_IDENT) {
        const char *k = kw->text;
        advance(p);
        if (strcmp(k, "boundary") == 0)
            return parse_boundary(p, kw);
        if (strcmp(k, "header") == 0)
            return parse_header(p);
        if (strcmp(k, "seeds") == 0)
            return parse_seeds(p);
        if (strcmp(k, "const") == 0)
            return parse_const(p);
        if (strcmp(k, "enum") == 0)
            return parse_set(p, 0);
        if (strcmp(k, "flags") == 0)
            return parse_set(p, 1);
        if (strcmp(k, "magic") == 0)
            return parse_strings(p, 1);
        if (strcmp(k, "ignore") == 0)
            return parse_strings(p, 0);
        if (strcmp(k, "resource") == 0)
            return parse_resource(p);
        if (strcmp(k, "layout") == 0)
            return parse_layout(p);
        if (strcmp(k, "library") == 0)
            return parse_library(p);
        if (strcmp(k, "builtin") == 0)
            return parse_builtin(p);
        if (strcmp(k, "callback") == 0)
            return parse_callback(p);
        if (strcmp(k, "fn") == 0) {
            sf__diag_add(p->s, kw->loc, "put it inside `library NAME : side { ... }`",
                         "function '%s' outside a library",
                         cur(p)->kind == TK_IDENT ? cur(p)->text : "?");
            return 0;
        }
        p->pos--;
    }
    err_expected(p, "an item",
                 "items: boundary, header, const, enum, flags, magic, resource, layout, "
                 "library, callback, builtin, ignore");
    return 0;
}

/* ======================================================================== */
/* Public API                                                               */
/* ======================================================================== */

int sf_seam_parse(const char *name, const char *text, size_t len, sf_seam **out)
{
    *out = NULL;
    sf_seam *s = sf_calloc(sizeof(*s));
    if (s == NULL)
        return SF_ENOMEM;
    s->file = sf__arena_strndup(&s->arena, name ? name : "<spec>", strlen(name ? name : "<spec>"));
    if (s->file == NULL)
        goto oom;
    if (len > SF_SEAM_MAX_BYTES) {
        sf__loc l = {1, 1};
        sf__diag_add(s, l, "a boundary spec is a few hundred lines; is this the right file?",
                     "spec is %zu bytes; the limit is %u", len, SF_SEAM_MAX_BYTES);
        *out = s;
        return SF_ELIMIT;
    }
    s->hash = sf_seam_hash(text, len);
    sf__lexer lx = {.s = s, .src = text, .len = len, .line = 1, .col = 1};
    if (lx_run(&lx) != 0)
        goto oom;
    sf__parser p = {.s = s, .t = lx.toks, .n = lx.n};
    while (cur(&p)->kind != TK_EOF && !s->gave_up) {
        sf__tok *st = cur(&p);
        if (!parse_item(&p)) {
            sync(&p, st);
            /* A stray '}' at top level would stop sync forever. */
            if (cur(&p) == st)
                advance(&p);
        }
        if (s->arena.oom)
            goto oom;
    }
    if (s->n_errors == 0 && len == 0) {
        sf__loc l = {1, 1};
        sf__diag_add(s, l, "start with: boundary NAME;", "empty spec");
    }
    if (s->n_errors == 0 && s->boundary == NULL) {
        sf__loc l = {1, 1};
        sf__diag_add(s, l, "start the spec with: boundary NAME;", "spec has no 'boundary' item");
    }
    int parse_errors = s->n_errors != 0;
    int rc = sf__sema(s);
    if (rc == SF_ENOMEM || s->arena.oom)
        goto oom;
    *out = s;
    if (parse_errors)
        return SF_EPARSE;
    return s->n_errors ? SF_ESEMA : 0;
oom:
    sf_seam_free(s);
    return SF_ENOMEM;
}
