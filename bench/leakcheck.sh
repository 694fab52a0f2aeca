#!/usr/bin/env bash
# bench/leakcheck.sh - what the per-input leak check costs on a library with
# process-global state (tests/globalstate/gs.seam: a cache, a registry, a
# thread-local last error): exec/s of gs_clean with the check off
# (-seam_lsan=0), on with the reachability proof (the default, sf_reach.h),
# and on without it (-seam_leak_proof=0, LeakSanitizer after every input that
# leaves a block).  Prints figures; not a timed test.
#
# Usage: bench/leakcheck.sh [--inputs N] [--reps R] [--repeat K]
#   N fixed inputs (default 1000: 1..8 seed programs of the gs corpus back to
#   back, from Python's random.Random(1)), each run R times per measurement
#   (default 3); every configuration measured K times (default 3), the order
#   rotating; exec/s = R*N / (T(1+R) - T(1)) as in bench/runtime.sh, so
#   process start cancels out.  Needs the libfuzzer build (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
n_inputs=1000; reps=3; repeat=3
while [ $# -gt 0 ]; do
    case "$1" in
        --inputs) n_inputs="$2"; shift 2 ;;
        --reps) reps="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set /p' "$0" | sed '$d'; exit 0 ;;
        *) echo "bench/leakcheck.sh: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -f build/libfuzzer/CMakeCache.txt ] || cmake --preset libfuzzer >/dev/null
cmake --build --preset libfuzzer --target gs_clean >/dev/null
bin=build/libfuzzer/bin/gs_clean
corpus=build/libfuzzer/tests/globalstate/gen/corpus
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir "$t/in"
python3 - "$t/in" "$n_inputs" "$corpus" <<'PY'
import os, random, sys
out, n, seeds = sys.argv[1], int(sys.argv[2]), sys.argv[3]
blobs = [open(os.path.join(seeds, x), "rb").read() for x in sorted(os.listdir(seeds))]
rng = random.Random(1)
for i in range(n):
    with open(os.path.join(out, "in%05d" % i), "wb") as f:
        f.write(b"".join(rng.choice(blobs) for _ in range(rng.randint(1, 8))))
PY
files=("$t"/in/*)
echo "== bench/leakcheck.sh: $n_inputs inputs x $reps runs, $repeat repetitions; commit $(git rev-parse --short HEAD)"
echo "load before: $(uptime | sed 's/.*load average/load average/')"
wall() { local t0 t1; t0=$(date +%s%N); "$bin" "$@" "${files[@]}" >"$t/log" 2>&1 ||
    { tail -20 "$t/log"; echo "bench/leakcheck.sh: error: $bin $* failed" >&2; exit 1; }
    t1=$(date +%s%N); echo $((t1 - t0)); }
eps() { local a z; a=$(wall -runs=1 "$@"); z=$(wall -runs=$((1 + reps)) "$@")
    python3 -c "print('%.0f' % ($reps * $n_inputs / (($z - $a) / 1e9)))"; }
configs=("check off|-seam_lsan=0" "check on, proof|-seam_lsan=1" "check on, no proof|-seam_lsan=1 -seam_leak_proof=0")
declare -A res
for k in $(seq 1 "$repeat"); do
    for j in 0 1 2; do
        IFS='|' read -r name flags <<<"${configs[$(( (j + k - 1) % 3 ))]}"
        # shellcheck disable=SC2086
        v=$(eps $flags); res["$name"]+="$v "; echo "  rep $k  $name: $v exec/s"
    done
done
med() { python3 -c "import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print('%.0f %.0f..%.0f' % (statistics.median(v), min(v), max(v)))" $1; }
read -r off _ <<<"$(med "${res[check off]}")"
echo
printf '%-22s %9s %14s %10s\n' configuration exec/s spread vs-off
for c in "check off" "check on, proof" "check on, no proof"; do
    read -r m sp <<<"$(med "${res[$c]}")"
    printf '%-22s %9s %14s %9sx\n' "$c" "$m" "$sp" "$(python3 -c "print('%.2f' % ($m / $off))")"
done
SEAM_PROFILE=1 "$bin" -runs=1 "${files[@]}" 2>&1 | grep '^SEAMFUZZ-LEAKCHECK' | sed 's/^/proof counters, one pass: /'
echo "load after: $(uptime | sed 's/.*load average/load average/')"
