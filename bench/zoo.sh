#!/usr/bin/env bash
# bench/zoo.sh - the bug-zoo benchmark, Magma-style: for every seeded defect of
# docs/bugzoo.md x fuzzer configuration x trial, fuzz the defect's variant for T
# seconds and record the time to detection (first crash whose report matches the
# defect's signature in bench/zoo_bugs.tsv), exec/s and coverage at the end.
# Method and columns: bench/README.md.
#
# Usage: bench/zoo.sh [options]
#   --example EX           bytebridge (default; bench/zoo_bugs.tsv) or docidx
#                          (bench/zoo_bugs_docidx.tsv)
#   --seconds T            fuzzing time per trial (default 300)
#   --trials N             trials per bug and configuration (default 5); trial k uses seed k
#   --bugs a,b             defects to run (default: every one in bench/zoo_bugs.tsv)
#   --configs x,y          configurations (default: all six, see --list)
#   --jobs J               trials run at once (default 1; one core each)
#   --out DIR              results folder (default bench/results, bench/results-docidx)
#   --build-libfuzzer DIR  libFuzzer build folder (default build/libfuzzer)
#   --build-afl DIR        AFL++ build folder (default build/afl)
#   --stop-on-find         end a trial at its first detection instead of at T
#   --summary-only         only rebuild summary.md, summary.csv and bugs_over_time.png
#   --list                 print the configurations and defects, then exit
# Resumable: every finished trial is one row of DIR/results.csv; a rerun skips
# the (bug, config, trial) rows already there.  Exit status 0, or 2 on a usage
# or setup error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

ex=bytebridge
seconds=300
trials=5
bugs_arg=
configs_arg=
jobs=1
out=
build_lf=build/libfuzzer
build_afl=build/afl
stop_on_find=0
summary_only=0
list_only=0

die() {
    echo "bench/zoo.sh: error: $*" >&2
    exit 2
}
need_arg() { [ "$2" -ge 2 ] || die "$1 needs a value (see bench/zoo.sh --help)"; }
while [ $# -gt 0 ]; do
    case "$1" in
    --example) need_arg "$1" $#; ex=$2; shift 2 ;;
    --seconds) need_arg "$1" $#; seconds=$2; shift 2 ;;
    --trials) need_arg "$1" $#; trials=$2; shift 2 ;;
    --bugs) need_arg "$1" $#; bugs_arg=$2; shift 2 ;;
    --configs) need_arg "$1" $#; configs_arg=$2; shift 2 ;;
    --jobs) need_arg "$1" $#; jobs=$2; shift 2 ;;
    --out) need_arg "$1" $#; out=$2; shift 2 ;;
    --build-libfuzzer) need_arg "$1" $#; build_lf=$2; shift 2 ;;
    --build-afl) need_arg "$1" $#; build_afl=$2; shift 2 ;;
    --stop-on-find) stop_on_find=1; shift ;;
    --summary-only) summary_only=1; shift ;;
    --list) list_only=1; shift ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see bench/zoo.sh --help)" ;;
    esac
done
for v in seconds trials jobs; do
    case ${!v} in '' | *[!0-9]* | 0) die "--$v '${!v}' is not a positive whole number" ;; esac
done

case $ex in
bytebridge) tsv=$root/bench/zoo_bugs.tsv ;;
docidx) tsv=$root/bench/zoo_bugs_docidx.tsv ;;
*) die "unknown example '$ex' (bytebridge or docidx)" ;;
esac
[ -n "$out" ] || { out=bench/results; [ "$ex" = bytebridge ] || out=bench/results-$ex; }
[ -f "$tsv" ] || die "$tsv not found"
# The signature rows, without comments and the header line.
sig_rows=$(grep -v '^#' "$tsv" | tail -n +2)
# "clean" is the control: the unmodified archives, where every crash is a
# false positive (or a real bug); it gives exec/s and coverage at T.
all_bugs="$(printf '%s\n' "$sig_rows" | cut -f1 | awk '!seen[$0]++')
clean"

# Configurations: name -> engine, binary prefix, seeds, dictionary, cmplog.
# bytebridge also has the cargo-fuzz and go-test-fuzz style harnesses.
all_configs="seamfuzz-libfuzzer seamfuzz-afl seamfuzz-afl-cmplog baseline-libfuzzer"
[ "$ex" = bytebridge ] && all_configs="$all_configs rustonly-libfuzzer goonly-libfuzzer"
config_engine() { case $1 in *-afl | *-afl-cmplog) echo afl ;; *) echo libfuzzer ;; esac; }
# The binary's name after fuzz_: the generated harness is named after the
# example, bytebridge's hand-written ones after themselves, docidx's
# baseline docidx_baseline.
config_harness() {
    case ${1%%-*} in
    seamfuzz) echo "$ex" ;;
    *) if [ "$ex" = bytebridge ]; then echo "${1%%-*}"; else echo "${ex}_${1%%-*}"; fi ;;
    esac
}
# Only seamfuzz has a generated seed corpus and dictionary; the hand-written
# harnesses start from nothing, as their users' would.
config_seeded() { case $1 in seamfuzz-*) return 0 ;; *) return 1 ;; esac; }

if [ "$list_only" = 1 ]; then
    echo "configurations: $all_configs"
    echo "defects: $(echo $all_bugs)"
    exit 0
fi

bugs=$all_bugs
[ -z "$bugs_arg" ] || bugs=$(echo "$bugs_arg" | tr ',' ' ')
configs=$all_configs
[ -z "$configs_arg" ] || configs=$(echo "$configs_arg" | tr ',' ' ')
for b in $bugs; do
    printf '%s\n' "$all_bugs" | grep -qx -- "$b" || die "unknown defect '$b' (see --list)"
done
for c in $configs; do
    case " $all_configs " in *" $c "*) ;; *) die "unknown configuration '$c' (see --list)" ;; esac
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
results=$out/results.csv
header="bug,config,trial,seconds,found,ttd_s,detector,execs,exec_per_s,cov,ft,cov_c,cov_rust,cov_c_rust,cov_go,other_crashes,restarts,end_s,status"
[ -s "$results" ] || echo "$header" >"$results"

# ---- summary ------------------------------------------------------------------

# Writes summary.csv, summary.md and bugs_over_time.png from results.csv.
summarize() {
    local csv=$out/summary.csv md=$out/summary.md dat=$out/bugs_over_time.dat ncol
    awk -F, -v csv="$csv" -v md="$md" -v dat="$dat" -v order="$all_configs" '
    function isort(a, n,    i, j, t) {
        for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    }
    function median(a, n) { if (n == 0) return ""; isort(a, n); return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    function fmti(x) { return x == "" ? "-" : sprintf("%.0f", x) }
    # Median of the values of column name over the full-length trials of config c.
    function cmed(c, name,    i, m, a) {
        m = 0
        for (i = 1; i <= nrow[c]; i++) if (val[c, i, name] != "" && full[c, i]) a[++m] = val[c, i, name] + 0
        return median(a, m)
    }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
        b = $col["bug"]; c = $col["config"]; k = $col["trial"]; T = $col["seconds"] + 0
        key = b SUBSEP c
        if (!(b in seenb)) { seenb[b] = 1; bl[++nb] = b }
        seenc[c] = 1
        n[key]++; Tof[key] = T; if (T > Tmax) Tmax = T
        oth[key] += $col["other_crashes"]
        if ($col["found"] == 1) { f[key]++; tt[key, f[key]] = $col["ttd_s"] + 0; sumt[key] += $col["ttd_s"] + 0 }
        else sumt[key] += T
        # Every row of config c, for the exec/s and coverage medians.
        r = ++nrow[c]; full[c, r] = ($col["end_s"] + 0 >= 0.95 * T)
        split("exec_per_s cov cov_rust cov_c_rust cov_go", names, " ")
        for (i in names) val[c, r, names[i]] = $col[names[i]]
        if (b != "clean") {
            if (!((c, k) in seenk)) { seenk[c, k] = 1; ntr[c]++; tr[c, ntr[c]] = k }
            if ($col["found"] == 1) ftm[c, k, ++nft[c, k]] = $col["ttd_s"] + 0
        }
    }
    END {
        nconf = split(order, cl, " ")
        print "level,bug,config,trials,found,median_ttd_s,rmst_s,other_crashes,bugs_run,bugs_found_any,bugs_found_all,full_trials,median_exec_per_s,median_cov,median_cov_rust,median_cov_c_rust,median_cov_go" > csv
        print "# Bug-zoo benchmark summary\n" > md
        print "T = " Tmax " s per trial. Method and columns: bench/README.md.\n" > md
        print "## Per configuration\n" > md
        print "exec/s and coverage: medians over the trials that ran the full T (\"full\").\n" > md
        print "| config | bugs run | found (>= 1 trial) | found (all trials) | full | median exec/s | cov at T | Rust | C+Rust | Go |" > md
        print "|---|---|---|---|---|---|---|---|---|---|" > md
        for (ci = 1; ci <= nconf; ci++) {
            c = cl[ci]; if (!(c in seenc)) continue
            run = 0; fa = 0; fall = 0; nfull = 0
            for (bi = 1; bi <= nb; bi++) {
                key = bl[bi] SUBSEP c; if (!(key in n) || bl[bi] == "clean") continue
                run++; if (f[key] > 0) fa++; if (f[key] == n[key]) fall++
            }
            for (i = 1; i <= nrow[c]; i++) nfull += full[c, i]
            me = cmed(c, "exec_per_s"); mc = cmed(c, "cov"); mr = cmed(c, "cov_rust")
            mcr = cmed(c, "cov_c_rust"); mg = cmed(c, "cov_go")
            printf "config,,%s,%d,,,,,%d,%d,%d,%d,%s,%s,%s,%s,%s\n", c, nrow[c], run, fa, fall, nfull, me, mc, mr, mcr, mg > csv
            printf "| %s | %d | %d | %d | %d/%d | %s | %s | %s | %s | %s |\n", c, run, fa, fall, nfull, nrow[c],
                fmti(me), fmti(mc), fmti(mr), fmti(mcr), fmti(mg) > md
        }
        print "\n## Per bug and configuration\n" > md
        print "found = trials that detected the bug / trials. Median TTD: Kaplan-Meier median, censored at T (\"> T\" when fewer than half the trials found it). RMST: restricted mean time to detection, the mean of min(TTD, T). other = crashes that did not match the bug (for clean: false positives or real bugs).\n" > md
        print "| bug | config | found | median TTD (s) | RMST (s) | other |" > md
        print "|---|---|---|---|---|---|" > md
        for (bi = 1; bi <= nb; bi++) for (ci = 1; ci <= nconf; ci++) {
            b = bl[bi]; c = cl[ci]; key = b SUBSEP c; if (!(key in n)) continue
            m = f[key] + 0; delete a; for (i = 1; i <= m; i++) a[i] = tt[key, i]; isort(a, m)
            need = int((n[key] + 1) / 2)   # the first time S(t) <= 0.5
            med = (m >= need) ? a[need] : ""
            rmst = sumt[key] / n[key]
            printf "bug,%s,%s,%d,%d,%s,%.2f,%d,,,,,,,,,\n", b, c, n[key], m, med, rmst, oth[key] > csv
            if (b == "clean")
                printf "| clean | %s | - | - | - | %d |\n", c, oth[key] > md
            else
                printf "| %s | %s | %d/%d | %s | %.1f | %d |\n", b, c, m, n[key],
                    (med == "" ? "> " Tof[key] : sprintf("%.1f", med)), rmst, oth[key] > md
        }
        # Distinct bugs found by time t, mean over trial numbers, per config;
        # t on a log grid from 0.1 s to T (most finds come early).
        steps = 200
        printf "t" > dat
        for (ci = 1; ci <= nconf; ci++) if (cl[ci] in seenc) printf "\t%s", cl[ci] > dat
        printf "\n" > dat
        for (s = 0; s <= steps; s++) {
            t = 0.1 * exp(log(Tmax / 0.1) * s / steps); printf "%.3f", t > dat
            for (ci = 1; ci <= nconf; ci++) {
                c = cl[ci]; if (!(c in seenc)) continue
                tot = 0
                for (j = 1; j <= ntr[c]; j++) { k = tr[c, j]; for (i = 1; i <= nft[c, k]; i++) if (ftm[c, k, i] <= t) tot++ }
                printf "\t%.3f", (ntr[c] ? tot / ntr[c] : 0) > dat
            }
            printf "\n" > dat
        }
    }' "$results"
    ncol=$(head -1 "$dat" | awk -F'\t' '{ print NF }')
    if [ "$ncol" -gt 1 ] && command -v gnuplot >/dev/null; then
        gnuplot 2>"$out/gnuplot.log" <<EOF || echo "bench/zoo.sh: warning: gnuplot failed ($out/gnuplot.log); the data is in $dat" >&2
set terminal pngcairo size 900,560
set output '$out/bugs_over_time.png'
set title 'Bug zoo: distinct bugs found over time (mean over trials)'
set xlabel 'time (s, log scale)'
set logscale x
set ylabel 'bugs found'
set key left top
set grid
set yrange [0:*]
set datafile separator tab
plot for [i=2:$ncol] '$dat' using 1:i with steps linewidth 2 title columnheader(i)
EOF
    fi
    echo "bench/zoo.sh: summary in $out/summary.md, $out/summary.csv, $out/bugs_over_time.png"
}


# Writes summary.csv, summary.md and bugs_over_time.png from results.csv.

if [ "$summary_only" = 1 ]; then
    summarize
    exit 0
fi

# ---- setup checks -------------------------------------------------------------

bin_path() { # config bug
    local dir=$build_lf
    [ "$(config_engine "$1")" = afl ] && dir=$build_afl
    local suffix=_$2
    [ "$2" != clean ] || suffix=
    echo "$dir/bin/fuzz_$(config_harness "$1")$suffix"
}
# The AFL++ custom mutator library of a generated harness (docs/runtime.md).
mutator_path() { # config
    echo "$build_afl/bin/fuzz_$(config_harness "$1")_mutator.so"
}
missing=
for c in $configs; do
    for b in $bugs; do
        p=$(bin_path "$c" "$b")
        [ -x "$p" ] || missing="$missing $p"
    done
    case $c in seamfuzz-afl*)
        p=$(mutator_path "$c")
        [ -f "$p" ] || missing="$missing $p" ;;
    esac
done
if [ -n "$missing" ]; then
    echo "bench/zoo.sh: error: fuzz binaries missing:" >&2
    for p in $missing; do echo "  $p" >&2; done
    cat >&2 <<EOF
Build them with (or your own folders and --build-libfuzzer/--build-afl):
  cmake --preset libfuzzer -DSEAM_BENCH_VARIANTS=ON && cmake --build --preset libfuzzer --target bench_variants
  cmake --preset afl -DSEAM_BUGZOO=ON && cmake --build --preset afl --target bugzoo fuzz_$ex seam_mutator_fuzz_$ex
EOF
    exit 2
fi
if printf '%s\n' $configs | grep -q afl; then
    command -v afl-fuzz >/dev/null || die "afl-fuzz not found (apt-get install afl++)"
fi
seeds_dir=$root/corpus/$ex
dict=$root/dictionaries/$ex.dict
[ -d "$seeds_dir" ] || die "$seeds_dir not found"

# ---- one trial ----------------------------------------------------------------

# Seconds since $1 ($EPOCHREALTIME format), one decimal.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# Prints the detector of the first signature row of defect $1 that log $2
# matches, and returns 1 when none does.  "any" rows report the seamfuzz id
# when the log has one, else "raw".
classify() {
    local bug=$1 log=$2 b d k l id
    while IFS=$'\t' read -r b _ _ d k l; do
        [ "$b" = "$bug" ] || continue
        if [ "$d" != any ]; then
            grep -q "^SEAMFUZZ-VIOLATION: $d " "$log" || continue
        fi
        [ "$k" = - ] || grep -Eq -- "$k" "$log" || continue
        [ "$l" = - ] || grep -Eq -- "$l" "$log" || continue
        if [ "$d" = any ]; then
            id=$(grep -m1 -o '^SEAMFUZZ-VIOLATION: SF-[0-9]*' "$log" | cut -d' ' -f2 || true)
            d=${id:-raw}
        fi
        echo "$d"
        return 0
    done <<<"$sig_rows"
    return 1
}

# Coverage of libFuzzer corpus $2 under binary $1, split by language: replays
# the corpus once with -print_coverage=1.  C and Rust PCs are symbolised
# (COVERED_FUNC lines); Go's PC table is synthetic, so Go is the total minus
# those.  Prints "c rust go" or nothing when the replay crashed.
lf_cov_split() {
    local log=$3
    timeout -k 5 300 "$1" -runs=0 -print_coverage=1 "$2" >"$log" 2>&1 || true
    grep -q '^COVERAGE:' "$log" || return 0
    awk '/INITED cov:|DONE +cov:/ { for (i = 1; i <= NF; i++) if ($i == "cov:") tot = $(i + 1) }
         /^COVERED_FUNC:/ { split($5, e, "/"); f = $NF; sub(/:[0-9]+$/, "", f)
                            if (f ~ /\.c$/) c += e[1]; else r += e[1] }
         END { if (tot != "") print c + 0, r + 0, tot - c - r }' "$log"
}

# Runs one libFuzzer trial in the current folder; sets the r_* result variables.
run_libfuzzer() { # bin bug config trial
    local bin=$1 bug=$2 cfg=$3 trial=$4
    local t0=$EPOCHREALTIME k=0 quick=0 refound=0 rem el rc r0 dur log det n c
    local dictarg=()
    mkdir -p corpus crashes
    if config_seeded "$cfg"; then
        cp "$seeds_dir"/* corpus/
        dictarg=(-dict="$dict")
    fi
    while :; do
        el=$(since "$t0")
        rem=$(awk -v t="$seconds" -v e="$el" 'BEGIN { r = int(t - e); print (r < 0 ? 0 : r) }')
        [ "$rem" -ge 1 ] || break
        log=run-$k.log
        r0=$EPOCHREALTIME
        set +e
        timeout -k 10 $((rem + 60)) "$bin" -max_total_time="$rem" -seed=$((trial + 1000 * k)) \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=crashes/ \
            "${dictarg[@]}" corpus >"$log" 2>&1 </dev/null
        rc=$?
        set -e
        dur=$(since "$r0")
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        [ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
        r_execs=$((r_execs + ${n:-0}))
        c=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
        if [ -n "$c" ]; then
            set -- $c
            [ "$2" -le "${r_cov:-0}" ] || r_cov=$2
            [ "$4" -le "${r_ft:-0}" ] || r_ft=$4
        fi
        [ "$rc" -ne 0 ] || { rm -f "$log"; break; }
        if det=$(classify "$bug" "$log"); then
            refound=$((refound + 1))
            if [ "$r_found" = 0 ]; then
                r_found=1
                r_ttd=$(since "$t0")
                r_detector=$det
                mv "$log" found.log
                [ "$stop_on_find" = 0 ] || break
            else
                rm -f "$log" # the same bug again
            fi
        else
            refound=0
            r_other=$((r_other + 1))
            # Keep the first few unmatched reports for triage, not hundreds.
            [ "$r_other" -le 5 ] && mv "$log" "other-$r_other.log" || rm -f "$log"
        fi
        # A target that dies at once on every start (a corpus input that
        # crashes, a finding at initialisation) would spin here until T.
        if awk -v d="$dur" 'BEGIN { exit !(d < 2) }'; then quick=$((quick + 1)); else quick=0; fi
        if [ "$quick" -ge 20 ]; then
            r_status='crash-loop'
            [ "$refound" -lt 20 ] || r_status='refound-loop'
            break
        fi
        k=$((k + 1))
        r_restarts=$k
    done
    r_end=$(since "$t0")
    r_eps=$(awk -v e="$r_execs" -v t="$r_end" 'BEGIN { printf "%.0f", (t > 0 ? e / t : 0) }')
    set -- $(lf_cov_split "$bin" corpus coverage.log)
    if [ $# -eq 3 ]; then
        r_cov_c=$1 r_cov_rust=$2 r_cov_c_rust=$(($1 + $2)) r_cov_go=$3
    fi
}

# Replays the AFL++ crashes not yet seen (at most 50 in all, in the order
# found), each with symbols because AFL++ keeps no report, and classifies them;
# the name's time: is ms since the start.  Uses afl_seen and the r_* variables.
afl_scan_crashes() { # bin bug
    local bin=$1 bug=$2 f ms det
    [ -d afl/default/crashes ] || return 0
    for f in $(ls afl/default/crashes | grep '^id:' | sort | head -50 | tail -n +$((afl_seen + 1))); do
        afl_seen=$((afl_seen + 1))
        ASAN_OPTIONS=symbolize=1:detect_leaks=1:abort_on_error=1 \
            timeout -k 5 60 "$bin" "afl/default/crashes/$f" >"replay-$afl_seen.log" 2>&1 </dev/null || true
        if det=$(classify "$bug" "replay-$afl_seen.log"); then
            if [ "$r_found" = 0 ]; then
                ms=$(echo "$f" | sed -n 's/.*,time:\([0-9]*\).*/\1/p')
                r_found=1
                r_ttd=$(awk -v m="${ms:-0}" 'BEGIN { printf "%.1f", m / 1000 }')
                r_detector=$det
                mv "replay-$afl_seen.log" found.log
            else
                rm -f "replay-$afl_seen.log"
            fi
            continue
        fi
        r_other=$((r_other + 1))
        [ "$r_other" -le 5 ] || rm -f "replay-$afl_seen.log"
    done
}

# Runs one AFL++ trial in the current folder; sets the r_* result variables.
# With --stop-on-find the crashes are replayed while afl-fuzz runs (polled each
# second) and the first one that matches ends the trial, as under libFuzzer.
run_afl() { # bin bug config trial mutator-library
    local bin=$1 bug=$2 cfg=$3 trial=$4 mut=$5
    local t0=$EPOCHREALTIME cmp=() st range lo hi s pid
    afl_seen=0
    mkdir -p in
    cp "$seeds_dir"/* in/
    [ "$cfg" = seamfuzz-afl-cmplog ] && cmp=(-c 0)
    # seamfuzz's op-level mutations next to AFL++'s own (the libFuzzer
    # configurations get them through the harness's custom mutator hooks).
    AFL_CUSTOM_MUTATOR_LIBRARY=$mut \
    ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 \
        AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1 \
        timeout -k 10 $((seconds + 120)) afl-fuzz -V "$seconds" -s "$trial" -m none -t 5000 \
        "${cmp[@]}" -x "$dict" -i in -o afl -- "$bin" >afl.log 2>&1 </dev/null &
    pid=$!
    if [ "$stop_on_find" = 1 ]; then
        while kill -0 "$pid" 2>/dev/null; do
            sleep 1
            afl_scan_crashes "$bin" "$bug"
            # timeout passes SIGTERM on; afl-fuzz then writes its stats and exits.
            [ "$r_found" = 0 ] || { kill -TERM "$pid" 2>/dev/null || true; break; }
        done
    fi
    wait "$pid" || true
    # A stopped afl-fuzz can leave its persistent-mode child behind, stopped
    # (SIGSTOP between inputs) and adopted by init (it has its own session):
    # kill those of this binary; a running trial's children are not init's.
    ps -eo pid=,ppid=,stat=,args= | awk -v b="$bin" '$2 == 1 && $3 ~ /^T/ && $4 == b { print $1 }' |
        xargs -r kill -KILL 2>/dev/null || true
    r_end=$(since "$t0")
    st=afl/default/fuzzer_stats
    if [ -f "$st" ]; then
        r_execs=$(sed -n 's/^execs_done *: *//p' "$st")
        r_eps=$(sed -n 's/^execs_per_sec *: *//p' "$st" | awk '{ printf "%.0f", $1 }')
        r_cov=$(sed -n 's/^edges_found *: *//p' "$st")
    else
        r_status=afl-failed
    fi
    if [ "$r_found" = 0 ] || [ "$stop_on_find" = 0 ]; then
        afl_scan_crashes "$bin" "$bug"
    fi
    # afl-fuzz refuses to start when every seed crashes (a finding at
    # initialisation): replay one seed to see whether that is the bug.
    if [ "$r_found" = 0 ] && [ ! -f "$st" ]; then
        s=$(ls in | head -1)
        ASAN_OPTIONS=symbolize=1:detect_leaks=1:abort_on_error=1 \
            timeout -k 5 60 "$bin" "in/$s" >seed-replay.log 2>&1 </dev/null || true
        if det=$(classify "$bug" seed-replay.log); then
            r_found=1 r_ttd=$(since "$t0") r_detector=$det r_status=found-at-start
            mv seed-replay.log found.log
        fi
    fi
    # Go's counters have their own AFL edge ids (harness/engines/sf_afl_bridge.c);
    # the rest are C and Rust, which share one guard section.  A trial that
    # stopped at its find has no coverage at T to split.
    if [ -d afl/default/queue ] && [ -n "$r_cov" ] && { [ "$stop_on_find" = 0 ] || [ "$r_found" = 0 ]; }; then
        s=$(ls afl/default/queue | grep '^id:' | head -1 || true)
        rm -f afl-debug.txt
        SEAM_AFL_DEBUG=$PWD/afl-debug.txt timeout -k 5 60 "$bin" "afl/default/queue/$s" >/dev/null 2>&1 </dev/null || true
        range=$(sed -n 's/.*edge ids \([0-9]*\)\.\.\([0-9]*\).*/\1 \2/p' afl-debug.txt 2>/dev/null | head -1 || true)
        if [ -n "$range" ]; then
            set -- $range
            lo=$1 hi=$2
            ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
                timeout -k 5 300 afl-showmap -C -i afl/default/queue -o edges.txt -m none -t 5000 \
                -- "$bin" >showmap.log 2>&1 </dev/null || true
            if [ -s edges.txt ]; then
                set -- $(awk -F: -v lo="$lo" -v hi="$hi" '{ if ($1 + 0 >= lo && $1 + 0 <= hi) g++; else o++ }
                    END { print o + 0, g + 0 }' edges.txt)
                r_cov_c_rust=$1 r_cov_go=$2
            fi
        fi
    fi
}

# Runs trial $4 of defect $2 under configuration $3 ($1 = its plan number) and
# appends its row to results.csv.
run_trial() {
    local idx=$1 bug=$2 cfg=$3 trial=$4
    local dir=$out/trials/$bug/$cfg/$trial bin msg why mut=
    if [ "$(config_engine "$cfg")" = afl ]; then
        # Absolute, as bin: the trial runs in its own folder.
        mut=$(mutator_path "$cfg")
        mut=$(cd "$(dirname "$mut")" && pwd)/$(basename "$mut")
    fi
    bin=$(bin_path "$cfg" "$bug")
    bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
    rm -rf "$dir"
    mkdir -p "$dir"
    r_found=0 r_ttd='' r_detector='' r_execs=0 r_eps='' r_cov='' r_ft='' r_cov_c='' r_cov_rust='' r_cov_c_rust=''
    r_cov_go='' r_other=0 r_restarts=0 r_end='' r_status=ok
    (
        cd "$dir"
        if [ "$(config_engine "$cfg")" = afl ]; then
            run_afl "$bin" "$bug" "$cfg" "$trial" "$mut"
        else
            run_libfuzzer "$bin" "$bug" "$cfg" "$trial"
        fi
        # The corpus can be rebuilt from the seed; the trial folder keeps the
        # logs, the crashes and the coverage report.
        rm -rf corpus in
        echo "$bug,$cfg,$trial,$seconds,$r_found,$r_ttd,$r_detector,$r_execs,$r_eps,$r_cov,$r_ft,$r_cov_c,$r_cov_rust,$r_cov_c_rust,$r_cov_go,$r_other,$r_restarts,$r_end,$r_status" >row.csv
    ) 2>>"$dir/trial.err" # the shell's "Aborted" notes of crashing runs
    flock "$results.lock" sh -c "cat '$dir/row.csv' >>'$results'"
    IFS=, read -r _ _ _ _ r_found r_ttd r_detector _ r_eps _ _ _ _ _ _ r_other _ _ r_status <"$dir/row.csv"
    if [ "$r_found" = 1 ]; then
        msg="found in $r_ttd s ($r_detector)"
    else
        msg="not found in $seconds s"
    fi
    [ "$r_other" = 0 ] || msg="$msg; $r_other other crash(es)"
    [ "$r_status" = ok ] || msg="$msg; $r_status"
    if [ "$r_status" = afl-failed ]; then
        # Say why, so that a setup error does not pass for a miss.
        why=$(sed -n 's/\x1b\[[0-9;]*m//g; s/.*PROGRAM ABORT : *//p' "$dir/afl.log" 2>/dev/null | head -1)
        msg="$msg (afl-fuzz: ${why:-no stats written; see $dir/afl.log})"
    fi
    echo "[$idx/$total] $bug $cfg trial $trial: $msg; ${r_eps:-?} exec/s"
}

# ---- the plan -----------------------------------------------------------------

plan=()
for b in $bugs; do
    for c in $configs; do
        for ((t = 1; t <= trials; t++)); do
            plan+=("$b $c $t")
        done
    done
done
total=${#plan[@]}

# Ctrl-C or kill: stop every fuzzer this script started (each timeout runs in a
# process group of its own, so the terminal's signal does not reach it).
killtree() {
    local c
    for c in $(pgrep -P "$1" || true); do killtree "$c"; done
    kill -TERM "$1" 2>/dev/null || true
}
on_signal() {
    local j
    for j in $(jobs -p); do killtree "$j"; done
    wait
    echo "bench/zoo.sh: interrupted; finished trials are in $results, a rerun resumes" >&2
    exit 130
}
trap on_signal INT TERM
done_keys=$(tail -n +2 "$results" | cut -d, -f1-3)
ndone=0
echo "bench/zoo.sh: $total trial(s) of ${seconds}s, $jobs at a time; results in $results"
i=0
for p in "${plan[@]}"; do
    i=$((i + 1))
    set -- $p
    if printf '%s\n' "$done_keys" | grep -qx -- "$1,$2,$3"; then
        ndone=$((ndone + 1))
        continue
    fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n || true
    done
    run_trial "$i" "$1" "$2" "$3" &
done
wait
[ "$ndone" = 0 ] || echo "bench/zoo.sh: $ndone trial(s) were already in $results (skipped)"
summarize
