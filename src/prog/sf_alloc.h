/* sf_alloc.h - the one allocation pair every seamfuzz module uses, so tests
 * can inject out-of-memory (sf_alloc_fail_after) deterministically. */
#ifndef SF_ALLOC_H
#define SF_ALLOC_H

#include <stddef.h>

/* Returns a zeroed block of n bytes the caller frees with sf_free, or NULL
 * (out of memory, or an injected failure). */
void *sf_calloc(size_t n);
/* Resizes p (owned by the caller) to n bytes; NULL on failure, p untouched. */
void *sf_realloc(void *p, size_t n);
/* Frees p from sf_calloc/sf_realloc; NULL is a no-op. */
void sf_free(void *p);
/* Test hook: the (n+1)-th allocation from now fails; n < 0 disables. */
void sf_alloc_fail_after(long n);

#endif /* SF_ALLOC_H */
