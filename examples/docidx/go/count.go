//go:build !bug_go_term_len

// digo_count's body: walks a cursor to its end.

package main

/*
#include "docidx.h"
*/
import "C"

func (s *service) count(term *C.uint8_t, n C.size_t) int64 {
	return s.query(term, n, func(cur *C.DiCursor) int64 {
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
