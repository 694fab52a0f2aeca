/* sf_cmd_show.c - `seamfuzz show` (bytes -> text programs) and `seamfuzz
 * encode` (text -> bytes). */
#define _POSIX_C_SOURCE 200809L
#include "sf_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_tool.h"

/* ---- show ---------------------------------------------------------------- */

const char sf_show_usage[] =
    "usage: seamfuzz show --spec SPEC.seam TESTCASE... [--limits max_ops=N,max_live=N]\n"
    "\n"
    "Decodes each testcase (fuzz bytes) into the program it runs and prints its text\n"
    "form (docs/program.md), one block per file.  Works from the spec alone; a report\n"
    "saved next to a testcase (FILE.log) marks the failing op and must name the same\n"
    "spec.\n"
    "--limits must match the -seam_max_ops/-seam_max_live the fuzzer ran with\n"
    "(default max_ops=64,max_live=256).\n"
    "Exit: 0 printed, 2 usage error, unreadable file or a text program given as bytes.\n";

/* Prints p's text form; when the testcase's saved report names the failing
 * op, that line ends in a comment saying so (still a program encode reads). */
static int print_marked(const sf_prog *p, const char *path)
{
    sf_crashlog r;
    if (!sf_cmd_saved_report(path, &r) || r.op < 0 || (uint32_t)r.op >= p->n_ops)
        return sf_prog_print(p, stdout);
    printf("# seamfuzz program for %s\n", p->spec->name ? p->spec->name : "?");
    for (uint32_t i = 0; i < p->n_ops; i++) {
        if (sf_prog_print_op(p, i, stdout) != 0)
            return SF_EIO;
        if ((int)i == r.op)
            printf("  # << failing op: %s", r.sig);
        putchar('\n');
    }
    return ferror(stdout) ? SF_EIO : 0;
}

int sf_cmd_show(int argc, char **argv)
{
    cmd_opts o;
    int rc = sf_cmd_parse_opts("show", sf_show_usage, argc, argv, O_SPEC | O_LIMITS, &o);
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
        if ((rc = sf_cmd_read_bytes("show", s, &o, o.files[i], &d, &n)) != 0)
            break;
        sf_prog *p = NULL;
        if (sf_prog_decode(sf_seam_spec(s), &o.lim, d, n, &p) != 0)
            sf_fatal("out of memory decoding %s", o.files[i]);
        if (o.n_files > 1)
            printf("%s# %s (%zu bytes, %u ops)\n", i ? "\n" : "", o.files[i], n, p->n_ops);
        if (print_marked(p, o.files[i]) != 0)
            rc = sf_tool_error("show", "cannot write to standard output");
        sf_prog_free(p);
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
    int rc =
        sf_cmd_parse_opts("encode", sf_encode_usage, argc, argv, O_SPEC | O_OUT | O_LIMITS, &o);
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
    if (sf_cmd_read_testcase("encode", o.files[0], &d, &n) != 0) {
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
