# compare.cmake - the comparison harnesses of the bug-zoo benchmark
# (bench/zoo.sh): fuzz_rustonly (what a `cargo fuzz` user writes: the Rust API
# alone) and fuzz_goonly (what a `go test -fuzz` user writes: the Go API alone)
# for bytebridge, fuzz_docidx_baseline (docidx's hand-written harness), and,
# with SEAM_BENCH_VARIANTS, one binary per defect for each hand-written
# harness: fuzz_baseline_<bug>, fuzz_rustonly_<bug>, fuzz_goonly_<bug>,
# fuzz_docidx_baseline_<bug>.
# Included at the end of harness/CMakeLists.txt, after bugzoo.cmake, whose
# fuzz_bytebridge_<bug> targets are the seamfuzz side of the comparison.

# Off by default: 45 extra binaries (on top of the zoo's 15) are for benchmark
# machines, not for CI.
option(SEAM_BENCH_VARIANTS
  "Build fuzz_{baseline,rustonly,goonly}_<bug> for every bug-zoo defect (bench/zoo.sh)" OFF)

# docidx's hand-written harness (a team's, without seamfuzz).
seam_add_fuzzer(fuzz_docidx_baseline
  HARNESS ${CMAKE_CURRENT_SOURCE_DIR}/baseline/fuzz_docidx_baseline.c
  RUST_CRATE ${DX}/rust GO_PACKAGE ${DX}/go INCLUDES ${DX}/include NO_RUNTIME INTERNAL)

seam_add_fuzzer(fuzz_rustonly
  HARNESS ${CMAKE_CURRENT_SOURCE_DIR}/rustonly/fuzz_rustonly.c
  RUST_CRATE ${BB}/rust GO_PACKAGE ${BB}/go INCLUDES ${BB}/include NO_RUNTIME INTERNAL)
seam_add_fuzzer(fuzz_goonly
  HARNESS ${CMAKE_CURRENT_SOURCE_DIR}/goonly/fuzz_goonly.c
  RUST_CRATE ${BB}/rust GO_PACKAGE ${BB}/go INCLUDES ${BB}/include NO_RUNTIME INTERNAL)

if(SEAM_BENCH_VARIANTS)
  if(NOT SEAM_BUGZOO)
    message(WARNING "seamfuzz: SEAM_BENCH_VARIANTS is ON but SEAM_BUGZOO is OFF: the "
      "fuzz_bytebridge_<bug> targets of the seamfuzz configurations are not built. "
      "Fix: configure with -DSEAM_BUGZOO=ON as well")
  endif()
  add_custom_target(bench_variants)
  add_dependencies(bench_variants fuzz_bytebridge fuzz_baseline fuzz_rustonly fuzz_goonly)
  # The defect table and its switches are bugzoo.cmake's (included before).
  foreach(_sf_bug ${SEAM_BUGZOO_BUGS})
    seam_zoo_bug(${_sf_bug} _sf_name _sf_switch)
    foreach(_sf_h baseline rustonly goonly)
      seam_add_fuzzer(fuzz_${_sf_h}_${_sf_name}
        HARNESS ${CMAKE_CURRENT_SOURCE_DIR}/${_sf_h}/fuzz_${_sf_h}.c
        RUST_CRATE ${BB}/rust GO_PACKAGE ${BB}/go INCLUDES ${BB}/include NO_RUNTIME INTERNAL
        ${_sf_switch})
      add_dependencies(bench_variants fuzz_${_sf_h}_${_sf_name})
    endforeach()
    if(TARGET fuzz_bytebridge_${_sf_name})
      add_dependencies(bench_variants fuzz_bytebridge_${_sf_name})
    endif()
  endforeach()
  add_dependencies(bench_variants fuzz_docidx fuzz_docidx_baseline)
  foreach(_sf_bug ${SEAM_BUGZOO_DOCIDX_BUGS})
    seam_zoo_bug(${_sf_bug} _sf_name _sf_switch)
    seam_add_fuzzer(fuzz_docidx_baseline_${_sf_name}
      HARNESS ${CMAKE_CURRENT_SOURCE_DIR}/baseline/fuzz_docidx_baseline.c
      RUST_CRATE ${DX}/rust GO_PACKAGE ${DX}/go INCLUDES ${DX}/include NO_RUNTIME INTERNAL
      ${_sf_switch})
    add_dependencies(bench_variants fuzz_docidx_baseline_${_sf_name})
    if(TARGET fuzz_docidx_${_sf_name})
      add_dependencies(bench_variants fuzz_docidx_${_sf_name})
    endif()
  endforeach()
endif()
