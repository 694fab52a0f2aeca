package main

// The C entry points of the service, declared in docidx.h.  This preamble
// declares only what the signatures need: cgo copies it into the export
// header, where docidx.h's const-qualified declarations would conflict with
// the ones cgo writes.

/*
#include <stddef.h>
#include <stdint.h>
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"
)

const diEPanic = -5 // DI_E_PANIC

// buildLabel names the build in the line a contained panic leaves on
// stderr; builds stamp it with -ldflags "-X main.buildLabel=...".
var buildLabel = "unlabelled"

// contain turns a Go panic in an export into DI_E_PANIC, and says so.
func contain(ret *int64) {
	if r := recover(); r != nil {
		fmt.Fprintf(os.Stderr, "docidx-go (%s): contained panic: %v\n", buildLabel, r)
		*ret = diEPanic
	}
}

// withService runs fn on the service of h on a locked OS thread (the last
// error of a failed docidx call is per thread), or returns DI_E_NOTFOUND.
func withService(h C.int64_t, fn func(s *service) int64) (ret int64) {
	defer contain(&ret)
	s := lookup(int64(h))
	if s == nil {
		return -4 // DI_E_NOTFOUND
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s)
}

// digo_open returns a new service handle (> 0), or DI_E_FULL.
//
//export digo_open
func digo_open() (ret C.int64_t) {
	r := int64(0)
	func() {
		defer contain(&r)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		r = open()
	}()
	return C.int64_t(r)
}

// digo_close closes service h: 0, or DI_E_NOTFOUND.
//
//export digo_close
func digo_close(h C.int64_t) C.int32_t {
	r := int64(0)
	func() {
		defer contain(&r)
		r = closeService(int64(h))
	}()
	return C.int32_t(r)
}

// digo_ingest adds each line of the borrowed data as a document.
//
//export digo_ingest
func digo_ingest(h C.int64_t, data *C.uint8_t, n C.size_t) C.int32_t {
	return C.int32_t(withService(h, func(s *service) int64 { return s.ingest(data, n) }))
}

// digo_count returns how many documents contain the borrowed term.
//
//export digo_count
func digo_count(h C.int64_t, term *C.uint8_t, n C.size_t) C.int64_t {
	return C.int64_t(withService(h, func(s *service) int64 { return s.count(term, n) }))
}

// digo_fetch copies document id into out (cap bytes) and returns its length.
//
//export digo_fetch
func digo_fetch(h C.int64_t, id C.uint64_t, out *C.uint8_t, cap_ C.size_t) C.int64_t {
	return C.int64_t(withService(h, func(s *service) int64 { return s.fetch(id, out, cap_) }))
}

// digo_first copies the first document containing term into out.
//
//export digo_first
func digo_first(h C.int64_t, term *C.uint8_t, n C.size_t, out *C.uint8_t, cap_ C.size_t) C.int64_t {
	return C.int64_t(withService(h, func(s *service) int64 { return s.first(term, n, out, cap_) }))
}

// digo_longest returns the length of the longest document.
//
//export digo_longest
func digo_longest(h C.int64_t) C.int64_t {
	return C.int64_t(withService(h, func(s *service) int64 { return s.longest() }))
}

// digo_visit_longest is a DiVisit: ud points to an int64 maximum and an
// int64 count (16 zeroed bytes at the start).
//
//export digo_visit_longest
func digo_visit_longest(ud unsafe.Pointer, id C.uint64_t, data *C.uint8_t, n C.size_t) (ret C.int32_t) {
	defer func() {
		if recover() != nil {
			ret = 1 // stop the walk
		}
	}()
	if ud == nil {
		return 1
	}
	st := (*[2]int64)(ud)
	if int64(n) > st[0] {
		st[0] = int64(n)
	}
	st[1]++
	return 0
}

// digo_live returns how many services are open, for leak checks.
//
//export digo_live
func digo_live() C.int64_t {
	regMu.Lock()
	defer regMu.Unlock()
	return C.int64_t(len(services))
}

// digo_gc runs the Go garbage collector (for tests that look for memory Go
// freed too early).
//
//export digo_gc
func digo_gc() {
	runtime.GC()
}
