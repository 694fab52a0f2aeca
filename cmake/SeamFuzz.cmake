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

# The fuzz harnesses of seamfuzz's own code (tests/fuzz, tests/fuzz_spec) are
# built in a tree of their own, where the program layer and the generator are
# compiled once with coverage for them (preset "selffuzz").
option(SEAM_SELF_FUZZ "Build only seamfuzz's own fuzz harnesses (prog, gen) with coverage" OFF)
set(SEAM_SELF_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  -fno-omit-frame-pointer)

if(SEAM_OSSFUZZ OR SEAM_SANITIZERS STREQUAL "none" OR SEAM_SANITIZERS STREQUAL "")
  set(SEAM_SAN_FLAGS "")
else()
  set(SEAM_SAN_FLAGS -fsanitize=${SEAM_SANITIZERS} -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
endif()

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
endfunction()

if(NOT SEAM_SELF_FUZZ)
  include(SeamFuzzTarget)
endif()
