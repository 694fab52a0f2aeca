/* sf_proc.c - process set-up: the -seam_* flags, the Go environment (and the
 * re-exec it needs), signal handlers that Go tolerates, the layout check,
 * and libFuzzer's mutator hooks.  The runtime never exits: a bad flag is one
 * line on stderr and an error code for the harness (docs/runtime.md).
 */
#define _GNU_SOURCE /* pthread_mutexattr_settype, sigaction flags, execv */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sf_run.h"
#include "sf_alloc.h"
#include "sf_covmap.h"
#include "sf_err.h"
#include "sf_mutate.h"
#include "sf_reach.h"
#include "sf_run_int.h"

/* libFuzzer's byte mutator, weak so that the other engines link without it. */
extern size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));

sf__ctx *sf__g;

/* ---- signals ------------------------------------------------------------------ */

static void sf__chain(int sig, siginfo_t *si, void *uc, const struct sigaction *old)
{
    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
        old->sa_sigaction(sig, si, uc);
        return;
    }
    if (old->sa_handler == SIG_IGN)
        return;
    if (old->sa_handler != SIG_DFL) {
        old->sa_handler(sig);
        return;
    }
    /* Default action: it is blocked while we run, so it lands on return. */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void sf__on_fatal(int sig, siginfo_t *si, void *uc)
{
    sf__ctx *c = sf__g;
    if (!c)
        return;
    if (c->in_run && !atomic_exchange(&c->reported, 1)) {
        sf_side side = sf_side_current();
        int id = side == SF_SIDE_RUST ? SF_V_RUST_PANIC
                 : side == SF_SIDE_GO ? SF_V_GO_PANIC
                                      : SF_V_FATAL_SIGNAL;
        sf_finding f;
        sf__finding_init(c, &f, id, c->cur_func);
        f.kind = sig == SIGABRT ? "SIGABRT" : "SIGILL";
        f.detail = side == SF_SIDE_C ? "the process aborted while C was running"
                                     : "the process aborted while a callee was running";
        sf_diag_print(&f, stderr);
    }
    sf__chain(sig, si, uc, sig == SIGABRT ? &c->old_abrt : &c->old_ill);
}

/* Go needs SA_ONSTACK on every handler that can run on a Go thread
 * (golang/go#49075); libFuzzer installs its own without it after
 * LLVMFuzzerInitialize, so this runs on the first input. */
void sf__signals_first_run(sf__ctx *c)
{
    static const int sigs[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL, SIGABRT,
                               SIGALRM, SIGUSR1, SIGUSR2, SIGINT, SIGTERM};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
        struct sigaction old;
        if (sigaction(sigs[k], NULL, &old) != 0)
            continue;
        if (sigs[k] == SIGABRT || sigs[k] == SIGILL) {
            if (sigs[k] == SIGABRT)
                c->old_abrt = old;
            else
                c->old_ill = old;
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_sigaction = sf__on_fatal;
            sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
            sigemptyset(&sa.sa_mask);
            sigaction(sigs[k], &sa, NULL);
            continue;
        }
        int is_fn = (old.sa_flags & SA_SIGINFO)
                        ? old.sa_sigaction != NULL
                        : old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN;
        if (is_fn && !(old.sa_flags & SA_ONSTACK)) {
            old.sa_flags |= SA_ONSTACK;
            sigaction(sigs[k], &old, NULL);
        }
    }
    c->signals_done = 1;
}

/* ---- environment and flags ----------------------------------------------------------- */

/* The Go runtime reads its environment from the process's initial envp, not
 * from libc's environ, so setenv() cannot change what Go sees once the process
 * runs.  Returns 1 if a variable had to be added (then the caller re-executes
 * the process so that Go starts with it).  Never overrides the user. */
static int sf__go_env_defaults(void)
{
    int changed = 0;
    if (!getenv("GOTRACEBACK")) {
        setenv("GOTRACEBACK", "crash", 1);
        changed = 1;
    }
    if (!getenv("GOGC")) {
        setenv("GOGC", "50", 1);
        changed = 1;
    }
    const char *gd = getenv("GODEBUG");
    if (!gd || !gd[0]) {
        setenv("GODEBUG", "cgocheck=1", 1);
        changed = 1;
    } else if (!strstr(gd, "cgocheck=")) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s,cgocheck=1", gd);
        setenv("GODEBUG", buf, 1);
        changed = 1;
    }
    return changed;
}

/* Parses "-seam_<name>=N" at arg into *out: returns 1, 0 when arg is another
 * flag, or -1 (after one line on stderr) when the value is not a number up to
 * 1,000,000. */
static int sf__flag_u32(const char *arg, const char *name, uint32_t *out)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0 || arg[n] != '=')
        return 0;
    char *end;
    unsigned long v = strtoul(arg + n + 1, &end, 10);
    if (*end || end == arg + n + 1 || v > 1000000) {
        fprintf(stderr, "seamfuzz: bad value in %s (expected a number up to 1000000)\n", arg);
        return -1;
    }
    *out = (uint32_t)v;
    return 1;
}

/* Exported by the Go archive of a coverage build (harness/engines/sf_go_cover.go). */
extern int seamfuzz_go_cover_flush(char *dir) __attribute__((weak));

/* Makes folder path (one level); 0 when it exists afterwards. */
static int sf__mkdir(const char *path)
{
    return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

/* SEAM_COVERAGE_DIR: the contract coverage of this process as
 * <dir>/contract/<pid>.txt (written to a temporary name, then renamed), and
 * Go's coverage into $GOCOVERDIR or <dir>/go. */
static void sf__write_coverage(sf__ctx *c)
{
    char path[4096], tmp[4200];
    int n = snprintf(path, sizeof path, "%s/contract", c->cov_dir);
    if (n < 0 || (size_t)n >= sizeof path || sf__mkdir(c->cov_dir) || sf__mkdir(path)) {
        fprintf(stderr, "seamfuzz: warning: cannot create %s/contract: %s\n", c->cov_dir,
                strerror(errno));
        return;
    }
    snprintf(path, sizeof path, "%s/contract/%ld.txt", c->cov_dir, (long)getpid());
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int bad = !f || sf_profile_write_contract(c->prof, f) != 0;
    if (f && fclose(f) != 0)
        bad = 1;
    if (bad || rename(tmp, path) != 0) {
        fprintf(stderr, "seamfuzz: warning: cannot write %s: %s\n", path, strerror(errno));
        remove(tmp);
    }
    if (!seamfuzz_go_cover_flush)
        return;
    const char *gd = getenv("GOCOVERDIR");
    if (gd && *gd)
        snprintf(path, sizeof path, "%s", gd);
    else
        snprintf(path, sizeof path, "%s/go", c->cov_dir);
    if (sf__mkdir(path) || seamfuzz_go_cover_flush(path) != 0)
        fprintf(stderr, "seamfuzz: warning: Go coverage could not be written to %s\n", path);
}

static void sf__profile_atexit(void)
{
    sf__ctx *c = sf__g;
    if (c)
        sf_covmap_flush(c->covmap);
    if (c && c->cov_dir && c->prof)
        sf__write_coverage(c);
    if (c && c->prof && c->profile_on) {
        sf_profile_print(c->prof, stderr, c->json);
        /* How the per-input leak checks were decided (sf_reach.h). */
        sf_reach_stats rs = {0, 0, 0, 0};
        if (c->reach)
            rs = sf_reach_stats_get(c->reach);
        fprintf(stderr,
                "SEAMFUZZ-LEAKCHECK: proved-hot=%llu proved-full=%llu lsan=%llu "
                "index-dropped=%llu\n",
                (unsigned long long)rs.hot, (unsigned long long)rs.full,
                (unsigned long long)c->lsan_scans, (unsigned long long)rs.compacted);
    }
}

static void sf__check_layouts(sf__ctx *c)
{
    const sf_spec *s = c->spec;
    for (int l = 0; l < s->n_layouts; l++) {
        const sf_layout_desc *ld = &s->layouts[l];
        for (int side = 0; side < 3; side++) {
            sf_layout_fn fn = ld->probe[side];
            if (!fn)
                continue;
            sf_side_push((sf_side)side);
            size_t size = fn(0), align = fn(1), extra = fn(2 + (size_t)ld->n_fields);
            size_t bad_field = SIZE_MAX, got = 0;
            for (size_t k = 0; k < ld->n_fields && bad_field == SIZE_MAX; k++) {
                got = fn(2 + k);
                /* SIZE_MAX: this probe does not report it (size/align form). */
                if (got != SIZE_MAX && got != ld->fields[k].offset)
                    bad_field = k;
            }
            sf_side_pop();
            char msg[256];
            const char *pn = ld->probe_name[side] ? ld->probe_name[side] : "probe";
            if (size != SIZE_MAX && size != ld->size)
                snprintf(msg, sizeof msg, "%s: %s says size %zu, C says %u", ld->name, pn, size,
                         ld->size);
            else if (align != SIZE_MAX && align != ld->align)
                snprintf(msg, sizeof msg, "%s: %s says align %zu, C says %u", ld->name, pn, align,
                         ld->align);
            else if (bad_field != SIZE_MAX)
                snprintf(msg, sizeof msg, "%s.%s: %s says offset %zu, C says %u", ld->name,
                         ld->fields[bad_field].name, pn, got, ld->fields[bad_field].offset);
            else if (extra != SIZE_MAX)
                snprintf(msg, sizeof msg, "%s: %s reports more than the %u fields C knows",
                         ld->name, pn, ld->n_fields);
            else
                continue;
            sf_finding f;
            sf__finding_init(c, &f, SF_V_LAYOUT, -1);
            f.kind = sf_side_name(side);
            f.detail = msg;
            atomic_store(&c->reported, 1);
            sf_diag_abort(&f);
        }
    }
}

static void sf__ctx_free(sf__ctx *c)
{
    if (!c)
        return;
    sf_model_free(c->model);
    sf_side_tracker_free(c->tracker);
    sf_side_tracker_free(c->born);
    sf_reach_free(c->reach);
    sf_profile_free(c->prof);
    free(c->cov_dir);
    sf_covmap_free(c->covmap);
    sf_free(c->slot_id);
    sf_free(c->slot_val);
    sf_free(c->slot_state);
    sf_free(c->slot_holds);
    sf_free(c->slot_ext);
    sf_free(c->op_status);
    sf_free(c);
}

int sf_run_init(const sf_spec *spec, int *argc, char ***argv)
{
    if (sf__g)
        return 0;
    sf_limits lim = sf_limits_default();
    uint32_t model = 1, profile = 0, json = 0, lsan = 1, reexec = 1, max_gc = 1, mutator = 1,
             proof = 1;
    const char *ep = getenv("SEAM_PROFILE");
    if (ep && ep[0] == '1')
        profile = 1;

    /* Keep the original argv for a re-exec before removing our flags. */
    char **orig = NULL;
    if (argc && argv && *argv) {
        orig = sf_calloc(sizeof(char *) * ((size_t)*argc + 1));
        if (orig)
            memcpy(orig, *argv, sizeof(char *) * (size_t)*argc);
        int w = 0;
        for (int r = 0; r < *argc; r++) {
            const char *a = (*argv)[r];
            if (r == 0 || strncmp(a, "-seam_", 6) != 0) {
                (*argv)[w++] = (*argv)[r];
                continue;
            }
            static const char *const names[] = {
                "-seam_max_ops", "-seam_max_live",  "-seam_profile", "-seam_model",
                "-seam_json",    "-seam_lsan",      "-seam_reexec",  "-seam_max_gc",
                "-seam_mutator", "-seam_leak_proof"};
            uint32_t *vals[] = {&lim.max_ops, &lim.max_live, &profile, &model,   &json,
                                &lsan,        &reexec,       &max_gc,  &mutator, &proof};
            int got = 0;
            for (size_t f = 0; f < sizeof names / sizeof names[0] && !got; f++)
                got = sf__flag_u32(a, names[f], vals[f]);
            if (got == 0)
                fprintf(stderr,
                        "seamfuzz: unknown flag %s (known: -seam_max_ops= -seam_max_live= "
                        "-seam_max_gc= -seam_profile= -seam_model= -seam_json= -seam_lsan= "
                        "-seam_reexec= -seam_mutator= -seam_leak_proof=)\n",
                        a);
            if (got != 1) {
                sf_free(orig);
                return SF_EINVAL;
            }
        }
        (*argv)[w] = NULL;
        *argc = w;
    }

    int has_go = 0;
    for (int i = 0; i < spec->n_funcs; i++)
        has_go |= spec->funcs[i].side == SF_SIDE_GO;
    if (has_go && sf__go_env_defaults() && reexec && orig && !getenv("__AFL_SHM_ID") &&
        !getenv("SEAM_REEXECED")) {
        setenv("SEAM_REEXECED", "1", 1);
        fflush(NULL);
        execv("/proc/self/exe", orig);
        fprintf(stderr, "seamfuzz: warning: re-exec for the Go environment failed; Go keeps "
                        "its defaults\n");
    }
    sf_free(orig);

    sf__ctx *c = sf_calloc(sizeof *c);
    if (!c) {
        fprintf(stderr, "seamfuzz: out of memory setting up the runtime\n");
        return SF_ENOMEM;
    }
    c->spec = spec;
    c->lim = lim;
    c->model_on = model != 0;
    c->profile_on = profile != 0;
    c->json = json != 0;
    c->lsan_on = lsan != 0;
    c->max_gc = max_gc;
    c->mutator_on = mutator != 0;
    c->reach = proof ? sf_reach_new() : NULL;
    c->direct_func = -1;
    c->cur_op = -1;
    c->cur_func = -1;
    for (int i = 0; i < spec->n_funcs; i++)
        c->wrongside_on |= (spec->funcs[i].flags & SF_F_INTERCEPT) != 0;
    c->model = sf_model_new(spec);
    c->tracker = sf_side_tracker_new(1u << 16);
    c->born = sf_side_tracker_new(1u << 14);
    if (c->born && sf_side_tracker_keep_log(c->born, 256) != 0) {
        sf_side_tracker_free(c->born);
        c->born = NULL;
    }
    const char *cd = getenv("SEAM_COVERAGE_DIR");
    c->cov_dir = cd && *cd ? strdup(cd) : NULL;
    c->prof = c->profile_on || c->cov_dir ? sf_profile_new(spec) : NULL;
    if (!c->model || !c->tracker || !c->born || ((c->profile_on || c->cov_dir) && !c->prof) ||
        (cd && *cd && !c->cov_dir) || (proof && !c->reach)) {
        fprintf(stderr, "seamfuzz: out of memory setting up the runtime\n");
        sf__ctx_free(c);
        return SF_ENOMEM;
    }
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&c->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    sf__g = c;

    sf__san_install();
    /* __asan_default_options turned LeakSanitizer off for the tracer. */
    if (c->lsan_on && sf__lsan_linked() && sf__traced()) {
        fprintf(stderr, "seamfuzz: warning: running under a tracer (gdb, strace), where "
                        "LeakSanitizer cannot run: leak checks are off\n");
        c->lsan_traced_warned = 1;
    }
    c->covmap = sf_covmap_new();
    if (c->profile_on || c->cov_dir || c->covmap)
        atexit(sf__profile_atexit);
    sf__check_layouts(c);
    return 0;
}

/* ---- structure-aware mutation (libFuzzer) ----------------------------------------- */

size_t sf_run_mutate(const sf_spec *spec, uint8_t *data, size_t size, size_t max_size,
                     unsigned int seed)
{
    sf__ctx *c = sf__g;
    if (!c || !c->mutator_on)
        return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
    return sf_mutate(spec, &c->lim, data, size, max_size, seed, LLVMFuzzerMutate, NULL);
}

size_t sf_run_cross_over(const sf_spec *spec, const uint8_t *data1, size_t size1,
                         const uint8_t *data2, size_t size2, uint8_t *out, size_t max_out,
                         unsigned int seed)
{
    sf__ctx *c = sf__g;
    if (!c || !c->mutator_on)
        return 0;
    return sf_mutate_cross(spec, &c->lim, data1, size1, data2, size2, out, max_out, seed);
}
