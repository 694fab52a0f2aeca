#!/bin/sh
# gs_test.sh CASE SEAMFUZZ BINDIR SPEC CORPUS WORKDIR - the per-input leak
# check on a library with global state (tests/globalstate/gs.seam):
#   clean_run   20,000 libFuzzer inputs of correct code: no report, and the
#               reachability proof spares LeakSanitizer on almost all inputs
#               that leave blocks behind (the profile's LEAKCHECK line);
#   leak_found  after inputs that build up the state, an input whose call
#               leaks its own block is reported SF-122 with that program;
#   leak_found_without_proof  the same with -seam_leak_proof=0.
set -u
case=$1 sf=$2 bin=$3 spec=$4 corpus=$5 work=$6
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
fail() { echo "FAIL: $case: $*"; [ -f out.txt ] && tail -30 out.txt; exit 1; }
case "$case" in
clean_run)
    mkdir c && cp "$corpus"/* c/
    SEAM_PROFILE=1 "$bin/gs_clean" -runs=20000 -seed=1 -max_len=512 c >out.txt 2>&1 ||
        fail "libFuzzer exited non-zero"
    grep -q SEAMFUZZ-VIOLATION out.txt && fail "correct code reported"
    line=$(grep '^SEAMFUZZ-LEAKCHECK:' out.txt) || fail "no LEAKCHECK line"
    echo "$line"
    # "SEAMFUZZ-LEAKCHECK: proved-hot=H proved-full=F lsan=L index-dropped=D"
    h=$(echo "$line" | sed 's/.*proved-hot=\([0-9]*\).*/\1/')
    f=$(echo "$line" | sed 's/.*proved-full=\([0-9]*\).*/\1/')
    l=$(echo "$line" | sed 's/.*lsan=\([0-9]*\).*/\1/')
    [ $((h + f + l)) -gt 1000 ] || fail "fewer than 1,000 inputs left blocks behind ($h+$f+$l): the test no longer exercises global state"
    [ $((l * 20)) -lt $((h + f + l)) ] || fail "LeakSanitizer ran on $l of $((h + f + l)) inputs that left blocks (5% allowed)"
    ;;
leak_found|leak_found_without_proof)
    flag=""
    [ "$case" = leak_found_without_proof ] && flag=-seam_leak_proof=0
    printf 'r0 = gs_open()\ngs_cache(r0, "abc")\ngs_intern("one")\ngs_check("")\n' >warm1.txt
    printf 'r0 = gs_open()\ngs_cache(r0, "def")\ngs_intern("two")\ngs_check("")\ngs_intern("three")\n' >warm2.txt
    printf 'r0 = gs_open()\ngs_cache(r0, "ghi")\ngs_intern("Leak")\n' >leak.txt
    for p in warm1 warm2 leak; do
        "$sf" encode --spec "$spec" $p.txt -o $p.bin || fail "encode $p.txt"
    done
    "$bin/gs_leak" $flag warm1.bin warm2.bin warm1.bin leak.bin >out.txt 2>&1 && fail "no crash"
    grep -q 'SEAMFUZZ-VIOLATION: SF-122 ' out.txt || fail "expected SF-122"
    grep -q 'gs_intern("Leak")' out.txt || fail "the report does not show the leaking program"
    grep -q 'gs_intern("two")' out.txt && fail "the report shows an earlier input's program"
    # The finding names the block and the op that allocated it (issue 16):
    # with the proof, exactly the one it could not prove; without, a live one.
    want='^DETAIL: .*5-byte block rust allocated during op 2 gs_intern'
    [ -z "$flag" ] && want='^DETAIL: .*not proven reachable from globals: 5-byte block rust allocated during op 2 gs_intern$'
    grep -Eq "$want" out.txt || fail "the DETAIL line does not name the leaked block: $(grep '^DETAIL' out.txt)"
    [ -z "$flag" ] && { grep -q '^FUNCTION: gs_intern$' out.txt || fail "FUNCTION is not the op that allocated it"; }
    echo "ok: SF-122 reported with the leaking input"
    ;;
*)
    echo "gs_test.sh: unknown case '$case'" >&2
    exit 2 ;;
esac
echo "ok: $case"
