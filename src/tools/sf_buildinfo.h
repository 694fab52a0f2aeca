/* sf_buildinfo.h - what built a fuzz binary, and which binary made a crash.
 *
 * cmake/SeamFuzzTarget.cmake links into every fuzz binary a string in the ELF
 * section "seamfuzz_info":
 *
 *   SEAMFUZZ-BUILD-INFO 1
 *   name=fuzz_bytebridge            engine=libfuzzer      sanitizers=address,undefined
 *   spec=/abs/bytebridge.seam       harness=/abs/fuzz_bytebridge.c
 *   rust_archive=/abs/lib....a      go_archive=/abs/libgo.a       cc=/usr/bin/clang
 *   source_dirs=/abs/rust:/abs/go   go_tags=libfuzzer,bug_x   rust_features=bug_y
 *   END
 *
 * (one key=value per line).  The section survives copying the binary
 * elsewhere ($OUT); reading it needs the ELF section headers only, not the
 * whole file.  sf_buildinfo_locate finds the binary that made a testcase
 * (docs/tools.md, "Which binary"); `repro`, `minimize` and `cprog` use it
 * when no --bin is given.
 */
#ifndef SF_BUILDINFO_H
#define SF_BUILDINFO_H

#include <stddef.h>

/* One binary's build information; fields "" when the binary did not say. */
typedef struct sf_buildinfo {
    char name[128];
    char engine[32];
    char sanitizers[96];
    char spec[1024];
    char harness[1024];
    char rust_archive[1024];
    char go_archive[1024];
    char cc[512];
    char source_dirs[2048];  /* ':'-separated: the Rust crate, the Go package ... */
    char go_tags[256];       /* the Go build tags, ','-separated */
    char rust_features[256]; /* the crate's features, ','-separated */
} sf_buildinfo;

/* Reads the build information of the ELF file at path into *bi.  Returns 1
 * when it has one, 0 when it is not a seamfuzz fuzz binary (no such section,
 * not ELF, unreadable). */
int sf_buildinfo_read(const char *path, sf_buildinfo *bi);

/* Finds the fuzz binary that made testcase and writes its path into bin
 * (n bytes) and how it was found into how (hn bytes, e.g. "named by its
 * saved report").  named: the BINARY: line of the testcase's saved report,
 * or NULL.  Binaries are looked up by name in $SEAMFUZZ_BIN_DIR
 * (':'-separated) and self_dir (the seamfuzz tool's own folder; NULL skips
 * it).  In order: named's name there, then named itself (a report may come
 * from another checkout); the target of an AFL++ output folder holding the
 * testcase (fuzzer_stats), itself, then by name; the testcase's folder's
 * NAME or fuzz_NAME by name.  Returns 0, or -1 with a one-line reason and
 * fix in err (en bytes). */
int sf_buildinfo_locate(const char *testcase, const char *named, const char *self_dir, char *bin,
                        size_t n, char *how, size_t hn, char *err, size_t en);

/* The folder the running seamfuzz tool lives in, into dir (n bytes); "" when
 * unknown.  Returns dir. */
char *sf_buildinfo_self_dir(char *dir, size_t n);

#endif /* SF_BUILDINFO_H */
