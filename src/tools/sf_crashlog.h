/* sf_crashlog.h - reading what a fuzz binary printed: the SEAMFUZZ-VIOLATION
 * block and its SEAMFUZZ-JSON line (src/runtime/sf_diag.c), sanitizer,
 * libFuzzer and Go panic reports, and the crash *signature* that triage,
 * minimize and report compare:
 *
 *   SF-<id>:<function>             a model violation (SF-101 .. SF-191, not 190)
 *   SAN:<kind>:<function-or-frame> a sanitizer report (SF-190, or a raw one)
 *
 * <function> is the FUNCTION: line of the block (the boundary call that was
 * running); without one, the first stack frame outside the sanitizer and libc
 * interceptors, else "?".  Pure text processing: no I/O.
 */
#ifndef SF_CRASHLOG_H
#define SF_CRASHLOG_H

#include <stddef.h>
#include <stdint.h>

#define SF_SIG_MAX 256

/* One parsed report.  The _off/_len pairs index into the text given to
 * sf_crashlog_parse (so they are valid while that text is). */
typedef struct sf_crashlog {
    int found;            /* 1 when a finding was recognised */
    char sig[SF_SIG_MAX]; /* the signature, "" when found == 0 */
    int id;               /* violation number (101 ..), 0 for a raw report */
    char name[48];        /* "STALE_ACCEPTED" (from the JSON line), or "" */
    char meaning[160];    /* one line: the block's meaning or the sanitizer headline */
    char kind[96];        /* KIND: / sanitizer bug type, or "" */
    char function[128];   /* FUNCTION:, or "" */
    char frame[128];      /* first useful stack frame / SUMMARY function, or "" */
    char frames[3][128];  /* the first user frames of the sanitizer's first stack */
    int n_frames;
    char side[8]; /* "rust", "go", "c" by the first user frame's file, or "" */
    /* Source locations of the first user frame of the sanitizer's stacks:
     * [0] the access (or crash), [1] where the block was freed, [2] where it
     * was allocated.  file "" when unknown. */
    struct {
        char file[256];
        int line, col;
        char func[128];
    } loc[3];
    char detail[512];                /* DETAIL:, or "" */
    char binary[1024];               /* BINARY: (the fuzz binary's path then), or "" */
    char spec[64];                   /* spec name from the JSON line, or "" */
    int has_hash;                    /* spec_hash present */
    uint32_t spec_hash;              /* FNV-1a of the spec text the binary was built from */
    int op;                          /* failing op, -1 unknown */
    size_t block_off, block_len;     /* SEAMFUZZ-VIOLATION line .. JSON line */
    size_t program_off, program_len; /* the PROGRAM: listing (lines after it) */
    size_t history_off, history_len; /* the HISTORY lines */
    size_t summary_off, summary_len; /* the sanitizer "SUMMARY:" line */
    size_t json_off, json_len;       /* the JSON object after "SEAMFUZZ-JSON: " */
} sf_crashlog;

/* Parses text (borrowed, len bytes, need not be NUL-terminated) into *r.
 * Returns 1 when a finding was recognised, else 0 (r->found tells too). */
int sf_crashlog_parse(const char *text, size_t len, sf_crashlog *r);

/* Fallback signature for a crash without any recognisable report:
 * "TIMEOUT", "CRASH:signal-<n>" or "CRASH:exit-<n>", written into sig. */
void sf_crashlog_crash_sig(int timed_out, int wait_status, char *sig, size_t n);

/* The violation id part of a signature as a rule id: "SF-103", "SAN:<kind>"
 * for sanitizer signatures, or the whole signature; written into buf. */
void sf_crashlog_rule(const char *sig, char *buf, size_t n);

#endif /* SF_CRASHLOG_H */
