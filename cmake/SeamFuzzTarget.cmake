# SeamFuzzTarget.cmake - seam_add_fuzzer(): one fuzz binary from a spec (or a
# C harness), a Rust staticlib and a Go c-archive, for the engine chosen by
# SEAM_ENGINE.
#
#   seam_add_fuzzer(<name>
#       SPEC <file.seam>              # generate harness, dictionary, corpus and
#                                     # wrap list from it at build time
#     | HARNESS <file.c> [<more sources>...] [SPEC <file.seam>] [WRAP_FILE <name.wrap>]
#       RUST_CRATE <dir> [RUST_FEATURES <f>...]
#       GO_PACKAGE <dir> [GO_TAGS <t>...] [GO_LDFLAGS <flag>...]
#       [ENGINES <engine>...]         # build it only for these SEAM_ENGINE values
#       [INCLUDES <dir>...] [DEFINES <d>...]
#       [DICT <file>] [CORPUS <dir>]  # with HARNESS: what ships with the target
#       [INTERNAL]                    # a benchmark or test target: never shipped
#       [NO_RUNTIME]                  # hand-written harness that does not use libseam
#       [MAIN])                       # a program with its own main(): no engine glue
#
# With SPEC alone (docs/adopting.md), the generated files are in
# ${CMAKE_CURRENT_BINARY_DIR}/seam-gen/<name>/ and the target's properties
# SEAM_DICT and SEAM_CORPUS name the dictionary and the seed corpus folder;
# every function the spec marks `intercept` is wrapped.  With HARNESS, SPEC
# only names the spec for the build info (default: the one seam_generate()
# made the harness from) and WRAP_FILE names the wrap list.  Either list
# reaches the linker as a response file made at build time
# (-Wl,@seam-wrap/<name>.rsp, cmake/SeamWrapRsp.cmake).
# RUST_FEATURES and GO_TAGS also take one comma-separated value.
#
# Every target that is neither INTERNAL nor MAIN is a user-facing fuzzer: it is
# listed, with its dictionary and corpus, in ${CMAKE_BINARY_DIR}/seam-fuzzers.tsv
# (written at the end of the configure step), which ci/build.sh ships to $OUT.

# Flags per engine (documented in docs/build.md):
#   libfuzzer   C: -fsanitize=fuzzer-no-link   Rust: inline 8-bit counters, pc-table,
#               trace-compares   Go: -d=libfuzzer counters     link: -fsanitize=fuzzer
#   afl         C and Rust: trace-pc-guard (+trace-cmp for cmplog)   Go: -d=libfuzzer
#               counters, folded into AFL's map by harness/engines/sf_afl_bridge.c
#               link: libAFLDriver.a + afl-compiler-rt-64.o
#   standalone  no coverage; harness/engines/sf_standalone.c replays files/folders
# Sanitizers (SEAM_SANITIZERS) apply to C always; to Rust when the nightly toolchain
# is present (-Zsanitizer=address; a loud warning otherwise); to Go via -asan.
# The archives are rebuilt only when their sources change (cargo and go are not run
# by a no-op rebuild).

include(${CMAKE_CURRENT_LIST_DIR}/SeamGen.cmake)

find_program(SEAM_CARGO cargo HINTS $ENV{HOME}/.cargo/bin)
find_program(SEAM_RUSTUP rustup HINTS $ENV{HOME}/.cargo/bin)
find_program(SEAM_GO go HINTS /usr/lib/go-1.23/bin /usr/lib/go-1.19/bin NO_DEFAULT_PATH)
if(NOT SEAM_GO)
  find_program(SEAM_GO go)
endif()
if(NOT SEAM_CARGO)
  message(FATAL_ERROR "seamfuzz: cargo not found; run ci/deps.sh (or install Rust with rustup)")
endif()
if(NOT SEAM_GO)
  message(FATAL_ERROR "seamfuzz: go not found in /usr/lib/go-1.23/bin or PATH; run ci/deps.sh")
endif()

# Does the Rust side get AddressSanitizer?  Only with a nightly toolchain:
# RUSTUP_TOOLCHAIN's when it names one (OSS-Fuzz pins a dated nightly there),
# else any installed nightly ("nightly", "nightly-2024-07-12", ...).
# SEAM_RUST_TOOLCHAIN is the one cargo runs with (+<toolchain>).
set(SEAM_RUST_ASAN OFF)
set(SEAM_RUST_TOOLCHAIN "")
if(SEAM_SANITIZERS MATCHES "address" OR SEAM_OSSFUZZ)
  set(_sf_cands "")
  if(DEFINED ENV{RUSTUP_TOOLCHAIN} AND "$ENV{RUSTUP_TOOLCHAIN}" MATCHES "^nightly")
    list(APPEND _sf_cands "$ENV{RUSTUP_TOOLCHAIN}")
  endif()
  if(SEAM_RUSTUP)
    execute_process(COMMAND ${SEAM_RUSTUP} toolchain list OUTPUT_VARIABLE _sf_tcs ERROR_QUIET)
    string(REGEX MATCHALL "(^|\n)nightly[^ \n]*" _sf_tcs "${_sf_tcs}")
    foreach(t ${_sf_tcs})
      string(STRIP "${t}" t)
      list(APPEND _sf_cands ${t})
    endforeach()
  endif()
  foreach(t ${_sf_cands})
    execute_process(COMMAND ${SEAM_RUSTUP} run ${t} rustc --version
      RESULT_VARIABLE _sf_nightly OUTPUT_QUIET ERROR_QUIET)
    if(_sf_nightly EQUAL 0)
      set(SEAM_RUST_TOOLCHAIN ${t})
      break()
    endif()
  endforeach()
endif()
if(SEAM_SANITIZERS MATCHES "address")
  if(SEAM_RUST_TOOLCHAIN)
    set(SEAM_RUST_ASAN ON)
  elseif(SEAM_OSSFUZZ)
    message(FATAL_ERROR "seamfuzz: no Rust nightly toolchain (RUSTUP_TOOLCHAIN='$ENV{RUSTUP_TOOLCHAIN}', "
      "none in `rustup toolchain list`): an address build would fuzz the Rust side without "
      "AddressSanitizer. Fix: rustup toolchain install nightly, or set RUSTUP_TOOLCHAIN to one")
  else()
    message(WARNING "seamfuzz: Rust nightly toolchain NOT found: the Rust archive is built "
      "WITHOUT AddressSanitizer (memory errors inside Rust code go undetected). "
      "Fix: rustup toolchain install nightly")
  endif()
endif()
# The caller's RUSTFLAGS (OSS-Fuzz's --cfg fuzzing, -Cinstrument-coverage for
# coverage builds) come first and are kept; seamfuzz's are added after them.
set(SEAM_RUSTFLAGS_USER "$ENV{RUSTFLAGS}")

# A coverage build links C and Rust profile data into one binary, whose one
# profile runtime reads both: clang's and rustc's LLVM must write the same raw
# profile format (clang 14 and rustc's LLVM 22 do not: the run crashes or
# writes a profile llvm-profdata rejects; clang 19 and LLVM 22 agree).
if(SEAM_COVERAGE)
  find_program(SEAM_RUSTC rustc HINTS $ENV{HOME}/.cargo/bin)
  execute_process(COMMAND ${SEAM_RUSTC} -vV OUTPUT_VARIABLE _sf_rv ERROR_QUIET)
  string(REGEX MATCH "LLVM version: ([0-9]+)" _m "${_sf_rv}")
  set(_sf_rllvm "${CMAKE_MATCH_1}")
  string(REGEX MATCH "^[0-9]+" _sf_cllvm "${CMAKE_C_COMPILER_VERSION}")
  if(_sf_rllvm AND _sf_cllvm AND NOT _sf_rllvm EQUAL _sf_cllvm
      AND (_sf_rllvm LESS 19 OR _sf_cllvm LESS 19))
    message(FATAL_ERROR "seamfuzz: coverage build: ${CMAKE_C_COMPILER} is LLVM ${_sf_cllvm} and rustc "
      "is LLVM ${_sf_rllvm}; their profile formats differ, so one binary cannot hold both. "
      "Fix: CC=clang-19 (apt-get install clang-19 libclang-rt-19-dev), or a Rust toolchain on LLVM ${_sf_cllvm}")
  endif()
  set(SEAM_COVERAGE_LLVM ${_sf_cllvm})
endif()

set(SEAM_AFL_DIR /usr/lib/afl CACHE PATH "Where libAFLDriver.a and afl-compiler-rt-64.o live")
if(SEAM_ENGINE STREQUAL "afl" AND NOT SEAM_OSSFUZZ)
  foreach(f libAFLDriver.a afl-compiler-rt-64.o)
    if(NOT EXISTS ${SEAM_AFL_DIR}/${f})
      message(FATAL_ERROR "seamfuzz: ${SEAM_AFL_DIR}/${f} not found; run ci/deps.sh (apt-get install afl++)")
    endif()
  endforeach()
endif()

# Per-engine compile and link flags for C.
if(SEAM_OSSFUZZ)
  # $CFLAGS (SEAM_SAN_FLAGS) already carry sanitizers and coverage; with AFL++
  # the compiler (afl-clang-fast) instruments.  The AFL++ driver reaches the
  # harness through sf_afl_bridge.c, as below.
  set(SEAM_C_COV_FLAGS "")
  separate_arguments(SEAM_LINK_ENGINE UNIX_COMMAND "$ENV{LIB_FUZZING_ENGINE}")
  if(NOT SEAM_LINK_ENGINE)
    message(FATAL_ERROR "seamfuzz: SEAM_OSSFUZZ is on but LIB_FUZZING_ENGINE is empty; set it as "
      "OSS-Fuzz does (-fsanitize=fuzzer, or the path of libAFLDriver.a), or use ci/build.sh")
  endif()
  if(SEAM_ENGINE STREQUAL "afl")
    list(APPEND SEAM_LINK_ENGINE -Wl,--wrap=LLVMFuzzerTestOneInput)
  endif()
elseif(SEAM_ENGINE STREQUAL "libfuzzer")
  set(SEAM_C_COV_FLAGS -fsanitize=fuzzer-no-link)
  set(SEAM_LINK_ENGINE -fsanitize=fuzzer)
elseif(SEAM_ENGINE STREQUAL "afl")
  set(SEAM_C_COV_FLAGS -fsanitize-coverage=trace-pc-guard,trace-cmp)
  set(SEAM_LINK_ENGINE ${SEAM_AFL_DIR}/libAFLDriver.a ${SEAM_AFL_DIR}/afl-compiler-rt-64.o
    -Wl,--wrap=LLVMFuzzerTestOneInput)
else()
  set(SEAM_C_COV_FLAGS "")
  set(SEAM_LINK_ENGINE "")
endif()

# The engine glue sources: the source tree's, or an installed copy's
# (SeamFuzzConfig.cmake sets SEAM_ENGINES_DIR).
if(NOT SEAM_ENGINES_DIR)
  set(SEAM_ENGINES_DIR ${CMAKE_CURRENT_LIST_DIR}/../harness/engines)
endif()
set(_SF_ENGINES_DIR ${SEAM_ENGINES_DIR})
set(_SF_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})

# _seam_rust_archive(<out-var> <tag-var> <crate-dir> <features>)
# One build per (crate, features), named after the crate's package name, not
# its folder: two projects' rust/ folders do not share a build.
function(_seam_rust_archive out tagvar crate features)
  get_filename_component(crate ${crate} ABSOLUTE)
  file(READ ${crate}/Cargo.toml _toml)
  string(REGEX MATCH "name *= *\"([A-Za-z0-9_-]+)\"" _m "${_toml}")
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "seamfuzz: ${crate}/Cargo.toml: no package name found; add name = \"...\" under [package]")
  endif()
  string(REPLACE "-" "_" _lib ${CMAKE_MATCH_1})
  set(tag ${_lib})
  if(features)
    string(MAKE_C_IDENTIFIER "${features}" _ftag)
    string(APPEND tag "_${_ftag}")
  endif()
  set(${tagvar} ${tag} PARENT_SCOPE)
  set(_tdir ${CMAKE_BINARY_DIR}/seam/rust-${tag})
  set(_flags "-Cdebug-assertions -Coverflow-checks -Cforce-frame-pointers=yes")
  if(SEAM_RUSTFLAGS_USER)
    set(_flags "${SEAM_RUSTFLAGS_USER} ${_flags}")
  endif()
  if(SEAM_COVERAGE AND NOT _flags MATCHES "instrument-coverage")
    string(APPEND _flags " -Cinstrument-coverage")
  endif()
  if(SEAM_ENGINE STREQUAL "libfuzzer")
    string(APPEND _flags " -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
      " -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table"
      " -Cllvm-args=-sanitizer-coverage-trace-compares")
  elseif(SEAM_ENGINE STREQUAL "afl")
    string(APPEND _flags " -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=3"
      " -Cllvm-args=-sanitizer-coverage-trace-pc-guard -Cllvm-args=-sanitizer-coverage-trace-compares")
  endif()
  set(_cargo ${SEAM_CARGO})
  set(_target_args "")
  set(_libpath ${_tdir}/release/lib${_lib}.a)
  if(SEAM_RUST_ASAN)
    string(APPEND _flags " -Zsanitizer=address")
    if(NOT SEAM_RUST_TOOLCHAIN)
      message(FATAL_ERROR "seamfuzz: internal: SEAM_RUST_ASAN is on but SEAM_RUST_TOOLCHAIN is empty "
        "in ${CMAKE_CURRENT_SOURCE_DIR} (a variable of SeamFuzzTarget.cmake did not reach this directory)")
    endif()
    set(_cargo ${SEAM_CARGO} +${SEAM_RUST_TOOLCHAIN})
    set(_target_args --target x86_64-unknown-linux-gnu)
    set(_libpath ${_tdir}/x86_64-unknown-linux-gnu/release/lib${_lib}.a)
  endif()
  set(_feat "")
  if(features)
    set(_feat --features ${features})
  endif()
  set(${out} ${_libpath} PARENT_SCOPE)
  if(TARGET seamrs_${tag})
    return()
  endif()
  file(GLOB_RECURSE _srcs CONFIGURE_DEPENDS ${crate}/src/*.rs)
  add_custom_command(OUTPUT ${_libpath}
    COMMAND ${CMAKE_COMMAND} -E env --unset=MAKEFLAGS --unset=MFLAGS "RUSTFLAGS=${_flags}" CARGO_TARGET_DIR=${_tdir}
      CARGO_NET_OFFLINE=true ${_cargo} build --release --offline --quiet ${_target_args} ${_feat}
      --manifest-path ${crate}/Cargo.toml
    DEPENDS ${_srcs} ${crate}/Cargo.toml
    COMMENT "seamfuzz: cargo build ${CMAKE_MATCH_1} [${SEAM_ENGINE} ${features}]"
    VERBATIM)
  add_custom_target(seamrs_${tag} DEPENDS ${_libpath})
endfunction()

# _seam_go_archive(<out-var> <tag-var> <pkg-dir> <tags> [<ldflags>])
# One build per (module, tags, ldflags), named after the module path.
function(_seam_go_archive out tagvar pkg tags)
  set(ldflags "${ARGN}")
  get_filename_component(pkg ${pkg} ABSOLUTE)
  if(NOT EXISTS ${pkg}/go.mod)
    message(FATAL_ERROR "seamfuzz: ${pkg}/go.mod not found; GO_PACKAGE must be a Go module directory")
  endif()
  file(STRINGS ${pkg}/go.mod _mod REGEX "^module ")
  string(REGEX REPLACE "^module +" "" _mod "${_mod}")
  string(MAKE_C_IDENTIFIER "${_mod}" tag)
  if(tags)
    string(MAKE_C_IDENTIFIER "${tags}" _ttag)
    string(APPEND tag "_${_ttag}")
  endif()
  set(_ldarg "")
  if(ldflags)
    string(MD5 _lhash "${ldflags}")
    string(SUBSTRING ${_lhash} 0 8 _lhash)
    string(APPEND tag "_ld${_lhash}")
    set(_ldarg "-ldflags=${ldflags}")
  endif()
  set(${tagvar} ${tag} PARENT_SCOPE)
  set(_out ${CMAKE_BINARY_DIR}/seam/go-${tag}/libgo.a)
  set(_tags "")
  set(_gcflags "")
  if(NOT SEAM_ENGINE STREQUAL "standalone")
    # Instrument the user's module only: the Go standard library adds noise
    # (background goroutines) without adding boundary coverage.
    set(_tags libfuzzer)
    set(_gcflags "-gcflags=${_mod}/...=-d=libfuzzer")
  endif()
  if(tags)
    if(_tags)
      set(_tags "${_tags},${tags}")
    else()
      set(_tags "${tags}")
    endif()
  endif()
  set(_tagarg "")
  if(_tags)
    set(_tagarg -tags ${_tags})
  endif()
  set(_asan "")
  if(SEAM_SANITIZERS MATCHES "address")
    set(_asan -asan)
  endif()
  set(${out} ${_out} PARENT_SCOPE)
  if(TARGET seamgo_${tag})
    return()
  endif()
  # Coverage builds: Go's source coverage of the user's module, plus
  # seamfuzz_go_cover_flush() (harness/engines/sf_go_cover.go), which the
  # runtime calls at exit, added to the package by an overlay; the -toolexec
  # wrapper works around Go 1.23's cover tool ignoring overlays.
  set(_cover "")
  set(_cover_env "")
  set(_cover_deps "")
  if(SEAM_COVERAGE)
    set(_ov ${CMAKE_BINARY_DIR}/seam/go-${tag}/overlay.json)
    set(_virt ${pkg}/seamfuzz_cover.go)
    file(WRITE ${_ov} "{\"Replace\": {\"${_virt}\": \"${_SF_ENGINES_DIR}/sf_go_cover.go\"}}\n")
    set(_cover -cover -covermode=atomic -coverpkg=${_mod}/... -overlay=${_ov}
      "-toolexec=/bin/sh ${_SF_ENGINES_DIR}/sf_go_toolexec.sh")
    set(_cover_deps ${_SF_ENGINES_DIR}/sf_go_cover.go ${_SF_ENGINES_DIR}/sf_go_toolexec.sh)
    set(_cover_env SEAM_GO_COVER_MAP=${_virt}=${_SF_ENGINES_DIR}/sf_go_cover.go)
  endif()
  file(GLOB_RECURSE _srcs CONFIGURE_DEPENDS ${pkg}/*.go ${pkg}/*.h ${pkg}/*.c)
  file(GLOB_RECURSE _hdrs CONFIGURE_DEPENDS ${pkg}/../include/*.h)
  add_custom_command(OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER} CGO_ENABLED=1 GOFLAGS=-mod=mod
      GOPROXY=off GOTOOLCHAIN=local ${_cover_env}
      ${SEAM_GO} build -buildmode=c-archive ${_tagarg} ${_gcflags} ${_ldarg} ${_asan} ${_cover}
        -o ${_out} .
    WORKING_DIRECTORY ${pkg}
    DEPENDS ${_srcs} ${_hdrs} ${pkg}/go.mod ${_cover_deps}
    COMMENT "seamfuzz: go build ${_mod} [${SEAM_ENGINE} ${tags} ${ldflags}]"
    VERBATIM)
  add_custom_target(seamgo_${tag} DEPENDS ${_out})
endfunction()

# _seam_afl_mutator(<fuzzer> <generated harness>): the AFL++ custom mutator
# library of a generated harness, bin/<harness>_mutator.so (target
# seam_mutator_<harness>, part of "all"), built once per harness: the
# harness's descriptor tables (-DSF_SPEC_ONLY) linked with libseamprog (the
# decoder and sf_mutate), without sanitizers or coverage (it runs inside
# afl-fuzz).
function(_seam_afl_mutator fuzzer harness)
  # Only for harnesses `seamfuzz gen` wrote (generated in this build, or a
  # checked-in copy): a hand-written harness has no SF_SPEC_ONLY form.
  get_source_file_property(_gen ${harness} GENERATED)
  if(NOT _gen)
    if(NOT EXISTS ${harness})
      return()
    endif()
    file(STRINGS ${harness} _mark REGEX "sf_harness_spec" LIMIT_COUNT 1)
    if(NOT _mark)
      return()
    endif()
  endif()
  get_filename_component(_h ${harness} NAME_WE)
  set(_t seam_mutator_${_h})
  if(NOT TARGET ${_t})
    # Through a wrapper that includes the harness: the harness file itself
    # carries the coverage flags of the fuzzers (a per-directory property).
    set(_spec ${CMAKE_CURRENT_BINARY_DIR}/${_t}_spec.c)
    file(WRITE ${_spec}.in "/* Generated by cmake/SeamFuzzTarget.cmake: the descriptor tables of\n"
      " * ${_h} for its AFL++ mutator library. */\n#define SF_SPEC_ONLY 1\n#include \"${harness}\"\n")
    configure_file(${_spec}.in ${_spec} COPYONLY)
    add_library(${_t} MODULE ${_spec} ${_SF_ENGINES_DIR}/sf_afl_mutator.c)
    target_compile_options(${_t} PRIVATE ${SF_WARNINGS} -O2 -g)
    seam_no_afl_instrumentation(${_t})
    # libseamprog is built without sanitizers in AFL++ builds for this; the
    # harness includes sf_run.h (declarations only, nothing of libseam links).
    target_link_libraries(${_t} PRIVATE seamprog)
    target_include_directories(${_t} PRIVATE $<TARGET_PROPERTY:seam,INTERFACE_INCLUDE_DIRECTORIES>)
    target_link_options(${_t} PRIVATE -Wl,--no-undefined)
    set_target_properties(${_t} PROPERTIES PREFIX "" OUTPUT_NAME ${_h}_mutator
      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
    # After the first fuzzer of this harness, which depends on its generation.
    add_dependencies(${_t} ${fuzzer})
  endif()
  set_target_properties(${fuzzer} PROPERTIES SEAM_MUTATOR_TARGET ${_t})
endfunction()

# _seam_ship(<target>): lists a user-facing fuzzer in seam-fuzzers.tsv (one
# line each: name, binary, dictionary, corpus folder, AFL++ mutator library;
# "-" for none), written
# once, at the end of the top-level directory's configure step.
function(_seam_ship target)
  set_property(GLOBAL APPEND PROPERTY SEAM_SHIPPED_FUZZERS ${target})
  get_property(_deferred GLOBAL PROPERTY _SEAM_MANIFEST_DEFERRED)
  if(NOT _deferred)
    set_property(GLOBAL PROPERTY _SEAM_MANIFEST_DEFERRED 1)
    cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _seam_write_manifest)
  endif()
endfunction()

function(_seam_write_manifest)
  get_property(_ts GLOBAL PROPERTY SEAM_SHIPPED_FUZZERS)
  set(_c "# seam-fuzzers.tsv - the user-facing fuzz targets of this build (cmake/SeamFuzzTarget.cmake)\n")
  string(APPEND _c "# name\tbinary\tdictionary\tseed corpus\tAFL++ mutator library\n")
  foreach(t ${_ts})
    get_target_property(_mt ${t} SEAM_MUTATOR_TARGET)
    set(_mf "-")
    if(_mt)
      set(_mf "$<TARGET_FILE:${_mt}>")
    endif()
    string(APPEND _c "${t}\t$<TARGET_FILE:${t}>\t$<IF:$<BOOL:$<TARGET_PROPERTY:${t},SEAM_DICT>>,"
      "$<TARGET_PROPERTY:${t},SEAM_DICT>,->\t$<IF:$<BOOL:$<TARGET_PROPERTY:${t},SEAM_CORPUS>>,"
      "$<TARGET_PROPERTY:${t},SEAM_CORPUS>,->\t${_mf}\n")
  endforeach()
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/seam-fuzzers.tsv CONTENT "${_c}")
endfunction()

function(seam_add_fuzzer name)
  cmake_parse_arguments(F "NO_RUNTIME;MAIN;INTERNAL" "RUST_CRATE;GO_PACKAGE;WRAP_FILE;SPEC;DICT;CORPUS"
    "HARNESS;DEFINES;INCLUDES;RUST_FEATURES;GO_TAGS;GO_LDFLAGS;ENGINES" ${ARGN})
  if(F_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "seamfuzz: seam_add_fuzzer(${name}): unknown argument(s) "
      "'${F_UNPARSED_ARGUMENTS}'; see cmake/SeamFuzzTarget.cmake for the signature")
  endif()
  if((NOT F_HARNESS AND NOT F_SPEC) OR NOT F_RUST_CRATE OR NOT F_GO_PACKAGE)
    message(FATAL_ERROR "seamfuzz: seam_add_fuzzer(${name}) needs SPEC (or HARNESS), RUST_CRATE "
      "and GO_PACKAGE")
  endif()
  if(F_ENGINES)
    foreach(e ${F_ENGINES})
      if(NOT e MATCHES "^(libfuzzer|afl|standalone)$")
        message(FATAL_ERROR "seamfuzz: seam_add_fuzzer(${name}): ENGINES '${e}' is not one of "
          "libfuzzer|afl|standalone")
      endif()
    endforeach()
    if(NOT SEAM_ENGINE IN_LIST F_ENGINES)
      return()
    endif()
  endif()
  string(REPLACE ";" "," F_RUST_FEATURES "${F_RUST_FEATURES}")
  string(REPLACE ";" "," F_GO_TAGS "${F_GO_TAGS}")
  string(REPLACE ";" " " F_GO_LDFLAGS "${F_GO_LDFLAGS}")
  # SPEC alone: generate the harness, dictionary, corpus and wrap list.
  set(_wrap_list "")
  set(_gen_target "")
  if(F_WRAP_FILE)
    get_filename_component(_wrap_list ${F_WRAP_FILE} ABSOLUTE)
  endif()
  if(NOT F_HARNESS)
    if(F_WRAP_FILE)
      message(FATAL_ERROR "seamfuzz: seam_add_fuzzer(${name}): WRAP_FILE goes with HARNESS; with "
        "SPEC the wrap list comes from the spec")
    endif()
    get_filename_component(F_SPEC ${F_SPEC} ABSOLUTE)
    if(NOT EXISTS ${F_SPEC})
      message(FATAL_ERROR "seamfuzz: seam_add_fuzzer(${name}): SPEC ${F_SPEC} does not exist")
    endif()
    seam_spec_boundary(${F_SPEC} _b)
    set(_gdir ${CMAKE_CURRENT_BINARY_DIR}/seam-gen/${name})
    if(SEAM_GEN_DIR)
      set(_gdir ${SEAM_GEN_DIR}/${name})
    endif()
    set(_gen_target seam_gen_${name})
    seam_generate(NAME ${_b} SPEC ${F_SPEC} OUT ${_gdir} DICT ${_gdir}/${_b}.dict
      CORPUS ${_gdir}/corpus TARGET ${_gen_target})
    set(F_HARNESS ${_gdir}/fuzz_${_b}.c)
    set(_wrap_list ${_gdir}/${_b}.wrap)
  endif()
  # The wrap list (generated, or WRAP_FILE) reaches the linker as a response
  # file of --wrap= lines made at build time (cmake/SeamWrapRsp.cmake).
  set(_rsp "")
  if(_wrap_list)
    set(_rsp ${CMAKE_CURRENT_BINARY_DIR}/seam-wrap/${name}.rsp)
    add_custom_command(OUTPUT ${_rsp}
      COMMAND ${CMAKE_COMMAND} -DIN=${_wrap_list} -DOUT=${_rsp} -P ${_SF_CMAKE_DIR}/SeamWrapRsp.cmake
      DEPENDS ${_wrap_list} ${_SF_CMAKE_DIR}/SeamWrapRsp.cmake
      COMMENT "seamfuzz: wrap list of ${name}"
      VERBATIM)
    add_custom_target(${name}_wrap DEPENDS ${_rsp})
    if(_gen_target)
      add_dependencies(${name}_wrap ${_gen_target})
    endif()
  endif()
  # One archive build per distinct (crate, features) and (module, tags, ldflags).
  _seam_rust_archive(_rust _rtag ${F_RUST_CRATE} "${F_RUST_FEATURES}")
  _seam_go_archive(_go _gtag ${F_GO_PACKAGE} "${F_GO_TAGS}" "${F_GO_LDFLAGS}")

  set(_engine_src "")
  set(_link_engine ${SEAM_LINK_ENGINE})
  if(F_MAIN)
    set(_link_engine "")
  elseif(SEAM_ENGINE STREQUAL "afl")
    # Compiled once, without AFL++'s instrumentation (afl-clang-fast would
    # declare its own __afl_area_ptr next to the bridge's).
    if(NOT TARGET seam_afl_bridge)
      add_library(seam_afl_bridge OBJECT ${_SF_ENGINES_DIR}/sf_afl_bridge.c)
      target_compile_options(seam_afl_bridge PRIVATE ${SF_WARNINGS} -g)
      seam_no_afl_instrumentation(seam_afl_bridge)
    endif()
    set(_engine_src $<TARGET_OBJECTS:seam_afl_bridge>)
  elseif(SEAM_ENGINE STREQUAL "standalone")
    set(_engine_src ${_SF_ENGINES_DIR}/sf_standalone.c)
  endif()

  add_executable(${name} ${F_HARNESS} ${_engine_src})
  target_compile_options(${name} PRIVATE ${SF_WARNINGS} ${SEAM_SAN_FLAGS} -g)
  # Only the harness is coverage-instrumented; the engine glue is not.
  set_source_files_properties(${F_HARNESS} TARGET_DIRECTORY ${name}
    PROPERTIES COMPILE_OPTIONS "${SEAM_C_COV_FLAGS}")
  target_compile_definitions(${name} PRIVATE SEAM_ENGINE_${SEAM_ENGINE}=1 ${F_DEFINES})
  target_include_directories(${name} PRIVATE ${F_INCLUDES})

  set(_wrap "")
  if(_rsp)
    add_dependencies(${name} ${name}_wrap)
    list(APPEND _wrap -Wl,@${_rsp})
    target_compile_definitions(${name} PRIVATE SF_INTERCEPT=1)
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${_rsp})
  endif()
  if(_gen_target)
    set_target_properties(${name} PROPERTIES SEAM_DICT ${_gdir}/${_b}.dict
      SEAM_CORPUS ${_gdir}/corpus)
  endif()
  if(NOT F_NO_RUNTIME)
    target_link_libraries(${name} PRIVATE seam)
    if(SEAM_ENGINE STREQUAL "afl" AND NOT F_MAIN)
      _seam_afl_mutator(${name} ${F_HARNESS})
    endif()
  endif()
  # The Go archive calls into the Rust archive: resolve them as one group.
  target_link_options(${name} PRIVATE ${SEAM_SAN_FLAGS} ${_link_engine} ${_wrap})
  target_link_libraries(${name} PRIVATE -Wl,--start-group ${_go} ${_rust} -Wl,--end-group
    pthread dl m)
  add_dependencies(${name} seamrs_${_rtag} seamgo_${_gtag})
  # For tools and tests that inspect the archives (seamfuzz check).
  set_target_properties(${name} PROPERTIES SEAM_RUST_ARCHIVE ${_rust} SEAM_GO_ARCHIVE ${_go})
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${_rust} ${_go})
  if(F_DICT)
    get_filename_component(F_DICT ${F_DICT} ABSOLUTE)
    set_target_properties(${name} PROPERTIES SEAM_DICT ${F_DICT})
  endif()
  if(F_CORPUS)
    get_filename_component(F_CORPUS ${F_CORPUS} ABSOLUTE)
    set_target_properties(${name} PROPERTIES SEAM_CORPUS ${F_CORPUS})
  endif()
  if(NOT F_MAIN AND NOT F_INTERNAL)
    _seam_ship(${name})
  endif()
  if(NOT F_MAIN)
    list(GET F_HARNESS 0 _h)
    get_filename_component(_h ${_h} ABSOLUTE)
    set(_spec "")
    if(F_SPEC)
      get_filename_component(_spec ${F_SPEC} ABSOLUTE)
    endif()
    get_filename_component(_cdir ${F_RUST_CRATE} ABSOLUTE)
    get_filename_component(_gdir ${F_GO_PACKAGE} ABSOLUTE)
    set(_tags "${F_GO_TAGS}")
    if(NOT SEAM_ENGINE STREQUAL "standalone") # as _seam_go_archive builds it
      if(_tags)
        set(_tags "libfuzzer,${_tags}")
      else()
        set(_tags libfuzzer)
      endif()
    endif()
    _seam_build_info(${name} HARNESS ${_h} ENGINE ${SEAM_ENGINE} SPEC "${_spec}"
      RUST_ARCHIVE ${_rust} GO_ARCHIVE ${_go} SOURCE_DIRS ${_cdir} ${_gdir} GO_TAGS "${_tags}"
      RUST_FEATURES "${F_RUST_FEATURES}")
  endif()
endfunction()
