/* sh_go.c - the "Go" library of tests/shapes/shapes.seam, in C: wrappers
 * whose calls into the "Rust" library go through the linker-wrapped symbols,
 * as cgo calls from a Go archive into a Rust archive do.  SH_BUG=extent,
 * snapuse, reenter and cbpanic are its broken twins. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sh_bug.h"

uint8_t *sh_blob_make(uint16_t n, size_t *len_out);
void sh_blob_free(uint8_t *b, size_t len);
uint64_t sh_store_open(void);
int32_t sh_store_close(uint64_t s);
uint64_t sh_snap_open(uint64_t s);
int64_t sh_snap_count(uint64_t sn);
int32_t sh_snap_close(uint64_t sn);
int32_t shgo_blob_roundtrip(uint16_t n);
int32_t shgo_count(void *ud, const char *name, uint32_t n);
int32_t shgo_peek(void *ud, const char *name, uint32_t n);
int64_t shgo_snap_once(void);
int32_t sh_store_put(uint64_t s, const uint8_t *data, size_t len);
int32_t shgo_refill(uint64_t s);
typedef struct ShErr ShErr;
int32_t sh_parse(const char *text);
ShErr *sh_last_error(void);
int32_t sh_err_code(const ShErr *e);
void sh_err_free(ShErr *e);
int32_t shgo_parse(const char *text);

int32_t shgo_blob_roundtrip(uint16_t n)
{
    size_t len;
    uint8_t *b = sh_blob_make(n, &len);
    if (!b)
        return -1;
    /* The twin frees with the length it asked for plus its header's. */
    sh_blob_free(b, sh_bug("extent") && n ? len + 8 : len);
    return 0;
}

int64_t shgo_snap_once(void)
{
    uint64_t s = sh_store_open();
    if (!s)
        return -1;
    uint64_t sn = sh_snap_open(s);
    int64_t n = sn ? sh_snap_count(sn) : -1;
    if (sh_bug("snapuse")) {
        sh_store_close(s);
        /* The store's close ended the snapshot: this is a use after it. */
        return sh_snap_count(sn);
    }
    if (sn)
        sh_snap_close(sn);
    sh_store_close(s);
    return n;
}

int32_t shgo_count(void *ud, const char *name, uint32_t n)
{
    (void)name;
    (void)n;
    ((uint32_t *)ud)[0]++;
    return 0;
}

int32_t shgo_peek(void *ud, const char *name, uint32_t n)
{
    (void)ud;
    (void)n;
    if (sh_bug("cbpanic"))
        abort(); /* a panic escaping the callback: Go aborts the process */
    if (sh_bug("reenter")) {
        /* Calls into "Rust" from inside its callback, which may not. */
        uint64_t s = sh_store_open();
        sh_store_close(s);
    }
    return name[0];
}

int32_t shgo_refill(uint64_t s)
{
    static const uint8_t v[] = {'z', 'z'};
    return sh_store_put(s, v, sizeof v);
}

/* A caller of the last-error pattern: on failure it takes the error at once
 * (sh_last_error), as the contract asks, and returns its code. */
int32_t shgo_parse(const char *text)
{
    int32_t r = sh_parse(text);
    if (r >= 0)
        return r;
    ShErr *e = sh_last_error();
    if (!e)
        return r;
    r = sh_err_code(e);
    sh_err_free(e);
    return r;
}
