/* sf_prog.h - programs: decoding fuzz bytes into ops, and the text form.
 *
 * A program is a plain array of ops that the executor (src/runtime/sf_exec.c) walks and the
 * tools print.  Decoding follows docs/program.md exactly and depends only on
 * (bytes, spec, limits).  Every sf_prog is owned by its creator and freed with
 * sf_prog_free; buffers inside it point into the program's own arena.
 */
#ifndef SF_PROG_H
#define SF_PROG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sf_desc.h"

#define SF_MAX_PARAMS 16

typedef struct sf_limits {
    uint32_t max_ops;  /* ops decoded at most (default 64) */
    uint32_t max_live; /* live slots at most (default 256) */
} sf_limits;

/* How one argument was chosen. */
typedef enum sf_argtag {
    SF_A_SCALAR = 0, /* .v.i / .v.u holds the value */
    SF_A_SLOT,       /* .slot names a live slot */
    SF_A_NULL,       /* the resource type's invalid sentinel */
    SF_A_STALE,      /* .slot names a dead slot, passed on purpose */
    SF_A_BYTES,      /* .bytes/.len: input buffer or C string contents */
    SF_A_OUTBUF,     /* .len: size of an output buffer */
    SF_A_OUTSLOT,    /* .slot: the slot an OUTRES param produces */
    SF_A_OUTSTRUCT,  /* nothing: an out-struct of the param's layout */
    SF_A_LEN,        /* .len: copied from the linked buffer */
    SF_A_EXTENT,     /* nothing: the executor passes the extent recorded
                        for the resource argument the param links to */
    SF_A_OUTEXTENT,  /* nothing: a size_t cell the callee writes an extent to */
    SF_A_USERDATA    /* nothing: the executor's user-data block for a callback */
} sf_argtag;

typedef struct sf_arg {
    uint8_t tag;          /* sf_argtag */
    int32_t slot;         /* slot index, or -1 */
    sf_val v;             /* scalar value */
    const uint8_t *bytes; /* borrowed from the program's arena */
    size_t len;
} sf_arg;

typedef struct sf_op {
    int16_t func;     /* function index, or -1 for a built-in */
    int16_t builtin;  /* sf_builtin when func == -1 */
    int32_t ret_slot; /* slot the return value produces, or -1 */
    uint8_t n_args;
    sf_arg args[SF_MAX_PARAMS];
    uint32_t offset; /* byte offset of the op's selector in the input */
} sf_op;

typedef struct sf_prog {
    const sf_spec *spec; /* borrowed; must outlive the program */
    uint32_t n_ops;
    sf_op *ops;           /* n_ops entries */
    uint32_t n_slots;     /* slots r0 .. r(n_slots-1) */
    int16_t *slot_res;    /* resource type of each slot */
    int32_t *slot_holder; /* slot that holds this one after a transfer, -1 */
    int32_t *slot_parent; /* container slot of a child-type slot, -1 */
    uint32_t n_read;      /* input bytes the ops span (op i ends where op i+1
                             starts, the last one at n_read) */
    void *arena;          /* private */
} sf_prog;

/* Returns 1 when a successful call of fd destroys its resource argument pi:
 * the parameter is `consume`, or it is the first resource parameter of a
 * destructor (docs/program.md, "Resource arguments and slots").  The
 * decoder and the executor share this one rule. */
int sf_param_destroys(const sf_func_desc *fd, uint32_t pi);

/* Returns 1 when resource type r is want or one of its subtypes (so a value
 * of r is accepted where want is); 0 for indices out of range. */
int sf_res_is(const sf_spec *s, int r, int want);

/* Returns 1 when parameter kind k takes no bytes and no text: its value
 * follows from another argument (len, extent) or is an out cell. */
int sf_param_implicit(int k);

/* For an INT/UINT parameter with `rejects(range)`: the values just below
 * (*lo, when *has_lo) and just above (*hi, when *has_hi) its range that the
 * decoder can produce (docs/program.md, "Scalars").  Returns 1 when either
 * exists, 0 otherwise (then both flags are 0). */
int sf_param_outside(const sf_param_desc *pd, uint64_t *lo, int *has_lo, uint64_t *hi, int *has_hi);

/* The raw little-endian value (OUT: *raw, pd->width bytes) that decodes to
 * x for an INT/UINT/BOOL parameter.  Returns 0, or -1 when no raw value
 * decodes to x (outside the range and not a rejected edge). */
int sf_param_raw(const sf_param_desc *pd, uint64_t x, uint64_t *raw);

/* Default limits (64 ops, 256 live slots). */
sf_limits sf_limits_default(void);
/* Parses "max_ops=N,max_live=N" (either or both, N >= 1) into *lim, leaving
 * the other field as it was.  Returns 0, or -1 with one line in err. */
int sf_limits_parse(const char *s, sf_limits *lim, char *err, size_t errlen);

/* Decodes data (borrowed) into *out, which the caller frees with
 * sf_prog_free.  Never fails on any byte string; returns SF_ENOMEM only. */
int sf_prog_decode(const sf_spec *spec, const sf_limits *lim, const uint8_t *data, size_t size,
                   sf_prog **out);

/* Writes the text form of op i (no newline) to f; returns 0 or SF_EIO. */
int sf_prog_print_op(const sf_prog *p, uint32_t i, FILE *f);
/* Writes the whole text form (one op per line, a header comment) to f. */
int sf_prog_print(const sf_prog *p, FILE *f);

/* Parses the text form (text borrowed, len bytes) into *out.  On error
 * returns SF_EPARSE and writes "line:col: message" into err (errlen bytes). */
int sf_prog_parse(const sf_spec *spec, const sf_limits *lim, const char *text, size_t len,
                  sf_prog **out, char *err, size_t errlen);

/* Encodes p as bytes that decode back to the same program.  *out is owned by
 * the caller (free with sf_free); returns 0 or SF_ENOMEM. */
int sf_prog_encode(const sf_prog *p, uint8_t **out, size_t *out_len);

/* Frees p and everything it owns; NULL is a no-op. */
void sf_prog_free(sf_prog *p);

#endif /* SF_PROG_H */
