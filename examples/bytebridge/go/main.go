// Command app is the Go half of the bytebridge example: a c-archive that C
// links next to the Rust staticlib and that calls that library through cgo.
//
// The exported bbgo_* functions (exports.go) are thin wrappers; each
// behaviour lives in its own file (buffers.go, records.go, table.go,
// checked.go, layout.go) so that a later bug variant can replace exactly one
// file behind a build tag, the correct file getting the negated tag.
//
// Ownership rules, as in bytebridge.h: Rust objects held by Go are kept in
// Go maps behind Go's own int64 handles and freed through their Rust
// destructor; pointers borrowed from Rust (bb_buf_data) and from C (data
// arguments) are used only for the duration of the call that received them
// and never stored.
package main

// main is required by -buildmode=c-archive and never runs.
func main() {}
