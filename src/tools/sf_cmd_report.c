/* sf_cmd_report.c - `seamfuzz triage` and `seamfuzz report`: collect crash files,
 * get each one's report (a saved .log next to it, or a replay through the fuzz
 * binary), group them by signature and print one line per group, or render
 * the groups as Markdown, JSON or SARIF 2.1.0. */
#define _DEFAULT_SOURCE /* d_type */
#include "sf_cmd.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sf_alloc.h"
#include "sf_buildinfo.h"
#include "sf_crashlog.h"
#include "sf_srcloc.h"
#include "sf_tool.h"
#include "sf_violation.h"

/* One crash file and what its report says. */
typedef struct tcase {
    char *path;  /* owned */
    size_t size; /* testcase bytes */
    char *log;   /* owned: the report text r indexes */
    size_t log_len;
    sf_crashlog r;
    char sig[SF_SIG_MAX]; /* "" when it did not crash */
    int loc_is_def;       /* r.loc[0] is a definition (sf_srcloc.h): 1 function, 2 struct */
} tcase;

typedef struct group {
    char sig[SF_SIG_MAX];
    size_t count;
    size_t rep; /* index of the representative (smallest file) */
    size_t *members;
} group;

typedef struct triage {
    tcase *c;
    size_t n, cap;
    group *g;
    size_t ng;
    size_t n_clean; /* testcases that did not crash */
} triage;

/* Files in a crash directory that are not testcases. */
static int skip_name(const char *name)
{
    static const char *const sufs[] = {".log", ".txt", ".md", ".json", ".sarif", ".c", ".tmp"};
    if (name[0] == '.')
        return 1;
    for (size_t i = 0; i < sizeof(sufs) / sizeof(sufs[0]); i++)
        if (sf_tool_ends_with(name, sufs[i]))
            return 1;
    return 0;
}

static void add_case(triage *t, const char *path, size_t size)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->c = sf_xrealloc(t->c, t->cap * sizeof(tcase));
    }
    memset(&t->c[t->n], 0, sizeof(tcase));
    t->c[t->n].path = sf_xstrdup(path);
    t->c[t->n].size = size;
    t->n++;
}

/* Adds the testcases of one argument (a directory, in name order, or a file). */
static int collect(const char *cmd, triage *t, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0)
        return sf_tool_error(cmd, "cannot open %s: %s", arg, strerror(errno));
    if (S_ISREG(st.st_mode)) {
        add_case(t, arg, (size_t)st.st_size);
        return 0;
    }
    DIR *d = opendir(arg);
    if (d == NULL)
        return sf_tool_error(cmd, "cannot open directory %s: %s", arg, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (skip_name(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = sf_xrealloc(names, cap * sizeof(char *));
        }
        names[n++] = sf_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(char *), sf_tool_cmp_str);
    for (size_t i = 0; i < n; i++) {
        sf_buf p = {0};
        sf_buf_printf(&p, "%s/%s", arg, names[i]);
        if (stat(sf_tool_text(&p), &st) == 0 && S_ISREG(st.st_mode))
            add_case(t, p.p, (size_t)st.st_size);
        sf_buf_free(&p);
        sf_free(names[i]);
    }
    sf_free(names);
    return 0;
}

/* Finds a saved report: PATH.log, or PATH with its extension replaced. */
static int read_saved_log(tcase *c)
{
    uint8_t *d;
    size_t n;
    if (!sf_cmd_saved_log(c->path, &d, &n))
        return 0;
    c->log = (char *)d;
    c->log_len = n;
    return 1;
}

/* A finding with no frame in user code (a contract violation) is placed at
 * the definition of its boundary function, in the sources the fuzz binary's
 * build info lists: --bin's, or the one its report names. */
static void place_at_definition(tcase *c, const char *bin)
{
    sf_crashlog *r = &c->r;
    /* SF-150's DETAIL starts "Layout.field: probe says ...": the struct. */
    char layout[128] = "";
    if (r->found && r->id == 150)
        sscanf(r->detail, "%127[A-Za-z0-9_]", layout);
    const char *name = layout[0] ? layout : r->function;
    if (!r->found || r->loc[0].file[0] || !name[0])
        return;
    char self[4096], found[4096], how[512], err[1024];
    if (bin == NULL) {
        sf_buildinfo_self_dir(self, sizeof self);
        if (sf_buildinfo_locate(c->path, r->binary, self, found, sizeof found, how, sizeof how, err,
                                sizeof err) != 0)
            return;
        bin = found;
    }
    sf_buildinfo bi;
    int line;
    if (sf_buildinfo_read(bin, &bi) &&
        sf_srcloc_find(bi.source_dirs, bi.go_tags, bi.rust_features, layout[0] ? r->kind : NULL,
                       layout[0] ? SF_SRC_STRUCT : SF_SRC_FUNC, name, r->loc[0].file,
                       sizeof r->loc[0].file, &line)) {
        r->loc[0].line = line;
        r->loc[0].col = 0;
        snprintf(r->loc[0].func, sizeof r->loc[0].func, "%s", name);
        c->loc_is_def = layout[0] ? 2 : 1;
    }
}

/* Gets every case's report and signature; returns -1 or an exit code. */
static int analyse(const char *cmd, triage *t, const char *bin, unsigned timeout_s, int verbose)
{
    for (size_t i = 0; i < t->n; i++) {
        tcase *c = &t->c[i];
        int crashed = 1;
        if (!read_saved_log(c)) {
            if (bin == NULL)
                return sf_tool_error(cmd,
                                     "no report for %s: pass --bin FUZZ_BINARY to replay it "
                                     "(or save its output as %s.log)",
                                     c->path, c->path);
            sf_child ch;
            char err[512];
            if (sf_tool_run_bin(bin, c->path, timeout_s, &ch, err, sizeof(err)) != 0)
                return sf_tool_error(cmd, "%s", err);
            c->log = ch.out;
            c->log_len = ch.len;
            crashed = sf_child_crashed(&ch);
            if (!sf_crashlog_parse(c->log, c->log_len, &c->r) && crashed)
                sf_crashlog_crash_sig(ch.timed_out, ch.status, c->sig, sizeof(c->sig));
        }
        if (c->r.found || sf_crashlog_parse(c->log, c->log_len, &c->r))
            snprintf(c->sig, sizeof(c->sig), "%s", c->r.sig);
        if (c->sig[0] == 0)
            t->n_clean++;
        if (verbose)
            fprintf(stderr, "seamfuzz %s: %s: %s\n", cmd, c->path, c->sig[0] ? c->sig : "no crash");
    }
    /* Group by signature; the representative is the smallest file. */
    t->g = sf_xcalloc((t->n ? t->n : 1) * sizeof(group));
    for (size_t i = 0; i < t->n; i++) {
        tcase *c = &t->c[i];
        if (c->sig[0] == 0)
            continue;
        size_t k = 0;
        while (k < t->ng && strcmp(t->g[k].sig, c->sig) != 0)
            k++;
        group *g = &t->g[k];
        if (k == t->ng) {
            t->ng++;
            snprintf(g->sig, sizeof(g->sig), "%s", c->sig);
            g->rep = i;
            g->members = sf_xcalloc(t->n * sizeof(size_t));
        }
        g->members[g->count++] = i;
        if (c->size < t->c[g->rep].size)
            g->rep = i;
    }
    return -1;
}

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->sig, y->sig);
}

static void triage_free(triage *t)
{
    for (size_t i = 0; i < t->n; i++) {
        sf_free(t->c[i].path);
        sf_free(t->c[i].log);
    }
    for (size_t k = 0; k < t->ng; k++)
        sf_free(t->g[k].members);
    sf_free(t->c);
    sf_free(t->g);
}

/* Shared argument parsing of triage and report. */
typedef struct targs {
    const char *bin, *out, *format;
    unsigned timeout_s;
    int verbose;
    const char *dirs[256];
    int n_dirs;
} targs;

static int parse_targs(const char *cmd, const char *usage, int argc, char **argv, int report,
                       targs *a)
{
    memset(a, 0, sizeof(*a));
    a->timeout_s = 10;
    a->format = "md";
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (sf_is_help(argv[i])) {
            fputs(usage, stdout);
            return SF_EXIT_OK;
        } else if (sf_is_opt(argv[i], "--bin")) {
            if ((v = sf_opt_value(argc, argv, &i, "--bin")) == NULL)
                return sf_usage_error(cmd, "--bin needs the fuzz binary");
            a->bin = v;
        } else if (sf_is_opt(argv[i], "--timeout")) {
            if ((v = sf_opt_value(argc, argv, &i, "--timeout")) == NULL || atoi(v) < 0)
                return sf_usage_error(cmd, "--timeout needs seconds (0 = none)");
            a->timeout_s = (unsigned)atoi(v);
        } else if (strcmp(argv[i], "-v") == 0) {
            a->verbose = 1;
        } else if (report && sf_is_opt(argv[i], "-o")) {
            if ((v = sf_opt_value(argc, argv, &i, "-o")) == NULL)
                return sf_usage_error(cmd, "-o needs a file name");
            a->out = v;
        } else if (report && sf_is_opt(argv[i], "--format")) {
            if ((v = sf_opt_value(argc, argv, &i, "--format")) == NULL ||
                (strcmp(v, "md") != 0 && strcmp(v, "json") != 0 && strcmp(v, "sarif") != 0))
                return sf_usage_error(cmd, "--format is md, json or sarif");
            a->format = v;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return sf_usage_error(cmd, "unknown option '%s'", argv[i]);
        } else if (a->n_dirs == 256) {
            return sf_usage_error(cmd, "too many directories (limit 256)");
        } else {
            a->dirs[a->n_dirs++] = argv[i];
        }
    }
    if (a->n_dirs == 0)
        return sf_usage_error(cmd, "no crash directory given");
    return -1;
}

/* Parses the arguments of triage or report into *a and runs collect +
 * analyse for them into *t (free it with triage_free, whatever the result);
 * -1 on success, else an exit code. */
static int run_triage(const char *cmd, const char *usage, int argc, char **argv, int report,
                      targs *a, triage *t)
{
    memset(t, 0, sizeof(*t));
    int prc = parse_targs(cmd, usage, argc, argv, report, a);
    if (prc >= 0)
        return prc;
    for (int i = 0; i < a->n_dirs; i++) {
        int rc = collect(cmd, t, a->dirs[i]);
        if (rc != 0)
            return rc;
    }
    int rc = analyse(cmd, t, a->bin, a->timeout_s, a->verbose);
    if (rc >= 0)
        return rc;
    qsort(t->g, t->ng, sizeof(group), cmp_group);
    return -1;
}

/* ---- triage -------------------------------------------------------------- */

const char sf_triage_usage[] =
    "usage: seamfuzz triage DIR|FILE... [--bin FUZZ_BINARY] [--timeout S] [-v]\n"
    "\n"
    "Groups crash files by signature (SF-<id>:<function> for model violations,\n"
    "SAN:<kind>:<side>:<frames> for sanitizer reports).  A file's report is read from a\n"
    "saved FILE.log next to it, or made by replaying the file through --bin (a child\n"
    "per file, killed after S seconds, default 10).  Prints one line per unique\n"
    "signature: the count, the signature and the smallest file as representative.\n"
    "Files ending in .log .txt .md .json .sarif .c and hidden files are skipped.\n"
    "Exit: 1 at least one finding, 0 none of the files crashes, 2 usage or I/O error.\n";

int sf_cmd_triage(int argc, char **argv)
{
    targs a;
    triage t;
    int rc = run_triage("triage", sf_triage_usage, argc, argv, 0, &a, &t);
    if (rc < 0) {
        printf("%5s  %-44s %s\n", "COUNT", "SIGNATURE", "REPRESENTATIVE");
        for (size_t k = 0; k < t.ng; k++)
            printf("%5zu  %-44s %s\n", t.g[k].count, t.g[k].sig, t.c[t.g[k].rep].path);
        printf("%zu unique signature%s in %zu file%s", t.ng, t.ng == 1 ? "" : "s", t.n,
               t.n == 1 ? "" : "s");
        if (t.n_clean)
            printf(" (%zu did not crash)", t.n_clean);
        printf("\n");
        rc = t.ng ? SF_EXIT_FAIL : SF_EXIT_OK;
    }
    triage_free(&t);
    return rc;
}

/* ---- report -------------------------------------------------------------- */

/* Appends s (n bytes) as a JSON string. */
static void json_str(sf_buf *b, const char *s, size_t n)
{
    sf_buf_quote(b, s, n, SF_ESC_JSON);
}

static void json_cstr(sf_buf *b, const char *s)
{
    json_str(b, s, strlen(s));
}

/* Appends s with Markdown table metacharacters made harmless. */
static void md_cell(sf_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            sf_buf_put(b, "\\|", 2);
        else if (*s == '\n')
            sf_buf_put(b, " ", 1);
        else
            sf_buf_put(b, s, 1);
    }
}

/* The one-line message of a finding. */
static void finding_message(const tcase *c, char *buf, size_t n)
{
    const sf_crashlog *r = &c->r;
    const char *where = r->function[0] ? r->function : r->frame;
    if (r->found)
        snprintf(buf, n, "%s%s%s%s%s%s%s", r->meaning[0] ? r->meaning : r->kind,
                 r->kind[0] && r->id ? " (" : "", r->kind[0] && r->id ? r->kind : "",
                 r->kind[0] && r->id ? ")" : "", where[0] ? " in " : "", where,
                 r->detail[0] ? ": " : "");
    else
        snprintf(buf, n, "the fuzz binary crashed without a report (%s)", c->sig);
    if (r->found && r->detail[0]) {
        size_t k = strlen(buf);
        snprintf(buf + k, n - k, "%s", r->detail);
    }
}

static void rule_of(const tcase *c, char *buf, size_t n)
{
    if (c->r.found)
        snprintf(buf, n, "SF-%d", c->r.id ? c->r.id : 190);
    else
        sf_crashlog_rule(c->sig, buf, n);
}

/* bin: the fuzz binary given with --bin, or NULL (the replay line then
 * says where it goes). */
static void render_md(sf_buf *b, const triage *t, const char *bin)
{
    sf_buf_printf(b, "# seamfuzz report\n\n%zu unique finding%s in %zu crash file%s", t->ng,
                  t->ng == 1 ? "" : "s", t->n, t->n == 1 ? "" : "s");
    if (t->n_clean)
        sf_buf_printf(b, " (%zu did not crash)", t->n_clean);
    sf_buf_printf(b, ".\n\n| # | signature | rule | count | what | representative |\n"
                     "| --- | --- | --- | --- | --- | --- |\n");
    for (size_t k = 0; k < t->ng; k++) {
        const tcase *c = &t->c[t->g[k].rep];
        char rule[64], msg[1024];
        rule_of(c, rule, sizeof(rule));
        finding_message(c, msg, sizeof(msg));
        sf_buf_printf(b, "| %zu | `", k + 1);
        md_cell(b, t->g[k].sig);
        sf_buf_printf(b, "` | %s | %zu | ", rule, t->g[k].count);
        md_cell(b, msg);
        sf_buf_printf(b, " | `");
        md_cell(b, c->path);
        sf_buf_printf(b, "` |\n");
    }
    for (size_t k = 0; k < t->ng; k++) {
        const group *g = &t->g[k];
        const tcase *c = &t->c[g->rep];
        char rule[64], msg[1024];
        rule_of(c, rule, sizeof(rule));
        finding_message(c, msg, sizeof(msg));
        sf_buf_printf(b, "\n## %zu. `%s`\n\n%s: %s\n\n", k + 1, g->sig, rule, msg);
        sf_buf_printf(b, "- representative: `%s` (%zu bytes)\n", c->path, c->size);
        if (c->r.op >= 0)
            sf_buf_printf(b, "- failing op: %d\n", c->r.op);
        if (c->r.summary_len)
            sf_buf_printf(b, "- sanitizer: %.*s\n", (int)c->r.summary_len,
                          c->log + c->r.summary_off);
        /* Where in the user's source: the access, the free, the allocation,
         * or the definition (sf_srcloc.h). */
        static const char *const where[] = {"source", "freed at", "allocated at"};
        for (int w = 0; w < 3; w++) {
            if (!c->r.loc[w].file[0])
                continue;
            sf_buf_printf(b, "- %s: `%s:%d`%s%s%s%s\n", where[w], c->r.loc[w].file,
                          c->r.loc[w].line, c->r.loc[w].func[0] ? " in `" : "", c->r.loc[w].func,
                          c->r.loc[w].func[0] ? "`" : "",
                          w || !c->loc_is_def  ? ""
                          : c->loc_is_def == 1 ? " (its definition: the check has no frame in it)"
                                               : " (the struct, on the side that disagrees)");
        }
        sf_buf_printf(b, "- files (%zu):", g->count);
        for (size_t m = 0; m < g->count && m < 20; m++)
            sf_buf_printf(b, " `%s`", t->c[g->members[m]].path);
        sf_buf_printf(b, "%s\n", g->count > 20 ? " ..." : "");
        if (c->r.program_len) {
            sf_buf_printf(b, "\nProgram (up to the failing op, `>>`):\n\n```\n");
            sf_buf_put(b, c->log + c->r.program_off, c->r.program_len);
            sf_buf_printf(b, "```\n");
        }
        if (c->r.history_len) {
            sf_buf_printf(b, "\nResource history:\n\n```\n");
            sf_buf_put(b, c->log + c->r.history_off, c->r.history_len);
            sf_buf_printf(b, "```\n");
        }
        /* A saved report that names its binary lets repro find it. */
        if (bin)
            sf_buf_printf(b, "\nReplay: `seamfuzz repro --bin %s %s`\n", bin, c->path);
        else if (c->r.binary[0])
            sf_buf_printf(b, "\nReplay: `seamfuzz repro %s` (binary: `%s`)\n", c->path,
                          c->r.binary);
        else
            sf_buf_printf(b, "\nReplay: `seamfuzz repro --bin <fuzz binary> %s`\n", c->path);
    }
}

static void render_json(sf_buf *b, const triage *t)
{
    sf_buf_printf(b,
                  "{\n  \"tool\": \"seamfuzz\",\n  \"format\": 1,\n  \"files\": %zu,\n"
                  "  \"not_crashing\": %zu,\n  \"findings\": [",
                  t->n, t->n_clean);
    for (size_t k = 0; k < t->ng; k++) {
        const group *g = &t->g[k];
        const tcase *c = &t->c[g->rep];
        char rule[64], msg[1024];
        rule_of(c, rule, sizeof(rule));
        finding_message(c, msg, sizeof(msg));
        sf_buf_printf(b, "%s\n    {\"signature\": ", k ? "," : "");
        json_cstr(b, g->sig);
        sf_buf_printf(b, ", \"rule\": ");
        json_cstr(b, rule);
        sf_buf_printf(b, ", \"name\": ");
        json_cstr(b, c->r.name);
        sf_buf_printf(b, ", \"message\": ");
        json_cstr(b, msg);
        sf_buf_printf(b, ",\n     \"kind\": ");
        json_cstr(b, c->r.kind);
        sf_buf_printf(b, ", \"function\": ");
        json_cstr(b, c->r.function[0] ? c->r.function : c->r.frame);
        sf_buf_printf(b, ", \"detail\": ");
        json_cstr(b, c->r.detail);
        sf_buf_printf(b, ", \"op\": %d, \"count\": %zu,\n     \"representative\": ", c->r.op,
                      g->count);
        json_cstr(b, c->path);
        sf_buf_printf(b, ", \"files\": [");
        for (size_t m = 0; m < g->count; m++) {
            sf_buf_printf(b, "%s", m ? ", " : "");
            json_cstr(b, t->c[g->members[m]].path);
        }
        sf_buf_printf(b, "],\n     \"program\": ");
        json_str(b, c->log ? c->log + c->r.program_off : "", c->r.program_len);
        sf_buf_printf(b, ",\n     \"history\": ");
        json_str(b, c->log ? c->log + c->r.history_off : "", c->r.history_len);
        sf_buf_printf(b, ",\n     \"sanitizer_summary\": ");
        json_str(b, c->log ? c->log + c->r.summary_off : "", c->r.summary_len);
        sf_buf_printf(b, ",\n     \"report\": ");
        if (c->r.json_len)
            sf_buf_put(b, c->log + c->r.json_off, c->r.json_len);
        else
            sf_buf_printf(b, "null");
        sf_buf_printf(b, "}");
    }
    sf_buf_printf(b, "%s]\n}\n", t->ng ? "\n  " : "");
}

/* The name, meaning and usual fix of violation id (src/prog/sf_violation.h);
 * returns 0 for an id not in the table. */
static int violation_help(int id, const char **name, const char **meaning, const char **fix)
{
    switch (id) {
#define HELP(num, nm, msg, fx)                                                                     \
    case num:                                                                                      \
        *name = #nm;                                                                               \
        *meaning = msg;                                                                            \
        *fix = fx;                                                                                 \
        return 1;
        SF_VIOLATION_MAP(HELP)
#undef HELP
    default:
        return 0;
    }
}

/* A SARIF location object: id (> 0 for a related location), the source
 * file and line (a physical location; an absolute path becomes a file: URI)
 * and, when given, the function as a logical location and a message. */
static void sarif_location(sf_buf *b, int id, const char *file, int line, int col, const char *func,
                           const char *message)
{
    sf_buf_printf(b, "{");
    if (id > 0)
        sf_buf_printf(b, "\"id\": %d%s", id, (file && file[0]) || (func && func[0]) ? ", " : "");
    if (file && file[0]) {
        sf_buf b2 = {0};
        sf_buf_printf(&b2, "%s%s", file[0] == '/' ? "file://" : "", file);
        sf_buf_printf(b, "\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
        json_cstr(b, sf_tool_text(&b2));
        sf_buf_free(&b2);
        sf_buf_printf(b, "}");
        if (line > 0) {
            sf_buf_printf(b, ", \"region\": {\"startLine\": %d", line);
            if (col > 0)
                sf_buf_printf(b, ", \"startColumn\": %d", col);
            sf_buf_printf(b, "}");
        }
        sf_buf_printf(b, "}");
    }
    if (func && func[0]) {
        sf_buf_printf(b, "%s\"logicalLocations\": [{\"name\": ", file && file[0] ? ", " : "");
        json_cstr(b, func);
        sf_buf_printf(b, ", \"kind\": \"function\"}]");
    }
    if (message) {
        sf_buf_printf(b, ", \"message\": {\"text\": ");
        json_cstr(b, message);
        sf_buf_printf(b, "}");
    }
    sf_buf_printf(b, "}");
}

static void render_sarif(sf_buf *b, const triage *t)
{
    sf_buf_printf(b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                     "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
                     "    \"tool\": {\"driver\": {\"name\": \"seamfuzz\",\n      \"rules\": [");
    /* One rule per distinct rule id, in the order of first use. */
    char(*rules)[64] = sf_xcalloc((t->ng ? t->ng : 1) * sizeof(*rules));
    size_t nr = 0;
    for (size_t k = 0; k < t->ng; k++) {
        const tcase *c = &t->c[t->g[k].rep];
        char rule[64];
        rule_of(c, rule, sizeof(rule));
        size_t j = 0;
        while (j < nr && strcmp(rules[j], rule) != 0)
            j++;
        if (j < nr)
            continue;
        snprintf(rules[nr++], 64, "%s", rule);
        sf_buf_printf(b, "%s\n        {\"id\": ", nr > 1 ? "," : "");
        json_cstr(b, rule);
        const char *vn, *vm, *vf;
        int known = c->r.found && violation_help(c->r.id ? c->r.id : 190, &vn, &vm, &vf);
        if (known) {
            sf_buf_printf(b, ", \"name\": ");
            json_cstr(b, vn);
        }
        sf_buf_printf(b, ", \"shortDescription\": {\"text\": ");
        json_cstr(b, known ? vm : c->r.found ? "sanitizer report" : "crash without a report");
        sf_buf_printf(b, "}");
        if (known) {
            /* What the id means, and the usual fix on each side. */
            sf_buf_printf(b, ", \"fullDescription\": {\"text\": ");
            json_cstr(b, vm);
            sf_buf_printf(b, "}, \"help\": {\"text\": ");
            json_cstr(b, vf);
            sf_buf_printf(b, "}");
        }
        sf_buf_printf(b, "}");
    }
    sf_free(rules);
    sf_buf_printf(b, "%s]}},\n    \"results\": [", nr ? "\n      " : "");
    for (size_t k = 0; k < t->ng; k++) {
        const group *g = &t->g[k];
        const tcase *c = &t->c[g->rep];
        char rule[64], msg[1024];
        rule_of(c, rule, sizeof(rule));
        finding_message(c, msg, sizeof(msg));
        sf_buf_printf(b, "%s\n      {\"ruleId\": ", k ? "," : "");
        json_cstr(b, rule);
        sf_buf_printf(b, ", \"level\": \"error\",\n       \"message\": {\"text\": ");
        json_cstr(b, msg);
        sf_buf_printf(b, "},\n       \"locations\": [");
        const char *where = c->r.function[0] ? c->r.function : c->r.frame;
        if (where[0] || c->r.loc[0].file[0])
            sarif_location(b, 0, c->r.loc[0].file, c->r.loc[0].line, c->r.loc[0].col,
                           c->r.loc[0].file[0] && c->r.loc[0].func[0] ? c->r.loc[0].func : where,
                           c->loc_is_def == 1   ? "the boundary function's definition: the "
                                                  "contract check has no frame in it"
                           : c->loc_is_def == 2 ? "the struct's definition on the side whose "
                                                  "layout disagrees"
                                                : NULL);
        sf_buf_printf(b, "]");
        /* Where the block was freed and allocated (ASan's other stacks). */
        static const char *const what[] = {NULL, "freed here", "allocated here"};
        int any = 0;
        for (int w = 1; w < 3; w++) {
            if (!c->r.loc[w].file[0])
                continue;
            sf_buf_printf(b, "%s", any ? ", " : ",\n       \"relatedLocations\": [");
            sarif_location(b, w, c->r.loc[w].file, c->r.loc[w].line, c->r.loc[w].col,
                           c->r.loc[w].func, what[w]);
            any = 1;
        }
        if (any)
            sf_buf_printf(b, "]");
        sf_buf_printf(b, ",\n       \"partialFingerprints\": {\"seamfuzzSignature/v1\": ");
        json_cstr(b, g->sig);
        sf_buf_printf(b, "},\n       \"properties\": {\"count\": %zu, \"testcase\": ", g->count);
        json_cstr(b, c->path);
        if (c->r.kind[0]) {
            sf_buf_printf(b, ", \"kind\": ");
            json_cstr(b, c->r.kind);
        }
        sf_buf_printf(b, "}}");
    }
    sf_buf_printf(b, "%s]\n  }]\n}\n", t->ng ? "\n    " : "");
}

const char sf_report_usage[] =
    "usage: seamfuzz report DIR|FILE... [--bin FUZZ_BINARY] [--format md|json|sarif]\n"
    "                       [-o FILE] [--timeout S] [-v]\n"
    "\n"
    "Triages the crash files as `seamfuzz triage` does (saved FILE.log reports, or a\n"
    "replay through --bin) and writes a report of the unique findings:\n"
    "  md     a table of the findings, then each one's program and resource history\n"
    "  json   {\"findings\": [...]} with signature, rule, message, files, program ...\n"
    "  sarif  SARIF 2.1.0: one result per unique signature, ruleId = violation id\n"
    "         (SF-1xx, with its meaning and usual fix), the user's source line and\n"
    "         function, and where the block was freed and allocated\n"
    "to FILE (-o) or standard output.\n"
    "Exit: 0 written (findings or not), 2 usage or I/O error.\n";

int sf_cmd_report(int argc, char **argv)
{
    targs a;
    triage t;
    int rc = run_triage("report", sf_report_usage, argc, argv, 1, &a, &t);
    if (rc < 0) {
        /* Only the findings shown need a place in the source. */
        for (size_t k = 0; k < t.ng; k++)
            place_at_definition(&t.c[t.g[k].rep], a.bin);
        sf_buf b = {0};
        if (strcmp(a.format, "json") == 0)
            render_json(&b, &t);
        else if (strcmp(a.format, "sarif") == 0)
            render_sarif(&b, &t);
        else
            render_md(&b, &t, a.bin);
        rc = SF_EXIT_OK;
        if (a.out) {
            if (sf_tool_write_file(a.out, sf_tool_text(&b), b.len) != 0)
                rc = sf_tool_error("report", "cannot write %s: %s", a.out, strerror(errno));
            else
                fprintf(stderr, "seamfuzz report: %s: %zu finding%s\n", a.out, t.ng,
                        t.ng == 1 ? "" : "s");
        } else if (fwrite(sf_tool_text(&b), 1, b.len, stdout) != b.len) {
            rc = sf_tool_error("report", "cannot write to standard output");
        }
        sf_buf_free(&b);
    }
    triage_free(&t);
    return rc;
}
