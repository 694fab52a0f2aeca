#!/usr/bin/env bash
# ci/nightly_html.sh WORK - draws WORK/nightly.html from WORK/history.jsonl
# (ci/nightly.sh calls it): coverage per language and findings per status over
# the nightly runs (gnuplot SVGs), and the latest report.
set -euo pipefail
w=$1
h=$w/history.jsonl
[ -s "$h" ] || { echo "ci/nightly_html.sh: $h is empty" >&2; exit 2; }
command -v gnuplot >/dev/null || { echo "ci/nightly_html.sh: gnuplot not found (ci/deps.sh installs it)" >&2; exit 2; }
dat=$w/history.dat
# run date c_hit rust_hit go_hit new known fixed flaky regressed execs corpus
awk '{
    n++; d = $0; sub(/.*"date": "/, "", d); sub(/".*/, "", d)
    split("cov_c cov_rust cov_go", keys, " ")
    for (k = 1; k <= 3; k++) { v = $0; sub(".*\"" keys[k] "\": \\[", "", v); sub(/,.*/, "", v); cov[k] = v }
    split("new known fixed flaky regressed", st, " ")
    for (k = 1; k <= 5; k++) { v = $0; sub(".*\"" st[k] "\": ", "", v); sub(/[,}].*/, "", v); f[k] = v }
    e = $0; sub(/.*"execs": /, "", e); sub(/,.*/, "", e)
    c = $0; sub(/.*"corpus_total": /, "", c); sub(/,.*/, "", c)
    printf "%d %s %s %s %s %s %s %s %s %s %s %s\n", n, d, cov[1], cov[2], cov[3], f[1], f[2], f[3], f[4], f[5], e, c
}' "$h" >"$dat"
runs=$(wc -l <"$dat")
gnuplot <<GP
set terminal svg size 720,320 dynamic font "sans,11"
set key outside right
set grid
set xlabel "nightly run"
set xtics 1
set xrange [0.5:$runs + 0.5]
set output "$w/coverage.svg"
set title "Coverage by language (counters hit)"
plot "$dat" using 1:3 with linespoints title "C", "" using 1:4 with linespoints title "Rust", \
     "" using 1:5 with linespoints title "Go"
set output "$w/findings.svg"
set title "Findings of the target by status"
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.7
set yrange [0:*]
plot "$dat" using 6:xtic(1) title "new", "" using 7 title "known", "" using 8 title "fixed", \
     "" using 9 title "flaky", "" using 10 title "regressed"
GP
esc() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
{
    echo '<!doctype html><html><head><meta charset="utf-8"><title>seamfuzz nightly</title>'
    echo '<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}'
    echo 'td,th{border:1px solid #ccc;padding:2px 8px}pre{background:#f6f6f6;padding:1em;overflow:auto}</style></head><body>'
    echo "<h1>seamfuzz nightly: $(tail -1 "$dat" | awk '{print $2}') ($runs runs)</h1>"
    echo '<p><img src="coverage.svg" alt="coverage by language over the runs"></p>'
    echo '<p><img src="findings.svg" alt="findings by status over the runs"></p>'
    echo '<table><tr><th>run</th><th>date</th><th>C</th><th>Rust</th><th>Go</th><th>new</th><th>known</th><th>fixed</th><th>flaky</th><th>regressed</th><th>execs</th><th>corpus</th></tr>'
    awk '{ printf "<tr>"; for (i = 1; i <= 12; i++) printf "<td>%s</td>", $i; print "</tr>" }' "$dat"
    echo '</table><h2>Latest report</h2><pre>'
    esc <"$w/report.md"
    echo '</pre><p>Files: <a href="report.md">report.md</a>, <a href="report.json">report.json</a>,'
    echo '<a href="report.sarif">report.sarif</a>, <a href="history.jsonl">history.jsonl</a>.</p></body></html>'
} >"$w/nightly.html.tmp"
mv "$w/nightly.html.tmp" "$w/nightly.html"
