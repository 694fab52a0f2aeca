#!/usr/bin/env bash
# replay.sh - replays one saved bug-zoo crash (tests/bugzoo/crashes/<example>/)
# through a standalone build.  Through the defect's own target it must fail with
# the expected classification; through the example's clean target (--clean) the
# same program must run with no report.
#
#   replay.sh BIN CRASH ID KIND [FLAG ...]   ID: SF-xxx; KIND: regex of the KIND: line, or "-"
#   (WANT_DETAIL in the environment: a regex the DETAIL: line must match)
#   replay.sh --clean BIN CRASH
#
# FLAGs go to the binary before the crash file (e.g. -seam_model=0).
# Exit 0 when the check passed; the report is printed on failure.
set -uo pipefail

clean=0
if [ "${1:-}" = --clean ]; then
    clean=1
    shift
fi
if { [ $clean = 1 ] && [ $# -ne 2 ]; } || { [ $clean = 0 ] && [ $# -lt 4 ]; }; then
    echo "usage: $0 BIN CRASH ID KIND [FLAG ...] | --clean BIN CRASH" >&2
    exit 2
fi
bin=$1 crash=$2 want_id=${3:-} want_kind=${4:-}
shift 2
[ $clean = 1 ] || shift 2
name=$(basename "$bin")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ulimit -c 0 2>/dev/null || true

# In a subshell with stderr closed, so that bash's "Aborted" line stays out.
rc=$(exec 2>/dev/null; "$bin" "$@" "$crash" >"$log" 2>&1 </dev/null; echo $?)

fail() {
    tail -80 "$log"
    echo "FAIL $name $(basename "$crash"): $1"
    exit 1
}

if [ $clean = 1 ]; then
    [ "$rc" -eq 0 ] || fail "exit status $rc on the clean build"
    ! grep -q '^SEAMFUZZ-VIOLATION: ' "$log" || fail "report on the clean build"
    grep -q 'no finding' "$log" || fail "no 'no finding' line from the standalone engine"
    echo "bugzoo-replay: $(basename "$crash") passes on $name"
    exit 0
fi

[ "$rc" -ne 0 ] || fail "exit status 0: the crash does not reproduce"
got_id=$(sed -n 's/^SEAMFUZZ-VIOLATION: \(SF-[0-9]*\).*/\1/p' "$log" | head -1)
got_kind=$(sed -n '/^SEAMFUZZ-VIOLATION: /,/^SEAMFUZZ-JSON: /s/^KIND: //p' "$log" | head -1)
[ "$got_id" = "$want_id" ] || fail "expected $want_id, got ${got_id:-no report} (exit $rc)"
if [ "$want_kind" != - ]; then
    printf '%s\n' "$got_kind" | grep -Eq "^($want_kind)$" ||
        fail "expected KIND $want_kind, got '$got_kind'"
fi
# WANT_DETAIL (environment): a regex the DETAIL: line must match, e.g. the
# resource or argument block a sanitizer report landed in.
got_detail=$(sed -n '/^SEAMFUZZ-VIOLATION: /,/^SEAMFUZZ-JSON: /s/^DETAIL: //p' "$log" | head -1)
if [ -n "${WANT_DETAIL:-}" ]; then
    printf '%s\n' "$got_detail" | grep -Eq "$WANT_DETAIL" ||
        fail "expected DETAIL matching '$WANT_DETAIL', got '$got_detail'"
fi
echo "bugzoo-replay: $(basename "$crash") on $name${*:+ $*}: $got_id${got_kind:+ ($got_kind)}, exit $rc"
[ -z "${WANT_DETAIL:-}" ] || echo "bugzoo-replay: DETAIL: $got_detail"
