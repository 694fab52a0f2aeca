//go:build bug_go_blob_len

// Seeded defect bug_go_blob_len (docs/bugzoo.md D09): the copy is freed with
// the number of bytes copied out, not the length di_doc_copy reported, so a
// document longer than the caller's buffer is freed with the wrong size.

package main

/*
#include "docidx.h"
*/
import "C"

func (s *service) fetch(id C.uint64_t, out *C.uint8_t, cap_ C.size_t) int64 {
	if cap_ > maxFetch {
		return C.DI_E_RANGE
	}
	if out == nil && cap_ > 0 {
		return C.DI_E_NULL
	}
	var n C.size_t
	p := C.di_doc_copy(s.ix, id, &n)
	if p == nil {
		return takeError()
	}
	k := n
	if k > cap_ {
		k = cap_
	}
	copyOut(out, cap_, p, n)
	C.di_blob_free(p, k)
	return int64(n)
}
