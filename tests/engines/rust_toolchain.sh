#!/usr/bin/env bash
# rust_toolchain.sh SRC WORK - how the Rust side is built, as OSS-Fuzz drives it
# (configure only): RUSTUP_TOOLCHAIN naming a nightly is the one cargo runs
# with; the caller's RUSTFLAGS are kept, before seamfuzz's; with no nightly at
# all an OSS-Fuzz address build fails with one clear message instead of
# building Rust without AddressSanitizer.
set -uo pipefail
src=$1 work=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 2
conf() { # DIR ENV... -- CMAKE-ARGS...
    local d=$1; shift
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env "${envs[@]}" cmake -S "$src" -B "$work/$d" -DCMAKE_C_COMPILER=clang -DSEAM_BUGZOO=OFF \
        -DSEAM_UNIT_TESTS=OFF "$@" >"$work/$d.log" 2>&1
}
rules() { cat "$work/$1"/harness/CMakeFiles/seamrs_bytebridge.dir/build.make; }

conf tc RUSTUP_TOOLCHAIN=nightly -- -DSEAM_ENGINE=libfuzzer || fail "configure with RUSTUP_TOOLCHAIN=nightly"
rules tc | grep -q 'cargo +nightly build' || fail "cargo does not run with RUSTUP_TOOLCHAIN's nightly"
echo "ok: RUSTUP_TOOLCHAIN=nightly: cargo +nightly"

conf rf 'RUSTFLAGS=--cfg fuzzing -Cinstrument-coverage' -- -DSEAM_ENGINE=libfuzzer || fail "configure with RUSTFLAGS"
rules rf | grep -q 'RUSTFLAGS=--cfg fuzzing -Cinstrument-coverage -Cdebug-assertions' ||
    fail "the caller's RUSTFLAGS were not kept before seamfuzz's"
echo "ok: the caller's RUSTFLAGS are kept"

mkdir -p "$work/norustup"
out=$(conf oss RUSTUP_HOME="$work/norustup" RUSTUP_TOOLCHAIN= SANITIZER=address -- \
    -DSEAM_ENGINE=libfuzzer -DSEAM_OSSFUZZ=ON -DSEAM_SANITIZERS=address,undefined; cat "$work/oss.log")
[ -f "$work/oss/CMakeCache.txt" ] && grep -q 'Configuring done' "$work/oss.log" &&
    fail "an OSS-Fuzz address build without a nightly toolchain configured"
printf '%s\n' "$out" | tr -s '\n ' '  ' | grep -q 'no Rust nightly toolchain' ||
    { tail -10 "$work/oss.log"; fail "no clear message without a nightly toolchain"; }
echo "ok: OSS-Fuzz address build without nightly refused"
