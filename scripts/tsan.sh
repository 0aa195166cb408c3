#!/usr/bin/env bash
# ThreadSanitizer run of gilgate's thread tests (issue 9). Not part of .ci/run: it needs the
# nightly-only `-Zsanitizer=thread` and `-Zbuild-std` (allowed on stable by RUSTC_BOOTSTRAP=1),
# the rust-src component, a rebuild of std and of the workspace in a target folder of its own
# (about 3 GB), and it runs 10-20x slower than a normal debug run.
#
# What is instrumented: every Rust crate and std itself (-Zbuild-std, so std's mutexes,
# condition variables, atomics and thread joins are seen by TSan and need no suppressions), and
# all C: capi's shim and mimalloc (the `cc` crate reads CFLAGS), the test fixtures
# (tests/support/cc.rs reads $CC/$CFLAGS) and the samples of test-extensions (its build.rs uses
# the `cc` crate's compiler with CFLAGS), all compiled by gcc with -fsanitize=thread. The TSan
# runtime is the one rustc links into each executable (exported by -rdynamic); the fixtures and
# samples are dlopen'ed into it and must not bring libtsan of their own, so gcc's `-ltsan`
# for a shared object resolves to an empty linker script in $TARGET/no-libtsan and their
# __tsan_* calls bind to the executable's runtime. (gcc 12's instrumentation calls the same
# __tsan_* entry points as clang's, so no clang is needed.)
#
# What runs (the log of each run goes to its own folder; a report in a child process lands
# there too, through TSAN_OPTIONS=log_path):
#   capi:  tests/threads.rs, tests/waiting.rs, tests/sharing.rs, the unit tests of
#          runtime::lock (PyMutex and the parking lot) and the list's critical-section unit test;
#   root:  tests/embed_threads.rs, tests/modlock.rs;
#   stress (the gilgate binary on the thread samples): racy_counter under `on`, `auto` and
#          `module`, shared_mutator, mutex_sections under `on` and `off`, the two together,
#          gilstate_thread under `on`/`off`/`module`, lazy_import (the lock switching on while
#          threads run), sleeper (Py_BEGIN_ALLOW_THREADS under `on`), concurrent list
#          deletions.
# Expected races (the test makes them on purpose; each must be reported, and only there):
#   capi threads `plain_counter_under_off_is_reported` and `transient_requests_count_under_default`
#   (a plain C counter bumped with the lock off: bump_once), and racy_counter under `off`
#   (racy_bump): the negative controls that show TSan sees races in the instrumented C.
# Every other report fails the run. scripts/tsan.supp lists the suppressed ones, each with its
# reason (third-party code, and known real races left to their owners).
#
# usage: scripts/tsan.sh [--no-build]
# Environment: GILGATE_TSAN_TARGET (target folder, default target/tsan), GILGATE_TSAN_ITER
# (stress iterations per thread, default 1500), GILGATE_TSAN_KEEP=1 (keep the logs), CC.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

triple=x86_64-unknown-linux-gnu
target="${GILGATE_TSAN_TARGET:-${CARGO_TARGET_DIR:-$ROOT/target}/tsan}"
iter="${GILGATE_TSAN_ITER:-1500}"
supp="$ROOT/scripts/tsan.supp"

if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    echo "tsan.sh: -Zbuild-std needs rust-src: rustup component add rust-src" >&2
    exit 1
fi

mkdir -p "$target/no-libtsan"
# gcc adds `-ltsan` when it links a shared object with -fsanitize=thread; this empty linker
# script answers it, so the .so files stay without a runtime of their own.
echo '/* empty: the TSan runtime is the executable'"'"'s */' >"$target/no-libtsan/libtsan.so"

export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="${RUSTFLAGS:-} -Zsanitizer=thread"
export CFLAGS="${CFLAGS:-} -fsanitize=thread -L$target/no-libtsan"
export CXXFLAGS="${CXXFLAGS:-} -fsanitize=thread -L$target/no-libtsan"
export CC="${CC:-gcc}"

tsan_cargo() { # tsan_cargo SUBCOMMAND ARGS...
    cargo "$1" -Zbuild-std --target "$triple" --target-dir "$target" "${@:2}"
}

start=$(date +%s)
if [[ "${1:-}" != --no-build ]]; then
    tsan_cargo test --no-run -p gilgate-capi --lib --test threads --test waiting --test sharing
    tsan_cargo test --no-run -p gilgate --test embed_threads --test modlock
    tsan_cargo build -p gilgate --bin gilgate
fi
echo "tsan.sh: build took $(($(date +%s) - start)) s"
gilgate="$target/$triple/debug/gilgate"
samples="$target/$triple/samples"
[[ -x "$gilgate" && -d "$samples" ]] || {
    echo "tsan.sh: no build in $target (run without --no-build)" >&2
    exit 1
}

logs="$(mktemp -d)"
if [[ "${GILGATE_TSAN_KEEP:-}" == 1 ]]; then
    echo "tsan.sh: logs in $logs"
else
    trap 'rm -rf "$logs"' EXIT
fi

runs=0
failures=0
# run NAME EXPECT CMD...: runs CMD (exit 0 expected) with TSan's reports written to
# $logs/NAME/tsan.<pid>. EXPECT: `clean` (no report) or `race:FUNC` (at least one report, all
# of them races in FUNC).
run() {
    local name="$1" expect="$2"
    shift 2
    runs=$((runs + 1))
    local dir="$logs/$name"
    mkdir -p "$dir"
    local exitcode=66
    [[ "$expect" == clean ]] || exitcode=0
    local t0 rc=0
    t0=$(date +%s%N)
    TSAN_OPTIONS="log_path=$dir/tsan suppressions=$supp halt_on_error=0 exitcode=$exitcode second_deadlock_stack=1 print_suppressions=1 ${TSAN_OPTIONS:-}" \
        "$@" >"$dir/out" 2>&1 || rc=$?
    local ms=$((($(date +%s%N) - t0) / 1000000))
    local secs="$((ms / 1000)).$((ms % 1000 / 100))"
    local summaries
    summaries=$(cat "$dir"/tsan.* 2>/dev/null | grep '^SUMMARY: ThreadSanitizer' || true)
    local n=0
    [[ -z "$summaries" ]] || n=$(wc -l <<<"$summaries")
    local bad=""
    [[ "$rc" == 0 ]] || bad="exit status $rc"
    case "$expect" in
    clean)
        [[ "$n" == 0 ]] || bad="${bad:+$bad; }$n TSan report(s)"
        ;;
    race:*)
        local func="${expect#race:}"
        local other
        other=$(grep -v " in $func\$" <<<"$summaries" | grep -c . || true)
        [[ "$other" == 0 ]] || bad="${bad:+$bad; }$other report(s) outside $func"
        [[ "$n" != 0 ]] || bad="${bad:+$bad; }no report of the expected race in $func"
        ;;
    esac
    if [[ -n "$bad" ]]; then
        failures=$((failures + 1))
        echo "tsan.sh: FAIL $name ($secs s): $bad" >&2
        echo "--- output (last 40 lines):" >&2
        tail -40 "$dir/out" >&2
        local f
        for f in "$dir"/tsan.*; do
            [[ -e "$f" ]] || continue
            echo "--- $(basename "$f"):" >&2
            cat "$f" >&2
        done
    else
        echo "tsan.sh: ok $name ($secs s; $n report(s), expected: $expect)"
    fi
    # TSan's table of matched suppressions ("COUNT race:NAME" lines), summed over processes.
    { cat "$dir"/tsan.* 2>/dev/null || true; } | awk '/^[0-9]+ [a-z_]+:/ {n[$2] += $1}
        END {for (s in n) printf "tsan.sh:   suppressed %d x %s\n", n[s], s}'
    return 0
}

capi_test() { # capi_test NAME EXPECT CARGO_TEST_ARGS... -- HARNESS_ARGS...
    local name="$1" expect="$2"
    shift 2
    run "$name" "$expect" tsan_cargo test -q -p gilgate-capi "$@"
}

# C API tests (each test of threads.rs and waiting.rs runs in a child process).
capi_test capi-threads clean --test threads -- --test-threads=1 \
    --skip plain_counter_under_off_is_reported --skip transient_requests_count_under_default
capi_test capi-threads-lock-off race:bump_once --test threads -- --test-threads=1 \
    plain_counter_under_off_is_reported transient_requests_count_under_default
capi_test capi-waiting clean --test waiting -- --test-threads=1
capi_test capi-lock-units clean --lib -- --test-threads=2 runtime::lock:: \
    objects::listobject::tests::a_critical_section_on_the_list
capi_test capi-sharing clean --test sharing -- --test-threads=1
run embed-threads clean tsan_cargo test -q -p gilgate --test embed_threads -- --test-threads=1
run modlock clean tsan_cargo test -q -p gilgate --test modlock -- --test-threads=1

st() { # st NAME EXPECT STRESS_ARGS...
    local name="$1" expect="$2"
    shift 2
    run "$name" "$expect" "$gilgate" stress --path "$samples" --timeout 600 "$@"
}
racy=(--threads 4 --iterations "$iter" --then 'racy_counter.value()' racy_counter 'racy_counter.bump()')
st racy-on clean --gil on "${racy[@]}"
st racy-auto clean --gil auto "${racy[@]}"
st racy-off race:racy_bump --gil off "${racy[@]}"
st racy-module clean --gil module "${racy[@]}"
st shared-mutator clean --setup 'l = []' --setup 'd = {}' --threads 4 --iterations "$iter" \
    --then '(len(l), len(d))' shared_mutator \
    'shared_mutator.mutate(l, d, thread_index * 100000 + iteration)'
for policy in on off; do
    st "mutex-sections-$policy" clean --gil "$policy" --setup "a = {'k': 0}" \
        --setup "b = {'k': 0}" --setup 'c = {}' --threads 4 --iterations "$iter" \
        --then "(a['k'] + b['k'], c['k'], mutex_sections.value())" mutex_sections \
        "(mutex_sections.move(a, b, 'k', 50 if iteration % 97 == 0 else 0) if thread_index % 2 \
else mutex_sections.move(b, a, 'k'), mutex_sections.add(c, 'k', 50 if iteration % 89 == 0 else 0), \
mutex_sections.bump(100 if iteration % 50 == 0 else 0))"
done
st containers clean --threads 3 --iterations "$iter" --setup 'l = []' --setup 'd = {}' \
    --setup "a = {'k': 0}" --setup "b = {'k': 0}" -m mutex_sections \
    --then "(len(l), len(d), a['k'] + b['k'], mutex_sections.value())" shared_mutator \
    "(shared_mutator.mutate(l, d, thread_index * 100000 + iteration), mutex_sections.move(a, b, 'k') \
if thread_index % 2 else mutex_sections.move(b, a, 'k'), mutex_sections.bump(10 if iteration % 20 == 0 else 0))"
for policy in on off module; do
    st "gilstate-$policy" clean --gil "$policy" --threads 3 --iterations 300 \
        --then 'gilstate_thread.calls()' gilstate_thread \
        'gilstate_thread.call(abs, -iteration) == iteration or 1/0'
done
st lazy-import clean --threads 4 --iterations "$iter" \
    --then "(lazy_import.bumps(), lazy_import.load('racy_counter').value())" lazy_import \
    "lazy_import.load('racy_counter') if thread_index == 0 and iteration == 100 \
else (lazy_import.bump() and not lazy_import.sys._is_gil_enabled() and 1/0)"
st sleeper clean --gil on --threads 2 --iterations 3 --then '(sleeper.peak(), sleeper.sleeps())' \
    sleeper 'sleeper.sleep(300)'
st list-deletes clean --setup "l = list(range(4 * $iter))" --threads 4 --iterations "$iter" \
    --then 'len(l)' counter 'l.__delitem__(-1)'

echo "tsan.sh: $runs runs, $failures failed, $(($(date +%s) - start)) s in all"
[[ "$failures" == 0 ]]
