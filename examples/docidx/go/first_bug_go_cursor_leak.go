//go:build bug_go_cursor_leak

// Seeded defect bug_go_cursor_leak (docs/bugzoo.md D10): first was rewritten
// without the query helper and closes its cursor only when a document
// matched.  When none does, the cursor stays open, the index stays busy,
// and digo_close cannot close it.

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
	cur := C.di_query(s.ix, term, n)
	if cur == nil {
		return takeError()
	}
	id := int64(C.di_cursor_next(cur))
	if id <= 0 {
		return id
	}
	C.di_cursor_close(cur)
	var dn C.size_t
	p := C.di_doc_peek(s.ix, C.uint64_t(id), &dn)
	if p == nil {
		return 0 // gone since the query: nothing to copy
	}
	copyOut(out, cap_, (*C.uint8_t)(unsafe.Pointer(p)), dn)
	return int64(dn)
}
