/* seamfuzz.c - the command-line tool: the one table of subcommands, each
 * with --help; the commands live in sf_cmd_*.c (sf_cmd.h).  docs/tools.md
 * documents them.  Exit codes: 0 success, 1 the input was checked and found
 * wrong, 2 usage or I/O error.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "sf_cmd.h"
#include "sf_tool.h"

typedef struct sf_cmd {
    const char *name;
    const char *summary;
    const char *usage; /* full --help text */
    int (*run)(int argc, char **argv);
} sf_cmd;

/* ---- dispatch ------------------------------------------------------------ */

static const sf_cmd sf_cmds[] = {
    {"gen", "generate a harness, dictionary and seed corpus from a spec", sf_gen_usage, sf_cmd_gen},
    {"check", "check a spec against the archives and a header", sf_check_usage, sf_cmd_check},
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
    {"store", "keep findings in a crash store: add, replay, minimize, merge", sf_store_usage,
     sf_cmd_store},
    {"fuzz", "run a fuzzing campaign on N cores, filing every finding in a crash store",
     sf_fuzz_usage, sf_cmd_fuzz},
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
    if (sf_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
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
