/* sf_test.h - the one test runner of seamfuzz: test registration, loud asserts
 * that print both operands and are never compiled out, and a fork helper for
 * fatal paths.  Include it in exactly one .c file per test executable and end
 * that file with SF_TEST_MAIN().
 *
 *   SF_TEST(decode_empty) { SF_ASSERT_EQ_INT(f(), 0); }
 *   SF_TEST_MAIN()
 *
 * The executable runs every test (or those whose name contains argv[1]),
 * prints "ok   name" or "FAIL name" per test and ends with the line
 * "N passed, N failed"; it exits 1 when any test failed.
 */
#ifndef SF_TEST_H
#define SF_TEST_H

/* fork, pipe, open_memstream: include this header before any other. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SF_TEST_MAX 1024
/* Exit code of a child whose assert failed (see sf_test_run_child). */
#define SF_TEST_CHILD_FAILED 99

typedef void (*sf_test_fn)(void);

/* The registry and the state of the running test: static, so each test
 * executable (one translation unit) has its own. */
static struct {
    const char *name;
    sf_test_fn fn;
} sf__tests[SF_TEST_MAX] __attribute__((unused));
static int sf__n_tests __attribute__((unused));
static jmp_buf sf__test_jmp __attribute__((unused));
static int sf__in_child __attribute__((unused));
static sf_test_fn sf__test_after __attribute__((unused));
static sf_test_fn sf__test_before __attribute__((unused));

static inline void sf__test_register(const char *name, sf_test_fn fn)
{
    if (sf__n_tests >= SF_TEST_MAX) {
        fprintf(stderr, "sf_test: more than %d tests\n", SF_TEST_MAX);
        abort();
    }
    sf__tests[sf__n_tests].name = name;
    sf__tests[sf__n_tests].fn = fn;
    sf__n_tests++;
}

/* Defines and registers test `name` (run in definition order). */
#define SF_TEST(name)                                                                              \
    static void sf__test_##name(void);                                                             \
    __attribute__((constructor)) static void sf__test_reg_##name(void)                             \
    {                                                                                              \
        sf__test_register(#name, sf__test_##name);                                                 \
    }                                                                                              \
    static void sf__test_##name(void)

/* Runs fn after every test (inside the test, so its asserts count): the place
 * to check that a model or registry is empty again.  NULL removes it. */
static inline void sf_test_after_each(sf_test_fn fn)
{
    sf__test_after = fn;
}

/* A fixture for every test of the file: before() runs ahead of each test and
 * after() behind it, both inside the test, so every test runs alone and in
 * any order with a state of its own (ctest runs the whole file; a name
 * argument runs the tests whose names contain it, "=name" that test alone,
 * as tests/arch/run_alone.sh does for every test). */
#define SF_TEST_FIXTURE(before, after)                                                             \
    __attribute__((constructor)) static void sf__test_fixture(void)                                \
    {                                                                                              \
        sf__test_before = (before);                                                                \
        sf__test_after = (after);                                                                  \
    }

/* Reports a failed assert at file:line and leaves the current test. */
__attribute__((format(printf, 3, 4), noreturn)) static inline void
sf__test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "  %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    if (sf__in_child)
        _exit(SF_TEST_CHILD_FAILED);
    longjmp(sf__test_jmp, 1);
}

static inline void sf__test_hex(char *out, size_t outlen, const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && o + 4 < outlen; i++)
        o += (size_t)snprintf(out + o, outlen - o, "%02x", b[i]);
    if (n && o + 4 >= outlen)
        snprintf(out + outlen - 4, 4, "...");
}

#define SF_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            sf__test_fail(__FILE__, __LINE__, "SF_ASSERT(%s) failed", #cond);                      \
    } while (0)

#define SF__ASSERT_CMP_INT(a, op, b, name)                                                         \
    do {                                                                                           \
        long long sf__a = (long long)(a), sf__b = (long long)(b);                                  \
        if (!(sf__a op sf__b))                                                                     \
            sf__test_fail(__FILE__, __LINE__, name "(%s, %s) failed: %lld vs %lld", #a, #b, sf__a, \
                          sf__b);                                                                  \
    } while (0)

/* a op b for any comparison op, as signed / unsigned integers. */
#define SF_ASSERT_CMP_INT(a, op, b) SF__ASSERT_CMP_INT(a, op, b, "SF_ASSERT_CMP_INT " #op)
#define SF_ASSERT_CMP_UINT(a, op, b)                                                               \
    do {                                                                                           \
        unsigned long long sf__a = (unsigned long long)(a), sf__b = (unsigned long long)(b);       \
        if (!(sf__a op sf__b))                                                                     \
            sf__test_fail(__FILE__, __LINE__,                                                      \
                          "SF_ASSERT_CMP_UINT(%s " #op " %s) failed: %llu (0x%llx) vs %llu "       \
                          "(0x%llx)",                                                              \
                          #a, #b, sf__a, sf__a, sf__b, sf__b);                                     \
    } while (0)
#define SF_ASSERT_EQ_INT(a, b) SF__ASSERT_CMP_INT(a, ==, b, "SF_ASSERT_EQ_INT")
#define SF_ASSERT_NE_INT(a, b) SF__ASSERT_CMP_INT(a, !=, b, "SF_ASSERT_NE_INT")
#define SF_ASSERT_LT_INT(a, b) SF__ASSERT_CMP_INT(a, <, b, "SF_ASSERT_LT_INT")
#define SF_ASSERT_LE_INT(a, b) SF__ASSERT_CMP_INT(a, <=, b, "SF_ASSERT_LE_INT")
#define SF_ASSERT_GT_INT(a, b) SF__ASSERT_CMP_INT(a, >, b, "SF_ASSERT_GT_INT")
#define SF_ASSERT_GE_INT(a, b) SF__ASSERT_CMP_INT(a, >=, b, "SF_ASSERT_GE_INT")

#define SF_ASSERT_EQ_UINT(a, b)                                                                    \
    do {                                                                                           \
        unsigned long long sf__a = (unsigned long long)(a), sf__b = (unsigned long long)(b);       \
        if (sf__a != sf__b)                                                                        \
            sf__test_fail(__FILE__, __LINE__,                                                      \
                          "SF_ASSERT_EQ_UINT(%s, %s) failed: %llu (0x%llx) vs %llu (0x%llx)", #a,  \
                          #b, sf__a, sf__a, sf__b, sf__b);                                         \
    } while (0)

#define SF_ASSERT_EQ_PTR(a, b)                                                                     \
    do {                                                                                           \
        const void *sf__a = (a), *sf__b = (b);                                                     \
        if (sf__a != sf__b)                                                                        \
            sf__test_fail(__FILE__, __LINE__, "SF_ASSERT_EQ_PTR(%s, %s) failed: %p vs %p", #a, #b, \
                          sf__a, sf__b);                                                           \
    } while (0)

#define SF_ASSERT_NULL(a) SF_ASSERT_EQ_PTR(a, NULL)
#define SF_ASSERT_NOT_NULL(a)                                                                      \
    do {                                                                                           \
        if ((a) == NULL)                                                                           \
            sf__test_fail(__FILE__, __LINE__, "SF_ASSERT_NOT_NULL(%s) failed", #a);                \
    } while (0)

/* NULL-safe; prints both strings quoted. */
#define SF_ASSERT_EQ_STR(a, b)                                                                     \
    do {                                                                                           \
        const char *sf__a = (a), *sf__b = (b);                                                     \
        if (!(sf__a == sf__b || (sf__a && sf__b && strcmp(sf__a, sf__b) == 0)))                    \
            sf__test_fail(__FILE__, __LINE__,                                                      \
                          "SF_ASSERT_EQ_STR(%s, %s) failed:\n    \"%s\"\n vs \"%s\"", #a, #b,      \
                          sf__a ? sf__a : "(null)", sf__b ? sf__b : "(null)");                     \
    } while (0)

/* Passes when haystack contains needle. */
#define SF_ASSERT_STR_CONTAINS(hay, needle)                                                        \
    do {                                                                                           \
        const char *sf__h = (hay), *sf__n = (needle);                                              \
        if (!sf__h || !sf__n || !strstr(sf__h, sf__n))                                             \
            sf__test_fail(__FILE__, __LINE__,                                                      \
                          "SF_ASSERT_STR_CONTAINS(%s, %s) failed:\n    \"%s\"\n lacks \"%s\"",     \
                          #hay, #needle, sf__h ? sf__h : "(null)", sf__n ? sf__n : "(null)");      \
    } while (0)

/* Compares n bytes; prints both in hex (truncated) and the first difference. */
#define SF_ASSERT_EQ_MEM(a, b, n)                                                                  \
    do {                                                                                           \
        const unsigned char *sf__a = (const void *)(a), *sf__b = (const void *)(b);                \
        size_t sf__n = (n);                                                                        \
        if (sf__n && memcmp(sf__a, sf__b, sf__n) != 0) {                                           \
            char sf__ha[100], sf__hb[100];                                                         \
            size_t sf__i = 0;                                                                      \
            while (sf__a[sf__i] == sf__b[sf__i])                                                   \
                sf__i++;                                                                           \
            sf__test_hex(sf__ha, sizeof sf__ha, sf__a, sf__n);                                     \
            sf__test_hex(sf__hb, sizeof sf__hb, sf__b, sf__n);                                     \
            sf__test_fail(__FILE__, __LINE__,                                                      \
                          "SF_ASSERT_EQ_MEM(%s, %s, %zu) failed at byte %zu:\n    %s\n vs %s", #a, \
                          #b, sf__n, sf__i, sf__ha, sf__hb);                                       \
        }                                                                                          \
    } while (0)

/* Runs fn(arg) in a forked child with stdout and stderr captured into out
 * (the caller's buffer of outlen bytes, always NUL-terminated, truncated).
 * Returns the child's wait status; an assert failing in the child makes it
 * exit with SF_TEST_CHILD_FAILED.  Use it for paths that abort(). */
static inline int sf_test_run_child(void (*fn)(void *), void *arg, char *out, size_t outlen)
{
    int fds[2], status = 0;
    size_t got = 0;
    fflush(NULL);
    if (pipe(fds) != 0) {
        perror("sf_test: pipe");
        abort();
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("sf_test: fork");
        abort();
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[1]);
        sf__in_child = 1;
        fn(arg);
        fflush(NULL);
        _exit(0);
    }
    close(fds[1]);
    for (;;) {
        char tmp[512];
        ssize_t r = read(fds[0], tmp, sizeof tmp);
        if (r <= 0)
            break;
        for (ssize_t i = 0; i < r; i++)
            if (out && got + 1 < outlen)
                out[got++] = tmp[i];
    }
    if (out && outlen)
        out[got] = 0;
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0)
        ;
    return status;
}

/* Asserts that a status from sf_test_run_child is death by SIGABRT. */
#define SF_ASSERT_CHILD_ABORTED(status)                                                            \
    do {                                                                                           \
        int sf__s = (status);                                                                      \
        if (!WIFSIGNALED(sf__s) || WTERMSIG(sf__s) != SIGABRT)                                     \
            sf__test_fail(__FILE__, __LINE__,                                                      \
                          "SF_ASSERT_CHILD_ABORTED(%s) failed: exited %d, signal %d", #status,     \
                          WIFEXITED(sf__s) ? WEXITSTATUS(sf__s) : -1,                              \
                          WIFSIGNALED(sf__s) ? WTERMSIG(sf__s) : 0);                               \
    } while (0)

/* Asserts that a status from sf_test_run_child is a normal exit with code. */
#define SF_ASSERT_CHILD_EXITED(status, code)                                                       \
    do {                                                                                           \
        int sf__s = (status);                                                                      \
        if (!WIFEXITED(sf__s) || WEXITSTATUS(sf__s) != (code))                                     \
            sf__test_fail(__FILE__, __LINE__,                                                      \
                          "SF_ASSERT_CHILD_EXITED(%s, %s) failed: exited %d, signal %d", #status,  \
                          #code, WIFEXITED(sf__s) ? WEXITSTATUS(sf__s) : -1,                       \
                          WIFSIGNALED(sf__s) ? WTERMSIG(sf__s) : 0);                               \
    } while (0)

static int sf__test_passed __attribute__((unused));
static int sf__test_failed __attribute__((unused));

static inline int sf__test_main(int argc, char **argv)
{
    for (int i = 0; i < sf__n_tests; i++) {
        /* "NAME" runs the tests whose names contain it, "=NAME" that one. */
        if (argc > 1 && (argv[1][0] == '=' ? strcmp(sf__tests[i].name, argv[1] + 1) != 0
                                           : !strstr(sf__tests[i].name, argv[1])))
            continue;
        if (setjmp(sf__test_jmp) == 0) {
            if (sf__test_before)
                sf__test_before();
            sf__tests[i].fn();
            if (sf__test_after)
                sf__test_after();
            sf__test_passed++;
            printf("ok   %s\n", sf__tests[i].name);
        } else {
            sf__test_failed++;
            printf("FAIL %s\n", sf__tests[i].name);
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", sf__test_passed, sf__test_failed);
    return sf__test_failed ? 1 : 0;
}

/* Defines main(): runs the registered tests. */
#define SF_TEST_MAIN()                                                                             \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        return sf__test_main(argc, argv);                                                          \
    }

#endif /* SF_TEST_H */
