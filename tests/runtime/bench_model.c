/* bench_model.c - per-op cost of the shadow model with 10, 1,000 and 10,000
 * live resources (not a ctest; run it by hand).  One "op" is what the
 * executor does for a typical call: look up an argument, record a touch,
 * destroy one resource and create another. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sf_model.h"

static const sf_res_desc res[] = {{"Buf", SF_R_PTR, SF_SIDE_RUST, -1, -1, -1, 0, 8, 0}};
static const sf_spec spec = {SF_DESC_VERSION, "bench", 0, 1, res, 0, NULL, 0, NULL, -1, 0};

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

int main(void)
{
    sf_model *m = sf_model_new(&spec);
    if (!m)
        return 1;
    const uint32_t sizes[] = {10, 1000, 10000};
    const uint32_t ops = 200000;
    uint64_t *live = malloc(sizeof(uint64_t) * 10000);
    int32_t *ids = malloc(sizeof(int32_t) * 10000);
    printf("%-12s %12s\n", "live", "ns/op (best of 5)");
    for (int s = 0; s < 3; s++) {
        uint32_t n = sizes[s];
        double best = 1e30;
        for (int rep = 0; rep < 5; rep++) {
            uint64_t addr = 0x600000000000ull;
            sf_model_reset(m);
            for (uint32_t i = 0; i < n; i++) {
                live[i] = addr += 16 * (1 + next() % 8); /* malloc-like spacing */
                ids[i] = sf_model_add(m, 0, live[i], SF_SIDE_C, (int32_t)i, 0, 0, 0);
            }
            double spent = 0, t0 = now_ns();
            for (uint32_t k = 0; k < ops; k++) {
                uint32_t i = (uint32_t)(next() % n);
                int32_t id = sf_model_find(m, 0, live[i]);
                sf_model_touch(m, id, (int32_t)k, 1, 0, SF_EV_BORROW);
                sf_model_set_state(m, id, SF_RS_FREED, -1);
                live[i] = addr += 16 * (1 + next() % 8);
                ids[i] = sf_model_add(m, 0, live[i], SF_SIDE_C, (int32_t)i, (int32_t)k, 0, 0);
                if (sf_model_count(m) >= 2 * n + 64) {
                    /* An input boundary: reset and re-create the live set,
                     * outside the timed region. */
                    spent += now_ns() - t0;
                    sf_model_reset(m);
                    for (uint32_t j = 0; j < n; j++)
                        ids[j] = sf_model_add(m, 0, live[j], SF_SIDE_C, (int32_t)j, 0, 0, 0);
                    t0 = now_ns();
                }
            }
            spent += now_ns() - t0;
            if (spent / ops < best)
                best = spent / ops;
        }
        printf("%-12u %12.1f\n", n, best);
    }
    free(live);
    free(ids);
    sf_model_free(m);
    return 0;
}
