#!/usr/bin/env bash
# nightly_runs.sh SRC BUGGY CLEAN WORK - ci/nightly.sh three times on one job
# folder: with the bug-zoo variant BUGGY, a new finding (exit 1: minimized, in
# the store, in the reports); again, the same finding known and nothing new
# (exit 1); with the clean binary CLEAN under the same label, fixed (exit 0).
set -uo pipefail
src=$1 buggy=$2 clean=$3 work=$4
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
label=$(basename "$buggy")
run() { # expected-exit bin
    bash "$src/ci/nightly.sh" --target "$label" --label "$label" --bin "$2" --seconds 10 --jobs 2 \
        --replays 2 --work "$work" >"$work.log" 2>&1
    local rc=$?
    cat "$work.log"
    [ "$rc" = "$1" ] || fail "ci/nightly.sh exited $rc, expected $1"
}
count() { awk -v s="$1" -F'"' '/"key":/ { for (i = 1; i < NF; i++) if ($i == "status" && $(i + 2) == s) n++ } END { print n + 0 }' "$work/store.json"; }
mkdir -p "$(dirname "$work")"
run 1 "$buggy"
[ "$(count new)" = 1 ] || fail "run 1: $(count new) new findings, expected 1"
key=$(awk -F'"' '/"key":/ {print $4; exit}' "$work/store.json")
[ -s "$work/findings/$key/minimized" ] && [ -s "$work/findings/$key/minimized.txt" ] ||
    fail "run 1: the new finding was not minimized"
grep -q '^\*\*1 new\*\*' "$work/report.md" || fail "run 1: report.md does not say 1 new"
grep -q '"new": 1' "$work/report.json" || fail "run 1: report.json does not count it"
grep -q '"ruleId"' "$work/report.sarif" || fail "run 1: report.sarif has no result"
run 1 "$buggy"
[ "$(count new)" = 0 ] && [ "$(count known)" = 1 ] || fail "run 2: expected 0 new and 1 known"
grep -q 'known     2/2' "$work/replay.txt" || fail "run 2: the replay did not find it known"
run 0 "$clean"
[ "$(count fixed)" = 1 ] && [ "$(count known)" = 0 ] || fail "run 3: expected it fixed"
[ "$(wc -l <"$work/history.jsonl")" = 3 ] || fail "history.jsonl does not have 3 runs"
grep -q '<img src="coverage.svg"' "$work/nightly.html" && [ -s "$work/coverage.svg" ] &&
    [ -s "$work/findings.svg" ] || fail "nightly.html or its plots are missing"
echo "ok: nightly runs: new (exit 1), known (exit 1), fixed (exit 0)"
