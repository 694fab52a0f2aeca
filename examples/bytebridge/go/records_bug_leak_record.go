//go:build bug_leak_record

package main

// Record processing: a round trip through every record function of Rust.
//
// Seeded defect bug_leak_record (docs/bugzoo.md): the record is freed by an
// explicit call at the end instead of a defer, and the early return added
// later for kind-0 records skips that call.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "bytebridge.h"
*/
import "C"

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

	var view recordView
	if rc := int32(C.bb_record_get(rec, view.asC())); rc != bbOK {
		C.bb_record_free(rec)
		return rc
	}
	// Kind 0 marks a placeholder record: there is nothing to describe.
	if view.kind == 0 {
		return 0
	}
	desc := C.bb_record_describe(rec)
	if desc == nil {
		C.bb_record_free(rec)
		return bbENull
	}
	C.bb_string_free(desc)
	C.bb_record_free(rec)
	return int32(view.kind)
}
