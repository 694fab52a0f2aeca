#!/usr/bin/env bash
# Runs a libFuzzer binary for a fixed number of runs with a fixed seed, seeded
# from a folder (copied, so the source folder is never written), and fails on
# any report.  Prints the final stats.
set -euo pipefail
bin="$1"; seeds="$2"; runs="$3"; shift 3
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir "$t/corpus" "$t/art"
"$bin" -runs="$runs" -seed=1 -timeout=10 -print_final_stats=1 -artifact_prefix="$t/art/" "$@" \
    "$t/corpus" "$seeds" >"$t/log" 2>&1 || { tail -60 "$t/log"; echo "FAIL: report on the clean build"; exit 1; }
grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|DONE' "$t/log"
[ -z "$(ls -A "$t/art")" ] || { echo "FAIL: artifacts written"; exit 1; }
echo OK
