#!/usr/bin/env bash
# Instructions per iteration of each C API benchmark workload (test-extensions/src/benchmod.c),
# under gilgate and under CPython 3.13t (--enable-optimizations --with-lto; the same two builds of
# benchmod as scripts/bench-capi.sh). Counted with valgrind's callgrind, so the figures do not
# depend on the machine's load: each workload runs in its own process once with N+1 iterations
# and once with 1, and the difference of the two total instruction counts (Ir), divided by N, is
# the count per iteration (start-up, import and the first iteration cancel out).
#
# usage: scripts/bench-callgrind.sh [--no-build] [--record] [--baseline BENCH_CAPI_BINARY] [N]
#        (default N: 20000). --record also writes the report to docs/bench/callgrind.txt (quoted
#        by docs/benchmarks.md). --baseline also counts another build of examples/bench_capi (for
#        example one built from an older commit) and prints its counts and gilgate's change.
# env:   BENCH_PYTHON=/path/to/python  count another CPython instead (the table names it).
set -euo pipefail

BUILD=1
RECORD=0
BASELINE=
while [ $# -gt 0 ]; do
    case "$1" in
    --no-build) BUILD=0; shift ;;
    --record) RECORD=1; shift ;;
    --baseline) BASELINE=$2; shift 2 ;;
    -*) echo "usage: $0 [--no-build] [--record] [--baseline BENCH_CAPI_BINARY] [N]" >&2; exit 64 ;;
    *) break ;;
    esac
done
N=${1:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

# shellcheck source=scripts/bench-common.sh
. "$ROOT/scripts/bench-common.sh"
bench_python "$ROOT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
bench_need_valgrind
bench_build_ext "$ROOT" "$TMP"
bench_gilgate_bin "$ROOT" "$BUILD"

report() {
    bench_describe_python
    echo "valgrind: $(valgrind --version)"
    echo "method:   callgrind Ir of one call with N+1 iterations minus one with 1, divided by N=$N"
    [ -n "$BASELINE" ] && echo "baseline: $BASELINE"
    if [ -n "$BASELINE" ]; then
        printf '%-12s %10s %10s %6s %10s %7s\n' workload gilgate CPython ratio baseline change
    else
        printf '%-12s %10s %10s %6s\n' workload gilgate CPython ratio
    fi
    for w in $BENCH_WORKLOADS; do
        g=$(($(bench_callgrind_count "$TMP" gilgate "$w" $((N + 1))) - $(bench_callgrind_count "$TMP" gilgate "$w" 1)))
        c=$(($(bench_callgrind_count "$TMP" cpython "$w" $((N + 1))) - $(bench_callgrind_count "$TMP" cpython "$w" 1)))
        if [ -n "$BASELINE" ]; then
            b=$(($(bench_callgrind_count "$TMP" baseline "$w" $((N + 1))) - $(bench_callgrind_count "$TMP" baseline "$w" 1)))
            awk -v w="$w" -v g="$g" -v c="$c" -v b="$b" -v n="$N" \
                'BEGIN { printf "%-12s %10.0f %10.0f %6.2f %10.0f %+6.1f%%\n", w, g / n, c / n, g / c, b / n, 100 * (g - b) / b }'
        else
            awk -v w="$w" -v g="$g" -v c="$c" -v n="$N" \
                'BEGIN { printf "%-12s %10.0f %10.0f %6.2f\n", w, g / n, c / n, g / c }'
        fi
    done
}
if [ "$RECORD" = 1 ]; then
    mkdir -p "$ROOT/docs/bench"
    report | tee "$ROOT/docs/bench/callgrind.txt"
else
    report
fi
