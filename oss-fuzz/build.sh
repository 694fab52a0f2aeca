#!/bin/bash -eu
# OSS-Fuzz build script: everything is in ci/build.sh, which reads the
# environment base-builder sets (FUZZING_ENGINE, SANITIZER, CC, CFLAGS,
# LIB_FUZZING_ENGINE, RUSTFLAGS, RUSTUP_TOOLCHAIN, OUT, WORK, SRC).
exec "$SRC/seamfuzz/ci/build.sh"
