#!/usr/bin/env bash
# Under afl-showmap (which sets UBSAN_OPTIONS exactly as afl-fuzz does, with
# malloc_context_size=0), the AFL++ bridge must re-exec the target with a
# usable malloc_context_size, or LeakSanitizer would report no leak at all.
# Usage: afl_leak_options.sh BIN [INPUT ID]: with INPUT, the run must also
# end in the report ID (a leak the bug zoo seeded).
set -euo pipefail
bin="$1" input="${2:-}" id="${3:-}"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
[ -n "$input" ] || { input=$t/in; printf '\x00' >"$input"; }
unset UBSAN_OPTIONS
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=1
set +e
SEAM_AFL_DEBUG=$t/debug.txt AFL_DEBUG=1 afl-showmap -m none -t 10000 -o "$t/map" -- "$bin" "$input" >"$t/log" 2>&1
rc=$?
set -e
grep -q 're-exec with UBSAN_OPTIONS=.*malloc_context_size=30' "$t/debug.txt" 2>/dev/null || {
    cat "$t/debug.txt" 2>/dev/null | head -5; tail -5 "$t/log"
    echo "FAIL: no re-exec: UBSAN_OPTIONS keeps malloc_context_size=0 and hides leaks"; exit 1; }
echo "re-exec: $(grep -m1 -o 'UBSAN_OPTIONS=.*' "$t/debug.txt" | cut -c1-60)..."
if [ -n "$id" ]; then
    grep -q "SEAMFUZZ-VIOLATION: $id" "$t/log" || { tail -20 "$t/log"; echo "FAIL: no $id under afl-showmap"; exit 1; }
    [ "$rc" -eq 2 ] || { echo "FAIL: afl-showmap exit $rc, expected 2 (the target crashed)"; exit 1; }
    echo "OK: $id reported under AFL++'s sanitizer options"
else
    [ "$rc" -eq 0 ] || { tail -20 "$t/log"; echo "FAIL: afl-showmap exit $rc on a clean input"; exit 1; }
    echo "OK: the bridge fixes AFL++'s malloc_context_size before the forkserver"
fi
