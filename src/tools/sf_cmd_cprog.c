/* sf_cmd_cprog.c - `seamfuzz cprog`: a testcase as a standalone C file
 * (sf_cprog.h). */
#define _POSIX_C_SOURCE 200809L
#include "sf_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_cprog.h"
#include "sf_err.h"
#include "sf_tool.h"

/* ---- cprog --------------------------------------------------------------- */

const char sf_cprog_usage[] =
    "usage: seamfuzz cprog TESTCASE -o REPRO.c [--bin FUZZ_BINARY] [--spec SPEC.seam]\n"
    "                      [--archive LIB.a ...] [--limits ...]\n"
    "\n"
    "Writes a standalone C file that replays the testcase's program as straight-line\n"
    "calls against the real API: prototypes from the spec, resources in variables\n"
    "r0, r1 ..., buffers as static arrays passed as exact-size heap copies, out-params,\n"
    "the contract checks that need no shadow model, teardown and the live-count\n"
    "probes.  Its first comment holds the build line, with the archives, compiler\n"
    "and sanitizers of the fuzz binary that made the testcase (--bin, or found as\n"
    "for repro); --archive names other archives.  --spec defaults to the spec that\n"
    "binary was built from.\n"
    "Exit: 0 written, 2 usage or I/O error.\n";

int sf_cmd_cprog(int argc, char **argv)
{
    cmd_opts o;
    int rc = sf_cmd_parse_opts("cprog", sf_cprog_usage, argc, argv,
                               O_SPEC | O_BIN | O_OUT | O_LIMITS | O_ARCHIVE, &o);
    if (rc >= 0)
        return rc;
    if (o.n_files != 1)
        return sf_usage_error("cprog", o.n_files ? "one testcase at a time" : "no testcase given");
    if (o.out == NULL)
        return sf_usage_error("cprog", "no output file (-o REPRO.c)");
    /* The binary that made the testcase says what to link.  Without one
     * (none found, and none needed when --spec and --archive say it all)
     * the build line keeps placeholders. */
    sf_buildinfo bi;
    int optional = o.bin == NULL && o.spec != NULL;
    if ((rc = sf_cmd_find_bin("cprog", &o, o.files[0], optional, &bi)) != 0)
        return rc;
    if (o.spec == NULL)
        o.spec = bi.spec[0] ? bi.spec : NULL;
    if (o.spec == NULL)
        return sf_usage_error("cprog",
                              "no spec given (--spec SPEC.seam), and %s does not "
                              "name the one it was built from",
                              o.bin ? o.bin : "the fuzz binary");
    if (o.n_archives == 0 && bi.go_archive[0] && bi.rust_archive[0]) {
        o.archives[o.n_archives++] = bi.go_archive;
        o.archives[o.n_archives++] = bi.rust_archive;
    }
    char san[160] = "";
    if (bi.sanitizers[0] || bi.engine[0])
        snprintf(
            san, sizeof san, "%s%s", strcmp(bi.engine, "standalone") != 0 ? "fuzzer-no-link," : "",
            bi.sanitizers[0] && strcmp(bi.sanitizers, "none") != 0 ? bi.sanitizers : "address");
    rc = 0;
    sf_seam *s = sf_tool_load_spec("cprog", o.spec, &rc);
    if (s == NULL)
        return rc;
    rc = SF_EXIT_OK;
    uint8_t *d;
    size_t n;
    if ((rc = sf_cmd_read_bytes("cprog", s, &o, o.files[0], &d, &n)) != 0) {
        sf_seam_free(s);
        return rc;
    }
    sf_prog *p = NULL;
    if (sf_prog_decode(sf_seam_spec(s), &o.lim, d, n, &p) != 0)
        sf_fatal("out of memory decoding %s", o.files[0]);
    sf_cprog_opts co = {.spec_path = o.spec,
                        .testcase = o.files[0],
                        .testcase_len = n,
                        .out_name = o.out,
                        .archives = o.archives,
                        .n_archives = o.n_archives,
                        .cc = bi.cc[0] ? bi.cc : NULL,
                        .sanitize = san[0] ? san : NULL};
    sf_buf out = {0};
    sf_cprog_emit(s, p, &co, &out);
    if (sf_tool_write_file(o.out, sf_tool_text(&out), out.len) != 0)
        rc = sf_tool_error("cprog", "cannot write %s: %s", o.out, strerror(errno));
    else
        fprintf(stderr, "seamfuzz cprog: %s: %u ops\n", o.out, p->n_ops);
    sf_buf_free(&out);
    sf_prog_free(p);
    sf_free(d);
    sf_seam_free(s);
    return rc;
}
