# expect_cli.cmake - runs one command and checks its exit code and output.
#   cmake -DCMD="prog|arg|..." -DRC=<code> -DREGEX=<regex> [-DLINES=<n>] -P expect_cli.cmake
# LINES, when given, is the exact number of output lines (stdout + stderr).
string(REPLACE "|" ";" CMD "${CMD}")
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT rc STREQUAL "${RC}")
  message(FATAL_ERROR "exit code ${rc}, expected ${RC}; output:\n${all}")
endif()
if(NOT all MATCHES "${REGEX}")
  message(FATAL_ERROR "output does not match '${REGEX}':\n${all}")
endif()
if(DEFINED LINES)
  string(REGEX MATCHALL "\n" nl "${all}")
  list(LENGTH nl n)
  if(NOT n EQUAL LINES)
    message(FATAL_ERROR "${n} output lines, expected ${LINES}:\n${all}")
  endif()
endif()
