#!/usr/bin/env bash
# Runs the gilgate CLI under valgrind's memcheck on the C samples of test-extensions/: `load`
# of the realistic modules, `eval` workloads of their functions (error paths included) and an
# `inspect` (its worker processes run under valgrind too: --trace-children=yes). Fails on any
# memcheck error (invalid read/write, use of uninitialised values, invalid free) and on
# "definitely lost" blocks. Objects still referenced at exit (modules, types, interned names,
# the modules an inspection worker created) are "still reachable" and not errors; the
# suppressions (scripts/valgrind.supp) hide no leak.
#
# Object memory comes from mimalloc, which valgrind cannot see by itself: the binary checked
# here is a separate build (own target directory, default target/valgrind) with mimalloc's
# valgrind annotations switched on (-DMI_TRACK_VALGRIND=1), so every object is a heap block
# memcheck tracks like a malloc'ed one.
#
# Environment: GILGATE_VALGRIND_TARGET (target directory of that build), VALGRIND (the
# valgrind command), GILGATE_VALGRIND_KEEP=1 keeps the logs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

valgrind="${VALGRIND:-valgrind}"
command -v "$valgrind" >/dev/null 2>&1 || {
    echo "valgrind.sh: valgrind is not installed" >&2
    exit 1
}

vg_target="${GILGATE_VALGRIND_TARGET:-target/valgrind}"
# The C flag reaches mimalloc's build (the cc crate reads CFLAGS); in a target directory of its
# own it does not invalidate the normal build.
CFLAGS="${CFLAGS:-} -DMI_TRACK_VALGRIND=1" CARGO_TARGET_DIR="$vg_target" \
    cargo build -q -p gilgate --bin gilgate
gilgate="$vg_target/debug/gilgate"
samples="$(cargo run -q -p gilgate-test-extensions --bin gilgate-samples)"

logs="$(mktemp -d)"
if [[ "${GILGATE_VALGRIND_KEEP:-}" != 1 ]]; then
    trap 'rm -rf "$logs"' EXIT
fi

# 99 = memcheck found an error in the process (or a definite leak at its exit).
vg=("$valgrind" --tool=memcheck --error-exitcode=99 --leak-check=full
    --show-leak-kinds=definite --errors-for-leak-kinds=definite --num-callers=40
    --suppressions=scripts/valgrind.supp --gen-suppressions=all
    --trace-children=yes --trace-children-skip='/usr/*,/bin/*,*/cc,*/gcc,*/ld'
    --child-silent-after-fork=yes)

runs=0
failures=0
# run NAME EXPECTED_EXIT ARGS...: one gilgate run under valgrind; its logs (the process and
# its workers) go to $logs/NAME.<pid>.log.
run() {
    local name="$1" want="$2"
    shift 2
    runs=$((runs + 1))
    local rc=0
    "${vg[@]}" --log-file="$logs/$name.%p.log" "$gilgate" "$@" >"$logs/$name.out" 2>&1 || rc=$?
    local bad=""
    [[ "$rc" == "$want" ]] || bad="exit status $rc, expected $want"
    local f
    for f in "$logs/$name".*.log; do
        if grep -q "ERROR SUMMARY: [1-9]" "$f"; then
            bad="${bad:+$bad; }memcheck errors in $(basename "$f")"
        fi
    done
    if [[ -n "$bad" ]]; then
        failures=$((failures + 1))
        echo "valgrind.sh: FAIL $name: $bad" >&2
        echo "--- gilgate output:" >&2
        cat "$logs/$name.out" >&2
        for f in "$logs/$name".*.log; do
            grep -q "ERROR SUMMARY: [1-9]" "$f" || continue
            echo "--- $(basename "$f"):" >&2
            cat "$f" >&2
        done
    else
        echo "valgrind.sh: ok $name"
    fi
}

ev() { # ev NAME EXPECTED_EXIT MODULE STATEMENTS...
    local name="$1" want="$2" module="$3"
    shift 3
    run "$name" "$want" eval --path "$samples" "$module" "$@"
}

# Loading: every realistic sample in one host (init, create, exec, lock decision), plus
# modules whose init or exec fails (their error paths must free what they built).
run load 0 load --path "$samples" counter stateful strproc containers_demo numbers_demo \
    kwargs_demo buffers_demo api_tour benchmod mp_ft sp_plain sp_setgil mi_supported
run load-failures 2 load --path "$samples" init_raises init_unreported exec_fail_ft exec_fail_gil \
    null_noexc needs_pymod dup_gil unknown_slot neg_size

ev counter 0 counter 'c = Counter(5, step=2)' 'c' 'c.increment()' 'c.increment(3)' \
    'c.doubled' 'c.parity' 'c.value = 8' 'c.parity' 'Counter(label="x")' \
    'c.merged(Counter(1)).value' 'Counter(1) < Counter(2)' 'Counter(3) == Counter(3)' \
    'c.label = (1, [2.5], {"k": "v"})' 'c' 'c.reset()'
ev counter-error 1 counter 'c = Counter(1, label="kept")' 'c.merged(5)'
ev stateful 0 stateful 'add(5)' 'add(2**40)' 'stats()' 'reset()' 'stats()' 'Error.__name__'
ev stateful-error 1 stateful 'add(2)' 'add(-1)'
ev strproc 0 strproc "swap_ascii('Hello, World')" "swap_ascii('ÀbC')" "reverse('héllo')" \
    "reverse('a😀b')" "reverse('€uro')" "stats('😀x')" "stats('')" "count('banana', 'a')" \
    "count('😀😀x', '😀')" "utf8_len('h€llo')"
ev strproc-error 1 strproc "count('a', 'bc')"
ev containers 0 containers_demo 'chunks([1, 2, 3, 4, 5], 2)' "chunks('abc', 5)" \
    "invert({'a': 1, 'b': 2})" "lookup({'a': 1}, 'z', 0)" 'summary([1, 2, 3])' \
    "summary('xyz')" 'pairs(b=2, a=1)' 'unique([3, 3, 3])'
ev containers-error 1 containers_demo 'summary([])'
ev numbers 0 numbers_demo 'factorial(30)' 'hypot(1.5, 2)' 'safe_div(7, -2)' \
    'safe_div(-7.5, 2)' 'to_c_long(2**62)' 'mean(0.1, 0.2)' 'power(2, 100)' 'power(2, -2)' \
    'describe(10**20)' "describe('x')" '-(2**70) // 3 + 2**65 % 7 - 1.5 * 4'
ev numbers-error 1 numbers_demo 'to_c_long(2**64)'
ev kwargs 0 kwargs_demo "greet('Ann', punct='?')" "greet(name='Bo', greeting='Yo', times=2)" \
    'scale(3, factor=3, offset=1)' 'record(1, 2)' 'record(a=1)' 'span(5, 0, step=-2)' \
    'span(stop=3, start=1)'
ev kwargs-error 1 kwargs_demo "greet('a', bogus=1)"
ev buffers 0 buffers_demo "checksum(b'abc')" 'r = Ring(4)' 'fill(r, 7)' 'checksum(r)' 'r' \
    "info(b'xy')" 'info(Ring(3))' "hexlify(b'\\x00\\xffA')" 'hexlify(Ring(3))'
ev buffers-error 1 buffers_demo 'fill(Ring(2), 300)'
ev api_tour 0 api_tour 'describe(5)' "describe('héllo')" 'describe((1, 2))' 'add(2, 3)' \
    "greet('Ann', punctuation='?')" "count_args(1, 'two', 3.0)" 'count_all(1, 2, x=3)' \
    'nap()' 'c = Counter()' 'c.increment()' 'c.double' 'limits' 'calls()'
ev api_tour-error 1 api_tour 'fail()'
ev benchmod 0 benchmod 'objects(200)' 'int_arith(200)' 'float_arith(200)' 'list_ops(200)' \
    'dict_ops(200)' 'str_build(200)' 'parse_args(200)' "target(1, 2.5, 'ab', True)" \
    'getattr(200)' 'getitem(200)' 'unicode_utf8(200)' 'long_as(200)' 'exceptions(200)' \
    'build_value(200)' 'call_fastcall(200)' 'parse_kwargs(200)' 'fast_target(3)' \
    "kw_target(1, 2, scale=0.5, name='x')"

# Threads: `stress` on the thread samples under valgrind's fair scheduler (--fair-sched=yes:
# threads take turns, so they interleave; valgrind runs one thread at a time): shared list and
# dict, PyMutex and two-object sections in both orders, foreign pthreads, and the undeclared
# module switching the lock on.
st() { # st NAME EXPECTED_EXIT STRESS_ARGS...
    local saved=("${vg[@]}")
    vg+=(--fair-sched=yes)
    run "$1" "$2" stress --path "$samples" --timeout 600 "${@:3}"
    vg=("${saved[@]}")
}
st stress-containers 0 --threads 3 --iterations 200 --setup 'l = []' --setup 'd = {}' \
    --setup "a = {'k': 0}" --setup "b = {'k': 0}" -m mutex_sections \
    --then "(len(l), len(d), a['k'] + b['k'], mutex_sections.value())" shared_mutator \
    "(shared_mutator.mutate(l, d, thread_index * 1000 + iteration), mutex_sections.move(a, b, 'k') \
if thread_index % 2 else mutex_sections.move(b, a, 'k'), mutex_sections.bump(10 if iteration % 20 == 0 else 0))"
st stress-gilstate 0 --threads 2 --iterations 50 --then 'gilstate_thread.calls()' gilstate_thread \
    'gilstate_thread.call(abs, -iteration)'
st stress-lock 0 --threads 3 --iterations 200 --then "lazy_import.bumps()" lazy_import \
    "lazy_import.load('racy_counter') if thread_index == 0 and iteration == 20 else lazy_import.bump()"

# Inspection: init and create run in a worker process (under valgrind as well). Without the
# sandbox: valgrind cannot run Landlock, seccomp or the limits the worker sets up (tests/sandbox.rs
# checks the sandbox); this checks the worker's memory. The workers are exec'd
# (GILGATE_WORKER_START=exec): a forked one would be silenced by --child-silent-after-fork; both
# run the same worker loop.
export GILGATE_WORKER_START=exec
run inspect 0 inspect --no-sandbox --timeout 120 "$samples"/counter.* "$samples"/api_tour.* \
    "$samples"/mp_ft.* "$samples"/sp_setgil.*
# Inits and creates that fail, in the worker: their error paths must free what they built.
run inspect-failures 2 inspect --no-sandbox --timeout 120 "$samples"/init_raises.* "$samples"/init_unreported.* \
    "$samples"/null_noexc.* "$samples"/dup_gil.* "$samples"/neg_size.* "$samples"/needs_pymod.* \
    "$samples"/create_tuple.* "$samples"/uninit_def.* "$samples"/export_noabi.*

echo "valgrind.sh: $runs runs, $failures failed"
[[ "$failures" == 0 ]]
