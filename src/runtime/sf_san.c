/* sf_san.c - the sanitizer integration: allocator hooks that attribute every
 * block to the side that was running (and track the input's own blocks for
 * the leak check), the ASan/UBSan/death report callbacks that turn a
 * sanitizer report into an SF-190 block, and the sanitizer defaults.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sf_reach.h"
#include "sf_run_int.h"

/* Sanitizer interfaces, weak so that the runtime also links without them. */
extern int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
                                                     void (*f)(const volatile void *))
    __attribute__((weak));
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));
extern void __asan_set_error_report_callback(void (*cb)(const char *)) __attribute__((weak));
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
extern void *__asan_get_report_address(void) __attribute__((weak));
extern const char *__asan_locate_address(void *addr, char *name, size_t name_size,
                                         void **region_address, size_t *region_size)
    __attribute__((weak));
extern void __ubsan_get_current_report_data(const char **kind, const char **msg, const char **file,
                                            unsigned *line, unsigned *col, char **addr)
    __attribute__((weak));

/* ---- sanitizer hooks ------------------------------------------------------------ */

static void sf__malloc_hook(const volatile void *ptr, size_t size)
{
    sf__ctx *c = sf__g;
    if (!c)
        return;
    sf_side_tls *t = sf_side_tls_get();
    if (t->in_hook)
        return;
    t->in_hook = 1;
    sf_side s = sf_side_current();
    t->allocs[s]++;
    if (c->counting) {
        atomic_fetch_add_explicit(&c->mallocs, 1, memory_order_relaxed);
        sf_side_track_alloc(c->born, (const void *)ptr, size, s, c->cur_op);
    }
    if (s != SF_SIDE_C && c->tracker)
        sf_side_track_alloc(c->tracker, (const void *)ptr, size, s, c->cur_op);
    t->in_hook = 0;
}

static void sf__free_hook(const volatile void *ptr)
{
    sf__ctx *c = sf__g;
    if (!c || !ptr)
        return;
    sf_side_tls *t = sf_side_tls_get();
    if (t->in_hook)
        return;
    t->in_hook = 1;
    if (c->counting) {
        atomic_fetch_add_explicit(&c->frees, 1, memory_order_relaxed);
        sf_side_track_free(c->born, (const void *)ptr, NULL);
    }
    if (c->reach)
        sf_reach_forget(c->reach, (const void *)ptr);
    sf_side_block b;
    if (c->tracker && sf_side_track_free(c->tracker, (const void *)ptr, &b)) {
        sf_side now = sf_side_current();
        if (c->in_run) {
            sf__freed *d = &c->freed[atomic_fetch_add(&c->n_freed, 1) % SF__FREED];
            d->p = (uintptr_t)ptr;
            d->size = b.size;
            d->side_alloc = b.side;
            d->side_free = (uint8_t)now;
            d->op_alloc = b.op;
            d->op_free = c->cur_op;
            d->func_free = (int16_t)c->cur_func;
        }
        /* Thread exit frees the thread's own blocks for whichever library
         * made them (t->exiting): not a side freeing another's memory. */
        if (c->wrongside_on && c->in_run && b.side == SF_SIDE_RUST && now != SF_SIDE_RUST &&
            !t->exiting)
            sf__violation(c, SF_V_WRONG_SIDE_FREE, c->cur_func, 0, -1, -1,
                          "%u-byte block allocated while rust was running (op %d) freed "
                          "while %s was running",
                          b.size, (int)b.op, sf_side_name(now));
    }
    t->in_hook = 0;
}

static void sf__sanitizer_block(const char *kind, const char *detail, const int32_t *res,
                                uint32_t n_res)
{
    sf__ctx *c = sf__g;
    if (!c || !c->in_run || atomic_exchange(&c->reported, 1))
        return;
    sf_finding f;
    sf__finding_init(c, &f, SF_V_SANITIZER, c->cur_func);
    f.kind = kind;
    f.detail = detail;
    for (uint32_t k = 0; k < n_res && f.n_res < SF_DIAG_MAX_RES; k++)
        f.res[f.n_res++] = res[k];
    sf_diag_print(&f, stderr);
}

/* The function of op i of the running program ("?" when there is none). */
static const char *sf__op_name(const sf__ctx *c, int32_t i)
{
    const sf_prog *p = c->prog;
    if (!p || i < 0 || (uint32_t)i >= p->n_ops || p->ops[i].func < 0)
        return i >= 0 && p && (uint32_t)i >= p->n_ops ? "(teardown)" : "?";
    return c->spec->funcs[p->ops[i].func].name;
}

_Noreturn void sf__leak_report(sf__ctx *c, const sf_side_block *in, uint32_t n, int proved,
                               uint32_t left, int overflow)
{
    static char detail[512];
    sf_side_block b[8];
    n = n < 8 ? n : 8;
    /* Oldest op first, blocks made outside any op (the runtime's or a
     * library's set-up) last; no allocation. */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = i, key = (uint32_t)in[i].op; /* -1 sorts last */
        for (; j > 0 && (uint32_t)b[j - 1].op > key; j--)
            b[j] = b[j - 1];
        b[j] = in[i];
    }
    size_t at = 0;
    at += (size_t)snprintf(detail, sizeof detail,
                           "LeakSanitizer found a leak; %lu allocations, %lu frees during the "
                           "input, %u%s of its blocks still live",
                           (unsigned long)atomic_load(&c->mallocs),
                           (unsigned long)atomic_load(&c->frees), left, overflow ? "+" : "");
    for (uint32_t i = 0; i < n && i < 3 && at < sizeof detail; i++) {
        char when[96] = "outside any op";
        if (b[i].op >= 0)
            snprintf(when, sizeof when, "during op %d %s", (int)b[i].op, sf__op_name(c, b[i].op));
        at += (size_t)snprintf(detail + at, sizeof detail - at, "%s%u-byte block %s allocated %s",
                               i        ? ", "
                               : proved ? "; not proven reachable from globals: "
                                        : "; still live: ",
                               b[i].size, sf_side_name((sf_side)b[i].side), when);
    }
    if (n > 3 && at < sizeof detail)
        snprintf(detail + at, sizeof detail - at, " and %u more", n - 3);
    /* The op that allocated the oldest unproven block: without the proof
     * any live block may be global state, so none is named. */
    int32_t op = n && proved ? b[0].op : -1;
    const sf_prog *p = c->prog;
    int func = p && op >= 0 && (uint32_t)op < p->n_ops ? p->ops[op].func : -1;
    sf_finding f;
    atomic_store(&c->reported, 1);
    sf__finding_init(c, &f, SF_V_LEAK_LSAN, func);
    f.detail = detail;
    /* The resources that op made: what the leaked block most likely was. */
    uint32_t nr = c->model_on && op >= 0 ? sf_model_count(c->model) : 0;
    for (uint32_t id = 0; id < nr && f.n_res < SF_DIAG_MAX_RES; id++)
        if (sf_model_get(c->model, (int32_t)id)->creator_op == op)
            f.res[f.n_res++] = (int32_t)id;
    sf_diag_abort(&f);
}

/* What the faulting address of an ASan report was, in the program's terms:
 * the resources whose memory holds it (their ids into res, at most max) and
 * a one-line account into buf (the block, the offset, and which resource or
 * argument block of which op it is).  Returns how many resources. */
static uint32_t sf__asan_where(sf__ctx *c, const char *kind, char *buf, size_t n, int32_t *res,
                               uint32_t max)
{
    void *addr = __asan_get_report_address ? __asan_get_report_address() : NULL;
    void *base = NULL;
    size_t size = 0;
    char name[64] = "";
    const char *region = addr && __asan_locate_address
                             ? __asan_locate_address(addr, name, sizeof name, &base, &size)
                             : NULL;
    if (!addr || !region || !base) {
        snprintf(buf, n, "%s; the sanitizer report above has the stacks", kind);
        return 0;
    }
    size_t off = (size_t)((uintptr_t)addr - (uintptr_t)base);
    uint32_t got = c->model_on ? sf_model_in_block(c->model, (uintptr_t)base, size, res, max) : 0;
    if (got) {
        const sf_mres *r = sf_model_get(c->model, res[0]);
        snprintf(buf, n, "%s at +%zu of the %zu-byte %s block of %c%d (%s, %s)", kind, off, size,
                 region, r->slot >= 0 ? 'r' : 'n', r->slot >= 0 ? (int)r->slot : (int)res[0],
                 c->spec->res[r->type].name, sf_rstate_name(r->state));
        return got;
    }
    /* A block of a library's own (a resource's buffer, a cache entry). */
    uint32_t nf = atomic_load(&c->n_freed);
    for (uint32_t k = nf; k-- > 0 && k + SF__FREED >= nf;) {
        const sf__freed *d = &c->freed[k % SF__FREED];
        if (d->p != (uintptr_t)base)
            continue;
        snprintf(buf, n,
                 "%s at +%zu of a %zu-byte block %s allocated during op %d %s and %s freed "
                 "during op %d %s",
                 kind, off, size, sf_side_name(d->side_alloc), (int)d->op_alloc,
                 sf__op_name(c, d->op_alloc), sf_side_name(d->side_free), (int)d->op_free,
                 d->func_free >= 0 ? c->spec->funcs[d->func_free].name : "?");
        return 0;
    }
    sf_side_block lb;
    if (c->tracker && sf_side_tracker_get(c->tracker, (uintptr_t)base, &lb)) {
        snprintf(buf, n, "%s at +%zu of a %zu-byte block %s allocated during op %d %s", kind, off,
                 size, sf_side_name(lb.side), (int)lb.op, sf__op_name(c, lb.op));
        return 0;
    }
    for (uint32_t k = c->n_argblks; k-- > 0 && k + SF__ARGBLKS >= c->n_argblks;) {
        const sf__argblk *b = &c->argblks[k % SF__ARGBLKS];
        if (b->p != (uintptr_t)base)
            continue;
        const sf_func_desc *fd = &c->spec->funcs[b->func];
        snprintf(buf, n,
                 "%s at +%zu of the %zu-byte block of argument %s of op %d %s (the harness's: "
                 "%s)",
                 kind, off, size, fd->params[b->param].name, (int)b->op, fd->name,
                 b->freed ? "freed when that call returned; the callee may not keep it"
                          : "lent for the call");
        return 0;
    }
    snprintf(buf, n, "%s at +%zu of a %zu-byte %s block no resource or argument of this input owns",
             kind, off, size, region);
    return 0;
}

static void sf__asan_report(const char *text)
{
    static char kind[96];
    const char *k = strstr(text, "ERROR: AddressSanitizer: ");
    size_t n = 0;
    if (k) {
        k += strlen("ERROR: AddressSanitizer: ");
        while (k[n] && k[n] != ' ' && k[n] != '\n' && n + 1 < sizeof kind)
            n++;
        memcpy(kind, k, n);
    } else {
        memcpy(kind, "address", 8);
        n = 7;
    }
    kind[n] = 0;
    static char detail[384];
    int32_t res[2];
    sf__ctx *c = sf__g;
    uint32_t nr = c ? sf__asan_where(c, kind, detail, sizeof detail, res, 2) : 0;
    sf__sanitizer_block(kind, c ? detail : kind, res, nr);
}

static void sf__on_death(void)
{
    sf__sanitizer_block("sanitizer", "a sanitizer ended the process (report above)", NULL, 0);
}

/* UBSan calls this (a weak no-op in its runtime) for every report it makes. */
void __ubsan_on_report(void);
void __ubsan_on_report(void)
{
    static char kind[128];
    const char *ik = NULL, *msg = NULL, *file = NULL;
    unsigned line = 0, col = 0;
    char *addr = NULL;
    if (__ubsan_get_current_report_data)
        __ubsan_get_current_report_data(&ik, &msg, &file, &line, &col, &addr);
    snprintf(kind, sizeof kind, "undefined-behavior:%s", ik ? ik : "?");
    /* The resources of the call that was running. */
    int32_t res[SF_MAX_PARAMS];
    uint32_t nr = 0;
    sf__ctx *c = sf__g;
    for (int j = 0; c && c->model_on && c->in_run && j < SF_MAX_PARAMS; j++)
        if (c->cur_rid[j] >= 0)
            res[nr++] = c->cur_rid[j];
    sf__sanitizer_block(kind, msg, res, nr);
}

/* The TracerPid of /proc/self/status, through raw system calls and without
 * instrumentation: this runs inside the sanitizer's start-up, before its
 * shadow memory and interceptors exist.  0 when not traced or unknown. */
__attribute__((no_sanitize("address", "undefined"))) static long sf__tracer_pid(void)
{
    char buf[2048];
    long fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    long n = syscall(SYS_read, fd, buf, sizeof buf - 1);
    syscall(SYS_close, fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    /* No strstr: the sanitizer's interceptors are not set up yet. */
    static const char key[] = "TracerPid:";
    for (long i = 0; i + (long)sizeof key - 1 <= n; i++) {
        long k = 0;
        while (key[k] && buf[i + k] == key[k])
            k++;
        if (key[k])
            continue;
        const char *t = buf + i + k;
        long pid = 0;
        while (*t == ' ' || *t == '\t')
            t++;
        for (; *t >= '0' && *t <= '9'; t++)
            pid = pid * 10 + (*t - '0');
        return pid;
    }
    return 0;
}

__attribute__((no_sanitize("address", "undefined"))) int sf__traced(void)
{
    return sf__tracer_pid() != 0;
}

/* Sanitizer defaults.  The runtimes call these before reading *SAN_OPTIONS,
 * so whatever the user sets there wins over every key here.  Under a tracer
 * (started by gdb or strace) LeakSanitizer cannot stop the world and dies,
 * which would turn any input into a false fatal signal (SF-191): its checks
 * are then off from the start, libFuzzer's and the one at exit included. */
const char *__asan_default_options(void);
__attribute__((no_sanitize("address", "undefined"))) const char *__asan_default_options(void)
{
    if (sf__traced())
        return "abort_on_error=1:allow_user_segv_handler=1:detect_leaks=0:print_summary=1";
    return "abort_on_error=1:allow_user_segv_handler=1:detect_leaks=1:print_summary=1";
}
const char *__ubsan_default_options(void);
/* silence_unsigned_overflow: OSS-Fuzz's undefined builds check unsigned
 * wrap-around, which is defined behaviour (hashes and counters rely on it);
 * its runner silences those reports, and so does every other run, or the
 * first wrap in any C code, seamfuzz's decoder included, would be a finding. */
const char *__ubsan_default_options(void)
{
    return "abort_on_error=1:halt_on_error=1:print_stacktrace=1:silence_unsigned_overflow=1";
}

void sf__san_install(void)
{
    if (__sanitizer_install_malloc_and_free_hooks)
        __sanitizer_install_malloc_and_free_hooks(sf__malloc_hook, sf__free_hook);
    if (__asan_set_error_report_callback)
        __asan_set_error_report_callback(sf__asan_report);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(sf__on_death);
}

int sf__lsan_linked(void)
{
    return __lsan_do_recoverable_leak_check != NULL;
}

int sf__lsan_check(sf__ctx *c)
{
    if (!__lsan_do_recoverable_leak_check)
        return 0;
    /* A tracer attached since start-up (gdb -p): LeakSanitizer would die,
     * and the input be reported as a fatal signal it did not cause.  Read
     * at each check, since a debugger may attach at any time. */
    if (sf__traced()) {
        if (!c->lsan_traced_warned)
            fprintf(stderr, "seamfuzz: warning: running under a tracer (gdb, strace), where "
                            "LeakSanitizer cannot run: leak checks are off\n");
        c->lsan_traced_warned = 1;
        c->lsan_traced_skips++;
        return 0;
    }
    return __lsan_do_recoverable_leak_check();
}
