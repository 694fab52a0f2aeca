# golden.cmake - regenerates the checked-in outputs of one example's spec
# (harness/NAME/NAME.seam) into a temporary directory (twice) and fails on any
# difference with the checked-in files or between the two runs.
#   cmake -DSEAMFUZZ=... -DSRC=<project source dir> -DNAME=${NAME} -DTMP=<scratch dir>
#         -P golden.cmake
file(REMOVE_RECURSE ${TMP})
foreach(run a b)
  file(MAKE_DIRECTORY ${TMP}/${run})
  execute_process(COMMAND ${SEAMFUZZ} gen ${SRC}/harness/${NAME}/${NAME}.seam
      -o ${TMP}/${run}/harness --dict ${TMP}/${run}/${NAME}.dict --corpus ${TMP}/${run}/corpus
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "seamfuzz gen failed (${rc})")
  endif()
endforeach()
set(pairs
  "${SRC}/harness/${NAME}/fuzz_${NAME}.c|${TMP}/a/harness/fuzz_${NAME}.c"
  "${SRC}/harness/${NAME}/${NAME}.wrap|${TMP}/a/harness/${NAME}.wrap"
  "${SRC}/harness/${NAME}/seeds_${NAME}.txt|${TMP}/a/harness/seeds_${NAME}.txt"
  "${SRC}/dictionaries/${NAME}.dict|${TMP}/a/${NAME}.dict"
  "${SRC}/corpus/${NAME}|${TMP}/a/corpus"
  "${TMP}/a|${TMP}/b")
foreach(p ${pairs})
  string(REPLACE "|" ";" p "${p}")
  list(GET p 0 want)
  list(GET p 1 got)
  set(shown "${want} vs ${got}")
  execute_process(COMMAND diff -r ${want} ${got} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "generated output differs (${shown}); regenerate with "
      "`cmake --build <dir> --target seam_regen_${NAME}` after checking why:\n${out}")
  endif()
endforeach()
file(REMOVE_RECURSE ${TMP})
