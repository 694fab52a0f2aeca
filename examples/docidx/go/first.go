//go:build !bug_go_cursor_leak

// digo_first's body: a query for the first id, then a peek at that
// document (NULL: gone, which is not an error).

package main

/*
#include "docidx.h"
*/
import "C"

import "unsafe"

func (s *service) first(term *C.uint8_t, n C.size_t, out *C.uint8_t, cap_ C.size_t) int64 {
	if cap_ > maxFetch {
		return C.DI_E_RANGE
	}
	if out == nil && cap_ > 0 {
		return C.DI_E_NULL
	}
	id := s.query(term, n, func(cur *C.DiCursor) int64 { return int64(C.di_cursor_next(cur)) })
	if id <= 0 {
		return id
	}
	var dn C.size_t
	p := C.di_doc_peek(s.ix, C.uint64_t(id), &dn)
	if p == nil {
		return 0 // gone since the query: nothing to copy
	}
	copyOut(out, cap_, (*C.uint8_t)(unsafe.Pointer(p)), dn)
	return int64(dn)
}
