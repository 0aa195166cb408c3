#!/usr/bin/env bash
# Threads benchmark: how the C API workloads of test-extensions/src/benchmod.c scale from one
# thread to two under gilgate and under CPython 3.13t (built as distributions build it, see
# scripts/bench-common.sh), and what detaching, a critical section and a lock hand-off cost.
#
# Scenarios (both sides unless noted):
#   free     only benchmod (declares Py_MOD_GIL_NOT_USED) is imported: no lock
#   lock_on  benchhold (undeclared) is imported first: the process's lock is switched on
#   module   gilgate only, policy `module`: a third thread sits in benchhold.hold() (asleep
#            without detaching, so it keeps the per-module lock) during the whole measurement
# For each scenario and workload (every row of scripts/bench-capi.sh, BENCH_WORKLOADS), one
# process per side and round measures the workload with the thread counts of PATTERN in turn
# (default 1,2,p,2,1: one thread, two, one partnered (below), two, one, each measurement right
# after the one before, in the same process). In a measurement THREADS threads start together at a barrier and each
# calls workload(N) until MS milliseconds (from its own start) are spent; calls/s is total
# calls over the time from the first thread's start to the last thread's end (each thread reads
# the clock itself). A time budget rather than a count of calls keeps every measurement about
# as long whatever the row costs.
# Scaling: a two-thread measurement's calls/s over the mean of the one-thread measurements next
# to it (before and after), in the same process; a round's scaling is the median of its
# process's ratios (two with the default pattern 1,2,p,2,1).
# `p` in the pattern: one thread in this process while a partner process (the same driver, its
# own runtime) calls the same workload on one thread, started just before and stopped just
# after. Two threads of the same work with nothing shared in memory: what the machine itself
# takes from each (shared caches, power, the host). The second table of a scenario divides a
# two-thread measurement's rate by the partnered pair's rate next to it (both as the sum of each
# thread's own calls over its own time): 1.00 means that sharing one process (one runtime, one
# heap) costs the two threads nothing beyond what two separate processes pay. Both sides' one- and two-thread rates are taken
# within about MS of each other, with the same heap and code layout: this machine's speed drifts
# over seconds, and a process's layout moves its speed, so ratios between separate processes
# (the method until stop 27) scattered about twice as widely.
# The sides take turns (ROUNDS rounds, the first side alternating); the table shows medians, and
# for each row the difference of the two sides' median scalings with a 95% bootstrap interval
# (resampling each side's per-round scalings; fixed seed): `above` when the interval is above
# zero, `below` when it is below, `level` when it holds zero (the run cannot tell them apart).
# The cost rows divide one call's time by its N: detach_pairs (Py_BEGIN/END_ALLOW_THREADS),
# section_pairs (an uncontended one-object critical section) on one thread, and handoff (two
# threads relaying a turn, each turn one detach and one attach; under lock_on every turn hands
# the process's lock over).
#
# usage: scripts/bench-threads.sh [--no-build] [--record] [--baseline BENCH_THREADS_BINARY]
#                                 [--workloads "W ..."] [--arg-offset K|natural]
#                                 [--pattern P] [--scenarios "S ..."] [--raw FILE]
#                                 [N] [MS] [ROUNDS]
#        defaults: 20000 250 11 (about 18 minutes on an idle 2-core machine; 5 measurements x
#        15 rows x 5 side/scenario pairs x ROUNDS x MS, plus start-up). --record also writes
#        docs/bench/threads.txt. --baseline also runs another build of examples/bench_threads
#        (same arguments; e.g. a copy of the release binary from before a change) as a third
#        side, in the same rounds. --workloads limits the scaling rows. --arg-offset (default
#        48) places the n that every thread passes at byte K (0, 16, 32 or 48) of a 64-byte
#        cache line on every side (BENCH_ARG_OFFSET); `natural` leaves it where the allocator
#        puts it. --pattern sets the thread counts one process measures in turn (1s and 2s,
#        and p, comma-separated, at least one 2 next to a 1; e.g. 1,2,1 for a shorter run
#        without the partnered measurement).
#        --scenarios limits the scenarios (default "free lock_on module"). --raw also writes
#        every measurement, one tab-separated line each (side, round, scenario, workload,
#        threads, seconds, calls, own calls/s, result), in the order measured.
# The placement matters to call_fastcall, whose threads count references on that one object on
# every call: when it starts 48 bytes into a line (where CPython 3.13t's driver finds it in
# every run), its shared count is on the next line, apart from the owner and local count that
# each Py_INCREF/Py_DECREF reads first; at 0, 16 or 32 all three share one line, and both
# CPython and gilgate make about two thirds of the two-thread calls. gilgate's own placement
# moves between runs, so without a fixed offset the row compares placements, not
# implementations.
# env:   BENCH_PYTHON=/path/to/python  time another CPython instead.
# The machine must have 2 free cores for the scaling rows to mean anything: the script prints
# the load average at the start and the end.
set -euo pipefail

BUILD=1
RECORD=0
BASELINE=
WORKLOADS=
ARG_OFFSET=48
PATTERN=1,2,p,2,1
SCENARIOS="free lock_on module"
RAW=
usage() { echo "usage: $0 [--no-build] [--record] [--baseline BENCH_THREADS_BINARY] [--workloads \"W ...\"] [--arg-offset K|natural] [--pattern P] [--scenarios \"S ...\"] [--raw FILE] [N] [MS] [ROUNDS]" >&2; exit 64; }
while [ $# -gt 0 ]; do
    case "$1" in
    --no-build) BUILD=0; shift ;;
    --record) RECORD=1; shift ;;
    --baseline) [ $# -ge 2 ] || usage; BASELINE=$2; shift 2 ;;
    --workloads) [ $# -ge 2 ] || usage; WORKLOADS=$2; shift 2 ;;
    --arg-offset) [ $# -ge 2 ] || usage; ARG_OFFSET=$2; shift 2 ;;
    --pattern) [ $# -ge 2 ] || usage; PATTERN=$2; shift 2 ;;
    --scenarios) [ $# -ge 2 ] || usage; SCENARIOS=$2; shift 2 ;;
    --raw) [ $# -ge 2 ] || usage; RAW=$2; shift 2 ;;
    -*) usage ;;
    *) break ;;
    esac
done
N=${1:-20000}
MS=${2:-250}
ROUNDS=${3:-11}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COST_N=200000
case "$ARG_OFFSET" in
natural) unset BENCH_ARG_OFFSET ;;
0 | 16 | 32 | 48) export BENCH_ARG_OFFSET=$ARG_OFFSET ;;
*) echo "bench: --arg-offset takes 0, 16, 32, 48 (objects start 16-byte aligned) or natural, not $ARG_OFFSET" >&2; exit 64 ;;
esac
if ! [[ "$PATTERN" =~ ^[12p](,[12p])*$ && ",$PATTERN," =~ (,1,2,|,2,1,) ]]; then
    echo "bench: --pattern takes 1, 2 and p separated by commas, with a 2 next to a 1, not $PATTERN" >&2
    exit 64
fi
for scenario in $SCENARIOS; do
    case "$scenario" in
    free | lock_on | module) ;;
    *) echo "bench: --scenarios takes free, lock_on and module, not $scenario" >&2; exit 64 ;;
    esac
done
[ -n "$SCENARIOS" ] || { echo "bench: --scenarios needs at least one scenario" >&2; exit 64; }

# shellcheck source=scripts/bench-common.sh
. "$ROOT/scripts/bench-common.sh"
WORKLOADS=${WORKLOADS:-$BENCH_WORKLOADS}
if [ -n "$BASELINE" ] && [ ! -x "$BASELINE" ]; then
    echo "bench: --baseline $BASELINE is not an executable" >&2
    exit 64
fi
bench_python "$ROOT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
bench_build_ext "$ROOT" "$TMP"
bench_gilgate_bin "$ROOT" "$BUILD" bench_threads

# The CPython side of examples/bench_threads.rs: same arguments, same output.
cat > "$TMP/cpython/threads_driver.py" <<'PY'
import os, subprocess, sys, threading, time, warnings
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ms, n = int(sys.argv[3]), int(sys.argv[4])
# "p": one thread here while a partner process (this script: partner SCENARIO MS N, set up as
# the same scenario) calls the same workload on its one thread.
partner_mode = sys.argv[1] == "partner"
scenario = sys.argv[2] if partner_mode else sys.argv[1]
counts = [] if partner_mode else [c if c == "p" else int(c) for c in sys.argv[2].split(",")]
# BENCH_ARG_OFFSET=K: the shared n is the first fresh int at byte K of a 64-byte line (as
# examples/bench_threads.rs places its own); the others stay allocated for the run.
neighbours = []
want = os.environ.get("BENCH_ARG_OFFSET")
while want is not None and id(n) % 64 != int(want):
    if len(neighbours) == 64:
        sys.exit(f"no int at offset {want} of a cache line in 64 tries")
    neighbours.append(n)
    n = int(sys.argv[4])
budget = ms / 1000
if scenario == "lock_on":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import benchhold  # undeclared: switches the GIL on
import benchmod

if partner_mode:
    # Same protocol as examples/bench_threads.rs's partner mode.
    for line in sys.stdin:
        fn = getattr(benchmod, line.strip())
        print("ready", flush=True)
        sys.stdin.readline()
        print("started", flush=True)
        start = time.perf_counter()
        calls = 0
        while True:
            fn(n)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= budget:
                break
        print(f"{calls / elapsed:.1f}", flush=True)
    sys.exit(0)

partner = None
if "p" in counts:
    partner = subprocess.Popen(
        [sys.executable, "-I", os.path.abspath(__file__), "partner", scenario, str(ms + 60), sys.argv[4]],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

def partner_say(line):
    partner.stdin.write(line + "\n")
    partner.stdin.flush()
    answer = partner.stdout.readline()
    if not answer:
        sys.exit("bench partner: it exited")
    return answer.strip()

def measure(name, fn, threads):
    if name == "handoff":
        benchmod.handoff_reset()
    label = threads
    if threads == "p":
        partner_say(name)  # ready
        partner_say("go")  # started
        threads = 1
    barrier = threading.Barrier(threads + 1)
    results = [None] * threads
    def work(i):
        barrier.wait()
        start = time.perf_counter()
        calls = 0
        while True:
            r = fn(n, i) if name == "handoff" else fn(n)
            calls += 1
            end = time.perf_counter()
            if end - start >= budget:
                break
        results[i] = (start, end, calls, r)
    ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    barrier.wait()
    for t in ts:
        t.join()
    secs = max(r[1] for r in results) - min(r[0] for r in results)
    calls = sum(r[2] for r in results)
    own = sum(r[2] / (r[1] - r[0]) for r in results)
    if label == "p":
        own += float(partner.stdout.readline())
    print(f"{name}\t{label}\t{secs:.6f}\t{calls}\t{own:.1f}\t{results[-1][3]!r}", flush=True)

for name in sys.argv[5:]:
    fn = getattr(benchmod, name)
    for threads in counts:
        measure(name, fn, threads)
if partner is not None:
    partner.stdin.close()
    partner.wait()
PY

run_side() { # SIDE ROUND SCENARIO THREADS MS N WORKLOAD...
    local side=$1 round=$2 scenario=$3
    shift 3
    case "$side" in
    gilgate) "$GILGATE_BIN" "$TMP/gilgate" "$scenario" "$@" ;;
    baseline) "$BASELINE" "$TMP/gilgate" "$scenario" "$@" ;;
    cpython) "$PY" -I "$TMP/cpython/threads_driver.py" "$scenario" "$@" ;;
    esac | sed "s/^/$side\t$round\t$scenario\t/" >> "$TMP/times.tsv"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$TMP/times.tsv"
for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then order="gilgate cpython"; else order="cpython gilgate"; fi
    [ -n "$BASELINE" ] && order="$order baseline"
    for side in $order; do
        for scenario in $SCENARIOS; do
            [ "$side/$scenario" = cpython/module ] && continue
            # shellcheck disable=SC2086  # word lists
            run_side "$side" "$r" "$scenario" "$PATTERN" "$MS" "$N" $WORKLOADS
            # Budget 0: one call each.
            run_side "$side" "$r" "$scenario" 1 0 "$COST_N" detach_pairs section_pairs
            run_side "$side" "$r" "$scenario" 2 0 "$((COST_N / 10))" handoff
        done
    done
done

report() {
    bench_describe_python
    [ -n "$BASELINE" ] && echo "baseline: $BASELINE"
    echo "load:     $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (1, 5, 15 min)"
    echo "method:   N=$N per call, each thread calls for $MS ms, threads $PATTERN in turn in one process, $ROUNDS alternating rounds, medians; cost rows N=$COST_N (handoff $((COST_N / 10)) turns per thread)"
    echo "          the shared n at $([ "$ARG_OFFSET" = natural ] && echo "the allocator's choice of address" || echo "byte $ARG_OFFSET of a 64-byte line") on every side (--arg-offset)"
    "$PY" - "$TMP/times.tsv" "$WORKLOADS" "$SCENARIOS" <<'PY'
import random, statistics, sys
from collections import defaultdict
# (side, scenario, workload, round) -> the process's measurements in order:
# [(threads, secs, calls, result, own)]; threads is 1, 2 or "p" (one thread here, one in the
# partner process); own is the sum of each thread's (and the partner's) own calls/s.
runs = defaultdict(list)
for line in open(sys.argv[1]):
    side, rnd, scenario, name, threads, secs, calls, own, result = line.rstrip("\n").split("\t")
    threads = threads if threads == "p" else int(threads)
    runs[side, scenario, name, int(rnd)].append(
        (threads, float(secs), int(calls), result, float(own)))
names = sys.argv[2].split()
scenarios = sys.argv[3].split()
base = any(k[0] == "baseline" for k in runs)
sides = ("gilgate", "cpython", "baseline") if base else ("gilgate", "cpython")
def med(xs):
    return statistics.median(xs) if xs else float("nan")
def rounds(side, scenario, name):
    return [v for (s, sc, n, _), v in sorted(runs.items()) if (s, sc, n) == (side, scenario, name)]
def scalings(seq):
    """Each two-thread rate over the mean of the one-thread rates measured next to it."""
    rate = [m[2] / m[1] for m in seq]
    out = []
    for i, m in enumerate(seq):
        ones = [rate[j] for j in (i - 1, i + 1) if 0 <= j < len(seq) and seq[j][0] == 1]
        if m[0] == 2 and ones:
            out.append(rate[i] / statistics.fmean(ones))
    return out
def rates(side, scenario, name):
    rs = rounds(side, scenario, name)
    one = [m[2] / m[1] for seq in rs for m in seq if m[0] == 1]
    two = [m[2] / m[1] for seq in rs for m in seq if m[0] == 2]
    per_round = [med(r) for r in map(scalings, rs) if r]
    return med(one), med(two), per_round
def sharing(seq):
    """Each two-thread measurement's own rates over those of the partnered ones next to it."""
    out = []
    for i, m in enumerate(seq):
        ps = [seq[j][4] for j in (i - 1, i + 1) if 0 <= j < len(seq) and seq[j][0] == "p"]
        if m[0] == 2 and ps:
            out.append(m[4] / statistics.fmean(ps))
    return out
def shared_rates(side, scenario, name):
    rs = rounds(side, scenario, name)
    two = [m[4] for seq in rs for m in seq if m[0] == 2]
    apart = [m[4] for seq in rs for m in seq if m[0] == "p"]
    return med(two), med(apart), [med(r) for r in map(sharing, rs) if r]
rng = random.Random(12)
def compare(g, c):
    """Median scaling difference and its 95% bootstrap interval, each side resampled."""
    if not g or not c:
        return float("nan"), float("nan"), float("nan"), "-"
    diffs = sorted(med(rng.choices(g, k=len(g))) - med(rng.choices(c, k=len(c)))
                   for _ in range(2000))
    lo, hi = diffs[50], diffs[1949]
    verdict = "above" if lo > 0 else "below" if hi < 0 else "level"
    return med(g) - med(c), lo, hi, verdict
bad = False
tally = defaultdict(int)
def table(scenario, measure, cols, key):
    """One table of a scenario: for each row, gilgate's and CPython's (and the baseline's) two
    rates from `measure` and the median of their per-round ratios; the difference of the two
    sides' medians with its interval, tallied under (key, verdict)."""
    a, b, r = cols
    hdr = f"{'workload':<13} {'gilgate ' + a:>12} {b:>9} {r:>7}   {'CPython ' + a:>12} {b:>9} {r:>7}   {'difference [95% interval]':<26}"
    if base:
        hdr += f" {'baseline ' + a:>13} {b:>9} {r:>7}"
    print(hdr)
    for name in names:
        g1, g2, gr = measure("gilgate", scenario, name)
        if scenario != "module":
            c1, c2, cr = measure("cpython", scenario, name)
            d, lo, hi, verdict = compare(gr, cr)
            tally[key, verdict] += 1
            cpy = f"{c1:>12.0f} {c2:>9.0f} {med(cr):>7.2f}   {f'{d:+.2f} [{lo:+.2f}, {hi:+.2f}] {verdict}':<26}"
        else:
            cpy = f"{'-':>12} {'-':>9} {'-':>7}   {'-':<26}"
        line = f"{name:<13} {g1:>12.0f} {g2:>9.0f} {med(gr):>7.2f}   {cpy}"
        if base:
            b1, b2, br = measure("baseline", scenario, name)
            line += f" {b1:>13.0f} {b2:>9.0f} {med(br):>7.2f}"
        print(line)
for scenario, title in (("free", "declared module only (no lock)"),
                        ("lock_on", "after an undeclared import (process lock on)"),
                        ("module", "policy module, a third thread holding the module lock (gilgate only)")):
    if scenario not in scenarios:
        continue
    for name in names:
        res = {m[3] for side in sides for seq in rounds(side, scenario, name) for m in seq}
        if len(res) != 1:
            bad = True
            print(f"MISMATCH {scenario} {name}: " + " ".join(sorted(res)))
    print(f"\n{scenario}: {title}")
    table(scenario, rates, ("1T/s", "2T/s", "scaling"), scenario)
    if scenario != "module":
        print("gilgate's scaling against CPython's: " + ", ".join(
            f"{tally[scenario, v]} {v}" for v in ("above", "level", "below")))
    if not any(m[0] == "p" for (s, sc, _, _), seq in runs.items() if sc == scenario for m in seq):
        continue
    print(f"\n{scenario}: two threads in one process against one in each of two processes")
    table(scenario, shared_rates, ("2T/s", "2P/s", "ratio"), scenario + "/p")
    if scenario != "module":
        print("gilgate's ratio against CPython's: " + ", ".join(
            f"{tally[scenario + '/p', v]} {v}" for v in ("above", "level", "below")))
print("\ncosts, ns per operation (median):")
print(f"{'operation':<42} {'gilgate':>8} {'CPython':>8}" + (f" {'baseline':>8}" if base else ""))
def cost(side, scenario, name, threads):
    ms = [m for seq in rounds(side, scenario, name) for m in seq if m[0] == threads]
    # one call per thread; each returns its n, so the operations are threads * n
    return med([m[1] / (threads * int(m[3])) * 1e9 for m in ms])
for scenario in scenarios:
    for name, threads, what in (("detach_pairs", 1, "detach + attach"),
                                ("section_pairs", 1, "critical section, uncontended"),
                                ("handoff", 2, "relay turn (detach, wait, attach)")):
        g = cost("gilgate", scenario, name, threads)
        c = cost("cpython", scenario, name, threads) if scenario != "module" else float("nan")
        line = f"{scenario + ': ' + what:<42} {g:>8.0f} {c:>8.0f}"
        if base:
            line += f" {cost('baseline', scenario, name, threads):>8.0f}"
        print(line)
sys.exit(1 if bad else 0)
PY
}
if [ -n "$RAW" ]; then
    cp "$TMP/times.tsv" "$RAW"
fi
if [ "$RECORD" = 1 ]; then
    mkdir -p "$ROOT/docs/bench"
    report | tee "$ROOT/docs/bench/threads.txt"
else
    report
fi
