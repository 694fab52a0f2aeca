# bugzoo.cmake - one fuzz target per seeded defect of docs/bugzoo.md, built from
# the same generated harness as fuzz_bytebridge with one cargo feature or Go
# build tag switched on.  Included at the end of harness/CMakeLists.txt, which
# defines BB and the seam_gen_bytebridge target.
#
# Each variant rebuilds only the archive its defect lives in: a Rust defect
# gets its own Rust archive (seam/rust-bytebridge_bug_<name>/) and links the
# clean Go archive of fuzz_bytebridge (seam/go-bytebridge_app/), and a Go
# defect the reverse.
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

# The defects, in docs/bugzoo.md order (Z01..Z15): name and side.  A Rust
# defect is cargo feature bug_<name>, a Go defect build tag bug_<name>.
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

# Names only, for tests/bugzoo/ (a sibling directory: a global property).
set(SEAM_BUGZOO_NAMES "")
foreach(_sf_bug ${SEAM_BUGZOO_BUGS})
  seam_zoo_bug(${_sf_bug} _sf_name _sf_switch)
  list(APPEND SEAM_BUGZOO_NAMES ${_sf_name})
endforeach()
set_property(GLOBAL PROPERTY SEAM_BUGZOO_NAMES ${SEAM_BUGZOO_NAMES})

if(SEAM_BUGZOO)
  add_custom_target(bugzoo)
  foreach(_sf_bug ${SEAM_BUGZOO_BUGS})
    seam_zoo_bug(${_sf_bug} _sf_name _sf_switch)
    seam_add_fuzzer(fuzz_bytebridge_${_sf_name}
      HARNESS ${SEAM_GEN_bytebridge_HARNESS}
      RUST_CRATE ${BB}/rust GO_PACKAGE ${BB}/go INCLUDES ${BB}/include
      WRAP_FILE ${CMAKE_CURRENT_SOURCE_DIR}/bytebridge/bytebridge.wrap
      ${_sf_switch})
    add_dependencies(fuzz_bytebridge_${_sf_name} seam_gen_bytebridge)
    add_dependencies(bugzoo fuzz_bytebridge_${_sf_name})
  endforeach()
endif()
