/* sf_seam_base.c - the pieces every spec module shares: the arena, the
 * diagnostics list, the global symbol table and the scalar type table.
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
/* Arena                                                                    */
/* ======================================================================== */

struct sf__arena_blk {
    sf__arena_blk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

#define SF__ARENA_BLK 65536u

void *sf__arena_alloc(sf__arena *a, size_t n)
{
    n = (n + 15u) & ~(size_t)15u;
    if (n == 0)
        n = 16;
    sf__arena_blk *b = a->head;
    if (b == NULL || b->cap - b->used < n) {
        size_t cap = n > SF__ARENA_BLK ? n : SF__ARENA_BLK;
        b = sf_calloc(sizeof(*b) + cap);
        if (b == NULL) {
            a->oom = 1;
            return NULL;
        }
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *sf__arena_strndup(sf__arena *a, const char *s, size_t n)
{
    char *p = sf__arena_alloc(a, n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void *sf__arena_push(sf__arena *a, void **arr, uint32_t *n, uint32_t *cap, size_t sz)
{
    if (*n == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 8;
        void *np = sf__arena_alloc(a, (size_t)ncap * sz);
        if (np == NULL)
            return NULL;
        if (*n)
            memcpy(np, *arr, (size_t)*n * sz);
        *arr = np;
        *cap = ncap;
    }
    void *e = (unsigned char *)*arr + (size_t)*n * sz;
    memset(e, 0, sz);
    (*n)++;
    return e;
}

void sf__arena_free(sf__arena *a)
{
    sf__arena_blk *b = a->head;
    while (b != NULL) {
        sf__arena_blk *next = b->next;
        sf_free(b);
        b = next;
    }
    a->head = NULL;
}

/* ======================================================================== */
/* Diagnostics and symbols                                                  */
/* ======================================================================== */

void sf__diag_add(sf_seam *s, sf__loc loc, const char *hint, const char *fmt, ...)
{
    s->n_errors++;
    if (s->gave_up)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (s->n_diags + 1 >= SF_SEAM_MAX_ERRORS) {
        s->gave_up = 1;
        snprintf(buf, sizeof(buf), "too many errors (%u); stopping", SF_SEAM_MAX_ERRORS);
        hint = "fix the errors above and run again";
    }
    sf__diag *d =
        sf__arena_push(&s->arena, (void **)&s->diags, &s->n_diags, &s->cap_diags, sizeof(*d));
    if (d == NULL)
        return;
    d->loc = loc;
    d->msg = sf__arena_strndup(&s->arena, buf, strlen(buf));
    d->hint = hint;
}

static uint32_t sf__strhash(const char *s)
{
    return sf_seam_hash(s, strlen(s));
}

sf__sym *sf__sym_find(sf_seam *s, const char *name)
{
    if (s->sym_cap == 0 || name == NULL)
        return NULL;
    uint32_t m = s->sym_cap - 1;
    for (uint32_t i = sf__strhash(name) & m;; i = (i + 1) & m) {
        if (s->syms[i].name == NULL)
            return NULL;
        if (strcmp(s->syms[i].name, name) == 0)
            return &s->syms[i];
    }
}

static const char *sf__sym_kind_name(int kind)
{
    switch (kind) {
    case SF__S_CONST:
        return "constant";
    case SF__S_MEMBER:
        return "enum member";
    case SF__S_SET:
        return "enum/flags set";
    case SF__S_RES:
        return "resource";
    case SF__S_LAYOUT:
        return "layout";
    case SF__S_FUNC:
        return "function";
    case SF__S_LIB:
        return "library";
    case SF__S_CB:
        return "callback type";
    }
    return "name";
}

sf__sym *sf__sym_define(sf_seam *s, const char *name, uint8_t kind, uint32_t idx, sf__loc loc)
{
    if (name == NULL)
        return NULL;
    sf__sym *old = sf__sym_find(s, name);
    if (old != NULL) {
        sf__diag_add(s, loc, "every name in a spec is global: rename one of them",
                     "redefinition of '%s' (a %s first defined at line %u)", name,
                     sf__sym_kind_name(old->kind), old->loc.line);
        return NULL;
    }
    if (sf__reserved(name)) {
        sf__diag_add(s, loc, "pick another name; type keywords cannot be redefined",
                     "'%s' is a reserved word", name);
        return NULL;
    }
    if ((s->n_syms + 1) * 2 > s->sym_cap) {
        uint32_t ncap = s->sym_cap ? s->sym_cap * 2 : 256;
        sf__sym *nt = sf__arena_alloc(&s->arena, (size_t)ncap * sizeof(*nt));
        if (nt == NULL)
            return NULL;
        for (uint32_t i = 0; i < s->sym_cap; i++) {
            if (s->syms[i].name == NULL)
                continue;
            uint32_t j = sf__strhash(s->syms[i].name) & (ncap - 1);
            while (nt[j].name != NULL)
                j = (j + 1) & (ncap - 1);
            nt[j] = s->syms[i];
        }
        s->syms = nt;
        s->sym_cap = ncap;
    }
    uint32_t m = s->sym_cap - 1;
    uint32_t i = sf__strhash(name) & m;
    while (s->syms[i].name != NULL)
        i = (i + 1) & m;
    s->syms[i].name = name;
    s->syms[i].kind = kind;
    s->syms[i].idx = idx;
    s->syms[i].loc = loc;
    s->n_syms++;
    return &s->syms[i];
}

/* ======================================================================== */
/* Scalars and keywords                                                     */
/* ======================================================================== */

static const struct {
    const char *name, *ctype;
    unsigned width;
    int is_signed;
} sf__scalars[SF__SC__COUNT] = {
    [SF__SC_NONE] = {"?", "?", 0, 0},
    [SF__SC_I8] = {"i8", "int8_t", 1, 1},
    [SF__SC_I16] = {"i16", "int16_t", 2, 1},
    [SF__SC_I32] = {"i32", "int32_t", 4, 1},
    [SF__SC_I64] = {"i64", "int64_t", 8, 1},
    [SF__SC_U8] = {"u8", "uint8_t", 1, 0},
    [SF__SC_U16] = {"u16", "uint16_t", 2, 0},
    [SF__SC_U32] = {"u32", "uint32_t", 4, 0},
    [SF__SC_U64] = {"u64", "uint64_t", 8, 0},
    [SF__SC_ISIZE] = {"isize", "ptrdiff_t", 8, 1},
    [SF__SC_USIZE] = {"usize", "size_t", 8, 0},
    [SF__SC_BOOL] = {"bool", "bool", 1, 0},
    /* C's own names, for prototypes a header spells that way (cgo exports
     * C.int as int, uintptr as uintptr_t): the same widths on x86-64. */
    [SF__SC_INT] = {"int", "int", 4, 1},
    [SF__SC_UINT] = {"uint", "unsigned int", 4, 0},
    [SF__SC_LONG] = {"long", "long", 8, 1},
    [SF__SC_ULONG] = {"ulong", "unsigned long", 8, 0},
    [SF__SC_INTPTR] = {"intptr", "intptr_t", 8, 1},
    [SF__SC_UINTPTR] = {"uintptr", "uintptr_t", 8, 0},
};

int sf__scalar_by_name(const char *s)
{
    for (int i = 1; i < SF__SC__COUNT; i++)
        if (strcmp(s, sf__scalars[i].name) == 0)
            return i;
    return SF__SC_NONE;
}

const char *sf__scalar_name(int sc)
{
    return sf__scalars[sc].name;
}

const char *sf__scalar_ctype(int sc)
{
    return sf__scalars[sc].ctype;
}

unsigned sf__scalar_width(int sc)
{
    return sf__scalars[sc].width;
}

int sf__scalar_signed(int sc)
{
    return sf__scalars[sc].is_signed;
}

int64_t sf__scalar_min(int sc)
{
    if (!sf__scalars[sc].is_signed)
        return 0;
    unsigned bits = sf__scalars[sc].width * 8;
    return bits == 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
}

int64_t sf__scalar_max(int sc)
{
    if (sc == SF__SC_BOOL)
        return 1;
    unsigned bits = sf__scalars[sc].width * 8;
    if (sf__scalars[sc].is_signed)
        return bits == 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1;
    return bits == 64 ? -1 : (int64_t)(((uint64_t)1 << bits) - 1);
}

int sf__reserved(const char *name)
{
    static const char *const words[] = {"void",     "bytes", "outbytes", "cstr",   "len",
                                        "view",     "cview", "const",    "borrow", "consume",
                                        "transfer", "out",   "ptr",      "handle", "null",
                                        "stale",    "rust",  "go",       "c",      "fn",
                                        "in",       "flags", "extent",   "return", "userdata"};
    if (sf__scalar_by_name(name) != SF__SC_NONE)
        return 1;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(name, words[i]) == 0)
            return 1;
    return 0;
}

uint32_t sf_seam_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

/* ======================================================================== */
/* Public API besides sf_seam_parse                                         */
/* ======================================================================== */

int sf_seam_load(const char *path, sf_seam **out, char *why, size_t whylen)
{
    *out = NULL;
    char dummy[8];
    if (why == NULL) {
        why = dummy;
        whylen = sizeof(dummy);
    }
    why[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        int e = errno;
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(e));
        return e == ENOENT ? SF_ENOENT : SF_EIO;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "%s: not a regular file", path);
        fclose(f);
        return SF_EIO;
    }
    /* Read one byte past the cap so an oversized file is reported as such. */
    size_t cap = (size_t)st.st_size < SF_SEAM_MAX_BYTES ? (size_t)st.st_size : SF_SEAM_MAX_BYTES;
    char *buf = sf_calloc(cap + 2);
    if (buf == NULL) {
        fclose(f);
        snprintf(why, whylen, "%s: out of memory", path);
        return SF_ENOMEM;
    }
    size_t n = fread(buf, 1, cap + 1, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        sf_free(buf);
        snprintf(why, whylen, "%s: read error", path);
        return SF_EIO;
    }
    size_t len = n;
    if ((size_t)st.st_size > len)
        len = (size_t)st.st_size; /* reported size; only its value is used */
    int rc;
    if (len > SF_SEAM_MAX_BYTES) {
        rc = sf_seam_parse(path, buf, len, out); /* reports the size only */
    } else {
        rc = sf_seam_parse(path, buf, n, out);
    }
    sf_free(buf);
    return rc;
}

unsigned sf_seam_errors(const sf_seam *s)
{
    return s ? s->n_errors : 0;
}

int sf_seam_print_diags(const sf_seam *s, FILE *f)
{
    for (uint32_t i = 0; i < s->n_diags; i++) {
        const sf__diag *d = &s->diags[i];
        if (fprintf(f, "%s:%u:%u: error: %s\n", s->file, d->loc.line, d->loc.col,
                    d->msg ? d->msg : "?") < 0)
            return SF_EIO;
        if (d->hint && fprintf(f, "hint: %s\n", d->hint) < 0)
            return SF_EIO;
    }
    return 0;
}

void sf_seam_first_diag(const sf_seam *s, char *buf, size_t buflen)
{
    if (buflen == 0)
        return;
    buf[0] = '\0';
    if (s == NULL || s->n_diags == 0)
        return;
    const sf__diag *d = &s->diags[0];
    snprintf(buf, buflen, "%s:%u:%u: error: %s", s->file, d->loc.line, d->loc.col,
             d->msg ? d->msg : "?");
}

const sf_spec *sf_seam_spec(const sf_seam *s)
{
    return (s && s->n_errors == 0) ? s->spec : NULL;
}

const char *sf_seam_header(const sf_seam *s)
{
    return s ? s->header : NULL;
}

int sf_seam_ignored(const sf_seam *s, const char *sym)
{
    for (uint32_t i = 0; s && i < s->n_ignores; i++)
        if (fnmatch(s->ignores[i], sym, 0) == 0)
            return 1;
    return 0;
}

void sf_seam_free(sf_seam *s)
{
    if (s == NULL)
        return;
    sf__arena_free(&s->arena);
    sf_free(s);
}
