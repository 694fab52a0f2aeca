#!/usr/bin/env bash
# afl_campaign.sh BIN WORK - seamfuzz fuzz with AFL++: a main instance and a
# secondary on one sync folder, both with the mutator library; a status line,
# execs from both instances, a summary and status.json, exit 0 (clean target).
set -uo pipefail
bin=$1 work=$2
fail() { echo "FAIL: $*"; exit 1; }
sf=$(dirname "$bin")/seamfuzz
rm -rf "$work"
"$sf" fuzz --bin "$bin" --seconds 12 --jobs 2 --out "$work" --status plain >"$work.log" 2>&1
rc=$?
cat "$work.log"
[ $rc = 0 ] || fail "seamfuzz fuzz exited $rc"
[ -f "$work/afl/main/fuzzer_stats" ] && [ -f "$work/afl/s1/fuzzer_stats" ] ||
    fail "not a main and a secondary in $work/afl"
for w in 0 1; do
    grep -qi 'custom mutator' "$work/logs/w$w.log" || fail "instance $w did not load the mutator library"
done
grep -q '"engine": "afl", "jobs": 2' "$work/status.json" || fail "status.json: $(cat "$work/status.json")"
execs=$(sed -n 's/.*"execs": \([0-9]*\).*/\1/p' "$work/status.json")
[ "${execs:-0}" -gt 1000 ] || fail "only ${execs:-0} execs"
grep -q 'Go [0-9]*/[0-9]*' "$work.log" || fail "no Go coverage in the status"
echo "ok: AFL++ campaign: main + secondary with the mutator, $execs execs"
