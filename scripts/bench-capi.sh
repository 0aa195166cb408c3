#!/usr/bin/env bash
# C API benchmark: the same extension (test-extensions/src/benchmod.c) timed in-process
# under gilgate and under the machine's CPython (3.11 here), built the same way (cc -O2)
# against gilgate's include/ and against CPython's own headers (python3-config --includes).
# Every workload runs N iterations inside one C call; the best of RUNS calls counts. The
# checksums must agree, else the script fails. Prints one row per workload with the
# ratio gilgate/CPython (below 1.0: gilgate is faster).
#
# usage: scripts/bench-capi.sh [--baseline BENCH_CAPI_BINARY] [--no-build] [N] [RUNS]
#        (defaults: 200000 5). --baseline also times another build of
#        examples/bench_capi (for example one copied from main before a change) in the
#        same run and prints its times and ratios too. The three programs take turns
#        workload by workload, so a change in machine load hits them alike.
set -euo pipefail

BASELINE=
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --baseline) BASELINE=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        *) break ;;
    esac
done
N=${1:-200000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CC=${CC:-cc}
PYTHON=${PYTHON:-python3}
PYCONFIG=${PYCONFIG:-python3-config}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$TMP/gilgate" "$TMP/cpython"
src="$ROOT/test-extensions/src/benchmod.c"
"$CC" -O2 -shared -fPIC -I"$ROOT/include" "$src" \
    -o "$TMP/gilgate/benchmod.cpython-314t-x86_64-linux-gnu.so"
# shellcheck disable=SC2046  # python3-config prints several -I flags
"$CC" -O2 -shared -fPIC $("$PYCONFIG" --includes) "$src" \
    -o "$TMP/cpython/benchmod$("$PYCONFIG" --extension-suffix)"

if [ "$BUILD" = 1 ]; then
    (cd "$ROOT" && CARGO_INCREMENTAL=0 cargo build --quiet --release --example bench_capi)
fi
cat > "$TMP/cpython.py" <<'PY'
import sys, time
import benchmod
n, runs = int(sys.argv[1]), int(sys.argv[2])
for name in sys.argv[3:]:
    fn = getattr(benchmod, name)
    best = float("inf")
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        r = fn(n)
        best = min(best, time.perf_counter() - start)
    print(f"{name}\t{best:.6f}\t{r!r}")
PY
: > "$TMP/gilgate.tsv"
: > "$TMP/cpython.tsv"
: > "$TMP/baseline.tsv"
for w in objects int_arith float_arith list_ops dict_ops str_build parse_args; do
    "$ROOT/target/release/examples/bench_capi" "$TMP/gilgate" "$N" "$RUNS" "$w" >> "$TMP/gilgate.tsv"
    PYTHONPATH="$TMP/cpython" "$PYTHON" "$TMP/cpython.py" "$N" "$RUNS" "$w" >> "$TMP/cpython.tsv"
    if [ -n "$BASELINE" ]; then
        "$BASELINE" "$TMP/gilgate" "$N" "$RUNS" "$w" >> "$TMP/baseline.tsv"
    fi
done

echo "python:  $("$PYTHON" --version 2>&1) ($(command -v "$PYTHON"))"
echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "method:  N=$N iterations inside C per call, best of $RUNS calls, in-process timers"
[ -n "$BASELINE" ] && echo "baseline: $BASELINE"
"$PYTHON" - "$TMP/gilgate.tsv" "$TMP/cpython.tsv" "$TMP/baseline.tsv" <<'PY'
import sys
def rows(path):
    return [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
g, c, b = rows(sys.argv[1]), rows(sys.argv[2]), rows(sys.argv[3])
extra = f" {'baseline ms':>12} {'base ratio':>10}" if b else ""
print(f"{'workload':<12} {'gilgate ms':>11} {'CPython ms':>11} {'ratio':>7}{extra}  checksum")
bad = False
for i, ((gn, gt, gs), (cn, ct, cs)) in enumerate(zip(g, c)):
    assert gn == cn, (gn, cn)
    same = gs == cs
    bad |= not same
    note = gs if same else f"MISMATCH gilgate {gs} CPython {cs}"
    more = ""
    if b:
        bn, bt, bs = b[i]
        assert bn == gn, (bn, gn)
        bad |= bs != cs
        more = f" {float(bt)*1e3:>12.2f} {float(bt)/float(ct):>10.2f}"
    print(f"{gn:<12} {float(gt)*1e3:>11.2f} {float(ct)*1e3:>11.2f} {float(gt)/float(ct):>7.2f}{more}  {note}")
sys.exit(1 if bad else 0)
PY
