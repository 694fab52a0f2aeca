/* sf_model.c - the shadow ownership model: a record array plus an
 * open-addressing index (linear probing) from value to the newest record.
 *
 * Nothing is deleted during an input, so probing needs no tombstones; reset
 * clears exactly the index cells the records used, so its cost follows the
 * records of the last input, not the table size.
 *
 * Histories live apart from the records, in one bounded event log shared by
 * all resources: an event is appended at the log's tail (sequential writes)
 * and links to the previous event of the same resource.  Records stay small
 * (56 bytes) so the per-op cost stays flat as live resources grow; the chain
 * is walked only when a report prints a history.
 */
#include "sf_model.h"

#include <string.h>

#include "sf_alloc.h"
#include "sf_err.h"

struct sf_model {
    const sf_spec *spec; /* borrowed */
    int16_t *family;     /* per type: root of its parent chain */
    sf_mres *recs;       /* n records, cap allocated */
    uint32_t n, cap;
    uint32_t live;
    int32_t *index; /* hcap cells: record id or -1 */
    uint32_t hcap;  /* power of two, >= 2 * cap */
    sf_mevent *log; /* SF_MODEL_LOG_CAP events, a ring */
    uint32_t log_n; /* events appended since the last reset */
};

/* An event in the shared log. */
struct sf_mevent {
    sf_mhist h;
    int32_t rec;   /* model id the event belongs to */
    uint32_t prev; /* log position + 1 of the same record's previous event, 0 */
};

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
    m->recs = sf_calloc(sizeof(sf_mres) * m->cap);
    m->index = sf_calloc(sizeof(int32_t) * m->hcap);
    m->log = sf_calloc(sizeof(sf_mevent) * SF_MODEL_LOG_CAP);
    if (!m->family || !m->recs || !m->index || !m->log) {
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
    sf_free(m->recs);
    sf_free(m->index);
    sf_free(m->log);
    sf_free(m);
}

void sf_model_reset(sf_model *m)
{
    for (uint32_t i = 0; i < m->n; i++)
        m->index[m->recs[i].bucket] = -1;
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
            r->bucket = b;
            return;
        }
        b = (b + 1) & mask;
    }
}

static int sf__grow(sf_model *m)
{
    uint32_t ncap = m->cap * 2;
    sf_mres *nr = sf_realloc(m->recs, sizeof(sf_mres) * ncap);
    if (!nr)
        return SF_ENOMEM;
    m->recs = nr;
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
    r->slot = slot;
    r->creator_op = op;
    r->creator_func = (int16_t)func;
    r->holder = r->first_held = r->next_held = -1;
    r->size = m->spec->res[type].size;
    sf__index_put(m, id);
    m->live++;
    sf_model_touch(m, id, op, func, depth, SF_EV_CREATE);
    return id;
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
    sf_mres *r = &m->recs[id];
    sf_mevent *e = &m->log[m->log_n & (SF_MODEL_LOG_CAP - 1)];
    e->h.op = op;
    e->h.func = (int16_t)func;
    e->h.event = (uint8_t)ev;
    e->h.depth = (uint8_t)(depth > 255 ? 255 : depth);
    e->rec = id;
    e->prev = r->last_ev;
    r->last_ev = ++m->log_n;
    r->n_touch++;
}

int sf_model_history(const sf_model *m, int32_t id, sf_mhist *out, int max)
{
    if (!m || id < 0 || (uint32_t)id >= m->n || max <= 0)
        return 0;
    /* Walk newest to oldest; a position older than the ring's capacity has
     * been overwritten by newer events and ends the walk. */
    int n = 0;
    uint32_t pos = m->recs[id].last_ev;
    while (pos && n < max && m->log_n - (pos - 1) <= SF_MODEL_LOG_CAP) {
        const sf_mevent *e = &m->log[(pos - 1) & (SF_MODEL_LOG_CAP - 1)];
        if (e->rec != id)
            break;
        out[n++] = e->h;
        pos = e->prev;
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
    sf_mres *r = &m->recs[id];
    r->holder = holder;
    r->next_held = m->recs[holder].first_held;
    m->recs[holder].first_held = id;
}

void sf_model_free_held(sf_model *m, int32_t holder, int32_t op, int func, int depth, sf_revent ev)
{
    /* Holders form a forest (a resource is held at most once, by an older
     * one), so the walk ends; the explicit bound guards a corrupt chain. */
    uint32_t guard = 0;
    for (int32_t c = m->recs[holder].first_held; c >= 0 && guard++ < m->n;
         c = m->recs[c].next_held) {
        if (m->recs[c].state != SF_RS_FREED) {
            sf_model_set_state(m, c, SF_RS_FREED, -1);
            sf_model_touch(m, c, op, func, depth, ev);
        }
        if (m->recs[c].first_held >= 0)
            sf_model_free_held(m, c, op, func, depth, ev);
    }
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
    static const char *const names[] = {"created", "borrowed", "consumed", "transferred",
                                        "freed",   "stale",    "teardown", "failed-call"};
    return ev >= 0 && ev < 8 ? names[ev] : "?";
}
