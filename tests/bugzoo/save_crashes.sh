#!/usr/bin/env bash
# save_crashes.sh - (re)makes the saved crashes of one example's bug zoo,
# tests/bugzoo/crashes/<example>/<bug>.bin, their text form <bug>.txt and
# saved report <bug>.log, which the standalone ctests replay.  A maintainer
# script, not a test.
#
#   tests/bugzoo/save_crashes.sh [--example EX] LIBFUZZER_BIN STANDALONE_BIN [BUG ...]
#
# EX is bytebridge (the default) or docidx.  LIBFUZZER_BIN and STANDALONE_BIN
# are the bin/ folders of a libFuzzer and a standalone build with
# SEAM_BUGZOO=ON (e.g. build/libfuzzer/bin and build/standalone/bin; the
# standalone one also holds seamfuzz).  For each bug (default: all of EX):
# fuzz fuzz_<EX>_<bug> from a copy of EX's seed corpus with its dictionary
# (seed 1, seed 2 for realloc_ptr), minimise the crash with libFuzzer's
# -minimize_crash=1, and keep it only if the standalone variant fails on it
# and the clean standalone fuzz_<EX> passes.
#
# Some defects use the minimal call sequence of docs/bugzoo.md, written below
# in the text form, instead of a fuzzed crash:
# - double_free, go_stale_ptr: the fuzzer first trips them with one failing
#   parse, because the Rust last-error / Go last-message global survives from
#   an earlier input; such a crash does not replay on its own.
# - stale_handle, err_dropped: the fuzzer first finds SF-104 (the null handle
#   is accepted; bugzoo_detect_* checks that); the saved crash keeps the stale
#   handle of the documented sequence, so the replay covers SF-103.
# - stats_keep (docidx): the fuzzed crash reads a term an earlier input left in
#   the process-global statistics; the sequence does it within one input.
set -uo pipefail

ex=bytebridge
if [ "${1:-}" = --example ]; then
    ex=${2:-}
    shift 2 || true
fi
case $ex in
bytebridge) all="uaf_held double_free wrong_free leak_record leak_error stale_handle rust_unwind
go_panic err_dropped misaligned layout go_stale_ptr rust_keeps_go off_by_one realloc_ptr" ;;
docidx) all="close_busy open_range ud_kept empty_copy peek_temp msg_temp stats_keep go_error_uaf
go_blob_len go_cursor_leak go_term_len" ;;
*) echo "save_crashes.sh: unknown example '$ex' (bytebridge or docidx)" >&2; exit 2 ;;
esac
[ $# -ge 2 ] || { sed -n '7,8p' "$0" >&2; exit 2; }
lf=$(cd "$1" && pwd) sa=$(cd "$2" && pwd)
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
spec=$root/harness/$ex/$ex.seam
out=$here/crashes/$ex
mkdir -p "$out"
bugs=${*:-$all}

# The hand-written programs (text form, docs/program.md).
program() {
    case $1 in
    double_free | go_stale_ptr)
        printf '%s\n' 'bbgo_process("BB")' 'bbgo_process("BB")' ;;
    stale_handle)
        printf '%s\n' 'r0 = bb_table_insert("abc")' 'bb_table_remove(r0)' \
            'r1 = bb_table_insert("xy")' '@stale' 'bb_table_get(stale(r0), out[8])' ;;
    err_dropped)
        printf '%s\n' 'r0 = bb_buf_new(4)' 'r1 = bbgo_adopt(r0)' 'bbgo_release(r1)' \
            '@stale' 'bbgo_release(stale(r1))' ;;
    *) return 1 ;;
    esac
}
[ "$ex" = docidx ] && program() {
    case $1 in
    stats_keep)
        printf '%s\n' 'r0 = di_index_open(8)' 'r1 = di_query(r0, "one")' 'di_term_hits("one")' ;;
    *) return 1 ;;
    esac
}

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ulimit -c 0 2>/dev/null || true
# quiet LOG CMD...: runs CMD with its output in LOG and bash's "Aborted" job
# message silenced; returns CMD's exit status.
quiet() {
    local log=$1 rc
    shift
    rc=$(exec 2>/dev/null; "$@" >"$log" 2>&1 </dev/null; echo $?)
    return "$rc"
}
status=0
for bug in $bugs; do
    rm -rf "${t:?}"/*
    mkdir "$t/corpus" "$t/art"
    if program "$bug" >"$t/prog.txt"; then
        "$sa/seamfuzz" encode --spec "$spec" "$t/prog.txt" -o "$t/min" || { status=1; continue; }
        how="documented sequence"
    else
        seed=1
        [ "$bug" = realloc_ptr ] && seed=2
        cp "$root"/corpus/$ex/* "$t/corpus/"
        quiet "$t/fuzz.log" "$lf/fuzz_${ex}_$bug" -seed=$seed -runs=3000000 \
            -max_total_time=300 -dict="$root/dictionaries/$ex.dict" \
            -artifact_prefix="$t/art/" "$t/corpus"
        crash=$(find "$t/art" -type f | head -1)
        if [ "$bug" = layout ]; then
            # SF-150 fires at start-up, before any input: any input replays it.
            printf '' >"$t/min"
            how="empty input; the report comes at start-up"
        elif [ -z "$crash" ]; then
            echo "FAIL $bug: no crash found"
            status=1
            continue
        else
            quiet "$t/min.log" "$lf/fuzz_${ex}_$bug" -minimize_crash=1 -runs=50000 \
                -exact_artifact_path="$t/min" "$crash"
            [ -s "$t/min" ] || cp "$crash" "$t/min"
            how="fuzzed, seed $seed, minimised"
        fi
    fi
    if quiet "$t/bug.log" "$sa/fuzz_${ex}_$bug" "$t/min"; then
        echo "FAIL $bug: the crash does not replay on the standalone variant"
        status=1
        continue
    fi
    if ! quiet "$t/clean.log" "$sa/fuzz_$ex" "$t/min"; then
        echo "FAIL $bug: the crash also fails on the clean standalone build"
        status=1
        continue
    fi
    cp "$t/min" "$out/$bug.bin"
    # Its saved report (the finding block): names the binary, for
    # `seamfuzz repro $bug.bin` with no other argument.
    sed -n '/^SEAMFUZZ-VIOLATION: /,/^SEAMFUZZ-JSON: /p' "$t/bug.log" >"$out/$bug.log"
    # The text form marks the failing op the report names.
    "$sa/seamfuzz" show --spec "$spec" "$out/$bug.bin" >"$out/$bug.txt"
    id=$(sed -n 's/^SEAMFUZZ-VIOLATION: \(SF-[0-9]*\).*/\1/p' "$t/bug.log" | head -1)
    kind=$(sed -n 's/^KIND: //p' "$t/bug.log" | head -1)
    echo "saved $bug ($how): $(wc -c <"$out/$bug.bin") bytes, replays $id${kind:+ ($kind)}"
done
exit $status
