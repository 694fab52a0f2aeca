//go:build bug_go_error_uaf

// Seeded defect bug_go_error_uaf (docs/bugzoo.md D08): to log why a call
// failed, takeError reads the error's message -- after freeing the error.

package main

/*
#include "docidx.h"
*/
import "C"

// lastMessage is the message of the last error takeError took, for logs.
var lastMessage string

func takeError() int64 {
	e := C.di_last_error()
	if e == nil {
		return C.DI_E_NULL
	}
	code := int64(C.di_error_code(e))
	C.di_error_free(e)
	lastMessage = C.GoString(C.di_error_message(e))
	return code
}
