#!/usr/bin/env bash
# detect.sh - fuzzes one bug-zoo target with libFuzzer from a copy of the seed
# corpus (the source folder is never written), with a fixed seed and a bounded
# number of runs, and checks the first finding:
#   (a) the fuzzer stopped on a finding (non-zero exit, a saved testcase);
#   (b) the report's SEAMFUZZ-VIOLATION id matches the extended regex ID (a
#       defect that two checks catch, such as SF-103|SF-104, names both) and,
#       when KIND is not "-", its KIND: line matches the extended regex KIND;
#   (c) the printed program calls one of the functions in the regex WHERE (a
#       finding made before any input, such as SF-150 at start-up, has no
#       program: then its DETAIL line must name one).
# With --clean the target must run the whole budget (all RUNS, within the
# SECONDS cap) without a report.
#
#   detect.sh BIN CORPUS DICT SEED[,SEED...] RUNS SECONDS ID KIND WHERE
#   detect.sh --clean BIN CORPUS DICT SEED RUNS SECONDS
#
# SECONDS is a safety cap (-max_total_time); RUNS is the real budget.  Prints
# one summary line, "bugzoo-detect: NAME ID (KIND) after N runs, T s", and
# the report on failure.  Exit 0 when every check passed.
set -uo pipefail

clean=0
if [ "${1:-}" = --clean ]; then
    clean=1
    shift
fi
if { [ $clean = 1 ] && [ $# -ne 6 ]; } || { [ $clean = 0 ] && [ $# -ne 9 ]; }; then
    echo "usage: $0 BIN CORPUS DICT SEED RUNS SECONDS ID KIND WHERE | --clean BIN CORPUS DICT SEED RUNS SECONDS" >&2
    exit 2
fi
bin=$1 corpus=$2 dict=$3 seed=$4 runs=$5 secs=$6
want_id=${7:-} want_kind=${8:-} where=${9:-}
name=$(basename "$bin")

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ulimit -c 0 2>/dev/null || true

start=$(date +%s%N)
# SEED may be a list "2,3": a detecting run that ends without a finding is
# tried again, from a fresh copy of the corpus, with the next seed (one
# trajectory can stay stuck for a whole budget; docs/bugzoo.md).  A clean run
# uses the first seed only.
seeds=${seed//,/ }
[ $clean = 1 ] && seeds=${seeds%% *}
for seed in $seeds; do
    rm -rf "$t/corpus" "$t/art" && mkdir "$t/corpus" "$t/art" && cp "$corpus"/* "$t/corpus/"
    # In a subshell with stderr closed, so that bash's "Aborted" line stays out.
    rc=$(exec 2>/dev/null; "$bin" -seed="$seed" -runs="$runs" -max_total_time="$secs" -timeout=10 \
        -dict="$dict" -print_final_stats=1 -artifact_prefix="$t/art/" "$t/corpus" \
        >"$t/log" 2>&1 </dev/null; echo $?)
    [ "$rc" -ne 0 ] && break
    [ $clean = 1 ] || echo "bugzoo-detect: $name: no finding with seed $seed"
done
end=$(date +%s%N)
secs_used=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$t/log" | tail -1)

fail() {
    echo "--- last 80 lines of the fuzzer log"
    tail -80 "$t/log"
    echo "FAIL $name: $1"
    exit 1
}

if [ $clean = 1 ]; then
    [ "$rc" -eq 0 ] || fail "exit status $rc on the clean build"
    ! grep -q '^SEAMFUZZ-VIOLATION: ' "$t/log" || fail "report on the clean build"
    [ -z "$(ls -A "$t/art")" ] || fail "artifacts written on the clean build"
    [ "${units:-0}" -ge "$runs" ] ||
        fail "only ${units:-0} of $runs runs before the $secs s cap: the budget was not run"
    echo "bugzoo-detect: $name no report after ${units:-?} runs, $secs_used s"
    exit 0
fi

# (a) a finding stopped the run.
[ "$rc" -ne 0 ] || fail "no finding in ${units:-?} runs of $runs (seed $seed, $secs_used s, cap $secs s); exit 0"
# The report block: from the first SEAMFUZZ-VIOLATION line to its JSON line.
sed -n '/^SEAMFUZZ-VIOLATION: /,/^SEAMFUZZ-JSON: /p' "$t/log" | awk '/^SEAMFUZZ-JSON: /{print; exit} {print}' >"$t/report"
[ -s "$t/report" ] || fail "exit status $rc but no SEAMFUZZ-VIOLATION report"
got_id=$(sed -n '1s/^SEAMFUZZ-VIOLATION: \(SF-[0-9]*\).*/\1/p' "$t/report")
got_kind=$(sed -n 's/^KIND: //p' "$t/report" | head -1)
has_prog=0
grep -q '^PROGRAM:' "$t/report" && has_prog=1
if [ $has_prog = 1 ] && [ -z "$(ls -A "$t/art")" ]; then
    fail "report on an input, but libFuzzer saved no testcase"
fi

# (b) the classification.
printf '%s\n' "$got_id" | grep -Eq "^($want_id)$" ||
    { cat "$t/report"; fail "expected $want_id, got ${got_id:-no id}"; }
if [ "$want_kind" != - ]; then
    printf '%s\n' "$got_kind" | grep -Eq "^($want_kind)$" ||
        { cat "$t/report"; fail "expected KIND $want_kind, got '${got_kind}'"; }
fi

# (c) the program reaches the buggy code: an op line calls one of WHERE.
if [ $has_prog = 1 ]; then
    sed -n '/^PROGRAM:/,/^[A-Z][A-Z-]*:/p' "$t/report" | grep -E '^( >>|  ) ' >"$t/ops"
    grep -Eq "(^|[ =])($where)\(" "$t/ops" ||
        { cat "$t/report"; fail "the program calls none of $where"; }
else
    grep -E '^DETAIL: ' "$t/report" | grep -Eq "($where)" ||
        { cat "$t/report"; fail "no program, and DETAIL names none of $where"; }
fi

echo "bugzoo-detect: $name $got_id${got_kind:+ ($got_kind)} after ${units:-0} runs, $secs_used s"
sed -n '1,/^PROGRAM:/p' "$t/report" | grep -Ev '^(PROGRAM|TIMING|HISTORY)'
[ $has_prog = 1 ] && cat "$t/ops"
exit 0
