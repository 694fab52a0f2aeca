package main

// The C entry points of the Go application, declared in bytebridge.h.
//
// This file alone does not include bytebridge.h.  cgo copies the preamble of
// every file with //export into the generated export header and declares the
// exported functions there itself, without const (it writes uint8_t* where
// the header has const uint8_t *).  With bytebridge.h in the same preamble,
// those two declarations would conflict; so this preamble declares only the
// types the signatures need, and the ABI is identical either way.

/*
#include <stddef.h>
#include <stdint.h>
typedef struct BbBuf BbBuf;
*/
import "C"

import "runtime"

// bbgo_adopt takes ownership of buf (a Rust buffer from bb_buf_new) and
// returns a Go handle > 0, or BB_E_NULL for NULL.  From now on only Go may
// free buf, which it does with bb_buf_free in bbgo_release; C must not use
// buf again.
//
//export bbgo_adopt
func bbgo_adopt(buf *C.BbBuf) C.int64_t {
	return C.int64_t(adoptBuf(buf))
}

// bbgo_release frees the buffer adopted under h and invalidates h; BB_OK, or
// BB_E_STALE for an unknown or already released handle.
//
//export bbgo_release
func bbgo_release(h C.int64_t) C.int32_t {
	return C.int32_t(releaseBuf(int64(h)))
}

// bbgo_append appends len bytes at data to the buffer adopted under h and
// returns the new length, or BB_E_STALE / BB_E_NULL / BB_E_RANGE.  data is
// borrowed for the call (NULL is allowed with len 0); the buffer stays Go's.
//
//export bbgo_append
func bbgo_append(h C.int64_t, data *C.uint8_t, len C.size_t) C.int64_t {
	return C.int64_t(appendBuf(int64(h), data, len))
}

// bbgo_peek returns the byte at off of the buffer adopted under h (0..255),
// or BB_E_STALE / BB_E_RANGE.  The Rust pointer from bb_buf_data is used only
// inside this call.
//
//export bbgo_peek
func bbgo_peek(h C.int64_t, off C.size_t) C.int32_t {
	return C.int32_t(peekBuf(int64(h), off))
}

// bbgo_process parses len bytes at data (borrowed for the call) through
// Rust, reads the record back, fetches and frees its description and frees
// the record; returns the record's kind (>= 0) or the Rust error code (< 0)
// unchanged.  Nothing it obtains from Rust outlives the call.
//
//export bbgo_process
func bbgo_process(data *C.uint8_t, len C.size_t) C.int32_t {
	return C.int32_t(processRecord(data, len))
}

// bbgo_store copies len bytes at data (borrowed for the call) into the Rust
// table and keeps the Rust handle in Go behind a Go handle > 0, returned;
// BB_E_NULL, BB_E_RANGE or BB_E_FULL on failure.  Go owns the entry until
// bbgo_drop.
//
//export bbgo_store
func bbgo_store(data *C.uint8_t, len C.size_t) C.int64_t {
	return C.int64_t(storeEntry(data, len))
}

// bbgo_load copies up to out_len bytes of the entry stored under h into out
// (the caller's memory) and returns the entry's full length, or BB_E_STALE /
// BB_E_NULL.  The entry stays stored.
//
//export bbgo_load
func bbgo_load(h C.int64_t, out *C.uint8_t, out_len C.size_t) C.int64_t {
	return C.int64_t(loadEntry(int64(h), out, out_len))
}

// bbgo_drop removes the entry stored under h from the Go map and the Rust
// table and invalidates h; BB_OK or BB_E_STALE.
//
//export bbgo_drop
func bbgo_drop(h C.int64_t) C.int32_t {
	return C.int32_t(dropEntry(int64(h)))
}

// bbgo_checked validates len bytes at data (borrowed for the call) in Go:
// BB_OK for a well-formed record, BB_E_PARSE otherwise, BB_E_NULL /
// BB_E_RANGE for bad arguments.  A Go panic (on purpose for data beginning
// with "!G") is recovered and returned as BB_E_PANIC.
//
//export bbgo_checked
func bbgo_checked(data *C.uint8_t, len C.size_t) C.int32_t {
	return C.int32_t(checkData(data, len))
}

// bbgo_gc runs a full Go garbage collection.  It owns nothing and frees no
// Rust object: those are freed explicitly, never by finalizers.
//
//export bbgo_gc
func bbgo_gc() {
	runtime.GC()
}

// bbgo_live returns the number of Rust objects Go currently owns (adopted
// buffers plus stored table entries).
//
//export bbgo_live
func bbgo_live() C.int64_t {
	return C.int64_t(reg.live())
}

// bbgo_layout_record_view describes Go's mirror of BbRecordView like
// bb_layout_record_view: 0 = size, 1 = align, 2.. = field offsets,
// SIZE_MAX past the end.  Nothing is allocated.
//
//export bbgo_layout_record_view
func bbgo_layout_record_view(what C.size_t) C.size_t {
	return layoutRecordView(what)
}
