#!/usr/bin/env bash
# Record CPython 3.13t's own lock decision for every module of the corpus's cp313t wheels into
# tests/data/corpus-cpython313t.tsv (one source of tests/data/corpus-expected.tsv; see docs/corpus.md).
#
# Needs the reference CPython 3.13t (bash scripts/reference-cpython.sh 313t; its path comes from
# `scripts/reference-cpython.sh env`, or PY313T=/path/to/python3.13t). Makes a venv in
# ${GILGATE_CACHE:-~/.cache/gilgate}/reference/corpus-313t-venv, installs every cached cp313t corpus
# wheel into it with --no-deps from the file (no index), then runs scripts/corpus-cpython.py there.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}"
py="${PY313T:-}"
if [[ -z "$py" ]]; then
    py="$(bash "$repo/scripts/reference-cpython.sh" env 2>/dev/null | sed -n 's/^GILGATE_PY313T=//p')"
    [[ -n "$py" ]] || py="$cache/reference/cpython-3.13t/bin/python3.13t"
fi
if [[ ! -x "$py" ]]; then
    echo "corpus-cpython: no CPython 3.13t at $py; run: bash scripts/reference-cpython.sh 313t" >&2
    exit 1
fi
"$py" -c 'import sys; assert not sys._is_gil_enabled()' ||
    { echo "corpus-cpython: $py is not a free-threaded build" >&2; exit 1; }

bash "$repo/scripts/fetch-corpus.sh" >/dev/null
venv="$cache/reference/corpus-313t-venv"
rm -rf "$venv"
"$py" -m venv "$venv"
mapfile -t wheels < <(bash "$repo/scripts/fetch-corpus.sh" --list | grep -- '-cp313t-')
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-index "${wheels[@]}"
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$repo/scripts/corpus-static.py" "${wheels[@]}" >"$tmp/static.tsv"
"$venv/bin/python" "$repo/scripts/corpus-cpython.py" "$tmp/static.tsv" "$site" >"$tmp/out.tsv"
mv "$tmp/out.tsv" "$repo/tests/data/corpus-cpython313t.tsv"
cut -f3 "$repo/tests/data/corpus-cpython313t.tsv" | grep -v -e '^#' -e '^decision$' | sort | uniq -c
