#!/usr/bin/env bash
# ci/build.sh - OSS-Fuzz / ClusterFuzzLite build script (oss-fuzz/build.sh
# and .clusterfuzzlite/build.sh call it).  Honours what OSS-Fuzz's
# base-builder sets: $FUZZING_ENGINE, $SANITIZER, $CC, $CFLAGS,
# $LIB_FUZZING_ENGINE, $RUSTFLAGS, $RUSTUP_TOOLCHAIN, $OUT, $WORK, $SRC;
# run by hand, it sets the ones missing as base-builder would.
#   FUZZING_ENGINE  libfuzzer | afl
#   SANITIZER       address | undefined | coverage (coverage: libfuzzer only)
# Puts every user-facing fuzz target (seam-fuzzers.tsv) in $OUT with
# <target>_seed_corpus.zip, <target>.dict and <target>.options, and for AFL++
# <target>_mutator.so (seamfuzz's op-level mutations; docs/ossfuzz.md says how
# to load it: ClusterFuzz's AFL++ launcher cannot).  Coverage builds generate
# the harnesses under $SRC/seamfuzz-gen (OSS-Fuzz's report shows files there).
# Exit status: 0 built, 2 usage or build error.
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "ci/build.sh: error: $*" >&2; exit 2; }
: "${OUT:?ci/build.sh: error: OUT is not set (the folder OSS-Fuzz collects targets from)}"

# The engine: FUZZING_ENGINE, else what LIB_FUZZING_ENGINE names.
engine=${FUZZING_ENGINE:-}
if [ -z "$engine" ]; then
    case ${LIB_FUZZING_ENGINE:-} in *AFL* | *afl*) engine=afl ;; *) engine=libfuzzer ;; esac
fi
SANITIZER=${SANITIZER:-address}
case $engine in
    libfuzzer | afl) ;;
    *) die "FUZZING_ENGINE=$engine is not supported (libfuzzer|afl): the targets need libFuzzer's or AFL++'s driver" ;;
esac
case $SANITIZER in
    address) san=address ;;
    undefined) san=undefined ;;
    coverage) san=none ;;
    memory) die "SANITIZER=memory is not supported: Go and Rust's standard libraries are not MemorySanitizer-instrumented, so every Go or Rust call would report (address|undefined|coverage)" ;;
    *) die "SANITIZER=$SANITIZER is not supported (address|undefined|coverage)" ;;
esac
[ "$engine" != afl ] || [ "$SANITIZER" != coverage ] ||
    die "SANITIZER=coverage goes with FUZZING_ENGINE=libfuzzer (as OSS-Fuzz builds coverage)"

# What base-builder sets, for a run by hand (docs/ossfuzz.md).
# As base-builder: unsigned wrap-around is checked but recoverable, and
# UBSAN_OPTIONS silences it (it is defined behaviour: hashes rely on it).
ubsan_fatal=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
ubsan_checks=$ubsan_fatal,unsigned-integer-overflow
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:print_summary=1:silence_unsigned_overflow=1}
if [ -z "${CFLAGS+x}" ]; then
    case $SANITIZER in
        address) CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope" ;;
        undefined) CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=$ubsan_checks -fno-sanitize-recover=$ubsan_fatal" ;;
        coverage) CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm -Wno-unused-command-line-argument" ;;
    esac
    [ "$engine" = libfuzzer ] && CFLAGS="$CFLAGS -fsanitize=fuzzer-no-link"
fi
if [ "$engine" = afl ]; then
    CC=${CC:-afl-clang-fast}
    LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:-/usr/lib/afl/libAFLDriver.a}
    command -v "$CC" >/dev/null 2>&1 || die "CC=$CC not found (AFL++ builds compile with afl-clang-fast; run ci/deps.sh)"
else
    if [ -z "${CC:-}" ]; then
        # Coverage: a clang whose profile format matches rustc's (docs/coverage.md).
        CC=clang
        [ "$SANITIZER" = coverage ] && command -v clang-19 >/dev/null 2>&1 && CC=clang-19
    fi
    LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
fi
export PATH="$HOME/.cargo/bin:$PATH" LIB_FUZZING_ENGINE
cov=OFF
[ "$SANITIZER" = coverage ] && cov=ON

bdir="${WORK:-build}/oss-fuzz-$engine-$SANITIZER"
mkdir -p "$bdir"
# Coverage builds generate the harnesses under $SRC, where OSS-Fuzz's report
# looks for sources (a build-tree path would show as missing).
gendir=""
[ "$SANITIZER" = coverage ] && [ -n "${SRC:-}" ] && gendir=$SRC/seamfuzz-gen
cmake -S . -B "$bdir" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_BUILD_TYPE= \
    -DSEAM_ENGINE="$engine" -DSEAM_OSSFUZZ=ON -DSEAM_SANITIZERS="$san" -DSEAM_COVERAGE=$cov \
    -DSEAM_GEN_DIR="$gendir" -DSEAM_UNIT_TESTS=OFF >"$bdir/configure.log" 2>&1 ||
    { cat "$bdir/configure.log" >&2; die "cmake configure failed (log above)"; }
manifest=$bdir/seam-fuzzers.tsv
[ -f "$manifest" ] || die "$manifest missing (the configure step writes it)"
names=$(awk -F'\t' '!/^#/ && NF {print $1}' "$manifest")
# shellcheck disable=SC2086 # one target name per word
cmake --build "$bdir" -j"$(nproc)" --target $names || die "build failed (see above)"
mkdir -p "$OUT"

# Only the user-facing fuzzers (seam-fuzzers.tsv, cmake/SeamFuzzTarget.cmake):
# benchmark baselines and test targets would waste fuzzing time and report
# duplicate bugs on a real deployment.
while IFS=$'\t' read -r name bin dict corpus mutator; do
    case $name in '' | '#'*) continue ;; esac
    cp "$bin" "$OUT/"
    if [ "$corpus" != - ] && [ -d "$corpus" ]; then
        rm -f "$OUT/${name}_seed_corpus.zip"
        (cd "$corpus" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
    fi
    [ "$dict" != - ] && cp "$dict" "$OUT/$name.dict"
    # ClusterFuzz reads [libfuzzer] for libFuzzer and maps its dict to afl-fuzz -x.
    printf '[libfuzzer]\nmax_len = 4096\ntimeout = 10\n' >"$OUT/$name.options"
    [ "$dict" != - ] && printf 'dict = %s.dict\n' "$name" >>"$OUT/$name.options"
    if [ "$engine" = afl ] && [ "${mutator:--}" != - ]; then
        cmake --build "$bdir" --target "$(basename "$mutator" .so | sed 's/_mutator$//;s/^/seam_mutator_/')" \
            >/dev/null || die "building the mutator library of $name failed"
        cp "$mutator" "$OUT/${name}_mutator.so"
    fi
    echo "ci/build.sh: $OUT/$name"
done <"$manifest"
