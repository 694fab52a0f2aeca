/* fuzz_docidx_baseline.c - the hand-written docidx harness a team writes
 * without seamfuzz: the first byte picks one call shape, the rest is its
 * data, and each shape uses the API the way its documentation says (every
 * object closed, every error taken).  No ownership model, no call sequences
 * across inputs.  The comparison point of the docidx bug-zoo benchmark
 * (docs/benchmarks.md); do not improve it. */
#include <stdint.h>
#include <string.h>

#include "docidx.h"

/* Where the strings a caller would log go (volatile: the reads stay). */
static volatile size_t logged;

/* Counts the documents a walk visits; ud points to an int64_t. */
static int32_t count_visit(void *ud, uint64_t id, const uint8_t *data, size_t len)
{
    (void)id;
    (void)data;
    (void)len;
    (*(int64_t *)ud)++;
    return 0;
}

/* Takes and frees the last error, reading what a caller logs. */
static void take_error(void)
{
    DiError *e = di_last_error();
    if (!e)
        return;
    (void)di_error_code(e);
    const char *m = di_error_message(e);
    logged += m ? strlen(m) : 0;
    di_error_free(e);
}

/* An index holding data as one document (id 1), or NULL. */
static DiIndex *index_with(const uint8_t *data, size_t size)
{
    DiIndex *ix = di_index_open(16);
    if (!ix) {
        take_error();
        return NULL;
    }
    di_index_add(ix, data, size);
    return ix;
}

/* The first up-to-8 bytes of data as a search term (at least 1 byte). */
static size_t term_len(size_t size)
{
    return size < 8 ? size : 8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t shape = data[0] % 8;
    data++;
    size--;
    switch (shape) {
    case 0: { /* a document: copy, peek, name */
        DiIndex *ix = index_with(data, size);
        if (!ix)
            break;
        size_t n = 0;
        uint8_t *p = di_doc_copy(ix, 1, &n);
        if (p)
            di_blob_free(p, n);
        else
            take_error();
        const uint8_t *v = di_doc_peek(ix, 1, &n);
        if (v && n && v[0] != data[0])
            __builtin_trap(); /* the peek must show the document */
        const char *name = di_index_name(ix);
        logged += name ? strlen(name) : 0;
        di_index_close(ix);
        break;
    }
    case 1: { /* a query over the document, walked to its end */
        if (size < 1)
            break;
        DiIndex *ix = index_with(data, size);
        if (!ix)
            break;
        DiCursor *cur = di_query(ix, data, term_len(size));
        if (cur) {
            while (di_cursor_next(cur) > 0) {
            }
            di_cursor_close(cur);
        } else {
            take_error();
        }
        di_index_close(ix);
        break;
    }
    case 2: { /* a walk with a C visitor */
        DiIndex *ix = index_with(data, size);
        if (!ix)
            break;
        int64_t seen = 0;
        di_index_each(ix, count_visit, &seen);
        di_index_close(ix);
        break;
    }
    case 3: { /* an index of the limit the data asks for */
        uint32_t limit = 0;
        memcpy(&limit, data, size < 4 ? size : 4);
        DiIndex *ix = di_index_open(limit);
        if (ix)
            di_index_close(ix);
        else
            take_error();
        break;
    }
    case 4: /* the global statistics */
        if (size >= 1)
            (void)di_term_hits(data, term_len(size));
        if (size > 0 && data[0] == 'R')
            di_stats_reset();
        break;
    case 5: { /* the Go service: ingest lines, count a term */
        int64_t h = digo_open();
        if (h <= 0)
            break;
        digo_ingest(h, data, size);
        if (size >= 1)
            digo_count(h, data, term_len(size));
        digo_close(h);
        break;
    }
    case 6: { /* the Go service: fetch and first */
        int64_t h = digo_open();
        if (h <= 0)
            break;
        digo_ingest(h, data, size);
        uint8_t out[64];
        digo_fetch(h, size ? data[0] % 4 : 1, out, sizeof out);
        if (size >= 1)
            digo_first(h, data, term_len(size), out, sizeof out);
        digo_close(h);
        break;
    }
    default: { /* the Go service: the longest document */
        int64_t h = digo_open();
        if (h <= 0)
            break;
        digo_ingest(h, data, size);
        digo_longest(h);
        digo_close(h);
        break;
    }
    }
    return 0;
}
