/* toy.h - a small hand-written boundary used as the runtime's system under
 * test: "Rust" functions (a buffer, an error object, a handle table, strings)
 * and "Go" functions that hold Rust buffers and call back into "Rust" through
 * hand-written linker-wrap shims, all in C.
 *
 * Compiled with -DTOY_BREAK=<id> the toy breaks exactly the contract that
 * violation SF-<id> checks; TOY_BREAK=0 (the default) is correct code.
 */
#ifndef TOY_H
#define TOY_H

#include "sf_desc.h"

#ifndef TOY_BREAK
#define TOY_BREAK 0
#endif

/* The toy's descriptor tables, with call stubs (borrowed, static). */
extern const sf_spec toy_spec;

#endif /* TOY_H */
