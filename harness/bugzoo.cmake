# bugzoo.cmake - one fuzz target per seeded defect of docs/bugzoo.md, for each
# example that has a zoo (bytebridge Z01-Z15, docidx D01-D11): fuzz_<ex>_<bug>
# is built from the same generated harness as fuzz_<ex> with one cargo feature
# or Go build tag switched on.  Included at the end of harness/CMakeLists.txt,
# which defines BB, DX and the seam_gen_<ex> targets.
#
# Each variant rebuilds only the archive its defect lives in: a Rust defect
# gets its own Rust archive (seam/rust-<crate>_bug_<name>/) and links the
# clean Go archive of fuzz_<ex> (seam/go-<module>/), and a Go defect the
# reverse.
# seam_add_fuzzer() shares archives by (crate, features) and (package, tags),
# so the clean ones are built once for all of them.  tests/bugzoo/ runs the
# targets (detection under libFuzzer, saved crash replay under standalone).

# The zoo costs one archive build per defect (10-30 s each), so it is on by
# default only where tests use it: libFuzzer (detection) and standalone
# (replay).  AFL++ and OSS-Fuzz builds leave it off.
if(SEAM_ENGINE MATCHES "^(libfuzzer|standalone)$" AND NOT SEAM_OSSFUZZ)
  set(_sf_bugzoo_default ON)
else()
  set(_sf_bugzoo_default OFF)
endif()
option(SEAM_BUGZOO "Build fuzz_bytebridge_<bug> for every defect of the bug zoo" ${_sf_bugzoo_default})

# The defects, in docs/bugzoo.md order: name and side.  A Rust defect is cargo
# feature bug_<name>, a Go defect build tag bug_<name>.
set(SEAM_BUGZOO_BUGS
  uaf_held:rust
  double_free:rust
  wrong_free:go
  leak_record:go
  leak_error:rust
  stale_handle:rust
  rust_unwind:rust
  go_panic:go
  err_dropped:go
  misaligned:rust
  layout:rust
  go_stale_ptr:go
  rust_keeps_go:rust
  off_by_one:go
  realloc_ptr:go)
set(SEAM_BUGZOO_DOCIDX_BUGS
  close_busy:rust
  open_range:rust
  ud_kept:rust
  empty_copy:rust
  peek_temp:rust
  msg_temp:rust
  stats_keep:rust
  go_error_uaf:go
  go_blob_len:go
  go_cursor_leak:go
  go_term_len:go)

# seam_zoo_bug(<name:side> <name-var> <switch-var>): the defect's name, and the
# seam_add_fuzzer() arguments that switch it on (RUST_FEATURES or GO_TAGS).
function(seam_zoo_bug entry name_var switch_var)
  string(REPLACE ":" ";" _pair ${entry})
  list(GET _pair 0 _name)
  list(GET _pair 1 _side)
  if(_side STREQUAL "rust")
    set(${switch_var} RUST_FEATURES bug_${_name} PARENT_SCOPE)
  else()
    set(${switch_var} GO_TAGS bug_${_name} PARENT_SCOPE)
  endif()
  set(${name_var} ${_name} PARENT_SCOPE)
endfunction()

if(SEAM_BUGZOO)
  add_custom_target(bugzoo)
endif()

# seam_zoo(<ex> <example dir> <bug:side>...): the defect names of example <ex>
# as the global property SEAM_BUGZOO_NAMES_<ex> (for tests/bugzoo/, a sibling
# directory), and with SEAM_BUGZOO one fuzz_<ex>_<bug> per defect, built like
# fuzz_<ex> (harness generated from harness/<ex>/<ex>.seam, its wrap list).
function(seam_zoo ex dir)
  set(_names "")
  foreach(_bug ${ARGN})
    seam_zoo_bug(${_bug} _name _switch)
    list(APPEND _names ${_name})
    if(SEAM_BUGZOO)
      seam_add_fuzzer(fuzz_${ex}_${_name}
        HARNESS ${SEAM_GEN_${ex}_HARNESS}
        RUST_CRATE ${dir}/rust GO_PACKAGE ${dir}/go INCLUDES ${dir}/include
        WRAP_FILE ${CMAKE_CURRENT_SOURCE_DIR}/${ex}/${ex}.wrap INTERNAL
        ${_switch})
      add_dependencies(fuzz_${ex}_${_name} seam_gen_${ex})
      add_dependencies(bugzoo fuzz_${ex}_${_name})
    endif()
  endforeach()
  set_property(GLOBAL PROPERTY SEAM_BUGZOO_NAMES_${ex} ${_names})
endfunction()

seam_zoo(bytebridge ${BB} ${SEAM_BUGZOO_BUGS})
seam_zoo(docidx ${DX} ${SEAM_BUGZOO_DOCIDX_BUGS})
