#!/usr/bin/env bash
# ci/coverage.sh - one coverage report over C, Rust and Go, plus the contract
# coverage of the spec, from replaying a corpus through a coverage build.
# Usage: ci/coverage.sh [--target NAME]... [--corpus DIR] [--out DIR] [--bin FILE]...
#   --target NAME  fuzz target of this build (default: every user-facing one)
#   --corpus DIR   inputs to replay (default: each target's seed corpus)
#   --out DIR      where the report goes (default out/coverage); index.html is the page
#   --bin FILE     a fuzz binary built elsewhere with SANITIZER=coverage (ci/build.sh);
#                  its corpus must then be given with --corpus
# Without --bin it configures and builds the "coverage" preset first (clang 19,
# whose profile format matches rustc's; docs/coverage.md).
# Exit status: 0 report written, 2 usage, build or tool error.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD

die() { echo "ci/coverage.sh: error: $*" >&2; exit 2; }
targets=()
bins=()
corpus=""
out=out/coverage
while [ $# -gt 0 ]; do
    case "$1" in
        --target|--corpus|--out|--bin)
            [ $# -ge 2 ] || die "$1 needs a value (see ci/coverage.sh --help)"
            case "$1" in
                --target) targets+=("$2") ;;
                --corpus) corpus="$2" ;;
                --out) out="$2" ;;
                --bin) bins+=("$2") ;;
            esac
            shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (see ci/coverage.sh --help)" ;;
    esac
done
[ -z "$corpus" ] || [ -d "$corpus" ] || die "--corpus $corpus is not a folder"
[ ${#bins[@]} -eq 0 ] || [ -n "$corpus" ] || die "--bin needs --corpus (a binary built elsewhere has no seed corpus here)"
[ ${#bins[@]} -eq 0 ] || [ ${#targets[@]} -eq 0 ] || die "give --target or --bin, not both"

# name <TAB> binary <TAB> corpus, one line per target to replay.
list=$(mktemp)
trap 'rm -f "$list"' EXIT
if [ ${#bins[@]} -gt 0 ]; then
    for b in "${bins[@]}"; do
        [ -x "$b" ] || die "--bin $b is not an executable"
        printf '%s\t%s\t%s\n' "$(basename "$b")" "$(cd "$(dirname "$b")" && pwd)/$(basename "$b")" \
            "$corpus" >>"$list"
    done
else
    bash ci/deps.sh
    export PATH="$HOME/.cargo/bin:$PATH"
    cmake --preset coverage >/dev/null || die "cmake --preset coverage failed (see above)"
    manifest=build/coverage/seam-fuzzers.tsv
    [ -f "$manifest" ] || die "$manifest missing (the configure step writes it)"
    known=$(awk -F'\t' '!/^#/ && NF {print $1}' "$manifest" | tr '\n' ' ')
    for t in "${targets[@]}"; do
        grep -q "^$t	" "$manifest" || grep -q "^fuzz_$t	" "$manifest" ||
            die "unknown target '$t' (known: $known)"
    done
    while IFS=$'\t' read -r name bin dict corp _mutator; do
        case $name in '' | '#'*) continue ;; esac
        if [ ${#targets[@]} -gt 0 ]; then
            want=0
            for t in "${targets[@]}"; do [ "$t" = "$name" ] || [ "fuzz_$t" = "$name" ] && want=1; done
            [ $want = 1 ] || continue
        fi
        printf '%s\t%s\t%s\n' "$name" "$bin" "${corpus:-$corp}" >>"$list"
        cmake --build --preset coverage --target "$name" >/dev/null || die "building $name failed"
    done <"$manifest"
fi

# The LLVM tools of the compiler that built the binary (its build info names it).
llvm_bin() {
    local cc dir
    cc=$(objcopy --dump-section seamfuzz_info=/dev/stdout "$1" 2>/dev/null | tr -d '\0' |
        sed -n 's/^cc=//p')
    for dir in "$(dirname "$(readlink -f "${cc:-/nonexistent}")")" /usr/lib/llvm-19/bin; do
        if [ -x "$dir/llvm-profdata" ] && [ -x "$dir/llvm-cov" ]; then echo "$dir"; return; fi
    done
    die "no llvm-profdata/llvm-cov next to ${cc:-the compiler of $1} or in /usr/lib/llvm-19/bin (apt-get install llvm-19)"
}
go_bin=/usr/lib/go-1.23/bin/go
[ -x "$go_bin" ] || go_bin=$(command -v go || true)
[ -n "$go_bin" ] || die "go not found (run ci/deps.sh)"

mkdir -p "$out"
out=$(cd "$out" && pwd)
std_re='(/rustc/|/rust/deps/|/\.cargo/registry/|/library/(std|core|alloc)/)'

# html_escape < text
html_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }

index="$out/index.html"
{
    echo '<!doctype html><html><head><meta charset="utf-8"><title>seamfuzz coverage</title>'
    echo '<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}'
    echo 'td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}'
    echo '.z{background:#fdd}.p{background:#ffd}.f{background:#dfd}</style></head><body>'
    echo "<h1>seamfuzz coverage</h1><p>$(date -u '+%Y-%m-%d %H:%M UTC'): C and Rust from LLVM source"
    echo 'coverage, Go from the Go toolchain'"'"'s coverage of the c-archive, contract coverage from'
    echo 'the seamfuzz runtime. Red: never reached; yellow: partly; green: all.</p>'
} >"$index"

while IFS=$'\t' read -r name bin corp; do
    [ -d "$corp" ] || die "$name: corpus $corp is not a folder"
    w="$out/$name"
    rm -rf "$w"
    mkdir -p "$w/raw/prof" "$w/raw/go"
    llvm=$(llvm_bin "$bin")
    info=$(objcopy --dump-section seamfuzz_info=/dev/stdout "$bin" 2>/dev/null | tr -d '\0' || true)
    godir=$(sed -n 's/^source_dirs=//p' <<<"$info" | tr ':' '\n' |
        while read -r d; do [ -f "$d/go.mod" ] && echo "$d" && break; done || true)

    # Replay: every input once, in as few processes as possible; an input
    # that crashes ends its process, and the replay goes on after it.
    mapfile -t files < <(find "$corp" -type f | LC_ALL=C sort)
    [ ${#files[@]} -gt 0 ] || die "$name: corpus $corp has no files"
    crashed=()
    i=0
    while [ $i -lt ${#files[@]} ]; do
        log=$w/raw/replay.log
        set +e
        SEAM_COVERAGE_DIR=$w/raw GOCOVERDIR=$w/raw/go LLVM_PROFILE_FILE="$w/raw/prof/%p-%m.profraw" \
            "$bin" "${files[@]:$i}" >"$log" 2>&1
        rc=$?
        set -e
        [ $rc -eq 0 ] && break
        last=$(grep -a '^Running: ' "$log" | tail -1 | sed 's/^Running: //')
        [ -n "$last" ] || die "$name: $bin failed before running an input (see $log)"
        crashed+=("$last")
        j=$i
        while [ $j -lt ${#files[@]} ] && [ "${files[$j]}" != "$last" ]; do j=$((j + 1)); done
        i=$((j + 1))
    done

    # C and Rust: one profile, one table.
    shopt -s nullglob
    profs=("$w/raw/prof/"*.profraw)
    shopt -u nullglob
    [ ${#profs[@]} -gt 0 ] || die "$name: no profile was written: is $bin a coverage build (SANITIZER=coverage, preset coverage)?"
    "$llvm/llvm-profdata" merge -sparse -o "$w/cov.profdata" "${profs[@]}"
    "$llvm/llvm-cov" report "$bin" -instr-profile="$w/cov.profdata" >"$w/llvm-report.txt" 2>/dev/null
    "$llvm/llvm-cov" show "$bin" -instr-profile="$w/cov.profdata" -format=html \
        -output-dir="$w/html" -ignore-filename-regex="$std_re" >/dev/null 2>&1 || true
    # file <TAB> lang <TAB> lines <TAB> lines hit <TAB> functions <TAB> functions hit
    files_tsv=$w/files.tsv
    awk -v std="$std_re" 'NR > 2 && NF >= 13 && $1 !~ /^-/ && $1 != "TOTAL" {
            f = $1; lang = ""
            if (f ~ /\.rs$/) lang = (f ~ std ? "" : "Rust")
            else if (f ~ /\.[ch]$/) lang = "C"
            if (lang == "" || $8 == 0) next
            printf "%s\t%s\t%d\t%d\t%d\t%d\n", f, lang, $8, $8 - $9, $5, $5 - $6
        }' "$w/llvm-report.txt" >"$files_tsv"

    # Go: statements per file and functions from the Go toolchain.
    if compgen -G "$w/raw/go/covmeta.*" >/dev/null; then
        "$go_bin" tool covdata textfmt -i="$w/raw/go" -o "$w/go.cov"
        "$go_bin" tool covdata func -i="$w/raw/go" >"$w/go-func.txt"
        awk 'NR > 1 { split($1, a, ":"); f = a[1]; if (f ~ /\/sf_go_cover\.go$/) next
                n = $2; seen[f] += n; key = f SUBSEP $1; if ($3 > 0 && !(key in hit)) { hit[key] = 1; h[f] += n } }
             END { for (f in seen) printf "%s\t%d\t%d\n", f, seen[f], h[f] }' "$w/go.cov" |
            LC_ALL=C sort >"$w/go-lines.tsv"
        awk '$1 != "total" && $1 !~ /sf_go_cover\.go/ { split($1, a, ":"); f = a[1]
                fn[f]++; if ($NF + 0 > 0) fh[f]++ }
             END { for (f in fn) printf "%s\t%d\t%d\n", f, fn[f], fh[f] }' "$w/go-func.txt" |
            LC_ALL=C sort >"$w/go-funcs.tsv"
        LC_ALL=C join -t $'\t' "$w/go-lines.tsv" "$w/go-funcs.tsv" |
            awk -F'\t' '{ printf "%s\tGo\t%d\t%d\t%d\t%d\n", $1, $2, $3, $4, $5 }' >>"$files_tsv"
        if [ -n "$godir" ]; then
            grep -v '/sf_go_cover\.go:' "$w/go.cov" >"$w/go-user.cov" || true
            (cd "$godir" && GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local \
                "$go_bin" tool cover -html="$w/go-user.cov" -o "$w/go.html") 2>/dev/null || true
        fi
    fi

    # Contract coverage: the processes' counts summed.
    cat "$w/raw/contract/"*.txt 2>/dev/null | awk '
        $1 == "func" { k = "func " $2; if (!(k in n)) order[++m] = k; n[k] = 1
                       for (i = 3; i < NF; i += 2) v[k, $i] += $(i + 1); names[k] = $0 }
        $1 == "error" { k = "error " $2 " " $3; if (!(k in n)) order[++m] = k; n[k] = 1; c[k] += $4 }
        $1 == "state" { k = "state " $2 " " $3 " " $4; if (!(k in n)) order[++m] = k; n[k] = 1; c[k] += $5 }
        END { for (i = 1; i <= m; i++) { k = order[i]; split(k, p, " ")
                if (p[1] == "func") printf "func %s calls %d ok %d failed %d rejected %d nested %d\n", p[2],
                    v[k, "calls"], v[k, "ok"], v[k, "failed"], v[k, "rejected"], v[k, "nested"]
                else print k, c[k] } }' >"$w/contract.txt"

    # The summary: per language, then per file.
    summary=$(awk -F'\t' '{ l[$2] += $3; lh[$2] += $4; f[$2] += $5; fh[$2] += $6; nf[$2]++ }
        END { for (g in l) printf "%s\t%d\t%d\t%d\t%d\t%d\n", g, nf[g], l[g], lh[g], f[g], fh[g] }' \
        "$files_tsv" | LC_ALL=C sort)
    pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.1f%%", 100 * a / b }'; }
    echo "== $name: ${#files[@]} inputs replayed from $corp${crashed:+, ${#crashed[@]} crashed}"
    printf '%-8s %5s  %-22s %s\n' language files "lines (Go: statements)" functions
    while IFS=$'\t' read -r g nf l lh f fh; do
        printf '%-8s %5d  %-22s %s\n' "$g" "$nf" "$lh/$l $(pct "$lh" "$l")" "$fh/$f $(pct "$fh" "$f")"
    done <<<"$summary"
    awk '$1 == "func" { n++; if ($4 > 0) c++ } END { printf "contract: %d of %d spec functions called\n", c, n }' \
        "$w/contract.txt"
    for f in "${crashed[@]}"; do echo "crashed (its coverage is partial): $f"; done

    {
        echo "<h2>$name</h2><p>${#files[@]} inputs replayed from <code>$(html_escape <<<"$corp")</code>."
        [ ${#crashed[@]} -eq 0 ] || echo " ${#crashed[@]} crashed; the coverage of a crashing input is partial."
        echo ' Sources: <a href="'"$name"'/html/index.html">C and Rust (llvm-cov)</a>'
        [ -f "$w/go.html" ] && echo ', <a href="'"$name"'/go.html">Go (go tool cover)</a>'
        echo '.</p><table><tr><th>language</th><th>files</th><th>lines (Go: statements)</th><th>%</th><th>functions</th><th>%</th></tr>'
        while IFS=$'\t' read -r g nf l lh f fh; do
            echo "<tr><td>$g</td><td>$nf</td><td>$lh / $l</td><td>$(pct "$lh" "$l")</td><td>$fh / $f</td><td>$(pct "$fh" "$f")</td></tr>"
        done <<<"$summary"
        echo '</table><table><tr><th>file</th><th>language</th><th>lines</th><th>%</th><th>functions</th><th>%</th></tr>'
        LC_ALL=C sort -t $'\t' -k2,2 -k1,1 "$files_tsv" | while IFS=$'\t' read -r f g l lh fn fnh; do
            cls=p
            [ "$lh" -eq 0 ] && cls=z
            [ "$lh" -eq "$l" ] && cls=f
            echo "<tr class=\"$cls\"><td>$(html_escape <<<"$f")</td><td>$g</td><td>$lh / $l</td><td>$(pct "$lh" "$l")</td><td>$fnh / $fn</td><td>$(pct "$fnh" "$fn")</td></tr>"
        done
        echo '</table><h3>Contract coverage</h3><table><tr><th>function</th><th>calls</th><th>ok</th><th>failed</th>'
        echo '<th>rejected</th><th>nested</th><th>declared errors seen</th><th>resource states seen</th></tr>'
        awk '$1 == "func" { order[++m] = $2; row[$2] = $0 }
             $1 == "error" { e[$2] = e[$2] (e[$2] ? " " : "") ($4 > 0 ? $3 "&times;" $4 : "<b>" $3 ": 0</b>") }
             $1 == "state" && $5 > 0 { s[$2] = s[$2] (s[$2] ? " " : "") $3 "=" $4 "&times;" $5 }
             END { for (i = 1; i <= m; i++) { f = order[i]; split(row[f], r, " ")
                     cls = r[4] == 0 ? "z" : (r[8] == 0 && r[10] == 0 ? "p" : "f")
                     printf "<tr class=\"%s\"><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr>\n",
                        cls, f, r[4], r[6], r[8], r[10], r[12], e[f] ? e[f] : "-", s[f] ? s[f] : "-" } }' \
            "$w/contract.txt"
        echo '</table><p>Red: never called; yellow: never failed; bold: a declared error never seen.</p>'
    } >>"$index"
done <"$list"
echo '</body></html>' >>"$index"
echo "ci/coverage.sh: report: $index"
