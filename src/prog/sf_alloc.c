/* sf_alloc.c - the one allocation pair of the runtime, with a deterministic
 * out-of-memory hook so that tests can fail the n-th allocation. */
#include "sf_alloc.h"

#include <stdatomic.h>
#include <stdlib.h>

/* The fail-after counter is file-static on purpose: it is the one global the
 * runtime keeps besides its per-run context, because the modules that
 * allocate (decoder, parser, model, diagnostics) must not all grow a context
 * argument just for a test hook.  It is atomic because @thread ops allocate
 * from a second thread.  -1 (the default) disables injection, so in
 * production it costs one relaxed load per allocation. */
static _Atomic long fail_after = -1;

/* Returns 1 when this allocation is the one chosen to fail. */
static int should_fail(void)
{
    long n = atomic_load_explicit(&fail_after, memory_order_relaxed);
    while (n >= 0) {
        if (atomic_compare_exchange_weak_explicit(&fail_after, &n, n - 1, memory_order_relaxed,
                                                  memory_order_relaxed))
            return n == 0;
    }
    return 0;
}

/* Caller frees the result with sf_free. */
void *sf_calloc(size_t n)
{
    if (should_fail())
        return NULL;
    /* A zero-byte request still returns a unique block, so NULL always
     * means failure. */
    return calloc(1, n ? n : 1);
}

/* Caller keeps owning p on failure; on success owns only the result.
 * sf_realloc(NULL, n) is an allocation whose contents are not zeroed: the
 * decoder uses it for blocks it fills itself. */
void *sf_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

/* Takes ownership of p (from sf_calloc/sf_realloc) and frees it. */
void sf_free(void *p)
{
    free(p);
}

/* Affects every later allocation of the process: exactly one (the (n+1)-th
 * from now) fails, then injection switches itself off. */
void sf_alloc_fail_after(long n)
{
    atomic_store_explicit(&fail_after, n < 0 ? -1 : n, memory_order_relaxed);
}
