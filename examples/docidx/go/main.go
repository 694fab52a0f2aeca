// Command service is the Go half of the docidx example: a search service
// built on the docidx Rust library, compiled as a c-archive that C links next
// to the Rust staticlib.  CONTRACT.md is the contract.
//
// Ownership: every Rust object the service makes (indexes, cursors, document
// copies, error objects) is freed by the service itself, through its Rust
// destructor, before the call that made it returns -- except the index,
// which lives until digo_close.  Pointers borrowed from C or Rust are used
// only inside the call that received them.
package main

// main is required by -buildmode=c-archive and never runs.
func main() {}
