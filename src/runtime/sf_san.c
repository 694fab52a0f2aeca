/* sf_san.c - the sanitizer integration: allocator hooks that attribute every
 * block to the side that was running (and track the input's own blocks for
 * the leak check), the ASan/UBSan/death report callbacks that turn a
 * sanitizer report into an SF-190 block, and the sanitizer defaults.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "sf_reach.h"
#include "sf_run_int.h"

/* Sanitizer interfaces, weak so that the runtime also links without them. */
extern int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
                                                     void (*f)(const volatile void *))
    __attribute__((weak));
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));
extern void __asan_set_error_report_callback(void (*cb)(const char *)) __attribute__((weak));
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
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
        if (c->wrongside_on && c->in_run && b.side == SF_SIDE_RUST && now != SF_SIDE_RUST)
            sf__violation(c, SF_V_WRONG_SIDE_FREE, c->cur_func, 0, -1, -1,
                          "%u-byte block allocated while rust was running (op %d) freed "
                          "while %s was running",
                          b.size, (int)b.op, sf_side_name(now));
    }
    t->in_hook = 0;
}

static void sf__sanitizer_block(const char *kind, const char *detail)
{
    sf__ctx *c = sf__g;
    if (!c || !c->in_run || atomic_exchange(&c->reported, 1))
        return;
    sf_finding f;
    sf__finding_init(c, &f, SF_V_SANITIZER, c->cur_func);
    f.kind = kind;
    f.detail = detail;
    sf_diag_print(&f, stderr);
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
    sf__sanitizer_block(kind, "see the sanitizer report above");
}

static void sf__on_death(void)
{
    sf__sanitizer_block("sanitizer", "a sanitizer ended the process (report above)");
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
    sf__sanitizer_block(kind, msg);
}

/* Sanitizer defaults.  The runtimes call these before reading *SAN_OPTIONS,
 * so whatever the user sets there wins over every key here. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "abort_on_error=1:allow_user_segv_handler=1:detect_leaks=1:print_summary=1";
}
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "abort_on_error=1:halt_on_error=1:print_stacktrace=1";
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

int sf__lsan_check(void)
{
    return __lsan_do_recoverable_leak_check ? __lsan_do_recoverable_leak_check() : 0;
}
