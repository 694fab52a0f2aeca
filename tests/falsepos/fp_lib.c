/* fp_lib.c - the "Rust" library of tests/falsepos/fp.seam: correct code, in
 * C, standing in for a Rust archive (fp_go.c is the "Go" one). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define FP_E_BUSY (-16)
#define FP_E_BAD  (-1)
#define FP_SLOTS  8

/* Prototypes as the spec declares them (the spec is the contract). */
uint64_t fp_store_open(void);
int32_t fp_store_close(uint64_t s);
uint64_t fp_cursor_open(uint64_t s);
int32_t fp_cursor_close(uint64_t c);
const char *fp_store_name(uint64_t s);
void *fp_blob_new(uint8_t n);
void fp_blob_free(void *b);
size_t fp_live_stores(void);
size_t fp_live_cursors(void);
size_t fp_live_blobs(void);

/* Handles are slot + 1 | generation << 32, so a closed handle stays stale
 * even when its slot is reused.  Process-wide tables, as real libraries
 * keep them. */
typedef struct fp_ent {
    uint32_t gen;
    int used;
    uint32_t cursors; /* stores: cursors open on it */
    uint64_t parent;  /* cursors: their store */
    char name[8];
} fp_ent;
static fp_ent stores[FP_SLOTS], cursors[FP_SLOTS];
static size_t n_stores, n_cursors, n_blobs;

static uint64_t h_make(uint32_t slot, uint32_t gen)
{
    return (uint64_t)(slot + 1) | (uint64_t)gen << 32;
}

/* The slot of a live handle in tab, or -1. */
static int h_slot(const fp_ent *t, uint64_t h)
{
    const uint32_t slot = (uint32_t)(h & 0xffffffffu) - 1;
    if (h == 0 || slot >= FP_SLOTS)
        return -1;
    return t[slot].used && t[slot].gen == (uint32_t)(h >> 32) ? (int)slot : -1;
}

static uint64_t h_new(fp_ent *t)
{
    for (uint32_t i = 0; i < FP_SLOTS; i++)
        if (!t[i].used) {
            t[i].used = 1;
            t[i].gen++;
            t[i].cursors = 0;
            t[i].parent = 0;
            return h_make(i, t[i].gen);
        }
    return 0;
}

uint64_t fp_store_open(void)
{
    uint64_t h = h_new(stores);
    if (h) {
        int i = h_slot(stores, h);
        stores[i].name[0] = 's';
        stores[i].name[1] = (char)('0' + i);
        stores[i].name[2] = 0;
        n_stores++;
    }
    return h;
}

/* Closes handle h of table t (live count *n): FP_E_BAD when it is not live. */
static int32_t h_close(fp_ent *t, uint64_t h, size_t *n)
{
    int i = h_slot(t, h);
    if (i < 0)
        return FP_E_BAD;
    t[i].used = 0;
    (*n)--;
    return 0;
}

int32_t fp_store_close(uint64_t s)
{
    int i = h_slot(stores, s);
    if (i >= 0 && stores[i].cursors)
        return FP_E_BUSY; /* a cursor keeps the store open */
    return h_close(stores, s, &n_stores);
}

uint64_t fp_cursor_open(uint64_t s)
{
    int i = h_slot(stores, s);
    if (i < 0)
        return 0;
    uint64_t c = h_new(cursors);
    if (c) {
        cursors[h_slot(cursors, c)].parent = s;
        stores[i].cursors++;
        n_cursors++;
    }
    return c;
}

int32_t fp_cursor_close(uint64_t c)
{
    int i = h_slot(cursors, c);
    int p = i < 0 ? -1 : h_slot(stores, cursors[i].parent);
    if (p >= 0)
        stores[p].cursors--;
    return h_close(cursors, c, &n_cursors);
}

const char *fp_store_name(uint64_t s)
{
    int i = h_slot(stores, s);
    return i < 0 ? NULL : stores[i].name;
}

/* An empty blob is the one dangling address, as Rust's Box<[u8]> of length 0
 * is (NonNull::dangling(): no allocation, the same value every time). */
#define FP_EMPTY ((void *)1)

void *fp_blob_new(uint8_t n)
{
    void *b = n ? malloc((size_t)n + 8) : FP_EMPTY;
    if (b)
        n_blobs++;
    return b;
}

void fp_blob_free(void *b)
{
    if (!b)
        return;
    if (b != FP_EMPTY)
        free(b);
    n_blobs--;
}

size_t fp_live_stores(void)
{
    return n_stores;
}

size_t fp_live_cursors(void)
{
    return n_cursors;
}

size_t fp_live_blobs(void)
{
    return n_blobs;
}
