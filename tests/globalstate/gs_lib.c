/* gs_lib.c - the implementation of tests/globalstate/gs.seam: correct code
 * that keeps process-global state across calls (and so across fuzz inputs):
 * a cache, an interning registry, a thread-local last error.  With
 * -DGS_LEAK=1, gs_intern leaks its copy of a key that starts with 'L' (a
 * leak of the input's own block, which the per-input check must report). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef GS_LEAK
#define GS_LEAK 0
#endif

uint64_t gs_open(void);
int32_t gs_close(uint64_t c);
int32_t gs_cache(uint64_t c, const uint8_t *key, size_t len);
int64_t gs_intern(const uint8_t *key, size_t len);
int32_t gs_check(const uint8_t *msg, size_t len);
long gs_sum(uint8_t *data, size_t len, int base, uintptr_t tag);
size_t gs_live_conns(void);

#define GS_CONNS 8
static struct {
    uint32_t gen;
    int used;
} conns[GS_CONNS];
static size_t n_conns;

/* The cache: a ring of copies; the oldest is freed when a new one comes. */
#define GS_CACHE 16
static char *cache[GS_CACHE];
static size_t cache_next;

/* The registry: interned copies in a table that grows by realloc. */
static char **names;
static size_t n_names, cap_names;

/* The last error of this thread, replaced by every failure. */
static _Thread_local char *last_error;

static char *copy(const uint8_t *p, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        if (n)
            memcpy(c, p, n);
        c[n] = 0;
    }
    return c;
}

static int conn_slot(uint64_t c)
{
    uint32_t i = (uint32_t)(c & 0xffffffffu) - 1;
    if (c == 0 || i >= GS_CONNS || !conns[i].used || conns[i].gen != (uint32_t)(c >> 32))
        return -1;
    return (int)i;
}

uint64_t gs_open(void)
{
    for (uint32_t i = 0; i < GS_CONNS; i++)
        if (!conns[i].used) {
            conns[i].used = 1;
            conns[i].gen++;
            n_conns++;
            return (uint64_t)(i + 1) | (uint64_t)conns[i].gen << 32;
        }
    return 0;
}

int32_t gs_close(uint64_t c)
{
    int i = conn_slot(c);
    if (i < 0)
        return -1;
    conns[i].used = 0;
    n_conns--;
    return 0;
}

int32_t gs_cache(uint64_t c, const uint8_t *key, size_t len)
{
    if (conn_slot(c) < 0)
        return -1;
    char *k = copy(key, len);
    if (!k)
        return -1;
    free(cache[cache_next]);
    cache[cache_next] = k;
    cache_next = (cache_next + 1) % GS_CACHE;
    return 0;
}

int64_t gs_intern(const uint8_t *key, size_t len)
{
    for (size_t i = 0; i < n_names; i++)
        if (strlen(names[i]) == len && memcmp(names[i], key, len) == 0)
            return (int64_t)i;
    if (n_names >= 4096)
        return -1; /* full: the registry is bounded */
    char *k = copy(key, len);
    if (!k)
        return -1;
#if GS_LEAK
    if (len && key[0] == 'L')
        return 0; /* seeded defect: the copy is dropped */
#endif
    if (n_names == cap_names) {
        size_t cap = cap_names ? cap_names * 2 : 4;
        char **t = realloc(names, cap * sizeof *t);
        if (!t) {
            free(k);
            return -1;
        }
        names = t;
        cap_names = cap;
    }
    names[n_names] = k;
    return (int64_t)n_names++;
}

int32_t gs_check(const uint8_t *msg, size_t len)
{
    (void)msg;
    if (len)
        return 0;
    free(last_error);
    last_error = copy((const uint8_t *)"empty message", 13);
    return -2;
}

long gs_sum(uint8_t *data, size_t len, int base, uintptr_t tag)
{
    long s = base + (long)(tag & 0xff);
    for (size_t i = 0; i < len; i++)
        s += data[i];
    return s;
}

size_t gs_live_conns(void)
{
    return n_conns;
}
