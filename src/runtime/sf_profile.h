/* sf_profile.h - per-function call statistics (-seam_profile=1 or
 * SEAM_PROFILE=1): calls, failures, allocations by side, time. */
#ifndef SF_PROFILE_H
#define SF_PROFILE_H

#include <stdint.h>
#include <stdio.h>

#include "sf_desc.h"

typedef struct sf_profile sf_profile;

/* New zeroed profile for spec (borrowed, must outlive it); caller frees with
 * sf_profile_free.  NULL on out of memory. */
sf_profile *sf_profile_new(const sf_spec *spec);
/* Frees p; NULL is a no-op. */
void sf_profile_free(sf_profile *p);
/* Adds one call of func; allocs (borrowed) counts allocations by side made
 * during it.  Not thread-safe: the caller serialises. */
void sf_profile_call(sf_profile *p, int func, int nested, int failed, uint64_t ns,
                     const uint64_t allocs[3]);
/* Adds one input of n_ops ops that took ns. */
void sf_profile_input(sf_profile *p, uint32_t n_ops, uint64_t ns);
/* Prints a table (json = 0) or one JSON line per function (json = 1). */
void sf_profile_print(const sf_profile *p, FILE *out, int json);

#endif /* SF_PROFILE_H */
