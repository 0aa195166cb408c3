#!/usr/bin/env bash
# Builds the bundled sample extension modules and inspects them with gilgate, in two parts:
#   1. the well-behaved samples: a clean report, `gilgate inspect` exits 0;
#   2. the samples that are broken on purpose (a crashing init, a truncated file, duplicate
#      slots, ...): each is reported as that module's error and `gilgate inspect` exits 2.
# The split comes from test-extensions/expected.tsv: a sample whose expected `status` is `ok`
# belongs to part 1, every other one to part 2. The demo exits 0 when both parts give what
# expected.tsv says (exit 0, then exit 2), and non-zero otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build -q -p gilgate-test-extensions -p gilgate
samples="$(cargo run -q -p gilgate-test-extensions --bin gilgate-samples)"
gilgate="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/debug/gilgate"
[[ -x "$gilgate" ]] || {
    echo "demo: $gilgate not built" >&2
    exit 1
}

# file names of the samples by expected inspect status (columns found by their header names)
split() { # split ok|broken
    awk -F'\t' -v want="$1" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $0 == "" { next }
        (want == "ok") == ($col["status"] == "ok") { print $col["file"] }
    ' test-extensions/expected.tsv
}
mapfile -t good < <(split ok)
mapfile -t broken < <(split broken)

show() { # show TITLE FILES...: prints the command (with the sample folder shortened) and runs it
    local title="$1"
    shift
    echo "== $title"
    echo "\$ gilgate inspect --timeout 3 FILE...   ($# files of $samples)"
    echo
    local -a paths=()
    local f
    for f in "$@"; do paths+=("$samples/$f"); done
    rc=0
    "$gilgate" inspect --timeout 3 "${paths[@]}" || rc=$?
    echo
}

show "1. ${#good[@]} well-behaved sample modules (each declares its lock use; exit 0 expected)" "${good[@]}"
good_rc=$rc
echo "demo: part 1 exit status $good_rc"
echo
show "2. ${#broken[@]} samples BROKEN ON PURPOSE (bad slots, failing or crashing inits, files that are not modules; exit 2 expected)" "${broken[@]}"
broken_rc=$rc
echo "demo: part 2 exit status $broken_rc (2: some module could not be inspected; see README 'Exit status')"

if [[ $good_rc != 0 || $broken_rc != 2 ]]; then
    echo "demo: unexpected exit status (part 1: $good_rc, want 0; part 2: $broken_rc, want 2)" >&2
    exit 1
fi
echo "demo: ok"
