package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include <stdlib.h>
#include "docidx.h"

// The Go visitor digo_visit_longest (exports.go, declared in docidx.h) as
// the DiVisit of a walk: Go cannot take the address of a C function.
static int64_t each_longest(const DiIndex *ix, void *ud)
{
	return di_index_each(ix, digo_visit_longest, ud);
}
*/
import "C"

import (
	"sync"
	"unsafe"
)

const (
	serviceLimit = 256  // documents per service
	maxServices  = 64   // open services
	maxFetch     = 4096 // largest out buffer of digo_fetch and digo_first
)

// service is one open index.  Only the service's own calls use ix.
type service struct {
	mu sync.Mutex
	ix *C.DiIndex
}

var (
	regMu    sync.Mutex
	services = map[int64]*service{}
	nextID   int64
)

func open() int64 {
	regMu.Lock()
	defer regMu.Unlock()
	if len(services) >= maxServices {
		return C.DI_E_FULL
	}
	ix := C.di_index_open(serviceLimit)
	if ix == nil {
		return takeError()
	}
	nextID++
	services[nextID] = &service{ix: ix}
	return nextID
}

func lookup(h int64) *service {
	regMu.Lock()
	defer regMu.Unlock()
	return services[h]
}

func closeService(h int64) int64 {
	regMu.Lock()
	s := services[h]
	delete(services, h)
	regMu.Unlock()
	if s == nil {
		return C.DI_E_NOTFOUND
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The service closes its cursors before returning, so the index is
	// never busy here.
	return int64(C.di_index_close(s.ix))
}

// bytesOf is the C buffer (p, n) as a Go slice, without a copy; only for
// the duration of the call that received p.
func bytesOf(p *C.uint8_t, n C.size_t) []byte {
	if n == 0 || p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

func (s *service) ingest(data *C.uint8_t, n C.size_t) int64 {
	if n > C.DI_MAX_DOC {
		return C.DI_E_RANGE
	}
	if n == 0 {
		return 0
	}
	if data == nil {
		return C.DI_E_NULL
	}
	b := bytesOf(data, n)
	added := int64(0)
	start := 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] != '\n' {
			continue
		}
		var p *C.uint8_t
		if i > start {
			p = (*C.uint8_t)(unsafe.Pointer(&b[start]))
		}
		if r := int64(C.di_index_add(s.ix, p, C.size_t(i-start))); r < 0 {
			return r
		}
		added++
		start = i + 1
	}
	return added
}

// query runs fn on a cursor for term and closes it.
func (s *service) query(term *C.uint8_t, n C.size_t, fn func(cur *C.DiCursor) int64) int64 {
	cur := C.di_query(s.ix, term, n)
	if cur == nil {
		return takeError()
	}
	defer C.di_cursor_close(cur)
	return fn(cur)
}

func copyOut(out *C.uint8_t, cap_ C.size_t, p *C.uint8_t, n C.size_t) {
	k := n
	if k > cap_ {
		k = cap_
	}
	if k > 0 {
		copy(bytesOf(out, k), bytesOf(p, k))
	}
}

func (s *service) longest() int64 {
	ud := C.calloc(1, 16)
	if ud == nil {
		return C.DI_E_NULL
	}
	defer C.free(ud)
	if r := int64(C.each_longest(s.ix, ud)); r < 0 {
		return r
	}
	return *(*int64)(ud)
}
