/* sf_cmd.c - what the testcase commands share: their options, reading a
 * testcase and the report saved next to it, and spotting a text program
 * passed where bytes belong. */
#define _POSIX_C_SOURCE 200809L
#include "sf_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_buf.h"
#include "sf_err.h"
#include "sf_tool.h"

/* Parses argv into *o with the options in `allowed`; returns -1 when done,
 * or an exit code (help printed, or a usage error). */
int sf_cmd_parse_opts(const char *cmd, const char *usage, int argc, char **argv, unsigned allowed,
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
        } else if ((allowed & O_TIMES) && sf_is_opt(a, "--times")) {
            if ((v = sf_opt_value(argc, argv, &i, "--times")) == NULL || atoi(v) < 1 ||
                atoi(v) > 1000)
                return sf_usage_error(cmd, "--times needs a number of replays, 1..1000");
            o->times = (unsigned)atoi(v);
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
int sf_cmd_read_testcase(const char *cmd, const char *path, uint8_t **data, size_t *len)
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

int sf_cmd_saved_log(const char *path, uint8_t **log, size_t *len)
{
    sf_buf p = {0};
    sf_buf_printf(&p, "%s.log", path);
    int ok = sf_tool_read_file(sf_tool_text(&p), log, len) == 0;
    if (!ok) {
        const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
        if (dot && (!slash || dot > slash)) {
            p.len = 0;
            sf_buf_printf(&p, "%.*s.log", (int)(dot - path), path);
            ok = sf_tool_read_file(sf_tool_text(&p), log, len) == 0;
        }
    }
    sf_buf_free(&p);
    return ok;
}

int sf_cmd_saved_report(const char *path, sf_crashlog *r)
{
    uint8_t *d;
    size_t n;
    if (!sf_cmd_saved_log(path, &d, &n))
        return 0;
    int found = sf_crashlog_parse((const char *)d, n, r);
    sf_free(d);
    return found;
}

int sf_cmd_read_bytes(const char *cmd, const sf_seam *s, const cmd_opts *o, const char *path,
                      uint8_t **data, size_t *len)
{
    if (sf_cmd_read_testcase(cmd, path, data, len) != 0)
        return SF_EXIT_USAGE;
    /* A saved report next to the testcase says which spec's binary made it. */
    sf_crashlog r;
    const sf_spec *sp = sf_seam_spec(s);
    if (sf_cmd_saved_report(path, &r) && r.has_hash && r.spec_hash != sp->hash) {
        sf_free(*data);
        *data = NULL;
        return sf_tool_error(cmd,
                             "%s was made by a fuzz binary of spec '%s' (hash 0x%08x, says its "
                             "saved report), not of %s ('%s', hash 0x%08x): pass the spec it was "
                             "made for",
                             path, r.spec, r.spec_hash, o->spec, sp->name, sp->hash);
    }
    if (!looks_like_text(s, &o->lim, *data, *len))
        return 0;
    sf_free(*data);
    *data = NULL;
    return sf_tool_error(cmd,
                         "%s is a text program, not fuzz bytes (turn it into bytes with "
                         "'seamfuzz encode --spec %s %s -o OUT.bin')",
                         path, o->spec, path);
}

int sf_cmd_find_bin(const char *cmd, cmd_opts *o, const char *path, int optional, sf_buildinfo *bi)
{
    sf_crashlog r;
    memset(bi, 0, sizeof *bi);
    uint8_t *d; /* a testcase that cannot be read is the first thing to say */
    size_t n;
    if (sf_cmd_read_testcase(cmd, path, &d, &n) != 0)
        return SF_EXIT_USAGE;
    sf_free(d);
    int saved = sf_cmd_saved_report(path, &r);
    if (o->bin == NULL) {
        char self[4096], how[512], err[2048];
        sf_buildinfo_self_dir(self, sizeof self);
        if (sf_buildinfo_locate(path, saved ? r.binary : NULL, self, o->bin_found,
                                sizeof o->bin_found, how, sizeof how, err, sizeof err) != 0) {
            if (!optional)
                return sf_tool_error(cmd, "%s", err);
            if (!o->quiet)
                fprintf(stderr, "seamfuzz %s: note: %s\n", cmd, err);
            return 0;
        }
        o->bin = o->bin_found;
        if (!o->quiet)
            fprintf(stderr, "seamfuzz %s: fuzz binary %s (%s)\n", cmd, o->bin, how);
    }
    if (!sf_buildinfo_read(o->bin, bi) || !saved || !r.has_hash || !bi->spec[0])
        return 0;
    /* Both say which spec: they must agree.  A spec that no longer loads
     * (moved, edited into an error) proves nothing either way. */
    FILE *f = fopen(bi->spec, "r");
    if (!f)
        return 0;
    fclose(f);
    int code;
    sf_seam *s = sf_tool_load_spec(cmd, bi->spec, &code);
    if (s == NULL)
        return 0;
    const sf_spec *sp = sf_seam_spec(s);
    int bad = sp->hash != r.spec_hash;
    if (bad)
        sf_tool_error(cmd,
                      "%s was made by a fuzz binary of spec '%s' (hash 0x%08x, says its saved "
                      "report), but %s was built from %s ('%s', hash 0x%08x): pass the binary "
                      "it was made with (--bin)",
                      path, r.spec, r.spec_hash, o->bin, bi->spec, sp->name, sp->hash);
    sf_seam_free(s);
    return bad ? SF_EXIT_USAGE : 0;
}
