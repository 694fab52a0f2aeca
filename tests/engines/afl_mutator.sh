#!/usr/bin/env bash
# afl_mutator.sh BIN SEEDS MUTATOR [SECONDS] - AFL++ with seamfuzz's custom
# mutator library on the generated harness: afl-fuzz must load it, run
# without a crash or hang on the clean example, and keep at least one queue
# entry that an op-level mutation made (AFL++ names it after
# afl_custom_describe: "seam-repeat", "seam-splice", ...).  A bad
# SEAM_AFL_LIMITS must stop afl-fuzz with one line naming it.
set -euo pipefail
bin="$1"; seeds="$2"; mut="$3"; secs="${4:-20}"
[ -f "$mut" ] || { echo "FAIL: $mut not found (build the AFL++ preset)"; exit 1; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
       AFL_NO_AFFINITY=1 AFL_CUSTOM_MUTATOR_LIBRARY="$mut"
if SEAM_AFL_LIMITS=max_ops=abc timeout 60 afl-fuzz -V 5 -m none -t 5000 -i "$seeds" -o "$t/bad" \
    -- "$bin" >"$t/badlog" 2>&1; then
    echo "FAIL: afl-fuzz ran with SEAM_AFL_LIMITS=max_ops=abc"; exit 1
fi
grep -q "^seamfuzz AFL++ mutator: SEAM_AFL_LIMITS: bad limit 'max_ops=abc'" "$t/badlog" \
    || { tail -5 "$t/badlog"; echo "FAIL: no one-line error for a bad SEAM_AFL_LIMITS"; exit 1; }
afl-fuzz -V "$secs" -m none -t 5000 -i "$seeds" -o "$t/out" -- "$bin" >"$t/log" 2>&1 \
    || { tail -20 "$t/log"; echo "FAIL: afl-fuzz exited non-zero"; exit 1; }
grep -q "Custom mutator '.*' installed successfully" "$t/log" \
    || { grep -i custom "$t/log" | tail -5; echo "FAIL: afl-fuzz did not install $mut"; exit 1; }
st="$t/out/default/fuzzer_stats"
get() { sed -n "s/^$1 *: *//p" "$st"; }
n=$(ls "$t/out/default/queue" | grep -c 'seam-' || true)
echo "execs_done=$(get execs_done) corpus_count=$(get corpus_count) queue_by_seam_mutations=$n"
[ "$(get saved_crashes)" = 0 ] || { echo "FAIL: crashes on the clean example"; exit 1; }
[ "$(get saved_hangs)" = 0 ] || { echo "FAIL: hangs"; exit 1; }
[ "$n" -gt 0 ] || { ls "$t/out/default/queue" | tail -5; echo "FAIL: no queue entry from a seamfuzz mutation"; exit 1; }
echo "OK"
