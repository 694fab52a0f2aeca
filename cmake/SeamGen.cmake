# SeamGen.cmake - regenerate a harness from its .seam spec as part of the build.
#
#   seam_generate(NAME bytebridge SPEC path/to/bytebridge.seam OUT ${CMAKE_CURRENT_BINARY_DIR}/gen
#                 [DICT file] [CORPUS dir] [TARGET name])
#
# Runs `seamfuzz gen` whenever the spec or the generator changes.  NAME is the
# spec's boundary name (its `boundary NAME;` line), which names the files gen
# writes.  Defines the target TARGET (default seam_gen_<NAME>) and sets, in the
# caller's scope, SEAM_GEN_<NAME>_HARNESS (the generated fuzz_<NAME>.c) and
# SEAM_GEN_<NAME>_WRAP (the <NAME>.wrap list); a fuzz target built from the
# harness should add_dependencies() on the target.
function(seam_generate)
  cmake_parse_arguments(G "" "NAME;SPEC;OUT;DICT;CORPUS;TARGET" "" ${ARGN})
  if(NOT G_NAME OR NOT G_SPEC OR NOT G_OUT)
    message(FATAL_ERROR "seam_generate: NAME, SPEC and OUT are required")
  endif()
  if(NOT G_TARGET)
    set(G_TARGET seam_gen_${G_NAME})
  endif()
  set(outs ${G_OUT}/fuzz_${G_NAME}.c ${G_OUT}/${G_NAME}.wrap ${G_OUT}/seeds_${G_NAME}.txt)
  set(args gen ${G_SPEC} -o ${G_OUT})
  if(G_DICT)
    list(APPEND outs ${G_DICT})
    list(APPEND args --dict ${G_DICT})
  endif()
  if(G_CORPUS)
    list(APPEND args --corpus ${G_CORPUS})
  endif()
  add_custom_command(OUTPUT ${outs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${G_OUT}
    COMMAND $<TARGET_FILE:seamfuzz> ${args}
    DEPENDS ${G_SPEC} seamfuzz
    COMMENT "seamfuzz gen ${G_NAME}"
    VERBATIM)
  add_custom_target(${G_TARGET} DEPENDS ${outs})
  set(SEAM_GEN_${G_NAME}_HARNESS ${G_OUT}/fuzz_${G_NAME}.c PARENT_SCOPE)
  # Which spec a harness came from, for the fuzz binaries' build info.
  get_filename_component(_spec ${G_SPEC} ABSOLUTE)
  set_property(GLOBAL PROPERTY SEAM_SPEC_OF_${G_OUT}/fuzz_${G_NAME}.c ${_spec})
  set(SEAM_GEN_${G_NAME}_WRAP ${G_OUT}/${G_NAME}.wrap PARENT_SCOPE)
endfunction()

# seam_spec_boundary(<spec> <out-var>): the boundary name a spec declares
# (its `boundary NAME;` line), read at configure time.
function(seam_spec_boundary spec out)
  file(STRINGS ${spec} _b REGEX "^[ \t]*boundary[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*;")
  if(NOT _b)
    message(FATAL_ERROR "seamfuzz: ${spec}: no `boundary <name>;` line; a spec declares its "
      "boundary first (docs/spec.md)")
  endif()
  list(GET _b 0 _b)
  string(REGEX REPLACE "^[ \t]*boundary[ \t]+([A-Za-z_][A-Za-z0-9_]*).*" "\\1" _b "${_b}")
  set(${out} ${_b} PARENT_SCOPE)
endfunction()
