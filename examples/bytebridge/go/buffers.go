//go:build !bug_err_dropped && !bug_realloc_ptr

package main

// Adopted Rust buffers: C hands a BbBuf to Go, Go appends to it, peeks into
// it and finally frees it through Rust.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "bytebridge.h"
*/
import "C"

import "unsafe"

// adoptBuf takes ownership of buf and returns its Go handle (> 0), or
// bbENull for a NULL buf.
func adoptBuf(buf *C.BbBuf) int64 {
	if buf == nil {
		return int64(bbENull)
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	h := reg.newHandleLocked()
	reg.bufs[h] = buf
	return h
}

// releaseBuf forgets handle h and frees its buffer; bbOK or bbEStale.
func releaseBuf(h int64) int32 {
	reg.mu.Lock()
	buf, ok := reg.bufs[h]
	delete(reg.bufs, h)
	reg.mu.Unlock()
	if !ok {
		return bbEStale
	}
	// Removed from the map under the lock, so no other call can reach buf
	// any more: this is the only owner left.
	C.bb_buf_free(buf)
	return bbOK
}

// appendBuf appends n bytes at data (borrowed from C for this call) to the
// buffer behind h; returns the new length or a BB_E_* code.
func appendBuf(h int64, data *C.uint8_t, n C.size_t) int64 {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	buf, ok := reg.bufs[h]
	if !ok {
		return int64(bbEStale)
	}
	// Rust checks data and n (BB_E_NULL, BB_E_RANGE); its code is passed on.
	return int64(C.bb_buf_write(buf, data, n))
}

// peekBuf returns the byte at off of the buffer behind h (0..255), or
// bbEStale / bbERange.
func peekBuf(h int64, off C.size_t) int32 {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	buf, ok := reg.bufs[h]
	if !ok {
		return bbEStale
	}
	n := C.bb_buf_len(buf)
	if off >= n {
		return bbERange
	}
	// The pointer is borrowed from Rust and stays valid until the next write
	// to or free of buf; holding reg.mu rules out both until we return, and
	// the slice does not outlive this function.  n >= 1 here, so data is
	// not NULL, and n <= BB_MAX_CAP fits in an int.
	data := C.bb_buf_data(buf)
	bytes := unsafe.Slice((*byte)(unsafe.Pointer(data)), int(n))
	return int32(bytes[off])
}
