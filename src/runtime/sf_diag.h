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
#include "sf_violation.h"

struct sf_model;

typedef enum sf_violation {
#define SF__V_ENUM(num, name, msg, fix) SF_V_##name = (num),
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

/* The name a report gives a model record (OUT: buf, n bytes): "r<slot>" for
 * a program slot, "n<id>" for a resource a nested call made (slot < 0). */
void sf_diag_res_name(char *buf, size_t n, int32_t slot, int32_t id);

/* Writes the full block and the JSON line for f to out.  Allocates nothing
 * (safe from sanitizer callbacks and signal handlers in practice). */
void sf_diag_print(const sf_finding *f, FILE *out);

/* Prints f to stderr, flushes, and abort()s.  The one way a finding ends. */
_Noreturn void sf_diag_abort(const sf_finding *f);

#endif /* SF_DIAG_H */
