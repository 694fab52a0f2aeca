/* sf_prog.c - programs: the byte decoder, the canonical encoder and the
 * limits.  docs/program.md is the specification; the decoder, the encoder and
 * the parser (sf_prog_text.c) drive one shared slot state machine, declared in
 * sf_prog_int.h, so they cannot disagree. */
#include "sf_prog.h"

#include <stdio.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_buf.h"
#include "sf_cursor.h"
#include "sf_err.h"
#include "sf_prog_int.h"

#define SPECIAL_MIN      0xF8u       /* resource bytes from here on may mean null/stale */
#define WIDE_MIN         SPECIAL_MIN /* more candidates: a 3-byte resource index */
#define WIDE_END         (1u << 24)  /* resource indexes are below this */
#define LEN_MAX          (1u << 24)  /* longest buffer a spec can declare */
#define ATTEMPTS_PER_OP  8           /* selectors read per max_ops, dropped ops included */
#define DEFAULT_MAX_OPS  64
#define DEFAULT_MAX_LIVE 256

/* pick() result when a resource argument has no candidate at all. */
enum { PICK_NONE = 0xFF };

const char *const sf__builtin_names[SF_B__COUNT] = {"gc", "yield", "thread", "stale"};

/* Returns the default limits by value. */
sf_limits sf_limits_default(void)
{
    sf_limits l = {DEFAULT_MAX_OPS, DEFAULT_MAX_LIVE};
    return l;
}

/* Parses a decimal number 1..UINT32_MAX at s (up to end); -1 if not one. */
static long long limit_count(const char *s, const char *end)
{
    long long v = 0;
    if (s == end)
        return -1;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9' || v > 0xffffffffLL)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v >= 1 && v <= 0xffffffffLL ? v : -1;
}

int sf_limits_parse(const char *s, sf_limits *lim, char *err, size_t errlen)
{
    while (*s) {
        const char *end = strchr(s, ',');
        if (end == NULL)
            end = s + strlen(s);
        const char *eq = memchr(s, '=', (size_t)(end - s));
        long long v = eq ? limit_count(eq + 1, end) : -1;
        size_t klen = eq ? (size_t)(eq - s) : 0;
        if (v < 0) {
            snprintf(err, errlen, "bad limit '%.*s': write max_ops=N or max_live=N, N >= 1",
                     (int)(end - s), s);
            return -1;
        }
        if (klen == 7 && strncmp(s, "max_ops", 7) == 0) {
            lim->max_ops = (uint32_t)v;
        } else if (klen == 8 && strncmp(s, "max_live", 8) == 0) {
            lim->max_live = (uint32_t)v;
        } else {
            snprintf(err, errlen, "unknown limit '%.*s' (known: max_ops, max_live)", (int)klen, s);
            return -1;
        }
        s = *end ? end + 1 : end;
    }
    return 0;
}

sf_limits sf__eff_limits(const sf_limits *lim)
{
    sf_limits l = sf_limits_default();
    if (lim && lim->max_ops)
        l.max_ops = lim->max_ops;
    if (lim && lim->max_live)
        l.max_live = lim->max_live;
    return l;
}

/* ---- descriptor helpers ------------------------------------------------ */

static int res_ok(const sf_spec *s, int r)
{
    return s->res && r >= 0 && r < s->n_res;
}

const char *sf__res_name(const sf_spec *s, int r)
{
    return res_ok(s, r) && s->res[r].name ? s->res[r].name : "?";
}

int sf_res_is(const sf_spec *s, int r, int want)
{
    for (uint32_t steps = 0; res_ok(s, r) && steps <= s->n_res; steps++) {
        if (r == want)
            return 1;
        r = s->res[r].parent;
    }
    return 0;
}

const char *sf__pname(const sf_param_desc *pd)
{
    return pd->name ? pd->name : "?";
}

int sf__ret_produces(const sf_func_desc *fd)
{
    return fd->ret.kind == SF_K_RES && fd->ret.mode == SF_M_OUT;
}

static uint32_t n_produced(const sf_func_desc *fd)
{
    uint32_t n = sf__ret_produces(fd) ? 1 : 0;
    for (uint32_t i = 0; i < fd->n_params; i++)
        n += fd->params[i].kind == SF_K_OUTRES;
    return n;
}

/* Longest buffer a BUF/CSTR/OUTBUF parameter can get. */
size_t sf__len_max(const sf_param_desc *pd)
{
    if (pd->max <= 0)
        return 0;
    return pd->max > (int64_t)LEN_MAX ? LEN_MAX : (size_t)pd->max;
}

/* Shortest: its declared minimum, never above the longest. */
size_t sf__len_min(const sf_param_desc *pd)
{
    size_t hi = sf__len_max(pd);
    if (pd->min <= 0)
        return 0;
    return (uint64_t)pd->min > hi ? hi : (size_t)pd->min;
}

int sf_param_implicit(int k)
{
    return k == SF_K_LEN || k == SF_K_EXTENT || k == SF_K_OUTEXTENT || k == SF_K_USERDATA;
}

const sf_cb_desc *sf__cb_of(const sf_spec *s, const sf_param_desc *pd)
{
    if (pd->kind != SF_K_CALLBACK || !s->cbs || pd->layout < 0 || pd->layout >= s->n_cbs ||
        s->cbs[pd->layout].n_impls == 0 || !s->cbs[pd->layout].impls)
        return NULL;
    return &s->cbs[pd->layout];
}

int sf_param_destroys(const sf_func_desc *fd, uint32_t pi)
{
    const sf_param_desc *pd = &fd->params[pi];
    if (pd->kind != SF_K_RES)
        return 0;
    if (pd->mode == SF_M_CONSUME)
        return 1;
    if (!(fd->flags & SF_F_DESTRUCTOR))
        return 0;
    for (uint32_t i = 0; i < pi; i++)
        if (fd->params[i].kind == SF_K_RES)
            return 0;
    return 1;
}

/* Returns 1 when a RES argument of parameter pi leaves the live set: it is
 * destroyed (sf_param_destroys) or transferred. */
static int consumes(const sf_func_desc *fd, uint32_t pi)
{
    return sf_param_destroys(fd, pi) ||
           (fd->params[pi].kind == SF_K_RES && fd->params[pi].mode == SF_M_TRANSFER);
}

/* Returns 1 when function fi can be an op: fuzzable and self-consistent
 * (indices in range, at most SF_MAX_PARAMS parameters). */
int sf__func_ok(const sf_spec *s, uint32_t fi)
{
    const sf_func_desc *fd = &s->funcs[fi];
    if (fi > INT16_MAX || (fd->flags & (SF_F_PROBE | SF_F_NOFUZZ)) || !fd->name ||
        fd->n_params > SF_MAX_PARAMS || (fd->n_params && !fd->params))
        return 0;
    if (sf__ret_produces(fd) && !res_ok(s, fd->ret.res))
        return 0;
    for (uint32_t i = 0; i < fd->n_params; i++) {
        const sf_param_desc *pd = &fd->params[i];
        switch (pd->kind) {
        case SF_K_INT:
        case SF_K_UINT:
            if (pd->width < 1 || pd->width > 8 || (pd->n_choices && !pd->choices))
                return 0;
            break;
        case SF_K_BOOL:
        case SF_K_BUF:
        case SF_K_CSTR:
        case SF_K_OUTBUF:
            break;
        case SF_K_EXTENT:
            if (pd->link < 0 || pd->link >= fd->n_params || fd->params[pd->link].kind != SF_K_RES)
                return 0;
            break;
        case SF_K_CALLBACK:
            if (!sf__cb_of(s, pd))
                return 0;
            break;
        case SF_K_USERDATA:
            if (pd->link < 0 || pd->link >= fd->n_params ||
                fd->params[pd->link].kind != SF_K_CALLBACK || pd->min >= fd->n_params ||
                (pd->min >= 0 && fd->params[pd->min].kind != SF_K_RES))
                return 0;
            break;
        case SF_K_OUTEXTENT:
            if (pd->link >= fd->n_params ||
                (pd->link >= 0 ? fd->params[pd->link].kind != SF_K_OUTRES
                               : !sf__ret_produces(fd) && fd->ret.kind != SF_K_PTR))
                return 0;
            break;
        case SF_K_RES:
        case SF_K_OUTRES:
            if (!res_ok(s, pd->res))
                return 0;
            break;
        case SF_K_LEN:
            if (pd->link < 0 || pd->link >= fd->n_params ||
                (fd->params[pd->link].kind != SF_K_BUF && fd->params[pd->link].kind != SF_K_CSTR &&
                 fd->params[pd->link].kind != SF_K_OUTBUF))
                return 0;
            break;
        case SF_K_OUTSTRUCT:
            if (!s->layouts || pd->layout < 0 || pd->layout >= s->n_layouts ||
                !s->layouts[pd->layout].name)
                return 0;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

static int builtin_on(const sf_spec *s, unsigned b)
{
    if (!((s->builtins >> b) & 1u))
        return 0;
    return b != SF_B_GO_GC || (s->gc_func >= 0 && s->gc_func < s->n_funcs);
}

void sf__optab_build(const sf_spec *s, sf__optab *t)
{
    t->n = 0;
    t->max_prod = 0;
    t->max_data = 0;
    t->max_pad = 0;
    for (uint32_t fi = 0; s->funcs && fi < s->n_funcs; fi++) {
        if (!sf__func_ok(s, fi))
            continue;
        const sf_func_desc *fd = &s->funcs[fi];
        uint32_t prod = n_produced(fd);
        size_t data = 0, pad = 0;
        for (uint32_t i = 0; i < fd->n_params; i++)
            if (fd->params[i].kind == SF_K_BUF || fd->params[i].kind == SF_K_CSTR) {
                data += sf__len_max(&fd->params[i]);
                pad += sf__len_min(&fd->params[i]);
            }
        if (prod > t->max_prod)
            t->max_prod = prod;
        if (data > t->max_data)
            t->max_data = data;
        if (pad > t->max_pad)
            t->max_pad = pad;
        if (t->n < SF__TABLE_REACH)
            t->ent[t->n] = (int32_t)fi;
        t->n++;
    }
    for (unsigned b = 0; b < SF_B__COUNT; b++) {
        if (!builtin_on(s, b))
            continue;
        if (t->n < SF__TABLE_REACH)
            t->ent[t->n] = -1 - (int32_t)b;
        t->n++;
    }
}

/* Returns the table index (the selector) of entry e, or -1 past reach. */
int sf__optab_find(const sf__optab *t, int32_t e)
{
    for (uint32_t i = 0; i < t->n && i < SF__TABLE_REACH; i++)
        if (t->ent[i] == e)
            return (int)i;
    return -1;
}

/* ---- scalars ------------------------------------------------------------ */

static int range_bad(const sf_param_desc *pd)
{
    if (pd->kind == SF_K_INT)
        return pd->max < pd->min;
    return (uint64_t)pd->max < (uint64_t)pd->min;
}

/* Returns 1 when [min, max] is the whole range of the integer's width. */
static int full_range(const sf_param_desc *pd, unsigned bits)
{
    if (pd->kind == SF_K_INT) {
        int64_t lo = bits == 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
        int64_t hi = bits == 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1;
        return pd->min == lo && pd->max == hi;
    }
    uint64_t hi = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    return pd->min == 0 && (uint64_t)pd->max == hi;
}

static uint64_t mask_of(unsigned bits)
{
    return bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
}

/* Each edge exists only when the type can hold it and the raw space has
 * room to spare: the top two raw values name them. */
int sf_param_outside(const sf_param_desc *pd, uint64_t *lo, int *has_lo, uint64_t *hi, int *has_hi)
{
    unsigned bits = 8u * pd->width;
    *has_hi = *has_lo = 0;
    if (!(pd->flags & SF_P_REJECT_RANGE) || pd->n_choices || range_bad(pd) || full_range(pd, bits))
        return 0;
    uint64_t span = (uint64_t)pd->max - (uint64_t)pd->min;
    if (span >= mask_of(bits) - 2)
        return 0;
    if (pd->kind == SF_K_INT) {
        int64_t tmax = bits == 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1;
        int64_t tmin = bits == 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
        *has_hi = pd->max < tmax;
        *has_lo = pd->min > tmin;
        *hi = (uint64_t)(pd->max + (*has_hi ? 1 : 0));
        *lo = (uint64_t)(pd->min - (*has_lo ? 1 : 0));
    } else {
        *has_hi = (uint64_t)pd->max < mask_of(bits);
        *has_lo = pd->min > 0;
        *hi = (uint64_t)pd->max + 1;
        *lo = (uint64_t)pd->min - 1;
    }
    return *has_hi || *has_lo;
}

/* Maps the raw little-endian bytes v of an INT/UINT parameter to its value. */
static uint64_t scalar_from_raw(const sf_param_desc *pd, uint64_t v)
{
    unsigned bits = 8u * pd->width;
    uint64_t hi, lo;
    int has_hi, has_lo;
    if (sf_param_outside(pd, &lo, &has_lo, &hi, &has_hi)) {
        if (has_hi && v == mask_of(bits))
            return hi;
        if (has_lo && v == mask_of(bits) - 1)
            return lo;
    }
    if (pd->n_choices) {
        if (pd->flags & SF_P_FLAGS) {
            uint64_t r = 0;
            for (unsigned i = 0; i < pd->n_choices && i < bits; i++)
                if ((v >> i) & 1u)
                    r |= (uint64_t)pd->choices[i];
            return r;
        }
        return (uint64_t)pd->choices[v % pd->n_choices];
    }
    if (range_bad(pd))
        return (uint64_t)pd->min;
    if (full_range(pd, bits)) {
        if (pd->kind == SF_K_INT && bits < 64 && ((v >> (bits - 1)) & 1u))
            v |= ~mask_of(bits);
        return v;
    }
    uint64_t range = (uint64_t)pd->max - (uint64_t)pd->min + 1;
    return (uint64_t)pd->min + (range ? v % range : v);
}

/* The inverse: raw bytes that decode to x (OUT: *raw); 0 or an R_* reason. */
static int scalar_to_raw(const sf_param_desc *pd, uint64_t x, uint64_t *raw)
{
    unsigned bits = 8u * pd->width;
    *raw = 0;
    if (pd->kind == SF_K_BOOL) {
        *raw = x;
        return x <= 1 ? SF__R_OK : SF__R_RANGE;
    }
    if (pd->n_choices) {
        if (pd->flags & SF_P_FLAGS) {
            uint64_t got = 0;
            for (unsigned i = 0; i < pd->n_choices && i < bits; i++) {
                uint64_t ch = (uint64_t)pd->choices[i];
                if (ch && !(ch & ~x)) {
                    *raw |= (uint64_t)1 << i;
                    got |= ch;
                }
            }
            return got == x ? SF__R_OK : SF__R_FLAGS;
        }
        for (uint32_t i = 0; i < pd->n_choices; i++) {
            if ((uint64_t)pd->choices[i] == x) {
                *raw = i;
                return i <= mask_of(bits) ? SF__R_OK : SF__R_CHOICE;
            }
        }
        return SF__R_CHOICE;
    }
    if (range_bad(pd))
        return x == (uint64_t)pd->min ? SF__R_OK : SF__R_RANGE;
    uint64_t hi, lo;
    int has_hi, has_lo;
    if (sf_param_outside(pd, &lo, &has_lo, &hi, &has_hi)) {
        uint64_t m = mask_of(bits);
        if (has_hi && x == hi) {
            *raw = m;
            return SF__R_OK;
        }
        if (has_lo && x == lo) {
            *raw = m - 1;
            return SF__R_OK;
        }
    }
    if (pd->kind == SF_K_INT ? ((int64_t)x < pd->min || (int64_t)x > pd->max)
                             : (x < (uint64_t)pd->min || x > (uint64_t)pd->max))
        return SF__R_RANGE;
    if (full_range(pd, bits)) {
        *raw = x & mask_of(bits);
        return SF__R_OK;
    }
    *raw = x - (uint64_t)pd->min;
    return *raw <= mask_of(bits) ? SF__R_OK : SF__R_RANGE;
}

int sf_param_raw(const sf_param_desc *pd, uint64_t x, uint64_t *raw)
{
    return scalar_to_raw(pd, x, raw) == SF__R_OK ? 0 : -1;
}

/* ---- the slot state machine --------------------------------------------- */

/* Adds d at slot of the Fenwick tree t (n counters after t[0]). */
static void bit_add(int32_t *t, uint32_t n, uint32_t slot, int32_t d)
{
    for (uint32_t i = slot + 1; i <= n; i += i & (0u - i))
        t[i] += d;
}

/* Returns the slot of the k-th (0-based) marked slot of t; k < its total. */
static int32_t bit_kth(const int32_t *t, uint32_t n, uint32_t k)
{
    uint32_t pos = 0, step = 1;
    while (step <= n / 2)
        step <<= 1;
    for (; step; step >>= 1) {
        if (pos + step <= n && (uint32_t)t[pos + step] <= k) {
            pos += step;
            k -= (uint32_t)t[pos];
        }
    }
    return (int32_t)pos;
}

/* Returns how many slots below slot are marked in t. */
static uint32_t bit_rank(const int32_t *t, uint32_t slot)
{
    uint32_t k = 0;
    for (uint32_t i = slot; i; i -= i & (0u - i))
        k += (uint32_t)t[i];
    return k;
}

/* The row of resource type w in the candidate trees base (bit_live or
 * bit_dead of st). */
static int32_t *cand_row(const sf__pstate *st, int32_t *base, uint32_t w)
{
    return base + (size_t)w * (st->bit_n + 1);
}

/* Moves slot in or out of the live (dl) and dead (dd) candidates of every
 * type it is usable for: its own and those above it (sf_res_is). */
static void slot_move(sf__pstate *st, uint32_t slot, int32_t dl, int32_t dd)
{
    for (uint32_t w = 0; w < st->n_types; w++) {
        if (!sf_res_is(st->spec, st->slot_res[slot], (int)w))
            continue;
        if (dl) {
            bit_add(cand_row(st, st->bit_live, w), st->bit_n, slot, dl);
            st->tot_live[w] += (uint32_t)dl;
        }
        if (dd) {
            bit_add(cand_row(st, st->bit_dead, w), st->bit_n, slot, dd);
            st->tot_dead[w] += (uint32_t)dd;
        }
    }
}

/* Selects the live and dead slots usable for resource type want. */
static void cands(sf__pstate *st, int want)
{
    st->want = want;
    st->n_cl = res_ok(st->spec, want) ? st->tot_live[want] : 0;
    st->n_cd = res_ok(st->spec, want) ? st->tot_dead[want] : 0;
}

/* The k-th live (cand_live) or dead (cand_dead) candidate, in slot order. */
static int32_t cand_live(const sf__pstate *st, uint32_t k)
{
    return bit_kth(cand_row(st, st->bit_live, (uint32_t)st->want), st->bit_n, k);
}

static int32_t cand_dead(const sf__pstate *st, uint32_t k)
{
    return bit_kth(cand_row(st, st->bit_dead, (uint32_t)st->want), st->bit_n, k);
}

/* Returns 1 when a pending @stale forces this parameter to a dead slot. */
int sf__stale_target(const sf__pstate *st, const sf_param_desc *pd)
{
    return st->stale_pending && !st->stale_done && (pd->flags & SF_P_REJECT_STALE) && st->n_cd > 0;
}

/* The rules of docs/program.md ("Resource arguments"), numbered as there. */
enum { RULE_AT_STALE = 1, RULE_NULL, RULE_STALE, RULE_LIVE, RULE_NONE };

/* Returns the rule that resource byte b takes for pd given the candidates. */
static int rule_of(const sf__pstate *st, const sf_param_desc *pd, unsigned b)
{
    if (sf__stale_target(st, pd))
        return RULE_AT_STALE;
    if (b >= SPECIAL_MIN) {
        if (!(b & 1u) && (pd->flags & (SF_P_NULLABLE | SF_P_REJECT_NULL)))
            return RULE_NULL;
        if ((b & 1u) && (pd->flags & SF_P_REJECT_STALE) && st->n_cd > 0)
            return RULE_STALE;
    }
    return st->n_cl ? RULE_LIVE : RULE_NONE;
}

/* Returns 1 when resource byte b is followed by two index bytes: its rule
 * picks from a list of more than WIDE_MIN candidates. */
static int wide_index(const sf__pstate *st, const sf_param_desc *pd, unsigned b)
{
    int rule = rule_of(st, pd, b);
    return (rule == RULE_AT_STALE && st->n_cd > WIDE_MIN) ||
           (rule == RULE_LIVE && st->n_cl > WIDE_MIN);
}

/* What resource index v (its first byte, plus the index bytes when
 * wide_index) means for pd given the candidates: SF_A_SLOT, SF_A_NULL,
 * SF_A_STALE or PICK_NONE; *slot (OUT) is the slot or -1. */
static int pick(const sf__pstate *st, const sf_param_desc *pd, uint32_t v, int32_t *slot)
{
    *slot = -1;
    switch (rule_of(st, pd, v & 0xffu)) {
    case RULE_AT_STALE:
        *slot = cand_dead(st, v % st->n_cd);
        return SF_A_STALE;
    case RULE_NULL:
        return SF_A_NULL;
    case RULE_STALE:
        *slot = cand_dead(st, ((v & 0xffu) >> 1) % st->n_cd);
        return SF_A_STALE;
    case RULE_LIVE:
        *slot = cand_live(st, v % st->n_cl);
        return SF_A_SLOT;
    default:
        return PICK_NONE;
    }
}

/* Finds the smallest resource index *v (OUT) that pick() turns into a's tag
 * and slot for pd: one byte when the rule's list has at most WIDE_MIN
 * candidates, else three.  Returns the tag, or -1 when no index does. */
static int res_index(const sf__pstate *st, const sf_param_desc *pd, const sf_arg *a, uint32_t *v)
{
    int target = sf__stale_target(st, pd);
    int32_t slot;
    if (a->tag == SF_A_NULL || (a->tag == SF_A_STALE && !target)) {
        /* Rules 2 and 3: the specials. */
        int rule = a->tag == SF_A_NULL ? RULE_NULL : RULE_STALE;
        for (unsigned b = SPECIAL_MIN; b < 256; b++) {
            if (rule_of(st, pd, b) != rule)
                continue;
            if (rule == RULE_STALE && (pick(st, pd, b, &slot), slot != a->slot))
                continue;
            *v = b;
            return a->tag;
        }
        return -1;
    }
    if (a->slot < 0 || (uint32_t)a->slot >= st->bit_n || (a->tag == SF_A_SLOT) == target)
        return -1;
    /* Rule 1 (a stale target) or 4 (live): candidate k of n, named by any
     * index k + j * n whose first byte keeps the rule (skips the specials). */
    int live = a->tag == SF_A_SLOT;
    uint32_t n = live ? st->n_cl : st->n_cd;
    uint32_t k = bit_rank(cand_row(st, live ? st->bit_live : st->bit_dead, (uint32_t)st->want),
                          (uint32_t)a->slot);
    uint64_t end = n > WIDE_MIN ? WIDE_END : 256;
    for (uint64_t x = k; k < n && x < end; x += n) {
        if (rule_of(st, pd, (unsigned)(x & 0xffu)) != (live ? RULE_LIVE : RULE_AT_STALE))
            continue;
        if (pick(st, pd, (uint32_t)x, &slot) != a->tag || slot != a->slot)
            return -1; /* a->slot is not a candidate */
        *v = (uint32_t)x;
        return a->tag;
    }
    return -1;
}

/* Applies what choosing (tag, slot) for parameter pi does to the live set. */
static void res_effect(sf__pstate *st, const sf_func_desc *fd, uint32_t pi, int tag, int32_t slot,
                       int was_target)
{
    if (was_target)
        st->stale_done = 1;
    if (tag == SF_A_SLOT && consumes(fd, pi)) {
        st->slot_st[slot] = SF__PS_DYING;
        slot_move(st, (uint32_t)slot, -1, 0);
        st->dying_kill[st->n_dying] = (uint8_t)sf_param_destroys(fd, pi);
        st->dying[st->n_dying++] = slot;
    }
}

/* Returns 1 when a live child of slot d is of a type whose container's
 * close fails while it lives (SF_CLOSE_BUSY). */
static int kids_busy(const sf__pstate *st, int32_t d)
{
    for (uint32_t c = 0; c < st->n_slots; c++)
        if (st->slot_parent[c] == d && st->slot_st[c] == SF__PS_LIVE &&
            st->spec->res[st->slot_res[c]].on_close == SF_CLOSE_BUSY)
            return 1;
    return 0;
}

/* Slot d leaves the live set for good: its container counts one child less. */
static void slot_gone(sf__pstate *st, int32_t d)
{
    int32_t par = st->slot_parent[d];
    if (par >= 0 && st->slot_kids[par] > 0)
        st->slot_kids[par]--;
}

/* The close of d succeeded: its live children (and theirs) are invalidated. */
static void kids_end(sf__pstate *st, int32_t d)
{
    for (uint32_t c = 0; c < st->n_slots && st->slot_kids[d] > 0; c++) {
        if (st->slot_parent[c] != d || st->slot_st[c] != SF__PS_LIVE)
            continue;
        st->slot_st[c] = SF__PS_DEAD;
        slot_move(st, c, -1, 1);
        st->n_live--;
        st->slot_kids[d]--;
        if (st->slot_kids[c])
            kids_end(st, (int32_t)c);
    }
}

/* The container slot of a new child of type res: the first live argument
 * of op whose parameter takes the child type's container, else -1. */
static int32_t child_parent(const sf__pstate *st, const sf_func_desc *fd, const sf_op *op, int res)
{
    const sf_res_desc *rd = &st->spec->res[res];
    if (rd->on_close == SF_CLOSE_PLAIN || !res_ok(st->spec, rd->container))
        return -1;
    for (uint32_t i = 0; i < fd->n_params; i++)
        if (fd->params[i].kind == SF_K_RES && op->args[i].tag == SF_A_SLOT &&
            st->slot_st[op->args[i].slot] == SF__PS_LIVE &&
            sf_res_is(st->spec, fd->params[i].res, rd->container))
            return op->args[i].slot;
    return -1;
}

/* Starts a call op; returns the index (0 or 1) of its first OUTRES slot
 * among the slots it produces (the returned resource comes first). */
uint32_t sf__op_begin(sf__pstate *st, const sf_func_desc *fd)
{
    st->stale_done = 0;
    st->n_dying = 0;
    st->n_new = n_produced(fd);
    return sf__ret_produces(fd) ? 1 : 0;
}

/* Ends a call op: drops it (returns 0, undoing its effects) when dropped is
 * set or its new slots would pass max_live; else commits it (returns 1,
 * *ret_slot = the returned resource's slot or -1). */
int sf__op_finish(sf__pstate *st, const sf_func_desc *fd, const sf_op *op, int dropped,
                  int32_t *ret_slot)
{
    *ret_slot = -1;
    if (!dropped && st->n_new && (uint64_t)st->n_live + st->n_new > st->max_live)
        dropped = 1;
    if (dropped) {
        for (uint32_t i = 0; i < st->n_dying; i++) {
            st->slot_st[st->dying[i]] = SF__PS_LIVE;
            slot_move(st, (uint32_t)st->dying[i], 1, 0);
        }
        st->n_dying = 0;
        st->stale_done = 0;
        return 0;
    }
    for (uint32_t i = 0; i < st->n_dying; i++) {
        int32_t d = st->dying[i];
        int kill = st->dying_kill[i];
        if (kill && st->slot_kids[d] && kids_busy(st, d)) {
            /* Its close fails while children live: it stays live. */
            st->slot_st[d] = SF__PS_LIVE;
            slot_move(st, (uint32_t)d, 1, 0);
            continue;
        }
        st->slot_st[d] = SF__PS_DEAD;
        slot_move(st, (uint32_t)d, 0, 1);
        st->n_live--;
        slot_gone(st, d);
        if (kill && st->slot_kids[d])
            kids_end(st, d);
    }
    uint32_t base = st->n_slots, k = 0;
    if (sf__ret_produces(fd)) {
        st->slot_res[base] = fd->ret.res;
        *ret_slot = (int32_t)base;
        k++;
    }
    for (uint32_t i = 0; i < fd->n_params; i++)
        if (fd->params[i].kind == SF_K_OUTRES)
            st->slot_res[base + k++] = fd->params[i].res;
    for (uint32_t i = 0; i < k; i++) {
        st->slot_st[base + i] = SF__PS_LIVE;
        st->slot_holder[base + i] = -1;
        st->slot_kids[base + i] = 0;
        st->slot_parent[base + i] = child_parent(st, fd, op, st->slot_res[base + i]);
        if (st->slot_parent[base + i] >= 0)
            st->slot_kids[st->slot_parent[base + i]]++;
        slot_move(st, base + i, 1, 0);
    }
    for (uint32_t i = 0; i < fd->n_params; i++)
        if (fd->params[i].kind == SF_K_RES && fd->params[i].mode == SF_M_TRANSFER &&
            op->args[i].tag == SF_A_SLOT)
            st->slot_holder[op->args[i].slot] = *ret_slot;
    st->n_slots += k;
    st->n_live += k;
    st->stale_pending = 0;
    return 1;
}

/* LEN arguments copy the length of their linked buffer; EXTENT and
 * OUTEXTENT ones are filled in by the executor. */
void sf__fill_lens(const sf_func_desc *fd, sf_op *op)
{
    for (uint32_t i = 0; i < fd->n_params; i++) {
        sf_arg *a = &op->args[i];
        uint8_t k = fd->params[i].kind;
        if (k == SF_K_EXTENT || k == SF_K_OUTEXTENT || k == SF_K_USERDATA) {
            sf__arg_clear(a);
            a->tag = k == SF_K_EXTENT      ? SF_A_EXTENT
                     : k == SF_K_OUTEXTENT ? SF_A_OUTEXTENT
                                           : SF_A_USERDATA;
            continue;
        }
        if (fd->params[i].kind != SF_K_LEN)
            continue;
        a->tag = SF_A_LEN;
        a->len = op->args[fd->params[i].link].len;
        a->v.u = a->len;
    }
}

void sf__arg_clear(sf_arg *a)
{
    a->tag = SF_A_SCALAR;
    a->slot = -1;
    a->v.u = 0;
    a->bytes = NULL;
    a->len = 0;
}

/* ---- program blocks ------------------------------------------------------ */

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* Resource types that get candidate trees. */
static size_t cand_types(const sf_spec *spec)
{
    return spec->res && spec->n_res > 0 ? (size_t)spec->n_res : 0;
}

/* Bytes of the candidate trees of a state over slots_cap slots, or SIZE_MAX
 * when that does not fit in a size_t. */
static size_t cand_bytes(const sf_spec *spec, size_t slots_cap)
{
    size_t nt = cand_types(spec);
    if (nt && slots_cap + 1 > (SIZE_MAX / 16) / nt)
        return SIZE_MAX;
    return nt * (2 * (slots_cap + 1) * sizeof(int32_t) + 2 * sizeof(uint32_t));
}

/* Points st's candidate trees at mem (cand_bytes() bytes, 4-aligned) and
 * zeroes them. */
static void cand_init(sf__pstate *st, uint8_t *mem, size_t slots_cap)
{
    size_t nt = cand_types(st->spec);
    memset(mem, 0, cand_bytes(st->spec, slots_cap));
    st->n_types = (uint32_t)nt;
    st->bit_n = (uint32_t)slots_cap;
    st->bit_live = (int32_t *)(void *)mem;
    st->bit_dead = st->bit_live + nt * (slots_cap + 1);
    st->tot_live = (uint32_t *)(void *)(st->bit_dead + nt * (slots_cap + 1));
    st->tot_dead = st->tot_live + nt;
}

/* Allocates one block holding the program, its arrays, the decoder scratch
 * and the arena, and points st at it.  A program is one allocation, so
 * decoding costs one malloc and sf_prog_free one free. */
sf_prog *sf__prog_alloc(const sf_spec *spec, sf_limits lim, size_t ops_cap, size_t slots_cap,
                        size_t arena_cap, sf__pstate *st)
{
    if (ops_cap > UINT32_MAX || slots_cap > INT32_MAX || ops_cap > (SIZE_MAX / 4) / sizeof(sf_op) ||
        arena_cap > SIZE_MAX / 4)
        return NULL;
    size_t cb = cand_bytes(spec, slots_cap);
    if (cb == SIZE_MAX)
        return NULL;
    size_t at_ops = align8(sizeof(sf_prog));
    size_t at_holder = align8(at_ops + ops_cap * sizeof(sf_op));
    size_t at_parent = at_holder + slots_cap * sizeof(int32_t);
    size_t at_kids = at_parent + slots_cap * sizeof(int32_t);
    size_t at_cand = at_kids + slots_cap * sizeof(uint32_t);
    size_t at_res = at_cand + cb;
    size_t at_st = at_res + slots_cap * sizeof(int16_t);
    size_t at_priv = align8(at_st + slots_cap);
    size_t total = at_priv + sizeof(sf__prog_priv) + arena_cap;
    /* Not zeroed: every byte that is read is written first. */
    uint8_t *m = sf_realloc(NULL, total);
    if (!m)
        return NULL;
    sf_prog *p = (sf_prog *)(void *)m;
    sf__prog_priv *priv = (sf__prog_priv *)(void *)(m + at_priv);
    memset(p, 0, sizeof *p);
    p->spec = spec;
    p->ops = (sf_op *)(void *)(m + at_ops);
    p->slot_holder = (int32_t *)(void *)(m + at_holder);
    p->slot_parent = (int32_t *)(void *)(m + at_parent);
    p->slot_res = (int16_t *)(void *)(m + at_res);
    p->arena = priv;
    priv->lim = lim;
    memset(st, 0, sizeof *st);
    st->spec = spec;
    st->max_live = lim.max_live;
    st->slot_res = p->slot_res;
    st->slot_holder = p->slot_holder;
    st->slot_parent = p->slot_parent;
    st->slot_kids = (uint32_t *)(void *)(m + at_kids);
    st->slot_st = m + at_st;
    cand_init(st, m + at_cand, slots_cap);
    return p;
}

size_t sf__mul_sat(size_t a, size_t b)
{
    if (a && b > SIZE_MAX / a)
        return SIZE_MAX;
    return a * b;
}

/* Frees the whole block; NULL is a no-op. */
void sf_prog_free(sf_prog *p)
{
    sf_free(p);
}

/* ---- decoding ------------------------------------------------------------ */

/* Bytes of a buffer length in the input: 1, 2 or 4 by the longest length. */
static unsigned len_width(const sf_param_desc *pd)
{
    size_t hi = sf__len_max(pd);
    return hi <= 0xff ? 1u : hi <= 0xffff ? 2u : 4u;
}

/* Returns 1 when the top three raw values of pd's length name its
 * favoured lengths (maximum, minimum, minimum + 1) rather than wrapping:
 * only when the range leaves them spare, so every length stays reachable
 * with raw = length - minimum. */
static int len_specials(const sf_param_desc *pd)
{
    uint64_t span = sf__len_max(pd) - sf__len_min(pd);
    return span + 1 <= mask_of(8u * len_width(pd)) - 2;
}

/* A buffer length in [min, max]; the top raw values favour the edges a
 * random length would rarely hit (docs/program.md, "Buffers"). */
static size_t read_len(sf_cursor *c, const sf_param_desc *pd)
{
    unsigned w = len_width(pd);
    uint64_t raw = sf_cursor_uint(c, w), top = mask_of(8u * w);
    size_t lo = sf__len_min(pd), hi = sf__len_max(pd);
    if (len_specials(pd)) {
        if (raw == top)
            return hi;
        if (raw == top - 1)
            return lo;
        if (raw == top - 2)
            return lo < hi ? lo + 1 : hi;
    }
    return lo + (size_t)(raw % ((uint64_t)(hi - lo) + 1));
}

/* Decodes one call of function fi into op; returns 1 if kept, 0 if dropped.
 * Buffers are copied to arena + *alen (NUL-terminated), rolled back on drop. */
static int dec_call(sf__pstate *st, int32_t fi, sf_cursor *c, sf_op *op, uint8_t *arena,
                    size_t *alen)
{
    const sf_spec *s = st->spec;
    const sf_func_desc *fd = &s->funcs[fi];
    size_t a0 = *alen;
    int dropped = 0;
    uint32_t k = sf__op_begin(st, fd);
    op->func = (int16_t)fi;
    op->builtin = -1;
    op->n_args = fd->n_params;
    for (uint32_t pi = 0; pi < fd->n_params; pi++) {
        const sf_param_desc *pd = &fd->params[pi];
        sf_arg *a = &op->args[pi];
        sf__arg_clear(a);
        switch (pd->kind) {
        case SF_K_INT:
        case SF_K_UINT:
            a->v.u = scalar_from_raw(pd, sf_cursor_uint(c, pd->width));
            break;
        case SF_K_BOOL:
            a->v.u = sf_cursor_u8(c) & 1u;
            break;
        case SF_K_CALLBACK: /* which implementation */
            a->v.u = sf_cursor_u8(c) % sf__cb_of(s, pd)->n_impls;
            break;
        case SF_K_RES: {
            uint32_t v = sf_cursor_u8(c);
            cands(st, pd->res);
            int target = sf__stale_target(st, pd);
            if (wide_index(st, pd, v))
                v |= (uint32_t)sf_cursor_uint(c, 2) << 8;
            int tag = pick(st, pd, v, &a->slot);
            if (tag == PICK_NONE) {
                dropped = 1;
                a->tag = SF_A_NULL;
                break;
            }
            a->tag = (uint8_t)tag;
            if (tag == SF_A_NULL)
                a->v.u = s->res[pd->res].invalid;
            res_effect(st, fd, pi, tag, a->slot, target);
            break;
        }
        case SF_K_BUF:
        case SF_K_CSTR: {
            const uint8_t *src;
            size_t n = sf_cursor_bytes(c, read_len(c, pd), &src);
            if (pd->kind == SF_K_CSTR) {
                const uint8_t *z = memchr(src, 0, n);
                if (z)
                    n = (size_t)(z - src);
            }
            memcpy(arena + *alen, src, n);
            /* Short of its minimum (the input ran out, or a C string
             * ended): padded, with zeros or, in a C string, 'A'. */
            size_t lo = sf__len_min(pd);
            if (n < lo) {
                memset(arena + *alen + n, pd->kind == SF_K_CSTR ? 'A' : 0, lo - n);
                n = lo;
            }
            arena[*alen + n] = 0;
            a->tag = SF_A_BYTES;
            a->bytes = arena + *alen;
            a->len = n;
            *alen += n + 1;
            break;
        }
        case SF_K_OUTBUF:
            a->tag = SF_A_OUTBUF;
            a->len = read_len(c, pd);
            break;
        case SF_K_LEN:
            a->tag = SF_A_LEN;
            break;
        case SF_K_OUTRES:
            a->tag = SF_A_OUTSLOT;
            a->slot = (int32_t)(st->n_slots + k++);
            break;
        case SF_K_OUTSTRUCT:
            a->tag = SF_A_OUTSTRUCT;
            a->len = s->layouts[pd->layout].size;
            break;
        default: /* EXTENT, OUTEXTENT: sf__fill_lens */
            break;
        }
    }
    sf__fill_lens(fd, op);
    if (!sf__op_finish(st, fd, op, dropped, &op->ret_slot)) {
        *alen = a0;
        return 0;
    }
    return 1;
}

void sf__builtin_op(sf__pstate *st, sf_op *op, unsigned b)
{
    op->func = -1;
    op->builtin = (int16_t)b;
    op->ret_slot = -1;
    op->n_args = 0;
    if (b == SF_B_STALE)
        st->stale_pending = 1;
}

/* *out is owned by the caller (sf_prog_free); data is only borrowed. */
int sf_prog_decode(const sf_spec *spec, const sf_limits *lim, const uint8_t *data, size_t size,
                   sf_prog **out)
{
    if (!out)
        return SF_EINVAL;
    *out = NULL;
    if (!spec)
        return SF_EINVAL;
    if (!data)
        size = 0;
    sf__optab t;
    sf__optab_build(spec, &t);
    sf_limits l = sf__eff_limits(lim);
    /* Every kept op reads at least its selector byte, so size bounds ops. */
    size_t ops_cap = t.n ? (size < l.max_ops ? size : l.max_ops) : 0;
    size_t data_cap = sf__mul_sat(ops_cap, t.max_data);
    if (data_cap > size)
        data_cap = size;
    data_cap += sf__mul_sat(ops_cap, t.max_pad);
    sf__pstate st;
    sf_prog *p = sf__prog_alloc(spec, l, ops_cap, sf__mul_sat(ops_cap, t.max_prod),
                                data_cap + ops_cap * SF_MAX_PARAMS, &st);
    if (!p)
        return SF_ENOMEM;
    uint8_t *arena = ((sf__prog_priv *)p->arena)->bytes;
    size_t alen = 0;
    sf_cursor c = sf_cursor_make(data, size);
    uint64_t attempts = (uint64_t)l.max_ops * ATTEMPTS_PER_OP;
    while (p->n_ops < ops_cap && attempts-- > 0 && sf_cursor_remaining(&c) > 0) {
        sf_op *op = &p->ops[p->n_ops];
        uint32_t off = (uint32_t)sf_cursor_offset(&c);
        int32_t e = t.ent[sf_cursor_u8(&c) % t.n];
        int kept = 1;
        if (e < 0)
            sf__builtin_op(&st, op, (unsigned)(-1 - e));
        else
            kept = dec_call(&st, e, &c, op, arena, &alen);
        if (kept) {
            op->offset = off;
            p->n_ops++;
        }
    }
    p->n_slots = st.n_slots;
    p->n_read = (uint32_t)sf_cursor_offset(&c);
    *out = p;
    return 0;
}

/* ---- encoding ------------------------------------------------------------ */

/* Writes length n (in [min, max]) as read_len reads it: n - min, which
 * never is one of the favoured raw values when those are in use. */
static void put_len(sf_buf *b, const sf_param_desc *pd, size_t n)
{
    uint64_t raw = n - sf__len_min(pd);
    for (unsigned i = 0; i < len_width(pd); i++)
        sf_buf_byte(b, (unsigned)(raw >> (8 * i)) & 0xffu);
}

/* Appends the bytes of argument pi of op (earlier arguments already done)
 * and applies its effect to st.  *k counts this op's OUTRES slots.  Returns
 * 0 or the R_* reason why no byte string decodes to that argument here. */
int sf__enc_param(sf__pstate *st, const sf_func_desc *fd, uint32_t pi, const sf_op *op, uint32_t *k,
                  sf_buf *bv)
{
    const sf_param_desc *pd = &fd->params[pi];
    const sf_arg *a = &op->args[pi];
    switch (pd->kind) {
    case SF_K_INT:
    case SF_K_UINT:
    case SF_K_BOOL: {
        uint64_t raw;
        unsigned w = pd->kind == SF_K_BOOL ? 1u : pd->width;
        if (a->tag != SF_A_SCALAR)
            return SF__R_KIND;
        int r = scalar_to_raw(pd, a->v.u, &raw);
        if (r)
            return r;
        for (unsigned i = 0; i < w; i++)
            sf_buf_byte(bv, (unsigned)(raw >> (8 * i)));
        return SF__R_OK;
    }
    case SF_K_RES: {
        cands(st, pd->res);
        int target = sf__stale_target(st, pd);
        uint32_t v;
        int tag = res_index(st, pd, a, &v);
        if (tag < 0)
            return SF__R_RES;
        sf_buf_byte(bv, v & 0xffu);
        if (wide_index(st, pd, v & 0xffu)) {
            sf_buf_byte(bv, (v >> 8) & 0xffu);
            sf_buf_byte(bv, v >> 16);
        }
        /* res_index checked that v picks a->slot, the one res_effect uses. */
        res_effect(st, fd, pi, tag, a->slot, target);
        return SF__R_OK;
    }
    case SF_K_BUF:
    case SF_K_CSTR:
        if (a->tag != SF_A_BYTES || (a->len && !a->bytes))
            return SF__R_KIND;
        if (a->len > sf__len_max(pd))
            return SF__R_LONG;
        if (a->len < sf__len_min(pd))
            return SF__R_SHORT;
        if (pd->kind == SF_K_CSTR && a->len && memchr(a->bytes, 0, a->len))
            return SF__R_NUL;
        put_len(bv, pd, a->len);
        sf_buf_put(bv, a->bytes, a->len);
        return SF__R_OK;
    case SF_K_OUTBUF:
        if (a->tag != SF_A_OUTBUF)
            return SF__R_KIND;
        if (a->len > sf__len_max(pd))
            return SF__R_LONG;
        if (a->len < sf__len_min(pd))
            return SF__R_SHORT;
        put_len(bv, pd, a->len);
        return SF__R_OK;
    case SF_K_OUTRES:
        if (a->tag != SF_A_OUTSLOT || a->slot != (int32_t)(st->n_slots + *k))
            return SF__R_SLOTNUM;
        (*k)++;
        return SF__R_OK;
    case SF_K_OUTSTRUCT:
        return a->tag == SF_A_OUTSTRUCT ? SF__R_OK : SF__R_KIND;
    case SF_K_CALLBACK: {
        const sf_cb_desc *cb = sf__cb_of(st->spec, pd);
        if (a->tag != SF_A_SCALAR || !cb || a->v.u >= cb->n_impls)
            return SF__R_CHOICE;
        sf_buf_byte(bv, (unsigned)a->v.u);
        return SF__R_OK;
    }
    default: /* SF_K_LEN, SF_K_EXTENT, SF_K_OUTEXTENT, SF_K_USERDATA: nothing in the bytes */
        return SF__R_OK;
    }
}

/* A newest-first live candidate of parameter pd's type in st, or -1: what
 * SF__ENC_REBIND passes in place of a slot whose producer is gone. */
static int32_t newest_live(sf__pstate *st, const sf_param_desc *pd)
{
    cands(st, pd->res);
    return st->n_cl ? cand_live(st, st->n_cl - 1) : -1;
}

/* Encodes one call op o (a copy the caller owns: its resource and out slots
 * are renamed here) into bv, or drops it.  map[old slot] is the new slot of
 * every earlier old slot, -1 when its producer was dropped (map == NULL in
 * SF__ENC_STRICT mode: the slots must already be the encoder's).  Returns 1
 * when the op was kept, 0 when dropped, -1 when strict mode fails. */
static int enc_call(sf__pstate *st, const sf_func_desc *fd, int sel, sf_op *o, int32_t *map,
                    uint32_t n_map, int mode, sf_buf *bv)
{
    size_t mark = bv->len;
    int bad = 0;
    sf_buf_byte(bv, (unsigned)sel);
    uint32_t k = sf__op_begin(st, fd);
    if (map) {
        /* Produced slots get the numbers the decoder will give them. */
        uint32_t kk = k;
        for (uint32_t pi = 0; pi < fd->n_params; pi++)
            if (fd->params[pi].kind == SF_K_OUTRES && o->args[pi].tag == SF_A_OUTSLOT)
                o->args[pi].slot = (int32_t)(st->n_slots + kk++);
    }
    for (uint32_t pi = 0; pi < fd->n_params && !bad; pi++) {
        sf_arg *a = &o->args[pi];
        if (map && (a->tag == SF_A_SLOT || a->tag == SF_A_STALE)) {
            int32_t old = a->slot;
            a->slot = old >= 0 && (uint32_t)old < n_map ? map[old] : -1;
            if (a->slot < 0 && mode == SF__ENC_REBIND && a->tag == SF_A_SLOT)
                a->slot = newest_live(st, &fd->params[pi]);
            if (a->slot < 0) {
                bad = 1;
                break;
            }
        }
        if (sf__enc_param(st, fd, pi, o, &k, bv))
            bad = 1;
    }
    int32_t ret_slot;
    int kept = sf__op_finish(st, fd, o, bad, &ret_slot);
    if (!map) {
        if (!kept || ret_slot != o->ret_slot)
            return -1;
        return 1;
    }
    if (!kept) {
        bv->len = mark;
        return 0;
    }
    o->ret_slot = ret_slot;
    return 1;
}

int sf__enc_ops(const sf_spec *s, sf_limits l, const sf_op *ops, uint32_t n, uint32_t n_slots,
                int mode, sf_buf *bv, uint8_t *kept)
{
    sf__optab t;
    sf__optab_build(s, &t);
    size_t slots_cap = sf__mul_sat(n, t.max_prod);
    if (slots_cap > INT32_MAX || (mode != SF__ENC_STRICT && n_slots > INT32_MAX))
        return SF_ENOMEM;
    /* Scratch: slot_holder, slot_parent, slot_kids, the candidate trees,
     * slot_res, slot_st and, when
     * renaming, the slot map. */
    size_t cb = cand_bytes(s, slots_cap);
    size_t nm = mode == SF__ENC_STRICT ? 0 : n_slots;
    if (cb == SIZE_MAX || nm > (SIZE_MAX / 8) / sizeof(int32_t))
        return SF_ENOMEM;
    size_t scratch = slots_cap * (3 * sizeof(int32_t) + sizeof(int16_t) + 1) + cb;
    uint8_t *m = sf_calloc(scratch + 4 + nm * sizeof(int32_t));
    if (!m)
        return SF_ENOMEM;
    sf__pstate st;
    memset(&st, 0, sizeof st);
    st.spec = s;
    st.max_live = l.max_live;
    st.slot_holder = (int32_t *)(void *)m;
    st.slot_parent = st.slot_holder + slots_cap;
    st.slot_kids = (uint32_t *)(void *)(st.slot_parent + slots_cap);
    cand_init(&st, (uint8_t *)(st.slot_kids + slots_cap), slots_cap);
    st.slot_res = (int16_t *)(void *)((uint8_t *)(st.slot_kids + slots_cap) + cb);
    st.slot_st = (uint8_t *)(st.slot_res + slots_cap);
    int32_t *map = NULL;
    if (mode != SF__ENC_STRICT) {
        map = (int32_t *)(void *)(m + ((scratch + 3) & ~(size_t)3));
        for (size_t i = 0; i < nm; i++)
            map[i] = -1;
    }
    int rc = 0;
    for (uint32_t i = 0; i < n && !rc; i++) {
        const sf_op *op = &ops[i];
        if (kept)
            kept[i] = 0;
        if (op->func < 0) {
            int sel = op->builtin >= 0 && op->builtin < SF_B__COUNT
                          ? sf__optab_find(&t, -1 - (int32_t)op->builtin)
                          : -1;
            if (sel < 0) {
                rc = mode == SF__ENC_STRICT ? SF_EINVAL : 0;
                continue;
            }
            sf_buf_byte(bv, (unsigned)sel);
            if (op->builtin == SF_B_STALE)
                st.stale_pending = 1;
            if (kept)
                kept[i] = 1;
            continue;
        }
        int sel = op->func < s->n_funcs ? sf__optab_find(&t, op->func) : -1;
        const sf_func_desc *fd = &s->funcs[sel < 0 ? 0 : op->func];
        if (sel < 0 || op->n_args != fd->n_params) {
            rc = mode == SF__ENC_STRICT ? SF_EINVAL : 0;
            continue;
        }
        sf_op o = *op;
        int r = enc_call(&st, fd, sel, &o, map, (uint32_t)nm, mode, bv);
        if (r < 0) {
            rc = SF_EINVAL;
            break;
        }
        if (r > 0 && kept)
            kept[i] = 1;
        if (map) {
            /* The old numbers of what this op produced now name the new
             * slots (or stay -1: dropped). */
            if (r > 0 && op->ret_slot >= 0 && (uint32_t)op->ret_slot < nm)
                map[op->ret_slot] = o.ret_slot;
            for (uint32_t pi = 0; r > 0 && pi < fd->n_params; pi++) {
                int32_t old = op->args[pi].slot;
                if (op->args[pi].tag == SF_A_OUTSLOT && old >= 0 && (uint32_t)old < nm)
                    map[old] = o.args[pi].slot;
            }
        }
    }
    sf_free(m);
    if (!rc && bv->oom)
        rc = SF_ENOMEM;
    return rc;
}

/* Caller frees *out with sf_free. */
int sf_prog_encode(const sf_prog *p, uint8_t **out, size_t *out_len)
{
    if (!out || !out_len)
        return SF_EINVAL;
    *out = NULL;
    *out_len = 0;
    if (!p || !p->spec || (p->n_ops && !p->ops))
        return SF_EINVAL;
    sf_limits l = p->arena ? ((const sf__prog_priv *)p->arena)->lim : sf_limits_default();
    sf_buf bv = {0};
    int rc = sf__enc_ops(p->spec, l, p->ops, p->n_ops, p->n_slots, SF__ENC_STRICT, &bv, NULL);
    if (rc) {
        sf_free(bv.p);
        return rc;
    }
    if (!bv.p) {
        /* An empty program: still hand back a block the caller can free. */
        bv.p = sf_calloc(1);
        if (!bv.p)
            return SF_ENOMEM;
    }
    *out = (uint8_t *)bv.p;
    *out_len = bv.len;
    return 0;
}
