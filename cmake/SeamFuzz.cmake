# SeamFuzz.cmake - build options shared by the runtime, tools, tests and fuzzers.
# seam_add_fuzzer() (the Rust + Go + harness link) lives in SeamFuzzTarget.cmake.

set(SEAM_ENGINE "libfuzzer" CACHE STRING "Fuzzing engine: libfuzzer | afl | standalone")
set_property(CACHE SEAM_ENGINE PROPERTY STRINGS libfuzzer afl standalone)
set(SEAM_SANITIZERS "address,undefined" CACHE STRING
  "Sanitizers for C code and (where possible) Rust/Go: comma list, or 'none'")
option(SEAM_LEAK "Enable LeakSanitizer checks (ASAN_OPTIONS detect_leaks=1)" ON)

if(NOT SEAM_ENGINE MATCHES "^(libfuzzer|afl|standalone)$")
  message(FATAL_ERROR "seamfuzz: SEAM_ENGINE='${SEAM_ENGINE}' is not one of libfuzzer|afl|standalone "
    "(set it with -DSEAM_ENGINE=libfuzzer)")
endif()

option(SEAM_OSSFUZZ "OSS-Fuzz mode: C flags come from CFLAGS, the engine from LIB_FUZZING_ENGINE" OFF)
# Source coverage (SANITIZER=coverage): C with the flags of CFLAGS
# (-fprofile-instr-generate -fcoverage-mapping), Rust with -Cinstrument-coverage,
# Go with -cover; ci/coverage.sh turns a replay into one report (docs/coverage.md).
option(SEAM_COVERAGE "Source-coverage build of C, Rust and Go (for ci/coverage.sh)" OFF)
set(SEAM_GEN_DIR "" CACHE PATH
  "Where generated harnesses go (default: the build tree; OSS-Fuzz coverage builds: under $SRC)")

# The fuzz harnesses of seamfuzz's own code (tests/fuzz, tests/fuzz_spec) are
# built in a tree of their own, where the program layer and the generator are
# compiled once with coverage for them (preset "selffuzz").
option(SEAM_SELF_FUZZ "Build only seamfuzz's own fuzz harnesses (prog, gen) with coverage" OFF)
set(SEAM_SELF_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  -fno-omit-frame-pointer)

if(SEAM_OSSFUZZ)
  # $CFLAGS (CMAKE_C_FLAGS) carry the sanitizers and the coverage flags.  They
  # become this build's sanitizer flags rather than global ones, so that the
  # targets kept free of them stay free: the AFL++ mutator library and the
  # decoder it links are loaded into afl-fuzz, which has no sanitizer runtime.
  separate_arguments(SEAM_SAN_FLAGS UNIX_COMMAND "${CMAKE_C_FLAGS}")
  set(CMAKE_C_FLAGS "")
elseif(SEAM_SANITIZERS STREQUAL "none" OR SEAM_SANITIZERS STREQUAL "")
  set(SEAM_SAN_FLAGS "")
else()
  set(SEAM_SAN_FLAGS -fsanitize=${SEAM_SANITIZERS} -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
endif()
if(SEAM_COVERAGE AND NOT SEAM_OSSFUZZ)
  list(APPEND SEAM_SAN_FLAGS -fprofile-instr-generate -fcoverage-mapping)
endif()

# seam_no_afl_instrumentation(<target>): compile and link <target> as the
# plain compiler would, also when CC is afl-clang-fast (OSS-Fuzz's AFL++
# builds): for code loaded into afl-fuzz (the mutator library and the
# decoder it links), which must not carry AFL++'s coverage runtime.
function(seam_no_afl_instrumentation target)
  set_target_properties(${target} PROPERTIES
    C_COMPILER_LAUNCHER "${CMAKE_COMMAND};-E;env;AFL_NOOPT=1"
    C_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;AFL_NOOPT=1")
endfunction()

# Unit tests need one build only: the libFuzzer build (the default preset).
if(SEAM_ENGINE STREQUAL "libfuzzer" AND NOT SEAM_SELF_FUZZ)
  set(_sf_ut_default ON)
else()
  set(_sf_ut_default OFF)
endif()
option(SEAM_UNIT_TESTS "Build and register the unit tests in this build" ${_sf_ut_default})

# seam_add_unit_test(NAME SOURCES src... [LIBS lib...] [ARGS arg...])
# A plain test executable built with the project's warnings and sanitizers,
# registered with ctest.
function(seam_add_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;ARGS" ${ARGN})
  if(NOT SEAM_UNIT_TESTS)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_compile_options(${name} PRIVATE ${SF_WARNINGS} ${SEAM_SAN_FLAGS} -g)
  target_link_options(${name} PRIVATE ${SEAM_SAN_FLAGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  if(T_LIBS)
    target_link_libraries(${name} PRIVATE ${T_LIBS})
  endif()
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
endfunction()

# seam_add_c_fuzzer(<name> GEN <seam_generate NAME> ENGINE standalone|libfuzzer
#                   [SOURCES src...] [DEFINES d...] [WRAP sym...] [COVERAGE])
# A fuzz binary of a generated harness and a boundary written in C (the test
# boundaries: no Rust or Go archive), linked with libseam.  WRAP routes the
# boundary's own calls of those symbols through the generated shims (give
# them a file of their own, as an archive would be); COVERAGE instruments the
# harness and the sources for libFuzzer.
# _seam_build_info(<target> HARNESS <file> ENGINE <engine> [SPEC <file.seam>]
#                  [RUST_ARCHIVE <lib.a>] [GO_ARCHIVE <lib.a>] [SOURCE_DIRS <dir>...]
#                  [GO_TAGS <t1,t2>] [RUST_FEATURES <f1,f2>])
# Links into <target> its build information, the ELF section "seamfuzz_info"
# that `seamfuzz repro`, `minimize`, `cprog` and `report` read to find the
# binary of a crash, its archives, and the user's sources a finding points
# into (src/tools/sf_buildinfo.h).  Without SPEC, the one seam_generate() made
# the harness from.
function(_seam_build_info target)
  cmake_parse_arguments(I "" "HARNESS;ENGINE;SPEC;RUST_ARCHIVE;GO_ARCHIVE;GO_TAGS;RUST_FEATURES" "SOURCE_DIRS"
    ${ARGN})
  set(spec "${I_SPEC}")
  if(NOT spec)
    get_property(spec GLOBAL PROPERTY SEAM_SPEC_OF_${I_HARNESS})
  endif()
  string(REPLACE ";" ":" _dirs "${I_SOURCE_DIRS}")
  set(_info "")
  foreach(kv "name=${target}" "engine=${I_ENGINE}" "sanitizers=${SEAM_SANITIZERS}" "spec=${spec}"
      "harness=${I_HARNESS}" "rust_archive=${I_RUST_ARCHIVE}" "go_archive=${I_GO_ARCHIVE}"
      "source_dirs=${_dirs}" "go_tags=${I_GO_TAGS}" "rust_features=${I_RUST_FEATURES}"
      "cc=${CMAKE_C_COMPILER}")
    string(REPLACE "\\" "\\\\" kv "${kv}")
    string(REPLACE "\"" "\\\"" kv "${kv}")
    string(APPEND _info "    \"${kv}\\n\"\n")
  endforeach()
  set(_src ${CMAKE_CURRENT_BINARY_DIR}/seaminfo/${target}.c)
  file(GENERATE OUTPUT ${_src} CONTENT
"/* Generated by cmake/SeamFuzz.cmake: how ${target} was built, for seamfuzz
 * repro, minimize and cprog (src/tools/sf_buildinfo.h). */
__attribute__((used, section(\"seamfuzz_info\"))) static const char sf_build_info[] =
    \"SEAMFUZZ-BUILD-INFO 1\\n\"
${_info}    \"END\\n\";
")
  target_sources(${target} PRIVATE ${_src})
endfunction()

function(seam_add_c_fuzzer name)
  cmake_parse_arguments(F "COVERAGE" "GEN;ENGINE" "SOURCES;DEFINES;WRAP" ${ARGN})
  set(srcs ${SEAM_GEN_${F_GEN}_HARNESS} ${F_SOURCES})
  set(link ${SEAM_SAN_FLAGS})
  set(cov "")
  if(F_ENGINE STREQUAL "standalone")
    list(APPEND srcs ${PROJECT_SOURCE_DIR}/harness/engines/sf_standalone.c)
  else()
    list(APPEND link -fsanitize=fuzzer)
    if(F_COVERAGE)
      set(cov -fsanitize=fuzzer-no-link)
    endif()
  endif()
  add_executable(${name} ${srcs})
  add_dependencies(${name} seam_gen_${F_GEN})
  target_compile_definitions(${name} PRIVATE ${F_DEFINES})
  if(F_WRAP)
    target_compile_definitions(${name} PRIVATE SF_INTERCEPT=1)
    foreach(s ${F_WRAP})
      list(APPEND link -Wl,--wrap=${s})
    endforeach()
  endif()
  target_compile_options(${name} PRIVATE ${SF_WARNINGS} ${SEAM_SAN_FLAGS} ${cov} -g)
  target_link_options(${name} PRIVATE ${link})
  target_link_libraries(${name} PRIVATE seam)
  set(_dirs "")
  foreach(f ${F_SOURCES})
    get_filename_component(_d ${f} ABSOLUTE)
    get_filename_component(_d ${_d} DIRECTORY)
    list(APPEND _dirs ${_d})
  endforeach()
  list(REMOVE_DUPLICATES _dirs)
  _seam_build_info(${name} HARNESS ${SEAM_GEN_${F_GEN}_HARNESS} ENGINE ${F_ENGINE}
    SOURCE_DIRS ${_dirs})
endfunction()

if(NOT SEAM_SELF_FUZZ)
  include(${CMAKE_CURRENT_LIST_DIR}/SeamFuzzTarget.cmake)
endif()
