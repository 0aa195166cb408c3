#!/usr/bin/env bash
# Derives tests/data/toolchain-private-names.txt: the private (leading `_`) names of
# tests/data/cpython314t-headers.tsv that Cython, PyO3 (pyo3-ffi), pybind11 or mypyc use, so that
# tests/header_parity.rs requires them from include/ as it requires the public names.
#
#   bash scripts/toolchain-private-names.sh CYTHON PYO3 PYBIND11 MYPY
#
# Each argument is a git directory (a clone or a bare mirror) of github:cython/cython,
# github:PyO3/pyo3, github:pybind/pybind11, github:python/mypy. Their sources are only read (git
# grep at HEAD, in the folders that hold the code extensions compile or the generator emits:
# Cython/ for Cython, pyo3-ffi/ and src/ for PyO3, include/ for pybind11, mypyc/ for mypy, tests
# and docs left out); nothing of theirs is copied: the output is names and which toolchain uses each.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
[[ $# == 4 ]] || { echo "usage: $0 CYTHON PYO3 PYBIND11 MYPY (git directories)" >&2; exit 64; }
facts="$here/tests/data/cpython314t-headers.tsv"
out="$here/tests/data/toolchain-private-names.txt"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
awk -F'\t' '$3 == "private" {print $2}' "$facts" | sort -u >"$tmp/private"

names() { # git-dir label pathspec...
    local dir="$1" label="$2"
    shift 2
    # Comments do not count: `//` to the end of a line, lines that open or continue a block
    # comment. (pyo3-ffi notes the names it skips in comments.)
    git --git-dir="$(git -C "$dir" rev-parse --absolute-git-dir)" grep -hE '\b_[A-Za-z]' HEAD -- "$@" |
        sed -E 's#//.*$##; /^[[:space:]]*(\*|\/\*)/d' | grep -oE '\b_[A-Za-z][A-Za-z0-9_]*' | sort -u | comm -12 - "$tmp/private" | sed "s/\$/\t$label/"
    git -C "$dir" rev-parse HEAD >"$tmp/$label.rev"
}
names "$1" cython 'Cython/' ':!Cython/Tests' ':!**/Tests/**' >"$tmp/all"
names "$2" pyo3 'pyo3-ffi/' 'src/' ':!**/tests/**' >>"$tmp/all"
names "$3" pybind11 'include/' >>"$tmp/all"
names "$4" mypyc 'mypyc/' ':!mypyc/test/**' ':!mypyc/test-data/**' ':!mypyc/doc/**' >>"$tmp/all"
{
    echo "# Private names of CPython 3.14's headers that these toolchains use (written by"
    echo "# scripts/toolchain-private-names.sh from: cython $(cat "$tmp/cython.rev"), pyo3 $(cat "$tmp/pyo3.rev"),"
    echo "# pybind11 $(cat "$tmp/pybind11.rev"), mypy $(cat "$tmp/mypyc.rev")). name<TAB>toolchains"
    sort "$tmp/all" | awk -F'\t' '{a[$1] = a[$1] ? a[$1] "," $2 : $2} END {for (n in a) print n "\t" a[n]}' | sort
} >"$out"
echo "toolchain-private-names: $(grep -vc '^#' "$out") names in ${out#"$here"/}"
