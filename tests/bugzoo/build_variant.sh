#!/bin/sh
# build_variant.sh - builds the bytebridge archives (Rust staticlib + Go
# c-archive) of one bug-zoo variant with ASan/UBSan and libFuzzer coverage,
# as in tests/example/README.txt, and links C programs against them.
#
#   tests/bugzoo/build_variant.sh NAME OUTDIR [FILE.c ...]
#
# NAME is "clean" (the default build) or a defect of docs/bugzoo.md without
# its "bug_" prefix: a Rust one becomes `--features bug_NAME`, a Go one
# `-tags libfuzzer,bug_NAME`.  OUTDIR (must be outside the repository, e.g.
# /tmp/zoo/NAME) receives librust.a, libgo.a and, for each FILE.c, an
# executable named after it.  Environment: GO (default
# /usr/lib/go-1.23/bin/go), CC (default clang), CARGO (default cargo).
set -eu

usage() {
    echo "usage: $0 NAME OUTDIR [FILE.c ...]" >&2
    exit 2
}
[ $# -ge 2 ] || usage
name=$1
outdir=$2
shift 2

root=$(cd "$(dirname "$0")/../.." && pwd)
bb=$root/examples/bytebridge
GO=${GO:-/usr/lib/go-1.23/bin/go}
CC=${CC:-clang}
CARGO=${CARGO:-cargo}

case $outdir in
/*) ;;
*) outdir=$(pwd)/$outdir ;;
esac
case $outdir/ in
"$root"/*)
    echo "$0: OUTDIR must be outside the repository: $outdir" >&2
    exit 2
    ;;
esac

# Which side the defect lives on decides which switch turns it on.
features=
gotags=libfuzzer
if [ "$name" != clean ]; then
    if grep -q "^bug_$name = \[\]" "$bb/rust/Cargo.toml"; then
        features="--features bug_$name"
    elif grep -qx "//go:build bug_$name" "$bb"/go/*.go; then
        gotags="libfuzzer,bug_$name"
    else
        echo "$0: unknown variant '$name' (no cargo feature or Go build tag bug_$name)" >&2
        exit 2
    fi
fi

mkdir -p "$outdir"
log=$outdir/build.log
: >"$log"

# Rust staticlib (nightly for -Zsanitizer=address).  One target directory
# per variant, so switching variants never rebuilds another one's crate.
(
    cd "$bb/rust"
    # shellcheck disable=SC2086 # $features is empty or two words
    CARGO_TARGET_DIR=$outdir/rust \
        RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 -Cdebug-assertions -Coverflow-checks -Zsanitizer=address" \
        "$CARGO" +nightly build -q -j2 --release --target x86_64-unknown-linux-gnu $features
) >>"$log" 2>&1 || {
    cat "$log" >&2
    echo "$0: cargo build failed for variant $name" >&2
    exit 1
}
cp "$outdir/rust/x86_64-unknown-linux-gnu/release/libbytebridge.a" "$outdir/librust.a"

# Go c-archive.
(
    cd "$bb/go"
    CC=clang CGO_ENABLED=1 "$GO" build -p 2 -tags "$gotags" -buildmode=c-archive \
        -gcflags=all=-d=libfuzzer -asan -o "$outdir/libgo.a" .
) >>"$log" 2>&1 || {
    cat "$log" >&2
    echo "$0: go build failed for variant $name" >&2
    exit 1
}

# Link each C program; the Go archive calls the Rust one, so both go in one
# group, Go first.
for src in "$@"; do
    exe=$outdir/$(basename "$src" .c)
    "$CC" -std=c11 -Wall -Wextra -Wstrict-prototypes -Werror -g \
        -fsanitize=fuzzer-no-link,address,undefined \
        "$src" -I"$bb/include" -I"$root/tests/bugzoo" \
        -Wl,--start-group "$outdir/libgo.a" "$outdir/librust.a" -Wl,--end-group \
        -lpthread -ldl -lm -o "$exe"
done
