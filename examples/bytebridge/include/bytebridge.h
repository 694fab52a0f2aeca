/* bytebridge.h - the C view of the bytebridge Rust module (librust) and of the
 * Go application that uses it (libgo).  This is the boundary seamfuzz fuzzes.
 *
 * Ownership is stated on every function.  "Rust-owned" objects are freed only
 * by their Rust destructor; "borrowed" pointers are valid only until the call
 * named returns.  All sizes are bytes.  No function here may unwind: Rust
 * contains panics with catch_unwind, Go recovers its own panics.
 */
#ifndef BYTEBRIDGE_H
#define BYTEBRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes shared by every function that returns a negative int. */
#define BB_OK      0
#define BB_E_NULL  (-1) /* a required pointer was NULL */
#define BB_E_RANGE (-2) /* a size or offset out of range */
#define BB_E_PARSE (-3) /* bytes are not a valid record */
#define BB_E_STALE (-4) /* handle is stale or unknown */
#define BB_E_PANIC (-5) /* a panic was contained and turned into an error */
#define BB_E_FULL  (-6) /* a table is full */

#define BB_MAX_CAP     (1u << 16) /* largest buffer capacity / length accepted */
#define BB_TABLE_SLOTS 256        /* slots in the handle table */

typedef struct BbBuf BbBuf;       /* opaque, Rust-owned growable byte buffer */
typedef struct BbRecord BbRecord; /* opaque, Rust-owned parsed record */
typedef struct BbError BbError;   /* opaque, Rust-owned error object */

/* Shared by C, Rust (#[repr(C)]) and Go: size 16, align 8. */
typedef struct BbRecordView {
    uint32_t id;    /* offset 0 */
    uint16_t kind;  /* offset 4 */
    uint8_t flags;  /* offset 6 */
    uint8_t pad;    /* offset 7, always 0 */
    uint64_t value; /* offset 8 */
} BbRecordView;

/* ---- Rust: owned buffer ------------------------------------------------ */
/* New empty buffer with capacity cap (<= BB_MAX_CAP); caller owns it and
 * frees it with bb_buf_free.  Returns NULL when cap is out of range. */
BbBuf *bb_buf_new(size_t cap);
/* Appends len bytes (borrowed for the call); returns the new length or
 * BB_E_NULL / BB_E_RANGE (length would exceed BB_MAX_CAP). */
int64_t bb_buf_write(BbBuf *buf, const uint8_t *data, size_t len);
/* Copies up to out_len bytes from offset off into out (borrowed); returns the
 * number copied, or BB_E_NULL / BB_E_RANGE (off > len). */
int64_t bb_buf_read(const BbBuf *buf, size_t off, uint8_t *out, size_t out_len);
/* Current length of buf; 0 for NULL. */
size_t bb_buf_len(const BbBuf *buf);
/* Borrowed pointer to buf's bytes, valid until the next bb_buf_write or
 * bb_buf_free on buf; NULL for NULL or empty buf. */
const uint8_t *bb_buf_data(const BbBuf *buf);
/* Frees buf (NULL is a no-op).  Only the current owner may call it. */
void bb_buf_free(BbBuf *buf);

/* ---- Rust: parsed record and error object ------------------------------ */
/* Parses bytes (borrowed) into a record the caller owns (bb_record_free).
 * On failure returns NULL and, if err_out is not NULL, stores an error object
 * the caller owns (bb_error_free).  Format: "BB" u8 kind u8 flags u32le id
 * u64le value, exactly 16 bytes. */
BbRecord *bb_record_parse(const uint8_t *data, size_t len, BbError **err_out);
/* Fills *out (caller's memory) from rec; returns BB_OK or BB_E_NULL. */
int32_t bb_record_get(const BbRecord *rec, BbRecordView *out);
/* Returns a NUL-terminated description the caller owns and frees with
 * bb_string_free (never free()); NULL for NULL rec. */
char *bb_record_describe(const BbRecord *rec);
/* Frees rec (NULL is a no-op). */
void bb_record_free(BbRecord *rec);
/* Frees a string returned by bb_record_describe (NULL is a no-op). */
void bb_string_free(char *s);
/* Stable negative error code of err (BB_E_*); BB_E_NULL for NULL. */
int32_t bb_error_code(const BbError *err);
/* Message of err, borrowed until bb_error_free(err); never NULL for a
 * non-NULL err. */
const char *bb_error_message(const BbError *err);
/* Frees err (NULL is a no-op). */
void bb_error_free(BbError *err);

/* ---- Rust: integer-handle table with generation counters --------------- */
/* Stores a copy of data (borrowed) and returns a handle: slot | gen << 32,
 * never 0.  Returns 0 when the table is full or len > BB_MAX_CAP. */
uint64_t bb_table_insert(const uint8_t *data, size_t len);
/* Copies up to out_len bytes of the entry into out; returns the entry's full
 * length, or BB_E_STALE for a stale/unknown handle. */
int64_t bb_table_get(uint64_t handle, uint8_t *out, size_t out_len);
/* Removes the entry; BB_OK, or BB_E_STALE for a stale/unknown handle. */
int32_t bb_table_remove(uint64_t handle);

/* ---- Rust: panic containment ------------------------------------------- */
/* Adler-32 of data into *out.  Internally panics on data that begins with
 * "!P"; the panic is contained and returned as BB_E_PANIC. */
int32_t bb_checksum(const uint8_t *data, size_t len, uint32_t *out);

/* ---- Rust: probes ------------------------------------------------------- */
/* Layout of BbRecordView as Rust sees it: what 0 = size, 1 = align,
 * 2.. = offset of field (what - 2) in declaration order; SIZE_MAX past the end. */
size_t bb_layout_record_view(size_t what);
size_t bb_live_buffers(void); /* BbBuf objects alive */
size_t bb_live_records(void); /* BbRecord objects alive */
size_t bb_live_strings(void); /* strings from bb_record_describe alive */
size_t bb_live_errors(void);  /* BbError objects alive */
size_t bb_live_handles(void); /* occupied table slots */

/* ---- Go application (c-archive), calling Rust through cgo -------------- */
/* Takes ownership of buf (transfer to Go); returns a Go handle > 0, or
 * BB_E_NULL.  Go frees buf with bb_buf_free in bbgo_release. */
int64_t bbgo_adopt(BbBuf *buf);
/* Frees the adopted buffer behind h; BB_OK or BB_E_STALE. */
int32_t bbgo_release(int64_t h);
/* Appends data (borrowed) to the adopted buffer; new length or BB_E_*. */
int64_t bbgo_append(int64_t h, const uint8_t *data, size_t len);
/* Reads the byte at off of the adopted buffer (through bb_buf_data, used only
 * inside this call); 0..255, or BB_E_STALE / BB_E_RANGE. */
int32_t bbgo_peek(int64_t h, size_t off);
/* Parses, inspects and frees a record through Rust; returns the record's kind
 * (>= 0) or the Rust error code (< 0) unchanged. */
int32_t bbgo_process(const uint8_t *data, size_t len);
/* Stores data in the Rust table, keeps the Rust handle in a Go map behind a
 * Go handle > 0; BB_E_FULL or BB_E_RANGE on failure. */
int64_t bbgo_store(const uint8_t *data, size_t len);
/* Copies the stored entry into out; entry length or BB_E_STALE. */
int64_t bbgo_load(int64_t h, uint8_t *out, size_t out_len);
/* Removes the stored entry from the Go map and the Rust table. */
int32_t bbgo_drop(int64_t h);
/* Validates data in Go; a Go panic on data that begins with "!G" is
 * recovered and returned as BB_E_PANIC. */
int32_t bbgo_checked(const uint8_t *data, size_t len);
/* Runs runtime.GC(). */
void bbgo_gc(void);
/* Rust objects currently held by Go (adopted buffers + stored entries). */
int64_t bbgo_live(void);
/* Layout of BbRecordView as Go's mirror struct sees it (as bb_layout_record_view). */
size_t bbgo_layout_record_view(size_t what);

#ifdef __cplusplus
}
#endif
#endif /* BYTEBRIDGE_H */
