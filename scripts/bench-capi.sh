#!/usr/bin/env bash
# C API benchmark: the same extension (test-extensions/src/benchmod.c) timed in-process under
# gilgate and under CPython 3.13t built as distributions build CPython (--enable-optimizations
# --with-lto, free-threaded; scripts/reference-cpython.sh 313t builds it into the cache, tens of
# minutes the first time).
#
# Both builds of benchmod use that CPython's own extension flags (sysconfig CC, CFLAGS, CCSHARED,
# LDSHARED, as setuptools uses them); only the include folder differs: CPython's INCLUDEPY for the
# CPython build, gilgate's include/ for the gilgate build. Every workload runs N iterations inside
# one C call; one process per side and workload times CALLS calls and keeps the best. The sides take
# turns (ROUNDS rounds, the side that goes first alternating), so a change in the machine's load
# hits both alike; each round gives one ratio per workload, and the table shows the median of
# those ratios (with the lowest and highest) next to the median times. The checksums must agree,
# else the script fails. Below 1.0: gilgate is faster.
#
# usage: scripts/bench-capi.sh [--no-build] [--record] [--baseline BENCH_CAPI_BINARY] [N] [ROUNDS] [CALLS]
#        defaults: 200000 7 3. --baseline also times another build of examples/bench_capi (for
#        example one copied from main before a change) in the same rounds. --record also writes
#        the report to docs/bench/capi.txt (the figures docs/benchmarks.md quotes).
# env:   BENCH_PYTHON=/path/to/python  time another CPython instead (the table names it).
set -euo pipefail

BASELINE=
BUILD=1
RECORD=0
while [ $# -gt 0 ]; do
    case "$1" in
    --baseline) BASELINE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --record) RECORD=1; shift ;;
    -*) echo "usage: $0 [--no-build] [--record] [--baseline BENCH_CAPI_BINARY] [N] [ROUNDS] [CALLS]" >&2; exit 64 ;;
    *) break ;;
    esac
done
N=${1:-200000}
ROUNDS=${2:-7}
CALLS=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

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

run_side() { # SIDE ROUND WORKLOAD
    case "$1" in
    gilgate) "$GILGATE_BIN" "$TMP/gilgate" "$N" "$CALLS" "$3" ;;
    cpython) "$PY" -I "$TMP/cpython/bench_driver.py" "$N" "$CALLS" "$3" ;;
    baseline) "$BASELINE" "$TMP/gilgate" "$N" "$CALLS" "$3" ;;
    esac | sed "s/^/$1\t$2\t/" >> "$TMP/times.tsv"
}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$TMP/times.tsv"
for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then order="gilgate cpython"; else order="cpython gilgate"; fi
    [ -n "$BASELINE" ] && order="$order baseline"
    for w in $BENCH_WORKLOADS; do
        for side in $order; do run_side "$side" "$r" "$w"; done
    done
done

report() {
    bench_describe_python
    echo "load:     $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (1, 5, 15 min)"
    echo "method:   N=$N iterations inside C per call, best of $CALLS calls per process, $ROUNDS alternating rounds, medians"
    [ -n "$BASELINE" ] && echo "baseline: $BASELINE"
    "$PY" - "$TMP/times.tsv" "$BENCH_WORKLOADS" <<'PY'
import statistics, sys
from collections import defaultdict
t = defaultdict(dict)       # (workload, round) -> side -> seconds
sums = defaultdict(set)     # workload -> checksums seen
for line in open(sys.argv[1]):
    side, rnd, name, secs, checksum = line.rstrip("\n").split("\t")
    t[name, rnd][side] = float(secs)
    sums[name].add(checksum)
names = sys.argv[2].split()
base = any("baseline" in v for v in t.values())
hdr = f"{'workload':<12} {'gilgate ms':>10} {'CPython ms':>10} {'ratio':>6} {'(min-max)':>11}"
if base:
    hdr += f" {'baseline ms':>11} {'base ratio':>10}"
print(hdr + "  checksum")
bad = False
for name in names:
    rounds = [v for (n, _), v in sorted(t.items()) if n == name]
    g = [v["gilgate"] for v in rounds]
    c = [v["cpython"] for v in rounds]
    ratios = [v["gilgate"] / v["cpython"] for v in rounds]
    row = (f"{name:<12} {statistics.median(g)*1e3:>10.2f} {statistics.median(c)*1e3:>10.2f}"
           f" {statistics.median(ratios):>6.2f} {min(ratios):>5.2f}-{max(ratios):<5.2f}")
    if base:
        b = [v["baseline"] for v in rounds]
        br = [v["baseline"] / v["cpython"] for v in rounds]
        row += f" {statistics.median(b)*1e3:>11.2f} {statistics.median(br):>10.2f}"
    if len(sums[name]) == 1:
        row += "  " + next(iter(sums[name]))
    else:
        bad = True
        row += "  MISMATCH " + " ".join(sorted(sums[name]))
    print(row)
sys.exit(1 if bad else 0)
PY
}
if [ "$RECORD" = 1 ]; then
    mkdir -p "$ROOT/docs/bench"
    report | tee "$ROOT/docs/bench/capi.txt"
else
    report
fi
