#!/usr/bin/env bash
# ci/fuzz.sh - the main job: build a target and run a `seamfuzz fuzz` campaign
# on every core (docs/nightly.md): a live status line, every finding filed in
# the crash store OUT/findings the moment the engine writes it, a summary.
# Usage: ci/fuzz.sh [--seconds N] [--target NAME] [--jobs N] [--out DIR] [seamfuzz fuzz options]
#   --seconds N   fuzzing time (default $SEAM_FUZZ_SECONDS or 60)
#   --target NAME fuzz_NAME of the libFuzzer build (default bytebridge; a bug
#                 variant such as bytebridge_uaf_held gets its spec's seeds)
#   --jobs N      cores (default: all)
#   --out DIR     campaign folder OUT/NAME and store OUT/findings (default out/)
# Exit status: 0 no finding, 1 findings, 2 usage or build error.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${SEAM_FUZZ_SECONDS:-60}" target=bytebridge out=out jobs=$(nproc)
rest=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds|--target|--out|--jobs)
            [ $# -ge 2 ] || { echo "ci/fuzz.sh: error: $1 needs a value (see ci/fuzz.sh --help)" >&2; exit 2; }
            case "$1" in --seconds) seconds=$2 ;; --target) target=$2 ;; --out) out=$2 ;; --jobs) jobs=$2 ;; esac
            shift 2 ;;
        --seconds=*|--target=*|--out=*|--jobs=*)
            v=${1#*=}
            case "$1" in --seconds=*) seconds=$v ;; --target=*) target=$v ;; --out=*) out=$v ;; --jobs=*) jobs=$v ;; esac
            shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) rest+=("$1"); shift ;;
    esac
done
target=${target#fuzz_}

bash ci/deps.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PATH"
cmake --preset libfuzzer >/dev/null || { echo "ci/fuzz.sh: error: cmake configure failed (see above)" >&2; exit 2; }
cmake --build --preset libfuzzer --target seamfuzz >/dev/null ||
    { echo "ci/fuzz.sh: error: building the seamfuzz tool failed" >&2; exit 2; }
# An unknown target is seamfuzz fuzz's to report (with the known ones).
known=$(cmake --build --preset libfuzzer --target help)
if grep -qx "\.\.\. fuzz_$target" <<<"$known"; then
    cmake --build --preset libfuzzer --target "fuzz_$target" >/dev/null ||
        { echo "ci/fuzz.sh: error: building fuzz_$target failed" >&2; exit 2; }
fi
exec build/libfuzzer/bin/seamfuzz fuzz --target "$target" --seconds "$seconds" --jobs "$jobs" \
    --out "$out/$target" --store "$out/findings" "${rest[@]}"
