/* good_ctypes.h - the header good_ctypes.seam describes, in the spelling of
 * a cgo export header (test input). */
#include <stddef.h>
#include <stdint.h>
typedef struct R R;
extern R *ct_new(int n, uintptr_t tag);
extern int ct_fill(R *r, uint8_t *data, size_t len, unsigned int flags, long off);
extern int ct_name(const R *r, char *name, intptr_t id, unsigned long mask);
extern void ct_free(R *r);
