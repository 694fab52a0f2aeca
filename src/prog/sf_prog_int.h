/* sf_prog_int.h - internal to the program module (sf_prog.c: decoder,
 * encoder, limits; sf_prog_text.c: printing and parsing).  Not installed and
 * not included anywhere else: these are the op table and the one slot state
 * machine that the decoder, the encoder and the parser share, so that they
 * cannot disagree (docs/program.md). */
#ifndef SF_PROG_INT_H
#define SF_PROG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sf_buf.h"
#include "sf_prog.h"

#define SF__TABLE_REACH 256 /* op-table entries a selector byte can reach */

/* Decode-time state of a slot.  DYING: consumed by the op being decoded; it
 * is neither a live nor a dead candidate until that op ends. */
enum { SF__PS_LIVE = 1, SF__PS_DYING, SF__PS_DEAD };

/* Why an argument cannot be encoded (0 = it can). */
enum {
    SF__R_OK = 0,
    SF__R_KIND,
    SF__R_RANGE,
    SF__R_CHOICE,
    SF__R_FLAGS,
    SF__R_RES,
    SF__R_LONG,
    SF__R_NUL,
    SF__R_SLOTNUM,
    SF__R_LIVE,
    SF__R_SHORT
};

/* Text names of the built-ins, indexed by sf_builtin ("gc", ...). */
extern const char *const sf__builtin_names[SF_B__COUNT];

/* The op table of a spec, built on each call (it is a few dozen entries). */
typedef struct sf__optab {
    uint32_t n;                   /* fuzzable functions, then enabled built-ins */
    int32_t ent[SF__TABLE_REACH]; /* first 256 entries: function index, or -1 - builtin */
    uint32_t max_prod;            /* most slots one op of the table produces */
    size_t max_data;              /* most BUF/CSTR data bytes one op reads */
    size_t max_pad;               /* most bytes one op pads buffers with to
                                     their minimum length */
} sf__optab;

/* The private tail of a program block: the limits it was made under (the
 * encoder needs max_live) followed by the arena bytes. */
typedef struct sf__prog_priv {
    sf_limits lim;
    uint8_t bytes[];
} sf__prog_priv;

/* The slot state machine shared by decode, encode and parse. */
typedef struct sf__pstate {
    const sf_spec *spec;
    uint32_t max_live;
    uint32_t n_live;   /* slots in state LIVE or DYING */
    uint32_t n_slots;  /* slots committed so far */
    int16_t *slot_res; /* capacity: every slot the op budget can produce */
    int32_t *slot_holder;
    int32_t *slot_parent; /* container slot of a child, -1 */
    uint32_t *slot_kids;  /* live children of each slot */
    uint8_t *slot_st;
    /* Candidates, per resource type w: the slots whose type is w or a
     * subtype, LIVE ones in bit_live, DEAD ones in bit_dead (Fenwick trees
     * over slot numbers, n_types x (bit_n + 1) counters each, totals in
     * tot_*), so that finding the k-th candidate costs O(log slots), not a
     * scan of every slot. */
    uint32_t n_types, bit_n;
    int32_t *bit_live, *bit_dead;
    uint32_t *tot_live, *tot_dead;
    int want;            /* the type of the current parameter (cands) */
    uint32_t n_cl, n_cd; /* its live and dead candidates */
    int stale_pending;   /* an @stale op waits for the next kept call */
    int stale_done;      /* the current op has taken its forced stale value */
    uint32_t n_new;      /* slots the current op produces */
    uint32_t n_dying;
    int32_t dying[SF_MAX_PARAMS];
    uint8_t dying_kill[SF_MAX_PARAMS]; /* 1: destroyed (not transferred) */
} sf__pstate;

/* Limits with every 0 field (or a NULL lim) replaced by its default. */
sf_limits sf__eff_limits(const sf_limits *lim);

/* Descriptor helpers.  The name functions return static or spec-owned
 * strings ("?" when missing). */
const char *sf__res_name(const sf_spec *s, int r);
const char *sf__pname(const sf_param_desc *pd);
/* Returns 1 when fd returns a new resource. */
int sf__ret_produces(const sf_func_desc *fd);
/* Longest and shortest buffer a BUF/CSTR/OUTBUF parameter can get. */
size_t sf__len_max(const sf_param_desc *pd);
size_t sf__len_min(const sf_param_desc *pd);
/* The callback type of a SF_K_CALLBACK parameter with at least one
 * implementation, or NULL. */
const sf_cb_desc *sf__cb_of(const sf_spec *s, const sf_param_desc *pd);
/* Returns 1 when function fi can be an op (fuzzable, self-consistent). */
int sf__func_ok(const sf_spec *s, uint32_t fi);

/* Fills t (OUT) with the op table of s. */
void sf__optab_build(const sf_spec *s, sf__optab *t);
/* Returns the table index (the selector) of entry e, or -1 past reach. */
int sf__optab_find(const sf__optab *t, int32_t e);

/* The slot state machine (see sf_prog.c for each step). */
int sf__stale_target(const sf__pstate *st, const sf_param_desc *pd);
uint32_t sf__op_begin(sf__pstate *st, const sf_func_desc *fd);
int sf__op_finish(sf__pstate *st, const sf_func_desc *fd, const sf_op *op, int dropped,
                  int32_t *ret_slot);
void sf__fill_lens(const sf_func_desc *fd, sf_op *op);
void sf__arg_clear(sf_arg *a);
void sf__builtin_op(sf__pstate *st, sf_op *op, unsigned b);

/* One block for a program of ops_cap ops, slots_cap slots and arena_cap
 * arena bytes; st (OUT) is pointed at its scratch.  Freed with sf_prog_free;
 * NULL on overflow or out of memory. */
sf_prog *sf__prog_alloc(const sf_spec *spec, sf_limits lim, size_t ops_cap, size_t slots_cap,
                        size_t arena_cap, sf__pstate *st);
/* a * b, saturated at SIZE_MAX. */
size_t sf__mul_sat(size_t a, size_t b);

/* The encoder's pieces the parser reuses to check what it read. */
/* Appends the bytes of argument pi of op and applies its effect to st;
 * returns SF__R_OK or the reason no byte string decodes to it here. */
int sf__enc_param(sf__pstate *st, const sf_func_desc *fd, uint32_t pi, const sf_op *op, uint32_t *k,
                  sf_buf *bv);

/* How sf__enc_ops treats an op it cannot encode where it stands. */
enum {
    SF__ENC_STRICT = 0, /* fail with SF_EINVAL: the program must be exact */
    SF__ENC_CASCADE,    /* drop it; an op using a slot of a dropped op drops */
    SF__ENC_REBIND      /* as CASCADE, but a live-slot argument whose producer
                           was dropped first takes the newest live slot of its
                           type */
};

/* Encodes ops[0..n) (borrowed; their slots numbered 0 .. n_slots-1, in
 * whatever order they were produced) under limits l, appending to bv.  In
 * the non-strict modes slots are renumbered as the decoder will number them
 * and kept[i] (when not NULL) says which ops made it.  Returns 0, SF_EINVAL
 * (strict: an op is not what any bytes decode to) or SF_ENOMEM. */
int sf__enc_ops(const sf_spec *s, sf_limits l, const sf_op *ops, uint32_t n, uint32_t n_slots,
                int mode, sf_buf *bv, uint8_t *kept);

#endif /* SF_PROG_INT_H */
