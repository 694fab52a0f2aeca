/* sf_cmd_store.c - `seamfuzz store`: the crash store's commands (add, triage,
 * list, replay, minimize, merge) over sf_store.h.  docs/nightly.md. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sf_alloc.h"
#include "sf_buf.h"
#include "sf_cmd.h"
#include "sf_minimize.h"
#include "sf_store.h"
#include "sf_tool.h"

const char sf_store_usage[] =
    "usage: seamfuzz store add STORE FILE|DIR... --bin FUZZ_BINARY [--target NAME] [--engine E]\n"
    "                          [--timeout S]\n"
    "       seamfuzz store triage STORE --bin FUZZ_BINARY [--target NAME] [--engine E] [--timeout "
    "S]\n"
    "       seamfuzz store list STORE [--json]\n"
    "       seamfuzz store replay STORE --bin FUZZ_BINARY [--target NAME] [--times N] [--timeout "
    "S]\n"
    "       seamfuzz store minimize STORE --bin FUZZ_BINARY [--target NAME] [--timeout S]\n"
    "       seamfuzz store merge STORE OTHER_STORE...\n"
    "\n"
    "The crash store keeps every finding, keyed by its signature (docs/nightly.md):\n"
    "  add       copies the crash files into the store (atomically, first), replays each\n"
    "            through the binary for its signature and files it: a new entry, or one\n"
    "            more testcase of a known one; prints one line per file\n"
    "  triage    files what an interrupted add or campaign left in STORE/incoming\n"
    "  list      one line per finding (status, count, first and last seen, signature)\n"
    "  replay    replays each finding of this binary N times (default 3): still crashing\n"
    "            with its signature -> known (regressed if it was fixed), never -> fixed,\n"
    "            sometimes -> flaky\n"
    "  minimize  minimizes the findings that are not yet: STORE/KEY/minimized(.txt)\n"
    "  merge     adds the findings of other stores (other machines, shards)\n"
    "Findings are labelled with the target they came from: --target, else the binary's\n"
    "name; replay and minimize take the findings of that label.\n"
    "Nothing deletes a stored testcase.\n"
    "Exit: add/triage 1 when a new finding was filed; replay 1 when one regressed;\n"
    "0 otherwise; 2 usage or I/O error.\n";

typedef struct store_args {
    const char *sub, *dir, *bin, *engine, *target;
    unsigned timeout_s, times;
    int json;
    const char *files[MAX_FILES];
    int n_files;
} store_args;

static int parse(int argc, char **argv, store_args *a)
{
    memset(a, 0, sizeof *a);
    a->timeout_s = 30;
    a->times = 3;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (sf_is_help(argv[i])) {
            fputs(sf_store_usage, stdout);
            return SF_EXIT_OK;
        }
        if (sf_is_opt(argv[i], "--bin")) {
            if (!(a->bin = sf_opt_value(argc, argv, &i, "--bin")))
                return sf_usage_error("store", "--bin needs a fuzz binary");
        } else if (sf_is_opt(argv[i], "--target")) {
            if (!(a->target = sf_opt_value(argc, argv, &i, "--target")))
                return sf_usage_error("store", "--target needs a name");
        } else if (sf_is_opt(argv[i], "--engine")) {
            if (!(a->engine = sf_opt_value(argc, argv, &i, "--engine")))
                return sf_usage_error("store", "--engine needs a name");
        } else if (sf_is_opt(argv[i], "--timeout") || sf_is_opt(argv[i], "--times")) {
            int t = sf_is_opt(argv[i], "--times");
            const char *name = t ? "--times" : "--timeout";
            char *end;
            if (!(v = sf_opt_value(argc, argv, &i, name)))
                return sf_usage_error("store", "%s needs a number", name);
            unsigned long n = strtoul(v, &end, 10);
            if (*end || n == 0 || n > 100000)
                return sf_usage_error("store", "%s '%s' is not a number from 1 to 100000", name, v);
            *(t ? &a->times : &a->timeout_s) = (unsigned)n;
        } else if (strcmp(argv[i], "--json") == 0) {
            a->json = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return sf_usage_error("store", "unknown option '%s'", argv[i]);
        } else if (!a->sub) {
            a->sub = argv[i];
        } else if (!a->dir) {
            a->dir = argv[i];
        } else if (a->n_files < MAX_FILES) {
            a->files[a->n_files++] = argv[i];
        } else {
            return sf_usage_error("store", "more than %d files", MAX_FILES);
        }
    }
    if (!a->sub)
        return sf_usage_error("store",
                              "no subcommand (add, triage, list, replay, minimize, merge)");
    if (!a->dir)
        return sf_usage_error("store", "no STORE folder given");
    return -1;
}

/* Replays path through bin: *sig gets its signature ("" when it ran clean),
 * *r the parsed report, *log the output (caller frees with sf_free). */
static int replay(const char *bin, const char *path, unsigned timeout_s, char *sig, size_t n,
                  sf_crashlog *r, char **log, size_t *len)
{
    sf_child ch;
    char err[512];
    if (sf_tool_run_bin(bin, path, timeout_s, &ch, err, sizeof err) != 0)
        return sf_tool_error("store", "%s", err);
    sig[0] = 0;
    memset(r, 0, sizeof *r);
    if (sf_crashlog_parse(ch.out, ch.len, r))
        snprintf(sig, n, "%s", r->sig);
    else if (sf_child_crashed(&ch))
        sf_crashlog_crash_sig(ch.timed_out, ch.status, sig, n);
    if (log) {
        *log = ch.out;
        *len = ch.len;
    } else {
        sf_free(ch.out);
    }
    return 0;
}

int sf_cmd_store_file(sf_store *s, const char *name, const char *bin, const char *engine,
                      const char *target, unsigned timeout_s, sf_finding *out)
{
    char path[4096], sig[SF_SIG_MAX], err[768], mine[256];
    int claim = sf_store_claim(s, name, mine, sizeof mine, err, sizeof err);
    if (claim != 0) {
        if (claim < 0)
            sf_tool_error("store", "%s", err);
        return claim < 0 ? -1 : -2; /* -2: another process files it */
    }
    name = mine;
    snprintf(path, sizeof path, "%s/incoming/%s", sf_store_dir(s), name);
    sf_crashlog r;
    char *log = NULL;
    size_t len = 0;
    if (replay(bin, path, timeout_s, sig, sizeof sig, &r, &log, &len) != 0)
        return -1;
    sf_finding m;
    memset(&m, 0, sizeof m);
    /* A crash the engine saw that does not come back is still kept. */
    snprintf(m.sig, sizeof m.sig, "%s", sig[0] ? sig : "UNREPRODUCED");
    m.id = r.id;
    snprintf(m.function, sizeof m.function, "%s", r.function[0] ? r.function : r.frame);
    snprintf(m.engine, sizeof m.engine, "%s", engine);
    snprintf(m.target, sizeof m.target, "%s", target);
    int fresh = sf_store_file(s, name, &m, log, len, out, err, sizeof err);
    sf_free(log);
    if (fresh < 0)
        sf_tool_error("store", "%s", err);
    return fresh;
}

/* The target label of findings: --target, else the binary's name. */
static const char *target_of(const store_args *a, const sf_buildinfo *bi)
{
    return a->target ? a->target : bi->name[0] ? bi->name : sf_tool_base_name(a->bin);
}

/* Files every testcase in STORE/incoming; 1 when one was new. */
static int file_incoming(sf_store *s, const store_args *a, const sf_buildinfo *bi)
{
    char **names = NULL, err[768];
    long n = sf_store_incoming(s, &names, err, sizeof err);
    if (n < 0)
        return sf_tool_error("store", "%s", err);
    int rc = SF_EXIT_OK, any_new = 0;
    const char *engine = a->engine ? a->engine : (bi->engine[0] ? bi->engine : "?");
    for (long i = 0; i < n; i++) {
        sf_finding f;
        int fresh = rc == SF_EXIT_OK ? sf_cmd_store_file(s, names[i], a->bin, engine,
                                                         target_of(a, bi), a->timeout_s, &f)
                                     : 0;
        if (fresh == -1) {
            rc = SF_EXIT_USAGE;
        } else if (rc == SF_EXIT_OK && fresh >= 0) {
            any_new |= fresh;
            printf("%-6s %s  %s/%s\n", fresh ? "new" : "known", f.sig, sf_store_dir(s), f.key);
        }
        sf_free(names[i]);
    }
    sf_free(names);
    if (rc != SF_EXIT_OK)
        return rc;
    return any_new ? SF_EXIT_FAIL : SF_EXIT_OK;
}

static int cmd_add(sf_store *s, const store_args *a, const sf_buildinfo *bi)
{
    char err[768], name[64];
    for (int i = 0; i < a->n_files; i++) {
        struct stat st;
        if (stat(a->files[i], &st) != 0)
            return sf_tool_error("store", "%s: %s", a->files[i], strerror(errno));
        if (S_ISDIR(st.st_mode)) {
            DIR *d = opendir(a->files[i]);
            struct dirent *e;
            while (d && (e = readdir(d)) != NULL) {
                char p[4096];
                struct stat fs;
                snprintf(p, sizeof p, "%s/%s", a->files[i], e->d_name);
                /* Engine files only: not reports (.log), READMEs or hidden files. */
                if (e->d_name[0] == '.' || sf_tool_ends_with(e->d_name, ".log") ||
                    strncmp(e->d_name, "README", 6) == 0 || stat(p, &fs) != 0 ||
                    !S_ISREG(fs.st_mode))
                    continue;
                if (sf_store_take(s, p, name, sizeof name, err, sizeof err) != 0) {
                    closedir(d);
                    return sf_tool_error("store", "%s", err);
                }
            }
            if (d)
                closedir(d);
        } else if (sf_store_take(s, a->files[i], name, sizeof name, err, sizeof err) != 0) {
            return sf_tool_error("store", "%s", err);
        }
    }
    return file_incoming(s, a, bi);
}

static void json_str(sf_buf *b, const char *v)
{
    sf_buf_quote(b, v, strlen(v), SF_ESC_JSON);
}

static int cmd_list(sf_store *s, const store_args *a, const sf_buildinfo *bi)
{
    (void)bi;
    sf_finding *v = NULL;
    char err[768];
    long n = sf_store_list(s, &v, err, sizeof err);
    if (n < 0)
        return sf_tool_error("store", "%s", err);
    sf_buf b = {0};
    if (a->json)
        sf_buf_printf(&b, "{\"store\": ");
    if (a->json) {
        json_str(&b, sf_store_dir(s));
        sf_buf_printf(&b, ", \"findings\": [");
    }
    for (long i = 0; i < n; i++) {
        const sf_finding *f = &v[i];
        if (a->json) {
            sf_buf_printf(&b, "%s\n  {\"key\": ", i ? "," : "");
            json_str(&b, f->key);
            sf_buf_printf(&b, ", \"signature\": ");
            json_str(&b, f->sig);
            sf_buf_printf(&b, ", \"id\": %d, \"function\": ", f->id);
            json_str(&b, f->function);
            sf_buf_printf(&b, ", \"engine\": ");
            json_str(&b, f->engine);
            sf_buf_printf(&b, ", \"target\": ");
            json_str(&b, f->target);
            sf_buf_printf(&b,
                          ", \"first_seen\": \"%s\", \"last_seen\": \"%s\", \"count\": %lu, "
                          "\"status\": \"%s\", \"minimized\": %s}",
                          f->first_seen, f->last_seen, f->count, sf_store_status_name(f->status),
                          f->minimized[0] ? "true" : "false");
        } else {
            sf_buf_printf(&b, "%-9s %5lu  %s  %s  %s  %s\n", sf_store_status_name(f->status),
                          f->count, f->first_seen, f->last_seen, f->sig, f->key);
        }
    }
    if (a->json)
        sf_buf_printf(&b, "\n]}\n");
    else
        sf_buf_printf(&b, "%ld findings in %s\n", n, sf_store_dir(s));
    fputs(sf_tool_text(&b), stdout);
    sf_buf_free(&b);
    sf_free(v);
    return SF_EXIT_OK;
}

/* 1 when finding f belongs to the binary described by bi. */
static int is_ours(const sf_finding *f, const store_args *a, const sf_buildinfo *bi)
{
    return strcmp(f->target, target_of(a, bi)) == 0;
}

static int cmd_replay(sf_store *s, const store_args *a, const sf_buildinfo *bi)
{
    sf_finding *v = NULL;
    char err[768];
    long n = sf_store_list(s, &v, err, sizeof err);
    if (n < 0)
        return sf_tool_error("store", "%s", err);
    int rc = SF_EXIT_OK, regressed = 0;
    for (long i = 0; i < n && rc == SF_EXIT_OK; i++) {
        sf_finding *f = &v[i];
        if (!is_ours(f, a, bi))
            continue;
        char path[4096], sig[SF_SIG_MAX];
        sf_store_path(s, f->key, "testcase", path, sizeof path);
        unsigned same = 0;
        for (unsigned k = 0; k < a->times && rc == SF_EXIT_OK; k++) {
            sf_crashlog r;
            rc = replay(a->bin, path, a->timeout_s, sig, sizeof sig, &r, NULL, NULL);
            /* UNREPRODUCED never crashed again: any crash now counts. */
            same += rc == 0 && sig[0] &&
                    (strcmp(sig, f->sig) == 0 || strcmp(f->sig, "UNREPRODUCED") == 0);
        }
        if (rc != SF_EXIT_OK)
            break;
        sf_store_status old = f->status;
        if (same == a->times)
            f->status =
                old == SF_ST_FIXED || old == SF_ST_REGRESSED ? SF_ST_REGRESSED : SF_ST_KNOWN;
        else if (same == 0)
            f->status = SF_ST_FIXED;
        else
            f->status = SF_ST_FLAKY;
        regressed |= f->status == SF_ST_REGRESSED && old != SF_ST_REGRESSED;
        sf_store_now(f->replayed, sizeof f->replayed);
        if (sf_store_update(s, f, err, sizeof err) != 0)
            rc = sf_tool_error("store", "%s", err);
        else
            printf("%-9s %u/%u  %s  %s/%s\n", sf_store_status_name(f->status), same, a->times,
                   f->sig, sf_store_dir(s), f->key);
    }
    sf_free(v);
    if (rc != SF_EXIT_OK)
        return rc;
    return regressed ? SF_EXIT_FAIL : SF_EXIT_OK;
}

static int cmd_minimize(sf_store *s, const store_args *a, const sf_buildinfo *bi)
{
    if (!bi->spec[0])
        return sf_tool_error("store", "%s does not name the spec it was built from", a->bin);
    int rc;
    sf_seam *spec = sf_tool_load_spec("store", bi->spec, &rc);
    if (!spec)
        return rc;
    sf_finding *v = NULL;
    char err[768];
    long n = sf_store_list(s, &v, err, sizeof err);
    rc = n < 0 ? sf_tool_error("store", "%s", err) : SF_EXIT_OK;
    for (long i = 0; i < n && rc == SF_EXIT_OK; i++) {
        sf_finding *f = &v[i];
        if (!is_ours(f, a, bi) || f->minimized[0] || f->status == SF_ST_FIXED)
            continue;
        char path[4096];
        uint8_t *d = NULL;
        size_t len = 0;
        sf_store_path(s, f->key, "testcase", path, sizeof path);
        if (sf_tool_read_file(path, &d, &len) != 0) {
            rc = sf_tool_error("store", "cannot read %s: %s", path, strerror(errno));
            break;
        }
        sf_min_opts mo = {.bin = a->bin, .spec = sf_seam_spec(spec), .timeout_s = a->timeout_s};
        sf_min_result res;
        int m = sf_minimize(&mo, d, len, &res, err, sizeof err);
        sf_free(d);
        if (m < 0) {
            rc = sf_tool_error("store", "%s: %s", f->key, err);
            break;
        }
        if (m == 1) {
            printf("no crash   %s (not minimized)\n", f->key);
            continue;
        }
        if (strcmp(res.sig, f->sig) != 0)
            printf("note: %s minimized under %s\n", f->key, res.sig);
        if (sf_store_put(s, f->key, "minimized", res.bytes, res.len, err, sizeof err) != 0 ||
            sf_store_put(s, f->key, "minimized.txt", res.text, strlen(res.text), err, sizeof err) !=
                0) {
            rc = sf_tool_error("store", "%s", err);
        } else {
            snprintf(f->minimized, sizeof f->minimized, "yes");
            if (sf_store_update(s, f, err, sizeof err) != 0)
                rc = sf_tool_error("store", "%s", err);
            else
                printf("minimized  %s: %u -> %u ops, %zu -> %zu bytes\n", f->key, res.ops_before,
                       res.ops_after, res.bytes_before, res.bytes_after);
        }
        sf_free(res.bytes);
        sf_free(res.text);
    }
    sf_free(v);
    sf_seam_free(spec);
    return rc;
}

static int cmd_merge(sf_store *s, const store_args *a, const sf_buildinfo *bi)
{
    (void)bi;
    for (int i = 0; i < a->n_files; i++) {
        unsigned added, merged;
        char err[768];
        if (sf_store_merge(s, a->files[i], &added, &merged, err, sizeof err) != 0)
            return sf_tool_error("store", "%s", err);
        printf("merged %s: %u new findings, %u known\n", a->files[i], added, merged);
    }
    return SF_EXIT_OK;
}

static int cmd_triage(sf_store *s, const store_args *a, const sf_buildinfo *bi)
{
    return file_incoming(s, a, bi);
}

/* The subcommands: what each needs, and whether it may create the store. */
static const struct {
    const char *name;
    int needs_bin, creates;
    const char *files; /* what the files are ("" if it takes none) */
    int (*run)(sf_store *s, const store_args *a, const sf_buildinfo *bi);
} subs[] = {
    {"add", 1, 1, "crash file or folder", cmd_add},
    {"triage", 1, 1, "", cmd_triage},
    {"list", 0, 0, "", cmd_list},
    {"replay", 1, 0, "", cmd_replay},
    {"minimize", 1, 0, "", cmd_minimize},
    {"merge", 0, 1, "other store", cmd_merge},
};

int sf_cmd_store(int argc, char **argv)
{
    store_args a;
    int rc = parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    size_t w = 0;
    while (w < sizeof subs / sizeof subs[0] && strcmp(a.sub, subs[w].name) != 0)
        w++;
    if (w == sizeof subs / sizeof subs[0])
        return sf_usage_error("store",
                              "unknown subcommand '%s' (add, triage, list, replay, "
                              "minimize, merge)",
                              a.sub);
    if (subs[w].needs_bin && !a.bin)
        return sf_usage_error("store", "%s needs --bin FUZZ_BINARY (to replay the testcases)",
                              a.sub);
    if (subs[w].files[0] && a.n_files == 0)
        return sf_usage_error("store", "%s: no %s given", a.sub, subs[w].files);
    if (!subs[w].files[0] && a.n_files)
        return sf_usage_error("store", "%s takes no files ('%s')", a.sub, a.files[0]);
    sf_buildinfo bi;
    if (!a.bin || sf_buildinfo_read(a.bin, &bi) != 1)
        memset(&bi, 0, sizeof bi);
    sf_store *s = NULL;
    char err[768];
    if (sf_store_open(a.dir, subs[w].creates, &s, err, sizeof err) != 0)
        return sf_tool_error("store", "%s", err);
    rc = subs[w].run(s, &a, &bi);
    sf_store_close(s);
    return rc;
}
