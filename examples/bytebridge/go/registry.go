package main

import "sync"

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "bytebridge.h"
*/
import "C"

// registry holds every Rust object Go owns, behind Go handles.  Go handles
// are positive, start at 1 and are never reused, so a released Go handle
// stays invalid for the life of the process.
//
// mu also serialises all use of an adopted BbBuf: a Rust buffer is not
// thread-safe, and holding mu across the cgo call keeps bbgo_release from
// freeing a buffer another thread is still writing or reading.
type registry struct {
	mu   sync.Mutex
	next int64
	// bufs maps Go handles to adopted buffers; Go owns each one and frees it
	// with bb_buf_free when the handle is released.
	bufs map[int64]*C.BbBuf
	// entries maps Go handles to Rust table handles; Go owns each entry and
	// removes it with bb_table_remove when the handle is dropped.
	entries map[int64]C.uint64_t
}

var reg = registry{
	bufs:    make(map[int64]*C.BbBuf),
	entries: make(map[int64]C.uint64_t),
}

// newHandleLocked returns a fresh Go handle.  The caller holds r.mu.
func (r *registry) newHandleLocked() int64 {
	r.next++
	return r.next
}

// live counts the Rust objects currently held by Go.
func (r *registry) live() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(len(r.bufs) + len(r.entries))
}
