/* baseline_count.c - counts the boundary calls the hand-written baseline
 * harness makes, for bench/runtime.sh's per-call cost.  Linked into
 * fuzz_baseline_count (harness/bench.cmake) with -Wl,--wrap=SYM for every
 * function below, so both the harness's calls and the archives' calls to each
 * other (Go -> Rust) land here, are counted and forwarded.  The same binary is
 * never used for timing: the timed fuzz_baseline has no counter.  At exit it
 * prints one line "BASELINE-CALLS: <n>". */
#include <stdatomic.h>
#include <stdio.h>

#include "bytebridge.h"

/* The count lives in one static because the wrappers are reached through the
 * linker, with no argument of ours; atomic because Go may call on any thread. */
static atomic_ullong sf__bench_calls;

/* X(return type, name, (parameters), (arguments)) for every boundary function
 * the baseline or the Go archive can call (probes excluded: the baseline does
 * not call them). */
#define BB_FUNCS(X)                                                                                \
    X(BbBuf *, bb_buf_new, (size_t cap), (cap))                                                    \
    X(int64_t, bb_buf_write, (BbBuf * b, const uint8_t *d, size_t n), (b, d, n))                   \
    X(int64_t, bb_buf_read, (const BbBuf *b, size_t o, uint8_t *d, size_t n), (b, o, d, n))        \
    X(size_t, bb_buf_len, (const BbBuf *b), (b))                                                   \
    X(const uint8_t *, bb_buf_data, (const BbBuf *b), (b))                                         \
    X(BbRecord *, bb_record_parse, (const uint8_t *d, size_t n, BbError **e), (d, n, e))           \
    X(int32_t, bb_record_get, (const BbRecord *r, BbRecordView *v), (r, v))                        \
    X(char *, bb_record_describe, (const BbRecord *r), (r))                                        \
    X(int32_t, bb_error_code, (const BbError *e), (e))                                             \
    X(const char *, bb_error_message, (const BbError *e), (e))                                     \
    X(uint64_t, bb_table_insert, (const uint8_t *d, size_t n), (d, n))                             \
    X(int64_t, bb_table_get, (uint64_t h, uint8_t * d, size_t n), (h, d, n))                       \
    X(int32_t, bb_table_remove, (uint64_t h), (h))                                                 \
    X(int32_t, bb_checksum, (const uint8_t *d, size_t n, uint32_t *o), (d, n, o))                  \
    X(int64_t, bbgo_adopt, (BbBuf * b), (b))                                                       \
    X(int32_t, bbgo_release, (int64_t h), (h))                                                     \
    X(int64_t, bbgo_append, (int64_t h, const uint8_t *d, size_t n), (h, d, n))                    \
    X(int32_t, bbgo_peek, (int64_t h, size_t o), (h, o))                                           \
    X(int32_t, bbgo_process, (const uint8_t *d, size_t n), (d, n))                                 \
    X(int64_t, bbgo_store, (const uint8_t *d, size_t n), (d, n))                                   \
    X(int64_t, bbgo_load, (int64_t h, uint8_t * d, size_t n), (h, d, n))                           \
    X(int32_t, bbgo_drop, (int64_t h), (h))                                                        \
    X(int32_t, bbgo_checked, (const uint8_t *d, size_t n), (d, n))

#define BB_WRAP(ret, name, params, args)                                                           \
    ret __real_##name params;                                                                      \
    ret __wrap_##name params;                                                                      \
    ret __wrap_##name params                                                                       \
    {                                                                                              \
        atomic_fetch_add_explicit(&sf__bench_calls, 1, memory_order_relaxed);                      \
        return __real_##name args;                                                                 \
    }
BB_FUNCS(BB_WRAP)

/* The void functions do not fit the macro's `return`. */
#define BB_WRAP_VOID(name, T)                                                                      \
    void __real_##name(T x);                                                                       \
    void __wrap_##name(T x);                                                                       \
    void __wrap_##name(T x)                                                                        \
    {                                                                                              \
        atomic_fetch_add_explicit(&sf__bench_calls, 1, memory_order_relaxed);                      \
        __real_##name(x);                                                                          \
    }
BB_WRAP_VOID(bb_buf_free, BbBuf *)
BB_WRAP_VOID(bb_record_free, BbRecord *)
BB_WRAP_VOID(bb_string_free, char *)
BB_WRAP_VOID(bb_error_free, BbError *)

__attribute__((destructor)) static void sf__bench_report(void)
{
    fprintf(stderr, "BASELINE-CALLS: %llu\n", (unsigned long long)atomic_load(&sf__bench_calls));
}
