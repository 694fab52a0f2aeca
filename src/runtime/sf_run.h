/* sf_run.h - what a generated harness calls: the runtime's entry points.
 *
 * One process runs one spec.  The runtime keeps its single context (model,
 * program, side stack, profile) in one struct created by sf_run_init; the
 * linker-wrap shims and sanitizer hooks reach it through one documented
 * pointer (sf_run_int.h), because they are called without arguments of
 * ours.
 */
#ifndef SF_RUN_H
#define SF_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "sf_desc.h"

/* LLVMFuzzerInitialize: parses and removes -seam_* flags from argv (leaves the
 * engine's own flags), applies GOGC/GODEBUG/sanitizer defaults without
 * overriding what the user set, checks struct layouts once.  Returns 0;
 * SF_EINVAL after one error line for a bad flag, SF_ENOMEM after one line
 * when out of memory: the harness then stops (the runtime never exits). */
int sf_run_init(const sf_spec *spec, int *argc, char ***argv);

/* LLVMFuzzerTestOneInput: decodes data into a program and executes it with
 * the shadow model on; aborts with a diagnostic on any violation.  data is
 * borrowed.  Always returns 0. */
int sf_run_one(const sf_spec *spec, const uint8_t *data, size_t size);

/* LLVMFuzzerCustomMutator: mutates data[0..size) (max_size bytes, the
 * engine's buffer) in place at op boundaries (sf_mutate.h), half the time
 * through libFuzzer's own LLVMFuzzerMutate; only the latter with
 * -seam_mutator=0.  Returns the new size. */
size_t sf_run_mutate(const sf_spec *spec, uint8_t *data, size_t size, size_t max_size,
                     unsigned int seed);

/* LLVMFuzzerCustomCrossOver: splices ops of data2 into data1 (both borrowed)
 * and writes the result to out (max_out bytes, the engine's).  Returns its
 * size, or 0 (no splice; always with -seam_mutator=0). */
size_t sf_run_cross_over(const sf_spec *spec, const uint8_t *data1, size_t size1,
                         const uint8_t *data2, size_t size2, uint8_t *out, size_t max_out,
                         unsigned int seed);

/* Linker-wrap shims (generated, under -DSF_INTERCEPT) bracket every real call
 * of an intercepted function with these.  `args` is borrowed for the call.
 * Returns a token to hand to sf_shim_exit. */
uint32_t sf_shim_enter(const sf_spec *spec, int func, const sf_val *args);
/* Ends the call begun by sf_shim_enter; `ret` is the real return value. */
void sf_shim_exit(uint32_t token, sf_val ret);

/* Callback trampolines (generated) bracket every call a library makes to a
 * callback the harness passed: cb is the callback type, impl the index of
 * the implementation among its impls, ud the user data the library passes
 * back (NULL when the type has none).  Reports a callback
 * whose user data is not live (SF-115) and returns a token for sf_cb_exit;
 * while it runs, an intercepted call into the library from a callback that
 * is not `reentrant` is reported (SF-116). */
uint32_t sf_cb_enter(const sf_spec *spec, int cb, int impl, void *ud);
void sf_cb_exit(uint32_t token);

#endif /* SF_RUN_H */
