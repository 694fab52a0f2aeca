/* fp_go.c - the "Go" library of tests/falsepos/fp.seam, in C: a wrapper that
 * returns what its call into the "Rust" library made.  It is a file of its
 * own so that its call to fp_blob_new goes through the linker-wrapped symbol,
 * as a cgo call from a Go archive into a Rust archive does. */
#include <stdint.h>

void *fp_blob_new(uint8_t n);
void *fpgo_blob_make(uint8_t n);

void *fpgo_blob_make(uint8_t n)
{
    return fp_blob_new(n);
}
