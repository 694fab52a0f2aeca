#!/usr/bin/env bash
# ci/build.sh - OSS-Fuzz / ClusterFuzzLite build script.
# Honours $CC, $CFLAGS, $LIB_FUZZING_ENGINE, $SANITIZER, $OUT (and $SRC).
# Puts every user-facing fuzz target (seam-fuzzers.tsv) in $OUT with
# <target>_seed_corpus.zip, <target>.dict and <target>.options next to it.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${OUT:?ci/build.sh: error: OUT is not set (the folder OSS-Fuzz collects targets from)}"
CC="${CC:-clang}"
LIB_FUZZING_ENGINE="${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}"
SANITIZER="${SANITIZER:-address}"
case "$SANITIZER" in
    address) san="address,undefined" ;;
    undefined) san="undefined" ;;
    coverage|none) san="none" ;;
    *) echo "ci/build.sh: error: SANITIZER=$SANITIZER is not supported (address|undefined|coverage)" >&2; exit 2 ;;
esac
export PATH="$HOME/.cargo/bin:$PATH" LIB_FUZZING_ENGINE
bdir="${WORK:-build}/oss-fuzz"
cmake -S . -B "$bdir" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${CFLAGS:-}" \
    -DSEAM_ENGINE=libfuzzer -DSEAM_OSSFUZZ=ON -DSEAM_SANITIZERS="$san" -DSEAM_UNIT_TESTS=OFF
cmake --build "$bdir" -j"$(nproc)"
mkdir -p "$OUT"
# Only the user-facing fuzzers (seam-fuzzers.tsv, cmake/SeamFuzzTarget.cmake):
# benchmark baselines and test targets would waste fuzzing time and report
# duplicate bugs on a real deployment.
manifest=$bdir/seam-fuzzers.tsv
[ -f "$manifest" ] || { echo "ci/build.sh: error: $manifest missing (the configure step writes it)" >&2; exit 2; }
while IFS=$'\t' read -r name bin dict corpus; do
    case $name in '' | '#'*) continue ;; esac
    cp "$bin" "$OUT/"
    if [ "$corpus" != - ] && [ -d "$corpus" ]; then
        rm -f "$OUT/${name}_seed_corpus.zip"
        (cd "$corpus" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
    fi
    [ "$dict" != - ] && cp "$dict" "$OUT/$name.dict"
    printf '[libfuzzer]\nmax_len = 4096\ntimeout = 10\n' > "$OUT/$name.options"
    [ "$dict" != - ] && printf 'dict = %s.dict\n' "$name" >> "$OUT/$name.options"
    echo "ci/build.sh: $OUT/$name"
done <"$manifest"
