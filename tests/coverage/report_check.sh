#!/usr/bin/env bash
# report_check.sh SRC_ROOT BIN CORPUS SPEC WORK - ci/coverage.sh on a coverage
# binary: C, Rust and Go each have files with covered lines, the crate's and
# the Go package's files are listed (not only the standard libraries'), the
# HTML pages exist, and the contract coverage lists every spec function with
# calls, declared errors and resource states.
set -uo pipefail
src=$1 bin=$2 corpus=$3 spec=$4 work=$5
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
bash "$src/ci/coverage.sh" --bin "$bin" --corpus "$corpus" --out "$work" >"$work.log" 2>&1 ||
    { cat "$work.log"; fail "ci/coverage.sh failed"; }
cat "$work.log"
t=$(basename "$bin")
files=$work/$t/files.tsv
for lang in C Rust Go; do
    line=$(grep -E "^$lang +[0-9]+ +[0-9]+/[0-9]+" "$work.log") || fail "no $lang line in the summary"
    hit=$(awk '{split($3, a, "/"); print a[1]}' <<<"$line")
    [ "$hit" -gt 0 ] || fail "$lang: no line covered ($line)"
done
rs=$(awk -F'\t' '$2 == "Rust" && $4 > 0 && $1 ~ /\/rust\/src\//' "$files" | wc -l)
gofiles=$(awk -F'\t' '$2 == "Go" && $4 > 0' "$files" | wc -l)
[ "$rs" -gt 0 ] || fail "no file of the crate with covered lines"
[ "$gofiles" -gt 0 ] || fail "no Go file with covered statements"
! grep -q 'sf_go_cover.go' "$files" || fail "seamfuzz's own Go helper is listed as the user's code"
[ -f "$work/$t/html/index.html" ] || fail "no llvm-cov HTML"
grep -q 'option value="file0"' "$work/$t/go.html" 2>/dev/null || fail "no Go HTML with sources"
want=$(grep -cE '^\s*fn\b' "$spec")
got=$(grep -c '^func ' "$work/$t/contract.txt")
[ "$got" = "$want" ] || fail "contract coverage lists $got functions, the spec has $want"
called=$(awk '$1 == "func" && $4 > 0' "$work/$t/contract.txt" | wc -l)
[ "$called" -gt 0 ] || fail "contract coverage: no function called"
grep -q '^error ' "$work/$t/contract.txt" || fail "contract coverage: no declared error listed"
grep -qE '^state .* live [1-9]' "$work/$t/contract.txt" || fail "contract coverage: no live resource argument seen"
grep -q '<h3>Contract coverage</h3>' "$work/index.html" || fail "index.html has no contract table"
echo "ok: coverage report of $t: $rs crate files, $gofiles Go files, $called/$want spec functions called"
