/* sf_cursor.h - a tiny byte cursor over fuzz input, kept on the caller's stack
 * (like FuzzedDataProvider).  It never reads out of bounds: integers past the
 * end read their missing bytes as 0, byte blocks are truncated. */
#ifndef SF_CURSOR_H
#define SF_CURSOR_H

#include <stddef.h>
#include <stdint.h>

/* A value type: copy it to remember a position.  data is borrowed. */
typedef struct sf_cursor {
    const uint8_t *data; /* borrowed; must outlive the cursor */
    size_t size;
    size_t pos; /* 0 <= pos <= size */
} sf_cursor;

/* Returns a cursor at offset 0 of data (borrowed; NULL allowed when size is 0). */
sf_cursor sf_cursor_make(const uint8_t *data, size_t size);

/* Each reader advances past the bytes it could read; missing bytes are 0. */
uint8_t sf_cursor_u8(sf_cursor *c);
uint16_t sf_cursor_u16(sf_cursor *c);
uint32_t sf_cursor_u32(sf_cursor *c);
uint64_t sf_cursor_u64(sf_cursor *c);
/* Reads a little-endian unsigned integer of width bytes (width > 8 reads 8). */
uint64_t sf_cursor_uint(sf_cursor *c, unsigned width);

/* Reads up to n bytes: *out (OUT, borrowed from the cursor's data, valid as
 * long as the data) points at them; returns how many were available. */
size_t sf_cursor_bytes(sf_cursor *c, size_t n, const uint8_t **out);

/* Bytes left to read. */
size_t sf_cursor_remaining(const sf_cursor *c);
/* Bytes read so far. */
size_t sf_cursor_offset(const sf_cursor *c);

#endif /* SF_CURSOR_H */
