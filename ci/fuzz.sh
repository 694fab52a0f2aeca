#!/usr/bin/env bash
# ci/fuzz.sh - the main job: build and fuzz a target with libFuzzer, then print a
# summary (execs, exec/s, coverage, the crashes of this run and where they
# were saved, each with its report as CRASH.log).
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
usage() { sed -n '2,10p' "$0"; }
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
# libFuzzer reads -max_total_time=0 as "no limit": refuse it.
[ "$seconds" -ge 1 ] || { echo "ci/fuzz.sh: error: --seconds must be at least 1 (0 would fuzz forever)" >&2; exit 2; }

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
# Seeds and dictionary: the target's own, else those of the spec it is a
# variant of (bytebridge_uaf_held -> bytebridge).
base=$target
while [ ! -d "corpus/$base" ] && [ "${base%_*}" != "$base" ]; do base=${base%_*}; done
seeds=()
[ -d "corpus/$base" ] && seeds=("corpus/$base")
dict=()
[ -f "dictionaries/$base.dict" ] && dict=(-dict="dictionaries/$base.dict")

# Crash files already there are earlier runs': only new ones count.
before=$(find "$crashes" -type f ! -name '*.log' | sort)
echo "ci/fuzz.sh: fuzzing fuzz_$target for ${seconds}s (seeds: ${seeds[*]:-none}; log: $log)"
t0=$(date +%s)
set +e
# In a subshell whose stderr is dropped: bash's own "Aborted" line for a
# crashing target is noise (the report is in the log).
( "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" "${dict[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 ) 2>/dev/null
status=$?
set -e
took=$(( $(date +%s) - t0 ))
new=$(comm -13 <(printf '%s\n' "$before") <(find "$crashes" -type f ! -name '*.log' | sort) | sed '/^$/d')
# Each new crash gets its report next to it (CRASH.log: from the first
# report line on), so `seamfuzz repro CRASH` finds the binary and shows it.
first=$(grep -n -m1 -E '^SEAMFUZZ-VIOLATION|^==[0-9]+==ERROR|runtime error|^panic: |^fatal error: ' "$log" | cut -d: -f1 || true)
for c in $new; do
    if [ -n "$first" ]; then tail -n +"$first" "$log" >"$c.log"; else cp "$log" "$c.log"; fi
done

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
ncrash=$(printf '%s\n' "$new" | sed '/^$/d' | wc -l)
echo "== seamfuzz summary: fuzz_$target (libFuzzer, ran ${took}s of ${seconds}s asked)"
echo "execs:      ${execs:-?}"
echo "exec/s:     ${eps:-?}"
echo "coverage:   ${cov:-?} (edges / features, C + Rust + Go)"
echo "corpus:     $(find "$corpus" -type f | wc -l) inputs in $corpus"
echo "crashes:    $ncrash new in $crashes/"
if [ "$ncrash" -gt 0 ] || { [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; }; then
    # The finding in seamfuzz's terms: id, meaning and boundary function.
    id=$(sed -n 's/^SEAMFUZZ-VIOLATION: //p' "$log" | head -1)
    fn=$(sed -n 's/^FUNCTION: //p' "$log" | head -1)
    kind=$(sed -n 's/^KIND: //p' "$log" | head -1)
    if [ -n "$id" ]; then
        echo "finding:    $id${kind:+ ($kind)}${fn:+ in $fn}"
    else
        echo "finding:    $(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|^panic: ' "$log" || echo "exit status $status")"
    fi
    for c in $new; do
        echo "reproduce:  build/libfuzzer/bin/seamfuzz repro $c   (report in $c.log)"
    done
    [ -n "$new" ] || echo "log:        $log"
    exit 1
fi
exit 0
