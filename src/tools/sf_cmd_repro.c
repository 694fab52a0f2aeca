/* sf_cmd_repro.c - `seamfuzz repro` (replay one testcase, print its
 * signature) and `seamfuzz minimize` (sf_minimize.h). */
#define _POSIX_C_SOURCE 200809L
#include "sf_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_crashlog.h"
#include "sf_minimize.h"
#include "sf_tool.h"

/* ---- repro --------------------------------------------------------------- */

const char sf_repro_usage[] =
    "usage: seamfuzz repro TESTCASE [--bin FUZZ_BINARY] [--timeout S] [--times N] [-q]\n"
    "\n"
    "Runs the fuzz binary (libFuzzer, AFL++ driver or standalone build) on the\n"
    "testcase in a child process.  Without --bin it finds the binary: the one the\n"
    "saved report TESTCASE.log names (BINARY:), the target of the AFL++ run the\n"
    "testcase is in, or one named after the testcase's folder, looked up in\n"
    "$SEAMFUZZ_BIN_DIR and this tool's folder (docs/tools.md).  It captures its output and prints "
    "the\n"
    "SEAMFUZZ-VIOLATION block or the sanitizer report's SUMMARY, then one line\n"
    "  SIGNATURE: SF-103:bb_table_get     (or SAN:<kind>:<side>:<frames>)\n"
    "--timeout kills the run after S seconds (default 10, 0 = none); -q prints only\n"
    "the signature.  --times N replays N times (1..1000) and ends with a line\n"
    "  REPLAYS: K of N crashed, M with this signature: deterministic|flaky|does not reproduce\n"
    "The whole output is kept in the child; see it with the binary.\n"
    "Exit: 1 it crashed (reproduced), 0 it ran clean, 2 usage or I/O error.\n";

/* One replay: runs the binary on the testcase and fills sig ("" when it ran
 * clean); prints the report when print is set.  Returns 0, or -1 after an
 * error line. */
static int replay_once(const cmd_opts *o, int print, char *sig, size_t n)
{
    sf_child ch;
    char err[512];
    sig[0] = 0;
    if (sf_tool_run_bin(o->bin, o->files[0], o->timeout_s, &ch, err, sizeof(err)) != 0) {
        sf_tool_error("repro", "%s", err);
        return -1;
    }
    sf_crashlog r;
    if (sf_crashlog_parse(ch.out, ch.len, &r)) {
        snprintf(sig, n, "%s", r.sig);
        if (print && r.block_len)
            fwrite(ch.out + r.block_off, 1, r.block_len, stdout);
        if (print && r.summary_len)
            printf("%.*s\n", (int)r.summary_len, ch.out + r.summary_off);
        if (print && !r.block_len && !r.summary_len)
            printf("%s\n", r.meaning);
    } else if (sf_child_crashed(&ch)) {
        sf_crashlog_crash_sig(ch.timed_out, ch.status, sig, n);
        if (print) {
            /* No report we know: show the end of the output. */
            size_t from = ch.len > 2000 ? ch.len - 2000 : 0;
            fwrite(ch.out + from, 1, ch.len - from, stdout);
        }
    }
    sf_free(ch.out);
    return 0;
}

int sf_cmd_repro(int argc, char **argv)
{
    cmd_opts o;
    int rc =
        sf_cmd_parse_opts("repro", sf_repro_usage, argc, argv, O_BIN | O_TIMEOUT | O_TIMES, &o);
    if (rc >= 0)
        return rc;
    if (o.n_files != 1)
        return sf_usage_error("repro", o.n_files ? "one testcase at a time" : "no testcase given");
    sf_buildinfo bi; /* (sf_cmd_find_bin reads the testcase first) */
    if ((rc = sf_cmd_find_bin("repro", &o, o.files[0], 0, &bi)) != 0)
        return rc;
    /* The first crashing run's report is printed; with --times N every run
     * counts, and a differing signature is flakiness too. */
    unsigned times = o.times ? o.times : 1, crashed = 0, same = 0;
    char sig[SF_SIG_MAX] = "", cur[SF_SIG_MAX];
    for (unsigned k = 0; k < times; k++) {
        if (replay_once(&o, !o.quiet && !sig[0], cur, sizeof cur) != 0)
            return SF_EXIT_USAGE;
        if (!cur[0])
            continue;
        crashed++;
        if (!sig[0])
            snprintf(sig, sizeof sig, "%s", cur);
        same += strcmp(sig, cur) == 0;
    }
    if (sig[0]) {
        printf("SIGNATURE: %s\n", sig);
        rc = SF_EXIT_FAIL;
    } else {
        printf("NO CRASH: %s ran %s clean\n", o.bin, o.files[0]);
        rc = SF_EXIT_OK;
    }
    if (times > 1)
        printf("REPLAYS: %u of %u crashed, %u with this signature: %s\n", crashed, times, same,
               crashed == 0    ? "does not reproduce"
               : same == times ? "deterministic"
                               : "flaky");
    return rc;
}

/* ---- minimize ------------------------------------------------------------ */

const char sf_minimize_usage[] =
    "usage: seamfuzz minimize TESTCASE -o OUT [--bin FUZZ_BINARY] [--spec SPEC.seam]\n"
    "                         [--timeout S] [--max-runs N] [--limits ...] [-q]\n"
    "\n"
    "Op-level delta debugging: decodes the testcase into a program, drops ops (in\n"
    "halving chunks, then one at a time), then shrinks buffers, keeping every\n"
    "candidate whose run of the fuzz binary (a child per candidate, killed after\n"
    "--timeout S seconds, default 10) crashes with the same signature as the\n"
    "original.  Candidates are re-encoded with the program encoder, so each is a\n"
    "valid program.  --bin and --spec default to the binary that made the testcase\n"
    "(as for repro) and the spec it was built from.  Writes the smallest testcase\n"
    "to OUT and prints the ops before and after and the minimized program;\n"
    "progress goes to stderr unless -q.\n"
    "--max-runs caps the child runs (default 2000).\n"
    "Exit: 0 minimized, 1 the testcase does not crash, 2 usage, I/O or wrong spec.\n";

int sf_cmd_minimize(int argc, char **argv)
{
    cmd_opts o;
    int rc = sf_cmd_parse_opts("minimize", sf_minimize_usage, argc, argv,
                               O_BIN | O_SPEC | O_OUT | O_LIMITS | O_TIMEOUT, &o);
    if (rc >= 0)
        return rc;
    if (o.n_files != 1)
        return sf_usage_error("minimize",
                              o.n_files ? "one testcase at a time" : "no testcase given");
    if (o.out == NULL)
        return sf_usage_error("minimize", "no output file (-o OUT)");
    sf_buildinfo bi;
    if ((rc = sf_cmd_find_bin("minimize", &o, o.files[0], 0, &bi)) != 0)
        return rc;
    if (o.spec == NULL && bi.spec[0])
        o.spec = bi.spec;
    if (o.spec == NULL)
        return sf_usage_error("minimize",
                              "no spec given (--spec SPEC.seam), and %s does not "
                              "name the one it was built from",
                              o.bin);
    sf_seam *s = sf_tool_load_spec("minimize", o.spec, &rc);
    if (s == NULL)
        return rc;
    uint8_t *d;
    size_t n;
    if ((rc = sf_cmd_read_bytes("minimize", s, &o, o.files[0], &d, &n)) != 0) {
        sf_seam_free(s);
        return rc;
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
