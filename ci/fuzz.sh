#!/usr/bin/env bash
# ci/fuzz.sh - the main job: build and fuzz a target with libFuzzer, then print a
# summary (execs, exec/s, coverage, crashes and where they were saved).
# Usage: ci/fuzz.sh [--seconds N] [--target NAME] [--out DIR]
#   --seconds N   fuzzing time (default $SEAM_FUZZ_SECONDS or 60)
#   --target NAME fuzz_NAME from harness/ (default bytebridge; "baseline" for the
#                 hand-written harness)
#   --out DIR     working folder for corpus, crashes and logs (default out/)
# Exit status: 0 no crash, 1 crashes found, 2 usage or build error.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${SEAM_FUZZ_SECONDS:-60}"
target=bytebridge
out=out
usage() { sed -n '2,9p' "$0"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) [ $# -ge 2 ] || { echo "ci/fuzz.sh: error: --seconds needs a number" >&2; exit 2; }
                   seconds="$2"; shift 2 ;;
        --seconds=*) seconds="${1#--seconds=}"; shift ;;
        --target) [ $# -ge 2 ] || { echo "ci/fuzz.sh: error: --target needs a name" >&2; exit 2; }
                  target="$2"; shift 2 ;;
        --target=*) target="${1#--target=}"; shift ;;
        --out) [ $# -ge 2 ] || { echo "ci/fuzz.sh: error: --out needs a folder" >&2; exit 2; }
               out="$2"; shift 2 ;;
        --out=*) out="${1#--out=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "ci/fuzz.sh: error: unknown argument '$1' (see ci/fuzz.sh --help)" >&2; exit 2 ;;
    esac
done
case "$seconds" in ''|*[!0-9]*) echo "ci/fuzz.sh: error: --seconds '$seconds' is not a whole number of seconds" >&2; exit 2 ;; esac

bash ci/deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
cmake --preset libfuzzer >/dev/null || { echo "ci/fuzz.sh: error: cmake configure failed (see above)" >&2; exit 2; }
cmake --build --preset libfuzzer --target "fuzz_$target" \
    || { echo "ci/fuzz.sh: error: building fuzz_$target failed; is harness/$target present?" >&2; exit 2; }

bin="build/libfuzzer/bin/fuzz_$target"
corpus="$out/corpus/$target"
crashes="$out/crashes/$target"
log="$out/logs/fuzz_$target.log"
mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
seeds=()
[ -d "corpus/$target" ] && seeds=("corpus/$target")
dict=()
[ -f "dictionaries/$target.dict" ] && dict=(-dict="dictionaries/$target.dict")

echo "ci/fuzz.sh: fuzzing fuzz_$target for ${seconds}s (log: $log)"
set +e
"$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" "${dict[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1
status=$?
set -e

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
ncrash=$(find "$crashes" -type f | wc -l)
echo "== seamfuzz summary: fuzz_$target (libFuzzer, ${seconds}s)"
echo "execs:      ${execs:-?}"
echo "exec/s:     ${eps:-?}"
echo "coverage:   ${cov:-?} (edges / features, C + Rust + Go)"
echo "corpus:     $(find "$corpus" -type f | wc -l) inputs in $corpus"
echo "crashes:    $ncrash saved in $crashes/"
if [ "$ncrash" -gt 0 ] || { [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; }; then
    grep -m1 -E 'SEAMFUZZ-VIOLATION|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$log" || true
    echo "reproduce:  build/libfuzzer/bin/seamfuzz repro $crashes/<crash file>   (full report in $log)"
    exit 1
fi
exit 0
