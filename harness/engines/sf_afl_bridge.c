/* sf_afl_bridge.c - AFL++ engine glue: makes Go's coverage visible to AFL++
 * and starts the forkserver before the Go runtime starts its threads.
 *
 * Go's -d=libfuzzer instrumentation keeps 8-bit counters in Go's own data and
 * registers them through __sanitizer_cov_8bit_counters_init when the Go
 * runtime initialises.  AFL++ 4.04c does not implement that hook (ASan's weak
 * no-op would swallow the counters), and the Go runtime initialises after the
 * forkserver has told afl-fuzz the map size.  So, before the forkserver
 * starts, we reserve SEAM_AFL_GO_EDGES (default 4096) AFL edge ids by handing
 * AFL an array of guards; the hook below records Go's counter ranges; after
 * every input the counters are folded into AFL's map at those ids and
 * cleared.  Counter i maps to id slot i mod the reservation.
 *
 * Globals here are forced by the engine and the linker (hooks called without
 * a context); they are written only during start-up and in the hook.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern uint8_t *__afl_area_ptr;
void __afl_manual_init(void);
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop);

#define SF_AFL_MAX_RANGES 8

static uint32_t *sf_guards; /* reserved AFL edge ids */
static size_t sf_n_guards;
static struct {
    uint8_t *start;
    size_t len;
} sf_ranges[SF_AFL_MAX_RANGES];
static size_t sf_n_ranges, sf_n_counters;

/* Debug lines go to stderr, or to the file SEAM_AFL_DEBUG names when it
 * contains a '/' (afl-fuzz and afl-showmap discard the target's stderr). */
static void sf_afl_debug(const char *fmt, ...)
{
    const char *dst = getenv("SEAM_AFL_DEBUG");
    if (!dst)
        return;
    FILE *f = strchr(dst, '/') ? fopen(dst, "a") : stderr;
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    if (f != stderr)
        fclose(f);
}

extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Value of the last "name=" in the sanitizer option string opts, or -1. */
static long sf_afl_opt(const char *opts, const char *name)
{
    long v = -1;
    size_t n = strlen(name);
    for (const char *p = opts; p && (p = strstr(p, name)) != NULL; p += n)
        if ((p == opts || p[-1] == ':' || p[-1] == ' ' || p[-1] == ',') && p[n] == '=')
            v = strtol(p + n + 1, NULL, 10);
    return v;
}

/* afl-fuzz sets UBSAN_OPTIONS=...:malloc_context_size=0 when it is unset.  In
 * a binary with ASan, UBSan and LSan that value wins over ASAN_OPTIONS, and
 * LeakSanitizer then reports no leak at all (SF-122 could never fire).  The
 * sanitizers read their options before any constructor, so the fix is one
 * re-exec with a usable value, before the forkserver starts. */
static void sf_afl_fix_leak_options(char **argv)
{
    const char *ub = getenv("UBSAN_OPTIONS");
    long ub_size = sf_afl_opt(ub, "malloc_context_size");
    if (!__lsan_do_recoverable_leak_check || !argv || !getenv("__AFL_SHM_ID") || ub_size < 0 ||
        ub_size >= 2 || getenv("SEAM_AFL_REEXECED") ||
        sf_afl_opt(getenv("ASAN_OPTIONS"), "detect_leaks") == 0)
        return;
    long keep = sf_afl_opt(getenv("ASAN_OPTIONS"), "malloc_context_size");
    char buf[4096];
    int n = snprintf(buf, sizeof buf, "%s:malloc_context_size=%ld", ub, keep >= 2 ? keep : 30);
    if (n < 0 || (size_t)n >= sizeof buf)
        return;
    setenv("UBSAN_OPTIONS", buf, 1);
    setenv("SEAM_AFL_REEXECED", "1", 1);
    sf_afl_debug("seamfuzz-afl: re-exec with UBSAN_OPTIONS=%s (LeakSanitizer needs stacks)\n", buf);
    execv("/proc/self/exe", argv);
    fprintf(stderr,
            "seamfuzz: warning: UBSAN_OPTIONS has malloc_context_size < 2, which hides "
            "every leak report, and the re-exec to fix it failed; export "
            "UBSAN_OPTIONS=%s\n",
            buf);
}

/* Runs before the Go archive's initialiser (default priority) and after the
 * sancov module constructors of C and Rust, so that every forked child starts
 * its own Go runtime (NOTES-toolchain: the forkserver vs Go's threads).
 * glibc passes constructors main's argc and argv. */
__attribute__((constructor(101))) static void sf_afl_early_init(int argc, char **argv)
{
    if (argc > 0)
        sf_afl_fix_leak_options(argv);
    const char *env = getenv("SEAM_AFL_GO_EDGES");
    long n = env ? strtol(env, NULL, 10) : 4096;
    if (n < 1 || n > (1L << 20))
        n = 4096;
    sf_guards = calloc((size_t)n, sizeof *sf_guards);
    if (sf_guards) {
        sf_n_guards = (size_t)n;
        __sanitizer_cov_trace_pc_guard_init(sf_guards, sf_guards + sf_n_guards);
    }
    __afl_manual_init();
}

/* Go registers its counters here (in the child, after the fork). */
void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *stop)
{
    if (stop <= start || sf_n_ranges == SF_AFL_MAX_RANGES)
        return;
    sf_ranges[sf_n_ranges].start = start;
    sf_ranges[sf_n_ranges].len = (size_t)(stop - start);
    sf_n_ranges++;
    sf_n_counters += (size_t)(stop - start);
    sf_afl_debug("seamfuzz-afl: go counters: %zu, edge ids %u..%u\n", sf_n_counters,
                 sf_n_guards ? sf_guards[0] : 0, sf_n_guards ? sf_guards[sf_n_guards - 1] : 0);
    if (sf_n_counters > sf_n_guards)
        fprintf(stderr,
                "seamfuzz-afl: warning: %zu Go counters share %zu reserved AFL edges; "
                "set SEAM_AFL_GO_EDGES=%zu for one edge each\n",
                sf_n_counters, sf_n_guards, sf_n_counters);
}

int __real_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The driver's calls reach the harness through here (-Wl,--wrap). */
int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t r = 0; r < sf_n_ranges; r++)
        memset(sf_ranges[r].start, 0, sf_ranges[r].len);
    int rc = __real_LLVMFuzzerTestOneInput(data, size);
    if (!sf_n_guards)
        return rc;
    uint8_t *map = __afl_area_ptr;
    size_t k = 0, hit = 0;
    for (size_t r = 0; r < sf_n_ranges; r++) {
        const uint8_t *c = sf_ranges[r].start;
        for (size_t i = 0; i < sf_ranges[r].len; i++, k++) {
            if (c[i]) {
                hit++;
                uint8_t *cell = &map[sf_guards[k % sf_n_guards]];
                unsigned sum = (unsigned)*cell + c[i];
                *cell = (uint8_t)(sum > 255 ? 255 : sum);
            }
        }
    }
    sf_afl_debug("seamfuzz-afl: input of %zu bytes hit %zu Go counters\n", size, hit);
    return rc;
}
