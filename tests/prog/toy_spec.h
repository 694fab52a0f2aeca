/* toy_spec.h - a hand-written descriptor table (call == NULL) with the shapes
 * of examples/bytebridge/include/bytebridge.h, for the program tests. */
#ifndef TOY_SPEC_H
#define TOY_SPEC_H

#include "sf_desc.h"

/* Resource indices. */
enum {
    TOY_R_BUF = 0, /* pointer, Rust, destructor toy_buf_free */
    TOY_R_RECORD,  /* pointer, Rust */
    TOY_R_ERROR,   /* pointer, Rust: the error object */
    TOY_R_STRING,  /* pointer, Rust: from toy_record_describe */
    TOY_R_HANDLE,  /* integer handle, Rust table */
    TOY_R_GOBUF,   /* integer handle, Go: holder of an adopted TBuf */
    TOY_R_FROZEN,  /* pointer, subtype of TBuf */
    TOY_R__COUNT
};

/* Function indices (spec order). */
enum {
    TOY_F_BUF_NEW = 0,
    TOY_F_BUF_WRITE,
    TOY_F_BUF_READ,
    TOY_F_BUF_LEN,
    TOY_F_BUF_DATA,
    TOY_F_BUF_FREE,
    TOY_F_BUF_FREEZE,
    TOY_F_RECORD_PARSE,
    TOY_F_RECORD_GET,
    TOY_F_RECORD_DESCRIBE,
    TOY_F_RECORD_FREE,
    TOY_F_STRING_FREE,
    TOY_F_ERROR_CODE,
    TOY_F_ERROR_FREE,
    TOY_F_TABLE_INSERT,
    TOY_F_TABLE_GET,
    TOY_F_TABLE_REMOVE,
    TOY_F_SET_MODE,
    TOY_F_GO_ADOPT,
    TOY_F_GO_RELEASE,
    TOY_F_GO_PEEK,
    TOY_F_GO_GREET,
    TOY_F_LIVE_BUFFERS, /* probe: not in the op table */
    TOY_F_GO_GC,        /* nofuzz: the gc function */
    TOY_F_SCALE,
    TOY_F__COUNT
};

/* Op-table size: every function but the probe and the nofuzz one, then the
 * four built-ins. */
#define TOY_N_FUZZ (TOY_F__COUNT - 2)
#define TOY_N_OPS  (TOY_N_FUZZ + 4)

/* The op-table index (selector byte) of function f, and of built-in b. */
#define TOY_SEL(f)   ((f) < TOY_F_LIVE_BUFFERS ? (f) : (f)-2)
#define TOY_SEL_B(b) (TOY_N_FUZZ + (b))

extern const sf_spec toy_spec;

#endif /* TOY_SPEC_H */
