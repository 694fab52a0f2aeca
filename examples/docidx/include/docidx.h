/* docidx.h - the C API of the docidx Rust library (di_*) and of the Go
 * search service built on it (digo_*).  CONTRACT.md is the full contract;
 * each declaration repeats the part about ownership.  Sizes are bytes. */
#ifndef DOCIDX_H
#define DOCIDX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DI_OK         0
#define DI_E_NULL     (-1)  /* a required pointer was NULL */
#define DI_E_RANGE    (-2)  /* a number or a length outside its range */
#define DI_E_FULL     (-3)  /* the index holds its limit of documents */
#define DI_E_NOTFOUND (-4)  /* no document with that id */
#define DI_E_PANIC    (-5)  /* a panic was contained */
#define DI_E_BUSY     (-16) /* the index still has open cursors */

#define DI_MAX_DOC   65536 /* longest document */
#define DI_MAX_LIMIT 4096  /* largest index limit */
#define DI_MAX_TERM  64    /* longest query term */

typedef struct DiIndex DiIndex;
typedef struct DiCursor DiCursor;
typedef struct DiError DiError;

/* visit(ud, id, data, len): data is borrowed for the call; non-zero stops. */
typedef int32_t (*DiVisit)(void *ud, uint64_t id, const uint8_t *data, size_t len);

/* ---- the Rust library --------------------------------------------------- */

/* New index for 1..=4096 documents; caller owns it (di_index_close).  NULL
 * with a last error on failure. */
DiIndex *di_index_open(uint32_t limit);
/* 0: closed and freed.  DI_E_BUSY: cursors are open, the index stays open.
 * DI_E_NULL for NULL. */
int32_t di_index_close(DiIndex *ix);
/* Copies len (0..=65536) borrowed bytes; returns the new id (>= 1) or a
 * negative code. */
int64_t di_index_add(DiIndex *ix, const uint8_t *data, size_t len);
/* An owned copy of document id, its length in *len; free it with
 * di_blob_free(p, *len).  Empty document: non-NULL, length 0.  NULL with a
 * last error when there is none. */
uint8_t *di_doc_copy(const DiIndex *ix, uint64_t id, size_t *len);
/* Frees a copy from di_doc_copy; len must be the length it reported. */
void di_blob_free(uint8_t *p, size_t len);
/* A pointer into the index, valid until the next di_index_add or
 * di_index_close; NULL (no last error) when there is no such document. */
const uint8_t *di_doc_peek(const DiIndex *ix, uint64_t id, size_t *len);
/* The index's name, valid while it is open. */
const char *di_index_name(const DiIndex *ix);
/* Calls visit(ud, ...) per document; returns how many were visited or a
 * negative code.  ud is not kept; visit must not call into docidx. */
int64_t di_index_each(const DiIndex *ix, DiVisit visit, void *ud);

/* Cursor over the documents containing term (1..=64 borrowed bytes); keeps
 * ix busy until di_cursor_close.  NULL with a last error on failure. */
DiCursor *di_query(const DiIndex *ix, const uint8_t *term, size_t len);
/* Next id; 0 at the end; negative on error. */
int64_t di_cursor_next(DiCursor *cur);
int32_t di_cursor_close(DiCursor *cur);

/* Takes this thread's last error (caller frees it with di_error_free);
 * NULL when none. */
DiError *di_last_error(void);
int32_t di_error_code(const DiError *e);
/* Non-empty; borrowed from e. */
const char *di_error_message(const DiError *e);
void di_error_free(DiError *e);

/* Process-global: how often a term was queried, and a reset. */
uint64_t di_term_hits(const uint8_t *term, size_t len);
int32_t di_stats_reset(void);

size_t di_live_indexes(void);
size_t di_live_cursors(void);
size_t di_live_blobs(void);
size_t di_live_errors(void);

/* ---- the Go service ----------------------------------------------------- */

/* A service handle (> 0), or DI_E_FULL after 64 open services. */
int64_t digo_open(void);
/* 0, or DI_E_NOTFOUND for an unknown or closed handle. */
int32_t digo_close(int64_t h);
/* Adds each '\n'-separated line of data (0..=65536 borrowed bytes). */
int32_t digo_ingest(int64_t h, const uint8_t *data, size_t len);
/* How many documents contain term (1..=64 bytes). */
int64_t digo_count(int64_t h, const uint8_t *term, size_t len);
/* Copies document id into out (cap <= 4096 bytes); returns its length. */
int64_t digo_fetch(int64_t h, uint64_t id, uint8_t *out, size_t cap);
/* Copies the first document containing term into out; its length, or 0. */
int64_t digo_first(int64_t h, const uint8_t *term, size_t len, uint8_t *out, size_t cap);
/* The longest document's length, through di_index_each and
 * digo_visit_longest. */
int64_t digo_longest(int64_t h);
/* Open services, for leak checks; digo_gc runs Go's garbage collector. */
int64_t digo_live(void);
void digo_gc(void);
/* A DiVisit: ud points to 16 zeroed bytes (int64 max, int64 count). */
int32_t digo_visit_longest(void *ud, uint64_t id, const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* DOCIDX_H */
