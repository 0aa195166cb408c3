#!/usr/bin/env bash
# C API benchmark: the same extension (test-extensions/src/benchmod.c) timed in-process
# under gilgate and under the machine's CPython (3.11 here), built the same way (cc -O2)
# against gilgate's include/ and against CPython's own headers (python3-config --includes).
# Every workload runs N iterations inside one C call; the best of RUNS calls counts. The
# checksums must agree, else the script fails. Prints one row per workload with the
# ratio gilgate/CPython (below 1.0: gilgate is faster).
#
# usage: scripts/bench-capi.sh [N] [RUNS]      (defaults: 200000 5)
set -euo pipefail

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

(cd "$ROOT" && CARGO_INCREMENTAL=0 cargo build --quiet --release --example bench_capi)
"$ROOT/target/release/examples/bench_capi" "$TMP/gilgate" "$N" "$RUNS" > "$TMP/gilgate.tsv"

PYTHONPATH="$TMP/cpython" "$PYTHON" - "$N" "$RUNS" > "$TMP/cpython.tsv" <<'PY'
import sys, time
import benchmod
n, runs = int(sys.argv[1]), int(sys.argv[2])
for name in ["objects", "int_arith", "float_arith", "list_ops", "dict_ops",
             "str_build", "parse_args"]:
    fn = getattr(benchmod, name)
    best = float("inf")
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        r = fn(n)
        best = min(best, time.perf_counter() - start)
    print(f"{name}\t{best:.6f}\t{r!r}")
PY

echo "python:  $("$PYTHON" --version 2>&1) ($(command -v "$PYTHON"))"
echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "method:  N=$N iterations inside C per call, best of $RUNS calls, in-process timers"
"$PYTHON" - "$TMP/gilgate.tsv" "$TMP/cpython.tsv" <<'PY'
import sys
def rows(path):
    return [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
g, c = rows(sys.argv[1]), rows(sys.argv[2])
print(f"{'workload':<12} {'gilgate ms':>11} {'CPython ms':>11} {'ratio':>7}  checksum")
bad = False
for (gn, gt, gs), (cn, ct, cs) in zip(g, c):
    assert gn == cn, (gn, cn)
    same = gs == cs
    bad |= not same
    note = gs if same else f"MISMATCH gilgate {gs} CPython {cs}"
    print(f"{gn:<12} {float(gt)*1e3:>11.2f} {float(ct)*1e3:>11.2f} {float(gt)/float(ct):>7.2f}  {note}")
sys.exit(1 if bad else 0)
PY
