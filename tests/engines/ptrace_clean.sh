#!/usr/bin/env bash
# ptrace_clean.sh CLEAN_BIN CORPUS LEAK_BIN LEAK_CRASH - under a tracer
# LeakSanitizer cannot run (it dies, and every input looked like a fatal
# signal, SF-191, with a crash file).  Under strace the clean target must run
# its inputs with one warning line and no report or crash file; the leaking
# variant's saved crash must still be SF-122 without a tracer (the control:
# leak checks are off only under one).
set -uo pipefail
[ $# -eq 4 ] || { echo "usage: $0 CLEAN_BIN CORPUS LEAK_BIN LEAK_CRASH" >&2; exit 2; }
clean=$1 corpus=$2 leak=$3 crash=$4
command -v strace >/dev/null || { echo "FAIL: strace not installed (ci/deps.sh installs it)"; exit 1; }
fail() { echo "FAIL: $*"; [ -f "$t/log" ] && tail -20 "$t/log"; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/c" "$t/art"
cp "$corpus"/* "$t/c/"
rc=$(exec 2>/dev/null; strace -f -o /dev/null "$clean" -runs=500 -seed=1 -artifact_prefix="$t/art/" \
    "$t/c" >"$t/log" 2>&1; echo $?)
[ "$rc" -eq 0 ] || fail "under strace the clean target exited $rc"
! grep -q '^SEAMFUZZ-VIOLATION' "$t/log" || fail "a report under strace"
[ -z "$(ls -A "$t/art")" ] || fail "a crash file under strace"
n=$(grep -c 'running under a tracer' "$t/log")
[ "$n" -eq 1 ] || fail "$n warning lines about the tracer (want 1)"
echo "ok: under strace, 500 runs clean with one warning: $(grep -m1 'running under a tracer' "$t/log")"
out=$(exec 2>/dev/null; "$leak" "$crash" 2>&1)
printf '%s\n' "$out" | grep -q '^SEAMFUZZ-VIOLATION: SF-122 ' || fail "without a tracer the leak is not SF-122"
echo "ok: without a tracer the leak is still SF-122"
