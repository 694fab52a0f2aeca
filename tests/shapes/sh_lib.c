/* sh_lib.c - the "Rust" library of tests/shapes/shapes.seam: correct code,
 * in C, standing in for a Rust archive (sh_go.c is the "Go" one).  With
 * SH_BUG=<name> in the environment one defect is switched on (sh_bug()); each
 * is a broken twin that seamfuzz must report with the right id. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh_bug.h"

#define SH_E_BAD   (-1)
#define SH_E_RANGE (-2)
#define SH_E_BUSY  (-16)
#define SH_SLOTS   8

typedef struct ShStats {
    uint64_t puts, bytes;
} ShStats;
typedef int32_t (*ShVisit)(void *ud, const char *name, uint32_t n);
typedef struct ShErr {
    int32_t code;
    char msg[32];
} ShErr;

/* Prototypes as the spec declares them (the spec is the contract). */
uint8_t *sh_blob_make(uint16_t n, size_t *len_out);
void sh_blob_free(uint8_t *b, size_t len);
uint32_t sh_blob_sum(const uint8_t *b, size_t len);
size_t sh_live_blobs(void);
uint64_t sh_store_open(void);
int32_t sh_store_close(uint64_t s);
int32_t sh_store_put(uint64_t s, const uint8_t *data, size_t len);
int32_t sh_store_touch(uint64_t s);
const uint8_t *sh_store_get(uint64_t s, size_t *n);
const char *sh_store_name(uint64_t s);
const ShStats *sh_store_stats(uint64_t s);
int32_t sh_store_reserve(uint64_t s, uint32_t n);
size_t sh_stats_size(void);
size_t sh_stats_align(void);
size_t sh_live_stores(void);
uint64_t sh_iter_open(uint64_t s);
int64_t sh_iter_next(uint64_t it);
int32_t sh_iter_close(uint64_t it);
size_t sh_live_iters(void);
uint64_t sh_snap_open(uint64_t s);
int64_t sh_snap_count(uint64_t sn);
int32_t sh_snap_close(uint64_t sn);
size_t sh_live_snaps(void);
int32_t sh_parse(const char *text);
ShErr *sh_last_error(void);
int32_t sh_err_code(const ShErr *e);
const char *sh_err_message(const ShErr *e);
void sh_err_free(ShErr *e);
size_t sh_live_errs(void);
int64_t sh_fill(uint8_t *out, size_t n);
int32_t sh_store_each(uint64_t s, ShVisit cb, void *ud);
int32_t sh_store_watch(uint64_t s, ShVisit cb, void *ud);

int sh_bug(const char *name)
{
    const char *b = getenv("SH_BUG");
    return b && strcmp(b, name) == 0;
}

/* ---- blobs: Box<[u8]> as pointer + length ---------------------------------- */

/* An empty blob is the one dangling address, as Rust's is. */
#define SH_EMPTY ((uint8_t *)1)

/* Rust's dealloc needs the layout it allocated with: a wrong length is
 * undefined behaviour.  The allocation's true length sits in front of it,
 * where this stand-in checks it. */
static size_t n_blobs;

uint8_t *sh_blob_make(uint16_t n, size_t *len_out)
{
    *len_out = n;
    n_blobs++;
    if (n == 0)
        return SH_EMPTY;
    size_t *m = malloc(sizeof(size_t) + n);
    if (!m)
        abort();
    m[0] = n;
    memset(m + 1, 0x5a, n);
    return (uint8_t *)(m + 1);
}

void sh_blob_free(uint8_t *b, size_t len)
{
    if (!b)
        return;
    n_blobs--;
    if (b == SH_EMPTY) {
        if (len != 0)
            abort();
        return;
    }
    size_t *m = (size_t *)(void *)b - 1;
    if (m[0] != len) {
        fprintf(stderr, "sh_blob_free: dealloc with length %zu of a %zu-byte blob\n", len, m[0]);
        abort();
    }
    free(m);
}

uint32_t sh_blob_sum(const uint8_t *b, size_t len)
{
    uint32_t s = 0;
    for (size_t i = 0; b != SH_EMPTY && i < len; i++)
        s += b[i];
    return s;
}

size_t sh_live_blobs(void)
{
    return n_blobs;
}

/* ---- stores, iterators, snapshots ----------------------------------------- */

/* Handles are slot + 1 | generation << 32: a closed one stays stale. */
typedef struct sh_ent {
    uint32_t gen;
    int used;
    uint64_t parent; /* iterators, snapshots: their store */
    uint32_t iters;  /* stores: iterators open on it */
    uint8_t *val;    /* stores: the value */
    size_t len;
    ShStats *stats; /* stores */
    char name[8];
    ShVisit watch; /* stores: called on every put, with watch_ud */
    void *watch_ud;
} sh_ent;
static sh_ent stores[SH_SLOTS], iters[SH_SLOTS], snaps[SH_SLOTS];
static size_t n_stores, n_iters;

static int h_slot(const sh_ent *t, uint64_t h)
{
    const uint32_t slot = (uint32_t)(h & 0xffffffffu) - 1;
    if (h == 0 || slot >= SH_SLOTS)
        return -1;
    return t[slot].used && t[slot].gen == (uint32_t)(h >> 32) ? (int)slot : -1;
}

static uint64_t h_new(sh_ent *t, uint64_t parent)
{
    for (uint32_t i = 0; i < SH_SLOTS; i++)
        if (!t[i].used) {
            t[i].used = 1;
            t[i].gen++;
            t[i].parent = parent;
            t[i].iters = 0;
            return (uint64_t)(i + 1) | (uint64_t)t[i].gen << 32;
        }
    return 0;
}

uint64_t sh_store_open(void)
{
    uint64_t h = h_new(stores, 0);
    if (!h)
        return 0;
    sh_ent *e = &stores[h_slot(stores, h)];
    e->val = NULL;
    e->len = 0;
    e->stats = calloc(1, sizeof *e->stats);
    e->watch = NULL;
    e->watch_ud = NULL;
    snprintf(e->name, sizeof e->name, "s%d", h_slot(stores, h));
    n_stores++;
    return h;
}

int32_t sh_store_close(uint64_t s)
{
    int i = h_slot(stores, s);
    if (i < 0)
        return SH_E_BAD;
    if (stores[i].iters && !sh_bug("busy"))
        return SH_E_BUSY; /* an iterator keeps the store open */
    /* Snapshots end with their store. */
    for (int k = 0; k < SH_SLOTS && !sh_bug("invalidate"); k++)
        if (snaps[k].used && snaps[k].parent == s)
            snaps[k].used = 0;
    free(stores[i].val);
    free(stores[i].stats);
    stores[i].used = 0;
    n_stores--;
    return 0;
}

int32_t sh_store_put(uint64_t s, const uint8_t *data, size_t len)
{
    int i = h_slot(stores, s);
    if (len == 0)
        abort(); /* the contract: at least one byte (bytes[1:64]) */
    if (i < 0)
        return SH_E_BAD;
    uint8_t *v = malloc(len);
    if (!v)
        abort();
    memcpy(v, data, len);
    free(stores[i].val);
    stores[i].val = v;
    stores[i].len = len;
    /* The stats move too: a view of them ends with a put. */
    ShStats *st = malloc(sizeof *st);
    if (!st)
        abort();
    *st = *stores[i].stats;
    st->puts++;
    st->bytes += len;
    free(stores[i].stats);
    stores[i].stats = st;
    if (stores[i].watch)
        stores[i].watch(stores[i].watch_ud, stores[i].name, (uint32_t)len);
    return 0;
}

int32_t sh_store_touch(uint64_t s)
{
    int i = h_slot(stores, s);
    if (i < 0)
        return SH_E_BAD;
    if (sh_bug("view") && stores[i].val) {
        /* Moves the value although only a put may: a view of it dangles. */
        uint8_t *v = malloc(stores[i].len);
        if (!v)
            abort();
        memcpy(v, stores[i].val, stores[i].len);
        free(stores[i].val);
        stores[i].val = v;
    }
    return 0;
}

const uint8_t *sh_store_get(uint64_t s, size_t *n)
{
    int i = h_slot(stores, s);
    *n = 0;
    if (i < 0 || !stores[i].val)
        return NULL; /* not found */
    *n = stores[i].len;
    return stores[i].val;
}

const char *sh_store_name(uint64_t s)
{
    int i = h_slot(stores, s);
    return i < 0 ? NULL : stores[i].name;
}

const ShStats *sh_store_stats(uint64_t s)
{
    int i = h_slot(stores, s);
    if (i < 0)
        return NULL;
    if (sh_bug("align"))
        return (const ShStats *)(const void *)((const char *)stores[i].stats + 4);
    return stores[i].stats;
}

int32_t sh_store_reserve(uint64_t s, uint32_t n)
{
    if (h_slot(stores, s) < 0)
        return SH_E_BAD;
    if ((n < 1 || n > 1024) && !sh_bug("range"))
        return SH_E_RANGE;
    return 0;
}

size_t sh_stats_size(void)
{
    return sh_bug("layout") ? 24 : sizeof(ShStats);
}

size_t sh_stats_align(void)
{
    return _Alignof(ShStats);
}

size_t sh_live_stores(void)
{
    return n_stores;
}

uint64_t sh_iter_open(uint64_t s)
{
    int i = h_slot(stores, s);
    if (i < 0)
        return 0;
    uint64_t it = h_new(iters, s);
    if (it) {
        stores[i].iters++;
        n_iters++;
    }
    return it;
}

int64_t sh_iter_next(uint64_t it)
{
    int i = h_slot(iters, it);
    if (i < 0)
        return SH_E_BAD;
    int p = h_slot(stores, iters[i].parent);
    if (sh_bug("ubsan")) {
        volatile int32_t big = INT32_MAX;
        return (int64_t)(big + (int32_t)(p + 1)); /* signed overflow */
    }
    return p < 0 ? 0 : (int64_t)stores[p].len;
}

int32_t sh_iter_close(uint64_t it)
{
    int i = h_slot(iters, it);
    if (i < 0)
        return SH_E_BAD;
    int p = h_slot(stores, iters[i].parent);
    if (p >= 0)
        stores[p].iters--;
    iters[i].used = 0;
    n_iters--;
    return 0;
}

size_t sh_live_iters(void)
{
    return n_iters;
}

uint64_t sh_snap_open(uint64_t s)
{
    int i = h_slot(stores, s);
    return i < 0 ? 0 : h_new(snaps, s);
}

int64_t sh_snap_count(uint64_t sn)
{
    int i = h_slot(snaps, sn);
    if (i < 0)
        return SH_E_BAD;
    int p = h_slot(stores, snaps[i].parent);
    return p < 0 ? 0 : (int64_t)stores[p].len;
}

int32_t sh_snap_close(uint64_t sn)
{
    int i = h_slot(snaps, sn);
    if (i < 0)
        return SH_E_BAD;
    snaps[i].used = 0;
    return 0;
}

size_t sh_live_snaps(void)
{
    size_t n = 0;
    for (int k = 0; k < SH_SLOTS; k++)
        n += snaps[k].used != 0;
    return n;
}

/* ---- callbacks across the border ----------------------------------------------- */

int32_t sh_store_each(uint64_t s, ShVisit cb, void *ud)
{
    int i = h_slot(stores, s);
    if (i < 0)
        return SH_E_BAD;
    if (sh_bug("cbkeep")) {
        /* Keeps the callback and its user data past the call. */
        stores[i].watch = cb;
        stores[i].watch_ud = ud;
    }
    return cb(ud, stores[i].name, (uint32_t)stores[i].len);
}

int32_t sh_store_watch(uint64_t s, ShVisit cb, void *ud)
{
    int i = h_slot(stores, s);
    if (i < 0)
        return SH_E_BAD;
    stores[i].watch = cb;
    stores[i].watch_ud = ud;
    return 0;
}

/* ---- the last-error pattern ------------------------------------------------ */

static _Thread_local ShErr *last_err;
static size_t n_errs;

int32_t sh_parse(const char *text)
{
    if (text[0] == '#')
        return 0;
    if (!sh_bug("lasterror")) {
        free(last_err);
        last_err = calloc(1, sizeof *last_err);
        if (!last_err)
            abort();
        last_err->code = SH_E_BAD;
        snprintf(last_err->msg, sizeof last_err->msg, "expected '#', got 0x%02x",
                 (unsigned char)text[0]);
    }
    return SH_E_BAD;
}

ShErr *sh_last_error(void)
{
    ShErr *e = last_err;
    last_err = NULL;
    if (e)
        n_errs++;
    return e;
}

int32_t sh_err_code(const ShErr *e)
{
    return e->code;
}

const char *sh_err_message(const ShErr *e)
{
    return e->msg;
}

void sh_err_free(ShErr *e)
{
    if (e)
        n_errs--;
    free(e);
}

size_t sh_live_errs(void)
{
    return n_errs;
}

/* ---- a buffer longer than 65,535 bytes ------------------------------------- */

int64_t sh_fill(uint8_t *out, size_t n)
{
    /* The twin writes one byte too many into a buffer of the full 70,000. */
    size_t w = sh_bug("bigbuf") && n == 70000 ? n + 1 : n;
    memset(out, 0x11, w);
    return (int64_t)n;
}
