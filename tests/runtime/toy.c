/* toy.c - the toy boundary (see toy.h): implementation, call stubs, shims
 * and descriptor tables.  Each `#if TOY_BREAK == N` block is the one-line
 * mistake that violation SF-N must catch.
 *
 * The globals below are the toy's own "archive state" (live counters, the
 * handle tables), as a real Rust or Go library would have.
 */
#include "toy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sf_run.h"

/* ---- function indices (order of toy_funcs[]) ---------------------------- */
enum {
    F_TBUF_NEW,
    F_TBUF_WRITE,
    F_TBUF_LEN,
    F_TBUF_FREE,
    F_TPARSE,
    F_TERR_MESSAGE,
    F_TERR_CODE,
    F_TERR_FREE,
    F_TH_INSERT,
    F_TH_GET,
    F_TH_REMOVE,
    F_TSTR_DESCRIBE,
    F_TSTR_FREE,
    F_TPANIC,
    F_TVIEW_GET,
    F_TBUF_CLONE,
    F_TSTATS,
    F_TLEAK,
    F_TCACHE_DROP,
    F_G_ADOPT,
    F_G_APPEND,
    F_G_RELEASE,
    F_G_DESCRIBE,
    F_G_BORROW_FREE,
    F_G_PANIC,
    F_GC,
    F_LIVE_BUFS,
    F_LIVE_ERRS,
    F_LIVE_HANDLES,
    F_LIVE_STRS,
    F_LIVE_GO,
    F_TC_CHECK,
    F__COUNT
};

enum { R_TBUF, R_TERR, R_THANDLE, R_TSTR, R_GHANDLE };

/* ---- "Rust": buffers ---------------------------------------------------- */
typedef struct TBuf {
    uint32_t len, cap;
    uint8_t *data;
} TBuf;

typedef struct TView {
    uint32_t id;
    uint16_t kind;
    uint8_t flags;
    uint8_t pad;
    uint64_t value;
} TView;

static size_t live_bufs, live_errs, live_strs;
static TBuf *last_buf; /* remembered by t_stats's broken variant */

static TBuf *tbuf_new(uint32_t cap)
{
    if (cap > 32)
        return NULL;
    TBuf *b = calloc(1, sizeof *b + 8);
    b->cap = cap;
    b->data = malloc(cap ? cap : 1);
    live_bufs++;
    last_buf = b;
#if TOY_BREAK == 140
    return (TBuf *)((char *)b + 4);
#else
    return b;
#endif
}

static int64_t tbuf_write(TBuf *b, const uint8_t *d, size_t n)
{
    if (!b)
#if TOY_BREAK == 104
        return 0;
#else
        return -1;
#endif
    if (b->len + n > b->cap)
#if TOY_BREAK == 105
        return -9;
#else
        return -2;
#endif
    memcpy(b->data + b->len, d, n);
    b->len += (uint32_t)n;
    return b->len;
}

static uint64_t tbuf_len(const TBuf *b)
{
    return b ? b->len : 0;
}

static void tbuf_free(TBuf *b)
{
    if (!b)
        return;
    if (b == last_buf)
        last_buf = NULL;
    free(b->data);
    free(b);
    live_bufs--;
}

/* ---- "Rust": errors ------------------------------------------------------ */
typedef struct TErr {
    int32_t code;
    char msg[24];
} TErr;

static TBuf *tparse(const uint8_t *d, size_t n, TErr **err)
{
    if (n >= 1 && d[0] == 'T') {
        TBuf *b = tbuf_new((uint32_t)(n > 32 ? 32 : n));
        return b;
    }
#if TOY_BREAK == 106
    (void)err; /* Broken: fails without an error object. */
#else
    if (err) {
        TErr *e = calloc(1, sizeof *e);
        e->code = -3;
#if TOY_BREAK != 107
        strcpy(e->msg, "bad magic");
#endif
        live_errs++;
        *err = e;
    }
#endif
    return NULL;
}

static const char *terr_message(const TErr *e)
{
    return e ? e->msg : NULL;
}

static int32_t terr_code(const TErr *e)
{
    return e ? e->code : -1;
}

static void terr_free(TErr *e)
{
    if (!e)
        return;
    free(e);
    live_errs--;
}

/* ---- "Rust": handle table with generations ------------------------------- */
#define TH_SLOTS 8
static struct {
    int used;
    uint32_t gen;
    uint32_t len;
} th[TH_SLOTS];
static size_t live_handles;

static uint64_t th_insert(const uint8_t *d, size_t n)
{
    (void)d;
    for (uint32_t s = 0; s < TH_SLOTS; s++) {
#if TOY_BREAK == 109
        if (s > 0)
            return 0;
        /* Broken: hands out slot 0 again while it is in use. */
        live_handles += !th[s].used;
        th[s].used = 1;
        return 1u | (uint64_t)1 << 32;
#endif
        if (th[s].used)
            continue;
        th[s].used = 1;
        th[s].gen++;
        th[s].len = (uint32_t)n;
        live_handles++;
        return (uint64_t)(s + 1) | (uint64_t)th[s].gen << 32;
    }
    return 0;
}

static int th_lookup(uint64_t h)
{
    uint32_t s = (uint32_t)(h & 0xffffffffu) - 1;
    if (s >= TH_SLOTS)
        return -1;
#if TOY_BREAK == 103
    return (int)s; /* Broken: neither occupancy nor generation checked. */
#else
    if (!th[s].used || th[s].gen != (uint32_t)(h >> 32))
        return -1;
    return (int)s;
#endif
}

static int64_t th_get(uint64_t h)
{
    int s = th_lookup(h);
    return s < 0 ? -4 : (int64_t)th[s].len;
}

static int32_t th_remove(uint64_t h)
{
    int s = th_lookup(h);
    if (s < 0)
        return -4;
    if (th[s].used)
        live_handles--;
    th[s].used = 0;
    return 0;
}

/* ---- "Rust": strings, panics, views, clones, stats, leaks ------------------- */
static char *tstr_describe(const TBuf *b)
{
    if (!b)
        return NULL;
    char *s = malloc(24);
    strcpy(s, "toy buffer");
    live_strs++;
    return s;
}

static void tstr_free(char *s)
{
    if (!s)
        return;
    free(s);
    live_strs--;
}

static int32_t tpanic(const uint8_t *d, size_t n)
{
    if (n >= 2 && d[0] == '!' && d[1] == 'P') {
#if TOY_BREAK == 130
        abort(); /* what Rust does when a panic reaches an extern "C" frame */
#endif
        return -5;
    }
    return 0;
}

static int32_t tview_get(const TBuf *b, TView *out)
{
    if (!b)
        return -1;
#if TOY_BREAK == 190
    memset(out, 0, sizeof *out + 8); /* Broken: writes past the view. */
#elif TOY_BREAK == 1900
    volatile int32_t id = INT32_MAX;
    id += (int32_t)b->len + 1; /* Broken: signed overflow (UBSan, not ASan). */
    out->pad = (uint8_t)id;
#endif
    out->id = b->len;
    out->kind = 1;
    out->flags = 0;
    out->pad = 0;
    out->value = b->cap;
    return 0;
}

static int32_t tbuf_clone(const TBuf *b, TBuf **out)
{
    if (!b)
        return -1;
#if TOY_BREAK == 108
    return 0; /* Broken: success without a clone. */
#endif
    TBuf *c = tbuf_new(b->cap);
    memcpy(c->data, b->data, b->len);
    c->len = b->len;
    *out = c;
    return 0;
}

static uint64_t w_tbuf_len(const TBuf *b);

static int32_t t_stats(void)
{
#if TOY_BREAK == 102
    /* Broken: Rust keeps using the last buffer after C gave it to Go. */
    if (last_buf)
        (void)w_tbuf_len(last_buf);
#endif
    return (int32_t)live_bufs;
}

static void tleak(void)
{
#if TOY_BREAK == 122
    void *volatile p = malloc(48);
    memset((void *)p, 1, 48);
    p = NULL;
#endif
}

/* A block the toy allocates before any input and frees in tcache_drop(), as
 * a Go or Rust runtime frees its own old blocks during some later input. */
static void *tcache;

__attribute__((constructor)) static void tcache_init(void)
{
    tcache = malloc(64);
}

static void tcache_drop(void)
{
    free(tcache);
    tcache = NULL;
}

static size_t toy_live_bufs(void)
{
    return live_bufs;
}
static size_t toy_live_errs(void)
{
    return live_errs;
}
static size_t toy_live_handles(void)
{
    return live_handles;
}
static size_t toy_live_strs(void)
{
    return live_strs;
}

/* ---- linker-wrap shims: what -Wl,--wrap makes of cross-archive calls ------- */
static int64_t w_tbuf_write(TBuf *b, const uint8_t *d, size_t n)
{
    sf_val a[3];
    a[0].p = b;
    a[1].p = (void *)d;
    a[2].u = n;
    uint32_t t = sf_shim_enter(&toy_spec, F_TBUF_WRITE, a);
    sf_val r;
    r.i = tbuf_write(b, d, n);
    sf_shim_exit(t, r);
    return r.i;
}

static uint64_t w_tbuf_len(const TBuf *b)
{
    sf_val a[1];
    a[0].p = (void *)b;
    uint32_t t = sf_shim_enter(&toy_spec, F_TBUF_LEN, a);
    sf_val r;
    r.u = tbuf_len(b);
    sf_shim_exit(t, r);
    return r.u;
}

static void w_tbuf_free(TBuf *b)
{
    sf_val a[1];
    a[0].p = b;
    uint32_t t = sf_shim_enter(&toy_spec, F_TBUF_FREE, a);
    tbuf_free(b);
    sf_val r;
    r.u = 0;
    sf_shim_exit(t, r);
}

static char *w_tstr_describe(const TBuf *b)
{
    sf_val a[1];
    a[0].p = (void *)b;
    uint32_t t = sf_shim_enter(&toy_spec, F_TSTR_DESCRIBE, a);
    sf_val r;
    r.p = tstr_describe(b);
    sf_shim_exit(t, r);
    return r.p;
}

static void w_tstr_free(char *s)
{
    sf_val a[1];
    a[0].p = s;
    uint32_t t = sf_shim_enter(&toy_spec, F_TSTR_FREE, a);
    tstr_free(s);
    sf_val r;
    r.u = 0;
    sf_shim_exit(t, r);
}

/* ---- "Go": handles to adopted Rust buffers ---------------------------------- */
#define G_SLOTS 8
static struct {
    TBuf *buf;
    uint32_t gen;
} gtab[G_SLOTS];
static int64_t live_go;

static TBuf *g_lookup(int64_t h)
{
    uint32_t s = (uint32_t)(h & 0xff) - 1;
    if (h <= 0 || s >= G_SLOTS || !gtab[s].buf || gtab[s].gen != (uint32_t)(h >> 8))
        return NULL;
    return gtab[s].buf;
}

static int64_t g_adopt(TBuf *b)
{
    if (!b)
        return -1;
    for (uint32_t s = 0; s < G_SLOTS; s++) {
        if (gtab[s].buf)
            continue;
        gtab[s].buf = b;
        gtab[s].gen++;
        live_go++;
        return (int64_t)(s + 1) | (int64_t)gtab[s].gen << 8;
    }
    return -6;
}

static int64_t g_append(int64_t h, const uint8_t *d, size_t n)
{
    TBuf *b = g_lookup(h);
    if (!b)
        return -4;
#if TOY_BREAK == 101
    w_tbuf_free(b); /* Broken: frees the buffer it still holds ... */
#endif
    return w_tbuf_write(b, d, n); /* ... and writes to it. */
}

static int32_t g_release(int64_t h)
{
    TBuf *b = g_lookup(h);
    if (!b)
        return -4;
    uint32_t s = (uint32_t)(h & 0xff) - 1;
    gtab[s].buf = NULL;
    live_go--;
#if TOY_BREAK != 120
    w_tbuf_free(b);
#endif
    return 0;
}

static int32_t g_describe(int64_t h)
{
    TBuf *b = g_lookup(h);
    if (!b)
        return -4;
    char *s = w_tstr_describe(b);
    int32_t n = (int32_t)strlen(s);
#if TOY_BREAK == 160
    free(s); /* Broken: C.free on a Rust string. */
#elif TOY_BREAK == 121
    (void)s; /* Broken: the Rust string is dropped on the floor. */
#else
    w_tstr_free(s);
#endif
    return n;
}

static int32_t g_borrow_free(TBuf *b)
{
    if (!b)
        return -1;
#if TOY_BREAK == 110
    w_tbuf_free(b); /* Broken: frees what it only borrowed. */
    return 0;
#else
    return (int32_t)w_tbuf_len(b);
#endif
}

static int32_t g_panic(const uint8_t *d, size_t n)
{
    if (n >= 2 && d[0] == '!' && d[1] == 'G') {
#if TOY_BREAK == 131
        abort(); /* what GOTRACEBACK=crash does for an unrecovered panic */
#endif
        return -5;
    }
    return 0;
}

static void toy_gc(void) {}

static size_t toy_live_go(void)
{
    return (size_t)live_go;
}

/* ---- layout probes --------------------------------------------------------- */
static size_t view_layout(size_t what, size_t value_off)
{
    static const size_t offs[] = {0, 4, 6, 7};
    if (what == 0)
        return sizeof(TView);
    if (what == 1)
        return _Alignof(TView);
    if (what - 2 < 4)
        return offs[what - 2];
    if (what == 6)
        return value_off;
    return SIZE_MAX;
}

static size_t toy_layout_rust(size_t what)
{
    return view_layout(what, 8);
}

static size_t toy_layout_go(size_t what)
{
#if TOY_BREAK == 150
    return view_layout(what, 12); /* Broken: Go's mirror struct is packed. */
#else
    return view_layout(what, 8);
#endif
}

/* ---- call stubs: what `seamfuzz gen` writes ------------------------------------ */
/* Stubs call the wrapped names where a real --wrap would redirect them. */
static void s_tbuf_new(const sf_val *a, sf_val *r)
{
    r->p = tbuf_new((uint32_t)a[0].u);
}
static void s_tbuf_write(const sf_val *a, sf_val *r)
{
    r->i = w_tbuf_write(a[0].p, a[1].p, a[2].u);
}
static void s_tbuf_len(const sf_val *a, sf_val *r)
{
    r->u = w_tbuf_len(a[0].p);
}
static void s_tbuf_free(const sf_val *a, sf_val *r)
{
    (void)r;
    w_tbuf_free(a[0].p);
}
static void s_tparse(const sf_val *a, sf_val *r)
{
    r->p = tparse(a[0].p, a[1].u, a[2].p);
}
static void s_terr_message(const sf_val *a, sf_val *r)
{
    r->p = (void *)terr_message(a[0].p);
}
static void s_terr_code(const sf_val *a, sf_val *r)
{
    r->i = terr_code(a[0].p);
}
static void s_terr_free(const sf_val *a, sf_val *r)
{
    (void)r;
    terr_free(a[0].p);
}
static void s_th_insert(const sf_val *a, sf_val *r)
{
    r->u = th_insert(a[0].p, a[1].u);
}
static void s_th_get(const sf_val *a, sf_val *r)
{
    r->i = th_get(a[0].u);
}
static void s_th_remove(const sf_val *a, sf_val *r)
{
    r->i = th_remove(a[0].u);
}
static void s_tstr_describe(const sf_val *a, sf_val *r)
{
    r->p = w_tstr_describe(a[0].p);
}
static void s_tstr_free(const sf_val *a, sf_val *r)
{
    (void)r;
    w_tstr_free(a[0].p);
}
static void s_tpanic(const sf_val *a, sf_val *r)
{
    r->i = tpanic(a[0].p, a[1].u);
}
static void s_tview_get(const sf_val *a, sf_val *r)
{
    r->i = tview_get(a[0].p, a[1].p);
}
static void s_tbuf_clone(const sf_val *a, sf_val *r)
{
    r->i = tbuf_clone(a[0].p, a[1].p);
}
static void s_tstats(const sf_val *a, sf_val *r)
{
    (void)a;
    r->i = t_stats();
}
static void s_tleak(const sf_val *a, sf_val *r)
{
    (void)a;
    (void)r;
    tleak();
}
static void s_tcache_drop(const sf_val *a, sf_val *r)
{
    (void)a;
    (void)r;
    tcache_drop();
}
/* A C library function (side c): the C code at the seam, not a callee. */
static void s_tc_check(const sf_val *a, sf_val *r)
{
    (void)a;
#if TOY_BREAK == 191
    abort(); /* Broken: a failed assertion in C while a program runs. */
#endif
    r->i = 0;
}
static void s_g_adopt(const sf_val *a, sf_val *r)
{
    r->i = g_adopt(a[0].p);
}
static void s_g_append(const sf_val *a, sf_val *r)
{
    r->i = g_append(a[0].i, a[1].p, a[2].u);
}
static void s_g_release(const sf_val *a, sf_val *r)
{
    r->i = g_release(a[0].i);
}
static void s_g_describe(const sf_val *a, sf_val *r)
{
    r->i = g_describe(a[0].i);
}
static void s_g_borrow_free(const sf_val *a, sf_val *r)
{
    r->i = g_borrow_free(a[0].p);
}
static void s_g_panic(const sf_val *a, sf_val *r)
{
    r->i = g_panic(a[0].p, a[1].u);
}
static void s_gc(const sf_val *a, sf_val *r)
{
    (void)a;
    (void)r;
    toy_gc();
}
static void s_live_bufs(const sf_val *a, sf_val *r)
{
    (void)a;
    r->u = toy_live_bufs();
}
static void s_live_errs(const sf_val *a, sf_val *r)
{
    (void)a;
    r->u = toy_live_errs();
}
static void s_live_handles(const sf_val *a, sf_val *r)
{
    (void)a;
    r->u = toy_live_handles();
}
static void s_live_strs(const sf_val *a, sf_val *r)
{
    (void)a;
    r->u = toy_live_strs();
}
static void s_live_go(const sf_val *a, sf_val *r)
{
    (void)a;
    r->u = toy_live_go();
}

/* ---- descriptor tables ------------------------------------------------------- */
#define NOPARAM                                                                                    \
    {                                                                                              \
        NULL, SF_K_VOID, 0, SF_M_NONE, 0, 0, -1, -1, -1, 0, 0, NULL, 0                             \
    }
#define P_RES(nm, r, mode, to, fl)                                                                 \
    {                                                                                              \
        nm, SF_K_RES, 8, mode, to, fl, r, -1, -1, 0, 0, NULL, 0                                    \
    }
#define P_BUF(nm, link, max)                                                                       \
    {                                                                                              \
        nm, SF_K_BUF, 0, SF_M_NONE, 0, 0, -1, link, -1, 0, max, NULL, 0                            \
    }
#define P_LEN(nm, link)                                                                            \
    {                                                                                              \
        nm, SF_K_LEN, 8, SF_M_NONE, 0, 0, -1, link, -1, 0, 0, NULL, 0                              \
    }
#define P_UINT(nm, w, lo, hi)                                                                      \
    {                                                                                              \
        nm, SF_K_UINT, w, SF_M_NONE, 0, 0, -1, -1, -1, lo, hi, NULL, 0                             \
    }
#define P_INT(nm, w)                                                                               \
    {                                                                                              \
        nm, SF_K_INT, w, SF_M_NONE, 0, 0, -1, -1, -1, INT32_MIN, INT32_MAX, NULL, 0                \
    }
#define P_OUTRES(nm, r)                                                                            \
    {                                                                                              \
        nm, SF_K_OUTRES, 8, SF_M_OUT, 0, 0, r, -1, -1, 0, 0, NULL, 0                               \
    }
#define P_OUTSTRUCT(nm, l)                                                                         \
    {                                                                                              \
        nm, SF_K_OUTSTRUCT, 0, SF_M_NONE, 0, 0, -1, -1, l, 0, 0, NULL, 0                           \
    }
#define R_OUT(r)                                                                                   \
    {                                                                                              \
        "ret", SF_K_RES, 8, SF_M_OUT, 0, 0, r, -1, -1, 0, 0, NULL, 0                               \
    }
#define R_UINT(w)                                                                                  \
    {                                                                                              \
        "ret", SF_K_UINT, w, SF_M_NONE, 0, 0, -1, -1, -1, 0, 0, NULL, 0                            \
    }
#define R_PTR(r)                                                                                   \
    {                                                                                              \
        "ret", SF_K_PTR, 8, SF_M_NONE, 0, 0, r, -1, -1, 0, 0, NULL, 0                              \
    }

static const sf_param_desc p_tbuf_new[] = {P_UINT("cap", 4, 0, 40)};
static const sf_param_desc p_tbuf_write[] = {P_RES("buf", R_TBUF, SF_M_BORROW, 0, SF_P_REJECT_NULL),
                                             P_BUF("data", 2, 40), P_LEN("len", 1)};
static const sf_param_desc p_tbuf_borrow[] = {P_RES("buf", R_TBUF, SF_M_BORROW, 0, 0)};
static const sf_param_desc p_tbuf_consume[] = {P_RES("buf", R_TBUF, SF_M_CONSUME, 0, 0)};
static const sf_param_desc p_tparse[] = {P_BUF("data", 1, 40), P_LEN("len", 0),
                                         P_OUTRES("err", R_TERR)};
static const sf_param_desc p_terr_borrow[] = {P_RES("err", R_TERR, SF_M_BORROW, 0, 0)};
static const sf_param_desc p_terr_consume[] = {P_RES("err", R_TERR, SF_M_CONSUME, 0, 0)};
static const sf_param_desc p_buflen[] = {P_BUF("data", 1, 40), P_LEN("len", 0)};
static const sf_param_desc p_th_borrow[] = {
    P_RES("h", R_THANDLE, SF_M_BORROW, 0, SF_P_REJECT_STALE)};
static const sf_param_desc p_th_consume[] = {
    P_RES("h", R_THANDLE, SF_M_CONSUME, 0, SF_P_REJECT_STALE)};
static const sf_param_desc p_tstr_consume[] = {P_RES("s", R_TSTR, SF_M_CONSUME, 0, 0)};
static const sf_param_desc p_tview_get[] = {P_RES("buf", R_TBUF, SF_M_BORROW, 0, 0),
                                            P_OUTSTRUCT("out", 0)};
static const sf_param_desc p_tbuf_clone[] = {P_RES("buf", R_TBUF, SF_M_BORROW, 0, 0),
                                             P_OUTRES("out", R_TBUF)};
static const sf_param_desc p_g_adopt[] = {P_RES("buf", R_TBUF, SF_M_TRANSFER, SF_SIDE_GO, 0)};
static const sf_param_desc p_g_append[] = {P_RES("h", R_GHANDLE, SF_M_BORROW, 0, SF_P_REJECT_STALE),
                                           P_BUF("data", 2, 40), P_LEN("len", 1)};
static const sf_param_desc p_g_borrow[] = {
    P_RES("h", R_GHANDLE, SF_M_BORROW, 0, SF_P_REJECT_STALE)};
static const sf_param_desc p_g_consume[] = {
    P_RES("h", R_GHANDLE, SF_M_CONSUME, 0, SF_P_REJECT_STALE)};

static const int64_t codes_write[] = {-1, -2};
static const int64_t codes_parse[] = {-3};
static const int64_t codes_stale[] = {-4};
static const int64_t codes_panic[] = {-5};
static const int64_t codes_null[] = {-1};
static const int64_t codes_adopt[] = {-1, -6};
static const int64_t codes_append[] = {-1, -2, -4};

#define FN(nm, side, fl, params, ret, es, ep, codes, ncodes, stub)                                 \
    {                                                                                              \
        nm, side, fl, sizeof(params) / sizeof(params[0]), params, ret, es, ep, codes, ncodes,      \
            stub, -1, 0, 0, NULL                                                                   \
    }
#define FN0(nm, side, fl, ret, es, stub)                                                           \
    {                                                                                              \
        nm, side, fl, 0, NULL, ret, es, -1, NULL, 0, stub, -1, 0, 0, NULL                          \
    }

static const sf_func_desc toy_funcs[F__COUNT] = {
    [F_TBUF_NEW] = FN("tbuf_new", SF_SIDE_RUST, 0, p_tbuf_new, R_OUT(R_TBUF), SF_ERR_NULL, -1, NULL,
                      0, s_tbuf_new),
    [F_TBUF_WRITE] = FN("tbuf_write", SF_SIDE_RUST, SF_F_INTERCEPT, p_tbuf_write, P_INT("ret", 8),
                        SF_ERR_NEG, -1, codes_write, 2, s_tbuf_write),
    [F_TBUF_LEN] = FN("tbuf_len", SF_SIDE_RUST, SF_F_INTERCEPT, p_tbuf_borrow, R_UINT(8),
                      SF_ERR_NONE, -1, NULL, 0, s_tbuf_len),
    [F_TBUF_FREE] = FN("tbuf_free", SF_SIDE_RUST, SF_F_DESTRUCTOR | SF_F_INTERCEPT, p_tbuf_consume,
                       NOPARAM, SF_ERR_NONE, -1, NULL, 0, s_tbuf_free),
    [F_TPARSE] = FN("tparse", SF_SIDE_RUST, 0, p_tparse, R_OUT(R_TBUF), SF_ERR_OBJ, 2, codes_parse,
                    1, s_tparse),
    [F_TERR_MESSAGE] = FN("terr_message", SF_SIDE_RUST, SF_F_ERR_MSG | SF_F_NOFUZZ, p_terr_borrow,
                          R_PTR(-1), SF_ERR_NONE, -1, NULL, 0, s_terr_message),
    [F_TERR_CODE] = FN("terr_code", SF_SIDE_RUST, SF_F_ERR_CODE | SF_F_NOFUZZ, p_terr_borrow,
                       P_INT("ret", 4), SF_ERR_NONE, -1, NULL, 0, s_terr_code),
    [F_TERR_FREE] = FN("terr_free", SF_SIDE_RUST, SF_F_DESTRUCTOR, p_terr_consume, NOPARAM,
                       SF_ERR_NONE, -1, NULL, 0, s_terr_free),
    [F_TH_INSERT] = FN("th_insert", SF_SIDE_RUST, 0, p_buflen, R_OUT(R_THANDLE), SF_ERR_NULL, -1,
                       NULL, 0, s_th_insert),
    [F_TH_GET] = FN("th_get", SF_SIDE_RUST, 0, p_th_borrow, P_INT("ret", 8), SF_ERR_NEG, -1,
                    codes_stale, 1, s_th_get),
    [F_TH_REMOVE] = FN("th_remove", SF_SIDE_RUST, SF_F_DESTRUCTOR, p_th_consume, P_INT("ret", 4),
                       SF_ERR_NEG, -1, codes_stale, 1, s_th_remove),
    [F_TSTR_DESCRIBE] = FN("tstr_describe", SF_SIDE_RUST, SF_F_INTERCEPT, p_tbuf_borrow,
                           R_OUT(R_TSTR), SF_ERR_NULL, -1, NULL, 0, s_tstr_describe),
    [F_TSTR_FREE] = FN("tstr_free", SF_SIDE_RUST, SF_F_DESTRUCTOR | SF_F_INTERCEPT, p_tstr_consume,
                       NOPARAM, SF_ERR_NONE, -1, NULL, 0, s_tstr_free),
    [F_TPANIC] = FN("tpanic", SF_SIDE_RUST, SF_F_PANICS, p_buflen, P_INT("ret", 4), SF_ERR_NEG, -1,
                    codes_panic, 1, s_tpanic),
    [F_TVIEW_GET] = FN("tview_get", SF_SIDE_RUST, 0, p_tview_get, P_INT("ret", 4), SF_ERR_NEG, -1,
                       codes_null, 1, s_tview_get),
    [F_TBUF_CLONE] = FN("tbuf_clone", SF_SIDE_RUST, 0, p_tbuf_clone, P_INT("ret", 4), SF_ERR_NEG,
                        -1, codes_null, 1, s_tbuf_clone),
    [F_TSTATS] = FN0("t_stats", SF_SIDE_RUST, 0, P_INT("ret", 4), SF_ERR_NONE, s_tstats),
    [F_TLEAK] = FN0("tleak", SF_SIDE_RUST, 0, NOPARAM, SF_ERR_NONE, s_tleak),
    [F_TCACHE_DROP] = FN0("tcache_drop", SF_SIDE_RUST, 0, NOPARAM, SF_ERR_NONE, s_tcache_drop),
    [F_G_ADOPT] = FN("g_adopt", SF_SIDE_GO, 0, p_g_adopt, R_OUT(R_GHANDLE), SF_ERR_NEG, -1,
                     codes_adopt, 2, s_g_adopt),
    [F_G_APPEND] = FN("g_append", SF_SIDE_GO, 0, p_g_append, P_INT("ret", 8), SF_ERR_NEG, -1,
                      codes_append, 3, s_g_append),
    [F_G_RELEASE] = FN("g_release", SF_SIDE_GO, SF_F_DESTRUCTOR, p_g_consume, P_INT("ret", 4),
                       SF_ERR_NEG, -1, codes_stale, 1, s_g_release),
    [F_G_DESCRIBE] = FN("g_describe", SF_SIDE_GO, 0, p_g_borrow, P_INT("ret", 4), SF_ERR_NEG, -1,
                        codes_stale, 1, s_g_describe),
    [F_G_BORROW_FREE] = FN("g_borrow_free", SF_SIDE_GO, 0, p_tbuf_borrow, P_INT("ret", 4),
                           SF_ERR_NEG, -1, codes_null, 1, s_g_borrow_free),
    [F_G_PANIC] = FN("g_panic", SF_SIDE_GO, SF_F_PANICS, p_buflen, P_INT("ret", 4), SF_ERR_NEG, -1,
                     codes_panic, 1, s_g_panic),
    [F_GC] = FN0("toy_gc", SF_SIDE_GO, SF_F_NOFUZZ, NOPARAM, SF_ERR_NONE, s_gc),
    [F_LIVE_BUFS] =
        FN0("toy_live_bufs", SF_SIDE_RUST, SF_F_PROBE, R_UINT(8), SF_ERR_NONE, s_live_bufs),
    [F_LIVE_ERRS] =
        FN0("toy_live_errs", SF_SIDE_RUST, SF_F_PROBE, R_UINT(8), SF_ERR_NONE, s_live_errs),
    [F_LIVE_HANDLES] =
        FN0("toy_live_handles", SF_SIDE_RUST, SF_F_PROBE, R_UINT(8), SF_ERR_NONE, s_live_handles),
    [F_LIVE_STRS] =
        FN0("toy_live_strs", SF_SIDE_RUST, SF_F_PROBE, R_UINT(8), SF_ERR_NONE, s_live_strs),
    [F_LIVE_GO] = FN0("toy_live_go", SF_SIDE_GO, SF_F_PROBE, R_UINT(8), SF_ERR_NONE, s_live_go),
    [F_TC_CHECK] = FN0("tc_check", SF_SIDE_C, 0, P_INT("ret", 4), SF_ERR_NONE, s_tc_check),
};

static const sf_res_desc toy_res[] = {
    [R_TBUF] = {"TBuf", SF_R_PTR, SF_SIDE_RUST, F_TBUF_FREE, -1, F_LIVE_BUFS, 0, 8, sizeof(TBuf),
                -1, SF_CLOSE_PLAIN, 0},
    [R_TERR] = {"TErr", SF_R_PTR, SF_SIDE_RUST, F_TERR_FREE, -1, F_LIVE_ERRS, 0, 4, sizeof(TErr),
                -1, SF_CLOSE_PLAIN, 0},
    [R_THANDLE] = {"THandle", SF_R_HANDLE, SF_SIDE_RUST, F_TH_REMOVE, -1, F_LIVE_HANDLES, 0, 0, 0,
                   -1, SF_CLOSE_PLAIN, 0},
    [R_TSTR] = {"TStr", SF_R_PTR, SF_SIDE_RUST, F_TSTR_FREE, -1, F_LIVE_STRS, 0, 1, 0, -1,
                SF_CLOSE_PLAIN, 0},
    [R_GHANDLE] = {"GHandle", SF_R_HANDLE, SF_SIDE_GO, F_G_RELEASE, -1, F_LIVE_GO, 0, 0, 0, -1,
                   SF_CLOSE_PLAIN, 0},
};

static const sf_field_desc toy_view_fields[] = {
    {"id", 0, 4}, {"kind", 4, 2}, {"flags", 6, 1}, {"pad", 7, 1}, {"value", 8, 8}};

static const sf_layout_desc toy_layouts[] = {
    {"TView",
     sizeof(TView),
     _Alignof(TView),
     5,
     toy_view_fields,
     {NULL, toy_layout_rust, toy_layout_go},
     {NULL, "toy_layout_rust", "toy_layout_go"}},
};

const sf_spec toy_spec = {
    SF_DESC_VERSION,
    "toy",
    0x70790001u,
    sizeof(toy_res) / sizeof(toy_res[0]),
    toy_res,
    F__COUNT,
    toy_funcs,
    1,
    toy_layouts,
    F_GC,
    (1u << SF_B_GO_GC) | (1u << SF_B_YIELD) | (1u << SF_B_THREAD) | (1u << SF_B_STALE),
    0,
    NULL,
};
