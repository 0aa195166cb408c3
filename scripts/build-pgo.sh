#!/usr/bin/env bash
# The release build the benchmarks measure, made the way CPython's reference is ("as distributions
# build it": profile-guided). The CPython 3.13t the benchmarks compare with is built
# --enable-optimizations (PGO, trained on a part of CPython's own test suite) --with-lto; a plain
# `cargo build --release` of gilgate is the other side's plain build. This script:
#   1. builds an instrumented release (-Cprofile-generate) of the gilgate binary and the sample
#      modules, in target/pgo-gen;
#   2. trains it: `gilgate stress` (1 and 2 threads) over every function of the demo sample
#      modules (numbers, containers, keywords, strings, buffers, types with members and getters)
#      and some built-in work (str, dict, int, sorted, getattr with a default, member reads,
#      subscripts of dicts, lists and tuples), then over two real
#      extensions from PyPI (ujson's dumps/loads, markupsafe's escaping; scripts/fetch-wheels.sh),
#      and a few `inspect` and `eval` runs. The benchmark's own module (benchmod) is never part of
#      the training;
#   3. merges the profiles with llvm-profdata (rustup's `llvm-tools` component, added when missing);
#   4. builds the release binaries with -Cprofile-use into target/pgo/release: the gilgate binary
#      and the benchmark drivers examples/bench_capi and examples/bench_threads.
#
# usage: scripts/build-pgo.sh [ITERATIONS]   (training iterations per thread and expression; 5000)
# Two full release builds: about 10 minutes on 2 idle cores. scripts/bench-*.sh run it unless
# given --no-build or BENCH_BUILD=plain (then they measure `cargo build --release`).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ITER=${1:-5000}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
GEN=$TARGET/pgo-gen
USE=$TARGET/pgo
PROF=$GEN/profiles
cd "$ROOT"

host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
    echo "build-pgo: adding rustup's llvm-tools component (llvm-profdata)" >&2
    rustup component add llvm-tools >&2
fi
[ -x "$profdata" ] || { echo "build-pgo: $profdata not found" >&2; exit 1; }

export CARGO_INCREMENTAL=0
rm -rf "$PROF"
mkdir -p "$PROF"
echo "build-pgo: instrumented build ($GEN)" >&2
gen_build() { CARGO_TARGET_DIR=$GEN RUSTFLAGS="-Cprofile-generate=$PROF" cargo build --quiet --release "$@"; }
gen_build --bin gilgate
gen_build -p gilgate-test-extensions
G=$GEN/release/gilgate
S=$GEN/samples
[ -x "$G" ] && [ -d "$S" ] || { echo "build-pgo: $G or $S missing" >&2; exit 1; }

echo "build-pgo: training ($ITER iterations per thread and expression)" >&2
train() { # MODULE EXPR...: each EXPR on 1 and then 2 threads
    local module=$1 e t
    shift
    for e in "$@"; do
        for t in 1 2; do
            "$G" stress --path "$S" --threads "$t" --iterations "$ITER" "$module" "$e" >/dev/null
        done
    done
}
train numbers_demo 'numbers_demo.factorial(25)' 'numbers_demo.hypot(3.0, 4.0)' \
    'numbers_demo.safe_div(17, 5)' 'numbers_demo.mean(1, 2, 3.5)' 'numbers_demo.power(3, 40)' \
    'numbers_demo.describe(1.5)' 'numbers_demo.to_c_long(12345)'
train containers_demo 'containers_demo.chunks([1, 2, 3, 4, 5], 2)' \
    'containers_demo.invert({"a": 1, "b": 2})' 'containers_demo.lookup({"a": 1}, "b", 0)' \
    'containers_demo.lookup({"a": 1}, "a")' 'containers_demo.unique([1, 2, 2, 3])' \
    'containers_demo.summary((1, 2, 3))' 'containers_demo.pairs(a=1, b=2)'
train kwargs_demo 'kwargs_demo.greet("Ada", "Hi", punct="?", times=2)' \
    'kwargs_demo.scale(3.0, 2.5, offset=1.0)' 'kwargs_demo.scale(2.0)' \
    'kwargs_demo.record(1, 2, a=3)' 'kwargs_demo.span(0, 10, step=3)'
train strproc 'strproc.swap_ascii("Hello World")' 'strproc.reverse("café crème")' \
    'strproc.stats("naïve 🙂")' 'strproc.count("banana", "a")'
train api_tour 'api_tour.describe([1, "a"])' 'api_tour.add(1, 2)' \
    'api_tour.greet("x", punctuation="?")' 'api_tour.count_args(1, 2, 3)' \
    'api_tour.count_all(1, a=2)' 'api_tour.Counter().increment()' 'hasattr(api_tour, "nope")' \
    'getattr(api_tour, "nope", 5)'
train buffers_demo 'buffers_demo.checksum(b"hello world")' 'buffers_demo.hexlify(b"abc")' \
    'buffers_demo.info(buffers_demo.Ring(8))' 'buffers_demo.checksum(buffers_demo.Ring(64))'
train counter 'counter.Counter().increment()' 'counter.Counter().merged(counter.Counter())' \
    '{"a": 1}.get("b", 2)' 'int("12") + len([1, 2])' 'sorted({3: 1, 1: 2}.items())' \
    '"-".join(["a", "b"])' 'str(1.5) + repr("x")' 'counter.Counter().value' \
    '{"a": 1, 2: "b"}[2]' '[1, 2, 3][-1]' '(1, "x")[0]' '{"k": [1, 2]}["k"][1]'
# two real extensions from PyPI (the wheels pinned in scripts/wheels.lock): JSON both ways
# (containers, numbers, str from and to UTF-8) and markupsafe's escaping (str building)
bash "$ROOT/scripts/fetch-wheels.sh" >/dev/null
W=${GILGATE_CACHE:-$HOME/.cache/gilgate}/wheels
wheel() { local f; f=$(awk -v n="$1" -v t="$2" '$1 == n && $4 == t { print $6 }' "$ROOT/scripts/wheels.lock"); echo "$W/$f"; }
S=$(wheel ujson cp314t) train ujson \
    'ujson.loads(ujson.dumps({"a": [1, 2.5, "x", None, True], "b": {"c": "d\u00e9", "n": -12345678901}}))' \
    'ujson.dumps([{"id": 7, "name": "caf\u00e9", "tags": ["x", "y"], "ratio": 0.25}, list(range(20))])' \
    'ujson.loads("[1, 2.5, {\"b\": null, \"c\": \"\u00e9\", \"d\": [true, false]}]")'
S=$(wheel markupsafe cp314t) train markupsafe._speedups \
    '_speedups._escape_inner("<a href=\"x\">caf\u00e9 & cr\u00e8me</a>")' \
    '_speedups._escape_inner("plain text without specials")'
# start-up, loading and inspection (the per-process paths)
for _ in 1 2 3 4 5; do
    # (the sandboxed workers cannot write their profiles: only the command's own count)
    "$G" inspect "$S"/api_tour.*.so "$S"/numbers_demo.*.so "$S"/mp_ft.*.so "$S"/sp_plain.*.so >/dev/null 2>&1
    "$G" eval --path "$S" api_tour 'api_tour.calls()' >/dev/null
done

"$profdata" merge -o "$GEN/merged.profdata" "$PROF"
echo "build-pgo: optimized build ($USE)" >&2
# -disable-icp: no indirect-call promotion. It would compare every slot call (tp_dealloc,
# tp_new, nb_add, ...) against the functions the training happened to reach most (int and float
# deallocs) and inline those: an extension's own types, whose slots the training cannot know,
# would pay the compares (measured: objects +16, float_arith +56 instructions per iteration).
CARGO_TARGET_DIR=$USE RUSTFLAGS="-Cprofile-use=$GEN/merged.profdata -Cllvm-args=-disable-icp" \
    cargo build --quiet --release --bin gilgate --example bench_capi --example bench_threads
echo "build-pgo: $USE/release/gilgate, $USE/release/examples/bench_capi, $USE/release/examples/bench_threads" >&2
