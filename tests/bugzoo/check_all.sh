#!/bin/sh
# check_all.sh - checks every seeded defect of docs/bugzoo.md: for each one,
# builds its variant (build_variant.sh), runs its trigger and asserts the
# expected failure (exit status, report text, and the frame or check that
# locates it); then runs the same trigger on the clean build and asserts
# that it passes with no sanitizer report.
#
#   tests/bugzoo/check_all.sh [NAME ...]     (default: every defect)
#
# Builds and logs go to $ZOO_DIR (default /tmp/zoo): $ZOO_DIR/NAME/run.log is
# the bug run, $ZOO_DIR/clean/NAME.log the clean run.  Exit status 0 when
# every check passed.  Prints one "PASS NAME" / "FAIL NAME: why" line each.
set -u

here=$(cd "$(dirname "$0")" && pwd)
ZOO_DIR=${ZOO_DIR:-/tmp/zoo}

# One line per defect: name ; expected exit ; report pattern ; locating pattern.
# Expected exit: "nonzero", or a number (134 = SIGABRT).  Patterns are
# extended regular expressions that must both match the trigger's output.
expectations='
uaf_held      ; nonzero ; AddressSanitizer: heap-use-after-free          ; in bb_buf_len .*buffer\.rs
double_free   ; nonzero ; AddressSanitizer: (attempting double-free|heap-use-after-free) ; in bytebridge::error::retire_previous
wrong_free    ; 1       ; BUGZOO-FAIL: .*bb_live_strings\(\) == 0        ; BUGZOO-FAIL: wrong_free
leak_record   ; nonzero ; LeakSanitizer: detected memory leaks           ; BUGZOO-FAIL: .*bb_live_records\(\) == 0
leak_error    ; nonzero ; LeakSanitizer: detected memory leaks           ; in <bytebridge::error::BbError>::into_raw
stale_handle  ; 1       ; BUGZOO-FAIL: .*bb_table_get\(h1, .*BB_E_STALE  ; stale handle read "xy"
rust_unwind   ; 134     ; panic in a function that cannot unwind         ; panicked at src/checksum\.rs
go_panic      ; nonzero ; ^panic: bbgo_checked: tripwire                 ; main\.checkData
err_dropped   ; 1       ; BUGZOO-FAIL: .*bbgo_release\(h\) == BB_E_STALE ; left: +0$
misaligned    ; 1       ; BUGZOO-FAIL: .*alignof\(uint64_t\) == 0        ; left: +[1-7] 
layout        ; 1       ; BUGZOO-FAIL: .*bb_layout_record_view\(what\) == c_view ; BUGZOO-FAIL: .*view\.id == 0x04030201u
go_stale_ptr  ; nonzero ; AddressSanitizer: heap-use-after-free          ; in strcmp
rust_keeps_go ; nonzero ; AddressSanitizer: heap-use-after-free          ; in bb_table_get .*table\.rs
off_by_one    ; nonzero ; AddressSanitizer: heap-buffer-overflow         ; in bb_table_insert .*table\.rs
realloc_ptr   ; nonzero ; AddressSanitizer: heap-use-after-free          ; in main\.peekBuf
'

all_names=$(printf '%s\n' "$expectations" | sed -n 's/^\([a-z_0-9]*\) *;.*/\1/p')
if [ $# -gt 0 ]; then
    names=$*
else
    names=$all_names
fi

# Sanitizer settings of every run: leaks are findings, UBSan stops at once,
# no core files.
ASAN_OPTIONS=detect_leaks=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS
# shellcheck disable=SC3045 # dash and bash both have ulimit -c
ulimit -c 0 2>/dev/null || true

# Field $2 of the expectation line of defect $1, trimmed.
field() {
    printf '%s\n' "$expectations" | awk -F';' -v n="$1" -v f="$2" '
        { k = $1; gsub(/^ +| +$/, "", k) }
        k == n { v = $f; gsub(/^ +| +$/, "", v); print v; exit }'
}

# Runs executable $1 with its output in file $2; prints the exit status.
run() {
    "$1" >"$2" 2>&1 </dev/null
    echo $?
}

failures=0
fail() {
    echo "FAIL $1: $2"
    failures=$((failures + 1))
}

# The clean build, with every trigger requested.
clean_srcs=
for n in $names; do
    if [ -z "$(field "$n" 1)" ]; then
        echo "check_all.sh: unknown defect '$n'" >&2
        exit 2
    fi
    clean_srcs="$clean_srcs $here/trigger_$n.c"
done
# shellcheck disable=SC2086 # one word per file
if ! "$here/build_variant.sh" clean "$ZOO_DIR/clean" $clean_srcs; then
    echo "check_all.sh: the clean build failed" >&2
    exit 1
fi

for n in $names; do
    want_rc=$(field "$n" 2)
    report=$(field "$n" 3)
    locate=$(field "$n" 4)
    dir=$ZOO_DIR/$n

    if ! "$here/build_variant.sh" "$n" "$dir" "$here/trigger_$n.c"; then
        fail "$n" "variant build failed"
        continue
    fi
    log=$dir/run.log
    rc=$(run "$dir/trigger_$n" "$log")
    case $want_rc in
    nonzero) [ "$rc" -ne 0 ] || { fail "$n" "bug variant exited 0 (log: $log)"; continue; } ;;
    *) [ "$rc" -eq "$want_rc" ] || { fail "$n" "bug variant exit $rc, want $want_rc (log: $log)"; continue; } ;;
    esac
    grep -Eq -- "$report" "$log" || { fail "$n" "no '$report' in $log"; continue; }
    grep -Eq -- "$locate" "$log" || { fail "$n" "no '$locate' in $log"; continue; }

    clog=$ZOO_DIR/clean/$n.log
    crc=$(run "$ZOO_DIR/clean/trigger_$n" "$clog")
    [ "$crc" -eq 0 ] || { fail "$n" "clean build exit $crc (log: $clog)"; continue; }
    grep -q "^BUGZOO-OK: $n\$" "$clog" || { fail "$n" "clean build did not print BUGZOO-OK ($clog)"; continue; }
    if grep -Eq 'Sanitizer|runtime error:|^panic:' "$clog"; then
        fail "$n" "sanitizer or panic text in the clean run ($clog)"
        continue
    fi
    echo "PASS $n (bug: exit $rc, $(grep -Eo -m1 -- "$report" "$log"); clean: OK)"
done

total=$(echo "$names" | wc -w)
if [ "$failures" -ne 0 ]; then
    echo "check_all.sh: $failures of $total defect(s) FAILED"
    exit 1
fi
echo "check_all.sh: all $total defect(s) pass"
