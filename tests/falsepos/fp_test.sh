#!/bin/sh
# fp_test.sh CASE SEAMFUZZ FP_BIN SPEC WORKDIR - runs one program of correct
# code (tests/falsepos/fp.seam, fp_lib.c) through the standalone fuzz binary
# and requires a clean run: exit 0 and no SEAMFUZZ-VIOLATION block.  Each case
# is a shape that seamfuzz once reported falsely (issue 12).
set -u
case=$1 sf=$2 bin=$3 spec=$4 work=$5
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
case "$case" in
view_null)
    # A view return declared `errors null`: NULL on a null or stale store is
    # the required failure, not a success (was SF-104 / SF-103).
    printf 'fp_store_name(null)\nr0 = fp_store_open()\nfp_store_name(r0)\nfp_store_close(r0)\nfp_store_name(stale(r0))\n' >p.txt ;;
failed_close)
    # The store's close fails (busy) while a cursor lives, so the store stays
    # live; a later stale pass names the live store and closes it for real;
    # teardown must not close it again (was SF-101 at teardown).
    printf 'r0 = fp_store_open()\nr1 = fp_cursor_open(r0)\nfp_store_close(r0)\nfp_cursor_close(r1)\nfp_store_close(stale(r0))\n' >p.txt ;;
failed_close_teardown)
    # A failed close leaves the store live: teardown closes the cursor first,
    # then the store.
    printf 'r0 = fp_store_open()\nr1 = fp_cursor_open(r0)\nfp_store_close(r0)\nfp_store_name(stale(r0))\n' >p.txt ;;
nested_return)
    # "Go" returns the blob its own intercepted call into "Rust" made: one
    # object, produced once (was SF-109 on every call).
    printf 'r0 = fpgo_blob_make(4)\nr1 = fpgo_blob_make(0)\nfp_blob_free(r0)\n' >p.txt ;;
zero_size)
    # Empty blobs are all the one dangling address: two live at once, freed
    # directly and through "Go", are legal (was SF-109).
    printf 'r0 = fp_blob_new(0)\nr1 = fp_blob_new(0)\nr2 = fpgo_blob_make(0)\nr3 = fpgo_blob_make(0)\nfp_blob_free(r0)\nr4 = fp_blob_new(3)\n' >p.txt ;;
*)
    echo "fp_test.sh: unknown case '$case'" >&2
    exit 2 ;;
esac
"$sf" encode --spec "$spec" p.txt -o p.bin || { echo "FAIL: the program does not encode"; exit 1; }
"$bin" p.bin >out.txt 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -q 'SEAMFUZZ-VIOLATION' out.txt; then
    echo "FAIL: $case: correct code reported (exit $rc):"
    cat p.txt
    sed -n '/SEAMFUZZ-VIOLATION/,/SEAMFUZZ-JSON/p' out.txt | head -40
    [ -s out.txt ] && tail -5 out.txt
    exit 1
fi
echo "ok: $case ran clean"
