// sf_go_cover.go - added to the user's Go main package in coverage builds
// (cmake/SeamFuzzTarget.cmake, through go build -overlay): an exported
// function that writes Go's coverage data into a folder.  A c-archive never
// runs main.main and C owns the process's exit, so Go's own exit hook, which
// writes GOCOVERDIR, never runs; libseam calls this at exit instead
// (src/runtime/sf_proc.c).

package main

import "C"

import "runtime/coverage"

//export seamfuzz_go_cover_flush
func seamfuzz_go_cover_flush(dir *C.char) C.int {
	d := C.GoString(dir)
	if err := coverage.WriteMetaDir(d); err != nil {
		return 1
	}
	if err := coverage.WriteCountersDir(d); err != nil {
		return 2
	}
	return 0
}
