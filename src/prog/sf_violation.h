/* sf_violation.h - the one table of violation ids: number, name, one-line
 * meaning and the usual fix.  The runtime reports them (src/runtime/sf_diag.h),
 * the tools turn them into rules (SARIF help, reports).  Never renumber; add
 * at the end of a group.  docs/violations.md explains each one. */
#ifndef SF_VIOLATION_H
#define SF_VIOLATION_H

/* X(number, NAME, meaning, fix) */
#define SF_VIOLATION_MAP(X)                                                                        \
    X(101, USE_FREED, "use of a freed resource",                                                   \
      "The side that freed it must not pass it again: drop the handle or pointer when it is "      \
      "freed (Go: set it to nil; Rust: take ownership so the value is moved).")                    \
    X(102, USE_TRANSFERRED, "use of a resource by a side that transferred it away",                \
      "After transfer(S) only S may use or free it: stop using the old reference, or borrow "      \
      "instead of transferring.")                                                                  \
    X(103, STALE_ACCEPTED, "stale value accepted where the contract requires an error",            \
      "Validate handles against a generation or a live table and return the declared error "       \
      "code for a dead one.")                                                                      \
    X(104, NULL_ACCEPTED, "null/invalid value accepted where the contract requires an error",      \
      "Check for the invalid value first and return the declared error (Rust: Option/NonNull; "    \
      "Go: compare with nil).")                                                                    \
    X(105, UNDECLARED_ERROR, "error code not declared in the contract",                            \
      "Map every failure to one of the declared codes, or declare the code in the spec.")          \
    X(106, NO_ERROR_OBJECT, "failing call produced no error object",                               \
      "Set the error object (out-pointer or last-error slot) on every failure path.")              \
    X(107, EMPTY_ERROR_MESSAGE, "error object without a message",                                  \
      "Give every error object a non-empty message.")                                              \
    X(108, INVALID_SUCCESS, "call reported success with a null/invalid result",                    \
      "Report failure when no result was produced, or always produce one on success.")             \
    X(109, DUPLICATE_VALUE, "new resource has the value of a live resource",                       \
      "Never hand out a live handle twice: bump a generation when a slot is reused.")              \
    X(110, BORROW_FREED, "borrowed resource freed by the callee",                                  \
      "A borrowed argument belongs to the caller: do not free it (Rust: take &T, not Box<T>; "     \
      "Go: do not call the destructor on it).")                                                    \
    X(111, EXTENT_MISMATCH, "sized destructor given a length its producer did not report",         \
      "Free with exactly the length the producer returned (Rust rebuilds the Box<[u8]> from "      \
      "pointer and length: a wrong one is undefined behaviour).")                                  \
    X(112, CLOSED_WITH_CHILDREN, "container closed while children live; the contract says busy",   \
      "Refuse the close with the busy code while children live, or close the children first.")     \
    X(113, VIEW_EXPIRED, "borrowed view freed before its declared lifetime ended",                 \
      "Keep the memory a view points into until the lifetime the contract states ends, or "        \
      "shorten the declared lifetime (until(...)) and copy on the caller's side.")                 \
    X(114, RANGE_ACCEPTED, "out-of-range value accepted where the contract requires an error",     \
      "Check the range and return the declared error for a value outside it.")                     \
    X(115, CALLBACK_EXPIRED, "callback called with user data whose lifetime has ended",            \
      "Do not keep a callback and its user data past the call that lent them; register and "       \
      "unregister them explicitly instead.")                                                       \
    X(116, CALLBACK_REENTERED, "callback called into the library, which its contract forbids",     \
      "Do not call back into the library from the callback (defer the work), or make the "         \
      "library reentrant and declare the callback type `reentrant`.")                              \
    X(120, LEAK_PROBE, "leak: live-count probe is non-zero after teardown",                        \
      "Free the object on every path, including error paths.")                                     \
    X(121, LEAK_MODEL, "leak: resource created in a nested call still live after teardown",        \
      "The side that received it (Go from a Rust call) must free it with its destructor.")         \
    X(122, LEAK_LSAN, "leak: LeakSanitizer found unreachable memory after the input",              \
      "Free the block (Rust: do not mem::forget or leak a Box; Go: C.free what C.CString "         \
      "made).")                                                                                    \
    X(130, RUST_PANIC, "Rust panic crossed the border (abort while Rust was running)",             \
      "Rust: wrap the body of every extern \"C\" function in catch_unwind and return an error "    \
      "code.")                                                                                     \
    X(131, GO_PANIC, "Go panic reached C (fatal Go panic while Go was running)",                   \
      "Go: recover() in every //export function and callback, and return an error code.")          \
    X(140, MISALIGNED, "pointer misaligned for its declared type",                                 \
      "Allocate with the type's alignment (Rust: Layout::new::<T>(); no casts of byte offsets "    \
      "to &T).")                                                                                   \
    X(150, LAYOUT, "struct layout disagrees between sides",                                        \
      "Make the shared struct #[repr(C)] with the same field types and order on every side.")      \
    X(160, WRONG_SIDE_FREE, "memory freed by a side that did not allocate it",                     \
      "Free memory with the allocating side's destructor (Go: call the Rust free function, not "   \
      "C.free).")                                                                                  \
    X(190, SANITIZER, "sanitizer report",                                                          \
      "See the sanitizer's kind: a use after free or double free is an ownership error at the "    \
      "border; an overflow a length that was not checked.")                                        \
    X(191, FATAL_SIGNAL, "fatal signal during a boundary call",                                    \
      "An abort or fatal signal inside the callee: see its own message.")

#endif /* SF_VIOLATION_H */
