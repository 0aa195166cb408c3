#!/usr/bin/env bash
# Lock-free list readers against an appender, under valgrind's memcheck with --fair-sched=yes
# (threads take turns, so the readers are preempted inside their loops): the tests
# `readers_of_the_raw_array_never_see_it_freed` and `readers_through_pylist_getitem_never_see_it_freed`
# of capi/tests/memsafe.rs (readers loop over a list's item array, the way PyList_GET_ITEM and
# PySequence_Fast_ITEMS do, and through PyList_GetItem, while another thread appends to it and
# clears it).
#
# Two builds of that test binary, both with mimalloc's valgrind annotations (as
# scripts/valgrind.sh, same target directory), each test run under memcheck:
#   clean             old item arrays freed through QSBR: must pass with no memcheck error;
#   negative control  gilgate-capi's feature `free-at-once` frees them at once: memcheck must
#                     report an invalid read (the check that the test can see the bug). A
#                     negative control that passes fails this script.
# Leak checking is off here (scripts/valgrind.sh covers leaks); only access errors count.
#
# Environment: GILGATE_VALGRIND_TARGET (target directory, default target/valgrind), VALGRIND,
# GILGATE_RACE_ROUNDS (appender rounds per run, default 1000), GILGATE_VALGRIND_KEEP=1 keeps
# the logs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

valgrind="${VALGRIND:-valgrind}"
command -v "$valgrind" >/dev/null 2>&1 || {
    echo "valgrind-race.sh: valgrind is not installed" >&2
    exit 1
}
vg_target="${GILGATE_VALGRIND_TARGET:-target/valgrind}"
rounds="${GILGATE_RACE_ROUNDS:-1000}"
start=$(date +%s)

# build [FEATURES...]: builds the memsafe test binary and prints its path.
build() {
    CFLAGS="${CFLAGS:-} -DMI_TRACK_VALGRIND=1" CARGO_TARGET_DIR="$vg_target" \
        cargo test -q --locked -p gilgate-capi --test memsafe --no-run --message-format=json "$@" |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1
}
clean_bin="$(build)"
control_bin="$(build --features free-at-once)"
[[ -x "$clean_bin" && -x "$control_bin" && "$clean_bin" != "$control_bin" ]] || {
    echo "valgrind-race.sh: could not build the two test binaries" >&2
    exit 1
}

logs="$(mktemp -d)"
if [[ "${GILGATE_VALGRIND_KEEP:-}" != 1 ]]; then
    trap 'rm -rf "$logs"' EXIT
fi
# 99 = memcheck found an error.
vg=("$valgrind" --tool=memcheck --fair-sched=yes --error-exitcode=99 --leak-check=no
    --num-callers=30 --suppressions=scripts/valgrind.supp)

runs=0
failures=0
# run NAME BINARY TEST EXPECT: EXPECT is "clean" (exit 0, no memcheck error) or "invalid-read".
run() {
    local name="$1" bin="$2" test="$3" expect="$4"
    runs=$((runs + 1))
    local rc=0 t0
    t0=$(date +%s)
    GILGATE_RACE_ROUNDS="$rounds" "${vg[@]}" --log-file="$logs/$name.log" "$bin" "$test" \
        --exact --test-threads=1 >"$logs/$name.out" 2>&1 || rc=$?
    local secs=$(($(date +%s) - t0)) bad=""
    case "$expect" in
    clean)
        [[ "$rc" == 0 ]] || bad="exit status $rc, expected 0"
        grep -q "ERROR SUMMARY: 0 errors" "$logs/$name.log" || bad="${bad:+$bad; }memcheck errors"
        ;;
    invalid-read)
        grep -q "Invalid read" "$logs/$name.log" ||
            bad="memcheck saw no invalid read (exit status $rc): the negative control did not fail"
        ;;
    esac
    if [[ -n "$bad" ]]; then
        failures=$((failures + 1))
        echo "valgrind-race.sh: FAIL $name ($secs s): $bad" >&2
        echo "--- test output:" >&2
        tail -n 30 "$logs/$name.out" >&2
        echo "--- memcheck log (head):" >&2
        head -n 60 "$logs/$name.log" >&2
    else
        echo "valgrind-race.sh: ok $name ($secs s; $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$logs/$name.log"))"
    fi
}

run raw "$clean_bin" readers_of_the_raw_array_never_see_it_freed clean
run getitem "$clean_bin" readers_through_pylist_getitem_never_see_it_freed clean
run raw-free-at-once "$control_bin" readers_of_the_raw_array_never_see_it_freed invalid-read
run getitem-free-at-once "$control_bin" readers_through_pylist_getitem_never_see_it_freed invalid-read

echo "valgrind-race.sh: $runs runs, $failures failed, $(($(date +%s) - start)) s"
[[ "$failures" == 0 ]]
