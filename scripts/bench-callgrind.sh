#!/usr/bin/env bash
# Instructions per iteration of each C API benchmark workload (test-extensions/src/benchmod.c),
# under gilgate and under CPython 3.13t (--enable-optimizations --with-lto; the same two builds of
# benchmod as scripts/bench-capi.sh). Counted with valgrind's callgrind, so the figures do not
# depend on the machine's load: each workload runs in its own process once with N+1 iterations
# and once with 1, and the difference of the two total instruction counts (Ir), divided by N, is
# the count per iteration (start-up, import and the first iteration cancel out).
#
# usage: scripts/bench-callgrind.sh [--no-build] [--record] [N]     (default N: 20000)
#        --record also writes the report to docs/bench/callgrind.txt (quoted by docs/benchmarks.md)
# env:   BENCH_PYTHON=/path/to/python  count another CPython instead (the table names it).
set -euo pipefail

BUILD=1
RECORD=0
while [ $# -gt 0 ]; do
    case "$1" in
    --no-build) BUILD=0; shift ;;
    --record) RECORD=1; shift ;;
    -*) echo "usage: $0 [--no-build] [--record] [N]" >&2; exit 64 ;;
    *) break ;;
    esac
done
N=${1:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq valgrind >/dev/null
    else
        echo "bench-callgrind: needs valgrind (Debian package valgrind; run as root to install it)" >&2
        exit 1
    fi
fi

# shellcheck source=scripts/bench-common.sh
. "$ROOT/scripts/bench-common.sh"
bench_python "$ROOT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
bench_build_ext "$ROOT" "$TMP"
if [ "$BUILD" = 1 ]; then
    (cd "$ROOT" && CARGO_INCREMENTAL=0 cargo build --quiet --release --example bench_capi)
fi
GILGATE_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/bench_capi"

# Total Ir of one process running workload W once with n iterations.
count() { # SIDE W n
    local out="$TMP/cg.$1.$2.$3"
    case "$1" in
    gilgate) set -- "$GILGATE_BIN" "$TMP/gilgate" "$3" 1 "$2" ;;
    cpython) set -- "$PY" -I "$TMP/cpython/bench_driver.py" "$3" 1 "$2" ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$out.log" || {
        echo "bench-callgrind: '$*' failed under callgrind:" >&2
        tail -n 20 "$out.log" >&2
        exit 1
    }
    awk '/^(summary|totals):/ { print $2; exit }' "$out"
}

report() {
    bench_describe_python
    echo "valgrind: $(valgrind --version)"
    echo "method:   callgrind Ir of one call with N+1 iterations minus one with 1, divided by N=$N"
    printf '%-12s %10s %10s %6s\n' workload gilgate CPython ratio
    for w in $BENCH_WORKLOADS; do
        g=$(($(count gilgate "$w" $((N + 1))) - $(count gilgate "$w" 1)))
        c=$(($(count cpython "$w" $((N + 1))) - $(count cpython "$w" 1)))
        awk -v w="$w" -v g="$g" -v c="$c" -v n="$N" \
            'BEGIN { printf "%-12s %10.0f %10.0f %6.2f\n", w, g / n, c / n, g / c }'
    done
}
if [ "$RECORD" = 1 ]; then
    mkdir -p "$ROOT/docs/bench"
    report | tee "$ROOT/docs/bench/callgrind.txt"
else
    report
fi
