/* sf_cmds.c - `seamfuzz show`, `encode`, `repro`, `minimize` and `cprog`:
 * argument parsing, one-line errors and exit codes around the modules that do
 * the work (sf_prog, sf_report, sf_minimize, sf_cprog). */
#define _POSIX_C_SOURCE 200809L
#include "sf_cmds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_cprog.h"
#include "sf_err.h"
#include "sf_minimize.h"
#include "sf_report.h"
#include "sf_tool.h"

#define MAX_FILES 4096

/* Options most commands share. */
typedef struct cmd_opts {
    const char *spec, *bin, *out;
    sf_limits lim;
    unsigned timeout_s, max_runs;
    int quiet;
    const char *files[MAX_FILES];
    int n_files;
    const char *archives[64];
    size_t n_archives;
} cmd_opts;

enum { O_SPEC = 1, O_BIN = 2, O_OUT = 4, O_LIMITS = 8, O_TIMEOUT = 16, O_ARCHIVE = 32 };

/* Parses argv into *o with the options in `allowed`; returns -1 when done,
 * or an exit code (help printed, or a usage error). */
static int parse_opts(const char *cmd, const char *usage, int argc, char **argv, unsigned allowed,
                      cmd_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->lim = sf_limits_default();
    o->timeout_s = 10;
    for (int i = 1; i < argc; i++) {
        const char *v, *a = argv[i];
        char err[256];
        if (sf_is_help(a)) {
            fputs(usage, stdout);
            return SF_EXIT_OK;
        } else if ((allowed & O_SPEC) && sf_is_opt(a, "--spec")) {
            if ((v = sf_opt_value(argc, argv, &i, "--spec")) == NULL)
                return sf_usage_error(cmd, "--spec needs a .seam file");
            o->spec = v;
        } else if ((allowed & O_BIN) && sf_is_opt(a, "--bin")) {
            if ((v = sf_opt_value(argc, argv, &i, "--bin")) == NULL)
                return sf_usage_error(cmd, "--bin needs the fuzz binary");
            o->bin = v;
        } else if ((allowed & O_OUT) && sf_is_opt(a, "-o")) {
            if ((v = sf_opt_value(argc, argv, &i, "-o")) == NULL)
                return sf_usage_error(cmd, "-o needs a file name");
            o->out = v;
        } else if ((allowed & O_LIMITS) && sf_is_opt(a, "--limits")) {
            if ((v = sf_opt_value(argc, argv, &i, "--limits")) == NULL)
                return sf_usage_error(cmd, "--limits needs max_ops=N,max_live=N");
            if (sf_limits_parse(v, &o->lim, err, sizeof(err)) != 0)
                return sf_usage_error(cmd, "%s", err);
        } else if ((allowed & O_TIMEOUT) && sf_is_opt(a, "--timeout")) {
            if ((v = sf_opt_value(argc, argv, &i, "--timeout")) == NULL || atoi(v) < 0)
                return sf_usage_error(cmd, "--timeout needs seconds (0 = none)");
            o->timeout_s = (unsigned)atoi(v);
        } else if ((allowed & O_TIMEOUT) && sf_is_opt(a, "--max-runs")) {
            if ((v = sf_opt_value(argc, argv, &i, "--max-runs")) == NULL || atoi(v) < 1)
                return sf_usage_error(cmd, "--max-runs needs a number >= 1");
            o->max_runs = (unsigned)atoi(v);
        } else if ((allowed & O_TIMEOUT) && strcmp(a, "-q") == 0) {
            o->quiet = 1;
        } else if ((allowed & O_ARCHIVE) && sf_is_opt(a, "--archive")) {
            if ((v = sf_opt_value(argc, argv, &i, "--archive")) == NULL)
                return sf_usage_error(cmd, "--archive needs a file");
            if (o->n_archives == sizeof(o->archives) / sizeof(o->archives[0]))
                return sf_usage_error(cmd, "too many archives (limit 64)");
            o->archives[o->n_archives++] = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            return sf_usage_error(cmd, "unknown option '%s'", a);
        } else {
            if (o->n_files == MAX_FILES)
                return sf_usage_error(cmd, "too many files (limit %d)", MAX_FILES);
            o->files[o->n_files++] = a;
        }
    }
    return -1;
}

/* Reads a testcase; prints one line and returns -1 when it cannot. */
static int read_testcase(const char *cmd, const char *path, uint8_t **data, size_t *len)
{
    if (sf_tool_read_file(path, data, len) != 0) {
        sf_tool_error(cmd, "cannot read testcase %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* A text program where bytes are expected is the usual mix-up: say so.  It
 * is one when it starts with the header `show` prints, or when it is plain
 * text that parses as a program of this spec. */
static int looks_like_text(const sf_seam *s, const sf_limits *lim, const uint8_t *d, size_t n)
{
    static const char hdr[] = "# seamfuzz program";
    if (n >= sizeof(hdr) - 1 && memcmp(d, hdr, sizeof(hdr) - 1) == 0)
        return 1;
    if (n == 0 || d[n - 1] != '\n')
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((d[i] < 0x20 || d[i] > 0x7e) && d[i] != '\n' && d[i] != '\t' && d[i] != '\r')
            return 0;
    sf_prog *p = NULL;
    char err[8];
    int ok = sf_prog_parse(sf_seam_spec(s), lim, (const char *)d, n, &p, err, sizeof(err)) == 0 &&
             p->n_ops > 0;
    sf_prog_free(p);
    return ok;
}

/* ---- show ---------------------------------------------------------------- */

const char sf_show_usage[] =
    "usage: seamfuzz show --spec SPEC.seam TESTCASE... [--limits max_ops=N,max_live=N]\n"
    "\n"
    "Decodes each testcase (fuzz bytes) into the program it runs and prints its text\n"
    "form (docs/program.md), one block per file.  Works from the spec alone.\n"
    "--limits must match the -seam_max_ops/-seam_max_live the fuzzer ran with\n"
    "(default max_ops=64,max_live=256).\n"
    "Exit: 0 printed, 2 usage error, unreadable file or a text program given as bytes.\n";

int sf_cmd_show(int argc, char **argv)
{
    cmd_opts o;
    int rc = parse_opts("show", sf_show_usage, argc, argv, O_SPEC | O_LIMITS, &o);
    if (rc >= 0)
        return rc;
    if (o.spec == NULL)
        return sf_usage_error("show", "no spec given (--spec SPEC.seam)");
    if (o.n_files == 0)
        return sf_usage_error("show", "no testcase given");
    sf_seam *s = sf_tool_load_spec("show", o.spec, &rc);
    if (s == NULL)
        return rc;
    rc = SF_EXIT_OK;
    for (int i = 0; i < o.n_files && rc == SF_EXIT_OK; i++) {
        uint8_t *d;
        size_t n;
        if (read_testcase("show", o.files[i], &d, &n) != 0) {
            rc = SF_EXIT_USAGE;
            break;
        }
        if (looks_like_text(s, &o.lim, d, n)) {
            rc = sf_tool_error("show",
                               "%s is a text program, not fuzz bytes (turn it into bytes with "
                               "'seamfuzz encode --spec %s %s -o OUT.bin')",
                               o.files[i], o.spec, o.files[i]);
        } else {
            sf_prog *p = NULL;
            if (sf_prog_decode(sf_seam_spec(s), &o.lim, d, n, &p) != 0)
                sf_fatal("out of memory decoding %s", o.files[i]);
            if (o.n_files > 1)
                printf("%s# %s (%zu bytes, %u ops)\n", i ? "\n" : "", o.files[i], n, p->n_ops);
            if (sf_prog_print(p, stdout) != 0)
                rc = sf_tool_error("show", "cannot write to standard output");
            sf_prog_free(p);
        }
        sf_free(d);
    }
    sf_seam_free(s);
    return rc;
}

/* ---- encode -------------------------------------------------------------- */

const char sf_encode_usage[] =
    "usage: seamfuzz encode --spec SPEC.seam PROGRAM.txt -o OUT.bin [--limits ...]\n"
    "\n"
    "Parses a text program (docs/program.md; what `show` prints) and writes the\n"
    "canonical fuzz bytes that decode back to it.  A program no byte string decodes\n"
    "to is rejected with FILE:line:col: and the reason.\n"
    "Exit: 0 written, 1 the program has an error, 2 usage or I/O error.\n";

int sf_cmd_encode(int argc, char **argv)
{
    cmd_opts o;
    int rc = parse_opts("encode", sf_encode_usage, argc, argv, O_SPEC | O_OUT | O_LIMITS, &o);
    if (rc >= 0)
        return rc;
    if (o.spec == NULL)
        return sf_usage_error("encode", "no spec given (--spec SPEC.seam)");
    if (o.n_files != 1)
        return sf_usage_error("encode", o.n_files ? "one program at a time" : "no program given");
    if (o.out == NULL)
        return sf_usage_error("encode", "no output file (-o OUT.bin)");
    sf_seam *s = sf_tool_load_spec("encode", o.spec, &rc);
    if (s == NULL)
        return rc;
    rc = SF_EXIT_OK;
    uint8_t *d;
    size_t n;
    if (read_testcase("encode", o.files[0], &d, &n) != 0) {
        sf_seam_free(s);
        return SF_EXIT_USAGE;
    }
    sf_prog *p = NULL;
    char err[512] = "";
    int prc = sf_prog_parse(sf_seam_spec(s), &o.lim, (const char *)d, n, &p, err, sizeof(err));
    if (prc != 0) {
        if (prc == SF_ENOMEM)
            sf_fatal("out of memory parsing %s", o.files[0]);
        fprintf(stderr, "%s:%s\n", o.files[0], err);
        rc = SF_EXIT_FAIL;
    } else {
        uint8_t *bytes = NULL;
        size_t len = 0;
        if (sf_prog_encode(p, &bytes, &len) != 0)
            sf_fatal("cannot encode %s", o.files[0]);
        if (sf_tool_write_file(o.out, bytes, len) != 0)
            rc = sf_tool_error("encode", "cannot write %s: %s", o.out, strerror(errno));
        else
            fprintf(stderr, "seamfuzz encode: %s: %u ops, %zu bytes\n", o.out, p->n_ops, len);
        sf_free(bytes);
    }
    sf_prog_free(p);
    sf_free(d);
    sf_seam_free(s);
    return rc;
}

/* ---- repro --------------------------------------------------------------- */

const char sf_repro_usage[] =
    "usage: seamfuzz repro --bin FUZZ_BINARY TESTCASE [--timeout S]\n"
    "\n"
    "Runs the fuzz binary (libFuzzer, AFL++ driver or standalone build) on the\n"
    "testcase in a child process, captures its output and prints the\n"
    "SEAMFUZZ-VIOLATION block or the sanitizer report's SUMMARY, then one line\n"
    "  SIGNATURE: SF-103:bb_table_get     (or SAN:<kind>:<function>)\n"
    "--timeout kills the run after S seconds (default 10, 0 = none); -q prints only\n"
    "the signature.  The whole output is kept in the child; see it with the binary.\n"
    "Exit: 1 it crashed (reproduced), 0 it ran clean, 2 usage or I/O error.\n";

int sf_cmd_repro(int argc, char **argv)
{
    cmd_opts o;
    int rc = parse_opts("repro", sf_repro_usage, argc, argv, O_BIN | O_TIMEOUT, &o);
    if (rc >= 0)
        return rc;
    if (o.bin == NULL)
        return sf_usage_error("repro", "no fuzz binary given (--bin FUZZ_BINARY)");
    if (o.n_files != 1)
        return sf_usage_error("repro", o.n_files ? "one testcase at a time" : "no testcase given");
    uint8_t *d;
    size_t n;
    if (read_testcase("repro", o.files[0], &d, &n) != 0)
        return SF_EXIT_USAGE;
    sf_free(d);
    sf_child ch;
    char err[512];
    if (sf_tool_run_bin(o.bin, o.files[0], o.timeout_s, &ch, err, sizeof(err)) != 0)
        return sf_tool_error("repro", "%s", err);
    sf_report r;
    char sig[SF_SIG_MAX] = "";
    if (sf_report_parse(ch.out, ch.len, &r)) {
        snprintf(sig, sizeof(sig), "%s", r.sig);
        if (!o.quiet && r.block_len)
            fwrite(ch.out + r.block_off, 1, r.block_len, stdout);
        if (!o.quiet && r.summary_len)
            printf("%.*s\n", (int)r.summary_len, ch.out + r.summary_off);
        if (!o.quiet && !r.block_len && !r.summary_len)
            printf("%s\n", r.meaning);
    } else if (sf_child_crashed(&ch)) {
        sf_report_crash_sig(ch.timed_out, ch.status, sig, sizeof(sig));
        if (!o.quiet) {
            /* No report we know: show the end of the output. */
            size_t from = ch.len > 2000 ? ch.len - 2000 : 0;
            fwrite(ch.out + from, 1, ch.len - from, stdout);
        }
    }
    if (sig[0]) {
        printf("SIGNATURE: %s\n", sig);
        rc = SF_EXIT_FAIL;
    } else {
        printf("NO CRASH: %s ran %s clean\n", o.bin, o.files[0]);
        rc = SF_EXIT_OK;
    }
    sf_free(ch.out);
    return rc;
}

/* ---- minimize ------------------------------------------------------------ */

const char sf_minimize_usage[] =
    "usage: seamfuzz minimize --bin FUZZ_BINARY --spec SPEC.seam TESTCASE -o OUT\n"
    "                         [--timeout S] [--max-runs N] [--limits ...] [-q]\n"
    "\n"
    "Op-level delta debugging: decodes the testcase into a program, drops ops (in\n"
    "halving chunks, then one at a time), then shrinks buffers, keeping every\n"
    "candidate whose run of the fuzz binary (a child per candidate, killed after\n"
    "--timeout S seconds, default 10) crashes with the same signature as the\n"
    "original.  Candidates are re-encoded with the program encoder, so each is a\n"
    "valid program.  Writes the smallest testcase to OUT and prints the ops before\n"
    "and after and the minimized program; progress goes to stderr unless -q.\n"
    "--max-runs caps the child runs (default 2000).\n"
    "Exit: 0 minimized, 1 the testcase does not crash, 2 usage, I/O or wrong spec.\n";

int sf_cmd_minimize(int argc, char **argv)
{
    cmd_opts o;
    int rc = parse_opts("minimize", sf_minimize_usage, argc, argv,
                        O_BIN | O_SPEC | O_OUT | O_LIMITS | O_TIMEOUT, &o);
    if (rc >= 0)
        return rc;
    if (o.bin == NULL)
        return sf_usage_error("minimize", "no fuzz binary given (--bin FUZZ_BINARY)");
    if (o.spec == NULL)
        return sf_usage_error("minimize", "no spec given (--spec SPEC.seam)");
    if (o.n_files != 1)
        return sf_usage_error("minimize",
                              o.n_files ? "one testcase at a time" : "no testcase given");
    if (o.out == NULL)
        return sf_usage_error("minimize", "no output file (-o OUT)");
    sf_seam *s = sf_tool_load_spec("minimize", o.spec, &rc);
    if (s == NULL)
        return rc;
    uint8_t *d;
    size_t n;
    if (read_testcase("minimize", o.files[0], &d, &n) != 0) {
        sf_seam_free(s);
        return SF_EXIT_USAGE;
    }
    if (looks_like_text(s, &o.lim, d, n)) {
        sf_free(d);
        sf_seam_free(s);
        return sf_tool_error("minimize",
                             "%s is a text program, not fuzz bytes (encode it first "
                             "with 'seamfuzz encode')",
                             o.files[0]);
    }
    sf_min_opts mo = {.bin = o.bin,
                      .spec = sf_seam_spec(s),
                      .lim = o.lim,
                      .timeout_s = o.timeout_s,
                      .max_runs = o.max_runs,
                      .log = o.quiet ? NULL : stderr};
    sf_min_result res;
    char err[768];
    int mrc = sf_minimize(&mo, d, n, &res, err, sizeof(err));
    if (mrc < 0) {
        rc = sf_tool_error("minimize", "%s", err);
    } else if (mrc == 1) {
        printf("NO CRASH: %s runs %s clean; nothing to minimize\n", o.bin, o.files[0]);
        rc = SF_EXIT_FAIL;
    } else if (sf_tool_write_file(o.out, res.bytes, res.len) != 0) {
        rc = sf_tool_error("minimize", "cannot write %s: %s", o.out, strerror(errno));
    } else {
        printf("SIGNATURE: %s\n", res.sig);
        printf("ops: %u -> %u, bytes: %zu -> %zu (%u runs)\n", res.ops_before, res.ops_after,
               res.bytes_before, res.bytes_after, res.runs);
        fputs(res.text, stdout);
        printf("wrote %s\n", o.out);
        rc = SF_EXIT_OK;
    }
    sf_free(res.bytes);
    sf_free(res.text);
    sf_free(d);
    sf_seam_free(s);
    return rc;
}

/* ---- cprog --------------------------------------------------------------- */

const char sf_cprog_usage[] =
    "usage: seamfuzz cprog --spec SPEC.seam TESTCASE -o REPRO.c [--archive LIB.a ...]\n"
    "                      [--limits ...]\n"
    "\n"
    "Writes a standalone C file that replays the testcase's program as straight-line\n"
    "calls against the real API: prototypes from the spec, resources in variables\n"
    "r0, r1 ..., buffers as static arrays passed as exact-size heap copies, out-params,\n"
    "the contract checks that need no shadow model, teardown and the live-count\n"
    "probes.  Its first comment holds the build line; --archive names the archives\n"
    "to put in it (e.g. build/standalone/seam/go-go/libgo.a and the Rust lib*.a).\n"
    "Exit: 0 written, 2 usage or I/O error.\n";

int sf_cmd_cprog(int argc, char **argv)
{
    cmd_opts o;
    int rc =
        parse_opts("cprog", sf_cprog_usage, argc, argv, O_SPEC | O_OUT | O_LIMITS | O_ARCHIVE, &o);
    if (rc >= 0)
        return rc;
    if (o.spec == NULL)
        return sf_usage_error("cprog", "no spec given (--spec SPEC.seam)");
    if (o.n_files != 1)
        return sf_usage_error("cprog", o.n_files ? "one testcase at a time" : "no testcase given");
    if (o.out == NULL)
        return sf_usage_error("cprog", "no output file (-o REPRO.c)");
    sf_seam *s = sf_tool_load_spec("cprog", o.spec, &rc);
    if (s == NULL)
        return rc;
    rc = SF_EXIT_OK;
    uint8_t *d;
    size_t n;
    if (read_testcase("cprog", o.files[0], &d, &n) != 0) {
        sf_seam_free(s);
        return SF_EXIT_USAGE;
    }
    if (looks_like_text(s, &o.lim, d, n)) {
        sf_free(d);
        sf_seam_free(s);
        return sf_tool_error("cprog",
                             "%s is a text program, not fuzz bytes (encode it first "
                             "with 'seamfuzz encode')",
                             o.files[0]);
    }
    sf_prog *p = NULL;
    if (sf_prog_decode(sf_seam_spec(s), &o.lim, d, n, &p) != 0)
        sf_fatal("out of memory decoding %s", o.files[0]);
    sf_cprog_opts co = {.spec_path = o.spec,
                        .testcase = o.files[0],
                        .testcase_len = n,
                        .out_name = o.out,
                        .archives = o.archives,
                        .n_archives = o.n_archives};
    sf_buf out = {0};
    sf_cprog_emit(s, p, &co, &out);
    if (sf_tool_write_file(o.out, out.p, out.len) != 0)
        rc = sf_tool_error("cprog", "cannot write %s: %s", o.out, strerror(errno));
    else
        fprintf(stderr, "seamfuzz cprog: %s: %u ops\n", o.out, p->n_ops);
    sf_buf_free(&out);
    sf_prog_free(p);
    sf_free(d);
    sf_seam_free(s);
    return rc;
}
