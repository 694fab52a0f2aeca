/* sf_desc.h - the descriptor tables that describe one boundary to the runtime.
 *
 * `seamfuzz gen` turns a .seam spec into these constant tables plus one call
 * stub per function; the runtime (decoder, model, text form, diagnostics) is
 * driven by them and knows nothing else about the boundary.  The generator
 * also builds the same tables in memory (with call == NULL) to encode seeds.
 * The comments below give the meaning of every field; docs/program.md the
 * byte format the decoder reads, docs/architecture.md who uses the tables.
 *
 * Indices are small integers into the spec's arrays; -1 means "none".
 * Every table is read-only: the runtime never writes to an sf_spec.
 */
#ifndef SF_DESC_H
#define SF_DESC_H

#include <stddef.h>
#include <stdint.h>

#define SF_DESC_VERSION 1

/* The three sides of the boundary.  C is the harness (and libc). */
typedef enum sf_side { SF_SIDE_C = 0, SF_SIDE_RUST = 1, SF_SIDE_GO = 2 } sf_side;

/* Static lower-case name of a side ("c", "rust", "go"); "?" for others. */
static inline const char *sf_side_name(int side)
{
    switch (side) {
    case SF_SIDE_C:
        return "c";
    case SF_SIDE_RUST:
        return "rust";
    case SF_SIDE_GO:
        return "go";
    default:
        return "?";
    }
}

/* How a value crosses the boundary; decides how the decoder reads it. */
typedef enum sf_kind {
    SF_K_VOID = 0,  /* return only */
    SF_K_INT,       /* signed integer of `width` bytes, in [min, max] */
    SF_K_UINT,      /* unsigned integer of `width` bytes, in [min, max] */
    SF_K_BOOL,      /* 0 or 1 */
    SF_K_RES,       /* a resource of type `res` (pointer or integer handle) */
    SF_K_BUF,       /* input bytes (const uint8_t *); length is param `link` */
    SF_K_LEN,       /* size_t length of the SF_K_BUF/SF_K_OUTBUF param `link` */
    SF_K_CSTR,      /* input NUL-terminated string (const char *) */
    SF_K_OUTBUF,    /* caller-allocated output bytes; length is param `link` */
    SF_K_OUTRES,    /* out-pointer (T **) receiving a new resource of `res` */
    SF_K_OUTSTRUCT, /* out-pointer to a struct of layout `layout` */
    SF_K_PTR,       /* return only: borrowed pointer into `res`'s memory
                       (e.g. bb_buf_data); checked for alignment, not owned.
                       `layout` >= 0: it points to that struct (its alignment
                       and size apply); sf_func_desc.view_* give its lifetime */
    SF_K_EXTENT,    /* size_t: the extent (length) its producer reported for
                       the resource argument `link` (a sized destructor's len) */
    SF_K_OUTEXTENT, /* size_t *: the callee reports the extent of what it
                       produces: OUTRES param `link`, or the return if -1 */
    SF_K_CALLBACK,  /* a function pointer of callback type `layout` (an index
                       into sf_spec.cbs): one of its implementations */
    SF_K_USERDATA   /* void *: user data of the callback param `link`, a block
                       of the harness's, valid during the call or, when `min`
                       >= 0, until resource param `min` is destroyed */
} sf_kind;

/* What closing a resource does while resources of a child type (one whose
 * `container` it is) live. */
typedef enum sf_onclose {
    SF_CLOSE_PLAIN = 0,  /* not a child type */
    SF_CLOSE_BUSY,       /* the container's destructor fails with busy_code
                            and leaves the container live */
    SF_CLOSE_INVALIDATES /* the container's destructor succeeds and ends the
                            children: they are dead, need no destructor */
} sf_onclose;

/* How long a returned view (SF_K_PTR) stays valid, besides never past the
 * destruction of the viewed resource. */
typedef enum sf_viewlife {
    SF_LIFE_CALL = 0, /* until the next op of any kind */
    SF_LIFE_USE,      /* until the next call that takes the viewed resource */
    SF_LIFE_FUNCS     /* until the next call of one of view_until[] on it */
} sf_viewlife;

/* What a call does to a resource argument. */
typedef enum sf_mode {
    SF_M_NONE = 0, /* not a resource */
    SF_M_BORROW,   /* valid only during the call; caller still owns it */
    SF_M_CONSUME,  /* the callee frees it: the resource is dead afterwards */
    SF_M_TRANSFER, /* ownership moves to `to_side` (only its destructor may
                      free it from now on); the caller may no longer use it */
    SF_M_OUT       /* a new resource is produced (return or out-pointer) */
} sf_mode;

/* Resource representation. */
typedef enum sf_repr { SF_R_PTR = 0, SF_R_HANDLE = 1 } sf_repr;

/* How a function reports failure (its error contract). */
typedef enum sf_errstyle {
    SF_ERR_NONE = 0, /* cannot fail */
    SF_ERR_NEG,      /* integer return < 0 is an error code */
    SF_ERR_NULL,     /* returned resource == its `invalid` sentinel */
    SF_ERR_OBJ       /* SF_ERR_NULL, plus an error object written through the
                        SF_K_OUTRES param `err_param` */
} sf_errstyle;

/* Function flags. */
#define SF_F_DESTRUCTOR 0x01u /* declared destructor of some resource */
#define SF_F_PROBE      0x02u /* live-count / layout probe: not fuzzed */
#define SF_F_NOFUZZ     0x04u /* described (for interception) but not fuzzed */
#define SF_F_PANICS     0x08u /* has a panic path the callee must contain */
#define SF_F_INTERCEPT  0x10u /* wrapped with -Wl,--wrap (cross-archive calls) */
#define SF_F_ERR_CODE   0x20u /* code accessor of an error object: int f(const E *) */
#define SF_F_ERR_MSG                                                                               \
    0x40u                     /* message accessor of an error object:                              \
                                 const char *f(const E *); params[0].res is E */
#define SF_F_LAST_ERROR 0x80u /* err_last names its last-error function */

/* Parameter flags. */
#define SF_P_NULLABLE     0x01u /* NULL/invalid is a legal value */
#define SF_P_REJECT_STALE 0x02u /* contract: a dead/stale value must fail */
#define SF_P_REJECT_NULL  0x04u /* contract: NULL/invalid must fail */
#define SF_P_FLAGS        0x08u /* `choices` are bit flags to OR, not an enum */
#define SF_P_REJECT_RANGE 0x10u /* contract: a scalar outside [min, max] must fail */
#define SF_P_CSTRING      0x20u /* SF_K_PTR return: a NUL-terminated string (cview) */

/* Boundary values are passed to stubs in this union. */
typedef union sf_val {
    int64_t i;
    uint64_t u;
    void *p;
} sf_val;

/* Generated call stub: unpacks args[] to the real prototype, calls it,
 * stores the return in *ret.  Never NULL in a generated harness. */
typedef void (*sf_call_fn)(const sf_val *args, sf_val *ret);

/* Layout probe exported by an archive: 0 = size, 1 = align, 2.. = offsets. */
typedef size_t (*sf_layout_fn)(size_t what);

typedef struct sf_res_desc {
    const char *name; /* type name in the spec, e.g. "RsBuf" */
    uint8_t repr;     /* sf_repr */
    uint8_t owner;    /* sf_side that allocates it */
    int16_t dtor;     /* function index of its destructor */
    int16_t parent;   /* resource index of its supertype, or -1 */
    int16_t probe;    /* function index of its live-count probe, or -1 */
    uint64_t invalid; /* invalid sentinel (0 = NULL for pointers) */
    uint32_t align;   /* required alignment of pointer values, 0 = any */
    uint32_t size;    /* object size if known, 0 = unknown */
    /* A child type: each resource of it depends on the resource of type
     * `container` its producer was given; on_close (sf_onclose) says what
     * the container's destructor does while children live. */
    int16_t container; /* resource index, or -1 */
    uint8_t on_close;  /* sf_onclose */
    int64_t busy_code; /* SF_CLOSE_BUSY: the error the close fails with */
} sf_res_desc;

typedef struct sf_param_desc {
    const char *name;
    uint8_t kind;           /* sf_kind */
    uint8_t width;          /* integer width in bytes: 1, 2, 4, 8 */
    uint8_t mode;           /* sf_mode (resources) */
    uint8_t to_side;        /* sf_side, for SF_M_TRANSFER */
    uint8_t flags;          /* SF_P_* */
    int16_t res;            /* resource index, or -1 */
    int16_t link;           /* buffer <-> length partner param index, or -1 */
    int16_t layout;         /* layout index for SF_K_OUTSTRUCT, or -1 */
    int64_t min, max;       /* scalar range; for BUF/CSTR/OUTBUF the length range */
    const int64_t *choices; /* enum values or flags, or NULL */
    uint16_t n_choices;
} sf_param_desc;

typedef struct sf_func_desc {
    const char *name; /* C symbol */
    uint8_t side;     /* sf_side implementing it */
    uint8_t flags;    /* SF_F_* */
    uint8_t n_params;
    const sf_param_desc *params;
    sf_param_desc ret;        /* kind SF_K_VOID when none; mode SF_M_OUT for a
                                 returned resource */
    uint8_t err_style;        /* sf_errstyle */
    int16_t err_param;        /* param index of the error-object out-pointer, -1 */
    const int64_t *err_codes; /* declared error codes (SF_ERR_NEG), or NULL */
    uint16_t n_err_codes;
    sf_call_fn call;   /* generated stub; NULL in generator-built tables */
    int16_t err_last;  /* with SF_F_LAST_ERROR: the function returning the
                          error object of a failed call (`errors ... last(F)`) */
    uint8_t view_life; /* sf_viewlife of a returned view */
    uint8_t n_view_until;
    const int16_t *view_until; /* SF_LIFE_FUNCS: function indices */
} sf_func_desc;

typedef struct sf_field_desc {
    const char *name;
    uint32_t offset;
    uint32_t size;
} sf_field_desc;

typedef struct sf_layout_desc {
    const char *name;     /* struct name, e.g. "BbRecordView" */
    uint32_t size, align; /* as C sees it (sizeof/_Alignof in the harness) */
    uint16_t n_fields;
    const sf_field_desc *fields;
    /* probes, per side, that report the layout that side believes in;
       NULL when that side has none. Index by sf_side. */
    sf_layout_fn probe[3];
    const char *probe_name[3];
} sf_layout_desc;

/* A built-in op the decoder can emit besides boundary calls. */
typedef enum sf_builtin {
    SF_B_GO_GC = 0, /* runtime.GC() through the spec's `gc` function */
    SF_B_YIELD,     /* sched_yield(), lets Go's scheduler run */
    SF_B_THREAD,    /* run the next call on a fresh thread */
    SF_B_STALE,     /* pass a dead/invalid value to the next resource arg */
    SF_B__COUNT
} sf_builtin;

/* A callback type: what one side passes to the other as a function pointer.
 * The harness passes a generated trampoline per implementation, which checks
 * the call (sf_cb_enter) before calling the implementation. */
typedef void (*sf_cb_fn)(void);
#define SF_CB_REENTRANT 0x01u /* the callback may call into the library */
#define SF_CB_PANICS    0x02u /* it has a panic path it must contain */

typedef struct sf_cb_desc {
    const char *name;
    uint8_t flags;          /* SF_CB_* */
    int8_t ud_param;        /* its user-data parameter, or -1 */
    uint16_t n_impls;       /* at least 1 */
    const int16_t *impls;   /* implementing function indices */
    const sf_cb_fn *tramps; /* trampoline per implementation (NULL entries
                               in generator-built tables) */
} sf_cb_desc;

typedef struct sf_spec {
    uint32_t version; /* SF_DESC_VERSION */
    const char *name; /* boundary name, e.g. "bytebridge" */
    uint32_t hash;    /* FNV-1a of the spec text: testcases record it */
    uint16_t n_res;
    const sf_res_desc *res;
    uint16_t n_funcs;
    const sf_func_desc *funcs;
    uint16_t n_layouts;
    const sf_layout_desc *layouts;
    int16_t gc_func;   /* function index running the Go GC, or -1 */
    uint32_t builtins; /* bit set of enabled sf_builtin ops */
    uint16_t n_cbs;
    const sf_cb_desc *cbs; /* callback types */
} sf_spec;

#endif /* SF_DESC_H */
