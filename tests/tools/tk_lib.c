/* tk_lib.c - the implementation of tests/tools/tk.seam: a growable buffer and
 * a generation-checked handle table, in C, standing in for a Rust archive so
 * the crash tools can be tested without building Rust or Go.
 *
 * Built with -DTK_BUG=1 it carries two seeded defects, each reached only by a
 * sequence of calls (so minimization has something to find):
 *  - tk_buf_write of zero bytes "trims" the buffer by freeing it, so the next
 *    use of the buffer is a heap-use-after-free (ASan, SF-190);
 *  - tk_table_get compares generations with >=, so a removed handle whose slot
 *    was reused reads the new entry (SF-103, stale value accepted).
 * TK_BUG=0 (the default) is correct code: it is the clean twin.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef TK_BUG
#define TK_BUG 0
#endif

typedef struct TkBuf {
    uint8_t *data;
    size_t len, cap;
} TkBuf;

/* Prototypes as the spec declares them (no header: the spec is the contract). */
TkBuf *tk_buf_new(size_t cap);
int64_t tk_buf_write(TkBuf *buf, const uint8_t *data, size_t len);
size_t tk_buf_len(const TkBuf *buf);
void tk_buf_free(TkBuf *buf);
uint64_t tk_table_insert(uint32_t value);
int64_t tk_table_get(uint64_t h);
int32_t tk_table_remove(uint64_t h);
void tk_noop(uint8_t x);
size_t tk_live_bufs(void);
size_t tk_live_handles(void);

/* Live counts for the probes; the table is process-wide state by design. */
static size_t tk_n_bufs, tk_n_handles;

#define TK_SLOTS 4
static struct {
    uint32_t gen; /* bumped on every insert into the slot */
    int used;
    uint32_t value;
} tk_table[TK_SLOTS];

TkBuf *tk_buf_new(size_t cap)
{
    TkBuf *b = calloc(1, sizeof(*b));
    if (b == NULL)
        return NULL;
    b->data = malloc(cap ? cap : 1);
    if (b->data == NULL) {
        free(b);
        return NULL;
    }
    b->cap = cap;
    tk_n_bufs++;
    return b;
}

int64_t tk_buf_write(TkBuf *buf, const uint8_t *data, size_t len)
{
    if (buf == NULL)
        return -1;
    if (len == 0) {
#if TK_BUG
        /* Seeded defect: an empty write "trims" by freeing the buffer. */
        free(buf->data);
        buf->data = NULL;
        free(buf);
        tk_n_bufs--;
#endif
        return 0;
    }
    if (buf->len + len > buf->cap) {
        size_t ncap = (buf->len + len) * 2;
        uint8_t *n = realloc(buf->data, ncap);
        if (n == NULL)
            return -2;
        buf->data = n;
        buf->cap = ncap;
    }
    memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    return (int64_t)buf->len;
}

size_t tk_buf_len(const TkBuf *buf)
{
    return buf ? buf->len : 0;
}

void tk_buf_free(TkBuf *buf)
{
    if (buf == NULL)
        return;
    free(buf->data);
    free(buf);
    tk_n_bufs--;
}

uint64_t tk_table_insert(uint32_t value)
{
    for (uint32_t i = 0; i < TK_SLOTS; i++) {
        if (tk_table[i].used)
            continue;
        tk_table[i].used = 1;
        tk_table[i].gen++;
        tk_table[i].value = value;
        tk_n_handles++;
        return (uint64_t)(i + 1) | (uint64_t)tk_table[i].gen << 32;
    }
    return 0;
}

/* The slot of a handle that names a live entry of its generation, or -1. */
static int tk_lookup(uint64_t h)
{
    uint64_t slot = (h & 0xffffffffu) - 1;
    uint32_t gen = (uint32_t)(h >> 32);
    if (h == 0 || slot >= TK_SLOTS || !tk_table[slot].used)
        return -1;
#if TK_BUG
    /* Seeded defect: "generations only grow", so an older handle matches. */
    if (tk_table[slot].gen >= gen)
        return (int)slot;
#else
    if (tk_table[slot].gen == gen)
        return (int)slot;
#endif
    return -1;
}

int64_t tk_table_get(uint64_t h)
{
    int s = tk_lookup(h);
    return s < 0 ? -4 : (int64_t)tk_table[s].value;
}

int32_t tk_table_remove(uint64_t h)
{
    uint64_t slot = (h & 0xffffffffu) - 1;
    if (h == 0 || slot >= TK_SLOTS || !tk_table[slot].used ||
        tk_table[slot].gen != (uint32_t)(h >> 32))
        return -4;
    tk_table[slot].used = 0;
    tk_n_handles--;
    return 0;
}

void tk_noop(uint8_t x)
{
    (void)x;
}

size_t tk_live_bufs(void)
{
    return tk_n_bufs;
}

size_t tk_live_handles(void)
{
    return tk_n_handles;
}
