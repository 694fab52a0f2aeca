#!/bin/sh
# tools_test.sh - one ctest case of the seamfuzz crash tools (docs/tools.md).
#
#   tools_test.sh CASE SEAMFUZZ BINDIR SRCDIR WORKDIR CC [BB_GO BB_RUST [BB_RUST_BUG]]
#
# BINDIR holds tk_bug, tk_clean and tk_bug_libfuzzer (tests/tools/CMakeLists.txt);
# WORKDIR is emptied first.  Crash testcases are made here from text programs
# with `seamfuzz encode`, so the test data is readable.  Each failed check
# prints "FAIL: what" with the output it saw and the case exits 1.
set -u

case=$1
sf=$2
bindir=$3
src=$4
work=$5
cc=$6
bb_go=${7:-}
bb_rust=${8:-}
bb_rust_bug=${9:-}
tk=$src/tests/tools/tk.seam
bb=$src/harness/bytebridge/bytebridge.seam

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# expect RC REGEX CMD...: runs CMD, checks its exit code and that its output
# (stdout and stderr) matches the extended regex, either on one line or with
# the lines joined by spaces (so ".*" can span lines).
expect() {
    want_rc=$1
    regex=$2
    shift 2
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" != "$want_rc" ]; then
        fail "exit $rc, expected $want_rc: $*"
        printf '%s\n' "$out" | head -40
    elif ! printf '%s\n' "$out" | grep -Eq -- "$regex" &&
        ! printf '%s' "$out" | tr '\n' ' ' | grep -Eq -- "$regex"; then
        fail "output of '$*' does not match '$regex'"
        printf '%s\n' "$out" | head -40
    fi
}

# expect_line RC EXACT-LINE CMD...: exactly one output line, equal to EXACT-LINE.
expect_line() {
    want_rc=$1
    line=$2
    shift 2
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" != "$want_rc" ] || [ "$out" != "$line" ]; then
        fail "'$*' gave exit $rc (expected $want_rc) and:"
        printf '%s\n' "$out" | head -20
        echo "expected exactly:"
        echo "$line"
    fi
}

# Text programs of the tk boundary: two crashes hidden among other calls, the
# same crashes in other arrangements, and a clean run.
write_programs() {
    printf 'r0 = tk_buf_new(8)\ntk_buf_write(r0, "")\n' >uaf_min.txt
    printf 'tk_noop(1)\nr0 = tk_table_insert(5)\nr1 = tk_buf_new(16)\ntk_buf_write(r1, "hello world")\ntk_noop(2)\nr2 = tk_buf_new(8)\ntk_buf_len(r1)\n@yield\ntk_table_get(r0)\ntk_buf_write(r2, "")\ntk_noop(3)\ntk_buf_len(r1)\n' >uaf_padded.txt
    printf 'r0 = tk_buf_new(30)\ntk_noop(4)\ntk_buf_write(r0, "")\n' >uaf_other.txt
    printf 'r0 = tk_buf_new(4)\nr1 = tk_table_insert(1)\ntk_noop(9)\ntk_buf_write(r0, "abc")\ntk_table_remove(r1)\nr2 = tk_table_insert(2)\ntk_buf_len(r0)\ntk_table_get(stale(r1))\ntk_noop(7)\n' >stale_padded.txt
    printf 'r0 = tk_table_insert(1)\ntk_table_remove(r0)\nr1 = tk_table_insert(2)\ntk_table_get(stale(r0))\n' >stale_min.txt
    printf 'r0 = tk_buf_new(4)\ntk_buf_write(r0, "x")\nr1 = tk_table_insert(3)\ntk_table_get(r1)\n' >clean.txt
    for p in uaf_min uaf_padded uaf_other stale_padded stale_min clean; do
        "$sf" encode --spec "$tk" $p.txt -o $p.bin 2>/dev/null || fail "encode $p.txt"
    done
}

case $case in
help)
    for c in gen check show encode repro minimize cprog triage report; do
        expect 0 "^usage: seamfuzz $c" "$sf" $c --help
    done
    expect 0 "show +decode testcases.*report +write" "$sf" --help
    ;;

roundtrip)
    # bytes -> text -> bytes -> text is exact on every bytebridge seed, and
    # encoding is canonical (encoding the re-encoded program changes nothing).
    n=0
    for seed in "$src"/corpus/bytebridge/*; do
        b=$(basename "$seed")
        "$sf" show --spec "$bb" "$seed" >"$b.txt" 2>&1 || fail "show $b"
        "$sf" encode --spec "$bb" "$b.txt" -o "$b.bin" 2>/dev/null || fail "encode $b.txt"
        "$sf" show --spec "$bb" "$b.bin" >"$b.2.txt" 2>&1 || fail "show $b.bin"
        cmp -s "$b.txt" "$b.2.txt" || fail "text of $b changed after encode: $(diff "$b.txt" "$b.2.txt")"
        "$sf" encode --spec "$bb" "$b.2.txt" -o "$b.2.bin" 2>/dev/null || fail "encode $b.2.txt"
        cmp -s "$b.bin" "$b.2.bin" || fail "encoding of $b is not canonical"
        n=$((n + 1))
    done
    [ "$n" -ge 50 ] || fail "only $n seeds in corpus/bytebridge"
    echo "$n seeds round-tripped"
    # Several testcases at once: one block each.
    expect 0 "^# .*000-call-bb_buf_new \\(.*# .*006-call-bb_record_parse" \
        "$sf" show --spec "$bb" "$src/corpus/bytebridge/000-call-bb_buf_new" \
        "$src/corpus/bytebridge/006-call-bb_record_parse"
    # --limits: one op kept.
    write_programs
    expect 0 "^tk_noop\\(1\\)$" "$sf" show --spec "$tk" --limits max_ops=1 uaf_padded.bin
    ;;

encode_errors)
    printf 'tk_nope(1)\n' >e1.txt
    printf 'r0 = tk_buf_new(8)\ntk_buf_free(r0)\ntk_buf_len(r0)\n' >e2.txt
    printf 'r0 = tk_buf_new(65)\n' >e3.txt
    printf 'r0 = tk_buf_new(8\n' >e4.txt
    printf 'r1 = tk_buf_new(8)\n' >e5.txt
    expect_line 1 "e1.txt:1:1: unknown function 'tk_nope'" "$sf" encode --spec "$tk" e1.txt -o e.bin
    expect_line 1 "e2.txt:3:12: r0 is no longer live (write stale(r0) to pass it on purpose)" \
        "$sf" encode --spec "$tk" e2.txt -o e.bin
    expect_line 1 "e3.txt:1:17: 65 is out of range [0, 64] for 'cap'" \
        "$sf" encode --spec "$tk" e3.txt -o e.bin
    expect_line 1 "e4.txt:1:18: expected ')', found end of line" \
        "$sf" encode --spec "$tk" e4.txt -o e.bin
    expect 1 "^e5.txt:1:1: expected r0" "$sf" encode --spec "$tk" e5.txt -o e.bin
    [ ! -e e.bin ] || fail "a failed encode wrote e.bin"
    ;;

bad_input)
    # Every bad input: exit 2 and exactly one line naming the file and the fix.
    write_programs
    printf 'not a spec\n' >bad.seam
    expect_line 2 "seamfuzz show: cannot open /nonexistent.seam: No such file or directory" \
        "$sf" show --spec /nonexistent.seam uaf_min.bin
    expect_line 2 "seamfuzz show: cannot read testcase /nonexistent.bin: No such file or directory" \
        "$sf" show --spec "$tk" /nonexistent.bin
    expect 2 "^seamfuzz show: .*bad.seam is not a valid spec: .*bad.seam:1:1: .*\\(check it with 'seamfuzz gen'\\)$" \
        "$sf" show --spec bad.seam uaf_min.bin
    expect_line 2 "seamfuzz show: uaf_min.txt is a text program, not fuzz bytes (turn it into bytes with 'seamfuzz encode --spec $tk uaf_min.txt -o OUT.bin')" \
        "$sf" show --spec "$tk" uaf_min.txt
    expect_line 2 "seamfuzz show: bad limit 'max_ops=0': write max_ops=N or max_live=N, N >= 1 (see 'seamfuzz show --help')" \
        "$sf" show --spec "$tk" --limits max_ops=0 uaf_min.bin
    expect_line 2 "seamfuzz show: no spec given (--spec SPEC.seam) (see 'seamfuzz show --help')" \
        "$sf" show uaf_min.bin
    expect_line 2 "seamfuzz encode: no output file (-o OUT.bin) (see 'seamfuzz encode --help')" \
        "$sf" encode --spec "$tk" uaf_min.txt
    expect_line 2 "seamfuzz encode: cannot write /nonexistent/x.bin: No such file or directory" \
        "$sf" encode --spec "$tk" uaf_min.txt -o /nonexistent/x.bin
    expect_line 2 "seamfuzz repro: cannot run /nonexistent: No such file or directory (pass the fuzz binary, e.g. --bin build/standalone/bin/fuzz_<name>)" \
        "$sf" repro --bin /nonexistent uaf_min.bin
    expect_line 2 "seamfuzz repro: unknown option '--frob' (see 'seamfuzz repro --help')" \
        "$sf" repro --frob
    # A spec other than the binary's: named, with the fix.
    out=$("$sf" minimize --bin "$bindir/tk_bug" --spec "$bb" uaf_min.bin -o x.bin 2>&1)
    rc=$?
    [ "$rc" = 2 ] || fail "minimize with the wrong spec: exit $rc"
    [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "minimize with the wrong spec: more than one line: $out"
    printf '%s\n' "$out" | grep -Eq "^seamfuzz minimize: the binary was built from spec 'tk' \\(hash 0x[0-9a-f]{8}\\), --spec is 'bytebridge' \\(hash 0x[0-9a-f]{8}\\): pass the .seam the binary was generated from$" ||
        fail "minimize with the wrong spec: $out"
    expect_line 2 "seamfuzz minimize: uaf_min.txt is a text program, not fuzz bytes (turn it into bytes with 'seamfuzz encode --spec $tk uaf_min.txt -o OUT.bin')" \
        "$sf" minimize --bin "$bindir/tk_bug" --spec "$tk" uaf_min.txt -o x.bin
    expect_line 2 "seamfuzz cprog: cannot read testcase missing.bin: No such file or directory" \
        "$sf" cprog --spec "$tk" missing.bin -o x.c
    mkdir -p nolog
    cp uaf_min.bin nolog/
    expect_line 2 "seamfuzz triage: no report for nolog/uaf_min.bin: pass --bin FUZZ_BINARY to replay it (or save its output as nolog/uaf_min.bin.log)" \
        "$sf" triage nolog
    expect_line 2 "seamfuzz triage: cannot open /nonexistent: No such file or directory" \
        "$sf" triage /nonexistent
    expect_line 2 "seamfuzz report: --format is md, json or sarif (see 'seamfuzz report --help')" \
        "$sf" report nolog --format xml
    expect_line 2 "seamfuzz: unknown command 'frob' (see 'seamfuzz --help')" "$sf" frob
    ;;

repro)
    write_programs
    for bin in tk_bug tk_bug_libfuzzer; do
        expect 1 "SEAMFUZZ-VIOLATION: SF-103.*SEAMFUZZ-JSON: .*SIGNATURE: SF-103:tk_table_get$" \
            "$sf" repro --bin "$bindir/$bin" stale_padded.bin
        expect 1 "SUMMARY: AddressSanitizer: heap-use-after-free .* in tk_buf_free" \
            "$sf" repro --bin "$bindir/$bin" uaf_padded.bin
        expect_line 1 "SIGNATURE: SAN:heap-use-after-free:c:tk_buf_free" \
            "$sf" repro -q --bin "$bindir/$bin" uaf_min.bin
        expect 0 "^NO CRASH: " "$sf" repro --bin "$bindir/$bin" clean.bin
    done
    # --times: every replay crashes the same way, or none does.
    expect 1 "^REPLAYS: 3 of 3 crashed, 3 with this signature: deterministic$" \
        "$sf" repro -q --times 3 --bin "$bindir/tk_bug" uaf_min.bin
    expect 0 "^REPLAYS: 0 of 3 crashed, 0 with this signature: does not reproduce$" \
        "$sf" repro -q --times 3 --bin "$bindir/tk_clean" uaf_min.bin
    expect 2 "^seamfuzz repro: .*--times needs a number of replays, 1..1000" \
        "$sf" repro --times 0 --bin "$bindir/tk_bug" uaf_min.bin
    # The clean twin runs every crash clean.
    expect 0 "^NO CRASH: " "$sf" repro --bin "$bindir/tk_clean" stale_padded.bin
    expect 0 "^NO CRASH: " "$sf" repro --bin "$bindir/tk_clean" uaf_padded.bin
    # A libFuzzer replay leaves no crash-* file behind.
    ls crash-* >/dev/null 2>&1 && fail "libFuzzer replay wrote a crash file into the working directory"
    ;;

repro_find)
    # Which binary made a crash, with no --bin (sf_buildinfo.h): the saved
    # report's BINARY: line, the same binary by name when that path is gone,
    # an AFL++ run's fuzzer_stats, a folder named after the target; and a
    # binary of another spec refused.  tk_* live in the tool's own folder.
    write_programs
    "$bindir/tk_bug" uaf_min.bin >saved.log 2>&1 && fail "tk_bug ran uaf_min.bin clean"
    grep -q "^BINARY: $bindir/tk_bug\$" saved.log || fail "the report has no BINARY: line naming tk_bug"
    grep -q "\"binary\":\"$bindir/tk_bug\"" saved.log || fail "the JSON line has no binary"
    mkdir -p a b afl/default/crashes crashes/tk_bug lone
    cp uaf_min.bin a/c.bin && cp saved.log a/c.bin.log
    expect 1 "fuzz binary $bindir/tk_bug \(named by its saved report, found in $bindir\).*SIGNATURE: SAN:heap-use-after-free:c:tk_buf_free" \
        "$sf" repro a/c.bin
    # A report from another machine: the same name in this build.
    cp uaf_min.bin b/c.bin && sed "s|^BINARY: .*|BINARY: /gone/tk_bug|" saved.log >b/c.bin.log
    expect 1 "fuzz binary $bindir/tk_bug \(named by its saved report, found in $bindir\)" \
        "$sf" repro b/c.bin
    # A binary that is not in this build: where the report says it was.
    cp "$bindir/tk_bug" b/tk_other && sed "s|^BINARY: .*|BINARY: $work/b/tk_other|" saved.log >b/c.bin.log
    expect 1 "fuzz binary $work/b/tk_other \(named by its saved report\)" "$sf" repro b/c.bin
    cp uaf_min.bin afl/default/crashes/id:000000
    printf 'start_time        : 1\ncommand_line      : afl-fuzz -i in -o afl -- %s @@\n' "$bindir/tk_bug" \
        >afl/default/fuzzer_stats
    expect 1 "the target of the AFL\+\+ run in afl/default.*SIGNATURE: SAN:" \
        "$sf" repro afl/default/crashes/id:000000
    cp uaf_min.bin crashes/tk_bug/crash-1
    expect 1 "its folder's name, found in $bindir.*SIGNATURE: SAN:" "$sf" repro crashes/tk_bug/crash-1
    cp uaf_min.bin lone/crash-1
    expect 2 "^seamfuzz repro: cannot tell which fuzz binary made lone/crash-1 .*pass --bin FUZZ_BINARY" \
        "$sf" repro lone/crash-1
    # The saved report says spec tk; a binary built from another spec is refused.
    sed 's/"spec_hash":[0-9]*/"spec_hash":12345/' saved.log >a/c.bin.log
    expect 2 "^seamfuzz repro: a/c.bin was made by a fuzz binary of spec 'tk' \(hash 0x00003039.*pass the binary it was made with" \
        "$sf" repro a/c.bin
    # minimize and cprog take the binary and the spec from the same place.
    cp saved.log a/c.bin.log
    expect 0 "ops: 2 -> 2" "$sf" minimize -q a/c.bin -o a/min.bin
    expect 0 "cprog: a/r.c: 2 ops" "$sf" cprog a/c.bin -o a/r.c
    grep -q "tk.seam" a/r.c || fail "cprog did not take the spec from the binary"
    ;;

minimize)
    write_programs
    expect 0 "SIGNATURE: SAN:heap-use-after-free:c:tk_buf_free.*ops: 12 -> 2," \
        "$sf" minimize -q --bin "$bindir/tk_bug" --spec "$tk" uaf_padded.bin -o uaf_small.bin
    expect_line 1 "SIGNATURE: SAN:heap-use-after-free:c:tk_buf_free" \
        "$sf" repro -q --bin "$bindir/tk_bug" uaf_small.bin
    expect 0 "ops: 9 -> 4, bytes: 35 -> 14.*r0 = tk_table_insert\\(1\\).*tk_table_remove\\(r0\\).*r1 = tk_table_insert\\(2\\).*tk_table_get\\(stale\\(r0\\)\\)" \
        "$sf" minimize -q --bin "$bindir/tk_bug_libfuzzer" --spec "$tk" stale_padded.bin -o stale_small.bin
    expect 0 "^r0 = tk_table_insert" "$sf" show --spec "$tk" stale_small.bin
    cmp -s stale_small.bin stale_min.bin || fail "minimized stale crash differs from the hand-written minimal one"
    # Buffers shrink too: the 11-byte write goes when it is not needed.
    printf 'r0 = tk_buf_new(8)\ntk_buf_write(r0, "0123456789abcdef")\ntk_buf_write(r0, "")\n' >buf.txt
    "$sf" encode --spec "$tk" buf.txt -o buf.bin 2>/dev/null
    expect 0 "ops: 3 -> 2," "$sf" minimize -q --bin "$bindir/tk_bug" --spec "$tk" buf.bin -o buf_small.bin
    expect 1 "^NO CRASH: .*nothing to minimize" \
        "$sf" minimize -q --bin "$bindir/tk_bug" --spec "$tk" clean.bin -o x.bin
    [ ! -e x.bin ] || fail "minimize of a clean testcase wrote x.bin"
    ;;

cprog)
    write_programs
    # tk: compiles warning-free, runs clean on the clean library, reproduces
    # both seeded defects on the buggy one.
    for p in stale_padded uaf_padded clean; do
        "$sf" cprog --spec "$tk" $p.bin -o $p.c 2>/dev/null || fail "cprog $p"
        for bug in 0 1; do
            "$cc" -std=c11 -Wall -Wextra -Wstrict-prototypes -Werror -g -O0 \
                -fsanitize=address,undefined -DTK_BUG=$bug \
                $p.c "$src/tests/tools/tk_lib.c" -o $p.$bug -lpthread ||
                { fail "$p.c does not compile (TK_BUG=$bug)"; continue; }
        done
    done
    expect 0 "CPROG-OK: 9 ops ran clean" ./stale_padded.0
    expect 0 "CPROG-OK: 12 ops ran clean" ./uaf_padded.0
    expect 0 "CPROG-OK" ./clean.1
    expect 134 "SEAMFUZZ-CPROG: SF-103 stale value accepted.*FUNCTION: tk_table_get" ./stale_padded.1
    expect 1 "ERROR: AddressSanitizer: heap-use-after-free.*in tk_buf_free" \
        env ASAN_OPTIONS=abort_on_error=0 ./uaf_padded.1
    # bytebridge: the emitted C of every seed compiles warning-free against
    # the spec's prototypes; with the archives of this build, it links and
    # runs clean (the clean build reports nothing).
    n=0
    for seed in "$src"/corpus/bytebridge/*; do
        b=$(basename "$seed")
        "$sf" cprog --spec "$bb" "$seed" -o "bb_$b.c" 2>/dev/null || fail "cprog $b"
        "$cc" -std=c11 -Wall -Wextra -Wstrict-prototypes -Werror -fsyntax-only "bb_$b.c" ||
            fail "bb_$b.c does not compile"
        n=$((n + 1))
    done
    echo "$n bytebridge programs compile"
    if [ -f "$bb_go" ] && [ -f "$bb_rust" ]; then
        for b in 020-call-bbgo_append 040-stale-bb_table_get-handle 078-builtins; do
            [ -f "bb_$b.c" ] || continue
            "$cc" -g -O0 -fsanitize=fuzzer-no-link,address,undefined "bb_$b.c" -o "bb_$b" \
                -Wl,--start-group "$bb_go" "$bb_rust" -Wl,--end-group -lpthread -ldl -lm ||
                { fail "bb_$b.c does not link"; continue; }
            expect 0 "CPROG-OK" env GOTRACEBACK=crash GOGC=50 GODEBUG=cgocheck=1 "./bb_$b"
        done
    else
        echo "note: bytebridge archives not built in this tree ($bb_go); link test skipped"
    fi
    ;;

triage)
    write_programs
    mkdir -p crashes
    for p in uaf_min uaf_padded uaf_other stale_padded stale_min clean; do
        cp $p.bin crashes/$p
    done
    expect 1 "^ +3  SAN:heap-use-after-free:c:tk_buf_free +crashes/uaf_min$" \
        "$sf" triage crashes --bin "$bindir/tk_bug"
    expect 1 "^ +2  SF-103:tk_table_get +crashes/stale_min$" \
        "$sf" triage crashes --bin "$bindir/tk_bug"
    expect 1 "^2 unique signatures in 6 files \\(1 did not crash\\)$" \
        "$sf" triage crashes --bin "$bindir/tk_bug"
    # From saved reports next to the files, without the binary.
    for p in uaf_min uaf_padded uaf_other stale_padded stale_min clean; do
        "$bindir/tk_bug" crashes/$p >crashes/$p.log 2>&1
    done
    expect 1 "^2 unique signatures in 6 files \\(1 did not crash\\)$" "$sf" triage crashes
    expect 1 "^ +3  SAN:heap-use-after-free:c:tk_buf_free +crashes/uaf_min$" "$sf" triage crashes
    # show marks the failing op from the saved report, and refuses a spec the
    # report says the testcase was not made for.
    expect 0 "  # << failing op: SF-103:tk_table_get$" "$sf" show --spec "$tk" crashes/stale_min
    expect 2 "^seamfuzz show: crashes/stale_min was made by a fuzz binary of spec 'tk' .*, not of .*bytebridge.seam \\('bytebridge', hash 0x[0-9a-f]*\\): pass the spec it was made for$" \
        "$sf" show --spec "$bb" crashes/stale_min
    # Nothing crashes with the clean twin.
    rm crashes/*.log
    expect 0 "^0 unique signatures in 6 files \\(6 did not crash\\)$" \
        "$sf" triage crashes --bin "$bindir/tk_clean"
    ;;

report)
    write_programs
    mkdir -p crashes
    for p in uaf_min uaf_padded stale_padded stale_min clean; do
        cp $p.bin crashes/$p
    done
    "$sf" report crashes --bin "$bindir/tk_bug" --format json -o r.json || fail "report json"
    python3 -m json.tool r.json >/dev/null || fail "r.json is not valid JSON"
    python3 - r.json <<'EOF' || fail "r.json content"
import json, sys
r = json.load(open(sys.argv[1]))
sigs = sorted(f["signature"] for f in r["findings"])
assert sigs == ["SAN:heap-use-after-free:c:tk_buf_free", "SF-103:tk_table_get"], sigs
f = [f for f in r["findings"] if f["rule"] == "SF-103"][0]
assert f["count"] == 2 and f["representative"] == "crashes/stale_min", f
assert "tk_table_get(stale(r0))" in f["program"], f["program"]
assert f["report"]["name"] == "STALE_ACCEPTED", f["report"]
assert r["not_crashing"] == 1
EOF
    "$sf" report crashes --bin "$bindir/tk_bug" --format sarif -o r.sarif || fail "report sarif"
    python3 -m json.tool r.sarif >/dev/null || fail "r.sarif is not valid JSON"
    python3 - r.sarif <<'EOF' || fail "r.sarif content"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0" and "sarif-2.1.0" in s["$schema"], s.keys()
run = s["runs"][0]
assert run["tool"]["driver"]["name"] == "seamfuzz"
rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
assert rules == {"SF-103", "SF-190"}, rules
res = run["results"]
assert len(res) == 2, res
for rule in run["tool"]["driver"]["rules"]:
    # One rule per id with what it means and the usual fix.
    assert rule["name"] and rule["fullDescription"]["text"] and rule["help"]["text"], rule
for r in res:
    assert r["ruleId"] in rules and r["message"]["text"] and r["level"] == "error"
    assert "report above" not in r["message"]["text"], r["message"]
    loc = r["locations"][0]["logicalLocations"][0]
    assert loc["kind"] == "function" and loc["name"] in ("tk_table_get", "tk_buf_free"), loc
    if r["ruleId"] == "SF-190":
        # The user's source line from the sanitizer's stack, and where the
        # block was freed and allocated.
        phys = r["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"]["uri"].endswith("/tk_lib.c"), phys
        assert phys["region"]["startLine"] > 0, phys
        rel = {x["message"]["text"]: x for x in r["relatedLocations"]}
        assert set(rel) == {"freed here", "allocated here"}, rel
        for x in rel.values():
            assert x["physicalLocation"]["artifactLocation"]["uri"].endswith("/tk_lib.c"), x
EOF
    expect 0 "^\\| 1 \\| \`SAN:heap-use-after-free:c:tk_buf_free\` \\| SF-190 \\| 2 \\|" \
        "$sf" report crashes --bin "$bindir/tk_bug"
    expect 0 "Resource history|Program \\(up to the failing op" "$sf" report crashes --bin "$bindir/tk_bug"
    # The replay line names the binary that was passed, ready to paste.
    expect 0 "Replay: \`seamfuzz repro --bin $bindir/tk_bug crashes/" "$sf" report crashes --bin "$bindir/tk_bug"
    expect 0 "\"findings\": \\[\\]" "$sf" report crashes --bin "$bindir/tk_clean" --format json
    ;;

bb_crash)
    # A real crash: bug zoo Z01 (uaf_held, docs/bugzoo.md) hidden among other
    # calls.  minimize finds the documented 4-call sequence; cprog's C file
    # reproduces the heap-use-after-free against the defect's Rust archive and
    # runs clean against the clean one.
    printf 'r0 = bb_table_insert("abc")\nr1 = bb_buf_new(4)\nbb_checksum("hello", &u32)\nr2 = bbgo_adopt(r1)\nbbgo_process("BB")\nr3 = bb_buf_new(16)\nbb_buf_write(r3, "xyz")\nbbgo_append(r2, "")\nbb_table_get(r0, out[8])\nbbgo_peek(r2, 0)\nbb_buf_len(r3)\n' >uaf.txt
    "$sf" encode --spec "$bb" uaf.txt -o uaf.bin 2>/dev/null || fail "encode uaf.txt"
    expect_line 1 "SIGNATURE: SAN:heap-use-after-free:rust:bb_buf_len" \
        "$sf" repro -q --bin "$bindir/fuzz_bytebridge_uaf_held" uaf.bin
    expect 0 "ops: 11 -> 4,.*r0 = bb_buf_new\\(4\\) r1 = bbgo_adopt\\(r0\\) bbgo_append\\(r1, \"\"\\) bbgo_peek\\(r1, 0\\)" \
        "$sf" minimize -q --bin "$bindir/fuzz_bytebridge_uaf_held" --spec "$bb" uaf.bin -o min.bin
    # With the fuzz binary's saved report next to the testcase, cprog needs
    # nothing else: spec, archives, compiler and sanitizers come from the
    # binary's build info, and its build line links as written.
    "$bindir/fuzz_bytebridge_uaf_held" min.bin >min.bin.log 2>&1 && fail "min.bin ran clean"
    expect 1 "named by its saved report.*SIGNATURE: SAN:heap-use-after-free:rust:bb_buf_len" \
        "$sf" repro min.bin
    "$sf" cprog min.bin -o repro.c 2>/dev/null || fail "cprog min.bin"
    grep -q "$bb_rust_bug" repro.c || fail "cprog's build line does not name the defect's Rust archive"
    line=$(sed -n '/^ \* Build:/,/-lm$/p' repro.c | sed -n '3,$p' | sed 's/^ \*  *//; s/\\$//' | tr '\n' ' ')
    (eval "$line") || fail "cprog's build line does not link: $line"
    expect 1 "ERROR: AddressSanitizer: heap-use-after-free.* in bb_buf_len " \
        env ASAN_OPTIONS=abort_on_error=0 GOTRACEBACK=crash GOGC=50 ./repro
    for v in bug clean; do
        r=$bb_rust_bug
        [ $v = clean ] && r=$bb_rust
        "$cc" -std=c11 -Wall -Wextra -Wstrict-prototypes -Werror -g -O0 \
            -fsanitize=fuzzer-no-link,address,undefined repro.c -o repro_$v \
            -Wl,--start-group "$bb_go" "$r" -Wl,--end-group -lpthread -ldl -lm ||
            fail "repro.c does not link against $r"
    done
    expect 1 "ERROR: AddressSanitizer: heap-use-after-free.* in bb_buf_len " \
        env ASAN_OPTIONS=abort_on_error=0 GOTRACEBACK=crash GOGC=50 ./repro_bug
    expect 0 "CPROG-OK: 4 ops ran clean" env GOTRACEBACK=crash GOGC=50 ./repro_clean
    ;;

*)
    echo "unknown case '$case'"
    exit 2
    ;;
esac

if [ "$failures" -ne 0 ]; then
    echo "$case: $failures check(s) failed"
    exit 1
fi
echo "$case: ok"
