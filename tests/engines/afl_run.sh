#!/usr/bin/env bash
# A short AFL++ persistent-mode run on the example: it must execute inputs
# (the forkserver starts before the Go runtime, runtime.GC() included), with
# no crash and no hang.  Prints execs and exec/s.
set -euo pipefail
bin="$1"; seeds="$2"; secs="${3:-15}"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
       AFL_NO_AFFINITY=1 AFL_QUIET=1
afl-fuzz -V "$secs" -m none -t 5000 -i "$seeds" -o "$t/out" -- "$bin" >"$t/log" 2>&1 \
    || { tail -20 "$t/log"; echo "FAIL: afl-fuzz exited non-zero"; exit 1; }
st="$t/out/default/fuzzer_stats"
[ -f "$st" ] || { tail -20 "$t/log"; echo "FAIL: no fuzzer_stats"; exit 1; }
get() { sed -n "s/^$1 *: *//p" "$st"; }
echo "execs_done=$(get execs_done) execs_per_sec=$(get execs_per_sec) edges_found=$(get edges_found) saved_crashes=$(get saved_crashes) saved_hangs=$(get saved_hangs)"
[ "$(get execs_done)" -gt 1000 ] || { echo "FAIL: too few execs"; exit 1; }
[ "$(get saved_crashes)" = 0 ] || { echo "FAIL: crashes on the clean example"; exit 1; }
[ "$(get saved_hangs)" = 0 ] || { echo "FAIL: hangs (forkserver vs Go runtime?)"; exit 1; }
echo "OK"
