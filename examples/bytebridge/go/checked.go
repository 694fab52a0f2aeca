//go:build !bug_go_panic

package main

// Validation done in Go, with a deliberate panic that is recovered.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "bytebridge.h"
*/
import "C"

import (
	"bytes"
	"fmt"
)

// recordWireLen is the length of a record's wire form (see bb_record_parse).
const recordWireLen = 16

// checkData validates n bytes at data (borrowed from C for the call):
// bbOK when they form a record ("BB" then 14 more bytes, 16 in all),
// bbEParse when not, bbENull for NULL data with n > 0, bbERange for
// n > BB_MAX_CAP, and bbEPanic when validation panicked (it does so on
// purpose for input beginning with "!G").  No panic leaves this function.
func checkData(data *C.uint8_t, n C.size_t) (rc int32) {
	if n > 0 && data == nil {
		return bbENull
	}
	if n > bbMaxCap {
		return bbERange
	}
	defer func() {
		// A panic must never unwind into the C caller: that would crash the
		// process.  Recover it here and report it as an error code.
		if r := recover(); r != nil {
			rc = bbEPanic
		}
	}()
	return validate(cBytes(data, n))
}

// validate checks the wire form of a record; b is borrowed C memory.
func validate(b []byte) int32 {
	if bytes.HasPrefix(b, []byte("!G")) {
		tripwire(b)
	}
	if len(b) != recordWireLen || !bytes.HasPrefix(b, []byte("BB")) {
		return bbEParse
	}
	return bbOK
}

// tripwire panics, on purpose, so that a fuzzer can exercise the recovered
// path of bbgo_checked.
//
//go:noinline
func tripwire(b []byte) {
	panic(fmt.Sprintf("bbgo_checked: tripwire input of %d bytes", len(b)))
}
