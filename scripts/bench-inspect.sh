#!/usr/bin/env bash
# Benchmark `gilgate inspect` as whole processes, next to CPython doing the same job (importing the
# module) and next to the start-up of `python3 -c pass`, all measured in the same run.
#
#   scripts/bench-inspect.sh [--runs N] [--rounds R] [--no-build] [--record] [--baseline GILGATE]
#
# hyperfine times the commands one after the other; this machine's speed jumps between two
# levels for seconds at a time, which alone moved a row by a quarter when its runs all came at
# once. So the whole set is timed in R rounds (default 9) of N runs each (default 20), the
# order reversed every other round, and each row reports the median of its rounds' means.
#
# --record also writes the report to docs/bench/inspect.txt (the figures docs/benchmarks.md quotes).
#
# The two comparisons of issue 12 (item 4), each printed as a ratio:
#   small  gilgate inspect markupsafe-3.0.4-cp314t.whl  against a fresh CPython process importing
#          markupsafe's compiled module. The CPython is the reference CPython 3.13t (free-threaded,
#          PGO+LTO, scripts/reference-cpython.sh); it cannot import a cp314t module, and markupsafe
#          3.0.4 has no cp313t wheel on PyPI, so it imports `markupsafe._speedups` from the cp313t
#          wheel of the previous release, markupsafe 3.0.3 (pinned in scripts/wheels.lock; the same
#          C source but for the version string), unpacked beforehand:
#            python3.13t -c 'import sys; sys.path.insert(0, DIR); import markupsafe._speedups'
#          which runs the package's __init__.py first, as any import of the module does. gilgate
#          inspecting that same cp313t wheel is timed too (same wheel on both sides), and so is
#          CPython importing the .so alone (`import _speedups` with markupsafe/ on sys.path).
#          Ratio printed: CPython's import / gilgate's inspect (the issue asks for >= 20).
#   large  gilgate inspect pillow-13.0.0-cp314t.whl (8 modules, 19 MB of vendored libraries in
#          pillow.libs/) against `python3 -c pass` of /usr/bin/python3 and of python3.13t.
#          Ratio printed: gilgate's inspect / python start-up (the issue asks for <= 1).
# gilgate unpacks wheels into a content-keyed cache ($GILGATE_CACHE/unpacked, README): all runs
# after the first are hits. Rows marked "cache off" run with GILGATE_UNPACK_CACHE=off through
# env(1) (which adds its own exec, about 0.3 ms), unpacking into a temporary folder as before.
# More rows explain the times: markupsafe's _speedups .so alone, the same pillow wheel already
# unpacked (a folder: no decompression), and multidict's small wheel (2 modules, no vendored
# libraries). The python3 on PATH, resolved to its real executable (for example pyenv's, without
# the shim), is timed too when it is another interpreter. With --baseline, the gilgate rows are
# also timed for another gilgate binary (an older build), in the same run. The command does not
# wait for its workers' exit (docs/architecture.md, "Inspection sandbox"): a worker it did not
# wait for is not in its children's resource usage, so since then the CPU column (user + system)
# of the gilgate rows leaves out (most of) the workers' CPU time; compare wall times. Uses hyperfine (Debian
# package `hyperfine`, installed with apt-get when missing and running as root), else a loop
# timed with `date +%s%N`. The wheels come from scripts/fetch-wheels.sh (run it first).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}/wheels"
runs=20
rounds=9
build=1
record=0
baseline=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --record) record=1; shift ;;
    --baseline) baseline="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--rounds R] [--no-build] [--record] [--baseline GILGATE]" >&2; exit 64 ;;
    esac
done

so_wheel="$cache/markupsafe-3.0.4-cp314-cp314t-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
ms313_wheel="$cache/markupsafe-3.0.3-cp313-cp313t-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
big_wheel="$cache/pillow-13.0.0-cp314-cp314t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"
small_wheel="$cache/multidict-7.2.1-cp314-cp314t-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
for w in "$so_wheel" "$ms313_wheel" "$big_wheel" "$small_wheel"; do
    if [[ ! -f "$w" ]]; then
        echo "bench-inspect: $w is missing: run scripts/fetch-wheels.sh first" >&2
        exit 1
    fi
done

if ! command -v hyperfine >/dev/null 2>&1; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "bench-inspect: installing hyperfine" >&2
        if ! apt-get install -y -qq hyperfine >/dev/null 2>&1; then
            apt-get update -qq >/dev/null 2>&1 || true
            apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
        fi
    fi
    command -v hyperfine >/dev/null 2>&1 ||
        echo "bench-inspect: hyperfine is not installed (not root?): timing with a shell loop" >&2
fi

if [[ $build -eq 1 ]]; then
    (cd "$repo" && cargo build --release --bin gilgate >&2)
fi
gilgate="${CARGO_TARGET_DIR:-$repo/target}/release/gilgate"
[[ -x "$gilgate" ]] || { echo "bench-inspect: $gilgate not built" >&2; exit 1; }
# The interpreters measured: $BENCH_PYTHON, else the distribution's /usr/bin/python3; plus the
# python3 on PATH resolved to the interpreter itself (not a wrapper such as a pyenv shim, which adds
# its own start-up) when that is another interpreter.
if [[ -n "${BENCH_PYTHON:-}" ]]; then
    python="$BENCH_PYTHON"
elif [[ -x /usr/bin/python3 ]]; then
    python=/usr/bin/python3
elif command -v python3 >/dev/null; then
    python="$(python3 -c 'import sys; print(sys.executable)')"
else
    echo "bench-inspect: python3 not found" >&2
    exit 1
fi
python2=""
if command -v python3 >/dev/null; then
    p="$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null || true)"
    if [[ -n "$p" && -x "$p" && "$(readlink -f "$p")" != "$(readlink -f "$python")" ]]; then
        python2="$p"
    fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# unpack a wheel (a zip) for the measurements that start from files on disk
unpack() {
    if command -v unzip >/dev/null 2>&1; then
        unzip -q -o "$1" -d "$2"
    else
        "$python" -m zipfile -e "$1" "$2"
    fi
}
unpack "$so_wheel" "$work/markupsafe"
so="$(ls "$work"/markupsafe/markupsafe/_speedups.cpython-314t-*.so)"
unpack "$big_wheel" "$work/pillow"

unpack "$ms313_wheel" "$work/markupsafe313"

py313t="$(bash "$repo/scripts/reference-cpython.sh" env | sed -n 's/^GILGATE_PY313T=//p')"
if [[ ! -x "$py313t" ]]; then
    echo "bench-inspect: the reference CPython 3.13t is not built: run scripts/reference-cpython.sh" >&2
    exit 1
fi

# The gilgate binaries are timed from copies made here the same way: how a file came into the
# page cache (written by the linker, by `cp`, read back from disk) changed the time of the same
# binary by up to 0.1 ms between two copies (alternating pairs, stop 26), so the measured and
# the baseline binary must not differ in that.
mkdir -p "$work/bin"
cp "$gilgate" "$work/bin/gilgate"
gilgate_src="$gilgate"
gilgate="$work/bin/gilgate"
baseline_src="$baseline"
if [[ -n "$baseline" ]]; then
    cp "$baseline" "$work/bin/baseline"
    baseline="$work/bin/baseline"
fi

# label | command, and the index of each row by a short key (for the ratios)
labels=()
cmds=()
declare -A at
add() { # KEY LABEL COMMAND
    at[$1]=${#cmds[@]}
    labels+=("$2")
    cmds+=("$3")
}
off="env GILGATE_UNPACK_CACHE=off"
add ms_whl "gilgate inspect markupsafe 3.0.4 cp314t wheel" "$gilgate inspect $so_wheel"
add ms313_whl "gilgate inspect markupsafe 3.0.3 cp313t wheel" "$gilgate inspect $ms313_wheel"
add ms_import "python3.13t: import markupsafe._speedups (3.0.3)" \
    "$py313t -c 'import sys; sys.path.insert(0, \"$work/markupsafe313\"); import markupsafe._speedups'"
add ms_import_so "python3.13t: import _speedups .so alone (3.0.3)" \
    "$py313t -c 'import sys; sys.path.insert(0, \"$work/markupsafe313/markupsafe\"); import _speedups'"
add big "gilgate inspect pillow wheel (8 modules)" "$gilgate inspect $big_wheel"
add python "python3 -c pass ($python)" "$python -c pass"
add py313t "python3.13t -c pass (PGO+LTO)" "$py313t -c pass"
add so "gilgate inspect markupsafe _speedups .so" "$gilgate inspect $so"
add big_dir "gilgate inspect pillow, already unpacked" "$gilgate inspect $work/pillow"
add small "gilgate inspect multidict wheel (2 modules)" "$gilgate inspect $small_wheel"
add ms_off "gilgate inspect markupsafe wheel, cache off" "$off $gilgate inspect $so_wheel"
add big_off "gilgate inspect pillow wheel, cache off" "$off $gilgate inspect $big_wheel"
if [[ -n "$python2" ]]; then
    add python2 "python3 -c pass ($python2)" "$python2 -c pass"
fi
if [[ -n "$baseline" ]]; then
    add b_ms_whl "baseline: inspect markupsafe wheel" "$baseline inspect $so_wheel"
    add b_big "baseline: inspect pillow wheel" "$baseline inspect $big_wheel"
    add b_so "baseline: inspect _speedups .so" "$baseline inspect $so"
    add b_big_dir "baseline: inspect pillow, unpacked" "$baseline inspect $work/pillow"
    add b_small "baseline: inspect multidict wheel" "$baseline inspect $small_wheel"
fi

# each command must work before it is timed (eval: the import commands quote their code, as
# hyperfine -N's own word splitting does)
for cmd in "${cmds[@]}"; do
    if ! eval "$cmd" >/dev/null 2>"$work/err"; then
        echo "bench-inspect: '$cmd' failed:" >&2
        cat "$work/err" >&2
        exit 1
    fi
done

report() {
    echo "gilgate: $("$gilgate" --version 2>/dev/null || echo "$gilgate") ($gilgate_src, timed from a copy), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    # How much of data/symbol-order.txt this build could use (the layout of inspect's code).
    if command -v nm >/dev/null 2>&1 && [[ "$gilgate" == "$repo/target/release/gilgate" ]]; then
        bash "$repo/scripts/symbol-order.sh" --check
    fi
    echo "python:  $("$python" --version 2>&1) ($python)"
    [[ -z "$python2" ]] || echo "python2: $("$python2" --version 2>&1) ($python2)"
    echo "python3.13t: $("$py313t" -c 'import sys; print(sys.version.replace(chr(10), " "))') ($py313t)"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
    [[ -z "$baseline" ]] || echo "baseline: $baseline_src"
    echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "tmp:     ${TMPDIR:-/tmp} ($(df -T "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $2 }'))"

    # mean in milliseconds of a command over $runs runs after 3 warm-up runs
    loop_mean() {
        local i start end
        for i in 1 2 3; do eval "$1" >/dev/null 2>&1; done
        start=$(date +%s%N)
        for ((i = 0; i < runs; i++)); do eval "$1" >/dev/null 2>&1; done
        end=$(date +%s%N)
        awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.2f", ns / n / 1e6 }'
    }

    means=()
    cpus=()
    if command -v hyperfine >/dev/null 2>&1; then
        method="hyperfine $(hyperfine --version | cut -d' ' -f2) -N, $rounds rounds of $runs runs (3 warm-up runs each; order reversed every other round), medians of the rounds' means"
        local r order
        for ((r = 1; r <= rounds; r++)); do
            args=()
            if ((r % 2)); then order=("${!cmds[@]}"); else mapfile -t order < <(printf '%s\n' "${!cmds[@]}" | tac); fi
            for i in "${order[@]}"; do args+=(-n "${labels[$i]}" "${cmds[$i]}"); done
            hyperfine --style basic --warmup 3 --runs "$runs" -N --export-json "$work/h$r.json" "${args[@]}" >&2
        done
        # per command, in the order given: the median over the rounds of the wall-clock mean and
        # of the CPU time (user + system, this process and its children; less sensitive than the
        # wall clock to other load on the machine), in ms
        mapfile -t rows < <(python3 - "$work" "$rounds" "${labels[@]}" <<'PY'
import json, statistics, sys
work, rounds, labels = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
wall = {l: [] for l in labels}
cpu = {l: [] for l in labels}
for r in range(1, rounds + 1):
    for res in json.load(open(f"{work}/h{r}.json"))["results"]:
        wall[res["command"]].append(res["mean"])
        cpu[res["command"]].append(res["user"] + res["system"])
for l in labels:
    print(f"{statistics.median(wall[l]) * 1000:.2f} {statistics.median(cpu[l]) * 1000:.2f}")
PY
        )
        for row in "${rows[@]}"; do
            means+=("${row% *}")
            cpus+=("${row#* }")
        done
    else
        method="shell loop timed with date +%s%N, $runs runs after 3 warm-up runs"
        for cmd in "${cmds[@]}"; do means+=("$(loop_mean "$cmd")"); done
    fi

    echo "method:  $method"
    for i in "${!cmds[@]}"; do
        printf '%-58s %9s ms' "${labels[$i]}" "${means[$i]}"
        [[ -z "${cpus[$i]:-}" ]] || printf '   (cpu %s ms)' "${cpus[$i]}"
        printf '\n'
    done
    ratio() { awk -v a="$2" -v b="$3" -v l="$1" 'BEGIN { printf "%-62s %.2f\n", l, a / b }'; }
    # ratios of wall-clock means, then (hyperfine only) of CPU times, steadier on a busy machine
    ratios() { # LABEL KEY-A KEY-B: A / B
        ratio "$1:" "${means[${at[$2]}]}" "${means[${at[$3]}]}"
        if [[ -n "${cpus[${at[$3]}]:-}" ]]; then
            ratio "cpu $1:" "${cpus[${at[$2]}]}" "${cpus[${at[$3]}]}"
        fi
    }
    echo "small wheel (issue: >= 20): CPython importing the module / gilgate inspecting the wheel"
    ratios "python3.13t import markupsafe._speedups / inspect cp314t wheel" ms_import ms_whl
    ratios "python3.13t import markupsafe._speedups / inspect cp313t wheel" ms_import ms313_whl
    ratios "python3.13t import _speedups alone / inspect cp314t wheel" ms_import_so ms_whl
    echo "large wheel (issue: <= 1): gilgate inspecting pillow's wheel / python start-up"
    ratios "pillow wheel / python3 -c pass ($python)" big python
    ratios "pillow wheel / python3.13t -c pass" big py313t
    [[ -z "$python2" ]] || ratios "pillow wheel / python3 -c pass ($python2)" big python2
    echo "explaining rows"
    ratios "markupsafe .so / python3.13t -c pass" so py313t
    ratios "pillow wheel, cache off / python3 -c pass ($python)" big_off python
    ratios "pillow wheel, cache off / python3.13t -c pass" big_off py313t
    ratios "python3.13t import markupsafe._speedups / inspect, cache off" ms_import ms_off
    if [[ -n "$baseline" ]]; then
        ratios "python3.13t import markupsafe._speedups / baseline inspect wheel" ms_import b_ms_whl
        ratios "baseline pillow wheel / python3 -c pass ($python)" b_big python
    fi
}
if [[ $record -eq 1 ]]; then
    mkdir -p "$repo/docs/bench"
    report | tee "$repo/docs/bench/inspect.txt"
else
    report
fi
