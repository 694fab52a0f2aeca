#!/usr/bin/env bash
# check_build.sh ENGINE SANITIZER SRC_ROOT WORK - what OSS-Fuzz's build checks
# do, for one engine and sanitizer: ci/build.sh into a fresh $OUT (build tree
# in WORK), $OUT moved to a random folder outside the trees, the source and
# build trees made unreachable (a tmpfs over SRC_ROOT in a private mount
# namespace), then for every target:
#   libfuzzer  -seed=1337 -runs=4 prints "Done 4 runs"; C, Rust and Go are
#              instrumented (libFuzzer's module line: a second module, Go's,
#              with counters; -print_coverage: covered functions in a .c file
#              and in a .rs file of the crate); coverage builds also write a
#              profile with C and Rust files, Go counters and contract counts;
#              undefined builds run 3000 inputs without UBSAN_OPTIONS with no
#              finding (unsigned wrap-around is checked there, and is no bug)
#   afl        the binary runs a seed; afl-showmap's map has edges inside the
#              range sf_afl_bridge.c reserves for Go and outside it; afl-fuzz
#              with the mutator library reaches "All set and ready to roll"
#   both       under strace, no file outside $OUT (and the system's libraries,
#              /proc, /sys, /dev) is opened or executed
# Prints one "ok:" line per check; exits 1 at the first failure.
set -uo pipefail
engine=$1 san=$2 src=$(cd "$3" && pwd) work=$4
mkdir -p "$work"
work=$(cd "$work" && pwd)
fail() { echo "FAIL: $*"; exit 1; }

out=$work/out
rm -rf "$out"
env -u CC -u CFLAGS -u LIB_FUZZING_ENGINE -u SRC FUZZING_ENGINE="$engine" SANITIZER="$san" \
    OUT="$out" WORK="$work/build" bash "$src/ci/build.sh" >"$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log"; fail "ci/build.sh FUZZING_ENGINE=$engine SANITIZER=$san failed"; }
echo "ok: ci/build.sh FUZZING_ENGINE=$engine SANITIZER=$san"

dest=$(mktemp -d /tmp/seamfuzz-out.XXXXXX)
trap 'rm -rf "$dest"' EXIT
rmdir "$dest" && mv "$out" "$dest" || fail "cannot move $out to $dest"
case $dest in "$src"/* | "$work"/*) fail "$dest is inside a tree it must not need" ;; esac

# The checks run from a copy of this script's second half, inside the namespace.
phase2=$dest/.check_phase2.sh
sed -n '/^# ---- phase 2/,$p' "$0" >"$phase2"
hide="mount -t tmpfs none '$src'"
case $work in "$src"/*) ;; *) hide="$hide && mount -t tmpfs none '$work'" ;; esac
if unshare -m true 2>/dev/null; then
    unshare -m bash -c "$hide && cd '$dest' && bash '$phase2' '$engine' '$san' '$dest' '$src' '$work'"
    exit $?
fi
echo "note: no private mount namespace here (unshare -m): the trees stay visible; strace checks no file in them is opened"
cd "$dest" && bash "$phase2" "$engine" "$san" "$dest" "$src" "$work"
exit $?

# ---- phase 2: run from $OUT, the trees hidden ------------------------------
set -uo pipefail
engine=$1 san=$2 dest=$3 src=$4 work=$5
fail() { echo "FAIL: $*"; exit 1; }
# What OSS-Fuzz's runner sets (base-runner).
export UBSAN_OPTIONS=print_stacktrace=1:print_summary=1:silence_unsigned_overflow=1
[ ! -e "$src/ci/build.sh" ] || [ -n "${SEAM_CHECK_VISIBLE:-}" ] || echo "note: $src still visible"
tmp=$(mktemp -d)

# The paths a run opened or executed that are neither in $OUT nor the system's.
outside() {
    grep -aoE '(open|openat|openat2|creat|execve)\([^"]*"[^"]*"' "$1" |
        sed -E 's/^[^"]*"//; s/"$//' |
        while read -r p; do
            case $p in /*) ;; *) p=$dest/$p ;; esac
            case $p in
                "$dest" | "$dest"/* | /proc/* | /sys/* | /dev/* | /etc/ld.so.* | /lib/* | /lib64/* | \
                    /usr/lib/* | /usr/lib64/* | /usr/share/locale/* | /etc/localtime) ;;
                *) echo "$p" ;;
            esac
        done | sort -u
}

targets=$(for f in "$dest"/*; do
    [ -f "$f" ] && [ -x "$f" ] && case $f in *.so) ;; *) grep -qa LLVMFuzzerTestOneInput "$f" && basename "$f" ;; esac
done)
[ -n "$targets" ] || fail "no fuzz target in \$OUT: $(ls "$dest")"
for t in $targets; do
    seeds=$dest/seeds_$t
    mkdir -p "$seeds"
    [ -f "$dest/${t}_seed_corpus.zip" ] || fail "$t: no ${t}_seed_corpus.zip"
    (cd "$seeds" && unzip -q -o "$dest/${t}_seed_corpus.zip") || fail "$t: seed corpus does not unzip"
    first=$(find "$seeds" -type f | LC_ALL=C sort | head -1)
    if [ "$engine" = libfuzzer ]; then
        log=$tmp/$t.run
        "./$t" -seed=1337 -runs=4 >"$log" 2>&1 </dev/null
        grep -q '^Done 4 runs' "$log" || { tail -20 "$log"; fail "$t: -seed=1337 -runs=4 did not print 'Done 4 runs'"; }
        echo "ok: $t: Done 4 runs"
        if [ "$san" = undefined ]; then
            # Run by hand, without the runner's UBSAN_OPTIONS: unsigned
            # wrap-around is checked in these builds but is no finding.
            env -u UBSAN_OPTIONS "./$t" -seed=1 -runs=3000 "$seeds" >"$log.bare" 2>&1 </dev/null
            grep -q '^Done 3000 runs' "$log.bare" ||
                { grep -m3 -E 'runtime error|SEAMFUZZ-VIOLATION' "$log.bare"
                  fail "$t: a finding on the clean target without UBSAN_OPTIONS"; }
            echo "ok: $t: 3000 runs without UBSAN_OPTIONS, no finding"
        fi
        mods=$(grep -m1 'INFO: Loaded [0-9]* modules' "$log")
        n=$(sed -E 's/.*Loaded ([0-9]+) modules.*/\1/' <<<"$mods")
        [ "${n:-0}" -ge 2 ] || fail "$t: one instrumented module ($mods): Go's counters never reached libFuzzer"
        second=$(sed -E 's/.*\): [0-9]+ \[[^)]*\), ([0-9]+) \[.*/\1/' <<<"$mods")
        # An uninstrumented Go archive still registers one (empty) counter.
        [ "${second:-0}" -gt 1 ] 2>/dev/null || fail "$t: Go's module has no counters ($mods): Go is not instrumented"
        echo "ok: $t: Go instrumented ($n modules; Go's has $second counters)"
        "./$t" -seed=1337 -runs=4 -print_coverage=1 "$seeds" >"$log.cov" 2>&1 </dev/null
        files=$(grep -a 'COVERED_FUNC' "$log.cov" | awk '{print $NF}' | sed -E 's/:[0-9]+$//' | sort -u)
        cfiles=$(awk '/\.c$/' <<<"$files")
        rsfiles=$(awk '/\.rs$/ && !/^\/rustc\/|\/rust\/deps\/|\.cargo\/registry/' <<<"$files")
        [ -n "$cfiles" ] || fail "$t: no covered C function (-print_coverage)"
        [ -n "$rsfiles" ] ||
            fail "$t: no covered function in the Rust crate (-print_coverage): Rust is not instrumented"
        echo "ok: $t: C and Rust instrumented ($(wc -l <<<"$cfiles") C and $(wc -l <<<"$rsfiles") crate .rs files with covered functions)"
        if [ "$san" = coverage ]; then
            cov=$tmp/cov_$t
            mkdir -p "$cov"
            SEAM_COVERAGE_DIR=$cov LLVM_PROFILE_FILE=$cov/%p.profraw "./$t" -runs=0 "$seeds" >"$log.pr" 2>&1 </dev/null
            /usr/lib/llvm-19/bin/llvm-profdata merge -sparse -o "$cov/p.profdata" "$cov"/*.profraw ||
                fail "$t: the profile does not merge"
            rep=$(/usr/lib/llvm-19/bin/llvm-cov report "./$t" -instr-profile="$cov/p.profdata" 2>/dev/null)
            rsl=$(awk '$1 ~ /\.rs$/ && $1 !~ /^\/rustc\/|\/rust\/deps\// && $9 < $8' <<<"$rep")
            cl=$(awk '$1 ~ /\.c$/ && $9 < $8' <<<"$rep")
            [ -n "$rsl" ] || fail "$t: no Rust file with covered lines in the profile"
            [ -n "$cl" ] || fail "$t: no C file with covered lines in the profile"
            ls "$cov"/go/covcounters.* >/dev/null 2>&1 || fail "$t: no Go coverage counters written"
            ls "$cov"/contract/*.txt >/dev/null 2>&1 || fail "$t: no contract coverage written"
            echo "ok: $t: coverage profile with C and Rust lines, Go counters, contract counts"
        fi
        runlog=$tmp/$t.strace
        strace -f -qq -e trace=open,openat,openat2,creat,execve -o "$runlog" \
            "./$t" -seed=1337 -runs=4 "$seeds" >/dev/null 2>&1 </dev/null
    else
        "./$t" "$first" >"$tmp/$t.run" 2>&1 </dev/null ||
            { tail -20 "$tmp/$t.run"; fail "$t: running one seed failed"; }
        echo "ok: $t: runs a seed"
        SEAM_AFL_DEBUG=$tmp/$t.dbg afl-showmap -q -o "$tmp/$t.map" -- "./$t" <"$first" >/dev/null 2>&1
        range=$(grep -m1 'edge ids' "$tmp/$t.dbg" 2>/dev/null | sed -E 's/.*edge ids ([0-9]+)\.\.([0-9]+).*/\1 \2/')
        [ -n "$range" ] || fail "$t: sf_afl_bridge reported no Go counters (Go not instrumented or the bridge not linked)"
        read -r lo hi <<<"$range"
        ingo=$(awk -F: -v lo="$lo" -v hi="$hi" '$1 + 0 >= lo && $1 + 0 <= hi' "$tmp/$t.map" | wc -l)
        other=$(awk -F: -v lo="$lo" -v hi="$hi" '$1 + 0 < lo || $1 + 0 > hi' "$tmp/$t.map" | wc -l)
        [ "$ingo" -gt 0 ] || fail "$t: afl-showmap saw no edge in Go's range $lo..$hi"
        [ "$other" -gt 0 ] || fail "$t: afl-showmap saw no C or Rust edge"
        echo "ok: $t: afl-showmap: $ingo edges in Go's range $lo..$hi, $other C/Rust edges"
        mut=$dest/${t}_mutator.so
        [ -f "$mut" ] || fail "$t: no ${t}_mutator.so in \$OUT"
        AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_QUIET=1 \
            AFL_CUSTOM_MUTATOR_LIBRARY=$mut timeout -k 5 90 afl-fuzz -i "$seeds" -o "$tmp/afl_$t" -V 3 \
            -- "./$t" >"$tmp/$t.afl" 2>&1 </dev/null
        grep -q 'All set and ready to roll' "$tmp/$t.afl" ||
            { tail -20 "$tmp/$t.afl"; fail "$t: afl-fuzz did not reach 'All set and ready to roll'"; }
        grep -qi 'custom mutator' "$tmp/$t.afl" || fail "$t: afl-fuzz did not load $mut"
        echo "ok: $t: afl-fuzz with the mutator library: All set and ready to roll"
        runlog=$tmp/$t.strace
        strace -f -qq -e trace=open,openat,openat2,creat,execve -o "$runlog" \
            "./$t" "$seeds"/* >/dev/null 2>&1 </dev/null
    fi
    bad=$(outside "$runlog")
    [ -z "$bad" ] || fail "$t: opened outside \$OUT: $(tr '\n' ' ' <<<"$bad")"
    echo "ok: $t: under strace, nothing outside \$OUT opened"
done
rm -rf "$tmp"
echo "ok: check_build $engine/$san: $(wc -w <<<"$targets") targets"
