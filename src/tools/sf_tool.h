/* sf_tool.h - what every `seamfuzz` command shares: exit codes, option
 * parsing, one-line errors, spec and file loading, and running
 * a fuzz binary as a child with a timeout and captured output.
 *
 * Tools (unlike the runtime) may exit: sf_fatal() is the one way they do,
 * used only for out-of-memory.  Everything else returns an exit code.
 */
#ifndef SF_TOOL_H
#define SF_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sf_buf.h"
#include "sf_prog.h"
#include "sf_seam.h"

#define SF_EXIT_OK    0 /* done; nothing found */
#define SF_EXIT_FAIL  1 /* a finding, or the input was checked and is wrong */
#define SF_EXIT_USAGE 2 /* usage or I/O error */

/* Prints "seamfuzz: message" to stderr and exits 2.  Only for out-of-memory. */
_Noreturn void sf_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* sf_calloc that never returns NULL (sf_fatal on failure); free with sf_free. */
void *sf_xcalloc(size_t n);
/* sf_realloc that never returns NULL; p is owned by the caller. */
void *sf_xrealloc(void *p, size_t n);
/* Copy of s the caller frees with sf_free. */
char *sf_xstrdup(const char *s);
/* The contents of b (NUL-terminated; "" when empty).  A tool cannot go on
 * with text that lost an append, so sf_fatal() when b ran out of memory
 * (sf_buf's out-of-memory is sticky; the libraries check it themselves). */
const char *sf_tool_text(const sf_buf *b);
/* Text form of op i of p (no newline); the caller frees it with sf_free. */
char *sf_op_text(const sf_prog *p, uint32_t i);

/* Prints "seamfuzz <cmd>: message (see 'seamfuzz <cmd> --help')" and
 * returns SF_EXIT_USAGE. */
int sf_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "seamfuzz <cmd>: message" (no --help hint) and returns
 * SF_EXIT_USAGE: for I/O errors and bad input files. */
int sf_tool_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 1 if a is -h or --help. */
int sf_is_help(const char *a);
/* 1 if arg is option opt, alone or as "opt=value". */
int sf_is_opt(const char *arg, const char *opt);
/* 1 when s ends with suf. */
int sf_tool_ends_with(const char *s, const char *suf);
/* The part of path after its last '/' (path itself without one; "?" for
 * NULL); borrowed from path. */
const char *sf_tool_base_name(const char *path);
/* qsort comparator for an array of char * (by strcmp). */
int sf_tool_cmp_str(const void *a, const void *b);
/* The value of option opt at argv[*i] ("-o X" advances *i, or "-o=X");
 * NULL when it has none.  Borrowed from argv. */
const char *sf_opt_value(int argc, char **argv, int *i, const char *opt);

/* Loads and checks the spec at path.  Returns the spec (caller frees with
 * sf_seam_free) or NULL after printing one line (or the spec's diagnostics)
 * prefixed by "seamfuzz <cmd>: "; *code then holds the exit code. */
sf_seam *sf_tool_load_spec(const char *cmd, const char *path, int *code);

/* The same for the commands whose job is the spec itself (gen, check): every
 * diagnostic is printed, then "N errors in PATH", and *code is 1. */
sf_seam *sf_tool_check_spec(const char *cmd, const char *path, int *code);

/* Reads the whole file at path into *data (NUL-terminated, not counted in
 * *len; caller frees with sf_free).  Returns 0, or -1 with errno set. */
int sf_tool_read_file(const char *path, uint8_t **data, size_t *len);
/* Writes len bytes to path through a temporary name, fsync() and rename(),
 * then syncs the folder: a failure or a crash never leaves a half-written
 * file, and a 0 return means the file survives a power cut.  Returns 0, or
 * -1 with errno. */
int sf_tool_write_file(const char *path, const void *data, size_t len);
/* fsync()s the folder that holds path (so a rename in it is durable).
 * Returns 0, or -1 with errno. */
int sf_tool_fsync_parent(const char *path);

/* The outcome of one child run. */
typedef struct sf_child {
    char *out;     /* stdout and stderr interleaved, NUL-terminated; sf_free */
    size_t len;    /* bytes in out (output beyond SF_CHILD_MAX_OUT is dropped) */
    int status;    /* waitpid status; meaningless when timed_out */
    int timed_out; /* 1 if it ran past the timeout and was killed */
} sf_child;
#define SF_CHILD_MAX_OUT (8u << 20)

/* Runs the fuzz binary `bin` on the file `testcase` in its own process group
 * with stdin from /dev/null and both output streams captured, killing the
 * group after timeout_s seconds (0 = no limit).  A libFuzzer binary (one
 * that knows -artifact_prefix) gets -artifact_prefix=<scratch dir>/ so that
 * replays do not litter the working directory.  Returns 0 (then free
 * r->out), or -1 with one line in err when it could not be started. */
int sf_tool_run_bin(const char *bin, const char *testcase, unsigned timeout_s, sf_child *r,
                    char *err, size_t errlen);

/* 1 if status says the child crashed (signal, or a non-zero exit). */
int sf_child_crashed(const sf_child *r);

/* Creates a private scratch directory (mkdtemp under $TMPDIR or /tmp) and
 * writes its path into dir.  Returns 0 or -1 with errno set. */
int sf_tool_mkscratch(char *dir, size_t n);
/* Removes the scratch directory and the plain files in it. */
void sf_tool_rmscratch(const char *dir);

#endif /* SF_TOOL_H */
