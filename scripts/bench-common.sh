# Shared by scripts/bench-capi.sh and scripts/bench-callgrind.sh (sourced, not run): the CPython the
# C API benchmark compares with, the two builds of test-extensions/src/benchmod.c, and gilgate's
# side (examples/bench_capi).

# Sets PY: $BENCH_PYTHON when set, else CPython 3.13t built --enable-optimizations --with-lto by
# scripts/reference-cpython.sh (built into the cache the first time: tens of minutes).
bench_python() {
    local root=$1
    if [ -n "${BENCH_PYTHON:-}" ]; then
        PY=$BENCH_PYTHON
    else
        bash "$root/scripts/reference-cpython.sh" 313t
        PY=$(bash "$root/scripts/reference-cpython.sh" env | sed -n 's/^GILGATE_PY313T=//p')
    fi
    [ -x "$PY" ] || { echo "bench: $PY is not an executable interpreter" >&2; exit 1; }
}

# Builds benchmod (and benchhold) twice with $PY's own extension settings (sysconfig CC, CFLAGS, CCSHARED and
# LDSHARED, as setuptools uses them); only the include folder differs:
#   DIR/cpython/benchmod<EXT_SUFFIX>                         against CPython's INCLUDEPY
#   DIR/gilgate/benchmod.cpython-314t-x86_64-linux-gnu.so    against gilgate's include/
# Sets BENCH_CFLAGS to the flags used, for the report.
bench_build_ext() {
    local root=$1 dir=$2 cc cflags ccshared ldshared includepy suffix
    mkdir -p "$dir/gilgate" "$dir/cpython"
    "$PY" - > "$dir/sysconfig" <<'PY'
import sysconfig
for k in ("CC", "CFLAGS", "CCSHARED", "LDSHARED", "INCLUDEPY", "EXT_SUFFIX"):
    print(sysconfig.get_config_var(k) or "")
PY
    { read -r cc; read -r cflags; read -r ccshared; read -r ldshared; read -r includepy; read -r suffix; } < "$dir/sysconfig"
    local inc out mod src
    # benchhold (undeclared) serves scripts/bench-threads.sh.
    for mod in benchmod benchhold; do
        src="$root/test-extensions/src/$mod.c"
        for side in cpython gilgate; do
            if [ "$side" = cpython ]; then
                inc=$includepy out="$dir/cpython/$mod$suffix"
            else
                inc="$root/include" out="$dir/gilgate/$mod.cpython-314t-x86_64-linux-gnu.so"
            fi
            # shellcheck disable=SC2086  # the sysconfig values are word lists
            $cc $cflags $ccshared -I"$inc" -c "$src" -o "$out.o"
            # shellcheck disable=SC2086
            $ldshared "$out.o" -o "$out"
            rm -f "$out.o"
        done
    done
    BENCH_CFLAGS="$cc $cflags $ccshared"
    # One workload, COUNT calls of N iterations each, under CPython: prints "name\tbest s\trepr".
    cat > "$dir/cpython/bench_driver.py" <<'PY'
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder out
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
}

# Sets GILGATE_BIN to the release build of examples/$3 (default bench_capi), building it first
# when $2 is 1. The build measured is the profile-guided one of scripts/build-pgo.sh
# (target/pgo/release), as the CPython compared with is built with PGO; BENCH_BUILD=plain measures
# a plain `cargo build --release` (target/release) instead. Sets BENCH_BUILD_DESC for the report.
bench_gilgate_bin() {
    local root=$1 build=$2 example=${3:-bench_capi} dir
    case "${BENCH_BUILD:-pgo}" in
    pgo)
        dir="${CARGO_TARGET_DIR:-$root/target}/pgo/release"
        if [ "$build" = 1 ]; then
            bash "$root/scripts/build-pgo.sh" >&2
        fi
        BENCH_BUILD_DESC="release, profile-guided (scripts/build-pgo.sh: trained on the demo sample modules, not on benchmod)"
        ;;
    plain)
        dir="${CARGO_TARGET_DIR:-$root/target}/release"
        if [ "$build" = 1 ]; then
            (cd "$root" && CARGO_INCREMENTAL=0 cargo build --quiet --release --example "$example")
        fi
        BENCH_BUILD_DESC="release (cargo build --release, no profile guidance)"
        ;;
    *) echo "bench: BENCH_BUILD must be pgo or plain" >&2; exit 64 ;;
    esac
    GILGATE_BIN="$dir/examples/$example"
    [ -x "$GILGATE_BIN" ] || { echo "bench: $GILGATE_BIN is not built (run without --no-build)" >&2; exit 1; }
}

BENCH_WORKLOADS="objects int_arith float_arith list_ops dict_ops str_build parse_args getattr getitem unicode_utf8 long_as exceptions build_value call_fastcall parse_kwargs"

bench_describe_python() {
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    echo "gilgate:  commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- capi loader src include examples test-extensions 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "cpython:  $("$PY" -c 'import sys; print(sys.version.replace(chr(10), " "))') ($PY)"
    echo "          GIL enabled: $("$PY" -c 'import sys; print(getattr(sys, "_is_gil_enabled", lambda: True)())'); configured: $("$PY" -c 'import sysconfig; print(sysconfig.get_config_var("CONFIG_ARGS"))')"
    echo "cflags:   $BENCH_CFLAGS (both builds of benchmod; only -I differs)"
    echo "build:    gilgate ${BENCH_BUILD_DESC:-release}"
    echo "cpu:      $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
}

# Prints the total instruction count (callgrind's Ir) of one process running workload W once with
# n iterations: SIDE is gilgate ($GILGATE_BIN), cpython ($PY) or baseline ($BASELINE); DIR holds the
# two builds of benchmod (bench_build_ext). Needs valgrind.
bench_callgrind_count() { # DIR SIDE W n
    local dir=$1 out="$1/cg.$2.$3.$4"
    case "$2" in
    gilgate) set -- "$GILGATE_BIN" "$dir/gilgate" "$4" 1 "$3" ;;
    baseline) set -- "$BASELINE" "$dir/gilgate" "$4" 1 "$3" ;;
    cpython) set -- "$PY" -I "$dir/cpython/bench_driver.py" "$4" 1 "$3" ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$out.log" || {
        echo "bench: '$*' failed under callgrind:" >&2
        tail -n 20 "$out.log" >&2
        exit 1
    }
    awk '/^(summary|totals):/ { print $2; exit }' "$out"
    rm -f "$out" "$out.log"
}

# Instructions per iteration of workload W on SIDE: (Ir with N+1 iterations - Ir with 1) / N.
bench_ir_per_iter() { # DIR SIDE W N
    local a b
    a=$(bench_callgrind_count "$1" "$2" "$3" $(($4 + 1)))
    b=$(bench_callgrind_count "$1" "$2" "$3" 1)
    awk -v a="$a" -v b="$b" -v n="$4" 'BEGIN { printf "%.0f\n", (a - b) / n }'
}

# Installs valgrind (as root) when it is missing.
bench_need_valgrind() {
    if ! command -v valgrind >/dev/null; then
        if [ "$(id -u)" = 0 ]; then
            apt-get install -y -qq valgrind >/dev/null
        else
            echo "bench: needs valgrind (Debian package valgrind; run as root to install it)" >&2
            exit 1
        fi
    fi
}
