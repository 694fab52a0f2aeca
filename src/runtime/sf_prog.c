/* sf_prog.c - programs: the byte decoder, the canonical encoder and the text
 * form.  docs/program.md is the specification; the decoder, the encoder and the
 * parser drive one shared slot state machine, so they cannot disagree. */
#include "sf_prog.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_cursor.h"
#include "sf_err.h"

#define TABLE_REACH      256    /* op-table entries a selector byte can reach */
#define SPECIAL_MIN      0xF8u  /* resource bytes from here on may mean null/stale */
#define LEN_MAX          65535u /* longest buffer a 2-byte length can describe */
#define ATTEMPTS_PER_OP  8      /* selectors read per max_ops, dropped ops included */
#define DEFAULT_MAX_OPS  64
#define DEFAULT_MAX_LIVE 256

/* Decode-time state of a slot.  DYING: consumed by the op being decoded; it
 * is neither a live nor a dead candidate until that op ends. */
enum { SLOT_LIVE = 1, SLOT_DYING, SLOT_DEAD };

/* pick() result when a resource argument has no candidate at all. */
enum { PICK_NONE = 0xFF };

/* Why an argument cannot be encoded (0 = it can). */
enum { R_OK = 0, R_KIND, R_RANGE, R_CHOICE, R_FLAGS, R_RES, R_LONG, R_NUL, R_SLOTNUM, R_LIVE };

static const char *const builtin_names[SF_B__COUNT] = {"gc", "yield", "thread", "stale"};

/* The op table of a spec, built on each call (it is a few dozen entries). */
typedef struct optab {
    uint32_t n;               /* fuzzable functions, then enabled built-ins */
    int32_t ent[TABLE_REACH]; /* first 256 entries: function index, or -1 - builtin */
    uint32_t max_prod;        /* most slots one op of the table produces */
    size_t max_data;          /* most BUF/CSTR data bytes one op reads */
} optab;

/* The private tail of a program block: the limits it was made under (the
 * encoder needs max_live) followed by the arena bytes. */
typedef struct prog_priv {
    sf_limits lim;
    uint8_t bytes[];
} prog_priv;

/* The slot state machine shared by decode, encode and parse. */
typedef struct pstate {
    const sf_spec *spec;
    uint32_t max_live;
    uint32_t n_live;   /* slots in state LIVE or DYING */
    uint32_t n_slots;  /* slots committed so far */
    int16_t *slot_res; /* capacity: every slot the op budget can produce */
    int32_t *slot_holder;
    uint8_t *slot_st;
    int32_t *cl, *cd; /* candidates of the current parameter: live, dead */
    uint32_t n_cl, n_cd;
    int stale_pending; /* an @stale op waits for the next kept call */
    int stale_done;    /* the current op has taken its forced stale value */
    uint32_t n_new;    /* slots the current op produces */
    uint32_t n_dying;
    int32_t dying[SF_MAX_PARAMS];
} pstate;

/* A growable byte vector; count_only just measures. */
typedef struct bvec {
    uint8_t *p;
    size_t len, cap;
    int oom, count_only;
} bvec;

/* Returns the default limits by value. */
sf_limits sf_limits_default(void)
{
    sf_limits l = {DEFAULT_MAX_OPS, DEFAULT_MAX_LIVE};
    return l;
}

static sf_limits eff_limits(const sf_limits *lim)
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

static const char *res_name(const sf_spec *s, int r)
{
    return res_ok(s, r) && s->res[r].name ? s->res[r].name : "?";
}

/* Returns 1 when resource type r is want or one of its subtypes. */
static int res_is(const sf_spec *s, int r, int want)
{
    for (uint32_t steps = 0; res_ok(s, r) && steps <= s->n_res; steps++) {
        if (r == want)
            return 1;
        r = s->res[r].parent;
    }
    return 0;
}

static const char *pname(const sf_param_desc *pd)
{
    return pd->name ? pd->name : "?";
}

static int ret_produces(const sf_func_desc *fd)
{
    return fd->ret.kind == SF_K_RES && fd->ret.mode == SF_M_OUT;
}

static uint32_t n_produced(const sf_func_desc *fd)
{
    uint32_t n = ret_produces(fd) ? 1 : 0;
    for (uint32_t i = 0; i < fd->n_params; i++)
        n += fd->params[i].kind == SF_K_OUTRES;
    return n;
}

/* Longest buffer a BUF/CSTR/OUTBUF parameter can get. */
static size_t len_max(const sf_param_desc *pd)
{
    if (pd->max <= 0)
        return 0;
    return pd->max > (int64_t)LEN_MAX ? LEN_MAX : (size_t)pd->max;
}

/* Returns 1 when a RES argument of parameter pi leaves the live set: it is
 * consumed, transferred, or the first resource of a destructor. */
static int consumes(const sf_func_desc *fd, uint32_t pi)
{
    const sf_param_desc *pd = &fd->params[pi];
    if (pd->kind != SF_K_RES)
        return 0;
    if (pd->mode == SF_M_CONSUME || pd->mode == SF_M_TRANSFER)
        return 1;
    if (!(fd->flags & SF_F_DESTRUCTOR))
        return 0;
    for (uint32_t i = 0; i < pi; i++)
        if (fd->params[i].kind == SF_K_RES)
            return 0;
    return 1;
}

/* Returns 1 when function fi can be an op: fuzzable and self-consistent
 * (indices in range, at most SF_MAX_PARAMS parameters). */
static int func_ok(const sf_spec *s, uint32_t fi)
{
    const sf_func_desc *fd = &s->funcs[fi];
    if (fi > INT16_MAX || (fd->flags & (SF_F_PROBE | SF_F_NOFUZZ)) || !fd->name ||
        fd->n_params > SF_MAX_PARAMS || (fd->n_params && !fd->params))
        return 0;
    if (ret_produces(fd) && !res_ok(s, fd->ret.res))
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

static void optab_build(const sf_spec *s, optab *t)
{
    t->n = 0;
    t->max_prod = 0;
    t->max_data = 0;
    for (uint32_t fi = 0; s->funcs && fi < s->n_funcs; fi++) {
        if (!func_ok(s, fi))
            continue;
        const sf_func_desc *fd = &s->funcs[fi];
        uint32_t prod = n_produced(fd);
        size_t data = 0;
        for (uint32_t i = 0; i < fd->n_params; i++)
            if (fd->params[i].kind == SF_K_BUF || fd->params[i].kind == SF_K_CSTR)
                data += len_max(&fd->params[i]);
        if (prod > t->max_prod)
            t->max_prod = prod;
        if (data > t->max_data)
            t->max_data = data;
        if (t->n < TABLE_REACH)
            t->ent[t->n] = (int32_t)fi;
        t->n++;
    }
    for (unsigned b = 0; b < SF_B__COUNT; b++) {
        if (!builtin_on(s, b))
            continue;
        if (t->n < TABLE_REACH)
            t->ent[t->n] = -1 - (int32_t)b;
        t->n++;
    }
}

/* Returns the table index (the selector) of entry e, or -1 past reach. */
static int optab_find(const optab *t, int32_t e)
{
    for (uint32_t i = 0; i < t->n && i < TABLE_REACH; i++)
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

/* Maps the raw little-endian bytes v of an INT/UINT parameter to its value. */
static uint64_t scalar_from_raw(const sf_param_desc *pd, uint64_t v)
{
    unsigned bits = 8u * pd->width;
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
        return x <= 1 ? R_OK : R_RANGE;
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
            return got == x ? R_OK : R_FLAGS;
        }
        for (uint32_t i = 0; i < pd->n_choices; i++) {
            if ((uint64_t)pd->choices[i] == x) {
                *raw = i;
                return i <= mask_of(bits) ? R_OK : R_CHOICE;
            }
        }
        return R_CHOICE;
    }
    if (range_bad(pd))
        return x == (uint64_t)pd->min ? R_OK : R_RANGE;
    if (pd->kind == SF_K_INT ? ((int64_t)x < pd->min || (int64_t)x > pd->max)
                             : (x < (uint64_t)pd->min || x > (uint64_t)pd->max))
        return R_RANGE;
    if (full_range(pd, bits)) {
        *raw = x & mask_of(bits);
        return R_OK;
    }
    *raw = x - (uint64_t)pd->min;
    return *raw <= mask_of(bits) ? R_OK : R_RANGE;
}

/* ---- the slot state machine --------------------------------------------- */

/* Fills st->cl/cd with the live and dead slots usable for resource type want. */
static void cands(pstate *st, int want)
{
    st->n_cl = st->n_cd = 0;
    for (uint32_t i = 0; i < st->n_slots; i++) {
        uint8_t s = st->slot_st[i];
        if (s == SLOT_DYING)
            continue;
        if (st->slot_res[i] != want && !res_is(st->spec, st->slot_res[i], want))
            continue;
        if (s == SLOT_LIVE)
            st->cl[st->n_cl++] = (int32_t)i;
        else
            st->cd[st->n_cd++] = (int32_t)i;
    }
}

/* Returns 1 when a pending @stale forces this parameter to a dead slot. */
static int stale_target(const pstate *st, const sf_param_desc *pd)
{
    return st->stale_pending && !st->stale_done && (pd->flags & SF_P_REJECT_STALE) && st->n_cd > 0;
}

/* What resource byte b means for pd given the candidates: SF_A_SLOT,
 * SF_A_NULL, SF_A_STALE or PICK_NONE; *slot (OUT) is the slot or -1. */
static int pick(const pstate *st, const sf_param_desc *pd, unsigned b, int32_t *slot)
{
    *slot = -1;
    if (stale_target(st, pd)) {
        *slot = st->cd[b % st->n_cd];
        return SF_A_STALE;
    }
    if (b >= SPECIAL_MIN) {
        if (!(b & 1u) && (pd->flags & (SF_P_NULLABLE | SF_P_REJECT_NULL)))
            return SF_A_NULL;
        if ((b & 1u) && (pd->flags & SF_P_REJECT_STALE) && st->n_cd > 0) {
            *slot = st->cd[(b >> 1) % st->n_cd];
            return SF_A_STALE;
        }
    }
    if (st->n_cl == 0)
        return PICK_NONE;
    *slot = st->cl[b % st->n_cl];
    return SF_A_SLOT;
}

/* Applies what choosing (tag, slot) for parameter pi does to the live set. */
static void res_effect(pstate *st, const sf_func_desc *fd, uint32_t pi, int tag, int32_t slot,
                       int was_target)
{
    if (was_target)
        st->stale_done = 1;
    if (tag == SF_A_SLOT && consumes(fd, pi)) {
        st->slot_st[slot] = SLOT_DYING;
        st->dying[st->n_dying++] = slot;
    }
}

/* Starts a call op; returns the index (0 or 1) of its first OUTRES slot
 * among the slots it produces (the returned resource comes first). */
static uint32_t op_begin(pstate *st, const sf_func_desc *fd)
{
    st->stale_done = 0;
    st->n_dying = 0;
    st->n_new = n_produced(fd);
    return ret_produces(fd) ? 1 : 0;
}

/* Ends a call op: drops it (returns 0, undoing its effects) when dropped is
 * set or its new slots would pass max_live; else commits it (returns 1,
 * *ret_slot = the returned resource's slot or -1). */
static int op_finish(pstate *st, const sf_func_desc *fd, const sf_op *op, int dropped,
                     int32_t *ret_slot)
{
    *ret_slot = -1;
    if (!dropped && st->n_new && (uint64_t)st->n_live + st->n_new > st->max_live)
        dropped = 1;
    if (dropped) {
        for (uint32_t i = 0; i < st->n_dying; i++)
            st->slot_st[st->dying[i]] = SLOT_LIVE;
        st->n_dying = 0;
        st->stale_done = 0;
        return 0;
    }
    for (uint32_t i = 0; i < st->n_dying; i++)
        st->slot_st[st->dying[i]] = SLOT_DEAD;
    st->n_live -= st->n_dying;
    uint32_t base = st->n_slots, k = 0;
    if (ret_produces(fd)) {
        st->slot_res[base] = fd->ret.res;
        *ret_slot = (int32_t)base;
        k++;
    }
    for (uint32_t i = 0; i < fd->n_params; i++)
        if (fd->params[i].kind == SF_K_OUTRES)
            st->slot_res[base + k++] = fd->params[i].res;
    for (uint32_t i = 0; i < k; i++) {
        st->slot_st[base + i] = SLOT_LIVE;
        st->slot_holder[base + i] = -1;
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

/* LEN arguments copy the length of their linked buffer. */
static void fill_lens(const sf_func_desc *fd, sf_op *op)
{
    for (uint32_t i = 0; i < fd->n_params; i++) {
        if (fd->params[i].kind != SF_K_LEN)
            continue;
        sf_arg *a = &op->args[i];
        a->tag = SF_A_LEN;
        a->len = op->args[fd->params[i].link].len;
        a->v.u = a->len;
    }
}

static void arg_clear(sf_arg *a)
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

/* Allocates one block holding the program, its arrays, the decoder scratch
 * and the arena, and points st at it.  A program is one allocation, so
 * decoding costs one malloc and sf_prog_free one free. */
static sf_prog *prog_alloc(const sf_spec *spec, sf_limits lim, size_t ops_cap, size_t slots_cap,
                           size_t arena_cap, pstate *st)
{
    if (ops_cap > UINT32_MAX || slots_cap > INT32_MAX || ops_cap > (SIZE_MAX / 4) / sizeof(sf_op) ||
        arena_cap > SIZE_MAX / 4)
        return NULL;
    size_t at_ops = align8(sizeof(sf_prog));
    size_t at_holder = align8(at_ops + ops_cap * sizeof(sf_op));
    size_t at_cl = at_holder + slots_cap * sizeof(int32_t);
    size_t at_cd = at_cl + slots_cap * sizeof(int32_t);
    size_t at_res = at_cd + slots_cap * sizeof(int32_t);
    size_t at_st = at_res + slots_cap * sizeof(int16_t);
    size_t at_priv = align8(at_st + slots_cap);
    size_t total = at_priv + sizeof(prog_priv) + arena_cap;
    /* Not zeroed: every byte that is read is written first. */
    uint8_t *m = sf_realloc(NULL, total);
    if (!m)
        return NULL;
    sf_prog *p = (sf_prog *)(void *)m;
    prog_priv *priv = (prog_priv *)(void *)(m + at_priv);
    memset(p, 0, sizeof *p);
    p->spec = spec;
    p->ops = (sf_op *)(void *)(m + at_ops);
    p->slot_holder = (int32_t *)(void *)(m + at_holder);
    p->slot_res = (int16_t *)(void *)(m + at_res);
    p->arena = priv;
    priv->lim = lim;
    memset(st, 0, sizeof *st);
    st->spec = spec;
    st->max_live = lim.max_live;
    st->slot_res = p->slot_res;
    st->slot_holder = p->slot_holder;
    st->slot_st = m + at_st;
    st->cl = (int32_t *)(void *)(m + at_cl);
    st->cd = (int32_t *)(void *)(m + at_cd);
    return p;
}

static size_t mul_sat(size_t a, size_t b)
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

static size_t read_len(sf_cursor *c, const sf_param_desc *pd)
{
    size_t l = pd->max <= 255 ? sf_cursor_u8(c) : sf_cursor_u16(c);
    return l % (len_max(pd) + 1);
}

/* Decodes one call of function fi into op; returns 1 if kept, 0 if dropped.
 * Buffers are copied to arena + *alen (NUL-terminated), rolled back on drop. */
static int dec_call(pstate *st, int32_t fi, sf_cursor *c, sf_op *op, uint8_t *arena, size_t *alen)
{
    const sf_spec *s = st->spec;
    const sf_func_desc *fd = &s->funcs[fi];
    size_t a0 = *alen;
    int dropped = 0;
    uint32_t k = op_begin(st, fd);
    op->func = (int16_t)fi;
    op->builtin = -1;
    op->n_args = fd->n_params;
    for (uint32_t pi = 0; pi < fd->n_params; pi++) {
        const sf_param_desc *pd = &fd->params[pi];
        sf_arg *a = &op->args[pi];
        arg_clear(a);
        switch (pd->kind) {
        case SF_K_INT:
        case SF_K_UINT:
            a->v.u = scalar_from_raw(pd, sf_cursor_uint(c, pd->width));
            break;
        case SF_K_BOOL:
            a->v.u = sf_cursor_u8(c) & 1u;
            break;
        case SF_K_RES: {
            unsigned b = sf_cursor_u8(c);
            cands(st, pd->res);
            int target = stale_target(st, pd);
            int tag = pick(st, pd, b, &a->slot);
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
        }
    }
    fill_lens(fd, op);
    if (!op_finish(st, fd, op, dropped, &op->ret_slot)) {
        *alen = a0;
        return 0;
    }
    return 1;
}

static void builtin_op(pstate *st, sf_op *op, unsigned b)
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
    optab t;
    optab_build(spec, &t);
    sf_limits l = eff_limits(lim);
    /* Every kept op reads at least its selector byte, so size bounds ops. */
    size_t ops_cap = t.n ? (size < l.max_ops ? size : l.max_ops) : 0;
    size_t data_cap = mul_sat(ops_cap, t.max_data);
    if (data_cap > size)
        data_cap = size;
    pstate st;
    sf_prog *p = prog_alloc(spec, l, ops_cap, mul_sat(ops_cap, t.max_prod),
                            data_cap + ops_cap * SF_MAX_PARAMS, &st);
    if (!p)
        return SF_ENOMEM;
    uint8_t *arena = ((prog_priv *)p->arena)->bytes;
    size_t alen = 0;
    sf_cursor c = sf_cursor_make(data, size);
    uint64_t attempts = (uint64_t)l.max_ops * ATTEMPTS_PER_OP;
    while (p->n_ops < ops_cap && attempts-- > 0 && sf_cursor_remaining(&c) > 0) {
        sf_op *op = &p->ops[p->n_ops];
        uint32_t off = (uint32_t)sf_cursor_offset(&c);
        int32_t e = t.ent[sf_cursor_u8(&c) % t.n];
        int kept = 1;
        if (e < 0)
            builtin_op(&st, op, (unsigned)(-1 - e));
        else
            kept = dec_call(&st, e, &c, op, arena, &alen);
        if (kept) {
            op->offset = off;
            p->n_ops++;
        }
    }
    p->n_slots = st.n_slots;
    *out = p;
    return 0;
}

/* ---- encoding ------------------------------------------------------------ */

static void bv_put(bvec *b, const void *src, size_t n)
{
    if (!b->count_only && !b->oom && n) {
        if (b->cap - b->len < n) {
            size_t cap = b->cap ? b->cap * 2 : 64;
            while (cap - b->len < n)
                cap *= 2;
            uint8_t *q = sf_realloc(b->p, cap);
            if (!q) {
                b->oom = 1;
                return;
            }
            b->p = q;
            b->cap = cap;
        }
        memcpy(b->p + b->len, src, n);
    }
    b->len += n;
}

static void bv_byte(bvec *b, unsigned v)
{
    uint8_t x = (uint8_t)v;
    bv_put(b, &x, 1);
}

static void put_len(bvec *b, const sf_param_desc *pd, size_t n)
{
    bv_byte(b, (unsigned)(n & 0xff));
    if (pd->max > 255)
        bv_byte(b, (unsigned)(n >> 8));
}

/* Appends the bytes of argument pi of op (earlier arguments already done)
 * and applies its effect to st.  *k counts this op's OUTRES slots.  Returns
 * 0 or the R_* reason why no byte string decodes to that argument here. */
static int enc_param(pstate *st, const sf_func_desc *fd, uint32_t pi, const sf_op *op, uint32_t *k,
                     bvec *bv)
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
            return R_KIND;
        int r = scalar_to_raw(pd, a->v.u, &raw);
        if (r)
            return r;
        for (unsigned i = 0; i < w; i++)
            bv_byte(bv, (unsigned)(raw >> (8 * i)));
        return R_OK;
    }
    case SF_K_RES: {
        cands(st, pd->res);
        int target = stale_target(st, pd);
        for (unsigned b = 0; b < 256; b++) {
            int32_t slot;
            int tag = pick(st, pd, b, &slot);
            if (tag == a->tag && (tag == SF_A_NULL || slot == a->slot)) {
                bv_byte(bv, b);
                res_effect(st, fd, pi, tag, slot, target);
                return R_OK;
            }
        }
        return R_RES;
    }
    case SF_K_BUF:
    case SF_K_CSTR:
        if (a->tag != SF_A_BYTES || (a->len && !a->bytes))
            return R_KIND;
        if (a->len > len_max(pd))
            return R_LONG;
        if (pd->kind == SF_K_CSTR && a->len && memchr(a->bytes, 0, a->len))
            return R_NUL;
        put_len(bv, pd, a->len);
        bv_put(bv, a->bytes, a->len);
        return R_OK;
    case SF_K_OUTBUF:
        if (a->tag != SF_A_OUTBUF)
            return R_KIND;
        if (a->len > len_max(pd))
            return R_LONG;
        put_len(bv, pd, a->len);
        return R_OK;
    case SF_K_OUTRES:
        if (a->tag != SF_A_OUTSLOT || a->slot != (int32_t)(st->n_slots + *k))
            return R_SLOTNUM;
        (*k)++;
        return R_OK;
    case SF_K_OUTSTRUCT:
        return a->tag == SF_A_OUTSTRUCT ? R_OK : R_KIND;
    default: /* SF_K_LEN: nothing in the bytes */
        return R_OK;
    }
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
    const sf_spec *s = p->spec;
    optab t;
    optab_build(s, &t);
    sf_limits l = p->arena ? ((const prog_priv *)p->arena)->lim : sf_limits_default();
    size_t slots_cap = mul_sat(p->n_ops, t.max_prod);
    if (slots_cap > INT32_MAX)
        return SF_ENOMEM;
    /* Scratch: slot_res, slot_holder, slot_st and the two candidate lists. */
    uint8_t *m = sf_calloc(slots_cap * (3 * sizeof(int32_t) + sizeof(int16_t) + 1));
    if (!m)
        return SF_ENOMEM;
    pstate st;
    memset(&st, 0, sizeof st);
    st.spec = s;
    st.max_live = l.max_live;
    st.slot_holder = (int32_t *)(void *)m;
    st.cl = st.slot_holder + slots_cap;
    st.cd = st.cl + slots_cap;
    st.slot_res = (int16_t *)(void *)(st.cd + slots_cap);
    st.slot_st = (uint8_t *)(st.slot_res + slots_cap);
    bvec bv = {NULL, 0, 0, 0, 0};
    int rc = 0;
    for (uint32_t i = 0; i < p->n_ops && !rc; i++) {
        const sf_op *op = &p->ops[i];
        if (op->func < 0) {
            int sel = op->builtin >= 0 && op->builtin < SF_B__COUNT
                          ? optab_find(&t, -1 - (int32_t)op->builtin)
                          : -1;
            if (sel < 0) {
                rc = SF_EINVAL;
                break;
            }
            bv_byte(&bv, (unsigned)sel);
            if (op->builtin == SF_B_STALE)
                st.stale_pending = 1;
            continue;
        }
        int sel = optab_find(&t, op->func);
        const sf_func_desc *fd = &s->funcs[sel < 0 ? 0 : op->func];
        if (sel < 0 || op->n_args != fd->n_params) {
            rc = SF_EINVAL;
            break;
        }
        bv_byte(&bv, (unsigned)sel);
        uint32_t k = op_begin(&st, fd);
        for (uint32_t pi = 0; pi < fd->n_params && !rc; pi++)
            if (enc_param(&st, fd, pi, op, &k, &bv))
                rc = SF_EINVAL;
        int32_t ret_slot;
        if (!op_finish(&st, fd, op, rc != 0, &ret_slot) || ret_slot != op->ret_slot)
            rc = SF_EINVAL;
    }
    sf_free(m);
    if (!rc && bv.oom)
        rc = SF_ENOMEM;
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
    *out = bv.p;
    *out_len = bv.len;
    return 0;
}

/* ---- printing ------------------------------------------------------------ */

static void put_string(FILE *f, const uint8_t *b, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    putc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned c = b[i];
        if (c == '"' || c == '\\') {
            putc('\\', f);
            putc((int)c, f);
        } else if (c == '\n') {
            fputs("\\n", f);
        } else if (c == '\t') {
            fputs("\\t", f);
        } else if (c >= 0x20 && c < 0x7f) {
            putc((int)c, f);
        } else {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            fwrite(e, 1, sizeof e, f);
        }
    }
    putc('"', f);
}

static void put_arg(FILE *f, const sf_prog *p, const sf_param_desc *pd, const sf_arg *a)
{
    switch (a->tag) {
    case SF_A_SCALAR:
        if (pd->kind == SF_K_BOOL)
            fputs(a->v.u ? "true" : "false", f);
        else if (pd->n_choices && (pd->flags & SF_P_FLAGS))
            fprintf(f, "0x%" PRIx64, a->v.u);
        else if (pd->kind == SF_K_INT)
            fprintf(f, "%" PRId64, a->v.i);
        else
            fprintf(f, "%" PRIu64, a->v.u);
        break;
    case SF_A_SLOT:
        fprintf(f, "r%" PRId32, a->slot);
        break;
    case SF_A_NULL:
        fputs("null", f);
        break;
    case SF_A_STALE:
        fprintf(f, "stale(r%" PRId32 ")", a->slot);
        break;
    case SF_A_BYTES:
        put_string(f, a->bytes, a->len);
        break;
    case SF_A_OUTBUF:
        fprintf(f, "out[%zu]", a->len);
        break;
    case SF_A_OUTSLOT:
        fprintf(f, "&r%" PRId32, a->slot);
        break;
    case SF_A_OUTSTRUCT:
        if (p->spec->layouts && pd->layout >= 0 && pd->layout < p->spec->n_layouts &&
            p->spec->layouts[pd->layout].name)
            fprintf(f, "&%s", p->spec->layouts[pd->layout].name);
        else
            fputs("&?", f);
        break;
    default:
        fputs("?", f);
        break;
    }
}

/* p and f are borrowed. */
int sf_prog_print_op(const sf_prog *p, uint32_t i, FILE *f)
{
    if (!p || !f || i >= p->n_ops)
        return SF_EINVAL;
    const sf_op *op = &p->ops[i];
    if (op->func < 0 || op->func >= p->spec->n_funcs) {
        if (op->builtin >= 0 && op->builtin < SF_B__COUNT)
            fprintf(f, "@%s", builtin_names[op->builtin]);
        else
            fputs("@?", f);
        return ferror(f) ? SF_EIO : 0;
    }
    const sf_func_desc *fd = &p->spec->funcs[op->func];
    if (op->ret_slot >= 0)
        fprintf(f, "r%" PRId32 " = ", op->ret_slot);
    fputs(fd->name, f);
    putc('(', f);
    int first = 1;
    for (uint32_t pi = 0; pi < op->n_args && pi < fd->n_params; pi++) {
        if (fd->params[pi].kind == SF_K_LEN)
            continue;
        if (!first)
            fputs(", ", f);
        first = 0;
        put_arg(f, p, &fd->params[pi], &op->args[pi]);
    }
    putc(')', f);
    return ferror(f) ? SF_EIO : 0;
}

/* p and f are borrowed. */
int sf_prog_print(const sf_prog *p, FILE *f)
{
    if (!p || !f)
        return SF_EINVAL;
    fprintf(f, "# seamfuzz program for %s\n", p->spec->name ? p->spec->name : "?");
    for (uint32_t i = 0; i < p->n_ops; i++) {
        int rc = sf_prog_print_op(p, i, f);
        if (rc)
            return rc;
        putc('\n', f);
    }
    return ferror(f) ? SF_EIO : 0;
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct lexer {
    const char *s;
    size_t n, i;   /* text, its length, the position */
    size_t bol;    /* offset of the current line's first byte */
    size_t eol;    /* offset of the current line's '\n' (or n) */
    uint32_t line; /* 1-based */
    char *err;
    size_t errlen;
} lexer;

typedef struct parser {
    lexer lx;
    pstate st;
    optab t;
    sf_prog *p;
    sf_limits lim;
    uint8_t *arena;
    size_t alen;
    bvec bv; /* count_only: the encoded offset of each op */
} parser;

__attribute__((format(printf, 3, 4))) static int perr(lexer *lx, size_t at, const char *fmt, ...)
{
    if (lx->err && lx->errlen) {
        int n = snprintf(lx->err, lx->errlen, "%" PRIu32 ":%zu: ", lx->line, at - lx->bol + 1);
        if (n >= 0 && (size_t)n < lx->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return SF_EPARSE;
}

static int lx_peek(const lexer *lx)
{
    return lx->i < lx->eol ? (unsigned char)lx->s[lx->i] : -1;
}

static void lx_ws(lexer *lx)
{
    while (lx->i < lx->eol && (lx->s[lx->i] == ' ' || lx->s[lx->i] == '\t' || lx->s[lx->i] == '\r'))
        lx->i++;
}

static int lx_accept(lexer *lx, int ch)
{
    lx_ws(lx);
    if (lx_peek(lx) != ch)
        return 0;
    lx->i++;
    return 1;
}

/* Describes the character at the position for a message ("end of line",
 * "'x'", "'\x01'"); d is the caller's buffer. */
static const char *lx_what(const lexer *lx, char d[16])
{
    int c = lx_peek(lx);
    if (c < 0)
        return "end of line";
    if (c == '#')
        return "a comment";
    if (c > 0x20 && c < 0x7f)
        snprintf(d, 16, "'%c'", c);
    else
        snprintf(d, 16, "'\\x%02x'", (unsigned)c);
    return d;
}

static int is_id0(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Length of the identifier at the position (0 if none); does not consume. */
static size_t lx_idlen(const lexer *lx)
{
    size_t j = lx->i;
    if (j >= lx->eol || !is_id0((unsigned char)lx->s[j]))
        return 0;
    while (j < lx->eol && (is_id0((unsigned char)lx->s[j]) || is_digit((unsigned char)lx->s[j])))
        j++;
    return j - lx->i;
}

static int lx_is_word(const lexer *lx, size_t idl, const char *w)
{
    return idl == strlen(w) && memcmp(lx->s + lx->i, w, idl) == 0;
}

/* Returns 1 when the identifier of length idl at the position is a slot name
 * rN; *num (OUT) is N. */
static int slot_name(const lexer *lx, size_t idl, int32_t *num)
{
    const char *s = lx->s + lx->i;
    uint64_t v = 0;
    if (idl < 2 || s[0] != 'r')
        return 0;
    for (size_t j = 1; j < idl; j++) {
        if (!is_digit((unsigned char)s[j]))
            return 0;
        v = v * 10 + (uint64_t)(s[j] - '0');
        if (v > INT32_MAX)
            v = INT32_MAX; /* saturate: such a slot never exists */
    }
    *num = (int32_t)v;
    return 1;
}

/* Reads [-](decimal | 0x hex) for parameter pd into *x (OUT, the value's
 * 64-bit pattern). */
static int lx_int(lexer *lx, const sf_param_desc *pd, uint64_t *x)
{
    size_t at = lx->i;
    int neg = 0, hex = 0;
    uint64_t v = 0;
    if (lx_peek(lx) == '-') {
        neg = 1;
        lx->i++;
    }
    if (lx_peek(lx) == '0' && lx->i + 1 < lx->eol && (lx->s[lx->i + 1] | 0x20) == 'x') {
        hex = 1;
        lx->i += 2;
    }
    size_t d0 = lx->i;
    for (;;) {
        int c = lx_peek(lx), d;
        if (is_digit(c))
            d = c - '0';
        else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            break;
        uint64_t base = hex ? 16 : 10;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return perr(lx, at, "integer out of range");
        v = v * base + (uint64_t)d;
        lx->i++;
    }
    if (lx->i == d0)
        return perr(lx, at, "expected an integer for '%s'", pname(pd));
    if (neg) {
        if (pd->kind != SF_K_INT)
            return perr(lx, at, "'%s' is unsigned", pname(pd));
        if (v > (uint64_t)1 << 63)
            return perr(lx, at, "integer out of range");
        v = 0 - v;
    } else if (pd->kind == SF_K_INT && !hex && v > INT64_MAX) {
        return perr(lx, at, "integer out of range");
    }
    *x = v;
    return 0;
}

/* Reads a string literal into dst (room for every byte of the line);
 * *len (OUT) is its length. */
static int lx_string(lexer *lx, const sf_param_desc *pd, uint8_t *dst, size_t *len)
{
    size_t at = lx->i, n = 0;
    if (lx_peek(lx) != '"')
        return perr(lx, at, "expected a string for '%s'", pname(pd));
    lx->i++;
    for (;;) {
        if (lx->i >= lx->eol)
            return perr(lx, at, "unterminated string");
        unsigned c = (unsigned char)lx->s[lx->i];
        if (c == '"') {
            lx->i++;
            break;
        }
        if (c == '\\') {
            size_t esc = lx->i++;
            int e = lx_peek(lx);
            if (e < 0)
                return perr(lx, at, "unterminated string");
            lx->i++;
            if (e == 'n') {
                c = '\n';
            } else if (e == 't') {
                c = '\t';
            } else if (e == '\\' || e == '"') {
                c = (unsigned)e;
            } else if (e == 'x') {
                c = 0;
                for (int h = 0; h < 2; h++) {
                    int d = lx_peek(lx);
                    if (is_digit(d))
                        c = c * 16 + (unsigned)(d - '0');
                    else if ((d | 0x20) >= 'a' && (d | 0x20) <= 'f')
                        c = c * 16 + (unsigned)((d | 0x20) - 'a' + 10);
                    else
                        return perr(lx, esc, "\\x needs two hex digits");
                    lx->i++;
                }
            } else {
                char d[16];
                lx->i--;
                return perr(lx, esc, "unknown escape '\\' followed by %s", lx_what(lx, d));
            }
        } else {
            lx->i++;
        }
        dst[n++] = (uint8_t)c;
    }
    *len = n;
    return 0;
}

/* Explains why resource argument a cannot stand for parameter pd here. */
static int res_why(parser *ps, size_t at, const sf_param_desc *pd, const sf_arg *a)
{
    lexer *lx = &ps->lx;
    const pstate *st = &ps->st;
    const sf_spec *s = st->spec;
    const char *want = res_name(s, pd->res);
    if (stale_target(st, pd) && a->tag != SF_A_STALE)
        return perr(lx, at, "@stale requires a stale resource for '%s'", pname(pd));
    if (a->tag == SF_A_NULL) {
        if (!(pd->flags & (SF_P_NULLABLE | SF_P_REJECT_NULL)))
            return perr(lx, at, "'%s' does not take null", pname(pd));
        return perr(lx, at, "null cannot be encoded for '%s' here", pname(pd));
    }
    int32_t r = a->slot;
    if (!res_is(s, st->slot_res[r], pd->res))
        return perr(lx, at, "r%" PRId32 " is a %s, but '%s' takes a %s", r,
                    res_name(s, st->slot_res[r]), pname(pd), want);
    if (st->slot_st[r] == SLOT_DYING)
        return perr(lx, at, "r%" PRId32 " is already consumed by this call", r);
    if (a->tag == SF_A_SLOT) {
        if (st->slot_st[r] == SLOT_DEAD)
            return perr(lx, at,
                        "r%" PRId32 " is no longer live (write stale(r%" PRId32
                        ") to pass it on purpose)",
                        r, r);
        return perr(lx, at, "r%" PRId32 " cannot be selected (too many live %s)", r, want);
    }
    if (st->slot_st[r] == SLOT_LIVE)
        return perr(lx, at, "stale(r%" PRId32 "): r%" PRId32 " is still live", r, r);
    if (!(pd->flags & SF_P_REJECT_STALE))
        return perr(lx, at, "'%s' does not take stale values", pname(pd));
    return perr(lx, at,
                "stale(r%" PRId32 ") cannot be encoded here; write @stale on the line before", r);
}

/* Parses the argument of parameter pi at the position into op->args[pi] and
 * runs it through the encoder (so it is exactly what the bytes can say). */
static int parse_arg(parser *ps, const sf_func_desc *fd, uint32_t pi, sf_op *op, uint32_t *k)
{
    lexer *lx = &ps->lx;
    const sf_param_desc *pd = &fd->params[pi];
    sf_arg *a = &op->args[pi];
    size_t at = lx->i, idl = lx_idlen(lx);
    int32_t num = -1;
    int rc;
    switch (pd->kind) {
    case SF_K_BOOL:
        if (lx_is_word(lx, idl, "true") || lx_is_word(lx, idl, "false")) {
            a->v.u = lx->s[lx->i] == 't';
            lx->i += idl;
        } else if ((rc = lx_int(lx, pd, &a->v.u)) != 0) {
            return rc;
        }
        break;
    case SF_K_INT:
    case SF_K_UINT:
        if ((rc = lx_int(lx, pd, &a->v.u)) != 0)
            return rc;
        break;
    case SF_K_RES:
        if (lx_is_word(lx, idl, "null")) {
            lx->i += idl;
            a->tag = SF_A_NULL;
            a->v.u = ps->st.spec->res[pd->res].invalid;
            break;
        }
        if (lx_is_word(lx, idl, "stale")) {
            lx->i += idl;
            if (!lx_accept(lx, '('))
                return perr(lx, lx->i, "expected '(' after 'stale'");
            lx_ws(lx);
            idl = lx_idlen(lx);
            if (!slot_name(lx, idl, &num))
                return perr(lx, lx->i, "expected a resource name (rN) in stale()");
            lx->i += idl;
            if (!lx_accept(lx, ')'))
                return perr(lx, lx->i, "expected ')' after stale(r%" PRId32, num);
            a->tag = SF_A_STALE;
        } else if (slot_name(lx, idl, &num)) {
            lx->i += idl;
            a->tag = SF_A_SLOT;
        } else {
            return perr(lx, at, "expected a resource (rN, null or stale(rN)) for '%s'", pname(pd));
        }
        if ((uint32_t)num >= ps->st.n_slots)
            return perr(lx, at, "r%" PRId32 " is not defined yet", num);
        a->slot = num;
        break;
    case SF_K_BUF:
    case SF_K_CSTR:
        a->tag = SF_A_BYTES;
        a->bytes = ps->arena + ps->alen;
        if ((rc = lx_string(lx, pd, ps->arena + ps->alen, &a->len)) != 0)
            return rc;
        ps->arena[ps->alen + a->len] = 0;
        ps->alen += a->len + 1;
        break;
    case SF_K_OUTBUF: {
        sf_param_desc n = *pd;
        n.kind = SF_K_UINT;
        if (!lx_is_word(lx, idl, "out"))
            return perr(lx, at, "expected out[N] for '%s'", pname(pd));
        lx->i += idl;
        if (!lx_accept(lx, '['))
            return perr(lx, lx->i, "expected '[' after 'out'");
        lx_ws(lx);
        uint64_t v;
        if ((rc = lx_int(lx, &n, &v)) != 0)
            return rc;
        if (!lx_accept(lx, ']'))
            return perr(lx, lx->i, "expected ']'");
        a->tag = SF_A_OUTBUF;
        a->len = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
        break;
    }
    case SF_K_OUTRES:
        if (lx_peek(lx) != '&')
            return perr(lx, at, "expected &r%" PRIu32 " for '%s'", ps->st.n_slots + *k, pname(pd));
        lx->i++;
        idl = lx_idlen(lx);
        if (!slot_name(lx, idl, &num) || (uint32_t)num != ps->st.n_slots + *k)
            return perr(lx, at, "expected &r%" PRIu32 " for '%s' (resources are numbered in order)",
                        ps->st.n_slots + *k, pname(pd));
        lx->i += idl;
        a->tag = SF_A_OUTSLOT;
        a->slot = num;
        break;
    case SF_K_OUTSTRUCT: {
        const char *ln = ps->st.spec->layouts[pd->layout].name;
        int amp = lx_peek(lx) == '&';
        lx->i += amp;
        idl = lx_idlen(lx);
        if (!amp || !lx_is_word(lx, idl, ln))
            return perr(lx, at, "expected &%s for '%s'", ln, pname(pd));
        lx->i += idl;
        a->tag = SF_A_OUTSTRUCT;
        a->len = ps->st.spec->layouts[pd->layout].size;
        break;
    }
    default:
        break;
    }
    rc = enc_param(&ps->st, fd, pi, op, k, &ps->bv);
    switch (rc) {
    case R_OK:
        return 0;
    case R_RANGE:
        if (pd->kind == SF_K_BOOL)
            return perr(lx, at, "'%s' is a bool: write true or false", pname(pd));
        if (pd->kind == SF_K_INT)
            return perr(lx, at, "%" PRId64 " is out of range [%" PRId64 ", %" PRId64 "] for '%s'",
                        a->v.i, pd->min, pd->max, pname(pd));
        return perr(lx, at, "%" PRIu64 " is out of range [%" PRIu64 ", %" PRIu64 "] for '%s'",
                    a->v.u, (uint64_t)pd->min, (uint64_t)pd->max, pname(pd));
    case R_CHOICE:
        return perr(lx, at, "%" PRId64 " is not one of the choices of '%s'", a->v.i, pname(pd));
    case R_FLAGS:
        return perr(lx, at, "0x%" PRIx64 " is not a combination of the flags of '%s'", a->v.u,
                    pname(pd));
    case R_LONG:
        return perr(lx, at, "%zu bytes is more than the maximum %zu of '%s'", a->len, len_max(pd),
                    pname(pd));
    case R_NUL:
        return perr(lx, at, "C string '%s' cannot contain \\x00", pname(pd));
    case R_RES:
        return res_why(ps, at, pd, a);
    default:
        return perr(lx, at, "bad argument for '%s'", pname(pd));
    }
}

/* After an op: only blanks or a comment may follow. */
static int parse_eol(parser *ps)
{
    lexer *lx = &ps->lx;
    char d[16];
    lx_ws(lx);
    if (lx->i < lx->eol && lx->s[lx->i] != '#')
        return perr(lx, lx->i, "unexpected %s after the op", lx_what(lx, d));
    return 0;
}

/* Looks the function name at the position up; *fi (OUT). */
static int parse_func(parser *ps, size_t idl, int32_t *fi, int *sel)
{
    lexer *lx = &ps->lx;
    const sf_spec *s = ps->st.spec;
    for (uint32_t i = 0; i < s->n_funcs && s->funcs; i++) {
        const char *nm = s->funcs[i].name;
        if (!nm || !lx_is_word(lx, idl, nm))
            continue;
        *fi = (int32_t)i;
        *sel = optab_find(&ps->t, (int32_t)i);
        if (*sel >= 0)
            return 0;
        if (!func_ok(s, i))
            return perr(lx, lx->i, "'%s' is not fuzzable", nm);
        return perr(lx, lx->i, "'%s' cannot be selected (more than 256 ops in the table)", nm);
    }
    return perr(lx, lx->i, "unknown function '%.*s'", (int)idl, lx->s + lx->i);
}

static int parse_builtin(parser *ps, sf_op *op)
{
    lexer *lx = &ps->lx;
    size_t at = lx->i++;
    size_t idl = lx_idlen(lx);
    for (unsigned b = 0; b < SF_B__COUNT; b++) {
        if (!lx_is_word(lx, idl, builtin_names[b]))
            continue;
        int sel = optab_find(&ps->t, -1 - (int32_t)b);
        if (sel < 0)
            return perr(lx, at, "built-in '@%s' is not enabled for this spec", builtin_names[b]);
        lx->i += idl;
        bv_byte(&ps->bv, (unsigned)sel);
        builtin_op(&ps->st, op, b);
        return parse_eol(ps);
    }
    if (!idl)
        return perr(lx, at, "expected a built-in name after '@'");
    return perr(lx, at, "unknown built-in '@%.*s'", (int)idl, lx->s + lx->i);
}

/* Parses the current line (at most one op) into ps->p. */
static int parse_line(parser *ps)
{
    lexer *lx = &ps->lx;
    sf_prog *p = ps->p;
    char d[16];
    int rc;
    lx_ws(lx);
    if (lx->i >= lx->eol || lx->s[lx->i] == '#')
        return 0;
    size_t op_at = lx->i;
    if (p->n_ops >= ps->lim.max_ops)
        return perr(lx, op_at, "too many ops (max_ops is %" PRIu32 ")", ps->lim.max_ops);
    sf_op *op = &p->ops[p->n_ops];
    uint32_t off = (uint32_t)ps->bv.len;
    if (lx->s[lx->i] == '@') {
        if ((rc = parse_builtin(ps, op)) != 0)
            return rc;
        op->offset = off;
        p->n_ops++;
        return 0;
    }
    int32_t bind = -1, fi = -1;
    int sel = -1;
    size_t bind_at = 0, idl = lx_idlen(lx);
    if (slot_name(lx, idl, &bind)) {
        bind_at = lx->i;
        lx->i += idl;
        if (!lx_accept(lx, '=')) {
            lx->i = bind_at;
            bind = -1;
        } else {
            lx_ws(lx);
            idl = lx_idlen(lx);
            if (!idl)
                return perr(lx, lx->i, "expected a function name after '=', found %s",
                            lx_what(lx, d));
        }
    }
    if (!idl)
        return perr(lx, lx->i, "expected a call or a built-in (@name), found %s", lx_what(lx, d));
    if ((rc = parse_func(ps, idl, &fi, &sel)) != 0)
        return rc;
    const sf_func_desc *fd = &ps->st.spec->funcs[fi];
    if (ret_produces(fd) && bind < 0)
        return perr(lx, lx->i, "'%s' returns a resource: write 'r%" PRIu32 " = %s(...)'", fd->name,
                    ps->st.n_slots, fd->name);
    if (!ret_produces(fd) && bind >= 0)
        return perr(lx, bind_at, "'%s' returns no resource: remove 'r%" PRId32 " ='", fd->name,
                    bind);
    if (bind >= 0 && (uint32_t)bind != ps->st.n_slots)
        return perr(lx, bind_at, "expected r%" PRIu32 " (resources are numbered in order)",
                    ps->st.n_slots);
    lx->i += idl;
    if (!lx_accept(lx, '('))
        return perr(lx, lx->i, "expected '(' after '%s', found %s", fd->name, lx_what(lx, d));
    op->func = (int16_t)fi;
    op->builtin = -1;
    op->n_args = fd->n_params;
    bv_byte(&ps->bv, (unsigned)sel);
    uint32_t k = op_begin(&ps->st, fd);
    int first = 1;
    for (uint32_t pi = 0; pi < fd->n_params; pi++) {
        arg_clear(&op->args[pi]);
        if (fd->params[pi].kind == SF_K_LEN)
            continue;
        lx_ws(lx);
        if (!first && !lx_accept(lx, ',')) {
            if (lx_peek(lx) == ')')
                return perr(lx, lx->i, "missing argument '%s' of '%s'", pname(&fd->params[pi]),
                            fd->name);
            return perr(lx, lx->i, "expected ',' or ')', found %s", lx_what(lx, d));
        }
        lx_ws(lx);
        if (first && lx_peek(lx) == ')')
            return perr(lx, lx->i, "missing argument '%s' of '%s'", pname(&fd->params[pi]),
                        fd->name);
        first = 0;
        if ((rc = parse_arg(ps, fd, pi, op, &k)) != 0)
            return rc;
    }
    if (!lx_accept(lx, ')')) {
        if (lx_peek(lx) == ',')
            return perr(lx, lx->i, "too many arguments for '%s'", fd->name);
        return perr(lx, lx->i, "expected ')', found %s", lx_what(lx, d));
    }
    if ((rc = parse_eol(ps)) != 0)
        return rc;
    fill_lens(fd, op);
    if (!op_finish(&ps->st, fd, op, 0, &op->ret_slot))
        return perr(lx, op_at, "too many live resources (max_live is %" PRIu32 ")",
                    ps->st.max_live);
    op->offset = off;
    p->n_ops++;
    return 0;
}

/* text is borrowed; *out is owned by the caller (sf_prog_free). */
int sf_prog_parse(const sf_spec *spec, const sf_limits *lim, const char *text, size_t len,
                  sf_prog **out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = 0;
    if (!out)
        return SF_EINVAL;
    *out = NULL;
    if (!spec || (!text && len))
        return SF_EINVAL;
    parser ps;
    memset(&ps, 0, sizeof ps);
    optab_build(spec, &ps.t);
    ps.lim = eff_limits(lim);
    size_t lines = 1;
    for (const char *q = text; q && (q = memchr(q, '\n', len - (size_t)(q - text))) != NULL; q++)
        lines++;
    size_t ops_cap = lines < ps.lim.max_ops ? lines : ps.lim.max_ops;
    /* String contents are never longer than their escaped text. */
    ps.p = prog_alloc(spec, ps.lim, ops_cap, mul_sat(ops_cap, ps.t.max_prod),
                      len + ops_cap * SF_MAX_PARAMS, &ps.st);
    if (!ps.p)
        return SF_ENOMEM;
    ps.arena = ((prog_priv *)ps.p->arena)->bytes;
    ps.bv.count_only = 1;
    ps.lx.s = text;
    ps.lx.n = len;
    ps.lx.err = err;
    ps.lx.errlen = errlen;
    ps.lx.line = 1;
    for (size_t bol = 0; bol <= len; ps.lx.line++) {
        const char *nl = len > bol ? memchr(text + bol, '\n', len - bol) : NULL;
        ps.lx.bol = ps.lx.i = bol;
        ps.lx.eol = nl ? (size_t)(nl - text) : len;
        int rc = parse_line(&ps);
        if (rc) {
            sf_prog_free(ps.p);
            return rc;
        }
        bol = ps.lx.eol + 1;
    }
    ps.p->n_slots = ps.st.n_slots;
    *out = ps.p;
    return 0;
}
