#!/usr/bin/env bash
# manifest_check.sh MANIFEST - the fuzzers ci/build.sh ships (seam-fuzzers.tsv)
# are exactly the examples' generated targets, each with a dictionary and a
# seed corpus that exist; no benchmark baseline, bug-zoo variant or test target.
set -uo pipefail
m=$1
fail() { echo "FAIL: $*"; cat "$m"; exit 1; }
[ -f "$m" ] || fail "no $m"
names=$(grep -v '^#' "$m" | cut -f1 | sort | tr '\n' ' ')
[ "$names" = "fuzz_bytebridge fuzz_docidx " ] || fail "shipped: '$names' (want fuzz_bytebridge fuzz_docidx)"
while IFS=$'\t' read -r name bin dict corpus _mutator; do
    case $name in '#'*) continue ;; esac
    [ -f "$dict" ] || fail "$name: dictionary '$dict' missing"
    [ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ] || fail "$name: corpus '$corpus' missing or empty"
done <"$m"
echo "ok: ships $names with their dictionaries and corpora"
