#!/bin/sh
# run_alone.sh BIN... - every test case of each unit-test executable must
# pass on its own ("BIN =name"), so no case depends on one that ran before
# it.  Prints one line per case that fails alone and exits 1 if any does.
set -u
bad=0
for bin in "$@"; do
    names=$("$bin" 2>/dev/null | sed -n 's/^\(ok  \|FAIL\) \{1,\}//p')
    [ -n "$names" ] || { echo "$bin: no test cases listed"; bad=1; continue; }
    for n in $names; do
        if ! out=$("$bin" "=$n" 2>&1); then
            echo "$bin: $n fails when run alone:"
            printf '%s\n' "$out" | tail -5
            bad=1
        elif ! printf '%s\n' "$out" | grep -q '^1 passed, 0 failed$'; then
            echo "$bin: =$n did not run exactly that one test"
            bad=1
        fi
    done
done
[ $bad = 0 ] && echo "run alone: every case passed on its own"
exit $bad
