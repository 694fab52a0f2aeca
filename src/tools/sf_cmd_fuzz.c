/* sf_cmd_fuzz.c - `seamfuzz fuzz`: a fuzzing campaign on N cores.
 *
 * libFuzzer: N worker processes on one corpus folder (each reloads what the
 * others add), restarted when one stops early at a crash, so a campaign is
 * not cut short by its first finding.  AFL++: one main instance and N-1
 * secondaries on one sync folder, with seamfuzz's mutator library.  Every
 * crash file an engine writes is copied into the crash store at once and
 * filed by signature (sf_store.h).  The status line splits coverage into C,
 * Rust and Go from the bitmaps the runtime writes (sf_covmap.h) and the
 * binary's symbols.  docs/nightly.md.
 */
#define _GNU_SOURCE /* setpgid, kill, strsignal */
#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sf_alloc.h"
#include "sf_buf.h"
#include "sf_cmd.h"
#include "sf_covline.h"
#include "sf_store.h"
#include "sf_tool.h"

const char sf_fuzz_usage[] =
    "usage: seamfuzz fuzz (--target NAME [--build DIR] | --bin FUZZ_BINARY)\n"
    "                     (--seconds N | --runs N) [--jobs N] [--out DIR] [--store DIR]\n"
    "                     [--name LABEL] [--seeds DIR]... [--dict FILE] [--timeout S]\n"
    "                     [--status auto|line|plain|none] [--no-affinity]\n"
    "\n"
    "Fuzzes one target for a time or an exec budget on --jobs cores (default 1) with the\n"
    "engine it was built for: libFuzzer (N workers on one corpus, restarted after a\n"
    "crash) or AFL++ (a main instance and N-1 secondaries with seamfuzz's mutator).\n"
    "Seeds and dictionary: the spec's (from the build's seam-fuzzers.tsv, also for bug\n"
    "variants of a shipped target), plus --seeds and the campaign's own corpus.\n"
    "  --target NAME   fuzz_NAME or NAME in DIR/bin (--build, default build/libfuzzer)\n"
    "  --out DIR       campaign folder: corpus/, crashes/, logs/, status/ (default out/NAME)\n"
    "  --store DIR     crash store every finding is filed in (default OUT/findings)\n"
    "  --name LABEL    the findings' target label in the store (default the binary's name)\n"
    "  --status        line: one status line redrawn in place (default on a terminal);\n"
    "                  plain: a line every 10 s; none\n"
    "  --no-affinity   do not pin worker k to core k (pinned by default when there are\n"
    "                  at least --jobs cores)\n"
    "Prints a summary with the real duration; writes OUT/status.json.\n"
    "Exit: 0 no finding in this run, 1 findings, 2 usage, build or engine error.\n";

#define FZ_MAX_JOBS  64
#define FZ_MAX_SEEDS 16
#define FZ_MAX_FINDS 512

typedef struct fz_worker {
    pid_t pid;
    char log[4096], status[4096];
    long log_off;
    unsigned long execs_done, execs_now, cov, runs_budget;
    unsigned long corpus; /* AFL++: the instance's queue */
    double eps;
    time_t started;
    int fast_fails;
} fz_worker;

typedef struct fz_find {
    char sig[SF_SIG_MAX], key[200];
    int fresh;
} fz_find;

typedef struct fz {
    /* options */
    const char *target, *build, *bin_opt, *out_opt, *store_opt, *name_opt, *dict_opt, *status_opt;
    const char *seeds[FZ_MAX_SEEDS];
    int n_seeds;
    char *manifest_seeds; /* the seed folder the manifest gave (owned), or NULL */
    char *seeds_ok;       /* OUT/seeds-ok once crashing seeds were left out (owned) */
    unsigned long seconds, runs;
    unsigned jobs, timeout_s;
    int no_affinity;
    /* resolved */
    char bin[4096], name[128], engine[32], out[4096], dict[4096], mutator[4096];
    char corpus[4200], crashes[4200];
    sf_store *store;
    fz_worker w[FZ_MAX_JOBS];
    time_t t0;
    /* crash files already taken */
    char **seen;
    size_t n_seen, cap_seen;
    fz_find finds[FZ_MAX_FINDS];
    int n_finds;
    /* per counter of the executable's module: 'c' C, 'r' Rust, 's' Rust std, '?' */
    char *lang;
    size_t n_lang;
    int lang_tried, tty, plain;
    time_t last_plain;
    double rate_t; /* when rate_execs was taken */
    unsigned long rate_execs;
    double rate; /* exec/s over the last status interval */
} fz;

static volatile sig_atomic_t fz_stop;
static void fz_on_signal(int sig)
{
    (void)sig;
    fz_stop = 1;
}

/* ---- options and target ------------------------------------------------------- */

static int fz_number(const char *opt, const char *v, unsigned long max, unsigned long *out)
{
    char *end;
    if (!v || !*v)
        return sf_usage_error("fuzz", "%s needs a number", opt);
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (*end || errno)
        return sf_usage_error("fuzz", "%s '%s' is not a whole number", opt, v);
    if (n < 1)
        return sf_usage_error("fuzz", "%s must be at least 1 (got %s)", opt, v);
    if ((unsigned long long)n > max)
        return sf_usage_error("fuzz", "%s %s is more than %lu", opt, v, max);
    *out = (unsigned long)n;
    return -1;
}

static int fz_parse(int argc, char **argv, fz *z)
{
    z->jobs = 1;
    z->timeout_s = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long n;
        int rc;
        if (sf_is_help(a)) {
            fputs(sf_fuzz_usage, stdout);
            return SF_EXIT_OK;
        }
#define FZ_STR(flag, field)                                                                        \
    if (sf_is_opt(a, flag)) {                                                                      \
        if (!(z->field = sf_opt_value(argc, argv, &i, flag)))                                      \
            return sf_usage_error("fuzz", "%s needs a value", flag);                               \
        continue;                                                                                  \
    }
        FZ_STR("--target", target)
        FZ_STR("--build", build)
        FZ_STR("--bin", bin_opt)
        FZ_STR("--out", out_opt)
        FZ_STR("--store", store_opt)
        FZ_STR("--name", name_opt)
        FZ_STR("--dict", dict_opt)
        FZ_STR("--status", status_opt)
#undef FZ_STR
        if (strcmp(a, "--no-affinity") == 0) {
            z->no_affinity = 1;
        } else if (sf_is_opt(a, "--seeds")) {
            const char *v = sf_opt_value(argc, argv, &i, "--seeds");
            if (!v)
                return sf_usage_error("fuzz", "--seeds needs a folder");
            if (z->n_seeds == FZ_MAX_SEEDS)
                return sf_usage_error("fuzz", "more than %d --seeds folders", FZ_MAX_SEEDS);
            z->seeds[z->n_seeds++] = v;
        } else if (sf_is_opt(a, "--seconds")) {
            if ((rc = fz_number("--seconds", sf_opt_value(argc, argv, &i, "--seconds"), 7 * 86400ul,
                                &z->seconds)) >= 0)
                return rc;
        } else if (sf_is_opt(a, "--runs")) {
            if ((rc = fz_number("--runs", sf_opt_value(argc, argv, &i, "--runs"), 4000000000ul,
                                &z->runs)) >= 0)
                return rc;
        } else if (sf_is_opt(a, "--jobs")) {
            if ((rc = fz_number("--jobs", sf_opt_value(argc, argv, &i, "--jobs"), FZ_MAX_JOBS,
                                &n)) >= 0)
                return rc;
            z->jobs = (unsigned)n;
        } else if (sf_is_opt(a, "--timeout")) {
            if ((rc = fz_number("--timeout", sf_opt_value(argc, argv, &i, "--timeout"), 3600,
                                &n)) >= 0)
                return rc;
            z->timeout_s = (unsigned)n;
        } else {
            return sf_usage_error("fuzz", "unknown argument '%s'", a);
        }
    }
    if (!z->target == !z->bin_opt)
        return sf_usage_error("fuzz", "give --target NAME or --bin FUZZ_BINARY");
    if (!z->seconds == !z->runs)
        return sf_usage_error("fuzz", "give --seconds N or --runs N");
    if (z->status_opt && strcmp(z->status_opt, "auto") && strcmp(z->status_opt, "line") &&
        strcmp(z->status_opt, "plain") && strcmp(z->status_opt, "none"))
        return sf_usage_error("fuzz", "--status '%s' is not auto, line, plain or none",
                              z->status_opt);
    return -1;
}

/* The next row of a seam-fuzzers.tsv (name, binary, dictionary, corpus,
 * mutator) into col, pointing into line; comments and blank lines skipped.
 * Returns the number of columns, or 0 at the end. */
static int fz_manifest_row(FILE *f, char *line, size_t n, char *col[5])
{
    while (f && fgets(line, (int)n, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] == '#' || line[0] == 0)
            continue;
        int k = 0;
        for (char *p = strtok(line, "\t"); p && k < 5; p = strtok(NULL, "\t"))
            col[k++] = p;
        return k;
    }
    return 0;
}

/* The targets build folder dir ships (its seam-fuzzers.tsv), and how many
 * other fuzz binaries (bug variants, baselines) dir/bin holds, into b. */
static void fz_known_targets(const char *dir, sf_buf *b)
{
    char path[4200], line[16384];
    snprintf(path, sizeof path, "%s/seam-fuzzers.tsv", dir);
    FILE *f = fopen(path, "r");
    int shipped = 0;
    char *col[5];
    while (fz_manifest_row(f, line, sizeof line, col) > 0)
        sf_buf_printf(b, "%s%s", shipped++ ? ", " : "",
                      strncmp(col[0], "fuzz_", 5) == 0 ? col[0] + 5 : col[0]);
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/bin", dir);
    DIR *d = opendir(path);
    struct dirent *e;
    int others = 0;
    while (d && (e = readdir(d)) != NULL) {
        char p[4400];
        sf_buildinfo bi;
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        others += e->d_name[0] != '.' && sf_buildinfo_read(p, &bi) == 1 &&
                  strcmp(bi.engine, "standalone") != 0;
    }
    if (d)
        closedir(d);
    if (!shipped && !others)
        sf_buf_printf(b, "none: build them first (cmake --build --preset libfuzzer)");
    else
        sf_buf_printf(b, "%s%d fuzz binaries in all in %s (ls it for bug variants)",
                      shipped ? "; " : "", others, path);
}

/* The dictionary and seed corpus the build's manifest gives a binary of the
 * spec `spec` (a bug variant shares them with the shipped target). */
static void fz_from_manifest(fz *z, const char *build, const char *spec)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/seam-fuzzers.tsv", build);
    FILE *f = fopen(path, "r");
    char line[16384], *col[5];
    int k;
    while ((k = fz_manifest_row(f, line, sizeof line, col)) > 0) {
        sf_buildinfo bi;
        if (k < 4 || sf_buildinfo_read(col[1], &bi) != 1 || strcmp(bi.spec, spec) != 0)
            continue;
        if (!z->dict[0] && strcmp(col[2], "-") != 0)
            snprintf(z->dict, sizeof z->dict, "%s", col[2]);
        if (strcmp(col[3], "-") != 0 && z->n_seeds < FZ_MAX_SEEDS)
            z->seeds[z->n_seeds++] = z->manifest_seeds = sf_xstrdup(col[3]);
        break;
    }
    if (f)
        fclose(f);
}

static int fz_mkdirs(const char *path)
{
    char p[4200];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

static int fz_resolve(fz *z)
{
    const char *build = z->build ? z->build : "build/libfuzzer";
    if (z->target) {
        const char *cands[2] = {"fuzz_", ""};
        for (int i = 0; i < 2 && !z->bin[0]; i++) {
            char p[4200];
            snprintf(p, sizeof p, "%s/bin/%s%s", build, cands[i], z->target);
            if (access(p, X_OK) == 0)
                snprintf(z->bin, sizeof z->bin, "%s", p);
        }
        if (!z->bin[0]) {
            sf_buf b = {0};
            fz_known_targets(build, &b);
            int rc = sf_usage_error("fuzz", "unknown target '%s' (shipped: %s)", z->target,
                                    sf_tool_text(&b));
            sf_buf_free(&b);
            return rc;
        }
    } else {
        snprintf(z->bin, sizeof z->bin, "%s", z->bin_opt);
        if (access(z->bin, X_OK) != 0)
            return sf_usage_error("fuzz", "--bin %s is not an executable", z->bin);
        /* <build>/bin/<binary>: the build folder holds the manifest. */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", z->bin);
        for (int up = 0; up < 2; up++) {
            char *slash = strrchr(dir, '/');
            if (slash)
                *slash = 0;
            else
                snprintf(dir, sizeof dir, "%s", up ? ".." : ".");
        }
        z->build = sf_xstrdup(dir);
        build = z->build;
    }
    sf_buildinfo bi;
    if (sf_buildinfo_read(z->bin, &bi) != 1)
        return sf_usage_error("fuzz", "%s is not a seamfuzz fuzz binary (no build info)", z->bin);
    if (strcmp(bi.engine, "libfuzzer") != 0 && strcmp(bi.engine, "afl") != 0)
        return sf_usage_error("fuzz", "%s is a %s build; a campaign needs libfuzzer or afl", z->bin,
                              bi.engine);
    snprintf(z->engine, sizeof z->engine, "%s", bi.engine);
    snprintf(z->name, sizeof z->name, "%s", z->name_opt ? z->name_opt : bi.name);
    if (z->dict_opt)
        snprintf(z->dict, sizeof z->dict, "%s", z->dict_opt);
    fz_from_manifest(z, build, bi.spec);
    if (z->dict[0] && access(z->dict, R_OK) != 0)
        return sf_usage_error("fuzz", "dictionary %s cannot be read", z->dict);
    for (int i = 0; i < z->n_seeds; i++) {
        struct stat st;
        if (stat(z->seeds[i], &st) != 0 || !S_ISDIR(st.st_mode))
            return sf_usage_error("fuzz", "--seeds %s is not a folder", z->seeds[i]);
    }
    if (strcmp(z->engine, "afl") == 0) {
        /* bin/<harness>_mutator.so, next to the binary. */
        char h[256];
        snprintf(h, sizeof h, "%s", sf_tool_base_name(bi.harness));
        char *dot = strrchr(h, '.');
        if (dot)
            *dot = 0;
        snprintf(z->mutator, sizeof z->mutator, "%.*s/%s_mutator.so",
                 (int)(sf_tool_base_name(z->bin) - z->bin), z->bin, h);
        if (access(z->mutator, R_OK) != 0)
            z->mutator[0] = 0;
    }
    if (z->out_opt)
        snprintf(z->out, sizeof z->out, "%s", z->out_opt);
    else
        snprintf(z->out, sizeof z->out, "out/%s", z->name);
    snprintf(z->corpus, sizeof z->corpus, "%s/corpus", z->out);
    snprintf(z->crashes, sizeof z->crashes, "%s/crashes", z->out);
    static const char *const sub[] = {"corpus", "crashes", "logs", "status"};
    for (int i = 0; i < 4; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", z->out, sub[i]);
        if (fz_mkdirs(p) != 0)
            return sf_tool_error("fuzz", "cannot create %s: %s", p, strerror(errno));
    }
    char store[4200], err[768];
    if (z->store_opt)
        snprintf(store, sizeof store, "%s", z->store_opt);
    else
        snprintf(store, sizeof store, "%s/findings", z->out);
    if (sf_store_open(store, 1, &z->store, err, sizeof err) != 0)
        return sf_tool_error("fuzz", "%s", err);
    return -1;
}

/* ---- workers -------------------------------------------------------------------- */

/* AFL++ instance k's name ("main", "s1", ...) into name, and its folder
 * OUT/afl/<name>[/sub] into dir (either may be NULL). */
static void fz_afl_instance(const fz *z, unsigned k, const char *sub, char *name, size_t nn,
                            char *dir, size_t nd)
{
    char buf[16];
    if (k == 0)
        snprintf(buf, sizeof buf, "main");
    else
        snprintf(buf, sizeof buf, "s%u", k);
    if (name)
        snprintf(name, nn, "%s", buf);
    if (dir)
        snprintf(dir, nd, "%s/afl/%s%s%s", z->out, buf, sub ? "/" : "", sub ? sub : "");
}

/* Starts worker k; its output is appended to its log. */
static int fz_start(fz *z, unsigned k, unsigned long runs, unsigned long seconds)
{
    fz_worker *w = &z->w[k];
    char *argv[64];
    int n = 0;
    char a[16][4400];
    int na = 0;
#define FZ_ARG(...) (snprintf(a[na], sizeof a[na], __VA_ARGS__), argv[n++] = a[na++])
    if (strcmp(z->engine, "afl") == 0) {
        argv[n++] = "afl-fuzz";
        argv[n++] = k == 0 ? "-M" : "-S";
        fz_afl_instance(z, k, NULL, a[na], sizeof a[na], NULL, 0);
        argv[n++] = a[na++];
        argv[n++] = "-i";
        FZ_ARG("%s/afl-in", z->out);
        argv[n++] = "-o";
        FZ_ARG("%s/afl", z->out);
        if (z->dict[0]) {
            argv[n++] = "-x";
            argv[n++] = z->dict;
        }
        if (seconds) {
            argv[n++] = "-V";
            FZ_ARG("%lu", seconds);
        } else {
            argv[n++] = "-E";
            FZ_ARG("%lu", runs);
        }
        FZ_ARG("-t%u", z->timeout_s * 1000);
        argv[n++] = "--";
        argv[n++] = z->bin;
    } else {
        argv[n++] = z->bin;
        if (seconds)
            FZ_ARG("-max_total_time=%lu", seconds);
        else
            FZ_ARG("-runs=%lu", runs);
        FZ_ARG("-timeout=%u", z->timeout_s);
        FZ_ARG("-artifact_prefix=%s/", z->crashes);
        argv[n++] = "-reload=1";
        argv[n++] = "-print_final_stats=1";
        if (z->dict[0])
            FZ_ARG("-dict=%s", z->dict);
        FZ_ARG("-seed=%lu", (unsigned long)(z->t0 + (time_t)k * 7919 + w->execs_done));
        argv[n++] = z->corpus;
        for (int i = 0; i < z->n_seeds; i++)
            argv[n++] = (char *)z->seeds[i];
    }
    argv[n] = NULL;
#undef FZ_ARG
    int fd = open(w->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return sf_tool_error("fuzz", "cannot open %s: %s", w->log, strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(fd);
        return sf_tool_error("fuzz", "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        setpgid(0, 0);
        /* One core per worker: a campaign of N jobs uses N cores, and the Go
         * runtime of a worker (which sizes itself by its CPU mask) does not
         * spread its collector over the other workers' cores. */
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        if (!z->no_affinity && ncpu > 0 && z->jobs <= (unsigned)ncpu) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET((int)(k % (unsigned)ncpu), &set);
            sched_setaffinity(0, sizeof set, &set);
        }
        int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("SEAM_STATUS_FILE", w->status, 1);
        if (strcmp(z->engine, "afl") == 0) {
            setenv("AFL_NO_UI", "1", 1);
            setenv("AFL_SKIP_CPUFREQ", "1", 1);
            setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
            setenv("AFL_NO_AFFINITY", "1", 0);
            if (z->mutator[0])
                setenv("AFL_CUSTOM_MUTATOR_LIBRARY", z->mutator, 1);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "seamfuzz fuzz: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    close(fd);
    w->pid = pid;
    w->started = time(NULL);
    w->execs_now = 0;
    return -1;
}

/* Reads what worker w logged since the last call: its stats lines. */
static void fz_read_log(fz_worker *w)
{
    FILE *f = fopen(w->log, "r");
    if (!f)
        return;
    if (fseek(f, w->log_off, SEEK_SET) != 0) {
        fclose(f);
        return;
    }
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        if (!strchr(line, '\n'))
            break; /* a line still being written: read it next time */
        w->log_off = ftell(f);
        unsigned long execs, cov;
        char kind[16];
        /* libFuzzer: "#1234\tNEW    cov: 567 ft: ... exec/s: 890 ..." */
        if (line[0] == '#' && sscanf(line, "#%lu %15s cov: %lu", &execs, kind, &cov) == 3) {
            w->execs_now = execs;
            w->cov = cov;
            const char *e = strstr(line, "exec/s: ");
            if (e)
                w->eps = atof(e + 8);
        }
    }
    fclose(f);
}

/* AFL++: execs, exec/s, queue and edges of instance k, from the last line
 * of its plot_data (written every few seconds; fuzzer_stats only every
 * minute), then fuzzer_stats when that is newer (at the end). */
static void fz_read_afl(fz *z, unsigned k)
{
    char dir[4400], p[4500], line[1024], last[1024] = "";
    fz_afl_instance(z, k, NULL, NULL, 0, dir, sizeof dir);
    fz_worker *w = &z->w[k];
    snprintf(p, sizeof p, "%s/plot_data", dir);
    FILE *f = fopen(p, "r");
    while (f && fgets(line, sizeof line, f))
        if (line[0] != '#')
            snprintf(last, sizeof last, "%s", line);
    if (f)
        fclose(f);
    /* relative_time, cycles_done, cur_item, corpus_count, pending_total,
     * pending_favs, map_size, saved_crashes, saved_hangs, max_depth,
     * execs_per_sec, total_execs, edges_found */
    unsigned long t, cyc, cur, corp, pend, fav, cr, hg, dep, execs, edges;
    double mapsz, eps;
    if (sscanf(last, "%lu, %lu, %lu, %lu, %lu, %lu, %lf%%, %lu, %lu, %lu, %lf, %lu, %lu", &t, &cyc,
               &cur, &corp, &pend, &fav, &mapsz, &cr, &hg, &dep, &eps, &execs, &edges) == 13) {
        w->execs_now = execs > w->execs_now ? execs : w->execs_now;
        w->eps = eps;
        w->cov = edges;
        w->corpus = corp;
    }
    snprintf(p, sizeof p, "%s/fuzzer_stats", dir);
    f = fopen(p, "r");
    while (f && fgets(line, sizeof line, f)) {
        unsigned long v;
        if (sscanf(line, "execs_done : %lu", &v) == 1 && v > w->execs_now)
            w->execs_now = v;
        else if (sscanf(line, "edges_found : %lu", &v) == 1)
            w->cov = v;
        else if (sscanf(line, "corpus_count : %lu", &v) == 1)
            w->corpus = v;
    }
    if (f)
        fclose(f);
}

/* ---- findings ------------------------------------------------------------------- */

static int fz_seen(fz *z, const char *path)
{
    for (size_t i = 0; i < z->n_seen; i++)
        if (strcmp(z->seen[i], path) == 0)
            return 1;
    if (z->n_seen == z->cap_seen) {
        z->cap_seen = z->cap_seen ? 2 * z->cap_seen : 64;
        z->seen = sf_xrealloc(z->seen, z->cap_seen * sizeof *z->seen);
    }
    z->seen[z->n_seen++] = sf_xstrdup(path);
    return 0;
}

static void fz_status_clear(fz *z)
{
    if (z->tty)
        fprintf(stderr, "\r\033[K");
}

/* Takes every new crash file of folder dir into the store and files it;
 * with mark_only, only remembers what is there (the files of earlier runs).
 * While the engines run, a file is taken only once it is a second old: an
 * engine may still be writing a younger one. */
static void fz_scan_dir(fz *z, const char *dir, int mark_only, int settled)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0 ||
            sf_tool_ends_with(e->d_name, ".log"))
            continue;
        char p[4400];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) ||
            (!mark_only && !settled && time(NULL) - st.st_mtime < 2) || fz_seen(z, p) || mark_only)
            continue;
        char name[64], err[768];
        if (sf_store_take(z->store, p, name, sizeof name, err, sizeof err) != 0) {
            fz_status_clear(z);
            fprintf(stderr, "seamfuzz fuzz: %s (the crash stays in %s)\n", err, p);
            continue;
        }
        sf_finding f;
        int fresh = sf_cmd_store_file(z->store, name, z->bin, z->engine, z->name, z->timeout_s, &f);
        if (fresh < 0)
            continue; /* stays in the store's incoming/ for `seamfuzz store triage` */
        int k = 0;
        while (k < z->n_finds && strcmp(z->finds[k].sig, f.sig) != 0)
            k++;
        if (k == z->n_finds && k < FZ_MAX_FINDS) {
            fz_find *x = &z->finds[z->n_finds++];
            snprintf(x->sig, sizeof x->sig, "%s", f.sig);
            snprintf(x->key, sizeof x->key, "%s", f.key);
            x->fresh = fresh;
            fz_status_clear(z);
            fprintf(stderr, "seamfuzz fuzz: finding %s (%s): %s/%s\n", f.sig,
                    fresh ? "new" : "known", sf_store_dir(z->store), f.key);
        }
    }
    if (d)
        closedir(d);
}

static void fz_scan(fz *z, int mark_only, int settled)
{
    if (strcmp(z->engine, "afl") != 0) {
        fz_scan_dir(z, z->crashes, mark_only, settled);
        return;
    }
    for (unsigned k = 0; k < z->jobs; k++) {
        char dir[4400];
        fz_afl_instance(z, k, "crashes", NULL, 0, dir, sizeof dir);
        fz_scan_dir(z, dir, mark_only, settled);
    }
}

/* ---- coverage split ----------------------------------------------------------------- */

/* Symbolizes the PCs worker 0's runtime wrote: one language letter per
 * counter of the executable's module. */
static void fz_languages(fz *z)
{
    char pcs[4200];
    snprintf(pcs, sizeof pcs, "%s.pcs", z->w[0].status);
    if (z->lang_tried || access(pcs, R_OK) != 0)
        return;
    z->lang_tried = 1;
    char cmd[9000];
    snprintf(cmd, sizeof cmd,
             "awk 'NR > 1 {print \"0x\" $2}' '%s' | llvm-symbolizer --obj='%s' --no-inlines "
             "--functions=none 2>/dev/null",
             pcs, z->bin);
    if (strchr(pcs, '\'') || strchr(z->bin, '\''))
        return;
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    size_t cap = 4096;
    z->lang = sf_xcalloc(cap);
    char line[4096];
    while (fgets(line, sizeof line, p)) {
        if (line[0] == '\n')
            continue;
        char *colon = strchr(line, ':');
        if (colon)
            *colon = 0;
        char c = '?';
        if (sf_tool_ends_with(line, ".rs"))
            c = strncmp(line, "/rustc/", 7) == 0 || strstr(line, "/rust/deps/") ||
                        strstr(line, "/.cargo/registry/")
                    ? 's'
                    : 'r';
        else if (sf_tool_ends_with(line, ".c") || sf_tool_ends_with(line, ".h"))
            c = 'c';
        if (z->n_lang == cap) {
            cap *= 2;
            z->lang = sf_xrealloc(z->lang, cap);
        }
        z->lang[z->n_lang++] = c;
    }
    pclose(p);
}

typedef struct fz_split {
    unsigned long hit[4], total[4]; /* C, Rust, Rust std, Go */
    int known;
} fz_split;

/* ORs the workers' bitmaps and counts the hit counters per language. */
static void fz_split_now(fz *z, fz_split *s)
{
    memset(s, 0, sizeof *s);
    fz_languages(z);
    uint8_t *u[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    for (unsigned k = 0; k < z->jobs; k++) {
        FILE *f = fopen(z->w[k].status, "r");
        char line[1 << 16];
        while (f && fgets(line, sizeof line, f)) {
            int mod, go;
            size_t n;
            if (sf_covline_get(line, &mod, &go, &n, NULL, 0) < 0 || mod > 1)
                continue;
            if (!u[go]) {
                u[go] = sf_xcalloc(n);
                len[go] = n;
            }
            sf_covline_get(line, &mod, &go, &n, u[go], len[go]);
        }
        if (f)
            fclose(f);
    }
    for (size_t i = 0; i < len[0]; i++) {
        char c = i < z->n_lang ? z->lang[i] : '?';
        int g = c == 'c' ? 0 : c == 'r' ? 1 : c == 's' ? 2 : -1;
        if (g < 0)
            continue;
        s->total[g]++;
        s->hit[g] += u[0][i];
    }
    for (size_t i = 0; i < len[1]; i++) {
        s->total[3]++;
        s->hit[3] += u[1][i];
    }
    s->known = (len[0] && z->n_lang) || len[1];
    sf_free(u[0]);
    sf_free(u[1]);
}

/* ---- status ----------------------------------------------------------------------- */

static unsigned long fz_files(const char *dir);

/* The campaign's corpus: libFuzzer's shared folder, or AFL++'s largest queue. */
static unsigned long fz_corpus(const fz *z)
{
    if (strcmp(z->engine, "afl") != 0)
        return fz_files(z->corpus);
    unsigned long n = 0;
    for (unsigned k = 0; k < z->jobs; k++)
        if (z->w[k].corpus > n)
            n = z->w[k].corpus;
    return n;
}

static unsigned long fz_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned long n = 0;
    while (d && (e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static unsigned long fz_execs(const fz *z, unsigned long *cov, double *eps)
{
    unsigned long t = 0;
    *cov = 0;
    *eps = 0;
    for (unsigned k = 0; k < z->jobs; k++) {
        t += z->w[k].execs_done + z->w[k].execs_now;
        if (z->w[k].cov > *cov)
            *cov = z->w[k].cov;
        if (z->w[k].pid > 0)
            *eps += z->w[k].eps;
    }
    return t;
}

static void fz_split_text(const fz_split *s, char *buf, size_t n)
{
    if (!s->known) {
        snprintf(buf, n, "split pending");
        return;
    }
    if (s->total[0] + s->total[1] + s->total[2] == 0) {
        /* AFL++ builds: C and Rust counters are AFL++'s own map. */
        snprintf(buf, n, "C/Rust in AFL++'s map  Go %lu/%lu", s->hit[3], s->total[3]);
        return;
    }
    snprintf(buf, n, "C %lu/%lu  Rust %lu/%lu (std %lu/%lu)  Go %lu/%lu", s->hit[0], s->total[0],
             s->hit[1], s->total[1], s->hit[2], s->total[2], s->hit[3], s->total[3]);
}

/* The split text and the number of new findings, as the status line and
 * the summary show them. */
static void fz_snapshot(fz *z, fz_split *s, char *split, size_t n, int *news)
{
    fz_split_now(z, s);
    fz_split_text(s, split, n);
    *news = 0;
    for (int i = 0; i < z->n_finds; i++)
        *news += z->finds[i].fresh;
}

static double fz_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fz_status(fz *z, int final)
{
    time_t now = time(NULL);
    if (!z->tty && !z->plain)
        return;
    if (!z->tty && !final && now - z->last_plain < 10)
        return;
    z->last_plain = now;
    unsigned long cov;
    double eps;
    unsigned long execs = fz_execs(z, &cov, &eps);
    double t = fz_now();
    if (z->rate_t > 0 && t - z->rate_t >= 0.9) {
        z->rate = (double)(execs - z->rate_execs) / (t - z->rate_t);
        z->rate_t = t;
        z->rate_execs = execs;
    } else if (z->rate_t == 0) {
        z->rate_t = t;
        z->rate_execs = execs;
    }
    eps = z->rate;
    fz_split s;
    char split[256];
    int news;
    fz_snapshot(z, &s, split, sizeof split, &news);
    long el = (long)(now - z->t0);
    char left[32] = "";
    if (z->seconds)
        snprintf(left, sizeof left, " left %lds",
                 (long)z->seconds - el > 0 ? (long)z->seconds - el : 0);
    char line[1024];
    snprintf(line, sizeof line,
             "[%ld:%02ld%s] execs %lu (%.0f/s)  cov %lu: %s  corpus %lu  findings %d (%d new)",
             el / 60, el % 60, left, execs, eps, cov, split, fz_corpus(z), z->n_finds, news);
    if (z->tty)
        fprintf(stderr, "\r\033[K%s", line);
    else
        fprintf(stderr, "seamfuzz fuzz: %s\n", line);
}

/* ---- the campaign --------------------------------------------------------------------- */

/* Copies the plain files of folders dirs[0..nd) into folder dst as
 * "<i>-<name>", leaving out those whose content hash is in skip[0..ns).
 * Returns the number copied; *dropped (may be NULL) counts those left out. */
static unsigned long fz_copy_inputs(const char *const *dirs, int nd, const char *dst,
                                    const uint64_t *skip, size_t ns, int *dropped)
{
    unsigned long n = 0;
    for (int i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            char a[4400], b[4400];
            struct stat st;
            uint8_t *data;
            size_t len;
            snprintf(a, sizeof a, "%s/%s", dirs[i], e->d_name);
            if (e->d_name[0] == '.' || stat(a, &st) != 0 || !S_ISREG(st.st_mode) ||
                sf_tool_read_file(a, &data, &len) != 0)
                continue;
            uint64_t h = sf_store_hash(data, len);
            size_t k = 0;
            while (k < ns && skip[k] != h)
                k++;
            snprintf(b, sizeof b, "%s/%d-%s", dst, i, e->d_name);
            if (k < ns) {
                if (dropped)
                    (*dropped)++;
            } else if (sf_tool_write_file(b, data, len) == 0) {
                n++;
            }
            sf_free(data);
        }
        if (d)
            closedir(d);
    }
    return n;
}

/* A worker crashed before fuzzing: a seed crashes the target (a bug the
 * seeds already reach).  libFuzzer would stop on it at every restart, so the
 * seeds are copied to OUT/seeds-ok without the inputs equal to a crash file,
 * and the workers use that copy from then on.  Returns the number left out. */
static int fz_drop_crashing_seeds(fz *z)
{
    uint64_t *crash = sf_xcalloc(sizeof *crash * (z->n_seen + 1));
    size_t nc = 0;
    for (size_t i = 0; i < z->n_seen; i++) {
        uint8_t *data;
        size_t len;
        if (sf_tool_read_file(z->seen[i], &data, &len) == 0) {
            crash[nc++] = sf_store_hash(data, len);
            sf_free(data);
        }
    }
    char dst[4200];
    snprintf(dst, sizeof dst, "%s/seeds-ok.new", z->out);
    fz_mkdirs(dst);
    int dropped = 0;
    fz_copy_inputs(z->seeds, z->n_seeds, dst, crash, nc, &dropped);
    sf_free(crash);
    char final[4200], old[4300];
    snprintf(final, sizeof final, "%s/seeds-ok", z->out);
    snprintf(old, sizeof old, "%s/seeds-ok.old", z->out);
    rename(final, old); /* the previous copy, if any: its files are in the new one */
    rename(dst, final);
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", old);
    if (!strchr(old, '\'') && system(cmd) != 0)
        fprintf(stderr, "seamfuzz fuzz: note: %s left behind\n", old);
    sf_free(z->seeds_ok);
    z->seeds_ok = sf_xstrdup(final);
    z->seeds[0] = z->seeds_ok;
    z->n_seeds = 1;
    return dropped;
}

/* AFL++ needs one input folder: the seeds and the campaign corpus, copied. */
static int fz_afl_input(fz *z)
{
    char in[4200];
    snprintf(in, sizeof in, "%s/afl-in", z->out);
    if (fz_mkdirs(in) != 0)
        return sf_tool_error("fuzz", "cannot create %s: %s", in, strerror(errno));
    const char *dirs[FZ_MAX_SEEDS + 1];
    int nd = 0;
    dirs[nd++] = z->corpus;
    for (int i = 0; i < z->n_seeds; i++)
        dirs[nd++] = z->seeds[i];
    if (fz_copy_inputs(dirs, nd, in, NULL, 0, NULL) == 0 &&
        sf_tool_write_file(strcat(in, "/empty"), "", 0) != 0)
        return sf_tool_error("fuzz", "cannot write %s", in);
    return -1;
}

static void fz_stop_all(fz *z)
{
    for (unsigned k = 0; k < z->jobs; k++)
        if (z->w[k].pid > 0)
            kill(-z->w[k].pid, SIGTERM);
    for (int t = 0; t < 50; t++) {
        int alive = 0;
        for (unsigned k = 0; k < z->jobs; k++) {
            if (z->w[k].pid <= 0)
                continue;
            int st;
            if (waitpid(z->w[k].pid, &st, WNOHANG) == z->w[k].pid) {
                z->w[k].execs_done += z->w[k].execs_now;
                z->w[k].execs_now = 0;
                z->w[k].pid = 0;
            } else {
                alive = 1;
            }
        }
        if (!alive)
            return;
        usleep(100000);
    }
    for (unsigned k = 0; k < z->jobs; k++)
        if (z->w[k].pid > 0) {
            kill(-z->w[k].pid, SIGKILL);
            waitpid(z->w[k].pid, NULL, 0);
            z->w[k].pid = 0;
        }
}

static void fz_summary(fz *z, double wall, int infra)
{
    unsigned long cov;
    double eps;
    unsigned long execs = fz_execs(z, &cov, &eps);
    fz_split s;
    char split[256];
    int news;
    fz_snapshot(z, &s, split, sizeof split, &news);
    unsigned long corpus = fz_corpus(z);
    fz_status_clear(z);
    printf("seamfuzz fuzz: %s, %s, %u job%s, %.1f s (asked %lu %s)\n", z->name, z->engine, z->jobs,
           z->jobs == 1 ? "" : "s", wall, z->seconds ? z->seconds : z->runs,
           z->seconds ? "s" : "runs");
    printf("  execs %lu (%.0f/s)  corpus %lu inputs  coverage %lu\n", execs,
           wall > 0 ? (double)execs / wall : 0.0, corpus, cov);
    printf("  coverage by language (counters hit/instrumented): %s\n", split);
    printf("  findings: %d (%d new)%s\n", z->n_finds, news, z->n_finds ? ":" : "");
    for (int i = 0; i < z->n_finds; i++)
        printf("    %-5s %s  %s/%s\n", z->finds[i].fresh ? "new" : "known", z->finds[i].sig,
               sf_store_dir(z->store), z->finds[i].key);
    if (infra)
        printf("  stopped: an engine failed to run (see %s/logs)\n", z->out);
    /* For the nightly job (ci/nightly.sh). */
    char path[4200];
    snprintf(path, sizeof path, "%s/status.json", z->out);
    sf_buf b = {0};
    sf_buf_printf(&b,
                  "{\"target\": \"%s\", \"engine\": \"%s\", \"jobs\": %u, \"seconds\": %.1f, "
                  "\"execs\": %lu, \"exec_per_s\": %.0f, \"coverage\": %lu, \"corpus\": %lu, "
                  "\"cov_c\": [%lu, %lu], \"cov_rust\": [%lu, %lu], \"cov_rust_std\": [%lu, %lu], "
                  "\"cov_go\": [%lu, %lu], \"findings\": %d, \"new\": %d, \"infra_error\": %s}\n",
                  z->name, z->engine, z->jobs, wall, execs, wall > 0 ? (double)execs / wall : 0.0,
                  cov, corpus, s.hit[0], s.total[0], s.hit[1], s.total[1], s.hit[2], s.total[2],
                  s.hit[3], s.total[3], z->n_finds, news, infra ? "true" : "false");
    sf_tool_write_file(path, sf_tool_text(&b), b.len);
    sf_buf_free(&b);
}

int sf_cmd_fuzz(int argc, char **argv)
{
    fz *z = sf_xcalloc(sizeof *z);
    int rc = fz_parse(argc, argv, z);
    if (rc < 0)
        rc = fz_resolve(z);
    if (rc >= 0)
        goto out;
    const char *st = z->status_opt ? z->status_opt : "auto";
    z->tty = strcmp(st, "line") == 0 || (strcmp(st, "auto") == 0 && isatty(2));
    z->plain = !z->tty && strcmp(st, "none") != 0;
    z->t0 = time(NULL);
    double w0 = fz_now();
    int afl = strcmp(z->engine, "afl") == 0;
    if (afl && (rc = fz_afl_input(z)) >= 0)
        goto out;
    /* Crash files of earlier runs are not this run's findings. */
    fz_scan(z, 1, 1);
    fprintf(stderr,
            "seamfuzz fuzz: %s (%s) on %u job%s for %lu %s; seeds: %d folder%s%s%s; store %s\n",
            z->name, z->engine, z->jobs, z->jobs == 1 ? "" : "s", z->seconds ? z->seconds : z->runs,
            z->seconds ? "s" : "runs", z->n_seeds, z->n_seeds == 1 ? "" : "s",
            z->dict[0] ? "; dict " : "", z->dict, sf_store_dir(z->store));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fz_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    for (unsigned k = 0; k < z->jobs; k++) {
        fz_worker *w = &z->w[k];
        snprintf(w->log, sizeof w->log, "%s/logs/w%u.log", z->out, k);
        snprintf(w->status, sizeof w->status, "%s/status/w%u.cov", z->out, k);
        w->runs_budget = z->runs ? z->runs / z->jobs + (k < z->runs % z->jobs) : 0;
        if ((rc = fz_start(z, k, w->runs_budget, z->seconds)) >= 0)
            goto out;
    }
    int infra = 0;
    for (;;) {
        usleep(250000);
        int alive = 0;
        for (unsigned k = 0; k < z->jobs; k++) {
            fz_worker *w = &z->w[k];
            if (afl)
                fz_read_afl(z, k);
            else
                fz_read_log(w);
            if (w->pid <= 0)
                continue;
            int status;
            if (waitpid(w->pid, &status, WNOHANG) != w->pid) {
                alive = 1;
                continue;
            }
            /* A worker stopped: at its budget, or early at a crash. */
            w->pid = 0;
            if (!afl)
                fz_read_log(w);
            unsigned long did = w->execs_now;
            w->execs_done += did;
            w->execs_now = 0;
            long left_s = z->seconds ? (long)z->seconds - (long)(time(NULL) - z->t0) : 0;
            unsigned long left_runs = z->runs && did < w->runs_budget ? w->runs_budget - did : 0;
            w->runs_budget = left_runs;
            int more = !fz_stop && !afl && (z->seconds ? left_s >= 2 : left_runs > 0);
            if (!more)
                continue;
            size_t seen0 = z->n_seen;
            fz_scan(z, 0, 1);
            if (did == 0 && z->n_seen > seen0) {
                int n = fz_drop_crashing_seeds(z);
                fz_status_clear(z);
                fprintf(stderr, "seamfuzz fuzz: a seed crashes the target: %d seed%s left out\n", n,
                        n == 1 ? "" : "s");
            }
            /* One that keeps dying at start without a crash is broken. */
            w->fast_fails = time(NULL) - w->started < 2 && did == 0 && z->n_seen == seen0
                                ? w->fast_fails + 1
                                : 0;
            if (w->fast_fails >= 3) {
                fz_status_clear(z);
                fprintf(stderr, "seamfuzz fuzz: %s exits at start (see %s)\n", z->bin, w->log);
                infra = 1;
                continue;
            }
            if (fz_start(z, k, left_runs, z->seconds ? (unsigned long)left_s : 0) >= 0) {
                infra = 1;
                continue;
            }
            alive = 1;
        }
        fz_scan(z, 0, 0);
        fz_status(z, 0);
        double el = fz_now() - w0;
        if (!alive || fz_stop || infra || (z->seconds && el > (double)z->seconds + 30))
            break;
    }
    fz_stop_all(z);
    fz_scan(z, 0, 1);
    fz_status(z, 1);
    if (z->tty)
        fputc('\n', stderr);
    fz_summary(z, fz_now() - w0, infra);
    rc = infra ? SF_EXIT_USAGE : z->n_finds ? SF_EXIT_FAIL : SF_EXIT_OK;
out:
    sf_store_close(z->store);
    for (size_t i = 0; i < z->n_seen; i++)
        sf_free(z->seen[i]);
    sf_free(z->seen);
    sf_free(z->lang);
    sf_free(z->manifest_seeds);
    sf_free(z->seeds_ok);
    if (z->bin_opt)
        sf_free((char *)z->build);
    sf_free(z);
    return rc;
}
