#!/usr/bin/env bash
# bench/engines.sh - exec/s and coverage reached by one fuzz target under
# libFuzzer and AFL++ (persistent mode) in T seconds each, single core.
# Usage: bench/engines.sh [--target NAME] [--seconds T]
# Needs build/libfuzzer and build/afl (cmake --preset ...; cmake --build ...).
# Prints one line per engine: engine, execs, exec/s, coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
target=baseline; secs=60
while [ $# -gt 0 ]; do
    case "$1" in
        --target) target="$2"; shift 2 ;;
        --seconds) secs="$2"; shift 2 ;;
        *) echo "bench/engines.sh: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
seeds=tests/engines/seeds
[ -d "corpus/$target" ] && seeds="corpus/$target"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

lf=build/libfuzzer/bin/fuzz_$target
mkdir -p "$t/lf"
"$lf" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -artifact_prefix="$t/" \
    "$t/lf" "$seeds" >"$t/lf.log" 2>&1 || true
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$t/lf.log")
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$t/lf.log")
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$t/lf.log" | tail -1)
echo "libfuzzer fuzz_$target ${secs}s: execs=$execs exec/s=$eps $cov"

afl=build/afl/bin/fuzz_$target
AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -V "$secs" -m none -t 5000 -i "$seeds" -o "$t/afl" -- "$afl" >"$t/afl.log" 2>&1 || true
st="$t/afl/default/fuzzer_stats"
get() { sed -n "s/^$1 *: *//p" "$st"; }
echo "afl++     fuzz_$target ${secs}s: execs=$(get execs_done) exec/s=$(get execs_per_sec) edges_found=$(get edges_found) map=$(get bitmap_cvg) (map size $(get map_size 2>/dev/null || true))"
