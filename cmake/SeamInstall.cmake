# SeamInstall.cmake - `cmake --install <build>` installs what a project outside
# this tree needs to fuzz its own boundary (docs/adopting.md):
#   bin/seamfuzz                               the tool (gen, check, repro, ...)
#   lib/libseam.a, lib/libseamprog.a           the runtime and the program layer
#   include/seamfuzz/                          their headers (the generated harness's)
#   share/seamfuzz/engines/                    the engine glue (standalone, AFL++)
#   lib/cmake/SeamFuzz/                        find_package(SeamFuzz): seam_add_fuzzer()
# An install is of one build: its engine and sanitizers are the ones the
# libraries were built with, and SeamFuzzConfig.cmake holds a project to them.
include(GNUInstallDirs)
set(_sf_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/SeamFuzz)

install(TARGETS seam seamprog EXPORT SeamFuzzTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS seamfuzz EXPORT SeamFuzzTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
file(GLOB _sf_prog_headers ${PROJECT_SOURCE_DIR}/src/prog/*.h)
install(FILES ${_sf_prog_headers} ${PROJECT_SOURCE_DIR}/src/runtime/sf_run.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/seamfuzz)
file(GLOB _sf_engines ${PROJECT_SOURCE_DIR}/harness/engines/*.c ${PROJECT_SOURCE_DIR}/harness/engines/*.go
  ${PROJECT_SOURCE_DIR}/harness/engines/*.sh)
install(FILES ${_sf_engines} DESTINATION ${CMAKE_INSTALL_DATADIR}/seamfuzz/engines)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/SeamFuzz.cmake ${PROJECT_SOURCE_DIR}/cmake/SeamFuzzTarget.cmake
  ${PROJECT_SOURCE_DIR}/cmake/SeamGen.cmake ${PROJECT_SOURCE_DIR}/cmake/SeamWrapRsp.cmake
  DESTINATION ${_sf_cmakedir})
install(EXPORT SeamFuzzTargets DESTINATION ${_sf_cmakedir})
configure_file(${PROJECT_SOURCE_DIR}/cmake/SeamFuzzConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/SeamFuzzConfig.cmake @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/SeamFuzzConfig.cmake DESTINATION ${_sf_cmakedir})
