#!/usr/bin/env bash
# fault_full_disk.sh SRC BIN CRASH WORK - a full disk: the store lives
# on a small tmpfs (a private mount namespace) that is then filled; filing
# another finding fails with one clear line and exit 2, and the finding
# already stored is intact; the nightly job on that disk exits 2 (an
# infrastructure error), not 0 or 1.
set -uo pipefail
src=$1 bin=$2 c1=$3 work=$4
rm -rf "$work"
mkdir -p "$work/disk"
# A second testcase of the same bug (bytes after the crashing program).
c2=$work/second
{ cat "$c1"; printf '\377\377\377tail'; } >"$c2"
unshare -m true 2>/dev/null || { echo "SKIP: no private mount namespace (unshare -m) here"; exit 77; }
exec unshare -m bash -s -- "$src" "$bin" "$c1" "$c2" "$work" <<'INNER'
set -uo pipefail
src=$1 bin=$2 c1=$3 c2=$4 work=$5
fail() { echo "FAIL: $*"; exit 1; }
sf=$(dirname "$bin")/seamfuzz
mount -t tmpfs -o size=4m none "$work/disk" || fail "cannot mount a tmpfs"
"$sf" store add "$work/disk/store" "$c1" --bin "$bin" >/dev/null
[ $? = 1 ] || fail "the first finding was not filed"
before=$(cd "$work/disk/store" && find . -type f ! -name lock -exec md5sum {} + | sort)
dd if=/dev/zero of="$work/disk/fill" bs=64k 2>/dev/null
"$sf" store add "$work/disk/store" "$c2" --bin "$bin" >"$work/add.log" 2>&1
rc=$?
cat "$work/add.log"
[ $rc = 2 ] || fail "store add on a full disk exited $rc, expected 2"
grep -q 'No space left on device' "$work/add.log" || fail "no clear 'No space left on device' line"
[ "$(wc -l <"$work/add.log")" -le 2 ] || fail "more than a line or two of error"
after=$(cd "$work/disk/store" && find . -type f ! -name lock ! -path './incoming/*' -exec md5sum {} + | sort)
[ "$before" = "$after" ] || fail "the finding already stored changed"
"$sf" store list "$work/disk/store" >/dev/null || fail "the store does not list"
# The disk fills up in the middle of filing: room for the incoming copy and
# the entry's new testcase, none for the rewritten meta (tmpfs counts 4 KiB
# pages).  The meta must stay the old one, whole.
rm -f "$work/disk/fill"
meta_before=$(md5sum <"$work/disk/store"/*/meta)
free=$(( $(stat -f -c '%a' "$work/disk") * $(stat -f -c '%S' "$work/disk") ))
dd if=/dev/zero of="$work/disk/fill" bs=4096 count=$(( free / 4096 - 2 )) 2>/dev/null
"$sf" store add "$work/disk/store" "$c2" --bin "$bin" >"$work/add2.log" 2>&1
rc=$?
cat "$work/add2.log"
[ $rc = 2 ] || fail "filing with room for two pages exited $rc, expected 2"
[ "$(md5sum <"$work/disk/store"/*/meta)" = "$meta_before" ] || fail "the meta changed: torn by a full disk"
"$sf" store list "$work/disk/store" >/dev/null || fail "the store does not list after the second full disk"
bash "$src/ci/nightly.sh" --target x --label "$(basename "$bin")" --bin "$bin" --seconds 3 --jobs 1 \
    --replays 1 --work "$work/disk/job" >"$work/nightly.log" 2>&1
rc=$?
tail -3 "$work/nightly.log"
[ $rc = 2 ] || fail "ci/nightly.sh on a full disk exited $rc, expected 2"
echo "ok: full disk: one clear error, exit 2, nothing stored lost"
INNER
