/* sf_edit.h - op-level edits of programs: keep a subset of the ops, insert
 * ops copied from another program, shorten a buffer.  Each edit builds a new
 * program that some byte string decodes to (it is encoded and decoded once),
 * fixing up the resources: slots are renumbered, and an op that uses a
 * resource whose producer is gone is dropped or, where asked, takes another
 * live resource of its type.  The minimizer and the structure-aware mutator
 * work through these, never on the text form (like syzkaller's prog/).
 */
#ifndef SF_EDIT_H
#define SF_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "sf_prog.h"

/* What happens to an op that uses a resource whose producer was removed. */
typedef enum sf_edit_deps {
    SF_EDIT_CASCADE = 0, /* it is removed too (and so on, transitively) */
    SF_EDIT_REBIND       /* it takes the newest live resource of its type
                            instead; removed only when there is none */
} sf_edit_deps;

/* Builds *out (caller frees with sf_prog_free) from the ops i of p with
 * keep[i] != 0 (n_ops entries, borrowed), in order.  Ops that cannot stand
 * without the removed ones go as deps says; so does an op whose arguments no
 * longer decode where it now stands (a stale pass that names a live slot).
 * kept (n_ops entries, or NULL) receives which ops of p are in *out.
 * Returns 0, SF_EINVAL or SF_ENOMEM. */
int sf_edit_keep(const sf_prog *p, const uint8_t *keep, sf_edit_deps deps, sf_prog **out,
                 uint8_t *kept);

/* Builds *out from p with copies of ops [from, from + n) of src (same spec)
 * inserted before op at (0 .. p->n_ops).  The copies keep the resources they
 * make for each other; a resource they take from elsewhere in src is
 * rebound to the newest live one of its type at that point of p (the copy is
 * dropped when there is none), and later ops of p are renumbered.  Returns 0,
 * SF_EINVAL (bad range or another spec) or SF_ENOMEM. */
int sf_edit_insert(const sf_prog *p, uint32_t at, const sf_prog *src, uint32_t from, uint32_t n,
                   sf_prog **out);

/* Builds *out from p with argument arg of op i shortened to len bytes: the
 * first len bytes of an input buffer or string, or an output buffer of len
 * bytes (a linked length argument follows).  Returns 0, SF_EINVAL (no such
 * buffer, len longer than it is or shorter than its minimum) or SF_ENOMEM. */
int sf_edit_set_len(const sf_prog *p, uint32_t i, uint32_t arg, size_t len, sf_prog **out);

#endif /* SF_EDIT_H */
