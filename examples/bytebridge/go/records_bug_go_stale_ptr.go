//go:build bug_go_stale_ptr

package main

// Record processing: a round trip through every record function of Rust.
//
// Seeded defect bug_go_stale_ptr (docs/bugzoo.md): to count distinct parse
// failures, Go remembers the previous error message in a global.  That
// pointer is borrowed from the Rust error object and dies with
// bb_error_free a few lines later; the next failure compares against freed
// memory.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include <string.h>
#include "bytebridge.h"
*/
import "C"

import "sync"

// parseFailures counts runs of identical parse failures: a failure with the
// same message as the one before is not counted again.
var parseFailures struct {
	mu       sync.Mutex
	distinct int64
	lastMsg  *C.char // message of the previous failure
}

// noteParseFailure counts err's failure unless its message repeats the
// previous one.  err is borrowed for the call.
func noteParseFailure(err *C.BbError) {
	msg := C.bb_error_message(err)
	if msg == nil {
		return
	}
	parseFailures.mu.Lock()
	defer parseFailures.mu.Unlock()
	if parseFailures.lastMsg == nil || C.strcmp(parseFailures.lastMsg, msg) != 0 {
		parseFailures.distinct++
	}
	parseFailures.lastMsg = msg
}

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
		noteParseFailure(cerr)
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
	C.bb_string_free(desc)
	return int32(view.kind)
}
