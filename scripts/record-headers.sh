#!/usr/bin/env bash
# Records what CPython 3.14's headers give an extension built with Py_GIL_DISABLED (macro names and
# integer values, normalised prototypes of functions and data; no macro bodies) into
# tests/data/cpython314t-headers.tsv, which tests/header_parity.rs compares include/ with.
#
# The headers are Debian sid's python3.14-dev, in the reference root made by
# scripts/reference-cpython.sh sid (cached under GILGATE_CACHE); the compiler is the root's gcc.
# Debian's pyconfig.h is a GIL build's: it leaves Py_GIL_DISABLED undefined (`#undef` comment),
# so -DPy_GIL_DISABLED=1 on the command line gives the free-threaded view without a conflict;
# the one other thing a --disable-gil configure changes (the "t" ABI flag) is not in pyconfig.h.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bash "$here/scripts/reference-cpython.sh" sid
root="${GILGATE_CACHE:-$HOME/.cache/gilgate}/reference/sid"
out="$here/tests/data/cpython314t-headers.tsv"

as_root() { if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi; }

version="$(as_root chroot "$root" dpkg-query -W -f '${Version}' python3.14-dev)"
pyver="$(as_root chroot "$root" python3.14 -c 'import sys; print(sys.version.split()[0])')"
gccver="$(as_root chroot "$root" gcc -dumpfullversion)"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
as_root python3 "$here/scripts/header-facts.py" --chroot "$root" \
    -I /usr/include/python3.14 -I /usr/include/x86_64-linux-gnu/python3.14 -o "$tmp"
{
    echo "# CPython $pyver headers (Debian sid python3.14-dev $version), gcc $gccver inside the root,"
    echo "# -std=gnu17 -DPy_GIL_DISABLED=1; recorded by scripts/record-headers.sh (scripts/header-facts.py)."
    cat "$tmp"
} >"$out"
echo "record-headers: $(($(wc -l <"$out") - 3)) facts in ${out#"$here"/}"
