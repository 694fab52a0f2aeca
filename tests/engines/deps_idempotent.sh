#!/usr/bin/env bash
# ci/deps.sh run twice: the second run installs nothing and prints the same
# tool lines as the first.
set -euo pipefail
cd "$1"
a=$(bash ci/deps.sh 2>&1); b=$(bash ci/deps.sh 2>&1)
echo "$b"
grep -q '^deps: all present, nothing installed$' <<<"$b" || { echo "FAIL: second run installed something"; exit 1; }
[ "$(grep -v '^deps: installed:\|^deps: all present' <<<"$a")" = "$(grep -v '^deps: all present' <<<"$b")" ] \
    || { echo "FAIL: tool lines differ between runs"; exit 1; }
echo OK
