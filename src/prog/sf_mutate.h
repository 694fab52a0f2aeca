/* sf_mutate.h - structure-aware mutation: edits fuzz input at op boundaries
 * (repeat, delete, swap, splice calls) and as programs (remove an op with
 * its dependents, sf_edit.h) so that call sequences survive, and hands
 * byte-level edits to the engine's own mutator.
 *
 * The byte format (docs/program.md) makes every op a contiguous span of the
 * input, so whole spans can be copied and moved without re-encoding.  A
 * copied span means the same call wherever the live set is the same, which is
 * what makes "get, put, get" one step away from "get, put".
 */
#ifndef SF_MUTATE_H
#define SF_MUTATE_H

#include <stddef.h>
#include <stdint.h>

#include "sf_prog.h"

/* The engine's byte mutator: mutates data[0..size) in place within max_size
 * bytes and returns the new size (libFuzzer's LLVMFuzzerMutate). */
typedef size_t (*sf_mutate_bytes_fn)(uint8_t *data, size_t size, size_t max_size);

/* The mutation kinds, for tests and statistics; the numbers are stable. */
typedef enum sf_mutation {
    SF_MUT_BYTES = 0, /* the engine's mutator on the whole input */
    SF_MUT_REPEAT,    /* copy 1-4 consecutive ops to right after themselves */
    SF_MUT_COPY,      /* copy 1-4 consecutive ops to a later op boundary */
    SF_MUT_DELETE,    /* delete 1-2 consecutive ops */
    SF_MUT_SWAP,      /* swap two adjacent ops */
    SF_MUT_OP_BYTES,  /* the engine's mutator on the bytes of one op */
    SF_MUT_REMOVE,    /* remove one op and every op that uses what it made
                         (sf_edit_keep), the rest re-encoded */
    SF_MUT__COUNT
} sf_mutation;

/* Mutates data[0..size) (a buffer of max_size bytes) in place with one
 * mutation chosen from seed, and returns the new size (<= max_size).  The op
 * boundaries come from decoding with spec and lim (both borrowed; lim may be
 * NULL).  With bytes, half the mutations are bytes(); without (NULL, for an
 * engine that mutates bytes itself), only repeat, copy, delete, swap and
 * remove happen.  When kind is not NULL it receives the sf_mutation applied.  Never
 * fails: without memory, or without ops to work on, it falls back to bytes
 * (or returns size unchanged, kind SF_MUT_BYTES, when bytes is NULL). */
size_t sf_mutate(const sf_spec *spec, const sf_limits *lim, uint8_t *data, size_t size,
                 size_t max_size, uint32_t seed, sf_mutate_bytes_fn bytes, int *kind);

/* Splices the two inputs at op boundaries into out (max_out bytes, owned by
 * the caller): the ops of a before a point chosen from seed, then 1-4
 * consecutive ops of b, then the rest of a.  a and b are borrowed.  Returns
 * the size written, or 0 when no splice fits (the engine then discards it). */
size_t sf_mutate_cross(const sf_spec *spec, const sf_limits *lim, const uint8_t *a, size_t a_size,
                       const uint8_t *b, size_t b_size, uint8_t *out, size_t max_out,
                       uint32_t seed);

#endif /* SF_MUTATE_H */
