#!/bin/sh
# sf_go_toolexec.sh - go build -toolexec wrapper of coverage builds
# (cmake/SeamFuzzTarget.cmake).  Go 1.23's cover tool is handed the paths of
# files that only exist in the -overlay (golang/go#73802) and fails to open
# them; this hands it the real file instead.  SEAM_GO_COVER_MAP is
# "<path in the package>=<real file>".  Every other tool runs unchanged.
tool=$1
shift
case ${tool##*/} in
cover) ;;
*) exec "$tool" "$@" ;;
esac
virt=${SEAM_GO_COVER_MAP%%=*}
real=${SEAM_GO_COVER_MAP#*=}
n=$#
i=0
while [ "$i" -lt "$n" ]; do
    a=$1
    shift
    [ -n "$virt" ] && [ "$a" = "$virt" ] && a=$real
    set -- "$@" "$a"
    i=$((i + 1))
done
exec "$tool" "$@"
