/* bench_model.c - per-op cost of the shadow model with 10, 1,000 and 10,000
 * live resources (not a ctest; bench/runtime.sh runs it).  One "op" is what
 * the executor (sf_contract.c) does for a typical call that destroys one resource
 * and creates another: find the argument's record, check its state, record a
 * touch, mark it freed; look the new value up (a live record with the same
 * value is a violation), add its record.  The argument is found two ways:
 * "by id" as for harness calls, whose slots carry their model ids, and "by
 * value" as for nested Go -> Rust calls, which the shims see as raw values.
 *
 * A third block per size runs the same loop without the model (pick the
 * slot, read its value and id, store new ones): its cost is the benchmark's
 * own, not the model's.  It stays flat (3.7-3.8 ns from 10 to 10,000 live),
 * so the growth of the other columns is the model's.  "net" columns subtract
 * it per round.
 *
 * The sizes are measured in rounds, one block of ops per size per round, so
 * that a change of the machine's speed during the run (frequency, a
 * neighbour) hits every size alike; each size's figure is the median of its
 * rounds and the ratio column is the median of the per-round ratios to the
 * first size.
 *
 * Usage: bench_model [--rounds R] [LIVE ...]   (default: 15 rounds; 10 1000 10000) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sf_alloc.h"
#include "sf_model.h"

/* The model's allocator pair, plain: libseamprog's sf_alloc.c carries the
 * build's sanitizers, which this benchmark leaves out on purpose. */
void *sf_calloc(size_t n)
{
    return calloc(1, n ? n : 1);
}
void *sf_realloc(void *p, size_t n)
{
    return realloc(p, n ? n : 1);
}
void sf_free(void *p)
{
    free(p);
}

enum { MAX_SIZES = 16, MAX_ROUNDS = 1000, OPS = 200000 };
#define MAX_LIVE 1000000u

static const sf_res_desc res[] = {
    {"Buf", SF_R_PTR, SF_SIDE_RUST, -1, -1, -1, 0, 8, 0, -1, SF_CLOSE_PLAIN, 0}};
static const sf_spec spec = {SF_DESC_VERSION, "bench", 0, 1, res, 0, NULL, 0, NULL, -1, 0, 0, NULL};

/* One size's model and its live set, kept across rounds. */
typedef struct bench_set {
    uint32_t n;
    sf_model *m;
    uint64_t *live;           /* n live values */
    int32_t *ids;             /* their model ids */
    uint64_t addr;            /* last value handed out */
    double ns[3][MAX_ROUNDS]; /* per round: by id, by value, the loop alone */
} bench_set;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* An input boundary: forgets every record and re-creates the live set. */
static void refill(bench_set *b)
{
    sf_model_reset(b->m);
    for (uint32_t j = 0; j < b->n; j++)
        b->ids[j] = sf_model_add(b->m, 0, b->live[j], SF_SIDE_C, (int32_t)j, 0, 0, 0);
}

/* Times OPS ops on b (refills outside the timed part); returns ns per op.
 * bad counts records in a state the op did not expect (must stay 0). */
static double run_block(bench_set *b, int by_value, uint32_t *bad)
{
    double spent = 0, t0 = now_ns();
    for (uint32_t k = 0; k < OPS; k++) {
        uint32_t i = (uint32_t)(next() % b->n);
        int32_t id = by_value ? sf_model_find(b->m, 0, b->live[i]) : b->ids[i];
        *bad += sf_model_get(b->m, id)->state != SF_RS_LIVE;
        sf_model_touch(b->m, id, (int32_t)k, 1, 0, SF_EV_CONSUME);
        sf_model_set_state(b->m, id, SF_RS_FREED, -1);
        b->live[i] = b->addr += 16 * (1 + next() % 8); /* malloc-like spacing */
        const sf_mres *old = sf_model_get(b->m, sf_model_find(b->m, 0, b->live[i]));
        *bad += old && old->state != SF_RS_FREED;
        b->ids[i] = sf_model_add(b->m, 0, b->live[i], SF_SIDE_C, (int32_t)i, (int32_t)k, 0, 0);
        if (sf_model_count(b->m) >= 2 * b->n + 64) {
            spent += now_ns() - t0;
            refill(b);
            t0 = now_ns();
        }
    }
    spent += now_ns() - t0;
    return spent / OPS;
}

/* The loop of run_block without the model: the same random slot, the same
 * reads of its value and id, the same stores of new ones.  Returns ns per op. */
static volatile uint64_t loop_sink; /* keeps run_loop's reads alive */

static double run_loop(bench_set *b)
{
    uint64_t acc = 0;
    double t0 = now_ns();
    for (uint32_t k = 0; k < OPS; k++) {
        uint32_t i = (uint32_t)(next() % b->n);
        acc += b->live[i] + (uint64_t)b->ids[i];
        b->live[i] = b->addr += 16 * (1 + next() % 8);
        b->ids[i] = (int32_t)(acc & 0x7fffffff);
    }
    double spent = now_ns() - t0;
    loop_sink = acc;
    return spent / OPS;
}

/* Column col of the table for b in round r: by id, by value, the loop, net
 * by id, net by value (ns per op). */
static double col_ns(const bench_set *b, int col, int r)
{
    return col < 3 ? b->ns[col][r] : b->ns[col - 3][r] - b->ns[2][r];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts a copy). */
static double median(const double *v, int n)
{
    double t[MAX_ROUNDS];
    memcpy(t, v, sizeof(double) * (size_t)n);
    qsort(t, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static int usage_error(const char *arg, const char *why)
{
    fprintf(stderr, "bench_model: '%s' %s (usage: bench_model [--rounds R] [LIVE ...])\n", arg,
            why);
    return 2;
}

int main(int argc, char **argv)
{
    static bench_set sets[MAX_SIZES];
    uint32_t sizes[MAX_SIZES] = {10, 1000, 10000};
    int n_sizes = 3, rounds = 15, given = 0;
    uint32_t bad = 0;
    for (int a = 1; a < argc; a++) {
        char *end;
        if (!strcmp(argv[a], "--rounds")) {
            if (a + 1 == argc)
                return usage_error(argv[a], "needs a value");
            long r = strtol(argv[++a], &end, 10);
            if (*end || r < 1 || r > MAX_ROUNDS)
                return usage_error(argv[a], "is not a round count in 1..1000");
            rounds = (int)r;
            continue;
        }
        unsigned long v = strtoul(argv[a], &end, 10);
        if (*end || v == 0 || v > MAX_LIVE || given == MAX_SIZES)
            return usage_error(argv[a], "is not a live count in 1..1000000 (at most 16 of them)");
        sizes[given++] = (uint32_t)v;
    }
    if (given)
        n_sizes = given;
    for (int s = 0; s < n_sizes; s++) {
        bench_set *b = &sets[s];
        b->n = sizes[s];
        b->m = sf_model_new(&spec);
        b->live = malloc(sizeof(uint64_t) * b->n);
        b->ids = malloc(sizeof(int32_t) * b->n);
        if (!b->m || !b->live || !b->ids) {
            fprintf(stderr, "bench_model: out of memory for %u live resources\n", b->n);
            return 1;
        }
        b->addr = 0x600000000000ull + ((uint64_t)s << 40);
        for (uint32_t i = 0; i < b->n; i++)
            b->live[i] = b->addr += 16 * (1 + next() % 8);
        refill(b);
        run_block(b, 0, &bad); /* warm-up, not recorded */
    }
    for (int r = 0; r < rounds; r++)
        for (int v = 0; v < 3; v++)
            for (int s = 0; s < n_sizes; s++) {
                bench_set *b = &sets[s];
                if (v < 2) {
                    b->ns[v][r] = run_block(b, v, &bad);
                    continue;
                }
                /* The loop scrambles the ids: refill so the model agrees. */
                b->ns[v][r] = run_loop(b);
                refill(b);
            }
    if (bad) {
        fprintf(stderr, "bench_model: %u records in an unexpected state: the model is wrong\n",
                bad);
        return 1;
    }
    printf("ns per op, median of %d rounds (vs first: median of the per-round ratios;\n"
           "loop: the benchmark's own loop without the model; net: minus the loop)\n",
           rounds);
    printf("%-8s %8s %9s %8s %9s %6s %8s %9s %8s %9s\n", "live", "by id", "vs first", "by value",
           "vs first", "loop", "net id", "vs first", "net val", "vs first");
    for (int s = 0; s < n_sizes; s++) {
        printf("%-8u", sets[s].n);
        for (int col = 0; col < 5; col++) {
            double v[MAX_ROUNDS], ratio[MAX_ROUNDS];
            for (int r = 0; r < rounds; r++) {
                v[r] = col_ns(&sets[s], col, r);
                ratio[r] = v[r] / col_ns(&sets[0], col, r);
            }
            if (col == 2)
                printf(" %6.1f", median(v, rounds));
            else
                printf(" %8.1f %+8.1f%%", median(v, rounds), 100.0 * (median(ratio, rounds) - 1.0));
        }
        printf("\n");
    }
    for (int s = 0; s < n_sizes; s++) {
        sf_model_free(sets[s].m);
        free(sets[s].live);
        free(sets[s].ids);
    }
    return 0;
}
