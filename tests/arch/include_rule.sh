#!/bin/sh
# include_rule.sh SRC_DIR - checks which library may include which
# (docs/architecture.md, "Include rule"):
#   src/prog     its own headers only (and the C library)
#   src/gen      its own, and the public headers of src/prog
#   src/runtime  its own, and the public headers of src/prog
#   src/tools    its own, and the public headers of src/prog and src/gen
#   harness/engines  the public headers of src/prog and src/runtime
# A public header is one whose name does not end in _int.h.  Prints one line
# per broken include ("file:line: includes X (from src/Y), not allowed") and
# exits 1 when there is any.
set -u
root=${1:?usage: include_rule.sh SRC_DIR}
cd "$root" || exit 2
bad=0
# owner HEADER: the folder under src/ that holds it, or "" (not ours).
owner() {
    for d in prog gen runtime tools; do
        [ -f "src/$d/$1" ] && { echo "$d"; return; }
    done
    echo ""
}
check() { # check DIR ALLOWED-FOLDERS...
    dir=$1; shift
    for f in "$dir"/*.c "$dir"/*.h; do
        [ -f "$f" ] || continue
        grep -n '^#include "' "$f" | while IFS= read -r line; do
            n=${line%%:*}
            h=$(printf '%s' "$line" | sed 's/.*#include "\([^"]*\)".*/\1/')
            o=$(owner "$h")
            [ -n "$o" ] || continue
            [ "src/$o" = "$dir" ] && continue
            ok=0
            for a in "$@"; do
                if [ "$a" = "$o" ]; then
                    case "$h" in *_int.h) ;; *) ok=1 ;; esac
                fi
            done
            if [ $ok = 0 ]; then
                echo "$f:$n: includes $h (from src/$o), not allowed (docs/architecture.md)"
                echo x >> "$tmp"
            fi
        done
    done
}
tmp=$(mktemp)
check src/prog
check src/gen prog
check src/runtime prog
check src/tools prog gen
check harness/engines prog runtime
[ -s "$tmp" ] && bad=1
rm -f "$tmp"
if [ $bad = 0 ]; then
    echo "include rule: OK"
fi
exit $bad
