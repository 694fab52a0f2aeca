//go:build !bug_go_error_uaf

// The last-error side of the service: every failed docidx call that leaves
// an error has it taken and freed here (CONTRACT.md, last paragraph).

package main

/*
#include "docidx.h"
*/
import "C"

// takeError takes and frees this thread's last docidx error and returns its
// code (DI_E_NULL when there is none).  It must run on the thread of the
// failed call: callers hold the OS thread through the cgo call sequence.
func takeError() int64 {
	e := C.di_last_error()
	if e == nil {
		return C.DI_E_NULL
	}
	code := int64(C.di_error_code(e))
	C.di_error_free(e)
	return code
}
