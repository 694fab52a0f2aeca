/* sf_cmd_gen.c - `seamfuzz gen` (harness, dictionary and corpus from a spec)
 * and `seamfuzz check` (a spec against the archives and a header). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sf_check.h"
#include "sf_cmd.h"
#include "sf_err.h"
#include "sf_gen.h"
#include "sf_seam.h"
#include "sf_tool.h"

/* ---- gen ---------------------------------------------------------------- */

const char sf_gen_usage[] =
    "usage: seamfuzz gen SPEC -o DIR [--dict FILE] [--corpus DIR]\n"
    "\n"
    "Checks the boundary spec SPEC (.seam, see docs/spec.md) and generates:\n"
    "  DIR/fuzz_<name>.c     the harness: prototypes, call stubs, descriptor tables,\n"
    "                        layouts, LLVMFuzzer entry points, __wrap_ shims\n"
    "  DIR/<name>.wrap       intercepted symbols, one per line (-Wl,--wrap=SYM)\n"
    "  DIR/seeds_<name>.txt  the text form of every seed\n"
    "  --dict FILE           a libFuzzer/AFL++ dictionary\n"
    "  --corpus DIR          the seed corpus (DIR is replaced)\n"
    "Output is deterministic and written atomically: on any error nothing changes.\n"
    "The spec's `seeds \"FILE\"` item adds hand-written seed programs (text form).\n"
    "Exit: 0 generated, 1 the spec or a seed has errors, 2 usage or I/O error.\n";

int sf_cmd_gen(int argc, char **argv)
{
    sf_gen_opts o = {0};
    const char *spec = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (sf_is_help(argv[i])) {
            fputs(sf_gen_usage, stdout);
            return SF_EXIT_OK;
        } else if (sf_is_opt(argv[i], "-o")) {
            if ((v = sf_opt_value(argc, argv, &i, "-o")) == NULL)
                return sf_usage_error("gen", "-o needs a directory");
            o.out_dir = v;
        } else if (sf_is_opt(argv[i], "--dict")) {
            if ((v = sf_opt_value(argc, argv, &i, "--dict")) == NULL)
                return sf_usage_error("gen", "--dict needs a file name");
            o.dict_path = v;
        } else if (sf_is_opt(argv[i], "--corpus")) {
            if ((v = sf_opt_value(argc, argv, &i, "--corpus")) == NULL)
                return sf_usage_error("gen", "--corpus needs a directory");
            o.corpus_dir = v;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return sf_usage_error("gen", "unknown option '%s'", argv[i]);
        } else if (spec != NULL) {
            return sf_usage_error("gen", "more than one spec ('%s' and '%s')", spec, argv[i]);
        } else {
            spec = argv[i];
        }
    }
    if (spec == NULL)
        return sf_usage_error("gen", "no spec given");
    if (o.out_dir == NULL)
        return sf_usage_error("gen", "no output directory (-o DIR)");
    int code;
    sf_seam *s = sf_tool_check_spec("gen", spec, &code);
    if (s == NULL)
        return code;
    o.spec_path = spec;
    char err[1024];
    int rc = sf_gen_run(s, &o, err, sizeof(err));
    sf_seam_free(s);
    if (rc != 0) {
        fprintf(stderr, "seamfuzz gen: %s\n", err[0] ? err : sf_strerror(rc));
        /* A hand-written seed that does not parse is wrong input, like a spec. */
        return rc == SF_EPARSE ? SF_EXIT_FAIL : SF_EXIT_USAGE;
    }
    return SF_EXIT_OK;
}

/* ---- check -------------------------------------------------------------- */

const char sf_check_usage[] =
    "usage: seamfuzz check SPEC [--archive LIB.a ...] [--header H.h] [--nm NM]\n"
    "\n"
    "Checks that every function of SPEC is defined in the archives (by the declared\n"
    "side), that every boundary function the archives export is in the spec (or\n"
    "matched by an `ignore` pattern), and that the spec's prototypes agree with the\n"
    "C header: --header, else the spec's own `header` item (relative to the spec's\n"
    "folder; skipped with a warning when that file is missing).  For a Go archive libx.a, the cgo "
    "header libx.h next to\n"
    "it lists the exports; Rust exports are global text symbols that are not mangled\n"
    "(_ZN, _R), not rust_* and not __*.  Prints the spec's coverage of the exports.\n"
    "Exit: 0 consistent, 1 mismatches or spec errors, 2 usage or I/O error.\n";

int sf_cmd_check(int argc, char **argv)
{
    const char *spec = NULL, *header = NULL, *nm = NULL;
    const char *archives[64];
    size_t n_ar = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (sf_is_help(argv[i])) {
            fputs(sf_check_usage, stdout);
            return SF_EXIT_OK;
        } else if (sf_is_opt(argv[i], "--archive")) {
            if ((v = sf_opt_value(argc, argv, &i, "--archive")) == NULL)
                return sf_usage_error("check", "--archive needs a file");
            if (n_ar == sizeof(archives) / sizeof(archives[0]))
                return sf_usage_error("check", "too many archives (limit 64)");
            archives[n_ar++] = v;
        } else if (sf_is_opt(argv[i], "--header")) {
            if ((v = sf_opt_value(argc, argv, &i, "--header")) == NULL)
                return sf_usage_error("check", "--header needs a file");
            header = v;
        } else if (sf_is_opt(argv[i], "--nm")) {
            if ((v = sf_opt_value(argc, argv, &i, "--nm")) == NULL)
                return sf_usage_error("check", "--nm needs a program");
            nm = v;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return sf_usage_error("check", "unknown option '%s'", argv[i]);
        } else if (spec != NULL) {
            return sf_usage_error("check", "more than one spec ('%s' and '%s')", spec, argv[i]);
        } else {
            spec = argv[i];
        }
    }
    if (spec == NULL)
        return sf_usage_error("check", "no spec given");
    int code;
    sf_seam *s = sf_tool_check_spec("check", spec, &code);
    if (s == NULL)
        return code;
    /* The spec names its header for this check (docs/spec.md, "Header"). */
    char own[4096];
    if (header == NULL && sf_seam_header(s) != NULL) {
        const char *h = sf_seam_header(s), *slash = strrchr(spec, '/');
        if (h[0] == '/' || slash == NULL)
            snprintf(own, sizeof own, "%s", h);
        else
            snprintf(own, sizeof own, "%.*s/%s", (int)(slash - spec), spec, h);
        if (access(own, R_OK) == 0) {
            header = own;
            printf("header: %s (the spec's `header`)\n", own);
        } else {
            fprintf(stderr,
                    "seamfuzz check: warning: the spec's header %s cannot be read; "
                    "prototypes not checked (pass --header H.h)\n",
                    own);
        }
    }
    if (n_ar == 0 && header == NULL) {
        sf_seam_free(s);
        return sf_usage_error("check", "nothing to check against (--archive, --header or the "
                                       "spec's `header`)");
    }
    sf_check_opts o = {
        .archives = archives, .n_archives = n_ar, .header = header, .nm = nm, .out = stdout};
    int rc = sf_check_run(s, &o);
    sf_seam_free(s);
    if (rc < 0)
        return SF_EXIT_USAGE;
    return rc ? SF_EXIT_FAIL : SF_EXIT_OK;
}
