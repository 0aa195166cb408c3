#!/usr/bin/env bash
# The real-wheel corpus check (CI): fetch the corpus (scripts/fetch-corpus.sh, cached in
# ${GILGATE_CACHE:-~/.cache/gilgate}/corpus), run `gilgate inspect --json` over every wheel and compare
# each module with tests/data/corpus-expected.tsv (scripts/corpus-check.py). A changed row or a module
# the table does not know fails; rows marked known_diff are listed and do not fail.
#
# Usage: scripts/corpus-check.sh [--regenerate] [--summary]
#   GILGATE_BIN   the gilgate binary to check (default: target/debug/gilgate, brought up to date with
#                 cargo build -p gilgate)
#   --regenerate  rewrite tests/data/corpus-expected.tsv from the static read, the recorded CPython
#                 3.13t results, the source declarations and this run (see scripts/corpus-expected.py)
#   --summary     also print the counts by toolchain and outcome (scripts/corpus-summary.py)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
start=$(date +%s)

bash "$repo/scripts/fetch-corpus.sh" >/dev/null
mapfile -t wheels < <(bash "$repo/scripts/fetch-corpus.sh" --list)

bin="${GILGATE_BIN:-}"
if [[ -z "$bin" ]]; then
    (cd "$repo" && cargo build -q -p gilgate)
    bin="$repo/target/debug/gilgate"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# exit status 2/3 (some module could not be inspected / enables the lock) is expected here; 64 and
# crashes of gilgate itself are not
set +e
"$bin" inspect --json "${wheels[@]}" >"$out/run.json" 2>"$out/stderr"
rc=$?
set -e
if [[ $rc -ne 0 && $rc -ne 2 && $rc -ne 3 ]]; then
    echo "corpus-check: gilgate inspect exited $rc" >&2
    tail -n 20 "$out/stderr" >&2
    exit 1
fi

regenerate=0
summary=0
for arg in "$@"; do
    case "$arg" in
        --regenerate) regenerate=1 ;;
        --summary) summary=1 ;;
        *) echo "corpus-check: unknown argument $arg" >&2; exit 64 ;;
    esac
done

if [[ $regenerate == 1 ]]; then
    "$python" "$repo/scripts/corpus-static.py" "${wheels[@]}" >"$out/static.tsv"
    args=(--sources "$repo/tests/data/corpus-sources.tsv")
    [[ -f "$repo/tests/data/corpus-expected.tsv" ]] && args+=(--previous "$repo/tests/data/corpus-expected.tsv")
    [[ -f "$repo/tests/data/corpus-cpython313t.tsv" ]] && args+=(--cpython "$repo/tests/data/corpus-cpython313t.tsv")
    "$python" "$repo/scripts/corpus-expected.py" "$out/static.tsv" "$out/run.json" "${args[@]}" \
        >"$out/expected.tsv"
    mv "$out/expected.tsv" "$repo/tests/data/corpus-expected.tsv"
    echo "corpus-check: rewrote tests/data/corpus-expected.tsv"
fi

status=0
"$python" "$repo/scripts/corpus-check.py" "$repo/tests/data/corpus-expected.tsv" "$out/run.json" || status=$?
if [[ $summary == 1 ]]; then
    "$python" "$repo/scripts/corpus-summary.py" "$repo/tests/data/corpus-expected.tsv" "$out/run.json"
fi
echo "corpus-check: ${#wheels[@]} wheels in $(($(date +%s) - start)) s"
exit $status
