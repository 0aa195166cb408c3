#!/usr/bin/env bash
# Fetch the pinned PyPI sdists of scripts/sdists.lock and build their C extension modules against
# gilgate's include/ (into $GILGATE_CACHE/sdists/build/gilgate/, ABI suffix
# .cpython-314t-x86_64-linux-gnu.so) for tests/sdists.rs. GILGATE_CACHE defaults to ~/.cache/gilgate.
#
# With --reference, build them instead against the reference CPython 3.14 (the Debian sid root of
# scripts/reference-cpython.sh, its own headers and EXT_SUFFIX), inside that root under
# /var/tmp/gilgate-sdists/ (build/cpython/, build/status.txt): scripts/record-expectations.sh
# sdists runs them there and records CPython's answers into tests/data/sdists.json, which the tests
# read (they need no CPython).
#
# Nothing third-party is committed: the sdists are downloaded with pip (exact version, hash
# required) into $GILGATE_CACHE/sdists/ and unpacked there. The sources are
# compiled unmodified. A module that does not compile is a finding, not a script failure: its first
# compiler error (an undeclared function counts as an error) is written to build/<side>/<module>.log and listed in build/status.txt as
#   <side> <module> ok|fail
# The script fails only when a download or a hash check fails.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$repo/scripts/sdists.lock"
cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}/sdists"
python="${PYTHON:-python3}"
cc="${CC:-cc}"

side=gilgate
case "${1:-}" in
    "") ;;
    --reference) side=cpython ;;
    *) echo "usage: build-sdists.sh [--reference]" >&2; exit 64 ;;
esac

mkdir -p "$cache/src" "$cache/build/gilgate"
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

gg_suffix=".cpython-314t-x86_64-linux-gnu.so"
status="$cache/build/status.txt"

# The reference side: CPython 3.14 in the sid root; sources are copied into the root and compiled
# by its gcc against its python3.14 headers.
if [[ "$side" == cpython ]]; then
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || { echo "build-sdists: --reference needs root (chroot)" >&2; exit 1; }
        export GILGATE_CACHE="${GILGATE_CACHE:-$HOME/.cache/gilgate}" # the caller's, not root's
    exec sudo --preserve-env=GILGATE_CACHE,PYTHON,CC bash "$0" "$@"
    fi
    bash "$repo/scripts/reference-cpython.sh" sid
    eval "$(bash "$repo/scripts/reference-cpython.sh" env)"
    ref_root="$GILGATE_SID_ROOT"
    ref_dir=/var/tmp/gilgate-sdists
    rm -rf "$ref_root$ref_dir"
    mkdir -p "$ref_root$ref_dir/src" "$ref_root$ref_dir/build/cpython"
    py_includes="$(chroot "$ref_root" python3.14 -c 'import sysconfig as s; print(s.get_paths()["include"])')"
    py_suffix="$(chroot "$ref_root" python3.14 -c 'import sysconfig as s; print(s.get_config_var("EXT_SUFFIX"))')"
    status="$ref_root$ref_dir/build/status.txt"
fi
: >"$status"
failed=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() { # package version sha -> path of the tarball
    local pkg="$1" version="$2" sha="$3" f
    for f in "$cache"/"$pkg"-"$version".tar.gz "$cache"/"${pkg//[-.]/_}"-"$version".tar.gz; do
        if [[ -f "$f" && "$(sha_of "$f")" == "$sha" ]]; then
            echo "$f"
            return 0
        fi
    done
    local work="$tmp/$pkg"
    mkdir -p "$work"
    printf '%s==%s --hash=sha256:%s\n' "$pkg" "$version" "$sha" >"$work/req.txt"
    "$python" -m pip download --quiet --disable-pip-version-check --no-deps \
        --no-binary=:all: --require-hashes -d "$work/out" -r "$work/req.txt" >&2 || return 1
    for f in "$work"/out/*.tar.gz; do
        [[ "$(sha_of "$f")" == "$sha" ]] || return 1
        mv "$f" "$cache/"
        echo "$cache/$(basename "$f")"
        return 0
    done
    return 1
}

build_one() { # side module srcdir sources cflags
    local side="$1" module="$2" dir="$3" sources="$4" cflags="$5"
    local out="$cache/build/$side" suffix incs
    local -a run=()
    if [[ "$side" == gilgate ]]; then
        suffix="$gg_suffix"
        incs=(-I "$repo/include")
    else
        # paths inside the reference root, where the compiler runs
        suffix="$py_suffix"
        incs=(-I "$py_includes")
        local top
        top="$(basename "$dir")"
        [[ -d "$ref_root$ref_dir/src/$top" ]] || cp -a "$dir" "$ref_root$ref_dir/src/"
        dir="$ref_dir/src/$top"
        out="$ref_dir/build/cpython"
        run=(chroot "$ref_root")
        cc=gcc
    fi
    local -a srcs flags
    IFS=, read -r -a srcs <<<"$sources"
    flags=()
    if [[ "$cflags" != - ]]; then IFS=, read -r -a flags <<<"$cflags"; fi
    local -a paths=()
    local s
    for s in "${srcs[@]}"; do paths+=("$dir/$s"); done
    local so="$out/${module//.//}$suffix"
    local host_prefix=""
    [[ "$side" == gilgate ]] || host_prefix="$ref_root"
    mkdir -p "$host_prefix$(dirname "$so")"
    local log="$host_prefix$out/$module.log"
    if "${run[@]}" sh -c 'cd "$1" && shift && exec "$@"' sh "$dir" "$cc" -shared -fPIC -O1 \
        -Werror=implicit-function-declaration "${incs[@]}" "${flags[@]}" -o "$so" "${paths[@]}" >"$log" 2>&1; then
        echo "$side $module ok" >>"$status"
        echo "built    $side $module"
    else
        rm -f "$host_prefix$so"
        echo "$side $module fail" >>"$status"
        echo "FAILED   $side $module: $(grep -m1 -E 'error' "$log" || head -1 "$log")"
    fi
}

while read -r pkg version sha module sources cflags rest; do
    case "$pkg" in '' | '#'*) continue ;; esac
    if [[ -z "${cflags:-}" || -n "${rest:-}" ]]; then
        echo "build-sdists: malformed line in $lock for $pkg" >&2
        exit 1
    fi
    if ! tarball="$(fetch "$pkg" "$version" "$sha")"; then
        echo "FAILED   $pkg $version (download or sha256 check failed)" >&2
        failed=$((failed + 1))
        continue
    fi
    top="$(basename "$tarball" .tar.gz)"
    dir="$cache/src/$top"
    [[ -d "$dir" ]] || tar xzf "$tarball" -C "$cache/src"
    build_one "$side" "$module" "$dir" "$sources" "$cflags"
done <"$lock"

echo "build-sdists: $(grep -c ' ok$' "$status" || true) built, $(grep -c ' fail$' "$status" || true) did not compile (see $status), $failed download failures"
[[ $failed -eq 0 ]]
