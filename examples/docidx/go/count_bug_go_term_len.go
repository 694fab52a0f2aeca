//go:build bug_go_term_len

// Seeded defect bug_go_term_len (docs/bugzoo.md D11): terms are counted
// case-blind, so count queries a lower-cased C copy of the term -- and
// passes its length plus one, for a terminator it never wrote.

package main

/*
#include <stdlib.h>
#include "docidx.h"
*/
import "C"

import "bytes"

func (s *service) count(term *C.uint8_t, n C.size_t) int64 {
	lower := bytes.ToLower(bytesOf(term, n))
	if len(lower) == 0 {
		return C.DI_E_RANGE
	}
	cterm := C.CBytes(lower)
	defer C.free(cterm)
	return s.query((*C.uint8_t)(cterm), C.size_t(len(lower)+1), func(cur *C.DiCursor) int64 {
		k := int64(0)
		for {
			id := int64(C.di_cursor_next(cur))
			if id <= 0 {
				if id < 0 {
					return id
				}
				return k
			}
			k++
		}
	})
}
