/* toy_main.c - runs one text-form program against the toy boundary:
 *     toy_<variant> [-seam_flags...] 'r0 = tbuf_new(8)\ntbuf_free(r0)'
 * The text is parsed, encoded to bytes and run through sf_run_one exactly as
 * a fuzzer input would be.  Prints TOY-OK when the program ran clean; a
 * violation aborts before that.  TOY_FIRST=<program text> runs that program
 * once before (a warm-up: the runtime's arrays grow on the first input).
 *
 * TOY_THREAD_CHURN=1 starts and joins threads on a second thread for as long
 * as the inputs run, as the Go runtime starts threads at any time, and prints
 * TOY-THREADS <starts through the sf_thread wrapper>.  With TOY_THREAD_MIN=N
 * the inputs go on past REPEAT until N threads have started (at most 100
 * times REPEAT inputs), so a slow or loaded machine still overlaps as many
 * thread set-ups with the per-input checks as a fast one. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_prog.h"
#include "sf_run.h"
#include "sf_thread.h"
#include "toy.h"

static atomic_int churn_stop;

static void *churn_nop(void *arg)
{
    return arg;
}

/* Starts and joins threads until churn_stop is set. */
static void *churn(void *arg)
{
    while (!atomic_load(&churn_stop)) {
        pthread_t t;
        if (pthread_create(&t, NULL, churn_nop, NULL) == 0)
            pthread_join(t, NULL);
    }
    return arg;
}

/* Parses text and encodes it to *bytes (sf_free) and *n; exits 2 if it
 * cannot. */
static void encode_text(const char *text, uint8_t **bytes, size_t *n)
{
    sf_limits lim = sf_limits_default();
    sf_prog *p = NULL;
    char err[256] = "";
    if (sf_prog_parse(&toy_spec, &lim, text, strlen(text), &p, err, sizeof err) != 0) {
        fprintf(stderr, "toy: cannot parse program: %s\n", err);
        exit(2);
    }
    if (sf_prog_encode(p, bytes, n) != 0) {
        fprintf(stderr, "toy: cannot encode program\n");
        exit(2);
    }
    sf_prog_free(p);
}

/* Runs bytes[0..n) once, from an exact-size copy as the engines pass it. */
static void run_input(const uint8_t *bytes, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    memcpy(copy, bytes, n);
    sf_run_one(&toy_spec, copy, n);
    free(copy);
}

int main(int argc, char **argv)
{
    if (sf_run_init(&toy_spec, &argc, &argv) != 0)
        return 1;
    if (getenv("TOY_PRINT_ENV")) {
        const char *names[] = {"GOTRACEBACK", "GODEBUG", "GOGC"};
        for (int i = 0; i < 3; i++)
            printf("ENV %s=%s\n", names[i], getenv(names[i]) ? getenv(names[i]) : "(unset)");
    }
    if (argc < 2) {
        fprintf(stderr, "usage: %s [-seam_...] PROGRAM-TEXT [REPEAT]\n", argv[0]);
        return 2;
    }
    uint8_t *bytes = NULL;
    size_t n = 0;
    if (getenv("TOY_FIRST")) {
        encode_text(getenv("TOY_FIRST"), &bytes, &n);
        run_input(bytes, n);
        sf_free(bytes);
    }
    encode_text(argv[1], &bytes, &n);
    int repeat = argc > 2 ? atoi(argv[2]) : 1;
    pthread_t churner;
    int churning = getenv("TOY_THREAD_CHURN") && pthread_create(&churner, NULL, churn, NULL) == 0;
    unsigned long long min_starts = 0;
    if (churning && getenv("TOY_THREAD_MIN"))
        min_starts = strtoull(getenv("TOY_THREAD_MIN"), NULL, 10);
    for (long i = 0; i < repeat || (sf_thread_starts() < min_starts && i < 100L * repeat); i++) {
        run_input(bytes, n);
    }
    sf_free(bytes);
    if (churning) {
        atomic_store(&churn_stop, 1);
        pthread_join(churner, NULL);
        printf("TOY-THREADS %llu\n", (unsigned long long)sf_thread_starts());
    }
    printf("TOY-OK\n");
    return 0;
}
