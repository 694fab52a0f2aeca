/* sf_srcloc.h - where a boundary function is defined in the user's source.
 *
 * A contract violation (SF-1xx) names a boundary function but carries no
 * stack into user code: the check runs in the harness.  Its place in the
 * user's source is the function's definition (for a layout disagreement,
 * the struct's), found by reading the source folders a fuzz binary's build
 * information lists (sf_buildinfo.h):
 *
 *   Rust  a line with `fn NAME(` or `fn NAME<` (any visibility, extern "C"),
 *         unless an attribute just above it, `#[cfg(feature = "f")]` or
 *         `#[cfg(not(feature = "f"))]`, leaves it out of the binary's features
 *   Go    a line starting `func NAME(`, in a file whose //go:build line holds
 *         for the binary's tags (`a`, `!a`, `a && b`, `a || b`; cgo, linux
 *         and amd64 are set)
 *   C     a line starting at column 0 with `NAME(` after a type, no `;`
 *
 * Files are read in name order, at most 4 folder levels deep, skipping
 * target/, .git/ and build folders; the first definition wins.
 */
#ifndef SF_SRCLOC_H
#define SF_SRCLOC_H

#include <stddef.h>

/* What to look for: a function, or a struct (a layout: Rust `struct NAME`,
 * Go `type NAME struct`, C `struct NAME {` at column 0). */
typedef enum sf_srcloc_what { SF_SRC_FUNC, SF_SRC_STRUCT } sf_srcloc_what;

/* Finds the definition of name under the ':'-separated folders dirs, for Go
 * build tags tags and Rust features features (each ','-separated, may be
 * ""), in the files of side ("rust",
 * "go", "c"; NULL or "" any): writes the file's path into file (n bytes) and
 * its line into *line and returns 1, or returns 0. */
int sf_srcloc_find(const char *dirs, const char *tags, const char *features, const char *side,
                   sf_srcloc_what what, const char *name, char *file, size_t n, int *line);

#endif /* SF_SRCLOC_H */
