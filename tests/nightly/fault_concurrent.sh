#!/usr/bin/env bash
# fault_concurrent.sh BIN CRASH WORK - two processes file into one store at
# once: 2 x 24 testcases of one bug (24 distinct, each filed by both), then
# two campaigns on the store at the same time.  No entry is lost or torn:
# the entry holds exactly the 24 distinct testcases, its count is 24, no
# temporary file is left, and the store lists.
set -uo pipefail
bin=$1 crash=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
sf=$(dirname "$bin")/seamfuzz
rm -rf "$work"
mkdir -p "$work/a" "$work/b"
# Distinct testcases with the crash's program: bytes after its last op.
for i in $(seq 1 24); do
    { cat "$crash"; printf '\377\377\377%04d' "$i"; } >"$work/a/t$i"
    cp "$work/a/t$i" "$work/b/t$i"
done
"$sf" store add "$work/store" "$work/a" --bin "$bin" >"$work/a.log" 2>&1 &
p1=$!
"$sf" store add "$work/store" "$work/b" --bin "$bin" >"$work/b.log" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ $r1 -le 1 ] && [ $r2 -le 1 ] || { cat "$work/a.log" "$work/b.log"; fail "store add exited $r1 and $r2"; }
"$sf" store list "$work/store" >"$work/list.txt" || fail "the store does not list"
n=$(grep -c '^new\|^known' "$work/list.txt")
[ "$n" = 1 ] || { cat "$work/list.txt"; fail "$n entries, expected one signature"; }
key=$(awk 'NF == 6 {print $6}' "$work/list.txt")
count=$(awk 'NF == 6 {print $2}' "$work/list.txt")
files=$(find "$work/store/$key" -name 't-*' | wc -l)
[ "$files" = 24 ] || fail "$files testcases stored, expected 24"
[ "$count" = 24 ] || fail "count $count, expected 24 (a lost update)"
left=$(find "$work/store" -name '*.tmp*')
[ -z "$left" ] || fail "temporary files left: $left"
[ -z "$(ls -A "$work/store/incoming")" ] || fail "incoming/ not empty"
# Two campaigns on one store at once.
"$sf" fuzz --bin "$bin" --runs 3000 --out "$work/c1" --store "$work/store" --status none >"$work/c1.log" 2>&1 &
p1=$!
"$sf" fuzz --bin "$bin" --runs 3000 --out "$work/c2" --store "$work/store" --status none >"$work/c2.log" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ $r1 -le 1 ] && [ $r2 -le 1 ] || { tail "$work/c1.log" "$work/c2.log"; fail "the campaigns exited $r1 and $r2"; }
"$sf" store list "$work/store" >"$work/list2.txt" || fail "the store does not list after two campaigns"
stored=$(find "$work/store" -name 't-*' -exec md5sum {} + | awk '{print $1}')
for d in "$work"/c1/crashes "$work"/c2/crashes; do
    for f in "$d"/*; do
        [ -f "$f" ] || continue
        grep -qx "$(md5sum <"$f" | awk '{print $1}')" <<<"$stored" || fail "$f is not in the store"
    done
done
echo "ok: two writers: 24 testcases, count 24, no torn entry; two campaigns: every crash stored"
