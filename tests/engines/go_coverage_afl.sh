#!/usr/bin/env bash
# Under AFL++, two inputs differing only in Go's branch give different maps, and
# the differing edges include ids that sf_afl_bridge.c assigned to Go counters.
set -euo pipefail
bin="$1"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
printf '\x07!Gxxxx' > "$t/a"
printf '\x07okxxxx' > "$t/b"
export AFL_QUIET=1
range=$(SEAM_AFL_DEBUG=1 "$bin" - < "$t/b" 2>&1 | sed -n 's/.*go counters: \([0-9]*\), edge ids \([0-9]*\)\.\.\([0-9]*\).*/\1 \2 \3/p' | head -1)
read -r n lo hi <<<"$range"
echo "go counters: ${n:-0}, AFL edge ids ${lo:-?}..${hi:-?}"
[ "${n:-0}" -gt 0 ] || { echo "FAIL: no Go counters bridged into AFL's map"; exit 1; }
afl-showmap -q -m none -t 5000 -o "$t/map_a" -- "$bin" - < "$t/a" || true
afl-showmap -q -m none -t 5000 -o "$t/map_b" -- "$bin" - < "$t/b" || true
[ -s "$t/map_a" ] && [ -s "$t/map_b" ] || { echo "FAIL: afl-showmap wrote no map"; exit 1; }
ids=$( { diff <(cut -d: -f1 "$t/map_a" | sort) <(cut -d: -f1 "$t/map_b" | sort) || true; } | sed -n "s/^[<>] 0*\([0-9]\)/\1/p")
go_diff=0
for id in $ids; do
    if [ "$id" -ge "$lo" ] && [ "$id" -le "$hi" ]; then go_diff=$((go_diff + 1)); fi
done
echo "map a: $(wc -l <"$t/map_a") edges, map b: $(wc -l <"$t/map_b") edges, differing Go edges: $go_diff"
[ "$go_diff" -gt 0 ] || { echo "FAIL: Go's branch is invisible to AFL++"; exit 1; }
echo "OK: Go coverage reaches AFL++"
