#!/usr/bin/env bash
# Records capi/data/cpython314t-only.tsv: the names CPython 3.14's headers declare for export
# (PyAPI_FUNC/PyAPI_DATA, default visibility) only when Py_GIL_DISABLED is defined, over the
# headers extensions include: Python.h, structmember.h, datetime.h, frameobject.h, marshal.h,
# pythread.h, and the internal headers Cython, mypyc and pybind11 include with Py_BUILD_CORE
# (found with `git grep 'internal/pycore_'` in their sources). capi/build.rs marks these names
# free-threaded-only; each must also be a row of capi/data/cpython-exports.tsv (the build stops
# otherwise), so the surface exports it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bash "$here/scripts/reference-cpython.sh" sid
root="${GILGATE_CACHE:-$HOME/.cache/gilgate}/reference/sid"
out="$here/capi/data/cpython314t-only.tsv"
internal=(pycore_critical_section.h pycore_frame.h pycore_genobject.h pycore_lock.h pycore_long.h
    pycore_object.h pycore_pyerrors.h pycore_setobject.h pycore_template.h pycore_unicodeobject.h)
as_root() { if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi; }
pyver="$(as_root chroot "$root" python3.14 -c 'import sys; print(sys.version.split()[0])')"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
args=()
for h in "${internal[@]}"; do args+=(--internal "$h"); done
as_root python3 "$here/scripts/header-facts.py" --exported --chroot "$root" \
    -I /usr/include/python3.14 -I /usr/include/x86_64-linux-gnu/python3.14 "${args[@]}" -o "$tmp"
{
    echo "# Names CPython $pyver's headers declare for export only under Py_GIL_DISABLED (public"
    echo "# headers and internal/{${internal[*]}}"
    echo "# with Py_BUILD_CORE); written by scripts/record-exports-314t.sh."
    echo "name	kind"
    awk -F'\t' 'NR > 1 && $3 == "yes" {print $1 "\t" $2}' "$tmp"
} | sed 's/{\(.*\)}/{\1}/' >"$out"
echo "record-exports-314t: $(($(wc -l <"$out") - 4)) names in ${out#"$here"/}"
