#!/usr/bin/env bash
# bench/campaign.sh [--seconds N] [--pairs N] [--target NAME]... [--no-affinity] - seamfuzz
# fuzz on 2 cores against 1 core: the same time budget, runs interleaved
# (1 core, 2 cores, 1 core, ...) so that machine noise hits both alike.
# Prints the execs of every run and the ratio of the medians, per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=30 pairs=3 targets=() extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --pairs) pairs=$2; shift 2 ;;
        --target) targets+=("$2"); shift 2 ;;
        --no-affinity) extra+=(--no-affinity); shift ;;
        -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
        *) echo "bench/campaign.sh: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(docidx bytebridge)
export PATH="$HOME/.cargo/bin:$PATH"
cmake --preset libfuzzer >/dev/null
for t in "${targets[@]}"; do cmake --build --preset libfuzzer --target "fuzz_$t" seamfuzz >/dev/null; done
sf=build/libfuzzer/bin/seamfuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "seamfuzz fuzz, ${seconds} s per run, $pairs interleaved pairs, $(nproc) cores${extra[*]:+, ${extra[*]}}"
for t in "${targets[@]}"; do
    one=() two=()
    for p in $(seq 1 "$pairs"); do
        for j in 1 2; do
            rm -rf "$work/o"
            "$sf" fuzz --target "$t" --seconds "$seconds" --jobs "$j" --out "$work/o" --status none \
                ${extra[@]+"${extra[@]}"} \
                >"$work/log" 2>&1 || true
            e=$(sed -n 's/.*"execs": \([0-9]*\).*/\1/p' "$work/o/status.json")
            w=$(sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p' "$work/o/status.json")
            echo "  $t pair $p, $j job(s): $e execs in $w s"
            if [ "$j" = 1 ]; then one+=("$e"); else two+=("$e"); fi
        done
    done
    m1=$(printf '%s\n' "${one[@]}" | median)
    m2=$(printf '%s\n' "${two[@]}" | median)
    awk -v t="$t" -v a="$m1" -v b="$m2" 'BEGIN { printf "%s: median %d execs on 1 core, %d on 2: %.2fx\n", t, a, b, b / a }'
done
