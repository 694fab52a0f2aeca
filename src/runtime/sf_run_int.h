/* sf_run_int.h - internal to src/runtime: the one run context and the
 * functions its files share.  sf_contract.c holds the model checks of one
 * call, sf_exec.c the executor (one program, teardown, leak checks),
 * sf_proc.c process set-up (flags, environment, re-exec, signals), sf_san.c
 * the sanitizer integration (allocator hooks, report callbacks, options) and
 * sf_shim.c the linker-wrap interception shims.  Not installed.
 */
#ifndef SF_RUN_INT_H
#define SF_RUN_INT_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "sf_desc.h"
#include "sf_diag.h"
#include "sf_model.h"
#include "sf_profile.h"
#include "sf_prog.h"
#include "sf_side.h"

#define SF__RING       16 /* recent calls kept for the TIMING lines */
#define SF__FRAMES     64 /* nested shim calls in flight at once */
#define SF__TOK_PUSHED 0x80000000u
#define SF__VIEWS      32 /* returned views whose lifetime is followed at once */
#define SF__UDS        64 /* callback user-data blocks followed in one input */
#define SF__ARGBLKS    64 /* argument blocks remembered for sanitizer reports */

/* A heap block the executor made for an argument (a ring of the newest), so
 * that a sanitizer report on it can say which op and parameter it was. */
/* A block Rust or Go allocated and freed during the input (a ring of the
 * newest), so that a report on freed memory can say who made and freed it. */
typedef struct sf__freed {
    uintptr_t p;
    uint32_t size;
    uint8_t side_alloc, side_free;
    int16_t func_free; /* harness function running at the free */
    int32_t op_alloc, op_free;
} sf__freed;
#define SF__FREED 64

typedef struct sf__argblk {
    uintptr_t p;
    size_t len;
    int32_t op;
    int16_t func;
    uint8_t param;
    uint8_t freed; /* freed when its call returned */
} sf__argblk;

/* A user-data block the harness passed with a callback. */
typedef struct sf__ud {
    void *p;            /* the block (the harness's; freed when it ends) */
    int16_t cb;         /* callback type */
    uint8_t live;       /* within its lifetime */
    int32_t op;         /* op that passed it */
    int32_t until_slot; /* lives until this slot is destroyed; -1: the call */
    int32_t end_op;     /* op after which it ended */
} sf__ud;

/* A view a harness call returned, checked after every later op until its
 * declared lifetime (sf_viewlife) ends. */
typedef struct sf__view {
    const uint8_t *p;
    size_t len;   /* bytes that must stay addressable */
    int32_t op;   /* op that returned it */
    int32_t slot; /* slot it points into, or -1 */
    int16_t func; /* function that returned it */
} sf__view;

enum { SF__SLOT_EMPTY = 0, SF__SLOT_LIVE, SF__SLOT_DEAD };

/* What the contract requires of a call because of one argument. */
typedef enum sf__expect {
    SF__EXPECT_ANY = 0,      /* nothing: the call may succeed or fail */
    SF__EXPECT_REJECT_STALE, /* a stale value: it must fail (SF-103) */
    SF__EXPECT_REJECT_NULL,  /* NULL/invalid: it must fail (SF-104) */
    SF__EXPECT_REJECT_RANGE  /* a scalar outside its range: it must fail (SF-114) */
} sf__expect;

/* One call in flight: the executor's own, or a nested one seen by a shim. */
typedef struct sf__call {
    int func;
    int depth;      /* 0 harness, >= 1 nested */
    int32_t op;     /* harness op it belongs to */
    sf_side caller; /* side that made the call */
    sf_val args[SF_MAX_PARAMS];
    int32_t rid[SF_MAX_PARAMS];        /* model id of each resource arg, -1 */
    uint8_t expect[SF_MAX_PARAMS];     /* sf__expect: what the contract requires */
    uint8_t seen[SF_MAX_PARAMS];       /* sf_profile_state of each argument at entry */
    int32_t out_id[SF_MAX_PARAMS + 1]; /* produced model ids; [SF_MAX_PARAMS] = ret */
    uint64_t out_val[SF_MAX_PARAMS + 1];
    uint64_t enter_ns;
    uint64_t allocs0[3];
    int failed;
} sf__call;

typedef struct sf__ctx {
    const sf_spec *spec;
    sf_limits lim;
    int model_on, profile_on, json, lsan_on, wrongside_on, mutator_on;
    sf_model *model;
    sf_side_tracker *tracker;
    /* Blocks allocated during the input (any side) and not freed since: the
     * leak check runs when one is left, not when the counts differ, because
     * a free of an older block would balance a leak. */
    sf_side_tracker *born;
    /* Proves blocks an input left behind reachable, so that a library's
     * global state does not cost a LeakSanitizer scan per input
     * (sf_reach.h); NULL with -seam_leak_proof=0. */
    struct sf_reach *reach;
    uint64_t lsan_scans;        /* LeakSanitizer checks run (the profile prints it) */
    uint64_t lsan_traced_skips; /* ... skipped under a tracer */
    int lsan_traced_warned;
    sf_profile *prof;         /* with profile_on or cov_dir */
    char *cov_dir;            /* SEAM_COVERAGE_DIR: contract and Go coverage at exit, or NULL */
    struct sf_covmap *covmap; /* SEAM_STATUS_FILE: counters hit per module, or NULL */
    pthread_mutex_t mu;       /* recursive: model, ring, frames, profile */

    /* Per input. */
    sf_prog *prog;
    int32_t *slot_id; /* model id per slot, -1 */
    sf_val *slot_val;
    uint8_t *slot_state;
    uint8_t *slot_holds; /* 1 if the slot holds another (teardown order) */
    uint64_t *slot_ext;  /* extent its producer reported (out extent(...)) */
    uint32_t slot_cap;
    uint8_t *op_status;
    uint32_t op_cap;
    volatile int32_t cur_op;
    volatile int cur_func;
    int32_t cur_rid[SF_MAX_PARAMS]; /* model ids of the running harness call's
                                       resource arguments, -1 (for reports) */
    volatile int in_run;
    uint64_t input_no;     /* inputs run so far, this one included */
    volatile int counting; /* allocations tracked (born): decode .. leak check */
    int next_on_thread;
    sf__view views[SF__VIEWS];
    uint32_t n_views;
    sf__freed freed[SF__FREED];
    atomic_uint n_freed; /* appended in total (ring index) */
    sf__argblk argblks[SF__ARGBLKS];
    uint32_t n_argblks; /* appended in total this input (ring index) */
    sf__ud uds[SF__UDS];
    uint32_t n_uds;
    int uds_full;     /* an op was skipped: its user data did not fit */
    uint32_t max_gc;  /* explicit Go GCs allowed per input (-seam_max_gc) */
    uint32_t gc_done; /* explicit Go GCs run in this input */
    uint64_t t0;
    sf_diag_timing ring[SF__RING];
    uint32_t ring_n;
    atomic_ulong mallocs, frees;
    uint64_t born_dropped0; /* born's dropped count when the input began */

    /* The executor's own call, so that its shim passes through. */
    volatile int direct_func;
    pthread_t direct_thread;

    sf__call frames[SF__FRAMES];
    uint64_t frames_used;

    atomic_int reported;
    int signals_done;
    struct sigaction old_abrt, old_ill;
} sf__ctx;

/* The one global of the runtime: the linker-wrap shims, the sanitizer hooks
 * and the signal handlers are called without an argument of ours, so they
 * reach the context through this pointer.  Set once by sf_run_init. */

/* The one global of the runtime: the linker-wrap shims, the sanitizer hooks
 * and the signal handlers are called without an argument of ours, so they
 * reach the context through this pointer.  Set once by sf_run_init
 * (sf_proc.c). */
extern sf__ctx *sf__g;

static inline uint64_t sf__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* sf_contract.c: findings and the checks shared by harness and nested calls.
 * Callers of the checks hold c->mu. */
void sf__finding_init(sf__ctx *c, sf_finding *f, int id, int func);
/* Reports violation id about func (and up to two resources) and aborts. */
_Noreturn void sf__violation(sf__ctx *c, int id, int func, int depth, int32_t r1, int32_t r2,
                             const char *fmt, ...) __attribute__((format(printf, 7, 8)));
uint64_t sf__invalid(const sf_spec *s, int res);
/* 1 when pointer value v of resource type res lies in the zero page without
 * being its sentinel: no allocation lives there, so it is the one dangling
 * address Rust hands out for every empty Box<[T]> / Vec (NonNull::dangling)
 * or the like, and many live resources may share it legally. */
int sf__zero_size(const sf_spec *s, int res, uint64_t v);
void sf__ring_add(sf__ctx *c, int32_t op, int func, int depth, uint64_t enter, uint64_t exit);
void sf__call_stub(sf__ctx *c, int func, const sf_val *args, sf_val *ret);
void sf__precheck(sf__ctx *c, sf__call *k);
int sf__is_failure(const sf_spec *s, const sf_func_desc *fd, sf_val ret);
/* Sets the expectations of scalar arguments outside a `rejects(range)`
 * parameter's range (harness and nested calls alike). */
void sf__expect_ranges(const sf_func_desc *fd, sf__call *k);
/* Adds the finished call k (its return ret, ns long, allocs by side) to
 * c->prof.  Caller holds c->mu. */
void sf__profile_call(sf__ctx *c, const sf__call *k, sf_val ret, uint64_t ns,
                      const uint64_t allocs[3]);
void sf__postcheck(sf__ctx *c, sf__call *k, sf_val ret, const uint64_t *cells,
                   const int32_t *out_slot);
/* 1 when some child type names type r (or a supertype of it) as its
 * container: only then can a resource of type r have children. */
int sf__has_child_type(const sf_spec *s, int r);
/* After a harness call k failed under `errors ... last(F)`: fetches the
 * error object with F, checks it as an error object and frees it, as the
 * caller must.  Caller holds c->mu. */
void sf__last_error(sf__ctx *c, sf__call *k);
/* After nested call k returned ret: when the thread's previous intercepted
 * call failed under `last(F)` and k is F, F must have returned an error
 * object (SF-106); a failing k under `last(...)` becomes the thread's
 * pending one.  Any other intercepted call in between ends the
 * expectation.  Caller holds c->mu. */
void sf__nested_last_error(sf__ctx *c, const sf__call *k, sf_val ret);

/* sf_proc.c: signal handlers, installed on the first input. */
void sf__signals_first_run(sf__ctx *c);

/* sf_san.c: the allocator hooks and report callbacks (once, at init);
 * whether LeakSanitizer is linked in, and its recoverable check. */
void sf__san_install(void);
int sf__lsan_linked(void);
/* 1 while a tracer (gdb, strace) is attached to the process. */
int sf__traced(void);
/* Runs LeakSanitizer's recoverable check (1: a leak was reported); skipped,
 * with one warning per process, while a tracer is attached. */
int sf__lsan_check(sf__ctx *c);
/* Reports SF-122 after LeakSanitizer found a leak at the end of an input:
 * the blocks it may be (b[0..n), ptr unset, any order: the ones the
 * reachability proof failed on when proved is set, else any still live; left
 * of the input's blocks were still live, more when overflow), with the proof
 * the function and resources of the op that allocated the oldest, and aborts. */
_Noreturn void sf__leak_report(sf__ctx *c, const sf_side_block *b, uint32_t n, int proved,
                               uint32_t left, int overflow);

#endif /* SF_RUN_INT_H */
