#!/usr/bin/env bash
# crash_text.sh - checks that every saved crash DIR/<bug>.txt is the text form
# of DIR/<bug>.bin (as printed by `seamfuzz show`), so the readable copy never
# drifts from the bytes the replay tests run.
#
#   crash_text.sh SEAMFUZZ SPEC DIR
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: $0 SEAMFUZZ SPEC DIR" >&2; exit 2; }
seamfuzz=$1 spec=$2 dir=$3
n=0 bad=0
for bin in "$dir"/*.bin; do
    txt=${bin%.bin}.txt
    n=$((n + 1))
    if [ ! -f "$txt" ]; then
        echo "FAIL $(basename "$bin"): no $(basename "$txt")"
        bad=$((bad + 1))
    elif ! "$seamfuzz" show --spec "$spec" "$bin" | diff -u "$txt" - ; then
        echo "FAIL $(basename "$txt") is not the text form of $(basename "$bin")"
        bad=$((bad + 1))
    fi
done
[ $n -gt 0 ] || { echo "FAIL: no .bin in $dir"; exit 1; }
echo "bugzoo-crash-text: $n crashes, $bad mismatched"
[ $bad -eq 0 ]
