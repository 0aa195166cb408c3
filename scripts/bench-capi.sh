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
# Beside the times, the table gives each side's instructions per iteration, counted with
# valgrind's callgrind as scripts/bench-callgrind.sh counts them (Ir of a call with IR_N + 1
# iterations minus Ir of a call with 1, over IR_N): these do not depend on the machine's load.
#
# usage: scripts/bench-capi.sh [--no-build] [--no-callgrind] [--record] [--baseline BENCH_CAPI_BINARY]
#                              [N] [ROUNDS] [CALLS]
#        defaults: 200000 15 7 (about a minute besides the callgrind counts; the machine's
#        speed jumps between runs, so many short rounds and a best of several calls per process
#        give steadier medians than a few long ones). --baseline also times another build of examples/bench_capi (for
#        example one copied from main before a change) in the same rounds. --record also writes
#        the report to docs/bench/capi.txt (the table docs/benchmarks.md and README quote).
#        --no-callgrind leaves the instruction columns out.
# env:   BENCH_PYTHON=/path/to/python  time another CPython instead (the table names it).
#        BENCH_IR_N (default 20000)    iterations of the callgrind counts.
set -euo pipefail

BASELINE=
BUILD=1
RECORD=0
CALLGRIND=1
while [ $# -gt 0 ]; do
    case "$1" in
    --baseline) BASELINE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-callgrind) CALLGRIND=0; shift ;;
    --record) RECORD=1; shift ;;
    -*) echo "usage: $0 [--no-build] [--no-callgrind] [--record] [--baseline BENCH_CAPI_BINARY] [N] [ROUNDS] [CALLS]" >&2; exit 64 ;;
    *) break ;;
    esac
done
N=${1:-200000}
ROUNDS=${2:-15}
CALLS=${3:-7}
IR_N=${BENCH_IR_N:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

# shellcheck source=scripts/bench-common.sh
. "$ROOT/scripts/bench-common.sh"
bench_python "$ROOT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ "$CALLGRIND" = 1 ] && bench_need_valgrind
bench_build_ext "$ROOT" "$TMP"

bench_gilgate_bin "$ROOT" "$BUILD"
# What is measured, described before the runs (the tree may change while they go on).
bench_describe_python > "$TMP/describe"

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

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$TMP/ir.tsv"
if [ "$CALLGRIND" = 1 ]; then
    for w in $BENCH_WORKLOADS; do
        printf '%s\t%s\t%s\n' "$w" "$(bench_ir_per_iter "$TMP" gilgate "$w" "$IR_N")" \
            "$(bench_ir_per_iter "$TMP" cpython "$w" "$IR_N")" >> "$TMP/ir.tsv"
    done
fi

report() {
    cat "$TMP/describe"
    echo "load:     $load_start at start, $load_end at the end of the timed rounds (1, 5, 15 min)"
    echo "method:   N=$N iterations inside C per call, best of $CALLS calls per process, $ROUNDS alternating rounds, medians"
    [ "$CALLGRIND" = 1 ] && echo "ir:       $(valgrind --version) callgrind Ir per iteration: (Ir of N=$((IR_N + 1)) - Ir of N=1) / $IR_N"
    [ -n "$BASELINE" ] && echo "baseline: $BASELINE"
    "$PY" - "$TMP/times.tsv" "$BENCH_WORKLOADS" "$TMP/ir.tsv" <<'PY'
import statistics, sys
from collections import defaultdict
ir = {}
for line in open(sys.argv[3]):
    name, g_ir, c_ir = line.rstrip("\n").split("\t")
    ir[name] = (int(g_ir), int(c_ir))
t = defaultdict(dict)       # (workload, round) -> side -> seconds
sums = defaultdict(set)     # workload -> checksums seen
for line in open(sys.argv[1]):
    side, rnd, name, secs, checksum = line.rstrip("\n").split("\t")
    t[name, rnd][side] = float(secs)
    sums[name].add(checksum)
names = sys.argv[2].split()
base = any("baseline" in v for v in t.values())
hdr = f"{'workload':<13} {'gilgate ms':>10} {'CPython ms':>10} {'ratio':>6} {'(min-max)':>11}"
if ir:
    hdr += f" {'gilgate Ir':>10} {'CPython Ir':>10} {'Ir ratio':>8}"
if base:
    hdr += f" {'baseline ms':>11} {'base ratio':>10}"
print(hdr + "  checksum")
bad = False
for name in names:
    rounds = [v for (n, _), v in sorted(t.items()) if n == name]
    g = [v["gilgate"] for v in rounds]
    c = [v["cpython"] for v in rounds]
    ratios = [v["gilgate"] / v["cpython"] for v in rounds]
    row = (f"{name:<13} {statistics.median(g)*1e3:>10.2f} {statistics.median(c)*1e3:>10.2f}"
           f" {statistics.median(ratios):>6.2f} {min(ratios):>5.2f}-{max(ratios):<5.2f}")
    if ir:
        gi, ci = ir[name]
        row += f" {gi:>10} {ci:>10} {gi / ci:>8.2f}"
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
