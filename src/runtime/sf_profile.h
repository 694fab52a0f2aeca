/* sf_profile.h - per-function call statistics: the profile (-seam_profile=1
 * or SEAM_PROFILE=1: calls, failures, allocations by side, time) and the
 * contract coverage (SEAM_COVERAGE_DIR: per function how often it was called,
 * succeeded, failed with each declared error, was rejected as the contract
 * requires, and which states its resource arguments were in). */
#ifndef SF_PROFILE_H
#define SF_PROFILE_H

#include <stdint.h>
#include <stdio.h>

#include "sf_desc.h"
#include "sf_prog.h"

typedef struct sf_profile sf_profile;

/* The state a resource argument was in when a call began. */
typedef enum sf_profile_state {
    SF_PST_NONE = 0,    /* not a resource parameter, or not looked at */
    SF_PST_LIVE,        /* live, owned by its holder */
    SF_PST_BORROWED,    /* lent to a running call */
    SF_PST_TRANSFERRED, /* ownership moved to another side */
    SF_PST_FREED,       /* destroyed: a stale value */
    SF_PST_INVALID,     /* the type's invalid value (NULL, -1, ...) */
    SF_PST_UNTRACKED,   /* a value the model does not know */
    SF_PST_COUNT
} sf_profile_state;

/* One finished call. */
typedef struct sf_profile_call_info {
    int func;
    int nested;                   /* made by an archive, not by the harness */
    int failed;                   /* failed by its error contract */
    int rejected;                 /* failed where the contract requires it (stale, NULL, range) */
    int64_t ret;                  /* its return value (the code, for negative-code errors) */
    uint8_t state[SF_MAX_PARAMS]; /* sf_profile_state of each argument */
    uint64_t ns;
    uint64_t allocs[3]; /* allocations by side made during it */
} sf_profile_call_info;

/* New zeroed profile for spec (borrowed, must outlive it); caller frees with
 * sf_profile_free.  NULL on out of memory. */
sf_profile *sf_profile_new(const sf_spec *spec);
/* Frees p; NULL is a no-op. */
void sf_profile_free(sf_profile *p);
/* Adds one call (ci borrowed).  Not thread-safe: the caller serialises. */
void sf_profile_call(sf_profile *p, const sf_profile_call_info *ci);
/* Adds one input of n_ops ops that took ns. */
void sf_profile_input(sf_profile *p, uint32_t n_ops, uint64_t ns);
/* Prints a table (json = 0) or one JSON line per function (json = 1). */
void sf_profile_print(const sf_profile *p, FILE *out, int json);
/* Writes the contract coverage in the line format docs/coverage.md describes
 * (every function, declared error and resource state, counted or 0).
 * Returns 0, or -1 when writing failed. */
int sf_profile_write_contract(const sf_profile *p, FILE *out);
/* The name of state s ("live", "freed", ...). */
const char *sf_profile_state_name(sf_profile_state s);

#endif /* SF_PROFILE_H */
