package main

// Go names for the constants of bytebridge.h, taken from the header itself so
// the two cannot drift apart.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "bytebridge.h"
*/
import "C"

import "unsafe"

const (
	bbOK     = int32(C.BB_OK)
	bbENull  = int32(C.BB_E_NULL)
	bbERange = int32(C.BB_E_RANGE)
	bbEParse = int32(C.BB_E_PARSE)
	bbEStale = int32(C.BB_E_STALE)
	bbEPanic = int32(C.BB_E_PANIC)
	bbEFull  = int32(C.BB_E_FULL)

	// bbMaxCap bounds every length Go accepts from C.
	bbMaxCap = C.size_t(C.BB_MAX_CAP)
)

// cBytes views n bytes of C memory at p as a Go slice without copying.  The
// slice is valid only for the duration of the current call and must never be
// stored: the memory belongs to C (or Rust).  The caller has checked that p
// is not NULL when n > 0 and that n <= bbMaxCap.
func cBytes(p *C.uint8_t, n C.size_t) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}
