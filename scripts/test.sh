#!/usr/bin/env bash
# The test command: everything gilgate's tests need, then every test.
#
#   bash scripts/test.sh
#
# 1. System packages: C and C++ compilers and binutils (the sample modules, one C++ test module,
#    `nm`), Python 3 with pip
#    (test-setup and checking only: downloading the pinned wheels and sdists, the smoke test's
#    JSON check, the header-parity and corpus checks; gilgate itself never needs Python). As
#    root (or with sudo) the missing ones are installed with apt-get; otherwise the script stops
#    and names the packages to install.
#    Rust (cargo) is never installed here: the script stops and says how to get it.
# 2. Data, in $GILGATE_CACHE (default ~/.cache/gilgate; fetched once, hash-checked, reused):
#    the pinned PyPI wheels (scripts/fetch-wheels.sh), the pinned sdists built for gilgate
#    (scripts/build-sdists.sh; CPython's answers are recorded in tests/data) and the real-wheel
#    corpus (scripts/fetch-corpus.sh).
# 3. `cargo build --workspace --all-targets`, `cargo test --workspace`, scripts/smoke.sh, the
#    corpus check (scripts/corpus-check.sh), scripts/demo.sh.
#
# Skip switches (GILGATE_SKIP_WHEELS=1, GILGATE_SKIP_SDISTS=1) leave out a download; a test whose
# data is then missing passes with a `gilgate-test: SKIPPED <what>` line on stderr (with the data
# there it runs anyway). Each skip prints such a line; the summary counts them, and `.ci/run`
# fails on any.
# Exit status: 0 when everything passed, 1 otherwise.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

start=$SECONDS
say() { echo "test.sh: $*" >&2; }
skipped() { echo "gilgate-test: SKIPPED $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1; }

# --- 1. system packages ------------------------------------------------------------------------
if ! need cargo; then
    say "cargo (Rust) is required and not on PATH: install it from https://rustup.rs"
    say "(curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh), then run this again"
    exit 1
fi

python="${PYTHON:-python3}"
missing=()
need cc || missing+=(gcc)
need nm || missing+=(binutils)
need c++ || missing+=(g++)
wants_python=0
if [[ "${GILGATE_SKIP_WHEELS:-}" != 1 || "${GILGATE_SKIP_SDISTS:-}" != 1 ]]; then
    wants_python=1
fi
if ! need "$python"; then
    missing+=(python3)
    [[ $wants_python == 0 ]] || missing+=(python3-pip)
elif [[ $wants_python == 1 ]]; then
    "$python" -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
fi
if [[ ${#missing[@]} -gt 0 ]]; then
    sudo_cmd=()
    if [[ "$(id -u)" != 0 ]] && need sudo && sudo -n true 2>/dev/null; then sudo_cmd=(sudo); fi
    if need apt-get && { [[ "$(id -u)" == 0 ]] || [[ ${#sudo_cmd[@]} -gt 0 ]]; }; then
        say "installing ${missing[*]} (apt-get)"
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
        if [[ "$python" != /* ]] && ! "$python" -m pip --version >/dev/null 2>&1; then
            # a python3 earlier on PATH (pyenv, ...) without pip: use the distribution's
            python=/usr/bin/python3
            export PYTHON="$python"
        fi
    else
        say "missing system packages: ${missing[*]}"
        say "install them (Debian/Ubuntu: apt-get install ${missing[*]}) or run this script as root"
        exit 1
    fi
fi

# --- 2. data in the cache ----------------------------------------------------------------------
export GILGATE_CACHE="${GILGATE_CACHE:-$HOME/.cache/gilgate}"
mkdir -p "$GILGATE_CACHE"
say "cache: $GILGATE_CACHE"
if [[ "${GILGATE_SKIP_WHEELS:-}" == 1 ]]; then
    skipped "scripts/fetch-wheels.sh (GILGATE_SKIP_WHEELS=1)"
else
    bash scripts/fetch-wheels.sh
fi
if [[ "${GILGATE_SKIP_SDISTS:-}" == 1 ]]; then
    skipped "scripts/build-sdists.sh (GILGATE_SKIP_SDISTS=1)"
else
    bash scripts/build-sdists.sh
fi
# the real-wheel corpus (scripts/corpus.lock; tests/wheels.rs inspects some of its wheels)
if [[ -f scripts/fetch-corpus.sh ]]; then
    if [[ "${GILGATE_SKIP_WHEELS:-}" == 1 ]]; then
        skipped "scripts/fetch-corpus.sh (GILGATE_SKIP_WHEELS=1)"
    else
        bash scripts/fetch-corpus.sh
    fi
fi

# --- 3. build and test -------------------------------------------------------------------------
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo build --workspace --all-targets
status=0
# stderr too: the SKIPPED lines tests write go there
cargo test --workspace 2>&1 | tee "$log" || status=$?
[[ $status == 0 ]] || {
    say "cargo test --workspace failed (exit $status)"
    exit 1
}
bash scripts/smoke.sh
# every corpus module against its expected row (docs/corpus.md)
if [[ -f scripts/corpus-check.sh ]]; then
    if [[ "${GILGATE_SKIP_WHEELS:-}" == 1 ]]; then
        skipped "scripts/corpus-check.sh (GILGATE_SKIP_WHEELS=1)"
    else
        bash scripts/corpus-check.sh
    fi
fi
# the README's first command: both of its parts as expected.tsv says
bash scripts/demo.sh >/dev/null
say "demo: ok"

skips="$(grep -c '^gilgate-test: SKIPPED' "$log" || true)"
ignored="$(grep -cE '^test result: .* [1-9][0-9]* ignored' "$log" || true)"
elapsed=$((SECONDS - start))
say "passed in $((elapsed / 60))m $((elapsed % 60))s; skipped test lines: $skips; test binaries with ignored tests: $ignored"
