#!/bin/bash
# repro_saved.sh SEAMFUZZ CRASHDIR - every saved bug-zoo crash of one example
# (CRASHDIR is tests/bugzoo/crashes/<example>) replays with
# `seamfuzz repro CRASH` and no other argument (issue 16): the tool finds the
# defect's fuzz binary from the saved report next to the crash (CRASH.log's
# BINARY: line, by name in the tool's own folder when that path is another
# machine's) and the replay gives the violation id that report names.
set -u
sf=$1
dir=$2
ex=$(basename "$dir")
n=0
bad=0
for c in "$dir"/*.bin; do
    bug=$(basename "$c" .bin)
    want=$(sed -n 's/^SEAMFUZZ-VIOLATION: \(SF-[0-9]*\).*/\1/p' "$dir/$bug.log" | head -1)
    [ -n "$want" ] || { echo "FAIL $bug: $dir/$bug.log names no violation"; bad=$((bad + 1)); continue; }
    out=$("$sf" repro --timeout 60 "$c" 2>&1)
    rc=$?
    sig=$(printf '%s\n' "$out" | sed -n 's/^SIGNATURE: //p')
    got=$(printf '%s\n' "$out" | sed -n 's/^SEAMFUZZ-VIOLATION: \(SF-[0-9]*\).*/\1/p' | head -1)
    if [ $rc -ne 1 ] || [ "$got" != "$want" ] ||
        ! printf '%s\n' "$out" | grep -q "fuzz binary .*/fuzz_${ex}_$bug (named by its saved report"; then
        echo "FAIL $bug: exit $rc, violation '$got' (want $want), signature '$sig':"
        printf '%s\n' "$out" | tail -15
        bad=$((bad + 1))
        continue
    fi
    echo "ok $bug: $want $sig"
    n=$((n + 1))
done
[ $n -gt 0 ] || { echo "FAIL: no crash in $dir"; exit 1; }
echo "repro_saved: $ex: $n replayed, $bad failed"
[ $bad -eq 0 ]
