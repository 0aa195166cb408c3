#!/usr/bin/env bash
# Records the reference CPython's answers into the data files the tests compare gilgate with, so
# the tests themselves need no CPython. The reference is CPython 3.14 from Debian sid's packages
# (scripts/reference-cpython.sh sid, a root under $GILGATE_CACHE/reference); every data file names
# the exact version in its first lines ("cpython": "3.14.x"). It is a GIL build: nothing recorded
# here is GIL state, a GIL flag or a lock text.
#
#   bash scripts/record-expectations.sh sdists     tests/data/sdists.json: the sdists of
#                                                  scripts/sdists.lock built against CPython's
#                                                  headers (build-sdists.sh --reference), every
#                                                  case run, plus which modules compiled
#   bash scripts/record-expectations.sh samples    tests/data/eval-samples.json: the sample modules
#                                                  of test-extensions/src built against CPython's
#                                                  headers, every case run
#   bash scripts/record-expectations.sh eval       tests/data/eval-texts.json: expressions that need
#                                                  no module (reprs and error texts)
#   bash scripts/record-expectations.sh datetime   tests/data/eval-datetime.json: hand-written
#                                                  expressions plus seeded random ones
#                                                  (scripts/gen_datetime_cases.py), answered by
#                                                  CPython with `from datetime import *`;
#                                                  eval-datetime-dst.json: local time under the
#                                                  file's POSIX TZ rule;
#                                                  eval-datetime-time-machine.json: time-machine's
#                                                  C module (build-sdists.sh --reference) patching
#                                                  datetime and time
#   bash scripts/record-expectations.sh ujson      tests/data/wheels-ujson.json: ujson (the release
#                                                  scripts/wheels.lock pins, its cp314 wheel, sha256
#                                                  below) in a venv of the reference root
#   bash scripts/record-expectations.sh stdlib [M]  tests/data/stdlib/M.json (every file when no M):
#                                                  the public names of the standard-library
#                                                  module the file names, and the answers to its
#                                                  expressions (record_expectations.py stdlib)
#   bash scripts/record-expectations.sh smoke      tests/data/smoke-calls.json: calls into the corpus
#                                                  packages' compiled modules, from their docs;
#                                                  each package's CPython 3.14 wheel (cp314 or
#                                                  abi3, the version scripts/corpus.lock pins for
#                                                  cp314t) fetched by pip, parents imported as
#                                                  plain packages
#   bash scripts/record-expectations.sh all        all of the above
#
# A data file's cases ("module" and "exprs"; the datetime file's expressions) are its input; the
# answers ("stdout", "exit", "stderr") are rewritten. To add a case, add it to the file and rerun.
# Needs root (chroot).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$repo/tests/data"

# The reference root is root's (chroot, files inside it): run as root, through sudo if needed.
if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { echo "record-expectations: needs root (chroot)" >&2; exit 1; }
    export GILGATE_CACHE="${GILGATE_CACHE:-$HOME/.cache/gilgate}" # the caller's, not root's
    exec sudo --preserve-env=GILGATE_CACHE bash "$0" "$@"
fi

bash "$repo/scripts/reference-cpython.sh" sid
eval "$(bash "$repo/scripts/reference-cpython.sh" env)"
root="$GILGATE_SID_ROOT"
# inside the root; one folder per run, so that runs side by side do not share files
mkdir -p "$root/var/tmp"
work="$(mktemp -d "$root/var/tmp/gilgate-record.XXXXXX")"
work="${work#"$root"}"
trap 'rm -rf "${root:?}$work"' EXIT

log() { echo "record-expectations: $*" >&2; }

setup() {
    cp "$repo/scripts/record_expectations.py" "$root$work/"
}

in_root() { chroot "$root" env LC_ALL=C.UTF-8 "$@"; }

# record FILE BUILD_DIR [--no-import]: runs the cases of tests/data/FILE in the root.
record() {
    local file="$1" build="$2"
    shift 2
    cp "$data/$file" "$root$work/$file"
    in_root python3.14 "$work/record_expectations.py" cases "$work/$file" "$build" "$@"
    cp "$root$work/$file" "$data/$file"
}

do_sdists() {
    bash "$repo/scripts/build-sdists.sh" --reference
    local ref=/var/tmp/gilgate-sdists
    record sdists.json "$ref/build/cpython"
    cp "$data/sdists.json" "$root$work/sdists.json"
    in_root python3.14 "$work/record_expectations.py" builds "$work/sdists.json" \
        "$ref/build/status.txt" "$ref/build/cpython"
    cp "$root$work/sdists.json" "$data/sdists.json"
}

# The sample modules the cases use, built in the root against its python3.14 headers.
do_samples() {
    local build="$work/samples" inc suffix m modules
    mkdir -p "$root$build"
    inc="$(in_root python3.14 -c 'import sysconfig as s; print(s.get_paths()["include"])')"
    suffix="$(in_root python3.14 -c 'import sysconfig as s; print(s.get_config_var("EXT_SUFFIX"))')"
    modules="$(in_root python3.14 -c 'import json, sys; print(" ".join(sorted({c["module"] for c in json.load(sys.stdin)["cases"]})))' <"$data/eval-samples.json")"
    for m in $modules; do
        cp "$repo/test-extensions/src/$m.c" "$root$build/"
        in_root gcc -shared -fPIC -O1 -Werror=implicit-function-declaration -I "$inc" \
            -o "$build/$m$suffix" "$build/$m.c"
    done
    record eval-samples.json "$build"
}

do_eval() { record eval-texts.json /nonexistent --no-import; }

# The hand-written "cases" of the file are kept; its "random" list is generated again (same seed,
# same expressions) and every answer recorded.
do_datetime() {
    local f=eval-datetime.json
    cp "$repo/scripts/gen_datetime_cases.py" "$root$work/"
    cp "$data/$f" "$root$work/$f"
    in_root python3.14 "$work/gen_datetime_cases.py" "$work/$f"
    in_root python3.14 "$work/record_expectations.py" exprs "$work/$f"
    cp "$root$work/$f" "$data/$f"
    f=eval-datetime-dst.json
    cp "$data/$f" "$root$work/$f"
    in_root python3.14 "$work/record_expectations.py" exprs "$work/$f"
    cp "$root$work/$f" "$data/$f"
    # time-machine's _time_machine, built against CPython's headers in the root (kept from an
    # earlier build-sdists.sh --reference, e.g. by `all`'s sdists step)
    grep -qx 'cpython _time_machine ok' "$root/var/tmp/gilgate-sdists/build/status.txt" 2>/dev/null ||
        bash "$repo/scripts/build-sdists.sh" --reference
    f=eval-datetime-time-machine.json
    cp "$data/$f" "$root$work/$f"
    in_root python3.14 "$work/record_expectations.py" exprs "$work/$f" /var/tmp/gilgate-sdists/build/cpython
    cp "$root$work/$f" "$data/$f"
}

# ujson's CPython 3.14 (GIL) wheel of the release wheels.lock pins for cp314t; the host's pip
# fetches it (exact file, hash checked), the root's venv installs it without an index.
UJSON_WHEEL=ujson-6.1.0-cp314-cp314-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
UJSON_SHA256=e39817d2ed15104ea7db50ab767f612bf3e8a09c09f4aea90fab403181755108

do_ujson() {
    local dl="$root$work/wheel" venv=/var/tmp/gilgate-ujson
    mkdir -p "$dl"
    printf 'ujson==6.1.0 --hash=sha256:%s\n' "$UJSON_SHA256" >"$dl/req.txt"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
        --python-version 3.14 --implementation cp --abi cp314 \
        --platform manylinux2014_x86_64 --require-hashes -r "$dl/req.txt" -d "$dl"
    [[ "$(sha256sum "$dl/$UJSON_WHEEL" | cut -d' ' -f1)" == "$UJSON_SHA256" ]] ||
        { log "$UJSON_WHEEL: sha256 mismatch"; exit 1; }
    rm -rf "$root$venv"
    in_root python3.14 -m venv "$venv"
    in_root "$venv/bin/pip" install --quiet --no-index --no-deps "$work/wheel/$UJSON_WHEEL"
    local site
    site="$(in_root "$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')"
    cp "$data/wheels-ujson.json" "$root$work/wheels-ujson.json"
    in_root "$venv/bin/python" "$work/record_expectations.py" cases "$work/wheels-ujson.json" "$site"
    cp "$root$work/wheels-ujson.json" "$data/wheels-ujson.json"
}

# The smoke calls: each package's CPython 3.14 (GIL build) wheel at the version the corpus pins.
do_smoke() {
    local f=smoke-calls.json dl="$root$work/smoke" pkg version
    mkdir -p "$dl"
    local plats=(linux_x86_64 manylinux1_x86_64 manylinux2010_x86_64 manylinux2014_x86_64)
    local v
    for v in 5 12 17 24 26 27 28 34; do plats+=("manylinux_2_${v}_x86_64"); done
    local pargs=()
    for v in "${plats[@]}"; do pargs+=(--platform "$v"); done
    for pkg in $(python3 -c 'import json, sys; print(" ".join(sorted({c["package"] for c in json.load(sys.stdin)["cases"]})))' <"$data/$f"); do
        version="$(awk -v p="$pkg" '$1 == p && $4 == "cp314t" { print $2 }' "$repo/scripts/corpus.lock")"
        [[ -n "$version" ]] || { log "$pkg: no cp314t row in scripts/corpus.lock"; exit 1; }
        mkdir -p "$dl/$pkg"
        python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-cache-dir \
            --only-binary=:all: --python-version 3.14 --implementation cp --abi cp314 --abi abi3 \
            --abi none "${pargs[@]}" -d "$dl/$pkg" "$pkg==$version"
    done
    cp "$data/$f" "$root$work/$f"
    in_root python3.14 "$work/record_expectations.py" smoke "$work/$f" "$work/smoke"
    cp "$root$work/$f" "$data/$f"
}

# One file of tests/data/stdlib per module (the module's dotted name + .json), or the one named.
do_stdlib() {
    local f files=("$data"/stdlib/*.json)
    if [[ -n "${1:-}" ]]; then files=("$data/stdlib/$1.json"); fi
    mkdir -p "$root$work/stdlib"
    for f in "${files[@]}"; do
        [[ -f "$f" ]] || { log "no such file: $f"; exit 1; }
        cp "$f" "$root$work/stdlib/"
        in_root python3.14 "$work/record_expectations.py" stdlib "$work/stdlib/$(basename "$f")"
        cp "$root$work/stdlib/$(basename "$f")" "$f"
    done
}

what="${1:-all}"
setup
case "$what" in
    sdists) do_sdists ;;
    samples) do_samples ;;
    eval) do_eval ;;
    datetime) do_datetime ;;
    ujson) do_ujson ;;
    stdlib) do_stdlib "${2:-}" ;;
    smoke) do_smoke ;;
    all)
        do_sdists
        do_samples
        do_eval
        do_datetime
        do_ujson
        do_stdlib
        do_smoke
        ;;
    *)
        log "unknown group '$what' (sdists, samples, eval, datetime, ujson, stdlib, smoke, all)"
        exit 64
        ;;
esac
log "done; review with: git diff --stat tests/data"
