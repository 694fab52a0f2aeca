#!/usr/bin/env bash
# ci/test.sh - build seamfuzz for every engine and run the whole test suite.
# Usage: ci/test.sh [--engine libfuzzer|afl|standalone]...   (default: all three;
#        libfuzzer brings the "selffuzz" build of seamfuzz's own fuzz harnesses
#        and the "coverage" build of ci/coverage.sh)
# Exit status is the result.  The last line is "seamfuzz: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

engines=()
while [ $# -gt 0 ]; do
    case "$1" in
        --engine) [ $# -ge 2 ] || { echo "ci/test.sh: error: --engine needs a value (libfuzzer|afl|standalone)" >&2; exit 2; }
                  engines+=("$2"); shift 2 ;;
        --engine=*) engines+=("${1#--engine=}"); shift ;;
        -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
        *) echo "ci/test.sh: error: unknown argument '$1' (see ci/test.sh --help)" >&2; exit 2 ;;
    esac
done
[ ${#engines[@]} -gt 0 ] || engines=(libfuzzer afl standalone)
for e in "${engines[@]}"; do
    case "$e" in libfuzzer|afl|standalone) ;; *)
        echo "ci/test.sh: error: unknown engine '$e' (libfuzzer|afl|standalone)" >&2; exit 2 ;;
    esac
done

bash ci/deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

# The fuzz harnesses of seamfuzz's own code (program layer, spec parser) live
# in a build of their own, where those libraries carry coverage; so does the
# source-coverage build of ci/coverage.sh.  Both go with the libFuzzer build.
for e in "${engines[@]}"; do
    [ "$e" = libfuzzer ] && engines+=(selffuzz coverage) && break
done

for e in "${engines[@]}"; do
    echo "== configure + build: $e"
    cmake --preset "$e" >/dev/null
    cmake --build --preset "$e"
done

passed=0; failed=0; rc=0
for e in "${engines[@]}"; do
    echo "== ctest: $e"
    log=$(mktemp)
    if ! ctest --preset "$e" -j2 2>&1 | tee "$log"; then rc=1; fi
    # "100% tests passed, 0 tests failed out of 12"
    line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
    if [ -n "$line" ]; then
        total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
        nf=$(sed -E 's/.*, ([0-9]+) tests? failed.*/\1/' <<<"$line")
        passed=$((passed + total - nf)); failed=$((failed + nf))
    elif grep -q 'No tests were found' "$log"; then
        :
    else
        rc=1
    fi
    rm -f "$log"
done
[ "$failed" -eq 0 ] || rc=1
echo "seamfuzz: $passed passed, $failed failed"
exit $rc
