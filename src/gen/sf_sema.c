/* sf_sema.c - semantic checks of a parsed .seam spec and its lowering to the
 * sf_desc.h tables.  Every check reports at the offending name's location.
 */
#include <string.h>

#include "sf_err.h"
#include "sf_seam_int.h"

/* ---- Lookups ----------------------------------------------------------- */

static int find_kind(sf_seam *s, const sf__ref *r, uint8_t kind, const char *what, const char *hint)
{
    sf__sym *sym = sf__sym_find(s, r->name);
    if (sym == NULL) {
        sf__diag_add(s, r->loc, hint, "unknown %s '%s'", what, r->name);
        return -1;
    }
    if (sym->kind != kind) {
        sf__diag_add(s, r->loc, hint, "'%s' is not a %s", r->name, what);
        return -1;
    }
    return (int)sym->idx;
}

static int param_index(const sf__func *f, const char *name)
{
    for (uint32_t i = 0; i < f->n_params; i++)
        if (strcmp(f->params[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* 1 if resource r is a or a subtype of a. */
static int res_is_a(const sf_seam *s, int r, int a)
{
    for (int d = 0; r >= 0 && d < 64; d++) {
        if (r == a)
            return 1;
        r = s->res[r].parent_idx;
    }
    return 0;
}

/* 1 if library side `from` can call a function of library `lib`. */
static int side_can_call(const sf_seam *s, int from, int lib)
{
    if (from == SF_SIDE_C || s->libs[lib].side == from)
        return 1;
    for (uint32_t i = 0; i < s->n_libs; i++) {
        if (s->libs[i].side != from)
            continue;
        for (uint32_t u = 0; u < s->libs[i].n_uses; u++)
            if (s->libs[i].uses[u].name && strcmp(s->libs[i].uses[u].name, s->libs[lib].name) == 0)
                return 1;
    }
    return 0;
}

/* ---- Libraries --------------------------------------------------------- */

static void check_libs(sf_seam *s)
{
    for (uint32_t i = 0; i < s->n_libs; i++) {
        sf__lib *l = &s->libs[i];
        for (uint32_t u = 0; u < l->n_uses; u++) {
            int j = find_kind(s, &l->uses[u], SF__S_LIB, "library",
                              "`uses` names libraries declared in this spec");
            if (j >= 0 && (uint32_t)j == i)
                sf__diag_add(s, l->uses[u].loc, "remove it", "library '%s' uses itself", l->name);
        }
    }
}

/* ---- Resources --------------------------------------------------------- */

/* Resolves parents and inherits properties; depth-first with a cycle cap. */
static int resolve_res(sf_seam *s, int i, int depth)
{
    sf__res *r = &s->res[i];
    if (r->parent_idx != -2)
        return r->parent_idx == -3 ? -1 : 0; /* done, or known bad */
    if (r->base != 2) {
        r->parent_idx = -1;
        r->repr = r->base == 1 ? SF_R_HANDLE : SF_R_PTR;
        return 0;
    }
    if (depth > 32) {
        sf__diag_add(s, r->parent.loc, "a resource cannot be its own ancestor",
                     "subtype cycle through resource '%s'", r->name);
        r->parent_idx = -3;
        return -1;
    }
    int p = find_kind(s, &r->parent, SF__S_RES, "resource",
                      "a subtype names its parent resource: resource Sub : Parent { ... }");
    if (p < 0) {
        r->parent_idx = -3;
        return -1;
    }
    r->parent_idx = -4; /* in progress */
    if (s->res[p].parent_idx == -4 ||
        (s->res[p].parent_idx == -2 && resolve_res(s, p, depth + 1))) {
        if (s->res[p].parent_idx == -4)
            sf__diag_add(s, r->parent.loc, "a resource cannot be its own ancestor",
                         "subtype cycle through resource '%s'", r->name);
        r->parent_idx = -3;
        return -1;
    }
    if (s->res[p].parent_idx == -3) {
        r->parent_idx = -3;
        return -1;
    }
    sf__res *pr = &s->res[p];
    r->parent_idx = (int16_t)p;
    r->repr = pr->repr;
    r->hscalar = pr->hscalar;
    r->ctype = pr->ctype;
    r->base = pr->base == 2 ? (pr->repr == SF_R_HANDLE ? 1 : 0) : pr->base;
    if (!r->has_owner) {
        r->has_owner = pr->has_owner;
        r->owner = pr->owner;
    }
    if (!r->dtor.name)
        r->dtor = pr->dtor;
    if (!r->probe.name)
        r->probe = pr->probe;
    if (!r->code.name)
        r->code = pr->code;
    if (!r->message.name)
        r->message = pr->message;
    if (!r->has_invalid) {
        r->has_invalid = pr->has_invalid;
        r->invalid = pr->invalid;
    }
    if (!r->has_align) {
        r->has_align = pr->has_align;
        r->align = pr->align;
    }
    if (!r->has_size) {
        r->has_size = pr->has_size;
        r->size = pr->size;
    }
    return 0;
}

static void check_res(sf_seam *s)
{
    for (uint32_t i = 0; i < s->n_res; i++) {
        s->res[i].parent_idx = -2;
        s->res[i].dtor_idx = s->res[i].probe_idx = -1;
        s->res[i].code_idx = s->res[i].msg_idx = -1;
        s->res[i].container_idx = -1;
    }
    for (uint32_t i = 0; i < s->n_res; i++)
        resolve_res(s, (int)i, 0);
    for (uint32_t i = 0; i < s->n_res; i++) {
        sf__res *r = &s->res[i];
        if (r->parent_idx < -1)
            continue;
        if (!r->has_owner)
            sf__diag_add(s, r->loc, "add `owner rust;` (or go, c): the side that allocates it",
                         "resource '%s' has no owner", r->name);
        if (!r->dtor.name) {
            sf__diag_add(s, r->loc, "add `dtor FUNC;` naming the function that frees it",
                         "resource '%s' has no destructor", r->name);
        } else {
            r->dtor_idx = (int16_t)find_kind(s, &r->dtor, SF__S_FUNC, "function",
                                             "the destructor must be declared in a library");
        }
        if (r->probe.name)
            r->probe_idx = (int16_t)find_kind(s, &r->probe, SF__S_FUNC, "function",
                                              "the probe must be declared in a library");
        if (r->code.name)
            r->code_idx = (int16_t)find_kind(s, &r->code, SF__S_FUNC, "function",
                                             "the code accessor must be declared in a library");
        if (r->message.name)
            r->msg_idx = (int16_t)find_kind(s, &r->message, SF__S_FUNC, "function",
                                            "the message accessor must be declared in a library");
        if (r->message.name && !r->code.name)
            sf__diag_add(s, r->loc, "an error object has both `code F;` and `message F;`",
                         "error object '%s' has a message accessor but no code accessor", r->name);
        if (r->repr == SF_R_HANDLE && r->ctype)
            sf__diag_add(s, r->loc, NULL, "handle resource '%s' cannot have a pointee type",
                         r->name);
        if (r->repr == SF_R_HANDLE && r->has_align && r->align > 1)
            sf__diag_add(s, r->loc, "alignment applies to pointer resources only",
                         "handle resource '%s' has an alignment", r->name);
        if (r->container.name) {
            sf__sym *sym = sf__sym_find(s, r->container.name);
            if (sym == NULL || sym->kind != SF__S_RES)
                sf__diag_add(s, r->container.loc,
                             "`child of P` names the resource type its producer is given",
                             sym ? "container '%s' of '%s' is not a resource"
                                 : "unknown container '%s' of '%s'",
                             r->container.name, r->name);
            else
                r->container_idx = (int16_t)sym->idx;
        }
    }
    /* Containers form a forest: a chain that comes back is a cycle. */
    for (uint32_t i = 0; i < s->n_res; i++) {
        int c = s->res[i].container_idx;
        for (uint32_t steps = 0; c >= 0 && steps <= s->n_res; steps++) {
            if ((uint32_t)c == i) {
                sf__diag_add(s, s->res[i].container.loc,
                             "a resource cannot (transitively) be a child of itself",
                             "cycle of containers through resource '%s'", s->res[i].name);
                s->res[i].container_idx = -1;
                break;
            }
            c = s->res[c].container_idx;
        }
    }
}

/* ---- Layouts ----------------------------------------------------------- */

static int layout_compute(sf_seam *s, int li, int depth)
{
    sf__layout *l = &s->layouts[li];
    if (l->state == 2)
        return 0;
    if (l->state == 1 || depth > 16) {
        sf__diag_add(s, l->loc, "a layout cannot contain itself", "layout '%s' contains itself",
                     l->name);
        l->state = 3;
        return -1;
    }
    if (l->state == 3)
        return -1;
    l->state = 1;
    uint64_t off = 0, align = 1;
    int bad = 0;
    for (uint32_t i = 0; i < l->n_fields; i++) {
        sf__field *f = &s->layouts[li].fields[i];
        uint64_t fs, fa;
        if (f->scalar != SF__SC_NONE) {
            fs = fa = sf__scalar_width(f->scalar);
        } else {
            int n = find_kind(s, &f->lname, SF__S_LAYOUT, "field type",
                              "field types are i8..u64, usize, isize, bool or a layout");
            if (n < 0 || layout_compute(s, n, depth + 1) < 0) {
                bad = 1;
                continue;
            }
            f->layout = (int16_t)n;
            fs = s->layouts[n].csize;
            fa = s->layouts[n].calign;
        }
        if (f->count)
            fs *= (uint64_t)f->count;
        off = (off + fa - 1) / fa * fa;
        if (f->has_off && (uint64_t)f->off != off) {
            sf__diag_add(s, f->off_loc, "C would place it there; add explicit padding fields",
                         "field '%s' declared at offset %lld but C places it at %llu", f->name,
                         (long long)f->off, (unsigned long long)off);
            bad = 1;
        }
        f->coff = (uint32_t)off;
        f->csize = (uint32_t)fs;
        f->calign = (uint32_t)fa;
        off += fs;
        if (fa > align)
            align = fa;
        if (off > UINT32_MAX / 2) {
            sf__diag_add(s, f->loc, NULL, "layout '%s' is too large", l->name);
            bad = 1;
            break;
        }
    }
    l = &s->layouts[li];
    if (l->n_fields == 0 && !l->implicit_scalar) {
        sf__diag_add(s, l->loc, "declare its fields: name: u32 @0;", "layout '%s' has no fields",
                     l->name);
        bad = 1;
    }
    uint64_t size = (off + align - 1) / align * align;
    l->csize = (uint32_t)size;
    l->calign = (uint32_t)align;
    if (!bad && l->has_size && (uint64_t)l->size != size) {
        sf__diag_add(s, l->size_loc, "C computes the size from the fields; check them",
                     "layout '%s' declared size %lld but C computes %llu", l->name,
                     (long long)l->size, (unsigned long long)size);
    }
    if (!bad && l->has_align && (uint64_t)l->align != align) {
        sf__diag_add(s, l->align_loc, "C computes the alignment from the fields",
                     "layout '%s' declared align %lld but C computes %llu", l->name,
                     (long long)l->align, (unsigned long long)align);
    }
    l->state = bad ? 3 : 2;
    return bad ? -1 : 0;
}

/* One layout probe of side `side`: `what` = 1 for the F(what) form, 0 for
 * the size/align form (F()). */
static void check_layout_probe(sf_seam *s, uint32_t li, int side, sf__ref *r, int what)
{
    if (!r->name)
        return;
    int fi = find_kind(s, r, SF__S_FUNC, "function",
                       "layout probes are declared in the library of their side");
    if (fi < 0)
        return;
    sf__func *f = &s->funcs[fi];
    if (f->side != side)
        sf__diag_add(s, r->loc, "the probe reports the layout its own side believes in",
                     "%s probe '%s' is implemented by %s", sf_side_name(side), f->name,
                     sf_side_name(f->side));
    if (f->n_params != (uint32_t)what || (what && f->params[0].type.tt != SF__T_SCALAR) ||
        f->ret.tt != SF__T_SCALAR || f->ret.scalar != SF__SC_USIZE)
        sf__diag_add(s, r->loc,
                     what ? "a layout probe is: fn name(what: usize) -> usize probe;"
                          : "a size or align probe is: fn name() -> usize probe;",
                     "layout probe '%s' has the wrong signature", f->name);
    if (!what && s->layouts[li].probe[side].name)
        sf__diag_add(s, r->loc, "use either `probe SIDE F;` or its size/align form",
                     "layout '%s' has two kinds of %s probe", s->layouts[li].name,
                     sf_side_name(side));
    f->flags |= SF_F_PROBE;
}

static void check_layouts(sf_seam *s)
{
    for (uint32_t i = 0; i < s->n_layouts; i++)
        layout_compute(s, (int)i, 0);
    for (uint32_t i = 0; i < s->n_layouts; i++) {
        for (int side = 0; side < 3; side++) {
            check_layout_probe(s, i, side, &s->layouts[i].probe[side], 1);
            check_layout_probe(s, i, side, &s->layouts[i].probe_size[side], 0);
            check_layout_probe(s, i, side, &s->layouts[i].probe_align[side], 0);
        }
    }
}

/* Index of the implicit one-field layout for an `out <scalar>` parameter. */
static int scalar_layout(sf_seam *s, int sc)
{
    for (uint32_t i = 0; i < s->n_layouts; i++)
        if (s->layouts[i].implicit_scalar == sc)
            return (int)i;
    sf__layout *l =
        sf__arena_push(&s->arena, (void **)&s->layouts, &s->n_layouts, &s->cap_layouts, sizeof(*l));
    if (l == NULL)
        return -1;
    l->name = sf__scalar_name(sc);
    l->implicit_scalar = (uint8_t)sc;
    sf__field *f =
        sf__arena_push(&s->arena, (void **)&l->fields, &l->n_fields, &l->cap_fields, sizeof(*f));
    if (f == NULL)
        return -1;
    f->name = "value";
    f->scalar = (uint8_t)sc;
    f->layout = -1;
    l->csize = l->calign = sf__scalar_width(sc);
    f->csize = f->calign = l->csize;
    l->state = 2;
    return (int)(s->n_layouts - 1);
}

/* ---- Functions --------------------------------------------------------- */

static void check_type_choice(sf_seam *s, sf__type *t)
{
    if (!t->choice)
        return;
    int k = find_kind(s, &t->ref, SF__S_SET, t->choice == 1 ? "enum" : "flags set",
                      "declare it with `enum Name { A = 1, B }` or `flags Name { ... }`");
    if (k < 0)
        return;
    if (s->sets[k].is_flags != (t->choice == 2))
        sf__diag_add(s, t->ref.loc,
                     t->choice == 1 ? "use `flags Name` for a flags set"
                                    : "use `in Name` for an enum",
                     "'%s' is %s", t->ref.name, s->sets[k].is_flags ? "a flags set" : "an enum");
    for (uint32_t i = 0; i < s->sets[k].n; i++) {
        int64_t v = s->sets[k].m[i].value;
        if (sf__scalar_width(t->scalar) < 8 &&
            (v < sf__scalar_min(t->scalar) || v > sf__scalar_max(t->scalar))) {
            sf__diag_add(s, t->ref.loc, "the members must fit the parameter type",
                         "member '%s' = %lld does not fit %s", s->sets[k].m[i].name, (long long)v,
                         sf__scalar_name(t->scalar));
            break;
        }
    }
    t->layout = (int16_t)k; /* reused: the set index */
}

static void check_param(sf_seam *s, sf__func *f, uint32_t pi)
{
    sf__param *pa = &f->params[pi];
    sf__type *t = &pa->type;
    sf__sym *named = t->tt == SF__T_NAMED ? sf__sym_find(s, t->ref.name) : NULL;
    if (named && named->kind == SF__S_CB) {
        t->cb = (int16_t)named->idx;
        if (pa->mode_given || pa->attrs)
            sf__diag_add(s, pa->mode_loc, "a callback argument is written name: CallbackType",
                         "callback parameter '%s' cannot have a mode or attribute", pa->name);
        return;
    }
    if (t->tt == SF__T_USERDATA) {
        int c = t->ref.name ? param_index(f, t->ref.name) : -1;
        sf__sym *cs = c >= 0 && f->params[c].type.tt == SF__T_NAMED
                          ? sf__sym_find(s, f->params[c].type.ref.name)
                          : NULL;
        if (cs == NULL || cs->kind != SF__S_CB)
            sf__diag_add(s, t->loc, "write: ud: userdata(cb), naming the callback parameter",
                         "user data '%s' names no callback parameter of '%s'", pa->name, f->name);
        else
            pa->link = (int16_t)c;
        if (t->of.name) {
            int r = param_index(f, t->of.name);
            sf__sym *rs = r >= 0 && f->params[r].type.tt == SF__T_NAMED
                              ? sf__sym_find(s, f->params[r].type.ref.name)
                              : NULL;
            if (rs == NULL || rs->kind != SF__S_RES || f->params[r].mode == SF_M_OUT)
                sf__diag_add(s, t->of.loc,
                             "until(p) names a resource argument of the same function",
                             "user data '%s' lives until '%s', which is not a resource argument",
                             pa->name, t->of.name);
        }
        return;
    }
    if (t->tt == SF__T_NAMED) {
        sf__sym *sym = named;
        if (sym == NULL || (sym->kind != SF__S_RES && sym->kind != SF__S_LAYOUT)) {
            sf__diag_add(s, t->ref.loc,
                         "declare it with `resource Name : ptr { ... }` or `layout Name { ... }`",
                         sym ? "'%s' is not a type" : "unknown type '%s'", t->ref.name);
            return;
        }
        if (sym->kind == SF__S_RES) {
            t->res = (int16_t)sym->idx;
            if (!pa->mode_given)
                pa->mode = SF_M_BORROW;
        } else {
            t->layout = (int16_t)sym->idx;
            if (pa->mode != SF_M_OUT) {
                sf__diag_add(s, pa->mode_loc, "write: name: out Layout",
                             "layout '%s' can only be passed as an out-pointer", t->ref.name);
                return;
            }
        }
    } else if (t->tt == SF__T_EXTENT) {
        int is_ret = strcmp(t->ref.name, "return") == 0;
        int b = is_ret ? -1 : param_index(f, t->ref.name);
        if (pa->mode_given && pa->mode != SF_M_OUT) {
            sf__diag_add(s, pa->mode_loc,
                         "write `n: out extent(return)` in the producer and "
                         "`n: extent(blob)` in the consumer",
                         "extent parameter '%s' can only be `out`", pa->name);
        } else if (pa->mode == SF_M_OUT) {
            /* The producer reports the extent of what it makes. */
            if (is_ret
                    ? f->ret.tt != SF__T_NAMED && f->ret.tt != SF__T_VIEW
                    : b < 0 || f->params[b].mode != SF_M_OUT || f->params[b].type.tt != SF__T_NAMED)
                sf__diag_add(s, t->ref.loc,
                             "out extent(return) or out extent(p) names a resource the call "
                             "produces",
                             "'%s' reports the extent of '%s', which '%s' does not produce",
                             pa->name, t->ref.name, f->name);
            pa->link = (int16_t)b;
        } else if (is_ret || b < 0 || f->params[b].type.tt != SF__T_NAMED ||
                   f->params[b].mode == SF_M_OUT) {
            sf__diag_add(s, t->ref.loc, "extent(p) names a resource argument of the same function",
                         "extent parameter '%s' refers to '%s', which is not a resource argument",
                         pa->name, t->ref.name);
        } else {
            pa->link = (int16_t)b;
        }
    } else if (pa->mode == SF_M_OUT && t->tt == SF__T_SCALAR) {
        if (t->has_range || t->choice)
            sf__diag_add(s, t->loc, "an out scalar is written by the callee",
                         "out parameter '%s' cannot have a range or enum", pa->name);
        int li = scalar_layout(s, t->scalar);
        if (li < 0)
            return;
        t->layout = (int16_t)li;
    } else if (pa->mode_given) {
        sf__diag_add(s, pa->mode_loc,
                     pa->mode == SF_M_OUT && t->tt == SF__T_BYTES
                         ? "use outbytes[N] for a caller-allocated output buffer"
                         : "modes apply to resources (and `out` to layouts and scalars)",
                     "parameter '%s' is not a resource and cannot be '%s'", pa->name,
                     pa->mode == SF_M_BORROW    ? "borrow"
                     : pa->mode == SF_M_CONSUME ? "consume"
                     : pa->mode == SF_M_OUT     ? "out"
                                                : "transfer");
        return;
    }
    if (t->tt == SF__T_EXTENT)
        return;
    if (t->tt == SF__T_VOID || t->tt == SF__T_VIEW || t->tt == SF__T_CVIEW) {
        sf__diag_add(s, t->loc, "void and view(...) are return types",
                     "parameter '%s' has a return-only type", pa->name);
        return;
    }
    if (t->tt == SF__T_SCALAR)
        check_type_choice(s, t);
    if (t->tt == SF__T_LEN) {
        int b = param_index(f, t->ref.name);
        if (b < 0 ||
            (f->params[b].type.tt != SF__T_BYTES && f->params[b].type.tt != SF__T_OUTBYTES)) {
            sf__diag_add(s, t->ref.loc, "len(p) names a bytes[N] or outbytes[N] parameter",
                         b < 0 ? "length parameter '%s' refers to unknown parameter '%s'"
                               : "length parameter '%s' refers to '%s', which is not a buffer",
                         pa->name, t->ref.name);
        } else if (f->params[b].link >= 0) {
            sf__diag_add(s, t->ref.loc, "a buffer has exactly one length parameter",
                         "buffer '%s' already has length parameter '%s'", t->ref.name,
                         f->params[f->params[b].link].name);
        } else {
            f->params[b].link = (int16_t)pi;
            pa->link = (int16_t)b;
        }
    }
    uint8_t a = pa->attrs;
    int is_res = t->res >= 0 && pa->mode != SF_M_OUT;
    if (a & SF__PA_REJ_RANGE) {
        int narrower = t->tt == SF__T_SCALAR && t->has_range && t->scalar != SF__SC_BOOL &&
                       (t->min > sf__scalar_min(t->scalar) ||
                        (sf__scalar_width(t->scalar) < 8 || sf__scalar_signed(t->scalar)
                             ? t->max < sf__scalar_max(t->scalar)
                             : 1));
        if (!narrower || pa->mode == SF_M_OUT || t->choice)
            sf__diag_add(s, pa->attr_loc,
                         "rejects(range) needs a scalar range narrower than its type: "
                         "u32[1:100] rejects(range)",
                         "parameter '%s' has no range to reject values outside of", pa->name);
        a &= (uint8_t)~SF__PA_REJ_RANGE;
    }
    if (a && !is_res) {
        sf__diag_add(s, pa->attr_loc, "nullable and rejects(...) apply to resource arguments",
                     "parameter '%s' is not a resource argument", pa->name);
    } else if ((a & SF__PA_NULLABLE) && (a & SF__PA_REJ_NULL)) {
        sf__diag_add(s, pa->attr_loc, "either NULL is legal, or it must be rejected",
                     "parameter '%s' is both nullable and rejects(null)", pa->name);
    }
    if (pa->mode == SF_M_TRANSFER && t->res >= 0) {
        sf__res *r = &s->res[t->res];
        if (r->parent_idx >= -1 && r->has_owner && r->owner == pa->to_side)
            sf__diag_add(s, pa->mode_loc, "use borrow or consume; transfer moves ownership",
                         "'%s' transfers %s to %s, which already owns it", pa->name, r->name,
                         sf_side_name(pa->to_side));
        else if (r->dtor_idx >= 0 && !side_can_call(s, pa->to_side, s->funcs[r->dtor_idx].lib))
            sf__diag_add(s, pa->mode_loc,
                         "let that side's library `uses` the destructor's library, or transfer "
                         "elsewhere",
                         "'%s' transfers %s to %s, which cannot call its destructor '%s'", pa->name,
                         r->name, sf_side_name(pa->to_side), s->funcs[r->dtor_idx].name);
    }
}

static void check_ret(sf_seam *s, sf__func *f)
{
    sf__type *t = &f->ret;
    switch (t->tt) {
    case SF__T_NAMED: {
        sf__sym *sym = sf__sym_find(s, t->ref.name);
        if (sym == NULL || sym->kind != SF__S_RES) {
            sf__diag_add(s, t->ref.loc,
                         sym && sym->kind == SF__S_LAYOUT
                             ? "return a layout through an out-pointer parameter"
                             : "a function returns void, a scalar, a resource or view(p)",
                         sym ? "'%s' cannot be returned" : "unknown type '%s'", t->ref.name);
            return;
        }
        t->res = (int16_t)sym->idx;
        if (t->is_const)
            sf__diag_add(s, t->loc, "a returned resource is owned by the caller",
                         "returned resource '%s' cannot be const", t->ref.name);
        break;
    }
    case SF__T_VIEW:
    case SF__T_CVIEW: {
        int pi = t->ref.name ? param_index(f, t->ref.name) : -1;
        if (t->ref.name &&
            (pi < 0 || f->params[pi].type.res < 0 || f->params[pi].mode == SF_M_OUT)) {
            sf__diag_add(s, t->ref.loc, "view(p) points into the resource argument p",
                         "view of '%s', which is not a resource argument of '%s'", t->ref.name,
                         f->name);
            return;
        }
        t->res = pi >= 0 ? f->params[pi].type.res : -1;
        t->layout = (int16_t)pi; /* reused: the viewed parameter */
        if (t->life != SF_LIFE_CALL && pi < 0)
            sf__diag_add(s, t->loc, "until(use) and until(f, ...) need view(p) of an argument",
                         "the view returned by '%s' has no resource its lifetime can follow",
                         f->name);
        for (uint32_t k = 0; k < t->n_until; k++)
            find_kind(s, &t->until[k], SF__S_FUNC, "function",
                      "until(f, ...) names functions declared in a library");
        if (t->of.name)
            find_kind(s, &t->of, SF__S_LAYOUT, "layout",
                      "view(p) of L names a layout declared with `layout L { ... }`");
        break;
    }
    case SF__T_SCALAR:
        if (t->has_range || t->choice)
            sf__diag_add(s, t->loc, "the error contract says which returns are errors",
                         "return type of '%s' cannot have a range or enum", f->name);
        break;
    case SF__T_VOID:
        break;
    default:
        sf__diag_add(s, t->loc, "a function returns void, a scalar, a resource or view(p)",
                     "'%s' cannot return a buffer or length", f->name);
    }
}

static void check_errors(sf_seam *s, sf__func *f)
{
    sf__type *t = &f->ret;
    switch (f->err_style) {
    case SF_ERR_NEG: {
        int ok = (t->tt == SF__T_SCALAR && sf__scalar_signed(t->scalar)) ||
                 (t->tt == SF__T_NAMED && t->res >= 0 && s->res[t->res].repr == SF_R_HANDLE &&
                  sf__scalar_signed(s->res[t->res].hscalar));
        if (!ok)
            sf__diag_add(s, f->err_loc, "`errors neg(...)` needs a signed integer return",
                         "'%s' cannot signal errors with negative returns", f->name);
        break;
    }
    case SF_ERR_NULL:
        if (t->res < 0)
            sf__diag_add(s, f->err_loc, "`errors null` needs a resource or view return",
                         "'%s' returns no resource that could be null", f->name);
        break;
    case SF_ERR_OBJ: {
        int pi = param_index(f, f->err_param.name);
        if (pi < 0) {
            sf__diag_add(s, f->err_param.loc, "errors object(p) names an out resource parameter",
                         "unknown parameter '%s' in the error contract of '%s'", f->err_param.name,
                         f->name);
            break;
        }
        sf__param *pa = &f->params[pi];
        if (pa->mode != SF_M_OUT || pa->type.res < 0) {
            sf__diag_add(s, f->err_param.loc, "write: err: out ErrType, then errors object(err)",
                         "error object '%s' is not an out resource parameter", pa->name);
            break;
        }
        if (s->res[pa->type.res].code_idx < 0)
            sf__diag_add(s, f->err_param.loc, "give its resource `code F;` and `message F;`",
                         "'%s' is not an error object type", s->res[pa->type.res].name);
        if (t->res < 0)
            sf__diag_add(s, f->err_loc, "`errors object(p)` also needs a resource return",
                         "'%s' returns no resource that could be null", f->name);
        break;
    }
    default:
        break;
    }
    if (f->err_last.name) {
        int li = find_kind(s, &f->err_last, SF__S_FUNC, "function",
                           "last(F) names a function declared in a library");
        if (li < 0)
            return;
        const sf__func *lf = &s->funcs[li];
        if (f->err_style == SF_ERR_NONE)
            sf__diag_add(s, f->err_last.loc,
                         "say how the call fails first: errors neg(...) last(F)",
                         "'%s' cannot fail, so it has no last error", f->name);
        else if (lf->n_params != 0 || lf->ret.tt != SF__T_NAMED)
            sf__diag_add(s, f->err_last.loc,
                         "a last-error function is: fn last_error() -> ErrType errors null;",
                         "last-error function '%s' has the wrong signature", lf->name);
    }
}

static void check_funcs(sf_seam *s)
{
    for (uint32_t i = 0; i < s->n_funcs; i++) {
        sf__func *f = &s->funcs[i];
        if (f->impl_of.name) {
            /* Checked once, as its callback type's signature. */
            f->flags |= SF_F_NOFUZZ;
            continue;
        }
        for (uint32_t p = 0; p < f->n_params; p++) {
            f->params[p].type.res = -1;
            f->params[p].type.layout = -1;
            f->params[p].type.cb = -1;
        }
        for (uint32_t p = 0; p < f->n_params; p++)
            check_param(s, f, p);
        for (uint32_t p = 0; p < f->n_params; p++) {
            /* A callback whose type takes user data is passed with it. */
            int cb = f->params[p].type.cb, given = 0;
            if (cb < 0)
                continue;
            for (uint32_t q = 0; q < f->n_params; q++)
                given |= f->params[q].type.tt == SF__T_USERDATA && f->params[q].link == (int16_t)p;
            int wants = 0;
            for (uint32_t q = 0; q < s->cbs[cb].sig.n_params; q++)
                wants |= s->cbs[cb].sig.params[q].type.tt == SF__T_USERDATA;
            if (wants && !given)
                sf__diag_add(s, f->params[p].loc, "add a parameter `ud: userdata(NAME)` after it",
                             "callback '%s' of '%s' takes user data, but '%s' passes none",
                             f->params[p].name, f->name, f->name);
        }
        for (uint32_t p = 0; p < f->n_params; p++) {
            sf__param *pa = &f->params[p];
            if ((pa->type.tt == SF__T_BYTES || pa->type.tt == SF__T_OUTBYTES) && pa->link < 0)
                sf__diag_add(s, pa->loc, "add a parameter `n: len(name)` for its length",
                             "buffer '%s' of '%s' has no length parameter", pa->name, f->name);
        }
        check_ret(s, f);
        check_errors(s, f);
        if (f->attrs & SF__FA_PROBE)
            f->flags |= SF_F_PROBE;
        if (f->attrs & SF__FA_NOFUZZ)
            f->flags |= SF_F_NOFUZZ;
        if (f->attrs & SF__FA_PANICS)
            f->flags |= SF_F_PANICS;
        if (f->attrs & SF__FA_INTERCEPT)
            f->flags |= SF_F_INTERCEPT;
    }
}

/* 1 if f produces a resource of type r (returns it or writes it through
 * `out`); *where (OUT) is the producing parameter, or -1 for the return. */
static int produces(const sf_seam *s, const sf__func *f, int r, int *where)
{
    if (f->ret.tt == SF__T_NAMED && f->ret.res >= 0 && res_is_a(s, f->ret.res, r)) {
        *where = -1;
        return 1;
    }
    for (uint32_t p = 0; p < f->n_params; p++)
        if (f->params[p].mode == SF_M_OUT && f->params[p].type.tt == SF__T_NAMED &&
            f->params[p].type.res >= 0 && res_is_a(s, f->params[p].type.res, r)) {
            *where = (int)p;
            return 1;
        }
    return 0;
}

/* A child type: every producer is given its container, and a busy close is
 * one of the container destructor's declared errors. */
static void check_child(sf_seam *s, int ri)
{
    sf__res *r = &s->res[ri];
    int c = r->container_idx;
    if (c < 0)
        return;
    for (uint32_t fi = 0; fi < s->n_funcs; fi++) {
        const sf__func *f = &s->funcs[fi];
        int where, given = 0;
        if (!produces(s, f, ri, &where))
            continue;
        for (uint32_t p = 0; p < f->n_params; p++)
            given |= f->params[p].mode != SF_M_OUT && f->params[p].type.res >= 0 &&
                     res_is_a(s, f->params[p].type.res, c);
        if (!given)
            sf__diag_add(s, r->container.loc,
                         "a child's producer takes the container it depends on as an argument",
                         "'%s' produces %s (child of %s) but takes no %s", f->name, r->name,
                         s->res[c].name, s->res[c].name);
    }
    const sf__res *cr = &s->res[c];
    if (r->on_close == SF_CLOSE_BUSY && cr->dtor_idx >= 0) {
        const sf__func *d = &s->funcs[cr->dtor_idx];
        int declared = 0;
        for (uint32_t k = 0; k < d->n_codes; k++)
            declared |= d->codes[k] == r->busy_code;
        if (d->err_style != SF_ERR_NEG || !declared)
            sf__diag_add(s, r->container.loc, "declare it: errors neg(..., BUSY) on the destructor",
                         "destructor '%s' of %s does not declare busy code %lld", d->name, cr->name,
                         (long long)r->busy_code);
    }
}

/* A sized destructor (one with an extent(x) parameter): every producer of
 * the resource must report that extent. */
static void check_sized_dtor(sf_seam *s, int ri)
{
    const sf__res *r = &s->res[ri];
    if (r->dtor_idx < 0)
        return;
    const sf__func *d = &s->funcs[r->dtor_idx];
    const sf__param *ep = NULL;
    for (uint32_t p = 0; p < d->n_params; p++)
        if (d->params[p].type.tt == SF__T_EXTENT && d->params[p].mode != SF_M_OUT)
            ep = &d->params[p];
    if (ep == NULL)
        return;
    for (uint32_t fi = 0; fi < s->n_funcs; fi++) {
        const sf__func *f = &s->funcs[fi];
        int where, reported = 0;
        if (!produces(s, f, ri, &where))
            continue;
        for (uint32_t p = 0; p < f->n_params; p++)
            reported |= f->params[p].type.tt == SF__T_EXTENT && f->params[p].mode == SF_M_OUT &&
                        f->params[p].link == where;
        if (!reported)
            sf__diag_add(s, ep->loc,
                         "add `n: out extent(return)` (or extent(p) for an out parameter) to the "
                         "producer",
                         "sized destructor '%s' needs the extent of %s, but its producer '%s' "
                         "never reports it",
                         d->name, r->name, f->name);
    }
}

/* Checks that involve resources and the functions naming them. */
static void check_res_funcs(sf_seam *s)
{
    for (uint32_t i = 0; i < s->n_res; i++) {
        sf__res *r = &s->res[i];
        if (r->parent_idx < -1)
            continue;
        if (r->dtor_idx >= 0) {
            sf__func *d = &s->funcs[r->dtor_idx];
            int ok = d->n_params >= 1 && d->params[0].type.res >= 0 &&
                     res_is_a(s, (int)i, d->params[0].type.res) &&
                     d->params[0].mode == SF_M_CONSUME;
            if (!ok)
                sf__diag_add(s, r->dtor.loc, "its first parameter must be `x: consume Type`",
                             "destructor '%s' does not consume a '%s'", d->name, r->name);
            d->flags |= SF_F_DESTRUCTOR;
        }
        if (r->probe_idx >= 0) {
            sf__func *pf = &s->funcs[r->probe_idx];
            if (pf->n_params != 0 || pf->ret.tt != SF__T_SCALAR)
                sf__diag_add(s, r->probe.loc, "a live-count probe is: fn name() -> usize probe;",
                             "probe '%s' has the wrong signature", pf->name);
            pf->flags |= SF_F_PROBE;
        }
        if (r->code_idx >= 0) {
            sf__func *cf = &s->funcs[r->code_idx];
            if (cf->n_params != 1 || cf->params[0].type.res < 0 ||
                !res_is_a(s, (int)i, cf->params[0].type.res) || cf->ret.tt != SF__T_SCALAR ||
                !sf__scalar_signed(cf->ret.scalar))
                sf__diag_add(s, r->code.loc, "a code accessor is: fn f(e: const Err) -> i32;",
                             "code accessor '%s' has the wrong signature", cf->name);
            cf->flags |= SF_F_ERR_CODE;
        }
        if (r->msg_idx >= 0) {
            sf__func *mf = &s->funcs[r->msg_idx];
            if (mf->n_params != 1 || mf->params[0].type.res < 0 ||
                !res_is_a(s, (int)i, mf->params[0].type.res) || mf->ret.tt != SF__T_CVIEW)
                sf__diag_add(s, r->message.loc,
                             "a message accessor is: fn f(e: const Err) -> cview(e);",
                             "message accessor '%s' has the wrong signature", mf->name);
            mf->flags |= SF_F_ERR_MSG;
        }
        /* A producer: any function returning it or writing it through an
         * out-pointer (a subtype's producer counts for the parent). */
        int produced = 0;
        for (uint32_t fi = 0; fi < s->n_funcs && !produced; fi++) {
            sf__func *f = &s->funcs[fi];
            if (f->ret.tt == SF__T_NAMED && f->ret.res >= 0 && res_is_a(s, f->ret.res, (int)i))
                produced = 1;
            for (uint32_t p = 0; p < f->n_params; p++)
                if (f->params[p].mode == SF_M_OUT && f->params[p].type.res >= 0 &&
                    res_is_a(s, f->params[p].type.res, (int)i))
                    produced = 1;
        }
        if (!produced)
            sf__diag_add(s, r->loc, "a function must return it or write it through `out`",
                         "resource '%s' has no producer", r->name);
        check_child(s, (int)i);
        check_sized_dtor(s, (int)i);
    }
    for (uint32_t fi = 0; fi < s->n_funcs; fi++) {
        sf__func *f = &s->funcs[fi];
        sf__sym *ls = f->err_last.name ? sf__sym_find(s, f->err_last.name) : NULL;
        if (ls == NULL || ls->kind != SF__S_FUNC)
            continue;
        const sf__func *lf = &s->funcs[ls->idx];
        if (lf->ret.tt == SF__T_NAMED && lf->ret.res >= 0 && s->res[lf->ret.res].code_idx < 0)
            sf__diag_add(s, f->err_last.loc, "give its resource `code F;` and `message F;`",
                         "last-error function '%s' does not return an error object", lf->name);
    }
    if (s->builtins & (1u << SF_B_GO_GC)) {
        int gi = find_kind(s, &s->gc, SF__S_FUNC, "function",
                           "`builtin gc F;` names a Go function declared in a library");
        if (gi >= 0) {
            sf__func *g = &s->funcs[gi];
            if (g->side != SF_SIDE_GO || g->n_params != 0)
                sf__diag_add(s, s->gc.loc, "the gc built-in calls a Go function without arguments",
                             "'%s' cannot be the Go GC function", g->name);
            g->flags |= SF_F_NOFUZZ;
        }
    }
    int fuzzable = 0;
    for (uint32_t fi = 0; fi < s->n_funcs; fi++)
        if (!(s->funcs[fi].flags & (SF_F_PROBE | SF_F_NOFUZZ)))
            fuzzable++;
    if (s->n_funcs > 0 && fuzzable == 0)
        sf__diag_add(s, s->funcs[0].loc, "remove `probe`/`nofuzz` from at least one function",
                     "spec has no fuzzable function");
    if (s->n_funcs == 0 && s->boundary != NULL)
        sf__diag_add(s, s->boundary_loc, "declare functions in `library NAME : side { ... }`",
                     "spec declares no functions");
}

/* ---- Lowering ---------------------------------------------------------- */

static void lower_scalar(sf_param_desc *d, const sf__type *t, const sf_seam *s)
{
    d->kind = t->scalar == SF__SC_BOOL       ? SF_K_BOOL
              : sf__scalar_signed(t->scalar) ? SF_K_INT
                                             : SF_K_UINT;
    d->width = (uint8_t)sf__scalar_width(t->scalar);
    d->min = t->has_range ? t->min : sf__scalar_min(t->scalar);
    d->max = t->has_range ? t->max : sf__scalar_max(t->scalar);
    if (t->choice && t->layout >= 0) {
        const sf__set *set = &s->sets[t->layout];
        int64_t *c = sf__arena_alloc((sf__arena *)&s->arena, set->n * sizeof(int64_t));
        if (c) {
            for (uint32_t i = 0; i < set->n; i++)
                c[i] = set->m[i].value;
        }
        d->choices = c;
        d->n_choices = (uint16_t)set->n;
        if (set->is_flags)
            d->flags |= SF_P_FLAGS;
    }
}

static void lower_res_width(sf_param_desc *d, const sf__res *r)
{
    d->width = r->repr == SF_R_HANDLE ? (uint8_t)sf__scalar_width(r->hscalar) : 8;
}

static int lower(sf_seam *s)
{
    sf__arena *a = &s->arena;
    sf_spec *sp = sf__arena_alloc(a, sizeof(*sp));
    if (sp == NULL)
        return SF_ENOMEM;
    sp->version = SF_DESC_VERSION;
    sp->name = s->boundary;
    sp->hash = s->hash;
    sp->gc_func = -1;
    sp->builtins = s->builtins;

    sf_res_desc *rd = sf__arena_alloc(a, (s->n_res ? s->n_res : 1) * sizeof(*rd));
    if (rd == NULL)
        return SF_ENOMEM;
    for (uint32_t i = 0; i < s->n_res; i++) {
        const sf__res *r = &s->res[i];
        rd[i].name = r->name;
        rd[i].repr = r->repr;
        rd[i].owner = r->owner;
        rd[i].dtor = r->dtor_idx;
        rd[i].parent = r->parent_idx;
        rd[i].probe = r->probe_idx;
        rd[i].invalid = (uint64_t)r->invalid;
        rd[i].align = (uint32_t)r->align;
        rd[i].size = (uint32_t)r->size;
        rd[i].container = r->container_idx;
        rd[i].on_close = r->container_idx >= 0 ? r->on_close : SF_CLOSE_PLAIN;
        rd[i].busy_code = r->on_close == SF_CLOSE_BUSY ? r->busy_code : 0;
    }
    sp->n_res = (uint16_t)s->n_res;
    sp->res = rd;

    sf_func_desc *fd = sf__arena_alloc(a, (s->n_funcs ? s->n_funcs : 1) * sizeof(*fd));
    if (fd == NULL)
        return SF_ENOMEM;
    for (uint32_t i = 0; i < s->n_funcs; i++) {
        const sf__func *f = &s->funcs[i];
        sf_func_desc *d = &fd[i];
        d->name = f->name;
        d->side = f->side;
        d->flags = f->flags;
        d->n_params = (uint8_t)f->n_params;
        sf_param_desc *pd = sf__arena_alloc(a, (f->n_params ? f->n_params : 1) * sizeof(*pd));
        if (pd == NULL)
            return SF_ENOMEM;
        for (uint32_t p = 0; p < f->n_params; p++) {
            const sf__param *pa = &f->params[p];
            sf_param_desc *q = &pd[p];
            q->name = pa->name;
            q->res = -1;
            q->link = pa->link;
            q->layout = -1;
            switch (pa->type.tt) {
            case SF__T_SCALAR:
                if (pa->mode == SF_M_OUT) {
                    q->kind = SF_K_OUTSTRUCT;
                    q->layout = pa->type.layout;
                    q->width = 8;
                } else {
                    lower_scalar(q, &pa->type, s);
                }
                break;
            case SF__T_NAMED:
                if (pa->type.cb >= 0) {
                    q->kind = SF_K_CALLBACK;
                    q->width = 8;
                    q->layout = pa->type.cb; /* the callback type */
                } else if (pa->type.res >= 0) {
                    q->kind = pa->mode == SF_M_OUT ? SF_K_OUTRES : SF_K_RES;
                    q->mode = pa->mode;
                    q->to_side = pa->to_side;
                    q->res = pa->type.res;
                    lower_res_width(q, &s->res[pa->type.res]);
                    if (pa->mode == SF_M_OUT)
                        q->width = 8;
                } else {
                    q->kind = SF_K_OUTSTRUCT;
                    q->layout = pa->type.layout;
                    q->width = 8;
                }
                break;
            case SF__T_BYTES:
            case SF__T_OUTBYTES:
            case SF__T_CSTR:
                q->kind = pa->type.tt == SF__T_BYTES      ? SF_K_BUF
                          : pa->type.tt == SF__T_OUTBYTES ? SF_K_OUTBUF
                                                          : SF_K_CSTR;
                q->width = 8;
                q->min = pa->type.min_len;
                q->max = pa->type.max_len;
                break;
            case SF__T_LEN:
                q->kind = SF_K_LEN;
                q->width = 8;
                q->min = pa->link >= 0 ? f->params[pa->link].type.min_len : 0;
                q->max = pa->link >= 0 ? f->params[pa->link].type.max_len : 0;
                break;
            case SF__T_EXTENT:
                q->kind = pa->mode == SF_M_OUT ? SF_K_OUTEXTENT : SF_K_EXTENT;
                q->width = 8;
                break;
            case SF__T_USERDATA:
                q->kind = SF_K_USERDATA;
                q->width = 8;
                q->min = pa->type.of.name ? param_index(f, pa->type.of.name) : -1;
                break;
            case SF__T_VIEW:
            case SF__T_CVIEW: /* a callback's parameter */
                q->kind = SF_K_PTR;
                q->width = 8;
                break;
            default:
                break;
            }
            if (pa->attrs & SF__PA_NULLABLE)
                q->flags |= SF_P_NULLABLE;
            if (pa->attrs & SF__PA_REJ_NULL)
                q->flags |= SF_P_REJECT_NULL;
            if (pa->attrs & SF__PA_REJ_STALE)
                q->flags |= SF_P_REJECT_STALE;
            if (pa->attrs & SF__PA_REJ_RANGE)
                q->flags |= SF_P_REJECT_RANGE;
        }
        d->params = pd;
        sf_param_desc *rq = &d->ret;
        rq->name = "ret";
        rq->res = -1;
        rq->link = -1;
        rq->layout = -1;
        switch (f->ret.tt) {
        case SF__T_SCALAR:
            lower_scalar(rq, &f->ret, s);
            break;
        case SF__T_NAMED:
            rq->kind = SF_K_RES;
            rq->mode = SF_M_OUT;
            rq->res = f->ret.res;
            lower_res_width(rq, &s->res[f->ret.res]);
            break;
        case SF__T_VIEW:
        case SF__T_CVIEW:
            rq->kind = SF_K_PTR;
            rq->width = 8;
            if (f->ret.tt == SF__T_CVIEW)
                rq->flags |= SF_P_CSTRING;
            rq->res = f->ret.res;
            rq->link = f->ret.layout;
            if (f->ret.of.name) {
                sf__sym *ly = sf__sym_find(s, f->ret.of.name);
                rq->layout = ly && ly->kind == SF__S_LAYOUT ? (int16_t)ly->idx : -1;
            }
            d->view_life = f->ret.life;
            if (f->ret.n_until) {
                int16_t *u = sf__arena_alloc(a, f->ret.n_until * sizeof(int16_t));
                if (u == NULL)
                    return SF_ENOMEM;
                for (uint32_t k = 0; k < f->ret.n_until; k++) {
                    sf__sym *us = sf__sym_find(s, f->ret.until[k].name);
                    u[k] = us ? (int16_t)us->idx : -1;
                }
                d->view_until = u;
                d->n_view_until = (uint8_t)f->ret.n_until;
            }
            break;
        default:
            rq->kind = SF_K_VOID;
        }
        d->err_style = f->err_style;
        d->err_param = f->err_style == SF_ERR_OBJ ? (int16_t)param_index(f, f->err_param.name) : -1;
        d->err_last = -1;
        if (f->err_last.name) {
            sf__sym *ls = sf__sym_find(s, f->err_last.name);
            d->err_last = ls ? (int16_t)ls->idx : -1;
            d->flags |= SF_F_LAST_ERROR;
        }
        d->err_codes = f->n_codes ? f->codes : NULL;
        d->n_err_codes = (uint16_t)f->n_codes;
        d->call = NULL;
        if ((s->builtins & (1u << SF_B_GO_GC)) && s->gc.name && strcmp(s->gc.name, f->name) == 0)
            sp->gc_func = (int16_t)i;
    }
    sp->n_funcs = (uint16_t)s->n_funcs;
    sp->funcs = fd;

    sf_layout_desc *ld = sf__arena_alloc(a, (s->n_layouts ? s->n_layouts : 1) * sizeof(*ld));
    if (ld == NULL)
        return SF_ENOMEM;
    for (uint32_t i = 0; i < s->n_layouts; i++) {
        const sf__layout *l = &s->layouts[i];
        ld[i].name = l->name;
        ld[i].size = l->csize;
        ld[i].align = l->calign;
        ld[i].n_fields = (uint16_t)l->n_fields;
        sf_field_desc *fl = sf__arena_alloc(a, (l->n_fields ? l->n_fields : 1) * sizeof(*fl));
        if (fl == NULL)
            return SF_ENOMEM;
        for (uint32_t k = 0; k < l->n_fields; k++) {
            fl[k].name = l->fields[k].name;
            fl[k].offset = l->fields[k].coff;
            fl[k].size = l->fields[k].csize;
        }
        ld[i].fields = fl;
        for (int side = 0; side < 3; side++)
            ld[i].probe_name[side] = l->probe[side].name        ? l->probe[side].name
                                     : l->probe_size[side].name ? l->probe_size[side].name
                                                                : l->probe_align[side].name;
    }
    sp->n_layouts = (uint16_t)s->n_layouts;
    sp->layouts = ld;

    sf_cb_desc *cd = sf__arena_alloc(a, (s->n_cbs ? s->n_cbs : 1) * sizeof(*cd));
    if (cd == NULL)
        return SF_ENOMEM;
    for (uint32_t i = 0; i < s->n_cbs; i++) {
        const sf__cb *cb = &s->cbs[i];
        cd[i].name = cb->name;
        cd[i].flags = (uint8_t)(((cb->sig.attrs & SF__FA_REENTRANT) ? SF_CB_REENTRANT : 0) |
                                ((cb->sig.attrs & SF__FA_PANICS) ? SF_CB_PANICS : 0));
        cd[i].ud_param = -1;
        for (uint32_t p = 0; p < cb->sig.n_params; p++)
            if (cb->sig.params[p].type.tt == SF__T_USERDATA)
                cd[i].ud_param = (int8_t)p;
        cd[i].n_impls = (uint16_t)cb->n_impls;
        cd[i].impls = cb->impls;
        cd[i].tramps = NULL;
    }
    sp->n_cbs = (uint16_t)s->n_cbs;
    sp->cbs = cd;
    s->spec = sp;
    return a->oom ? SF_ENOMEM : 0;
}

/* Callback types: their signatures, and the functions implementing them
 * (which take the type's signature). */
static void check_cbs(sf_seam *s)
{
    for (uint32_t i = 0; i < s->n_funcs; i++) {
        sf__func *f = &s->funcs[i];
        if (!f->impl_of.name)
            continue;
        int c = find_kind(s, &f->impl_of, SF__S_CB, "callback type",
                          "declare it with `callback Name(ud: userdata, ...) -> i32;`");
        if (c < 0)
            continue;
        sf__cb *cb = &s->cbs[c];
        f->params = cb->sig.params;
        f->n_params = cb->sig.n_params;
        f->ret = cb->sig.ret;
        int16_t *n = sf__arena_alloc(&s->arena, (cb->n_impls + 1) * sizeof(int16_t));
        if (n == NULL)
            return;
        if (cb->n_impls)
            memcpy(n, cb->impls, cb->n_impls * sizeof(int16_t));
        n[cb->n_impls++] = (int16_t)i;
        cb->impls = n;
    }
    for (uint32_t c = 0; c < s->n_cbs; c++) {
        sf__cb *cb = &s->cbs[c];
        uint32_t uds = 0;
        if (cb->n_impls == 0)
            sf__diag_add(s, cb->loc,
                         "declare the exported function: fn NAME implements TYPE; in its "
                         "library",
                         "callback type '%s' has no implementing function", cb->name);
        for (uint32_t p = 0; p < cb->sig.n_params; p++) {
            sf__param *pa = &cb->sig.params[p];
            pa->type.res = pa->type.layout = pa->type.cb = -1;
            pa->link = -1;
            uint8_t tt = pa->type.tt;
            uds += tt == SF__T_USERDATA;
            int ok = (tt == SF__T_SCALAR && !pa->mode_given && !pa->type.has_range &&
                      !pa->type.choice) ||
                     (tt == SF__T_USERDATA && !pa->type.ref.name && !pa->type.of.name) ||
                     ((tt == SF__T_VIEW || tt == SF__T_CVIEW) && !pa->type.ref.name &&
                      !pa->type.of.name && pa->type.life == SF_LIFE_CALL);
            if (!ok || pa->attrs)
                sf__diag_add(s, pa->loc, "callback parameters are scalars, userdata, view or cview",
                             "parameter '%s' of callback type '%s' cannot be passed", pa->name,
                             cb->name);
        }
        if (uds > 1)
            sf__diag_add(s, cb->loc, "one parameter carries the user data",
                         "callback type '%s' has %u userdata parameters", cb->name, uds);
        if (cb->sig.ret.tt != SF__T_VOID && cb->sig.ret.tt != SF__T_SCALAR)
            sf__diag_add(s, cb->sig.ret.loc, "a callback returns void or a scalar",
                         "callback type '%s' cannot return that", cb->name);
    }
}

int sf__sema(sf_seam *s)
{
    if (s->gave_up)
        return SF_ESEMA;
    check_libs(s);
    check_res(s);
    check_cbs(s);
    check_funcs(s);
    check_layouts(s);
    check_res_funcs(s);
    if (s->arena.oom)
        return SF_ENOMEM;
    if (s->n_errors)
        return SF_ESEMA;
    return lower(s);
}
