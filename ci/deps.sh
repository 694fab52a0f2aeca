#!/usr/bin/env bash
# ci/deps.sh - install and check everything seamfuzz needs to build and fuzz.
# Idempotent: a second run installs nothing and prints the same tool lines.
# Prints one "deps: <tool> <version>" line per tool; exits non-zero with one
# "deps: error: ..." line naming the missing piece when it cannot proceed.
set -euo pipefail

say()  { printf 'deps: %s\n' "$*"; }
die()  { printf 'deps: error: %s\n' "$*" >&2; exit 1; }
warn() { printf 'deps: WARNING: %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

APT_UPDATED=0
apt_update() {
    [ "$APT_UPDATED" = 1 ] && return 0
    $SUDO apt-get update -qq >/dev/null || die "apt-get update failed; check the network or /etc/apt/sources.list.d"
    APT_UPDATED=1
}
INSTALLED=()
apt_install() {
    [ "${SEAM_DEPS_NO_INSTALL:-0}" = 1 ] && die "$* missing and SEAM_DEPS_NO_INSTALL=1; run ci/deps.sh without it"
    INSTALLED+=("$@")
    apt_update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null 2>&1 \
        || die "apt-get install $* failed"
}

# --- Go: 1.23 from bookworm-backports, else bookworm's 1.19 ----------------
# The backports entry copies URIs:/Signed-By: from the machine's own
# debian.sources entry, so no mirror is named here.
enable_backports() {
    local dst=/etc/apt/sources.list.d/seamfuzz-backports.sources
    [ -f "$dst" ] && return 0
    local src=/etc/apt/sources.list.d/debian.sources
    [ -f "$src" ] || { warn "no $src to derive bookworm-backports from"; return 1; }
    local uris signed
    uris=$(awk '/^URIs:/ {print; exit}' "$src")
    signed=$(awk '/^Signed-By:/ {print; exit}' "$src")
    [ -n "$uris" ] || { warn "$src has no URIs: line"; return 1; }
    printf 'Types: deb\n%s\nSuites: bookworm-backports\nComponents: main\n%s\n' \
        "$uris" "$signed" | $SUDO tee "$dst" >/dev/null
    APT_UPDATED=0
}

find_go() {
    local d
    for d in /usr/lib/go-1.23/bin /usr/lib/go-1.19/bin; do
        if [ -x "$d/go" ]; then echo "$d/go"; return 0; fi
    done
    return 1
}

GO_BIN=$(find_go || true)
if [ -z "$GO_BIN" ] || [ "$GO_BIN" != /usr/lib/go-1.23/bin/go ]; then
    if enable_backports && apt_update \
        && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm-backports golang-1.23-go >/dev/null 2>&1; then
        INSTALLED+=(golang-1.23-go)
    elif [ -z "$GO_BIN" ]; then
        warn "golang-1.23-go from bookworm-backports unavailable; falling back to golang-1.19-go (C->Go calls ~3x slower)"
        apt_install golang-1.19-go
    fi
    GO_BIN=$(find_go || true)
fi
[ -n "$GO_BIN" ] || die "no Go toolchain; install golang-1.23-go (bookworm-backports) or golang-1.19-go"
say "go $("$GO_BIN" version | awk '{print $3}') ($GO_BIN)"

# --- AFL++ -----------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null 2>&1 || [ ! -f /usr/lib/afl/libAFLDriver.a ]; then
    apt_install afl++
fi
command -v afl-clang-fast >/dev/null 2>&1 || die "afl-clang-fast missing after installing afl++"
say "afl++ $(afl-fuzz -h 2>&1 | sed -n 's/.*afl-fuzz++\([0-9.a-z]*\).*/\1/p' | head -1)"

# --- gnuplot (benchmark plots), zip (OSS-Fuzz seed corpora) ------------------
command -v gnuplot >/dev/null 2>&1 || apt_install gnuplot-nox
command -v zip >/dev/null 2>&1 || apt_install zip
# --- strace (the test that a traced target gives no false finding, and the
# OSS-Fuzz build check), python3-yaml (the ClusterFuzzLite files' test) -------
command -v strace >/dev/null 2>&1 || apt_install strace
/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 || apt_install python3-yaml
say "gnuplot $(gnuplot --version | awk '{print $2}')"

# --- clang + compiler-rt ---------------------------------------------------
command -v clang >/dev/null 2>&1 || apt_install clang-14
CLANG_VER=$(clang --version | sed -n 's/.*clang version \([0-9.]*\).*/\1/p' | head -1)
[ -n "$CLANG_VER" ] || die "clang not found; apt-get install clang-14"
RTDIR=$(dirname "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)")
for lib in fuzzer fuzzer_no_main asan ubsan_standalone; do
    [ -f "$RTDIR/libclang_rt.$lib-x86_64.a" ] || {
        apt_install libclang-rt-14-dev
        [ -f "$RTDIR/libclang_rt.$lib-x86_64.a" ] || die "compiler-rt libclang_rt.$lib missing in $RTDIR; apt-get install libclang-rt-14-dev"
    }
done
say "clang $CLANG_VER (compiler-rt: $RTDIR)"

# --- clang 19 + LLVM 19 tools: coverage builds (ci/coverage.sh) -----------
# rustc's LLVM writes a raw profile format clang 14's runtime cannot hold;
# clang 19's can, and llvm-profdata/llvm-cov 19 read both (docs/coverage.md).
if [ ! -x /usr/lib/llvm-19/bin/clang ] || [ ! -x /usr/lib/llvm-19/bin/llvm-cov ] ||
    [ ! -f "$(/usr/lib/llvm-19/bin/clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]; then
    apt_install clang-19 libclang-rt-19-dev llvm-19
fi
say "clang-19 $(/usr/lib/llvm-19/bin/clang --version | sed -n 's/.*clang version \([0-9.]*\).*/\1/p' | head -1) (coverage builds)"

# --- cmake -----------------------------------------------------------------
command -v cmake >/dev/null 2>&1 || apt_install cmake
say "cmake $(cmake --version | awk 'NR==1 {print $3}')"

# --- Rust: cargo (stable) and nightly for -Zsanitizer=address -------------
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null 2>&1 || die "cargo not found; install Rust with rustup (stable toolchain)"
say "cargo $(cargo --version | awk '{print $2}')"
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    say "rust-nightly $(rustc +nightly --version | awk '{print $2}') (Rust side gets -Zsanitizer=address)"
else
    warn "Rust nightly toolchain absent: the Rust archive is built WITHOUT AddressSanitizer (coverage only). Install it with: rustup toolchain install nightly"
fi

if [ ${#INSTALLED[@]} -gt 0 ]; then
    say "installed: ${INSTALLED[*]}"
else
    say "all present, nothing installed"
fi
