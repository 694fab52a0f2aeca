/* sf_crashlog.c - parses a fuzz binary's output into an sf_crashlog and computes
 * its crash signature (the formats are those of src/runtime/sf_diag.c and of
 * the ASan/UBSan/LSan, libFuzzer and Go runtimes). */
#define _GNU_SOURCE /* memmem */
#include "sf_crashlog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Copies the n bytes at s into dst (cap bytes), trimmed of trailing spaces. */
static void copy_field(char *dst, size_t cap, const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = 0;
}

static int starts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* Frames that say where the sanitizer or libc noticed, not whose code it was. */
/* 1 for a frame of Rust's standard library: a path in core, alloc or std,
 * or a trait method "<T as core::..>" on such a type or a primitive one
 * ("<u8 as core::clone::..>", "<[u8] as ..>"); user code calls them. */
static int rust_std_frame(const char *f)
{
    static const char *const crates[] = {"core::", "alloc::", "std::"};
    const char *t = f[0] == '<' ? f + 1 : f;
    for (size_t i = 0; i < 3; i++)
        if (strncmp(t, crates[i], strlen(crates[i])) == 0)
            return 1;
    const char *as = f[0] == '<' ? strstr(f, " as ") : NULL;
    if (!as)
        return 0;
    /* The self type before " as ": primitive when it has no path. */
    for (const char *c = t; c < as; c++)
        if (c[0] == ':' && c[1] == ':')
            return 0;
    return 1;
}

/* 1 for a frame of seamfuzz's harness or runtime, or of the engine. */
static int harness_frame(const char *f)
{
    static const char *const prefixes[] = {"sf_call_", "__wrap_",    "sf__",     "sf_run_",
                                           "sf_shim_", "LLVMFuzzer", "fuzzer::", "__afl_"};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(f, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* 1 for a frame of the code that calls into the program (the generated
 * stubs, the executor, the engine's entry): when it comes before any user
 * frame, the access was seamfuzz's own (a contract check reading what the
 * callee returned), and nothing below it is user code either.  Not the
 * engine's signal handler (fuzzer::, __afl_): its frames sit above the
 * faulting user code in a deadly-signal stack. */
static int driver_frame(const char *f)
{
    static const char *const prefixes[] = {"sf_call_", "sf__exec", "sf_run_",
                                           "LLVMFuzzerTestOneInput"};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(f, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* 1 for a source file of Rust's standard library or of the crates it
 * vendors, whatever the frame's crate is called ("/rustc/<hash>/library/..",
 * "/rust/deps/hashbrown-../"): the user's code called into it. */
static int rust_std_file(const char *file)
{
    return strncmp(file, "/rustc/", 7) == 0 || strncmp(file, "/rust/deps/", 11) == 0;
}

static int boring_frame(const char *f)
{
    /* Sanitizer and libc frames, seamfuzz's own (runtime, generated stubs,
     * shims and trampolines), Rust's panic and unwind machinery and the
     * allocator, Go's runtime and cgo glue. */
    static const char *const prefixes[] = {"__asan",
                                           "__ubsan",
                                           "__lsan",
                                           "__sanitizer",
                                           "__interceptor",
                                           "___interceptor",
                                           "__sfuzz",
                                           "fuzzer::",
                                           "sf_diag",
                                           "sf__",
                                           "abort",
                                           "raise",
                                           "__GI_",
                                           "__libc",
                                           "__pthread",
                                           "pthread_kill",
                                           "sf_call_",
                                           "sf_run_",
                                           "sf_shim_",
                                           "sf_cb_",
                                           "__wrap_",
                                           "LLVMFuzzer",
                                           "core::panicking",
                                           "std::panicking",
                                           "std::rt::",
                                           "std::sys",
                                           "rust_begin_unwind",
                                           "rust_panic",
                                           "__rust_",
                                           "core::result::unwrap_failed",
                                           "core::option::expect_failed",
                                           "alloc::alloc::",
                                           "<alloc::alloc::",
                                           "alloc::raw_vec::",
                                           "runtime.",
                                           "runtime/",
                                           "_cgo_",
                                           "crosscall",
                                           "x_cgo",
                                           "_start"};
    static const char *const exact[] = {
        "free",    "malloc", "calloc",          "realloc",      "memcpy",
        "memmove", "memset", "memcmp",          "strcmp",       "strncmp",
        "strlen",  "bcmp",   "operator delete", "operator new", "main"};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(f, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (strcmp(f, exact[i]) == 0)
            return 1;
    /* The sanitizers' shared interceptor bodies (MemcmpInterceptorCommon). */
    if (strstr(f, "InterceptorCommon"))
        return 1;
    return f[0] == 0 || strcmp(f, "?") == 0 || rust_std_frame(f);
}

/* Strips a Rust legacy-mangling hash suffix "::h0123456789abcdef". */
static void strip_rust_hash(char *f)
{
    size_t n = strlen(f);
    if (n > 19 && f[n - 19] == ':' && f[n - 18] == ':' && f[n - 17] == 'h') {
        for (size_t i = n - 16; i < n; i++)
            if (!isxdigit((unsigned char)f[i]))
                return;
        f[n - 19] = 0;
    }
}

/* The "/path/file:LINE:COL" of a symbolized frame line into file/line/col;
 * returns 1 when the line names a source file (not a module "(bin+0x..)"). */
static int frame_file(const char *s, size_t n, char *file, size_t cap, int *line, int *col)
{
    const char *in = memmem(s, n, " in ", 4);
    const char *sl = in ? memmem(in, n - (size_t)(in - s), " /", 2) : NULL;
    if (!sl)
        return 0;
    const char *f = sl + 1, *e = f, *end = s + n;
    while (e < end && *e != ':' && *e != ' ')
        e++;
    copy_field(file, cap, f, (size_t)(e - f));
    *line = *col = 0;
    if (e < end && *e == ':') {
        *line = atoi(e + 1);
        const char *c2 = memchr(e + 1, ':', (size_t)(end - e - 1));
        if (c2)
            *col = atoi(c2 + 1);
    }
    return 1;
}

/* The side a source file belongs to, by its extension: "rust", "go", "c". */
static const char *file_side(const char *file)
{
    size_t n = strlen(file);
    if (n > 3 && strcmp(file + n - 3, ".rs") == 0)
        return "rust";
    if (n > 3 && strcmp(file + n - 3, ".go") == 0)
        return "go";
    return "c";
}

/* From a symbolized frame "#0 0x... in FUNC /path:1" (leading spaces
 * skipped) takes FUNC into out; 0 when the line is not such a frame. */
static int frame_func(const char *s, size_t n, char *out, size_t cap)
{
    while (n && *s == ' ')
        s++, n--;
    if (n < 2 || s[0] != '#' || !isdigit((unsigned char)s[1]))
        return 0;
    const char *in = memmem(s, n, " in ", 4);
    if (in == NULL)
        return 0;
    const char *f = in + 4, *end = s + n;
    const char *e = f;
    /* A name ends at " /path", " (module+0x..)" or the end of the line;
     * template arguments may hold spaces, so stop only before '/' or '('. */
    while (e < end && !(e[0] == ' ' && e + 1 < end && (e[1] == '/' || e[1] == '(')))
        e++;
    copy_field(out, cap, f, (size_t)(e - f));
    strip_rust_hash(out);
    return 1;
}

/* Reads "key":value from the one-line JSON object at j (n bytes): a string
 * (the escapes of sf_diag.c's writer decoded) or a bare token.  Returns 1 if
 * the key is present and not null. */
static int json_get(const char *j, size_t n, const char *key, char *out, size_t cap)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\":", key);
    const char *p = memmem(j, n, pat, strlen(pat));
    if (p == NULL)
        return 0;
    p += strlen(pat);
    const char *end = j + n;
    size_t k = 0;
    if (p < end && *p == '"') {
        for (p++; p < end && *p != '"'; p++) {
            char c = *p;
            if (c == '\\' && p + 1 < end) {
                p++;
                if (*p == 'u' && p + 4 < end) {
                    char hex[5] = {p[1], p[2], p[3], p[4], 0};
                    c = (char)strtol(hex, NULL, 16);
                    p += 4;
                } else if (*p == 'n' || *p == 't') {
                    c = *p == 'n' ? '\n' : '\t';
                } else {
                    c = *p;
                }
            }
            if (k + 1 < cap)
                out[k++] = c;
        }
        out[k] = 0;
        return 1;
    }
    while (p < end && *p != ',' && *p != '}' && k + 1 < cap)
        out[k++] = *p++;
    out[k] = 0;
    if (strcmp(out, "null") == 0) {
        out[0] = 0;
        return 0;
    }
    return 1;
}

/* Signature-safe copy: ':' inside a field would split it, so it becomes '/';
 * spaces become '_'. */
static void sig_field(char *dst, size_t cap, const char *s)
{
    size_t k = 0;
    for (; *s && k + 1 < cap; s++) {
        char c = *s;
        if (c == ':' && s[1] != ':' && !(k && dst[k - 1] == ':'))
            c = '/';
        else if (c == ' ')
            c = '_';
        dst[k++] = c;
    }
    dst[k] = 0;
}

int sf_crashlog_parse(const char *text, size_t len, sf_crashlog *r)
{
    memset(r, 0, sizeof(*r));
    r->op = -1;
    int in_block = 0, in_program = 0, done_block = 0;
    char raw_kind[96] = "";
    int go_frames = 0;
    int stack = 0;          /* the sanitizer's first stack: 0 not yet, 1 in it, 2 past it */
    int which = 0;          /* the stack a frame belongs to: 0 access, 1 free, 2 allocation */
    int cut[3] = {0, 0, 0}; /* that stack reached the harness below user code */
    r->n_frames = 0;
    r->side[0] = 0;
    memset(r->loc, 0, sizeof r->loc);
    const char *end = text + len;
    for (const char *s = text; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        size_t off = (size_t)(s - text);
        const char *next = nl ? nl + 1 : end;
        if (!done_block && starts(s, n, "SEAMFUZZ-VIOLATION: SF-")) {
            in_block = 1;
            in_program = 0;
            r->block_off = off;
            r->id = atoi(s + 23);
            const char *sp = memchr(s + 23, ' ', n - 23);
            if (sp)
                copy_field(r->meaning, sizeof(r->meaning), sp + 1, n - (size_t)(sp + 1 - s));
        } else if (in_block) {
            if (in_program && n > 0 && s[0] == ' ') {
                r->program_len = off + n + 1 - r->program_off;
            } else {
                in_program = 0;
                if (starts(s, n, "KIND: "))
                    copy_field(r->kind, sizeof(r->kind), s + 6, n - 6);
                else if (starts(s, n, "DETAIL: "))
                    copy_field(r->detail, sizeof(r->detail), s + 8, n - 8);
                else if (starts(s, n, "FUNCTION: "))
                    copy_field(r->function, sizeof(r->function), s + 10, n - 10);
                else if (starts(s, n, "BINARY: "))
                    copy_field(r->binary, sizeof(r->binary), s + 8, n - 8);
                else if (starts(s, n, "OP: "))
                    r->op = atoi(s + 4);
                else if (starts(s, n, "PROGRAM:")) {
                    in_program = 1;
                    r->program_off = (size_t)(next - text);
                    r->program_len = 0;
                } else if (starts(s, n, "HISTORY ")) {
                    if (r->history_len == 0)
                        r->history_off = off;
                    r->history_len = off + n + 1 - r->history_off;
                } else if (starts(s, n, "SEAMFUZZ-JSON: ")) {
                    r->json_off = off + 15;
                    r->json_len = n - 15;
                    r->block_len = off + n + 1 - r->block_off;
                    in_block = 0;
                    done_block = 1;
                }
            }
        }
        /* Outside our block: the sanitizers, libFuzzer, Go and Rust. */
        if (!in_block) {
            const char *e;
            if (starts(s, n, "SUMMARY: ") && r->summary_len == 0) {
                r->summary_off = off;
                r->summary_len = n;
                const char *in = memmem(s, n, " in ", 4);
                if (in && r->frame[0] == 0) {
                    char f[128];
                    copy_field(f, sizeof(f), in + 4, n - (size_t)(in + 4 - s));
                    strip_rust_hash(f);
                    if (!boring_frame(f))
                        snprintf(r->frame, sizeof(r->frame), "%s", f);
                }
            } else if ((e = memmem(s, n, "ERROR: AddressSanitizer: ", 25)) != NULL &&
                       !raw_kind[0]) {
                const char *k = e + 25, *ke = k;
                while (ke < s + n && *ke != ' ')
                    ke++;
                copy_field(raw_kind, sizeof(raw_kind), k, (size_t)(ke - k));
                if (!r->meaning[0])
                    copy_field(r->meaning, sizeof(r->meaning), e + 7, n - (size_t)(e + 7 - s));
            } else if (memmem(s, n, "ERROR: LeakSanitizer: detected memory leaks", 43) &&
                       !raw_kind[0]) {
                snprintf(raw_kind, sizeof(raw_kind), "memory-leak");
            } else if (memmem(s, n, " runtime error: ", 16) && !raw_kind[0]) {
                snprintf(raw_kind, sizeof(raw_kind), "undefined-behavior");
            } else if ((e = memmem(s, n, "ERROR: libFuzzer: ", 18)) != NULL && !raw_kind[0]) {
                const char *k = e + 18, *ke = k;
                while (ke < s + n && *ke != ' ')
                    ke++;
                copy_field(raw_kind, sizeof(raw_kind), k, (size_t)(ke - k));
                if (strcmp(raw_kind, "deadly") == 0)
                    snprintf(raw_kind, sizeof(raw_kind), "deadly-signal");
            } else if ((starts(s, n, "panic: ") || starts(s, n, "fatal error: ")) && !raw_kind[0]) {
                snprintf(raw_kind, sizeof(raw_kind), "go-panic");
                copy_field(r->meaning, sizeof(r->meaning), s, n);
            } else if (memmem(s, n, "panic in a function that cannot unwind", 38) && !raw_kind[0]) {
                snprintf(raw_kind, sizeof(raw_kind), "rust-panic");
            } else if (starts(s, n, "goroutine ") && memmem(s, n, "[running]", 9)) {
                go_frames = 1;
            } else if (go_frames == 1 && n > 0 && !isspace((unsigned char)s[0])) {
                /* The first function of the panicking goroutine. */
                const char *par = memchr(s, '(', n);
                char f[128];
                copy_field(f, sizeof(f), s, par ? (size_t)(par - s) : n);
                if (strncmp(f, "panic", 5) != 0 && strncmp(f, "runtime.", 8) != 0) {
                    if (r->frame[0] == 0 && !r->found)
                        snprintf(r->frame, sizeof(r->frame), "%s", f);
                    if (!r->side[0])
                        snprintf(r->side, sizeof(r->side), "go");
                    go_frames = 2;
                }
            } else if (memmem(s, n, "freed by thread ", 16)) {
                which = 1;
            } else if (memmem(s, n, "allocated by thread ", 20)) {
                which = 2;
            } else {
                char f[128], file[256];
                int line = 0, col = 0;
                int fr = frame_func(s, n, f, sizeof(f));
                int user = fr && !boring_frame(f) && !harness_frame(f);
                int has_file = user && frame_file(s, n, file, sizeof file, &line, &col);
                if (has_file && rust_std_file(file))
                    user = has_file = 0;
                if (fr && harness_frame(f) && (r->loc[which].file[0] || driver_frame(f)))
                    cut[which] = 1;
                if (has_file && !cut[which] && !r->loc[which].file[0]) {
                    snprintf(r->loc[which].file, sizeof r->loc[which].file, "%s", file);
                    r->loc[which].line = line;
                    r->loc[which].col = col;
                    snprintf(r->loc[which].func, sizeof r->loc[which].func, "%s", f);
                }
                if (fr && stack == 0)
                    stack = 1;
                if (fr && stack == 1 && strncmp(f, "_cgo_", 5) == 0 && !r->side[0])
                    snprintf(r->side, sizeof(r->side), "go"); /* C called from Go code */
                else if (!fr && stack == 1 && n == 0)
                    stack = 2; /* the first stack ends at a blank line */
                /* The boundary: past the harness's stub or a shim (below the
                 * user frames), the frames are seamfuzz's and the engine's. */
                if (fr && stack == 1 && (r->n_frames > 0 || driver_frame(f)) && harness_frame(f))
                    stack = 2;
                if (user) {
                    if (r->frame[0] == 0)
                        snprintf(r->frame, sizeof(r->frame), "%s", f);
                    if (stack == 1 && r->n_frames < 3) {
                        if (r->n_frames == 0)
                            snprintf(r->side, sizeof(r->side), "%s",
                                     has_file ? file_side(file) : "");
                        snprintf(r->frames[r->n_frames++], sizeof(r->frames[0]), "%s", f);
                    }
                }
            }
        }
        s = next;
    }
    if (r->json_len) {
        char v[96];
        const char *j = text + r->json_off;
        json_get(j, r->json_len, "name", r->name, sizeof(r->name));
        json_get(j, r->json_len, "spec", r->spec, sizeof(r->spec));
        if (json_get(j, r->json_len, "spec_hash", v, sizeof(v))) {
            r->has_hash = 1;
            r->spec_hash = (uint32_t)strtoul(v, NULL, 10);
        }
        if (r->function[0] == 0)
            json_get(j, r->json_len, "function", r->function, sizeof(r->function));
        if (r->kind[0] == 0)
            json_get(j, r->json_len, "kind", r->kind, sizeof(r->kind));
    }
    if (r->block_len == 0 && r->block_off && r->id) {
        /* A block cut short (the process died while printing it). */
        r->block_len = len - r->block_off;
    }
    const char *where = r->function[0] ? r->function : r->frame[0] ? r->frame : "?";
    /* A layout finding (SF-150, at start-up) has no function: its layout,
     * the name DETAIL starts with, tells two disagreements apart. */
    char layout[128];
    if (r->id == 150 && !r->function[0] && sscanf(r->detail, "%127[A-Za-z0-9_]", layout) == 1)
        where = layout;
    char w[128], k[96];
    sig_field(w, sizeof(w), where);
    if (r->id && r->id != 190) {
        snprintf(r->sig, sizeof(r->sig), "SF-%d:%s", r->id, w);
        r->found = 1;
    } else if (r->id == 190 || raw_kind[0]) {
        if (r->kind[0] == 0)
            snprintf(r->kind, sizeof(r->kind), "%s", raw_kind[0] ? raw_kind : "unknown");
        sig_field(k, sizeof(k), r->kind);
        if (r->n_frames) {
            /* Boundary-aware: the side and the first user frames of the
             * sanitizer's stack, innermost first, joined by '<' (docs/tools.md). */
            char fr[SF_SIG_MAX];
            size_t at = 0;
            fr[0] = 0;
            for (int i = 0; i < r->n_frames && at + 1 < sizeof fr; i++) {
                char one[128];
                sig_field(one, sizeof one, r->frames[i]);
                int w2 = snprintf(fr + at, sizeof fr - at, "%s%s", i ? "<" : "", one);
                at = w2 < 0 || (size_t)w2 >= sizeof fr - at ? sizeof fr - 1 : at + (size_t)w2;
            }
            snprintf(r->sig, sizeof(r->sig), "SAN:%s:%s:%s", k, r->side[0] ? r->side : "?", fr);
        } else {
            snprintf(r->sig, sizeof(r->sig), "SAN:%s:%s:%s", k, r->side[0] ? r->side : "?", w);
        }
        if (r->meaning[0] == 0)
            snprintf(r->meaning, sizeof(r->meaning), "%s", r->kind);
        r->found = 1;
    }
    return r->found;
}

void sf_crashlog_crash_sig(int timed_out, int wait_status, char *sig, size_t n)
{
    if (timed_out)
        snprintf(sig, n, "TIMEOUT");
    else if (WIFSIGNALED(wait_status))
        snprintf(sig, n, "CRASH:signal-%d", WTERMSIG(wait_status));
    else
        snprintf(sig, n, "CRASH:exit-%d", WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1);
}

void sf_crashlog_rule(const char *sig, char *buf, size_t n)
{
    const char *c = strchr(sig, ':');
    if (strncmp(sig, "SAN:", 4) == 0)
        c = strchr(sig + 4, ':');
    if (c == NULL)
        c = sig + strlen(sig);
    snprintf(buf, n, "%.*s", (int)(c - sig), sig);
}
