/* sf_model.h - the shadow ownership model: one record per resource a program
 * has seen, found by value in O(1) (open addressing over a slot array).
 *
 * The model only stores facts; the executor (sf_exec.c, sf_contract.c) decides which facts
 * are violations.  Records are never removed during an input: a freed record
 * stays so that a later use of its value is recognised as a use after free.
 * A new resource with the value of an old record shadows it in the index.
 */
#ifndef SF_MODEL_H
#define SF_MODEL_H

#include <stdint.h>

#include "sf_desc.h"

/* Resource states (docs/runtime.md). */
typedef enum sf_rstate {
    SF_RS_LIVE = 0,    /* owned by its holder side, usable */
    SF_RS_BORROWED,    /* lent to a call that is running now */
    SF_RS_TRANSFERRED, /* ownership moved to another side (held_by) */
    SF_RS_FREED        /* destroyed or consumed */
} sf_rstate;

/* What a history entry records. */
typedef enum sf_revent {
    SF_EV_CREATE = 0,
    SF_EV_BORROW,
    SF_EV_CONSUME,
    SF_EV_TRANSFER,
    SF_EV_FREE,       /* destroyed by its destructor (or through its holder) */
    SF_EV_STALE,      /* passed as a deliberate stale value */
    SF_EV_TEARDOWN,   /* destroyed by teardown */
    SF_EV_FAILED,     /* passed to a call that failed (state unchanged) */
    SF_EV_RETURNED,   /* made by a nested call and handed back by the call
                         around it (the same object, now the caller's) */
    SF_EV_INVALIDATED /* ended by its container's close (SF_CLOSE_INVALIDATES) */
} sf_revent;

#define SF_MODEL_HIST 8
/* Events kept in the shared history log (a ring; a power of two).  An input
 * under the default limits makes about a thousand events at most; 4096 keep
 * the log at 48 KiB, small enough to stay in the L2 cache next to 10,000
 * live records (a larger log made every op's append a cache miss). */
#define SF_MODEL_LOG_CAP (1u << 12)

typedef struct sf_mhist {
    int32_t op;    /* harness op index (teardown ops follow the program) */
    int16_t func;  /* function that touched it */
    uint8_t event; /* sf_revent */
    uint8_t depth; /* 0 = harness call, 1.. = nested call */
} sf_mhist;

/* One resource: 32 bytes, so a record never straddles a cache line and the
 * fields one op reads and writes arrive with one miss.  The hold tree and the
 * index position live apart (cold, sf_model.c).  Read-only outside sf_model.c. */
typedef struct sf_mres {
    uint64_t value;       /* pointer or handle */
    int16_t type;         /* resource index in the spec */
    uint8_t owner;        /* sf_side that allocates it (res desc owner) */
    uint8_t held_by;      /* sf_side that may use it now */
    uint8_t state;        /* sf_rstate */
    uint8_t nested : 1;   /* 1 if first seen inside a nested call */
    uint8_t holds : 1;    /* private: 1 once it holds another resource */
    uint8_t depth : 6;    /* call depth it was made at (0 harness; 63 = deeper) */
    int16_t creator_func; /* function that created it */
    int32_t slot;         /* program slot, or -1 */
    int32_t creator_op;   /* op that created it */
    uint32_t size;        /* object size if known, else 0 */
    uint32_t n_touch;     /* events recorded in total */
} sf_mres;

typedef struct sf_model sf_model;
typedef struct sf_mevent sf_mevent;

/* New empty model for spec (borrowed, must outlive it); caller frees with
 * sf_model_free.  NULL on out of memory. */
sf_model *sf_model_new(const sf_spec *spec);
/* Frees m; NULL is a no-op. */
void sf_model_free(sf_model *m);
/* Forgets every record, keeping the memory (cost: records used). */
void sf_model_reset(sf_model *m);

/* Records a new live resource and returns its model id (>= 0), or SF_ENOMEM.
 * held_by is the side that holds it (the caller of the producing call). */
int32_t sf_model_add(sf_model *m, int type, uint64_t value, sf_side held_by, int32_t slot,
                     int32_t op, int func, int depth);
/* id (made by a nested call) becomes what the call around it returned:
 * the harness's resource in program slot `slot` (-1 for none), no longer
 * nested, held by held_by; a history entry SF_EV_RETURNED records it. */
void sf_model_adopt(sf_model *m, int32_t id, int32_t slot, sf_side held_by, int32_t op, int func,
                    int depth);
/* Model id of the newest record of value for type (pointers: any pointer
 * type; handles: the same type family), or -1. */
int32_t sf_model_find(const sf_model *m, int type, uint64_t value);
/* Record id (borrowed, valid until the next add/reset), or NULL if id is out
 * of range. */
const sf_mres *sf_model_get(const sf_model *m, int32_t id);

/* Copies up to max of id's newest history entries into out, oldest first;
 * returns how many (entries overwritten in the bounded event log are gone:
 * n_touch minus the count says how many).  Scans the log: O(SF_MODEL_LOG_CAP),
 * for reports only. */
int sf_model_history(const sf_model *m, int32_t id, sf_mhist *out, int max);

/* Appends a history entry to id. */
void sf_model_touch(sf_model *m, int32_t id, int32_t op, int func, int depth, sf_revent ev);
/* Sets state (and held_by when it is a side, not -1) of id. */
void sf_model_set_state(sf_model *m, int32_t id, sf_rstate st, int held_by);
/* Makes holder hold id (destroying holder frees id). */
void sf_model_hold(sf_model *m, int32_t id, int32_t holder);
/* Marks everything held (transitively) by holder as freed, with event ev. */
void sf_model_free_held(sf_model *m, int32_t holder, int32_t op, int func, int depth, sf_revent ev);

/* The extent (length) id's producer reported; sf_model_extent returns 1
 * and sets *extent when one was recorded, else 0. */
void sf_model_set_extent(sf_model *m, int32_t id, uint64_t extent);
int sf_model_extent(const sf_model *m, int32_t id, uint64_t *extent);
/* id is a child of container (a model id): it depends on it. */
void sf_model_set_container(sf_model *m, int32_t id, int32_t container);
/* The container of id, or -1. */
int32_t sf_model_container(const sf_model *m, int32_t id);
/* Children of id not freed, of types whose on_close is on_close (-1: any). */
uint32_t sf_model_live_children(const sf_model *m, int32_t id, int on_close);
/* Marks the children of id (transitively) freed: SF_EV_INVALIDATED. */
void sf_model_end_children(sf_model *m, int32_t id, int32_t op, int func, int depth);

/* Writes to out (up to max) the ids of pointer resources, newest first,
 * whose value lies in the block [base, base + size) (size 0: equals base):
 * the resources a sanitizer report's address falls into.  Returns how many.
 * A scan of every record: for reports only. */
uint32_t sf_model_in_block(const sf_model *m, uint64_t base, uint64_t size, int32_t *out,
                           uint32_t max);

/* Records in the model (live and dead). */
uint32_t sf_model_count(const sf_model *m);
/* Records currently live, borrowed or transferred. */
uint32_t sf_model_live(const sf_model *m);

/* Static lower-case names for printing. */
const char *sf_rstate_name(int st);
const char *sf_revent_name(int ev);

#endif /* SF_MODEL_H */
