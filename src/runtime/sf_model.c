/* sf_model.c - the shadow ownership model: a record array plus an
 * open-addressing index (linear probing) from value to the newest record.
 *
 * Nothing is deleted during an input, so probing needs no tombstones; reset
 * clears exactly the index cells the records used, so its cost follows the
 * records of the last input, not the table size.
 *
 * The per-op cost stays flat as live resources grow because one op touches
 * few cache lines: the index cell, the record (32 bytes, 64-byte aligned, so
 * one line), and the tails of two append-only arrays (new records, the event
 * log).  What an op does not need stays out of the record: the hold tree is
 * in a parallel cold array written only by sf_model_hold; histories are in one
 * bounded event log shared by all resources, scanned only when a report
 * prints one; reset finds the index cells again from the records' keys.
 */
#include "sf_model.h"

#include <stdint.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_err.h"

/* The hold tree (same id as the record), set by sf_model_hold only:
 * first_held is valid when the record's holds flag is set, next_held when
 * the record is held. */
typedef struct sf__mcold {
    int32_t first_held; /* newest model id this one holds, or -1 */
    int32_t next_held;  /* next (older) sibling under the same holder, or -1 */
    int32_t container;  /* model id of the container of a child, or -1 */
    uint32_t has_extent;
    uint64_t extent; /* the length its producer reported (has_extent) */
} sf__mcold;

struct sf_model {
    const sf_spec *spec; /* borrowed */
    int16_t *family;     /* per type: root of its parent chain */
    void *recs_mem;      /* allocation behind recs */
    sf_mres *recs;       /* n records, cap allocated, 64-byte aligned */
    sf__mcold *cold;     /* cap entries, parallel to recs */
    uint32_t n, cap;
    uint32_t live;
    int32_t *index; /* hcap cells: record id or -1 */
    uint32_t hcap;  /* power of two, >= 2 * cap */
    sf_mevent *log; /* SF_MODEL_LOG_CAP events, a ring */
    uint32_t log_n; /* events appended since the last reset */
};

/* An event in the shared log (12 bytes). */
struct sf_mevent {
    sf_mhist h;
    int32_t rec; /* model id the event belongs to */
};

/* Allocates zeroed room for cap records at a 64-byte boundary; *mem (OUT) is
 * the block to free.  NULL on out of memory. */
static sf_mres *sf__recs_alloc(uint32_t cap, void **mem)
{
    _Static_assert(sizeof(sf_mres) == 32, "a record must fill half a cache line exactly");
    *mem = sf_calloc(sizeof(sf_mres) * cap + 63);
    if (!*mem)
        return NULL;
    return (sf_mres *)(((uintptr_t)*mem + 63) & ~(uintptr_t)63);
}

static uint64_t sf__mix(uint64_t x)
{
    /* splitmix64 finaliser: pointers differ in their middle bits only. */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static int sf__is_ptr(const sf_model *m, int type)
{
    return m->spec->res[type].repr == SF_R_PTR;
}

static uint64_t sf__key_hash(const sf_model *m, int type, uint64_t value)
{
    if (sf__is_ptr(m, type))
        return sf__mix(value);
    /* Handles of different families may share small integers. */
    return sf__mix(value ^ ((uint64_t)(m->family[type] + 1) * 0x9e3779b97f4a7c15ull));
}

static int sf__key_eq(const sf_model *m, const sf_mres *r, int type, uint64_t value)
{
    if (r->value != value)
        return 0;
    if (sf__is_ptr(m, type))
        return sf__is_ptr(m, r->type);
    return !sf__is_ptr(m, r->type) && m->family[r->type] == m->family[type];
}

sf_model *sf_model_new(const sf_spec *spec)
{
    sf_model *m = sf_calloc(sizeof *m);
    if (!m)
        return NULL;
    m->spec = spec;
    m->family = sf_calloc(sizeof(int16_t) * (spec->n_res ? spec->n_res : 1));
    m->cap = 64;
    m->hcap = 256;
    m->recs = sf__recs_alloc(m->cap, &m->recs_mem);
    m->cold = sf_calloc(sizeof(sf__mcold) * m->cap);
    m->index = sf_calloc(sizeof(int32_t) * m->hcap);
    m->log = sf_calloc(sizeof(sf_mevent) * SF_MODEL_LOG_CAP);
    if (!m->family || !m->recs || !m->cold || !m->index || !m->log) {
        sf_model_free(m);
        return NULL;
    }
    memset(m->index, 0xff, sizeof(int32_t) * m->hcap);
    for (int t = 0; t < spec->n_res; t++) {
        int f = t, guard = 0;
        while (spec->res[f].parent >= 0 && spec->res[f].parent < spec->n_res && guard++ < 64)
            f = spec->res[f].parent;
        m->family[t] = (int16_t)f;
    }
    return m;
}

void sf_model_free(sf_model *m)
{
    if (!m)
        return;
    sf_free(m->family);
    sf_free(m->recs_mem);
    sf_free(m->cold);
    sf_free(m->index);
    sf_free(m->log);
    sf_free(m);
}

void sf_model_reset(sf_model *m)
{
    /* Every used cell holds an id of this input, so clearing from each
     * record's home cell to the end of its cluster empties exactly the used
     * cells: a walk stops at an empty cell, and a cell emptied by an earlier
     * walk has the rest of its cluster emptied already. */
    uint32_t mask = m->hcap - 1;
    for (uint32_t i = 0; i < m->n; i++) {
        const sf_mres *r = &m->recs[i];
        for (uint32_t b = (uint32_t)sf__key_hash(m, r->type, r->value) & mask; m->index[b] >= 0;
             b = (b + 1) & mask)
            m->index[b] = -1;
    }
    m->n = 0;
    m->live = 0;
    m->log_n = 0;
}

/* Puts record id into the index, shadowing an older record of its key. */
static void sf__index_put(sf_model *m, int32_t id)
{
    sf_mres *r = &m->recs[id];
    uint32_t mask = m->hcap - 1;
    uint32_t b = (uint32_t)sf__key_hash(m, r->type, r->value) & mask;
    for (;;) {
        int32_t cur = m->index[b];
        if (cur < 0 || sf__key_eq(m, &m->recs[cur], r->type, r->value)) {
            m->index[b] = id;
            return;
        }
        b = (b + 1) & mask;
    }
}

static int sf__grow(sf_model *m)
{
    uint32_t ncap = m->cap * 2;
    void *nmem;
    sf_mres *nr = sf__recs_alloc(ncap, &nmem);
    if (!nr)
        return SF_ENOMEM;
    sf__mcold *nc = sf_realloc(m->cold, sizeof(sf__mcold) * ncap);
    if (!nc) {
        sf_free(nmem);
        return SF_ENOMEM;
    }
    memcpy(nr, m->recs, sizeof(sf_mres) * m->n);
    sf_free(m->recs_mem);
    m->recs_mem = nmem;
    m->recs = nr;
    m->cold = nc;
    m->cap = ncap;
    if (m->hcap >= 2 * ncap)
        return 0;
    int32_t *ni = sf_calloc(sizeof(int32_t) * m->hcap * 2);
    if (!ni)
        return SF_ENOMEM;
    sf_free(m->index);
    m->index = ni;
    m->hcap *= 2;
    memset(m->index, 0xff, sizeof(int32_t) * m->hcap);
    for (uint32_t i = 0; i < m->n; i++) /* in id order: newest wins */
        sf__index_put(m, (int32_t)i);
    return 0;
}

int32_t sf_model_add(sf_model *m, int type, uint64_t value, sf_side held_by, int32_t slot,
                     int32_t op, int func, int depth)
{
    if (m->n == m->cap && sf__grow(m) < 0)
        return SF_ENOMEM;
    int32_t id = (int32_t)m->n++;
    sf_mres *r = &m->recs[id];
    memset(r, 0, sizeof *r);
    r->value = value;
    r->type = (int16_t)type;
    r->owner = m->spec->res[type].owner;
    r->held_by = (uint8_t)held_by;
    r->state = SF_RS_LIVE;
    r->nested = depth > 0;
    r->depth = (uint8_t)(depth > 63 ? 63 : depth);
    r->slot = slot;
    r->creator_op = op;
    r->creator_func = (int16_t)func;
    r->size = m->spec->res[type].size;
    m->cold[id].container = -1;
    m->cold[id].has_extent = 0;
    m->cold[id].extent = 0;
    sf__index_put(m, id);
    m->live++;
    sf_model_touch(m, id, op, func, depth, SF_EV_CREATE);
    return id;
}

void sf_model_adopt(sf_model *m, int32_t id, int32_t slot, sf_side held_by, int32_t op, int func,
                    int depth)
{
    if (id < 0 || (uint32_t)id >= m->n)
        return;
    sf_mres *r = &m->recs[id];
    r->nested = depth > 0;
    r->depth = (uint8_t)(depth > 63 ? 63 : depth);
    r->slot = slot;
    r->held_by = (uint8_t)held_by;
    sf_model_touch(m, id, op, func, depth, SF_EV_RETURNED);
}

int32_t sf_model_find(const sf_model *m, int type, uint64_t value)
{
    uint32_t mask = m->hcap - 1;
    uint32_t b = (uint32_t)sf__key_hash(m, type, value) & mask;
    for (;;) {
        int32_t cur = m->index[b];
        if (cur < 0)
            return -1;
        if (sf__key_eq(m, &m->recs[cur], type, value))
            return cur;
        b = (b + 1) & mask;
    }
}

const sf_mres *sf_model_get(const sf_model *m, int32_t id)
{
    if (!m || id < 0 || (uint32_t)id >= m->n)
        return NULL;
    return &m->recs[id];
}

void sf_model_touch(sf_model *m, int32_t id, int32_t op, int func, int depth, sf_revent ev)
{
    sf_mevent *e = &m->log[m->log_n++ & (SF_MODEL_LOG_CAP - 1)];
    e->h.op = op;
    e->h.func = (int16_t)func;
    e->h.event = (uint8_t)ev;
    e->h.depth = (uint8_t)(depth > 255 ? 255 : depth);
    e->rec = id;
    m->recs[id].n_touch++;
}

int sf_model_history(const sf_model *m, int32_t id, sf_mhist *out, int max)
{
    if (!m || id < 0 || (uint32_t)id >= m->n || max <= 0)
        return 0;
    /* Walk the log newest to oldest, as far as the ring still holds it; the
     * record's events are all found once n_touch of them are (its first is
     * its creation, and ids are not reused within an input). */
    uint32_t want = m->recs[id].n_touch;
    uint32_t oldest = m->log_n > SF_MODEL_LOG_CAP ? m->log_n - SF_MODEL_LOG_CAP : 0;
    int n = 0;
    for (uint32_t pos = m->log_n; pos > oldest && (uint32_t)n < want && n < max; pos--) {
        const sf_mevent *e = &m->log[(pos - 1) & (SF_MODEL_LOG_CAP - 1)];
        if (e->rec == id)
            out[n++] = e->h;
    }
    for (int i = 0; i < n / 2; i++) { /* oldest first */
        sf_mhist t = out[i];
        out[i] = out[n - 1 - i];
        out[n - 1 - i] = t;
    }
    return n;
}

void sf_model_set_state(sf_model *m, int32_t id, sf_rstate st, int held_by)
{
    sf_mres *r = &m->recs[id];
    if (r->state != SF_RS_FREED && st == SF_RS_FREED)
        m->live--;
    else if (r->state == SF_RS_FREED && st != SF_RS_FREED)
        m->live++;
    r->state = (uint8_t)st;
    if (held_by >= 0)
        r->held_by = (uint8_t)held_by;
}

void sf_model_hold(sf_model *m, int32_t id, int32_t holder)
{
    if (!m->recs[holder].holds)
        m->cold[holder].first_held = -1;
    m->cold[id].next_held = m->cold[holder].first_held;
    m->cold[holder].first_held = id;
    m->recs[holder].holds = 1;
}

void sf_model_free_held(sf_model *m, int32_t holder, int32_t op, int func, int depth, sf_revent ev)
{
    /* The record's flag spares most frees a read of the cold array.
     * Holders form a forest (a resource is held at most once, by an older
     * one), so the walk ends; the explicit bound guards a corrupt chain. */
    if (!m->recs[holder].holds)
        return;
    uint32_t guard = 0;
    for (int32_t c = m->cold[holder].first_held; c >= 0 && guard++ < m->n;
         c = m->cold[c].next_held) {
        if (m->recs[c].state != SF_RS_FREED) {
            sf_model_set_state(m, c, SF_RS_FREED, -1);
            sf_model_touch(m, c, op, func, depth, ev);
        }
        sf_model_free_held(m, c, op, func, depth, ev);
    }
}

void sf_model_set_extent(sf_model *m, int32_t id, uint64_t extent)
{
    if (id < 0 || (uint32_t)id >= m->n)
        return;
    m->cold[id].has_extent = 1;
    m->cold[id].extent = extent;
}

int sf_model_extent(const sf_model *m, int32_t id, uint64_t *extent)
{
    if (!m || id < 0 || (uint32_t)id >= m->n || !m->cold[id].has_extent)
        return 0;
    *extent = m->cold[id].extent;
    return 1;
}

void sf_model_set_container(sf_model *m, int32_t id, int32_t container)
{
    if (id >= 0 && (uint32_t)id < m->n && container < (int32_t)m->n)
        m->cold[id].container = container;
}

int32_t sf_model_container(const sf_model *m, int32_t id)
{
    if (!m || id < 0 || (uint32_t)id >= m->n)
        return -1;
    return m->cold[id].container;
}

/* Children are found by a scan: it runs only when a container type is
 * destroyed, and an input has a few hundred records. */
uint32_t sf_model_live_children(const sf_model *m, int32_t id, int on_close)
{
    uint32_t n = 0;
    for (uint32_t c = 0; m && id >= 0 && c < m->n; c++)
        if (m->cold[c].container == id && m->recs[c].state != SF_RS_FREED &&
            (on_close < 0 || m->spec->res[m->recs[c].type].on_close == on_close))
            n++;
    return n;
}

void sf_model_end_children(sf_model *m, int32_t id, int32_t op, int func, int depth)
{
    for (uint32_t c = 0; id >= 0 && c < m->n; c++) {
        if (m->cold[c].container != id || m->recs[c].state == SF_RS_FREED)
            continue;
        sf_model_set_state(m, (int32_t)c, SF_RS_FREED, -1);
        sf_model_touch(m, (int32_t)c, op, func, depth, SF_EV_INVALIDATED);
        sf_model_end_children(m, (int32_t)c, op, func, depth);
    }
}

uint32_t sf_model_in_block(const sf_model *m, uint64_t base, uint64_t size, int32_t *out,
                           uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = m ? m->n : 0; i-- > 0 && n < max;) {
        const sf_mres *r = &m->recs[i];
        if (!sf__is_ptr(m, r->type))
            continue;
        if (size ? r->value >= base && r->value - base < size : r->value == base)
            out[n++] = (int32_t)i;
    }
    return n;
}

uint32_t sf_model_count(const sf_model *m)
{
    return m->n;
}

uint32_t sf_model_live(const sf_model *m)
{
    return m->live;
}

const char *sf_rstate_name(int st)
{
    static const char *const names[] = {"live", "borrowed", "transferred", "freed"};
    return st >= 0 && st < 4 ? names[st] : "?";
}

const char *sf_revent_name(int ev)
{
    static const char *const names[] = {"created",  "borrowed",   "consumed", "transferred",
                                        "freed",    "stale",      "teardown", "failed-call",
                                        "returned", "invalidated"};
    return ev >= 0 && ev < (int)(sizeof names / sizeof names[0]) ? names[ev] : "?";
}
