#!/usr/bin/env bash
# ci/nightly.sh - the nightly fuzzing job for one target (docs/nightly.md):
#   1. files what an interrupted run left behind, then replays every stored
#      finding of the target (--replays times): known, fixed, flaky, regressed;
#   2. fuzzes for the budget (seamfuzz fuzz, every core), filing each crash in
#      the store the moment the engine writes it;
#   3. minimizes the new findings;
#   4. merges the run's corpus into the persistent corpus (resumable);
#   5. writes report.md, report.json, report.sarif, appends to history.jsonl
#      and draws nightly.html (gnuplot) from the history.
# Usage: ci/nightly.sh --target NAME [--seconds N] [--jobs N] [--replays N]
#                      [--work DIR] [--bin FUZZ_BINARY] [--label NAME]
#   --target NAME  fuzz_NAME of the libFuzzer build (built first), or, with --bin,
#                  the name the findings are filed under
#   --work DIR     the job's persistent folder (default nightly/NAME): findings/,
#                  corpus/, history.jsonl, runs/, reports
# Exit: 0 no finding of the target still open, 1 a new finding, one still
# crashing (known) or a regression, 2 infrastructure error (build, engine, disk).
set -uo pipefail
cd "$(dirname "$0")/.."
src=$PWD
die() { echo "ci/nightly.sh: error: $*" >&2; exit 2; }
phase() { echo "== nightly: $*"; }

target="" seconds=600 jobs=$(nproc) replays=3 work="" bin="" label=""
while [ $# -gt 0 ]; do
    case "$1" in
        --target|--seconds|--jobs|--replays|--work|--bin|--label)
            [ $# -ge 2 ] || die "$1 needs a value (see ci/nightly.sh --help)"
            v=$2
            case "$1" in
                --target) target=$v ;; --seconds) seconds=$v ;; --jobs) jobs=$v ;;
                --replays) replays=$v ;; --work) work=$v ;; --bin) bin=$v ;; --label) label=$v ;;
            esac
            shift 2 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (see ci/nightly.sh --help)" ;;
    esac
done
[ -n "$target" ] || die "--target NAME is required"
for n in "$seconds:--seconds" "$jobs:--jobs" "$replays:--replays"; do
    case ${n%%:*} in '' | *[!0-9]*) die "${n#*:} '${n%%:*}' is not a whole number" ;; esac
    [ "${n%%:*}" -ge 1 ] || die "${n#*:} must be at least 1"
done
target=${target#fuzz_}
label=${label:-fuzz_$target}
work=${work:-nightly/$target}
mkdir -p "$work" || die "cannot create $work"
work=$(cd "$work" && pwd)

export PATH="$HOME/.cargo/bin:$PATH"
if [ -z "$bin" ]; then
    bash ci/deps.sh >/dev/null || die "ci/deps.sh failed"
    cmake --preset libfuzzer >/dev/null || die "cmake configure failed"
    cmake --build --preset libfuzzer --target "fuzz_$target" seamfuzz >/dev/null 2>&1 ||
        { cmake --build --preset libfuzzer --target "fuzz_$target" seamfuzz 2>&1 | tail -20
          die "building fuzz_$target failed (unknown target? see above)"; }
    bin=$src/build/libfuzzer/bin/fuzz_$target
    sf=$src/build/libfuzzer/bin/seamfuzz
else
    [ -x "$bin" ] || die "--bin $bin is not an executable"
    bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
    sf=$(dirname "$bin")/seamfuzz
    [ -x "$sf" ] || sf=$src/build/libfuzzer/bin/seamfuzz
fi
[ -x "$sf" ] || die "no seamfuzz tool next to $bin or in build/libfuzzer/bin"
store=$work/findings corpus=$work/corpus
mkdir -p "$corpus" "$work/runs" || die "cannot create folders in $work"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
run=$work/runs/$stamp
t_start=$(date +%s)

# 1. What a killed run left: crash files never filed, the store's incoming/,
#    an interrupted corpus merge.
phase "recover"
for r in "$work"/runs/*/; do
    [ -d "$r/crashes" ] && [ ! -f "$r/status.json" ] || continue
    [ -z "$(ls -A "$r/crashes")" ] && continue
    "$sf" store add "$store" "$r/crashes" --bin "$bin" --target "$label"
    [ $? -le 1 ] || die "filing the crashes of the interrupted run $r failed"
done
"$sf" store triage "$store" --bin "$bin" --target "$label"
[ $? -le 1 ] || die "filing $store/incoming failed"
# libFuzzer's merge adds to $corpus the inputs of $1 that add coverage and
# never removes one; killed, it resumes from its control file.
merge() {
    local from=$1
    "$bin" -merge=1 -merge_control_file="$work/merge.ctl" "$corpus" "$from" \
        >"$work/merge.log" 2>&1 </dev/null
}
if [ -f "$work/merge.from" ]; then
    from=$(cat "$work/merge.from")
    if [ -d "$from" ]; then
        phase "resume the interrupted corpus merge of $from"
        merge "$from" || die "resuming the corpus merge failed (see $work/merge.log)"
    fi
    rm -f "$work/merge.ctl" "$work/merge.from"
fi

phase "replay the stored findings ($replays times each)"
"$sf" store replay "$store" --bin "$bin" --target "$label" --times "$replays" | tee "$work/replay.txt"
rc=${PIPESTATUS[0]}
[ "$rc" -le 1 ] || die "replaying the stored findings failed"

# 2. Fuzz.
phase "fuzz $label for ${seconds}s on $jobs job(s)"
"$sf" fuzz --bin "$bin" --name "$label" --seconds "$seconds" --jobs "$jobs" --out "$run" \
    --store "$store" --seeds "$corpus" --status plain
rc=$?
[ "$rc" -le 1 ] && [ -f "$run/status.json" ] || die "the campaign failed (exit $rc; see $run/logs)"

# 3. Minimize the new findings.
phase "minimize"
"$sf" store minimize "$store" --bin "$bin" --target "$label" ||
    die "minimizing failed (the findings stay in $store, not minimized)"

# 4. Merge the run's corpus into the persistent one.
phase "merge the corpus"
echo "$run/corpus" >"$work/merge.from.tmp" && mv "$work/merge.from.tmp" "$work/merge.from"
merge "$run/corpus" || die "the corpus merge failed (see $work/merge.log)"
rm -f "$work/merge.ctl" "$work/merge.from"

# 5. Reports, history, page.
phase "report"
"$sf" store list "$store" --json >"$work/store.json" || die "cannot read the store $store"
# "<status> <key>" of each finding of the target, from the store's JSON.
mine=$(awk -v t="$label" -F'"' '/"key":/ { k = $4; tgt = ""; st = ""
        for (i = 1; i < NF; i++) { if ($i == "target") tgt = $(i + 2); if ($i == "status") st = $(i + 2) }
        if (tgt == t) print st, k }' "$work/store.json")
count() { grep -c "^$1 " <<<"$mine" || true; }
n_new=$(count new) n_known=$(count known) n_fixed=$(count fixed) n_flaky=$(count flaky)
n_regr=$(count regressed)
corpus_n=$(find "$corpus" -type f | wc -l)
t_end=$(date +%s)
status_json=$(tr -d '\n' <"$run/status.json")
{
    printf '{"date": "%s", "target": "%s", "wall_s": %d, "run": %s, "corpus_total": %d, ' \
        "$stamp" "$label" $((t_end - t_start)) "$status_json" "$corpus_n"
    printf '"findings": {"new": %d, "known": %d, "fixed": %d, "flaky": %d, "regressed": %d}}\n' \
        "$n_new" "$n_known" "$n_fixed" "$n_flaky" "$n_regr"
} >"$work/run.json.tmp" && mv "$work/run.json.tmp" "$run/run.json"
cat "$run/run.json" >>"$work/history.jsonl"
sync "$work/history.jsonl" 2>/dev/null || true

{
    echo "{\"run\": $(cat "$run/run.json"), \"store\": $(cat "$work/store.json")}"
} >"$work/report.json.tmp" && mv "$work/report.json.tmp" "$work/report.json"

# Findings of this target that are not fixed: the SARIF and the Markdown list them.
open_keys=$(awk '$1 != "fixed" {print $2}' <<<"$mine")
tcs=()
for k in $open_keys; do tcs+=("$store/$k/testcase"); done
if [ ${#tcs[@]} -gt 0 ]; then
    "$sf" report "${tcs[@]}" --format sarif -o "$work/report.sarif" ||
        die "seamfuzz report --format sarif failed"
else
    printf '{"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [{"tool": {"driver": {"name": "seamfuzz"}}, "results": []}]}\n' \
        >"$work/report.sarif"
fi
{
    echo "# Nightly fuzzing: $label, $stamp"
    echo
    echo "$(sed -n 's/.*"execs": \([0-9]*\).*/\1/p' "$run/status.json") execs in ${seconds} s on $jobs job(s);" \
        "corpus $corpus_n inputs; coverage (hit/instrumented counters):" \
        "$(sed -E 's/.*"cov_c": \[([0-9]+), ([0-9]+)\].*"cov_rust": \[([0-9]+), ([0-9]+)\].*"cov_go": \[([0-9]+), ([0-9]+)\].*/C \1\/\2, Rust \3\/\4, Go \5\/\6/' "$run/status.json")."
    echo
    echo "**$n_new new**, $n_known known, $n_regr regressed, $n_flaky flaky, $n_fixed fixed."
    echo
    echo "| status | signature | count | first seen | last seen | entry |"
    echo "| --- | --- | --- | --- | --- | --- |"
    "$sf" store list "$store" | awk -v t="$label" 'NF >= 6 && $1 != "" && $2 ~ /^[0-9]+$/ {
        printf "| %s | `%s` | %s | %s | %s | %s |\n", $1, $5, $2, $3, $4, $6 }'
    for k in $open_keys; do
        [ -f "$store/$k/minimized.txt" ] || continue
        echo
        echo "## $k (minimized)"
        echo
        echo '```'
        cat "$store/$k/minimized.txt"
        echo '```'
    done
} >"$work/report.md.tmp" && mv "$work/report.md.tmp" "$work/report.md"

bash "$src/ci/nightly_html.sh" "$work" || echo "ci/nightly.sh: warning: nightly.html not drawn" >&2

phase "done: $n_new new, $n_known known, $n_regr regressed, $n_flaky flaky, $n_fixed fixed; $work/report.md"
[ $((n_new + n_known + n_regr)) -eq 0 ] && exit 0
exit 1
