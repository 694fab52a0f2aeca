package main

// Go's own mirror of BbRecordView.  It is deliberately not C.BbRecordView:
// Go code that shares memory with C usually declares its own struct, and the
// layout probe exists to catch the day it drifts from the header.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "bytebridge.h"
*/
import "C"

import "unsafe"

// recordView mirrors BbRecordView field by field (size 16, align 8 on the
// 64-bit targets this example supports).
type recordView struct {
	id    uint32
	kind  uint16
	flags uint8
	pad   uint8
	value uint64
}

// asC returns v as the C struct pointer Rust fills.  v must stay reachable
// for the duration of the call it is passed to; it contains no Go pointers,
// so passing it to C is allowed by the cgo pointer rules.
func (v *recordView) asC() *C.BbRecordView {
	return (*C.BbRecordView)(unsafe.Pointer(v))
}

// layoutRecordView answers like bb_layout_record_view: 0 = size, 1 = align,
// 2.. = offset of field (what - 2) in declaration order, SIZE_MAX past the
// end.
func layoutRecordView(what C.size_t) C.size_t {
	var v recordView
	switch what {
	case 0:
		return C.size_t(unsafe.Sizeof(v))
	case 1:
		return C.size_t(unsafe.Alignof(v))
	case 2:
		return C.size_t(unsafe.Offsetof(v.id))
	case 3:
		return C.size_t(unsafe.Offsetof(v.kind))
	case 4:
		return C.size_t(unsafe.Offsetof(v.flags))
	case 5:
		return C.size_t(unsafe.Offsetof(v.pad))
	case 6:
		return C.size_t(unsafe.Offsetof(v.value))
	default:
		return ^C.size_t(0)
	}
}
