/* sf_seam_int.h - internal to src/gen: the arena, the diagnostics list and the
 * syntax tree shared by the spec lexer/parser (sf_seam.c), the semantic
 * checker and lowering (sf_sema.c), the emitter (sf_gen.c) and the checker.
 */
#ifndef SF_SEAM_INT_H
#define SF_SEAM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sf_desc.h"
#include "sf_seam.h"

/* Parameters per function; equals SF_MAX_PARAMS of sf_prog.h. */
#define SF_MAX_PARAMS_SPEC 16u

/* ---- Arena: every allocation of one sf_seam, freed at once. ------------- */
typedef struct sf__arena_blk sf__arena_blk;
typedef struct sf__arena {
    sf__arena_blk *head;
    int oom; /* sticky: an allocation failed */
} sf__arena;

/* Zeroed n bytes owned by the arena, or NULL (and a->oom set). */
void *sf__arena_alloc(sf__arena *a, size_t n);
/* NUL-terminated copy of n bytes owned by the arena, or NULL. */
char *sf__arena_strndup(sf__arena *a, const char *s, size_t n);
/* Grows the arena array *arr of *n elements of size sz by one zeroed element
 * and returns it (old storage stays in the arena), or NULL. */
void *sf__arena_push(sf__arena *a, void **arr, uint32_t *n, uint32_t *cap, size_t sz);
/* Frees every block. */
void sf__arena_free(sf__arena *a);

typedef struct sf__loc {
    uint32_t line, col;
} sf__loc;

/* A reference by name to something declared elsewhere. */
typedef struct sf__ref {
    const char *name; /* NULL when absent */
    sf__loc loc;
} sf__ref;

/* ---- Scalars ------------------------------------------------------------ */
enum {
    SF__SC_NONE = 0,
    SF__SC_I8,
    SF__SC_I16,
    SF__SC_I32,
    SF__SC_I64,
    SF__SC_U8,
    SF__SC_U16,
    SF__SC_U32,
    SF__SC_U64,
    SF__SC_ISIZE,
    SF__SC_USIZE,
    SF__SC_BOOL,
    SF__SC_INT,     /* C's int (cgo's C.int) */
    SF__SC_UINT,    /* unsigned int */
    SF__SC_LONG,    /* long (64-bit here) */
    SF__SC_ULONG,   /* unsigned long */
    SF__SC_INTPTR,  /* intptr_t */
    SF__SC_UINTPTR, /* uintptr_t */
    SF__SC__COUNT
};
/* Scalar by spec keyword ("u32"), or SF__SC_NONE. */
int sf__scalar_by_name(const char *s);
const char *sf__scalar_name(int sc);  /* "u32" */
const char *sf__scalar_ctype(int sc); /* "uint32_t" */
unsigned sf__scalar_width(int sc);    /* bytes */
int sf__scalar_signed(int sc);
int64_t sf__scalar_min(int sc);
int64_t sf__scalar_max(int sc); /* unsigned 64-bit: -1 (UINT64_MAX bits) */

/* ---- Types of parameters and returns ------------------------------------ */
enum {
    SF__T_VOID = 0,
    SF__T_SCALAR,   /* scalar, optional range or enum/flags */
    SF__T_NAMED,    /* resource or layout (resolved by sema) */
    SF__T_BYTES,    /* bytes[max] */
    SF__T_OUTBYTES, /* outbytes[max] */
    SF__T_CSTR,     /* cstr[max] */
    SF__T_LEN,      /* len(buffer) */
    SF__T_VIEW,     /* view(param): const uint8_t * into a resource */
    SF__T_CVIEW,    /* cview(param): const char * into a resource */
    SF__T_EXTENT,   /* extent(p): the length its producer reported for p */
    SF__T_USERDATA  /* userdata(cb) [until(p)]: the user data of callback param cb */
};

typedef struct sf__type {
    uint8_t tt;
    uint8_t scalar;    /* SF__SC_* for SCALAR */
    uint8_t is_const;  /* `const Res` */
    uint8_t is_mut;    /* `mut bytes[N]` / `mut cstr[N]`: a non-const pointer */
    uint8_t has_range; /* [min:max] given */
    uint8_t choice;    /* 0, 1 = `in Enum`, 2 = `flags Flags` */
    int64_t min, max;
    int64_t min_len, max_len; /* BYTES / OUTBYTES / CSTR */
    sf__ref ref;              /* NAMED type, LEN target, VIEW param, EXTENT param
                                 ("return": the returned resource), enum/flags set */
    sf__ref of;               /* VIEW: `of Layout`, the struct it points to */
    uint8_t life;             /* VIEW/CVIEW: sf_viewlife */
    sf__ref *until;           /* VIEW/CVIEW: until(f, g): the function names */
    uint32_t n_until, cap_until;
    sf__loc loc;
    /* Filled by sema. */
    int16_t res;    /* resource index, or -1 */
    int16_t layout; /* layout index, or -1 */
    int16_t cb;     /* callback type index, or -1 */
} sf__type;

/* Param attribute bits (before lowering). */
#define SF__PA_NULLABLE  0x01u
#define SF__PA_REJ_NULL  0x02u
#define SF__PA_REJ_STALE 0x04u
#define SF__PA_REJ_RANGE 0x08u

typedef struct sf__param {
    const char *name;
    sf__loc loc;
    uint8_t mode; /* sf_mode; SF_M_NONE when not written */
    uint8_t mode_given;
    uint8_t to_side;
    sf__loc mode_loc;
    uint8_t attrs;
    sf__loc attr_loc;
    sf__type type;
    int16_t link; /* sema: buffer <-> len partner */
} sf__param;

/* Function attribute bits. */
#define SF__FA_PROBE     0x01u
#define SF__FA_NOFUZZ    0x02u
#define SF__FA_PANICS    0x04u
#define SF__FA_INTERCEPT 0x08u
#define SF__FA_NOPANIC   0x10u
#define SF__FA_REENTRANT 0x20u /* callbacks: may call into the library */

typedef struct sf__func {
    const char *name;
    sf__loc loc;
    int lib; /* library index */
    uint8_t side;
    sf__param *params;
    uint32_t n_params, cap_params;
    sf__type ret;
    uint8_t err_style; /* sf_errstyle */
    uint8_t err_given;
    sf__loc err_loc;
    sf__ref err_param;
    sf__ref err_last; /* `last(F)`: the last-error function, or no name */
    int64_t *codes;
    uint32_t n_codes, cap_codes;
    uint8_t attrs;
    uint8_t flags;   /* sema: SF_F_* */
    sf__ref impl_of; /* `fn f implements Cb;`: the callback type */
} sf__func;

/* A callback type: the C function-pointer type one side passes to the other
 * (params and return in sig), and the exported functions implementing it. */
typedef struct sf__cb {
    const char *name;
    sf__loc loc;
    sf__func sig;     /* params and ret; attrs: SF__FA_REENTRANT, SF__FA_PANICS */
    int16_t *impls;   /* sema: implementing function indices */
    uint32_t n_impls; /* sema */
} sf__cb;

typedef struct sf__res {
    const char *name;
    sf__loc loc;
    uint8_t base;      /* 0 = ptr, 1 = handle, 2 = subtype of `parent` */
    uint8_t hscalar;   /* handle scalar */
    const char *ctype; /* ptr(ctype) pointee, NULL = opaque struct NAME */
    sf__ref parent;
    uint8_t has_owner, owner;
    sf__loc owner_loc;
    sf__ref dtor, probe, code, message;
    uint8_t has_invalid, has_align, has_size;
    int64_t invalid, align, size;
    sf__ref container; /* `child of P ...;` */
    uint8_t on_close;  /* sf_onclose */
    int64_t busy_code;
    /* sema */
    int16_t container_idx;
    int16_t parent_idx;
    int16_t dtor_idx, probe_idx, code_idx, msg_idx;
    uint8_t repr;
} sf__res;

typedef struct sf__field {
    const char *name;
    sf__loc loc;
    uint8_t scalar; /* or SF__SC_NONE for a nested layout */
    sf__ref lname;  /* nested layout */
    int64_t count;  /* array elements, 0 = not an array */
    uint8_t has_off;
    int64_t off;
    sf__loc off_loc;
    /* sema */
    int16_t layout;
    uint32_t coff, csize, calign;
} sf__field;

typedef struct sf__layout {
    const char *name;
    sf__loc loc;
    sf__field *fields;
    uint32_t n_fields, cap_fields;
    uint8_t has_size, has_align;
    int64_t size, align;
    sf__loc size_loc, align_loc;
    sf__ref probe[3];
    sf__ref probe_size[3], probe_align[3]; /* `probe SIDE size F;` forms */
    uint8_t implicit_scalar;               /* generated for `out u32` params: the scalar */
    /* sema */
    uint8_t state; /* 0 new, 1 computing, 2 done */
    uint32_t csize, calign;
} sf__layout;

typedef struct sf__lib {
    const char *name;
    sf__loc loc;
    uint8_t side;
    sf__ref *uses;
    uint32_t n_uses, cap_uses;
} sf__lib;

typedef struct sf__member {
    const char *name;
    sf__loc loc;
    int64_t value;
} sf__member;

typedef struct sf__set {
    const char *name;
    sf__loc loc;
    uint8_t is_flags;
    sf__member *m;
    uint32_t n, cap;
} sf__set;

typedef struct sf__bytes {
    const uint8_t *p;
    uint32_t len;
    sf__loc loc;
} sf__bytes;

/* Symbol kinds in the single top-level namespace. */
enum {
    SF__S_CONST = 1,
    SF__S_MEMBER,
    SF__S_SET,
    SF__S_RES,
    SF__S_LAYOUT,
    SF__S_FUNC,
    SF__S_LIB,
    SF__S_CB
};

typedef struct sf__sym {
    const char *name;
    uint8_t kind;
    uint32_t idx;
    int64_t value; /* CONST / MEMBER */
    sf__loc loc;
} sf__sym;

typedef struct sf__diag {
    sf__loc loc;
    const char *msg;
    const char *hint; /* may be NULL */
} sf__diag;

/* The whole parsed spec. */
struct sf_seam {
    sf__arena arena;
    const char *file; /* name used in diagnostics */
    uint32_t hash;
    sf__diag *diags;
    uint32_t n_diags, cap_diags;
    unsigned n_errors;
    int gave_up; /* SF_SEAM_MAX_ERRORS reached */

    const char *boundary;
    sf__loc boundary_loc;
    const char *header;
    const char *seeds; /* `seeds "file"`: hand-written seed programs, or NULL */
    sf__loc seeds_loc;
    sf__lib *libs;
    uint32_t n_libs, cap_libs;
    sf__func *funcs;
    uint32_t n_funcs, cap_funcs;
    sf__res *res;
    uint32_t n_res, cap_res;
    sf__layout *layouts;
    uint32_t n_layouts, cap_layouts;
    sf__set *sets;
    uint32_t n_sets, cap_sets;
    sf__cb *cbs;
    uint32_t n_cbs, cap_cbs;
    sf__bytes *magics;
    uint32_t n_magics, cap_magics;
    const char **ignores;
    uint32_t n_ignores, cap_ignores;
    uint32_t builtins; /* bit set of sf_builtin */
    sf__ref gc;
    uint32_t n_consts;

    /* Symbol table: open addressing, power-of-two size. */
    sf__sym *syms;
    uint32_t sym_cap, n_syms;

    sf_spec *spec; /* lowered, NULL on error */
};

/* Records an error at loc (printf-style message, hint may be NULL). */
void sf__diag_add(sf_seam *s, sf__loc loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Looks a name up; NULL when absent. */
sf__sym *sf__sym_find(sf_seam *s, const char *name);
/* Defines a name; returns the new symbol, or NULL after reporting a
 * redefinition (or on OOM). */
sf__sym *sf__sym_define(sf_seam *s, const char *name, uint8_t kind, uint32_t idx, sf__loc loc);
/* 1 if name is reserved by the language (scalar and type keywords). */
int sf__reserved(const char *name);

/* Semantic checks and lowering (sf_sema.c): fills s->spec when error-free.
 * Returns 0, SF_ESEMA or SF_ENOMEM. */
int sf__sema(sf_seam *s);

#endif /* SF_SEAM_INT_H */
