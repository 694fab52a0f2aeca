/* sf_reach.c - reachability proofs for the per-input leak check (sf_reach.h).
 *
 * A proof starts from root words (the hot ones first, then, if needed, every
 * word of the writable module segments and the thread's static TLS).  A word
 * that points into a survivor proves it; a word that points at the start of
 * a carried block makes that block a reachable container whose words are
 * followed in turn (three levels deep at most).  A proven survivor's own
 * words are followed too (a new table holding a new entry).  Containers are
 * found by their start address, or by any address inside them through an
 * index sorted by address: a hash table is often reached through a pointer
 * into its middle (hashbrown's, behind Rust's HashMap, points at its control
 * bytes, after the buckets).  LeakSanitizer counts such interior pointers
 * too, so the proof still holds only what LeakSanitizer would hold.
 *
 * Every read of program memory is a plain word load without ASan
 * instrumentation: root segments hold ASan redzones between globals, and the
 * words are compared, never dereferenced.
 */
#define _GNU_SOURCE /* dl_iterate_phdr, dlpi_tls_data */
#include "sf_reach.h"

#include <link.h>
#include <stddef.h>
#include <string.h>

#include "sf_alloc.h"

#define REACH_MAX_SURV    256u       /* survivors one proof handles */
#define REACH_CARRIED_CAP 4096u      /* carried blocks kept (tracker cells) */
#define REACH_HOT         64u        /* hot root words remembered */
#define REACH_VISITED     64u        /* containers followed per proof */
#define REACH_DEPTH       3          /* container levels followed */
#define REACH_SCAN_MAX    (1u << 20) /* container bytes read per proof */

typedef struct reach_blk {
    uintptr_t lo, hi; /* [lo, hi) */
    uint32_t size;
    uint8_t proven;
} reach_blk;

struct sf_reach {
    sf_side_tracker *carried;
    sf_side_block list[REACH_MAX_SURV]; /* scratch: the survivors' records */
    reach_blk surv[REACH_MAX_SURV];     /* sorted by lo */
    uint32_t n, n_proven;
    uintptr_t lo, hi; /* span of the survivors, a quick filter */
    uintptr_t visited[REACH_VISITED];
    uint32_t n_visited;
    size_t scanned;
    uintptr_t hot[REACH_HOT]; /* addresses of root words */
    uint32_t n_hot, hot_next;
    unsigned long long dl_subs; /* modules unloaded when the hot roots were learnt */
    sf_reach_stats stats;
    /* The carried blocks by address, for interior pointers: starts stored
     * inverted (as the tracker stores them, so that this index never makes
     * a block reachable to LeakSanitizer), ascending by start.  Entries of
     * blocks freed since are dropped when a lookup meets them. */
    uintptr_t cs_inv[REACH_CARRIED_CAP];
    uint32_t cs_size[REACH_CARRIED_CAP];
    uint32_t n_cs;
};

sf_reach *sf_reach_new(void)
{
    sf_reach *r = sf_calloc(sizeof *r);
    if (!r)
        return NULL;
    r->carried = sf_side_tracker_new(REACH_CARRIED_CAP);
    if (!r->carried) {
        sf_free(r);
        return NULL;
    }
    return r;
}

void sf_reach_free(sf_reach *r)
{
    if (!r)
        return;
    sf_side_tracker_free(r->carried);
    sf_free(r);
}

void sf_reach_forget(sf_reach *r, const void *ptr)
{
    sf_side_track_free(r->carried, ptr, NULL);
}

sf_reach_stats sf_reach_stats_get(const sf_reach *r)
{
    return r->stats;
}

/* The survivor containing address w, or NULL (binary search). */
static reach_blk *find(sf_reach *r, uintptr_t w)
{
    if (w < r->lo || w >= r->hi)
        return NULL;
    uint32_t lo = 0, hi = r->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->surv[mid].hi <= w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n && r->surv[lo].lo <= w ? &r->surv[lo] : NULL;
}

static int follow(sf_reach *r, uintptr_t w, int depth);

/* How many entries of the address index start at or below w. */
static uint32_t cs_upper(const sf_reach *r, uintptr_t w)
{
    uint32_t lo = 0, hi = r->n_cs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (~r->cs_inv[mid] <= w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void cs_remove(sf_reach *r, uint32_t i)
{
    memmove(&r->cs_inv[i], &r->cs_inv[i + 1], (r->n_cs - i - 1) * sizeof r->cs_inv[0]);
    memmove(&r->cs_size[i], &r->cs_size[i + 1], (r->n_cs - i - 1) * sizeof r->cs_size[0]);
    r->n_cs--;
}

/* Drops the entries of blocks freed since they were added (their start is
 * no longer in the tracker with that size).  Lookups drop the ones they
 * meet, but most entries are never looked up again: without this the index
 * fills with dead blocks, every new container is left out of it, and each
 * proof that needs an interior pointer fails (LeakSanitizer on every input). */
static void cs_compact(sf_reach *r)
{
    uint32_t k = 0;
    sf_side_block c;
    for (uint32_t i = 0; i < r->n_cs; i++) {
        if (!sf_side_tracker_get(r->carried, ~r->cs_inv[i], &c) || c.size != r->cs_size[i])
            continue;
        r->cs_inv[k] = r->cs_inv[i];
        r->cs_size[k++] = r->cs_size[i];
    }
    r->stats.compacted += r->n_cs - k;
    r->n_cs = k;
}

/* Adds carried block [lo, lo + size) to the address index (full of live
 * blocks: skipped; the exact-start lookup still finds it). */
static void cs_add(sf_reach *r, uintptr_t lo, uint32_t size)
{
    if (r->n_cs == REACH_CARRIED_CAP)
        cs_compact(r);
    uint32_t i = cs_upper(r, lo);
    if (i > 0 && ~r->cs_inv[i - 1] == lo) { /* the address was reused */
        r->cs_size[i - 1] = size;
        return;
    }
    if (r->n_cs == REACH_CARRIED_CAP)
        return;
    memmove(&r->cs_inv[i + 1], &r->cs_inv[i], (r->n_cs - i) * sizeof r->cs_inv[0]);
    memmove(&r->cs_size[i + 1], &r->cs_size[i], (r->n_cs - i) * sizeof r->cs_size[0]);
    r->cs_inv[i] = ~lo;
    r->cs_size[i] = size;
    r->n_cs++;
}

/* The carried block containing w, still live (its start is in the
 * tracker with that size), into *c; 0 when none. */
static int cs_find(sf_reach *r, uintptr_t w, sf_side_block *c)
{
    uint32_t i = cs_upper(r, w);
    if (i == 0)
        return 0;
    uintptr_t lo = ~r->cs_inv[i - 1];
    uint32_t size = r->cs_size[i - 1];
    if (w >= lo + (size ? size : 1))
        return 0;
    if (!sf_side_tracker_get(r->carried, lo, c) || c->size != size) {
        cs_remove(r, i - 1); /* freed since */
        return 0;
    }
    c->ptr = lo;
    return 1;
}

/* Follows the words of [lo, lo + size) (a reachable block); returns 1 when
 * that proved a survivor.  Two passes: the words that point into survivors
 * first (a binary search each), and only while survivors remain unproven the
 * words that may lead to further containers (a tracker lookup each): a table
 * of a thousand carried entries then costs a thousand comparisons, not a
 * thousand lookups. */
__attribute__((no_sanitize("address"))) static int scan_block(sf_reach *r, uintptr_t lo,
                                                              size_t size, int depth)
{
    if (depth >= REACH_DEPTH || size > REACH_SCAN_MAX - r->scanned)
        return 0;
    r->scanned += size;
    uintptr_t first = (lo + 7) & ~(uintptr_t)7;
    int any = 0;
    for (uintptr_t at = first; at + 8 <= lo + size && r->n_proven < r->n; at += 8)
        if (find(r, *(const uintptr_t *)at))
            any |= follow(r, *(const uintptr_t *)at, depth + 1);
    for (uintptr_t at = first; at + 8 <= lo + size && r->n_proven < r->n; at += 8)
        any |= follow(r, *(const uintptr_t *)at, depth + 1);
    return any;
}

/* What word w (a pointer, maybe) proves: a survivor it points into, or the
 * survivors a carried block it points at leads to.  Returns 1 when it proved
 * one. */
static int follow(sf_reach *r, uintptr_t w, int depth)
{
    reach_blk *b = find(r, w);
    if (b) {
        if (b->proven)
            return 0;
        b->proven = 1;
        r->n_proven++;
        scan_block(r, b->lo, b->size, depth);
        return 1;
    }
    if (w < 4096 || r->n_visited == REACH_VISITED)
        return 0;
    /* A carried container: by its start, else by an address inside it. */
    sf_side_block c;
    if ((w & 7) || !sf_side_tracker_get(r->carried, w, &c)) {
        if (!cs_find(r, w, &c))
            return 0;
        w = c.ptr;
    }
    for (uint32_t i = 0; i < r->n_visited; i++)
        if (r->visited[i] == w)
            return 0;
    r->visited[r->n_visited++] = w;
    return scan_block(r, w, c.size, depth);
}

/* Remembers the root word at `at` for the next proofs. */
static void remember(sf_reach *r, uintptr_t at)
{
    for (uint32_t i = 0; i < r->n_hot; i++)
        if (r->hot[i] == at)
            return;
    if (r->n_hot < REACH_HOT) {
        r->hot[r->n_hot++] = at;
    } else {
        r->hot[r->hot_next] = at;
        r->hot_next = (r->hot_next + 1) % REACH_HOT;
    }
}

__attribute__((no_sanitize("address"))) static uintptr_t load_word(uintptr_t at)
{
    return *(const volatile uintptr_t *)at;
}

/* Follows every word of a root region [lo, hi), remembering the ones that
 * proved something. */
__attribute__((no_sanitize("address"))) static void scan_root(sf_reach *r, uintptr_t lo,
                                                              uintptr_t hi)
{
    for (uintptr_t at = (lo + 7) & ~(uintptr_t)7; at + 8 <= hi && r->n_proven < r->n; at += 8) {
        uintptr_t w = *(const uintptr_t *)at;
        if (w < 4096)
            continue;
        r->n_visited = 0;
        if (follow(r, w, 0))
            remember(r, at);
    }
}

/* dl_iterate_phdr callback: the writable segments and the calling thread's
 * static TLS block of one module. */
static int scan_module(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    sf_reach *r = arg;
    for (int k = 0; k < info->dlpi_phnum && r->n_proven < r->n; k++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[k];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W)) {
            uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
            scan_root(r, lo, lo + ph->p_memsz);
        } else if (ph->p_type == PT_TLS && info->dlpi_tls_data) {
            uintptr_t lo = (uintptr_t)info->dlpi_tls_data;
            scan_root(r, lo, lo + ph->p_memsz);
        }
    }
    return r->n_proven == r->n;
}

/* dl_iterate_phdr callback: the process's count of unloaded modules. */
static int read_subs(struct dl_phdr_info *info, size_t size, void *arg)
{
    if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs)
        return 1;
    *(unsigned long long *)arg = info->dlpi_subs;
    return 1; /* the first module says it */
}

/* Insertion sort by lo: there are few survivors, and this allocates nothing. */
static void sort_surv(reach_blk *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        reach_blk t = a[i];
        uint32_t j = i;
        for (; j > 0 && a[j - 1].lo > t.lo; j--)
            a[j] = a[j - 1];
        a[j] = t;
    }
}

static int prove(sf_reach *r, sf_side_tracker *born)
{
    uint32_t n = sf_side_tracker_list(born, r->list, REACH_MAX_SURV);
    int complete = n == sf_side_tracker_count(born);
    r->n = n;
    r->n_proven = 0;
    r->scanned = 0;
    for (uint32_t i = 0; i < n; i++) {
        r->surv[i].lo = r->list[i].ptr;
        r->surv[i].size = r->list[i].size;
        r->surv[i].hi = r->list[i].ptr + (r->list[i].size ? r->list[i].size : 1);
        r->surv[i].proven = 0;
        /* The survivors join the carried set, whatever the outcome. */
        sf_side_track_alloc(r->carried, (const void *)r->list[i].ptr, r->list[i].size,
                            (sf_side)r->list[i].side, r->list[i].op);
        cs_add(r, r->list[i].ptr, r->list[i].size);
    }
    if (!complete) {
        r->stats.failed++;
        return 0;
    }
    if (n == 0)
        return 1;
    sort_surv(r->surv, n);
    r->lo = r->surv[0].lo;
    r->hi = 0;
    for (uint32_t i = 0; i < n; i++)
        if (r->surv[i].hi > r->hi)
            r->hi = r->surv[i].hi;

    /* 1. The hot roots, unless a module was unloaded since they were learnt
     * (its segments are gone: reading them would fault). */
    unsigned long long subs = r->dl_subs;
    dl_iterate_phdr(read_subs, &subs);
    if (subs != r->dl_subs) {
        r->n_hot = r->hot_next = 0;
        r->dl_subs = subs;
    }
    for (uint32_t i = 0; i < r->n_hot && r->n_proven < n; i++) {
        r->n_visited = 0;
        follow(r, load_word(r->hot[i]), 0);
    }
    if (r->n_proven == n) {
        r->stats.hot++;
        return 1;
    }
    /* 2. Every root word, learning new hot roots. */
    dl_iterate_phdr(scan_module, r);
    if (r->n_proven == n) {
        r->stats.full++;
        return 1;
    }
    r->stats.failed++;
    return 0;
}

int sf_reach_prove(sf_reach *r, sf_side_tracker *born, sf_side_block *out, uint32_t max,
                   uint32_t *n_out)
{
    int ok = prove(r, born);
    uint32_t k = 0;
    for (uint32_t i = 0; !ok && out && i < r->n && k < max; i++) {
        if (r->surv[i].proven)
            continue;
        for (uint32_t j = 0; j < r->n; j++)
            if (r->list[j].ptr == r->surv[i].lo) {
                out[k] = r->list[j];
                out[k++].ptr = 0;
                break;
            }
    }
    if (n_out)
        *n_out = k;
    /* The scratch holds plain pointers to the blocks: left there, they would
     * make every one of them reachable to the LeakSanitizer check that may
     * follow (the trackers keep theirs inverted for the same reason). */
    memset(r->list, 0, sizeof(sf_side_block) * r->n);
    memset(r->surv, 0, sizeof(reach_blk) * r->n);
    memset(r->visited, 0, sizeof r->visited);
    r->lo = r->hi = 0;
    return ok;
}
