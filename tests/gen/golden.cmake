# golden.cmake - regenerates the checked-in bytebridge outputs into a temporary
# directory (twice) and fails on any difference with the checked-in files or
# between the two runs.
#   cmake -DSEAMFUZZ=... -DSRC=<project source dir> -DTMP=<scratch dir> -P golden.cmake
file(REMOVE_RECURSE ${TMP})
foreach(run a b)
  file(MAKE_DIRECTORY ${TMP}/${run})
  execute_process(COMMAND ${SEAMFUZZ} gen ${SRC}/harness/bytebridge/bytebridge.seam
      -o ${TMP}/${run}/harness --dict ${TMP}/${run}/bytebridge.dict --corpus ${TMP}/${run}/corpus
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "seamfuzz gen failed (${rc})")
  endif()
endforeach()
set(pairs
  "${SRC}/harness/bytebridge/fuzz_bytebridge.c|${TMP}/a/harness/fuzz_bytebridge.c"
  "${SRC}/harness/bytebridge/bytebridge.wrap|${TMP}/a/harness/bytebridge.wrap"
  "${SRC}/harness/bytebridge/seeds_bytebridge.txt|${TMP}/a/harness/seeds_bytebridge.txt"
  "${SRC}/dictionaries/bytebridge.dict|${TMP}/a/bytebridge.dict"
  "${SRC}/corpus/bytebridge|${TMP}/a/corpus"
  "${TMP}/a|${TMP}/b")
foreach(p ${pairs})
  string(REPLACE "|" ";" p "${p}")
  list(GET p 0 want)
  list(GET p 1 got)
  set(shown "${want} vs ${got}")
  execute_process(COMMAND diff -r ${want} ${got} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "generated output differs (${shown}); regenerate with "
      "`cmake --build <dir> --target seam_regen_bytebridge` after checking why:\n${out}")
  endif()
endforeach()
file(REMOVE_RECURSE ${TMP})
