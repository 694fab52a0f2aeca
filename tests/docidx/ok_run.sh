#!/bin/bash
# ok_run.sh SEAMFUZZ SPEC BIN PROGRAM.txt - a correct docidx program runs
# clean: encoded with `seamfuzz encode` and replayed by the fuzz binary, it
# must not give a report.  Each program is a shape that once gave a false
# positive or is easy to get wrong (tests/docidx/ok/*.txt say which).
set -u
sf=$1 spec=$2 bin=$3 prog=$4
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$sf" encode --spec "$spec" "$prog" -o "$t/in.bin" || { echo "FAIL: encode $prog"; exit 1; }
out=$("$bin" "$t/in.bin" 2>&1)
rc=$?
if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -q "SEAMFUZZ-VIOLATION"; then
    printf '%s\n' "$out" | grep -v '^    #' | tail -30
    echo "FAIL: $(basename "$prog") gave a report (exit $rc)"
    exit 1
fi
echo "ok: $(basename "$prog") ran clean"
