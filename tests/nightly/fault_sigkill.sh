#!/usr/bin/env bash
# fault_sigkill.sh SRC BUGGY WORK - the nightly job SIGKILLed (its whole process
# group, as a machine that dies) while fuzzing, while minimizing and while
# merging the corpus; after each kill the store and the corpus parse; then a
# normal run finishes (exit 0 or 1) and every crash file any engine of any of
# the runs wrote is in the store, incoming/ empty (a run killed before it filed
# a crash file leaves it in its folder; the next run's recovery files it).
set -uo pipefail
src=$1 bin=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
sf=$(dirname "$bin")/seamfuzz
label=$(basename "$bin")
rm -rf "$work"
mkdir -p "$work"
# Every crash file any engine wrote is in the store: filed (t-*) or waiting
# in incoming/ (compared by content).
check_all_kept() {
    local have missing=0 f
    have=$(find "$work/job/findings" -type f \( -name 't-*' -o -path '*/incoming/*' \) \
        -exec md5sum {} + 2>/dev/null | awk '{print $1}' | sort -u)
    for f in "$work"/job/runs/*/crashes/*; do
        [ -f "$f" ] || continue
        case $f in *.log) continue ;; esac
        if ! grep -qx "$(md5sum <"$f" | awk '{print $1}')" <<<"$have"; then
            echo "lost: $f"
            missing=1
        fi
    done
    return $missing
}
for phase in fuzz minimize "merge the corpus"; do
    setsid bash "$src/ci/nightly.sh" --target "$label" --label "$label" --bin "$bin" --seconds 12 \
        --jobs 2 --replays 1 --work "$work/job" >"$work/killed.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        grep -q "^== nightly: $phase" "$work/killed.log" && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.1
    done
    grep -q "^== nightly: $phase" "$work/killed.log" || { cat "$work/killed.log"; fail "the job never reached '$phase'"; }
    [ "$phase" = fuzz ] && sleep 4 # kill it mid-campaign, once crashes were written
    kill -KILL -- -$pid 2>/dev/null
    wait $pid 2>/dev/null
    echo "killed during: $phase"
    "$sf" store list "$work/job/findings" >/dev/null || fail "the store does not parse after the kill during '$phase'"
    "$bin" -runs=0 "$work/job/corpus" >/dev/null 2>&1 || fail "the corpus does not load after the kill during '$phase'"
done
bash "$src/ci/nightly.sh" --target "$label" --label "$label" --bin "$bin" --seconds 4 --jobs 2 \
    --replays 1 --work "$work/job" >"$work/after.log" 2>&1
rc=$?
[ $rc -le 1 ] || { cat "$work/after.log"; fail "the run after the kills exited $rc"; }
[ -z "$(ls -A "$work/job/findings/incoming")" ] || fail "incoming/ is not empty after a normal run"
check_all_kept || fail "a crash file is missing after the normal run"
[ -z "$(find "$work/job/findings" -maxdepth 1 -name '*.tmp.*')" ] ||
    echo "note: a temporary entry folder of a killed run is left (ignored by the store)"
echo "ok: killed while fuzzing, minimizing and merging: nothing lost, the next run finished"
