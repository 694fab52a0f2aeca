//go:build !bug_go_blob_len

// digo_fetch's body: a document copy, copied out and freed with the length
// di_doc_copy reported.

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
	copyOut(out, cap_, p, n)
	C.di_blob_free(p, n)
	return int64(n)
}
