#!/bin/bash
# sarif_zoo.sh SEAMFUZZ BINDIR CRASHDIR SRCDIR WORKDIR - the SARIF report of a
# bug-zoo run (issue 16) of one example (CRASHDIR is
# tests/bugzoo/crashes/<example>): each saved crash replayed on its variant with the
# full output kept as CRASH.log, as a fuzzing job saves them, then `seamfuzz
# report --format sarif`.  tests/tools/sarif_check.py checks it against the
# SARIF 2.1.0 schema's facts and that every result has a physical location in
# the example's source.  The checker itself must reject a broken copy (no
# location; a property the schema does not allow; a line number below 1).
set -u
sf=$1
bindir=$2
crashes=$3
src=$4
work=$5
ex=$(basename "$crashes")
check="python3 $src/tests/tools/sarif_check.py $src/tests/tools/sarif_facts.json"
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work/zoo" && cd "$work" || exit 1
n=0
for c in "$crashes"/*.bin; do
    bug=$(basename "$c" .bin)
    cp "$c" "zoo/$bug"
    "$bindir/fuzz_${ex}_$bug" "zoo/$bug" >"zoo/$bug.log" 2>&1 && fail "$bug ran clean"
    n=$((n + 1))
done
"$sf" report zoo --format sarif -o zoo.sarif || fail "seamfuzz report"
$check zoo.sarif --source-root "$src/examples" --results $n || fail "zoo.sarif does not check"
# The checker fails on what it checks.
python3 - zoo.sarif <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = s["runs"][0]["results"]
a = json.loads(json.dumps(s)); del a["runs"][0]["results"][0]["locations"]
b = json.loads(json.dumps(s)); b["runs"][0]["results"][1]["hint"] = "x"
c = json.loads(json.dumps(s)); c["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
for name, x in (("noloc", a), ("extra", b), ("line0", c)):
    json.dump(x, open(name + ".sarif", "w"))
PY
for bad in noloc extra line0; do
    out=$($check $bad.sarif --source-root "$src/examples" 2>&1) && fail "the checker passed $bad.sarif"
    echo "ok: the checker rejects $bad.sarif: $(echo "$out" | head -1)"
done
echo "sarif_zoo: $n findings, valid, each located in the user's source"
