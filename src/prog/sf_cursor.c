/* sf_cursor.c - bounds-checked little-endian reads over fuzz input; running out
 * of input is not an error, it reads as zeros. */
#include "sf_cursor.h"

/* Returns a value; data stays borrowed. */
sf_cursor sf_cursor_make(const uint8_t *data, size_t size)
{
    sf_cursor c;
    c.data = data;
    c.size = data ? size : 0;
    c.pos = 0;
    return c;
}

/* Returns the byte read, or 0 at the end. */
uint8_t sf_cursor_u8(sf_cursor *c)
{
    if (c->pos >= c->size)
        return 0;
    return c->data[c->pos++];
}

/* Returns the value read; bytes past the end count as 0. */
uint64_t sf_cursor_uint(sf_cursor *c, unsigned width)
{
    uint64_t v = 0;
    size_t avail = c->size - c->pos;
    if (width > 8)
        width = 8;
    if (avail > width)
        avail = width;
    for (size_t i = 0; i < avail; i++)
        v |= (uint64_t)c->data[c->pos + i] << (8 * i);
    c->pos += avail;
    return v;
}

/* Returns the value read; bytes past the end count as 0. */
uint16_t sf_cursor_u16(sf_cursor *c)
{
    return (uint16_t)sf_cursor_uint(c, 2);
}

/* Returns the value read; bytes past the end count as 0. */
uint32_t sf_cursor_u32(sf_cursor *c)
{
    return (uint32_t)sf_cursor_uint(c, 4);
}

/* Returns the value read; bytes past the end count as 0. */
uint64_t sf_cursor_u64(sf_cursor *c)
{
    return sf_cursor_uint(c, 8);
}

/* *out borrows from the cursor's data; returns the count actually read. */
size_t sf_cursor_bytes(sf_cursor *c, size_t n, const uint8_t **out)
{
    size_t avail = c->size - c->pos;
    if (n > avail)
        n = avail;
    *out = c->data ? c->data + c->pos : (const uint8_t *)"";
    c->pos += n;
    return n;
}

/* Pure. */
size_t sf_cursor_remaining(const sf_cursor *c)
{
    return c->size - c->pos;
}

/* Pure. */
size_t sf_cursor_offset(const sf_cursor *c)
{
    return c->pos;
}
