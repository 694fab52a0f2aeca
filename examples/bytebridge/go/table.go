//go:build !bug_off_by_one

package main

// Entries of the Rust handle table held by Go behind Go handles.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "bytebridge.h"
*/
import "C"

// storeEntry copies n bytes at data (borrowed from C) into the Rust table
// and returns a Go handle (> 0); bbENull, bbERange or bbEFull on failure.
func storeEntry(data *C.uint8_t, n C.size_t) int64 {
	if n > 0 && data == nil {
		return int64(bbENull)
	}
	if n > bbMaxCap {
		return int64(bbERange)
	}
	// With the arguments checked, 0 can only mean the table is full.
	rh := C.bb_table_insert(data, n)
	if rh == 0 {
		return int64(bbEFull)
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	h := reg.newHandleLocked()
	reg.entries[h] = rh
	return h
}

// loadEntry copies up to outLen bytes of the entry behind h into out (C's
// memory, borrowed for the call); returns the entry's length or a BB_E_*
// code.
func loadEntry(h int64, out *C.uint8_t, outLen C.size_t) int64 {
	reg.mu.Lock()
	rh, ok := reg.entries[h]
	reg.mu.Unlock()
	if !ok {
		return int64(bbEStale)
	}
	// Calling Rust without the lock is safe: if another thread drops h
	// meanwhile, the Rust table has bumped the slot's generation and answers
	// BB_E_STALE instead of touching a freed or reused entry.
	return int64(C.bb_table_get(rh, out, outLen))
}

// dropEntry forgets handle h and removes its entry from the Rust table;
// bbOK or bbEStale.
func dropEntry(h int64) int32 {
	reg.mu.Lock()
	rh, ok := reg.entries[h]
	delete(reg.entries, h)
	reg.mu.Unlock()
	if !ok {
		return bbEStale
	}
	return int32(C.bb_table_remove(rh))
}
