#!/usr/bin/env bash
# adopt_test.sh SRC BUILD WORK - seamfuzz adopted from outside its tree, as
# another repository would (issue 13, docs/adopting.md): install the build
# (cmake --install), copy examples/docidx and its spec to a project folder of
# their own, configure that project against the installed seamfuzz
# (find_package), build it with its one seam_add_fuzzer() call and fuzz it.
# Checks: the install holds no path into the source or build tree; the
# generated dictionary and corpus exist; the intercepted functions are
# wrapped (the generated wrap list reached the link); GO_LDFLAGS reached `go
# build`; 2,000 runs on the corpus end clean; the same project next to a
# seamfuzz checkout added with add_subdirectory builds and runs too; asking
# the install for another engine fails with one clear line.
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: $0 SRC BUILD WORK" >&2; exit 2; }
src=$(cd "$1" && pwd) build=$(cd "$2" && pwd) work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && work=$(cd "$work" && pwd) || exit 2
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { tail -20 "$work/install.log"; fail "cmake --install"; }
for f in bin/seamfuzz lib/libseam.a lib/libseamprog.a include/seamfuzz/sf_run.h \
    include/seamfuzz/sf_desc.h share/seamfuzz/engines/sf_standalone.c \
    lib/cmake/SeamFuzz/SeamFuzzConfig.cmake lib/cmake/SeamFuzz/SeamFuzzTargets.cmake; do
    [ -e "$prefix/$f" ] || fail "the install has no $f"
done
# Relocatable: nothing installed names the trees it came from.
if grep -rlF -e "$src" -e "$build" "$prefix/lib/cmake" "$prefix/include" "$prefix/share"; then
    fail "installed files name the source or build tree"
fi
echo "ok: installed to $prefix"

# The project: docidx's code and spec, nothing else of seamfuzz's tree.
proj=$work/docidx
mkdir -p "$proj"
cp -r "$src/examples/docidx/rust" "$src/examples/docidx/go" "$src/examples/docidx/include" \
    "$src/examples/docidx/CMakeLists.txt" "$proj/"
rm -rf "$proj/rust/target"
cp "$src/harness/docidx/docidx.seam" "$proj/docidx.seam"
b=$work/build
cmake -S "$proj" -B "$b" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_PREFIX_PATH="$prefix" -DDOCIDX_SPEC="$proj/docidx.seam" >"$work/configure.log" 2>&1 ||
    { tail -20 "$work/configure.log"; fail "configuring the project"; }
cmake --build "$b" -j2 >"$work/build.log" 2>&1 || { grep -m10 -i error "$work/build.log"; fail "building the project"; }
bin=$b/fuzz_docidx
[ -x "$bin" ] || fail "no $bin"
gen=$b/seam-gen/fuzz_docidx
[ -s "$gen/docidx.dict" ] || fail "no generated dictionary"
n=$(ls "$gen/corpus" | wc -l)
[ "$n" -ge 40 ] || fail "the generated corpus has $n seeds"
grep -qa 'docidx_fuzz' "$bin" || fail "the GO_LDFLAGS label is not in the binary"
echo "ok: built $bin ($n seeds, GO_LDFLAGS applied)"

# nested_calls LOG FUNC: the "nested" column of FUNC's row in the profile.
nested_calls() { awk -v f="$2" '$1 == f { print $3; exit }' "$1"; }
mkdir "$work/corpus" && cp "$gen/corpus"/* "$work/corpus/"
rc=$(exec 2>/dev/null; "$bin" -seed=1 -runs=2000 -seam_profile=1 -dict="$gen/docidx.dict" \
    "$work/corpus" >"$work/fuzz.log" 2>&1; echo $?)
[ "$rc" -eq 0 ] || { tail -30 "$work/fuzz.log"; fail "fuzzing exited $rc"; }
grep -q '^Done 2000 runs' "$work/fuzz.log" || fail "no 'Done 2000 runs' line"
! grep -q '^SEAMFUZZ-VIOLATION' "$work/fuzz.log" || fail "a report on correct code"
# Go's calls into Rust went through the shims: the wrap list reached the link.
k=$(nested_calls "$work/fuzz.log" di_index_open)
[ "${k:-0}" -gt 0 ] || fail "no nested di_index_open call was seen: the wrap list did not reach the link"
echo "ok: 2,000 runs clean, $k of Go's di_index_open calls intercepted"

# The other way in: seamfuzz's checkout added with add_subdirectory next to the
# project, whose find_package(SeamFuzz) then finds that tree.
top=$work/super
mkdir -p "$top"
cat >"$top/CMakeLists.txt" <<EOT
cmake_minimum_required(VERSION 3.25)
project(super LANGUAGES C)
add_subdirectory("$src" seamfuzz)
add_subdirectory("$proj" docidx)
EOT
cmake -S "$top" -B "$work/build-sub" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDOCIDX_SPEC="$proj/docidx.seam" >"$work/configure-sub.log" 2>&1 ||
    { tail -20 "$work/configure-sub.log"; fail "configuring with add_subdirectory"; }
cmake --build "$work/build-sub" -j2 --target fuzz_docidx >"$work/build-sub.log" 2>&1 ||
    { grep -m10 -i error "$work/build-sub.log"; fail "building with add_subdirectory"; }
sub=$work/build-sub/fuzz_docidx
[ -x "$sub" ] || fail "no $sub"
[ ! -e "$work/build-sub/seamfuzz/harness" ] || fail "add_subdirectory built seamfuzz's own fuzz targets"
rc=$(exec 2>/dev/null; "$sub" -seed=1 -runs=500 -seam_profile=1 "$work/corpus" >"$work/fuzz-sub.log" 2>&1; echo $?)
[ "$rc" -eq 0 ] && grep -q '^Done 500 runs' "$work/fuzz-sub.log" ||
    { tail -20 "$work/fuzz-sub.log"; fail "add_subdirectory: fuzzing exited $rc"; }
! grep -q '^SEAMFUZZ-VIOLATION' "$work/fuzz-sub.log" || fail "add_subdirectory: a report on correct code"
k=$(nested_calls "$work/fuzz-sub.log" di_index_open)
[ "${k:-0}" -gt 0 ] || fail "add_subdirectory: no nested di_index_open call was seen"
echo "ok: with add_subdirectory, built and 500 runs clean, $k nested calls intercepted"

out=$(cmake -S "$proj" -B "$work/build-afl" -DCMAKE_C_COMPILER=clang -DCMAKE_PREFIX_PATH="$prefix" \
    -DSEAM_ENGINE=afl 2>&1) && fail "configuring for another engine succeeded"
# CMake reflows a message over lines: read it as one.
msg=$(printf '%s\n' "$out" | tr -s '\n ' '  ' | grep -o 'this seamfuzz .* or drop -DSEAM_ENGINE')
printf '%s\n' "$msg" | grep -q "was built for SEAM_ENGINE=libfuzzer, not afl" ||
    { printf '%s\n' "$out" | tail -8; fail "no clear message for the wrong engine"; }
echo "ok: the wrong engine is refused: $msg"
echo "adopt: passed"
