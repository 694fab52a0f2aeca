/* sf_diag.h - the stable violation ids and the one diagnostic format.
 *
 * Every finding prints one greppable block (SEAMFUZZ-VIOLATION / FUNCTION /
 * OP / RESOURCE lines, the program up to the failing op, resource histories,
 * recent timings), then one SEAMFUZZ-JSON line, then aborts.  The ids below
 * are stable: tools, tests and docs/violations.md refer to them.
 */
#ifndef SF_DIAG_H
#define SF_DIAG_H

#include <stdint.h>
#include <stdio.h>

#include "sf_desc.h"
#include "sf_prog.h"

struct sf_model;

/* X(number, NAME, one-line meaning).  Never renumber; add at the end of a
 * group.  docs/violations.md explains each one. */
#define SF_VIOLATION_MAP(X)                                                                        \
    X(101, USE_FREED, "use of a freed resource")                                                   \
    X(102, USE_TRANSFERRED, "use of a resource by a side that transferred it away")                \
    X(103, STALE_ACCEPTED, "stale value accepted where the contract requires an error")            \
    X(104, NULL_ACCEPTED, "null/invalid value accepted where the contract requires an error")      \
    X(105, UNDECLARED_ERROR, "error code not declared in the contract")                            \
    X(106, NO_ERROR_OBJECT, "failing call produced no error object")                               \
    X(107, EMPTY_ERROR_MESSAGE, "error object without a message")                                  \
    X(108, INVALID_SUCCESS, "call reported success with a null/invalid result")                    \
    X(109, DUPLICATE_VALUE, "new resource has the value of a live resource")                       \
    X(110, BORROW_FREED, "borrowed resource freed by the callee")                                  \
    X(111, EXTENT_MISMATCH, "sized destructor given a length its producer did not report")         \
    X(112, CLOSED_WITH_CHILDREN, "container closed while children live; the contract says busy")   \
    X(113, VIEW_EXPIRED, "borrowed view freed before its declared lifetime ended")                 \
    X(114, RANGE_ACCEPTED, "out-of-range value accepted where the contract requires an error")     \
    X(115, CALLBACK_EXPIRED, "callback called with user data whose lifetime has ended")            \
    X(116, CALLBACK_REENTERED, "callback called into the library, which its contract forbids")     \
    X(120, LEAK_PROBE, "leak: live-count probe is non-zero after teardown")                        \
    X(121, LEAK_MODEL, "leak: resource created in a nested call still live after teardown")        \
    X(122, LEAK_LSAN, "leak: LeakSanitizer found unreachable memory after the input")              \
    X(130, RUST_PANIC, "Rust panic crossed the border (abort while Rust was running)")             \
    X(131, GO_PANIC, "Go panic reached C (fatal Go panic while Go was running)")                   \
    X(140, MISALIGNED, "pointer misaligned for its declared type")                                 \
    X(150, LAYOUT, "struct layout disagrees between sides")                                        \
    X(160, WRONG_SIDE_FREE, "memory freed by a side that did not allocate it")                     \
    X(190, SANITIZER, "sanitizer report")                                                          \
    X(191, FATAL_SIGNAL, "fatal signal during a boundary call")

typedef enum sf_violation {
#define SF__V_ENUM(num, name, msg) SF_V_##name = (num),
    SF_VIOLATION_MAP(SF__V_ENUM)
#undef SF__V_ENUM
} sf_violation;

/* Static one-line meaning of violation id; "unknown violation" otherwise. */
const char *sf_violation_meaning(int id);
/* Static symbolic name ("USE_FREED"); "UNKNOWN" otherwise. */
const char *sf_violation_name(int id);

/* Enter/exit times of one executed op, in ns since the input started. */
typedef struct sf_diag_timing {
    int32_t op;    /* op index; >= prog->n_ops for teardown calls */
    int16_t func;  /* function index */
    uint8_t depth; /* 0 = harness call, 1.. = nested (intercepted) call */
    uint64_t enter_ns, exit_ns;
} sf_diag_timing;

/* Per-op execution status, shown in the program listing. */
enum { SF_OPST_NONE = 0, SF_OPST_OK, SF_OPST_FAILED, SF_OPST_SKIPPED, SF_OPST_RUNNING };

#define SF_DIAG_MAX_RES 4

/* Everything a report shows.  All pointers are borrowed for the call. */
typedef struct sf_finding {
    int id;                       /* sf_violation */
    const char *detail;           /* one line of specifics, or NULL */
    const char *kind;             /* sanitizer kind / signal name, or NULL */
    const sf_spec *spec;          /* never NULL */
    const sf_prog *prog;          /* NULL outside a program (init-time checks) */
    const uint8_t *op_status;     /* SF_OPST_* per op, or NULL */
    int32_t op;                   /* failing op, -1 none, >= n_ops teardown */
    int func;                     /* failing function, -1 none */
    const char *callchain;        /* e.g. "bbgo_adopt -> bb_buf_free", or NULL */
    const struct sf_model *model; /* NULL when the model is off */
    int n_res;                    /* resources involved (model ids) */
    int32_t res[SF_DIAG_MAX_RES];
    const sf_diag_timing *timings; /* ring of recent calls, oldest first */
    uint32_t n_timings;
} sf_finding;

/* Writes the full block and the JSON line for f to out.  Allocates nothing
 * (safe from sanitizer callbacks and signal handlers in practice). */
void sf_diag_print(const sf_finding *f, FILE *out);

/* Prints f to stderr, flushes, and abort()s.  The one way a finding ends. */
_Noreturn void sf_diag_abort(const sf_finding *f);

#endif /* SF_DIAG_H */
