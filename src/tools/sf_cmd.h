/* sf_cmd.h - the `seamfuzz` commands.  seamfuzz.c holds the one command
 * table; each command lives in the file named after it (a closely related
 * pair shares one): sf_cmd_gen.c (gen, check), sf_cmd_show.c (show,
 * encode), sf_cmd_repro.c (repro, minimize), sf_cmd_cprog.c (cprog),
 * sf_cmd_report.c (triage, report), sf_cmd_store.c (store), sf_cmd_fuzz.c (fuzz).  Each takes
 * (argc, argv) with argv[0] the command name and returns the exit code (sf_tool.h); each has a
 * --help text here.  sf_cmd.c holds what the testcase commands share.
 */
#ifndef SF_CMD_H
#define SF_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "sf_buildinfo.h"
#include "sf_crashlog.h"
#include "sf_prog.h"
#include "sf_seam.h"
#include "sf_store.h"

extern const char sf_gen_usage[], sf_check_usage[], sf_show_usage[], sf_encode_usage[],
    sf_repro_usage[], sf_minimize_usage[], sf_cprog_usage[], sf_triage_usage[], sf_report_usage[],
    sf_store_usage[], sf_fuzz_usage[];

int sf_cmd_gen(int argc, char **argv);
int sf_cmd_check(int argc, char **argv);
int sf_cmd_show(int argc, char **argv);
int sf_cmd_encode(int argc, char **argv);
int sf_cmd_repro(int argc, char **argv);
int sf_cmd_minimize(int argc, char **argv);
int sf_cmd_cprog(int argc, char **argv);
int sf_cmd_triage(int argc, char **argv);
int sf_cmd_report(int argc, char **argv);
int sf_cmd_store(int argc, char **argv);
int sf_cmd_fuzz(int argc, char **argv);

/* Files incoming/<name> of store s: replays it through bin for its
 * signature and files it labelled engine and target.  *out gets the entry.
 * Returns 1 new, 0 known, -2 when another process claimed it first, -1
 * after one line on stderr. */
int sf_cmd_store_file(sf_store *s, const char *name, const char *bin, const char *engine,
                      const char *target, unsigned timeout_s, sf_finding *out);

#define MAX_FILES 4096

/* Options most commands share. */
typedef struct cmd_opts {
    const char *spec, *bin, *out;
    sf_limits lim;
    unsigned timeout_s, max_runs;
    unsigned times; /* repro --times: replays, default 1 */
    int quiet;
    const char *files[MAX_FILES];
    int n_files;
    const char *archives[64];
    size_t n_archives;
    char bin_found[4096]; /* where sf_cmd_find_bin put the binary it found */
} cmd_opts;

enum {
    O_SPEC = 1,
    O_BIN = 2,
    O_OUT = 4,
    O_LIMITS = 8,
    O_TIMEOUT = 16,
    O_ARCHIVE = 32,
    O_TIMES = 64
};

/* Parses argv into *o (OUT) with the options in `allowed` (O_* bits);
 * returns -1 when done, or an exit code (help printed, or a usage error). */
int sf_cmd_parse_opts(const char *cmd, const char *usage, int argc, char **argv, unsigned allowed,
                      cmd_opts *o);
/* Reads a testcase into *data (caller frees with sf_free); prints one line
 * and returns -1 when it cannot. */
int sf_cmd_read_testcase(const char *cmd, const char *path, uint8_t **data, size_t *len);
/* The report saved next to a testcase: PATH.log, or PATH with its
 * extension replaced by .log.  sf_cmd_saved_log reads it into *log (caller
 * frees with sf_free) and returns 1, or 0 when there is none;
 * sf_cmd_saved_report parses it into *r and returns 1 when it holds a
 * finding. */
int sf_cmd_saved_log(const char *path, uint8_t **log, size_t *len);
int sf_cmd_saved_report(const char *path, sf_crashlog *r);
/* Reads the testcase at path into *data (caller frees with sf_free) and
 * refuses a text program of spec s passed where fuzz bytes belong (the usual
 * mix-up), and a testcase whose saved report names another spec's binary.
 * Returns 0, or the exit code after one line. */
int sf_cmd_read_bytes(const char *cmd, const sf_seam *s, const cmd_opts *o, const char *path,
                      uint8_t **data, size_t *len);

/* Settles o->bin for the testcase at path: the --bin given, or the fuzz
 * binary sf_buildinfo_locate finds (said in one line on stderr unless
 * quiet); then, when the testcase's saved report gives a spec hash and the
 * binary's build info a readable spec, refuses a binary of another spec.
 * Also fills *bi (OUT) with the binary's build info (zeroed when it has
 * none).  Returns 0, or the exit code after one line.  With optional set, a
 * binary that cannot be found is a note, not an error (o->bin stays NULL). */
int sf_cmd_find_bin(const char *cmd, cmd_opts *o, const char *path, int optional, sf_buildinfo *bi);

#endif /* SF_CMD_H */
