//go:build bug_wrong_free

package main

// Record processing: a round trip through every record function of Rust.
//
// Seeded defect bug_wrong_free (docs/bugzoo.md): the description string is
// released with C.free, the way Go code frees every other C string it gets,
// instead of with its Rust destructor bb_string_free.  Both allocators are
// malloc here, so nothing crashes; Rust's count of live strings never drops.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include <stdlib.h>
#include "bytebridge.h"
*/
import "C"

import "unsafe"

// processRecord parses n bytes at data (borrowed from C for the call), reads
// the record back through Go's mirror struct, fetches and frees its
// description and frees the record.  It returns the record's kind (>= 0) or,
// if parsing failed, the Rust error code unchanged.  Every Rust object it
// receives is freed before it returns.
func processRecord(data *C.uint8_t, n C.size_t) int32 {
	// cerr holds only a C pointer, so Rust may write through &cerr.
	var cerr *C.BbError
	rec := C.bb_record_parse(data, n, &cerr)
	if rec == nil {
		// bb_error_code(NULL) is BB_E_NULL, should Rust ever leave cerr unset.
		code := int32(C.bb_error_code(cerr))
		C.bb_error_free(cerr)
		return code
	}
	defer C.bb_record_free(rec)

	var view recordView
	if rc := int32(C.bb_record_get(rec, view.asC())); rc != bbOK {
		return rc
	}
	desc := C.bb_record_describe(rec)
	if desc == nil {
		return bbENull
	}
	C.free(unsafe.Pointer(desc))
	return int32(view.kind)
}
