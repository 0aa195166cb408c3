#!/usr/bin/env bash
# Benchmark `gilgate inspect` as whole processes, next to the start-up of `python3 -c pass`,
# all measured in the same run.
#
#   scripts/bench-inspect.sh [--runs N] [--no-build] [--record] [--baseline GILGATE]
#
# --record also writes the report to docs/bench/inspect.txt (the figures docs/benchmarks.md quotes).
#
# Measures (release build):
#   so     gilgate inspect ONE.so    (markupsafe's _speedups, extracted from its cp314t wheel)
#   wheel  gilgate inspect WHEEL     (pillow's cp314t wheel: 8 extension modules + pillow.libs/)
#   python python3 -c pass
# and prints each mean and the ratio wheel / python start-up. Two more rows explain the wheel's time:
# the same pillow wheel already unpacked (a folder: no decompression), and multidict's small wheel
# (2 modules, no vendored libraries).
# Two interpreters are timed when present: the distribution's /usr/bin/python3 and the python3 found
# on PATH resolved to its real executable (for example pyenv's, without the shim). With --baseline,
# the same gilgate rows are also timed for another gilgate binary (an older build), in the same run.
# When scripts/reference-cpython.sh has built CPython 3.13t (free-threaded, PGO+LTO), its start-up is
# timed too. Uses hyperfine (Debian package `hyperfine`, installed with apt-get when missing and
# running as root), else a loop timed with `date +%s%N`. The wheels come from scripts/fetch-wheels.sh
# (run it first).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}/wheels"
runs=30
build=1
record=0
baseline=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --record) record=1; shift ;;
    --baseline) baseline="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--no-build] [--record] [--baseline GILGATE]" >&2; exit 64 ;;
    esac
done

so_wheel="$cache/markupsafe-3.0.4-cp314-cp314t-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
big_wheel="$cache/pillow-13.0.0-cp314-cp314t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"
small_wheel="$cache/multidict-7.2.1-cp314-cp314t-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
for w in "$so_wheel" "$big_wheel" "$small_wheel"; do
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

# label | command; the first three are the benchmark, the others explain it
labels=(
    "gilgate inspect markupsafe _speedups .so"
    "gilgate inspect pillow wheel (8 modules)"
    "python3 -c pass ($python)"
    "gilgate inspect pillow, already unpacked"
    "gilgate inspect multidict wheel (2 modules)"
)
cmds=(
    "$gilgate inspect $so"
    "$gilgate inspect $big_wheel"
    "$python -c pass"
    "$gilgate inspect $work/pillow"
    "$gilgate inspect $small_wheel"
)
if [[ -n "$python2" ]]; then
    labels+=("python3 -c pass ($python2)")
    cmds+=("$python2 -c pass")
fi
if [[ -n "$baseline" ]]; then
    labels+=(
        "baseline: inspect _speedups .so"
        "baseline: inspect pillow wheel"
        "baseline: inspect pillow, unpacked"
        "baseline: inspect multidict wheel"
    )
    cmds+=(
        "$baseline inspect $so"
        "$baseline inspect $big_wheel"
        "$baseline inspect $work/pillow"
        "$baseline inspect $small_wheel"
    )
fi

py313t="$(bash "$repo/scripts/reference-cpython.sh" env | sed -n 's/^GILGATE_PY313T=//p')"
py313t_index=""
if [[ -x "$py313t" ]]; then
    py313t_index=${#cmds[@]}
    labels+=("python3.13t -c pass (PGO+LTO)")
    cmds+=("$py313t -c pass")
fi

# each command must work before it is timed
for cmd in "${cmds[@]}"; do
    if ! $cmd >/dev/null 2>"$work/err"; then
        echo "bench-inspect: '$cmd' failed:" >&2
        cat "$work/err" >&2
        exit 1
    fi
done

report() {
    echo "gilgate: $("$gilgate" --version 2>/dev/null || echo "$gilgate"), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "python:  $("$python" --version 2>&1) ($python)"
    [[ -z "$python2" ]] || echo "python2: $("$python2" --version 2>&1) ($python2)"
    [[ -z "$py313t_index" ]] || echo "python3.13t: $("$py313t" -c 'import sys; print(sys.version.replace(chr(10), " "))') ($py313t)"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
    [[ -z "$baseline" ]] || echo "baseline: $baseline"
    echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "tmp:     ${TMPDIR:-/tmp} ($(df -T "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $2 }'))"

    # mean in milliseconds of a command over $runs runs after 3 warm-up runs
    loop_mean() {
        local i start end
        for i in 1 2 3; do $1 >/dev/null 2>&1; done
        start=$(date +%s%N)
        for ((i = 0; i < runs; i++)); do $1 >/dev/null 2>&1; done
        end=$(date +%s%N)
        awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.2f", ns / n / 1e6 }'
    }

    means=()
    cpus=()
    if command -v hyperfine >/dev/null 2>&1; then
        method="hyperfine $(hyperfine --version | cut -d' ' -f2) -N, $runs runs, 3 warm-up runs, one hyperfine run"
        args=()
        for i in "${!cmds[@]}"; do args+=(-n "${labels[$i]}" "${cmds[$i]}"); done
        hyperfine --style basic --warmup 3 --runs "$runs" -N --export-json "$work/h.json" "${args[@]}" >&2
        # means in ms, in the order given
        mapfile -t means < <(grep -o '"mean": *[0-9.e+-]*' "$work/h.json" | awk '{ printf "%.2f\n", $2 * 1000 }')
        # CPU time (user + system, this process and its children) in ms: less sensitive than the
        # wall-clock mean to other load on the machine
        mapfile -t users < <(grep -o '"user": *[0-9.e+-]*' "$work/h.json" | awk '{ print $2 }')
        mapfile -t systems < <(grep -o '"system": *[0-9.e+-]*' "$work/h.json" | awk '{ print $2 }')
        for i in "${!users[@]}"; do
            cpus+=("$(awk -v u="${users[$i]}" -v s="${systems[$i]}" 'BEGIN { printf "%.2f", (u + s) * 1000 }')")
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
    ratios() { # LABEL-SUFFIX INDEX-OF-INTERPRETER
        ratio "ratio wheel / python start-up$1:" "${means[1]}" "${means[$2]}"
        ratio "ratio .so / python start-up$1:" "${means[0]}" "${means[$2]}"
        if [[ -n "${cpus[$2]:-}" ]]; then
            ratio "cpu ratio wheel / python start-up$1:" "${cpus[1]}" "${cpus[$2]}"
            ratio "cpu ratio .so / python start-up$1:" "${cpus[0]}" "${cpus[$2]}"
        fi
    }
    ratios "" 2
    [[ -z "$python2" ]] || ratios " ($python2)" 5
    [[ -z "$py313t_index" ]] || ratios " (python3.13t)" "$py313t_index"
}
if [[ $record -eq 1 ]]; then
    mkdir -p "$repo/docs/bench"
    report | tee "$repo/docs/bench/inspect.txt"
else
    report
fi
