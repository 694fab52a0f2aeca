/* bz_trigger.h - the few helpers shared by the bug-zoo triggers
 * (tests/bugzoo/trigger_*.c): loud checks that print both operands, exact-size
 * heap copies of borrowed inputs, and the probe check that ends a run.
 *
 * A trigger performs the minimal call sequence of one seeded defect
 * (docs/bugzoo.md).  On the clean build every check passes and it prints
 * "BUGZOO-OK: <name>" and exits 0.  On its bug variant it either dies in a
 * sanitizer, an abort or a Go panic, or a check fails: then it prints
 * "BUGZOO-FAIL: <file:line> <expression>" with both operands and exits 1.
 * Header-only (static inline), so each trigger stays one self-contained file.
 */
#ifndef BZ_TRIGGER_H
#define BZ_TRIGGER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebridge.h"

/* Number of failed checks; a trigger is one short run, so one counter. */
static unsigned bz_failures;

/* Records a failed check and prints where; the macros print the operands. */
static inline int bz_check(int ok, const char *file, int line, const char *text)
{
    if (!ok) {
        bz_failures++;
        fprintf(stderr, "BUGZOO-FAIL: %s:%d: %s\n", file, line, text);
    }
    return ok;
}

/* Signed comparison; both operands shown on failure. */
#define BZ_CHECK_INT(a, op, b)                                                                     \
    do {                                                                                           \
        long long bz_a_ = (long long)(a);                                                          \
        long long bz_b_ = (long long)(b);                                                          \
        if (!bz_check(bz_a_ op bz_b_, __FILE__, __LINE__, #a " " #op " " #b))                      \
            fprintf(stderr, "    left:  %lld\n    right: %lld\n", bz_a_, bz_b_);                   \
    } while (0)

/* Unsigned comparison (sizes, handles, addresses); shown in hex too. */
#define BZ_CHECK_UINT(a, op, b)                                                                    \
    do {                                                                                           \
        unsigned long long bz_a_ = (unsigned long long)(a);                                        \
        unsigned long long bz_b_ = (unsigned long long)(b);                                        \
        if (!bz_check(bz_a_ op bz_b_, __FILE__, __LINE__, #a " " #op " " #b))                      \
            fprintf(stderr, "    left:  %llu (0x%llx)\n    right: %llu (0x%llx)\n", bz_a_, bz_a_,  \
                    bz_b_, bz_b_);                                                                 \
    } while (0)

/* The trigger cannot go on without this pointer: report and exit 1. */
#define BZ_REQUIRE(p)                                                                              \
    do {                                                                                           \
        if (!bz_check((p) != NULL, __FILE__, __LINE__, #p " != NULL"))                             \
            exit(1);                                                                               \
    } while (0)

/* Copies len bytes of src into a fresh heap block of exactly len bytes (at
 * least one byte is allocated, so the result is never NULL), the way the
 * seamfuzz harness passes borrowed buffers: a callee that reads past len or
 * keeps the pointer after the caller frees it is caught by ASan.  The
 * caller owns the block and frees it with free(). */
static inline uint8_t *bz_dup(const void *src, size_t len)
{
    uint8_t *p = malloc(len != 0 ? len : 1);
    if (p == NULL) {
        fprintf(stderr, "BUGZOO-FAIL: out of memory\n");
        exit(1);
    }
    if (len != 0)
        memcpy(p, src, len);
    return p;
}

/* A well-formed record: kind 7, flags 0x81, id 0x04030201, value
 * 0x8070605040302010 (the same bytes as in the smoke test). */
static const uint8_t bz_record[16] = {'B',  'B',  7,    0x81, 0x01, 0x02, 0x03, 0x04,
                                      0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80};

/* Checks that every live-object probe of both archives reads 0, i.e. that
 * the run freed everything it created. */
static inline void bz_check_probes_zero(void)
{
    BZ_CHECK_UINT(bb_live_buffers(), ==, 0);
    BZ_CHECK_UINT(bb_live_records(), ==, 0);
    BZ_CHECK_UINT(bb_live_strings(), ==, 0);
    BZ_CHECK_UINT(bb_live_errors(), ==, 0);
    BZ_CHECK_UINT(bb_live_handles(), ==, 0);
    BZ_CHECK_INT(bbgo_live(), ==, 0);
}

/* Ends a trigger: prints the verdict line and returns main's exit status. */
static inline int bz_finish(const char *name)
{
    if (bz_failures != 0) {
        fprintf(stderr, "BUGZOO-FAIL: %s: %u check(s) failed\n", name, bz_failures);
        return 1;
    }
    printf("BUGZOO-OK: %s\n", name);
    return 0;
}

#endif /* BZ_TRIGGER_H */
