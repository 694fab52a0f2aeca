/* seamfuzz.c - the command-line tool: one table of subcommands (gen, check
 * here; show, encode, repro, minimize, cprog in sf_cmds.c; triage, report in
 * sf_triage.c), each with --help.  docs/tools.md documents them.
 * Exit codes: 0 success, 1 the input was checked and found wrong, 2 usage or
 * I/O error.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_check.h"
#include "sf_cmds.h"
#include "sf_err.h"
#include "sf_tool.h"
#include "sf_gen.h"
#include "sf_seam.h"

#define SF_EXIT_OK    0
#define SF_EXIT_FAIL  1
#define SF_EXIT_USAGE 2

typedef struct sf_cmd {
    const char *name;
    const char *summary;
    const char *usage; /* full --help text */
    int (*run)(int argc, char **argv);
} sf_cmd;

/* Loads and checks a spec; prints its diagnostics.  Returns the spec, or
 * NULL with *code set to the exit code. */
static sf_seam *load_spec(const char *cmd, const char *path, int *code)
{
    char why[512];
    sf_seam *s = NULL;
    int rc = sf_seam_load(path, &s, why, sizeof(why));
    if (s == NULL) {
        fprintf(stderr, "seamfuzz %s: %s\n", cmd, why[0] ? why : sf_strerror(rc));
        *code = SF_EXIT_USAGE;
        return NULL;
    }
    if (sf_seam_errors(s)) {
        sf_seam_print_diags(s, stderr);
        fprintf(stderr, "seamfuzz %s: %u error%s in %s\n", cmd, sf_seam_errors(s),
                sf_seam_errors(s) == 1 ? "" : "s", path);
        sf_seam_free(s);
        *code = SF_EXIT_FAIL;
        return NULL;
    }
    return s;
}

static int is_help(const char *a)
{
    return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

/* Takes the value of option `opt` at argv[*i] ("-o DIR" or "-o=DIR"). */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (strcmp(argv[*i], opt) == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int is_opt(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* ---- gen ---------------------------------------------------------------- */

static const char gen_usage[] =
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
    "Exit: 0 generated, 1 the spec has errors, 2 usage or I/O error.\n";

static int cmd_gen(int argc, char **argv)
{
    sf_gen_opts o = {0};
    const char *spec = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (is_help(argv[i])) {
            fputs(gen_usage, stdout);
            return SF_EXIT_OK;
        } else if (is_opt(argv[i], "-o")) {
            if ((v = opt_value(argc, argv, &i, "-o")) == NULL)
                return sf_usage_error("gen", "-o needs a directory");
            o.out_dir = v;
        } else if (is_opt(argv[i], "--dict")) {
            if ((v = opt_value(argc, argv, &i, "--dict")) == NULL)
                return sf_usage_error("gen", "--dict needs a file name");
            o.dict_path = v;
        } else if (is_opt(argv[i], "--corpus")) {
            if ((v = opt_value(argc, argv, &i, "--corpus")) == NULL)
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
    sf_seam *s = load_spec("gen", spec, &code);
    if (s == NULL)
        return code;
    o.spec_path = spec;
    char err[1024];
    int rc = sf_gen_run(s, &o, err, sizeof(err));
    sf_seam_free(s);
    if (rc != 0) {
        fprintf(stderr, "seamfuzz gen: %s\n", err[0] ? err : sf_strerror(rc));
        return SF_EXIT_USAGE;
    }
    return SF_EXIT_OK;
}

/* ---- check -------------------------------------------------------------- */

static const char check_usage[] =
    "usage: seamfuzz check SPEC --archive LIB.a [--archive LIB.a ...] [--header H.h] [--nm NM]\n"
    "\n"
    "Checks that every function of SPEC is defined in the archives (by the declared\n"
    "side), that every boundary function the archives export is in the spec (or\n"
    "matched by an `ignore` pattern), and, with --header, that the spec's prototypes\n"
    "agree with the C header.  For a Go archive libx.a, the cgo header libx.h next to\n"
    "it lists the exports; Rust exports are global text symbols that are not mangled\n"
    "(_ZN, _R), not rust_* and not __*.  Prints the spec's coverage of the exports.\n"
    "Exit: 0 consistent, 1 mismatches or spec errors, 2 usage or I/O error.\n";

static int cmd_check(int argc, char **argv)
{
    const char *spec = NULL, *header = NULL, *nm = NULL;
    const char *archives[64];
    size_t n_ar = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (is_help(argv[i])) {
            fputs(check_usage, stdout);
            return SF_EXIT_OK;
        } else if (is_opt(argv[i], "--archive")) {
            if ((v = opt_value(argc, argv, &i, "--archive")) == NULL)
                return sf_usage_error("check", "--archive needs a file");
            if (n_ar == sizeof(archives) / sizeof(archives[0]))
                return sf_usage_error("check", "too many archives (limit 64)");
            archives[n_ar++] = v;
        } else if (is_opt(argv[i], "--header")) {
            if ((v = opt_value(argc, argv, &i, "--header")) == NULL)
                return sf_usage_error("check", "--header needs a file");
            header = v;
        } else if (is_opt(argv[i], "--nm")) {
            if ((v = opt_value(argc, argv, &i, "--nm")) == NULL)
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
    if (n_ar == 0 && header == NULL)
        return sf_usage_error("check", "nothing to check against (--archive or --header)");
    int code;
    sf_seam *s = load_spec("check", spec, &code);
    if (s == NULL)
        return code;
    sf_check_opts o = {
        .archives = archives, .n_archives = n_ar, .header = header, .nm = nm, .out = stdout};
    int rc = sf_check_run(s, &o);
    sf_seam_free(s);
    if (rc < 0)
        return SF_EXIT_USAGE;
    return rc ? SF_EXIT_FAIL : SF_EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------ */

static const sf_cmd sf_cmds[] = {
    {"gen", "generate a harness, dictionary and seed corpus from a spec", gen_usage, cmd_gen},
    {"check", "check a spec against the archives and a header", check_usage, cmd_check},
    {"show", "decode testcases into text programs", sf_show_usage, sf_cmd_show},
    {"encode", "encode a text program into fuzz bytes", sf_encode_usage, sf_cmd_encode},
    {"repro", "replay one testcase through a fuzz binary; print its signature", sf_repro_usage,
     sf_cmd_repro},
    {"minimize", "drop ops and shrink buffers while the crash signature holds", sf_minimize_usage,
     sf_cmd_minimize},
    {"cprog", "write a standalone C file that replays a testcase", sf_cprog_usage, sf_cmd_cprog},
    {"triage", "group crash files by signature", sf_triage_usage, sf_cmd_triage},
    {"report", "write a Markdown, JSON or SARIF report of the unique findings", sf_report_usage,
     sf_cmd_report},
};

static void main_usage(FILE *f)
{
    fprintf(f, "usage: seamfuzz COMMAND [ARGS]\n\n"
               "Coverage-guided fuzzing of a Rust <-> Go boundary linked into one C process.\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof(sf_cmds) / sizeof(sf_cmds[0]); i++)
        fprintf(f, "  %-10s %s\n", sf_cmds[i].name, sf_cmds[i].summary);
    fprintf(f, "\n'seamfuzz COMMAND --help' describes one command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        main_usage(stderr);
        return SF_EXIT_USAGE;
    }
    if (is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        if (argc > 2 && strcmp(argv[1], "help") == 0) {
            for (size_t i = 0; i < sizeof(sf_cmds) / sizeof(sf_cmds[0]); i++)
                if (strcmp(argv[2], sf_cmds[i].name) == 0) {
                    fputs(sf_cmds[i].usage, stdout);
                    return SF_EXIT_OK;
                }
        }
        main_usage(stdout);
        return SF_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(sf_cmds) / sizeof(sf_cmds[0]); i++)
        if (strcmp(argv[1], sf_cmds[i].name) == 0)
            return sf_cmds[i].run(argc - 1, argv + 1);
    fprintf(stderr, "seamfuzz: unknown command '%s' (see 'seamfuzz --help')\n", argv[1]);
    return SF_EXIT_USAGE;
}
