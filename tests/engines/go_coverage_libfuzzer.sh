#!/usr/bin/env bash
# Two inputs that take the same C and Rust path and differ only in the branch
# Go code takes (bbgo_checked: recovered panic vs. normal return).  libFuzzer
# keeps an input in its corpus only if it adds features, so with both in one
# folder it must keep both: the proof that Go's counters reach libFuzzer.
set -euo pipefail
bin="$1"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir "$t/in"
printf '\x07!Gxxxx' > "$t/in/a"   # Go panics and recovers
printf '\x07okxxxx' > "$t/in/b"   # Go returns normally
line=$("$bin" -runs=0 "$t/in" 2>&1 | grep 'INITED' | tail -1)
echo "$line"
corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$line")
[ "$corp" = 2 ] || { echo "FAIL: libFuzzer kept $corp input(s); the Go branch added no feature"; exit 1; }
echo "OK: Go's branch adds libFuzzer features"
