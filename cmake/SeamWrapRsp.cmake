# SeamWrapRsp.cmake - script mode (cmake -DIN=x.wrap -DOUT=x.rsp -P SeamWrapRsp.cmake):
# turns a wrap list that `seamfuzz gen` wrote (one symbol per line) into a
# linker response file of --wrap=<symbol> lines, read at link time through
# -Wl,@x.rsp.  So the intercepted symbols are the ones of the spec as it is
# now, with no list read at configure time.
if(NOT IN OR NOT OUT)
  message(FATAL_ERROR "SeamWrapRsp.cmake: pass -DIN=<file.wrap> -DOUT=<file.rsp>")
endif()
file(STRINGS ${IN} _syms REGEX "^[A-Za-z_][A-Za-z0-9_]*$")
set(_rsp "")
foreach(s ${_syms})
  string(APPEND _rsp "--wrap=${s}\n")
endforeach()
file(WRITE ${OUT} "${_rsp}")
