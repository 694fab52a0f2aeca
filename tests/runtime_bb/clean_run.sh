#!/usr/bin/env bash
# clean_run.sh BIN SEEDS RUNS [flags...] - runs the libFuzzer binary BIN for
# RUNS executions with -seed=1, seeded from a private copy of the folder SEEDS
# (the repository is never written), and fails if anything is reported: a
# non-zero exit, a crash/leak/timeout artifact, a SEAMFUZZ- line or a
# sanitizer line in the log, or fewer executions than asked for.
set -euo pipefail
bin="$1"; seeds="$2"; runs="$3"; shift 3
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir "$t/corpus" "$t/art"
cp -r "$seeds/." "$t/seeds"
rc=0
"$bin" -runs="$runs" -seed=1 -timeout=10 -print_final_stats=1 -artifact_prefix="$t/art/" "$@" \
    "$t/corpus" "$t/seeds" >"$t/log" 2>&1 || rc=$?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|DONE' "$t/log" || true
fail() { tail -80 "$t/log"; echo "FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "exit status $rc on the clean example"
[ -z "$(ls -A "$t/art")" ] || fail "artifacts written: $(ls "$t/art")"
if grep -qE '^SEAMFUZZ-|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:' "$t/log"; then
    grep -nE '^SEAMFUZZ-|Sanitizer|runtime error:' "$t/log" | head -20
    fail "report in the log"
fi
n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$t/log")
[ "${n:-0}" -ge "$runs" ] || fail "only ${n:-0} of $runs executions"
echo "OK $n execs, no report"
