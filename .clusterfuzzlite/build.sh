#!/bin/bash -eu
# ClusterFuzzLite build script: ci/build.sh does the work (docs/ossfuzz.md).
exec "$SRC/seamfuzz/ci/build.sh"
