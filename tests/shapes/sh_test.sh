#!/bin/sh
# sh_test.sh CASE SEAMFUZZ BINDIR SPEC CORPUS WORKDIR - the contract shapes of
# spec v2 on the toy boundary tests/shapes/shapes.seam (sh_lib.c, sh_go.c):
#   clean_fuzz   30,000 libFuzzer inputs of the correct code: no report;
#   ok_<shape>   one program of the shape on correct code: no report (each a
#                false positive, or an inexpressible contract, before v2);
#   bug_<name>   the broken twin SH_BUG=<name> on one program: the finding
#                has the shape's id;
#   fuzz_bigbuf  libFuzzer finds the overflow that needs a 70,000-byte buffer.
set -u
case=$1 sf=$2 bin=$3 spec=$4 corpus=$5 work=$6
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
fail() { echo "FAIL: $case: $*"; [ -f p.txt ] && cat p.txt; [ -f out.txt ] && tail -30 out.txt; exit 1; }
prog() { printf "$1" >p.txt && "$sf" encode --spec "$spec" p.txt -o p.bin || fail "the program does not encode"; }
clean() {
    "$bin/sh_standalone" p.bin >out.txt 2>&1 || fail "correct code exited $?"
    grep -q SEAMFUZZ-VIOLATION out.txt && fail "correct code reported"
    echo "ok: $case ran clean"
}
found() { # ID [BUG]
    SH_BUG=$2 "$bin/sh_standalone" p.bin >out.txt 2>&1 && fail "the twin SH_BUG=$2 ran clean"
    grep -q "SEAMFUZZ-VIOLATION: SF-$1 " out.txt || fail "expected SF-$1 for SH_BUG=$2"
    echo "ok: $case: SH_BUG=$2 reported SF-$1"
}
S='r0 = sh_store_open()\n'
case "$case" in
clean_fuzz)
    mkdir c && cp "$corpus"/* c/
    "$bin/sh_fuzzer" -runs=30000 -seed=1 -max_len=4096 c >out.txt 2>&1 || fail "libFuzzer exited non-zero"
    grep -q SEAMFUZZ-VIOLATION out.txt && fail "correct code reported"
    echo "ok: 30,000 inputs ran clean" ;;
ok_sized_free)    # the destructor gets the producer's length, directly and through "Go"
    prog 'r0 = sh_blob_make(5)\nr1 = sh_blob_make(0)\nsh_blob_sum(r0)\nsh_blob_free(r0)\nshgo_blob_roundtrip(9)\n'; clean ;;
ok_busy_close)    # a busy close leaves the store live; teardown closes the iterator first
    prog "${S}"'r1 = sh_iter_open(r0)\nsh_store_close(r0)\nsh_store_put(r0, "x")\nsh_iter_next(r1)\n'; clean ;;
ok_invalidated)   # the store's close ends its snapshot: no destructor for it afterwards
    prog "${S}"'r1 = sh_snap_open(r0)\nsh_snap_count(r1)\nsh_store_close(r0)\nsh_snap_close(stale(r1))\nshgo_snap_once()\n'; clean ;;
ok_views)         # views used within their lifetimes, a typed one aligned
    prog "${S}"'sh_store_put(r0, "abc")\nsh_store_get(r0)\nsh_store_touch(r0)\nsh_store_name(r0)\nsh_store_stats(r0)\nsh_store_touch(r0)\nsh_store_put(r0, "de")\n'; clean ;;
ok_view_other_side)  # a "Go" call taking the store may put into it: the view may end there
    prog "${S}"'sh_store_put(r0, "abc")\nsh_store_get(r0)\nshgo_refill(r0)\nsh_store_name(r0)\n'; clean ;;
ok_nested_stale)  # "Go" forwards a stale handle to "Rust", which rejects it as the contract says
    prog "${S}"'sh_store_close(r0)\nshgo_refill(stale(r0))\n'; clean ;;
ok_range)         # values outside [1:1024] are rejected, as the contract says
    prog "${S}"'sh_store_reserve(r0, 0)\nsh_store_reserve(r0, 1025)\nsh_store_reserve(r0, 1024)\n'; clean ;;
ok_last_error)    # the error object of a failed call is fetched, checked and freed
    prog 'sh_parse("x")\nsh_parse("#")\nsh_parse("")\n'; clean ;;
ok_last_error_nested)  # "Go" takes the error of its own failed call; the harness's as before
    prog 'shgo_parse("x")\nshgo_parse("#")\nsh_parse("y")\nshgo_parse("z")\n'; clean ;;
ok_callbacks)     # a callback during its call; a watcher until the store closes
    prog "${S}"'sh_store_each(r0, shgo_count)\nsh_store_watch(r0, shgo_peek)\nsh_store_put(r0, "ab")\nsh_store_each(r0, shgo_peek)\nsh_store_close(r0)\nr1 = sh_store_open()\nsh_store_watch(r1, shgo_count)\n'; clean ;;
ok_bigbuf)        # a 70,000-byte buffer
    prog 'sh_fill(out[70000])\nsh_fill(out[0])\n'; clean ;;
bug_extent)     prog 'shgo_blob_roundtrip(7)\n'; found 111 extent ;;
bug_busy)       prog "${S}"'r1 = sh_iter_open(r0)\nsh_store_close(r0)\n'; found 112 busy ;;
bug_snapuse)    prog 'shgo_snap_once()\n'; found 101 snapuse ;;
bug_invalidate) prog "${S}"'r1 = sh_snap_open(r0)\nsh_store_close(r0)\n'; found 120 invalidate ;;
bug_view)       prog "${S}"'sh_store_put(r0, "abc")\nsh_store_get(r0)\nsh_store_touch(r0)\n'; found 113 view ;;
bug_align)      prog "${S}"'sh_store_stats(r0)\n'; found 140 align ;;
bug_layout)     prog "${S}"; found 150 layout ;;
bug_range)      prog "${S}"'sh_store_reserve(r0, 1025)\n'; found 114 range ;;
bug_lasterror)  prog 'sh_parse("x")\n'; found 106 lasterror ;;
bug_lasterror_nested)  prog 'shgo_parse("x")\n'; found 106 lasterror ;;
bug_cbkeep)     prog "${S}"'sh_store_each(r0, shgo_count)\nsh_store_put(r0, "a")\n'; found 115 cbkeep ;;
bug_reenter)    prog "${S}"'sh_store_each(r0, shgo_peek)\n'; found 116 reenter ;;
bug_cbpanic)    prog "${S}"'sh_store_each(r0, shgo_peek)\n'; found 131 cbpanic ;;
bug_ubsan)      # a UBSan report names the resources of the running call
    prog "${S}"'r1 = sh_iter_open(r0)\nsh_iter_next(r1)\n'; found 190 ubsan
    grep -q '^RESOURCE: r1 (ShIter' out.txt || fail "the report does not name r1, the iterator" ;;
bug_bigbuf)     prog 'sh_fill(out[70000])\n'; found 190 bigbuf ;;
fuzz_bigbuf)
    # Needs a buffer of exactly its maximum, 70,000: the decoder favours it.
    mkdir c && cp "$corpus"/* c/
    SH_BUG=bigbuf "$bin/sh_fuzzer" -runs=20000 -seed=1 -max_len=4096 c >out.txt 2>&1 &&
        fail "20,000 inputs did not find it"
    grep -q "SEAMFUZZ-VIOLATION: SF-190 " out.txt || fail "expected SF-190"
    echo "ok: found by fuzzing" ;;
*)
    echo "sh_test.sh: unknown case '$case'" >&2
    exit 2 ;;
esac
