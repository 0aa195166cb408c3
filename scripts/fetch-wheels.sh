#!/usr/bin/env bash
# Fetch the real PyPI wheels that gilgate's tests inspect (pinned in scripts/wheels.lock).
#
# Each wheel is downloaded with pip (exact version, target ABI, manylinux x86_64, hash required),
# then its file name and sha256 are checked against the lock file. Wheels already in the cache with
# the right hash are skipped. The cache is $GILGATE_CACHE/wheels (GILGATE_CACHE defaults to
# ~/.cache/gilgate). Python is used only here, at test-setup time; gilgate never needs it.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$repo/scripts/wheels.lock"
cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}/wheels"
python="${PYTHON:-python3}"

mkdir -p "$cache"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# shellcheck source=scripts/pip-common.sh
. "$repo/scripts/pip-common.sh"

fetched=0
cached=0
failed=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

while read -r pkg version pyver abi sha file rest; do
    case "$pkg" in '' | '#'*) continue ;; esac
    if [[ -z "$file" || -n "${rest:-}" ]]; then
        echo "fetch-wheels: malformed line in $lock for $pkg" >&2
        exit 1
    fi
    dest="$cache/$file"
    if [[ -f "$dest" && "$(sha_of "$dest")" == "$sha" ]]; then
        echo "cached   $file"
        cached=$((cached + 1))
        continue
    fi
    if [[ -f "$dest" ]]; then
        echo "stale    $file (hash differs, downloading again)"
        rm -f "$dest"
    fi
    ensure_pip fetch-wheels "the wheels"
    work="$tmp/$pkg-$version-$abi"
    mkdir -p "$work"
    printf '%s==%s --hash=sha256:%s\n' "$pkg" "$version" "$sha" >"$work/req.txt"
    if ! "$python" -m pip download --quiet --disable-pip-version-check --no-deps \
        --only-binary=:all: --require-hashes \
        --python-version "$pyver" --implementation cp --abi "$abi" \
        --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        --platform manylinux_2_27_x86_64 --platform manylinux_2_28_x86_64 \
        --platform manylinux_2_5_x86_64 --platform manylinux1_x86_64 \
        -d "$work/out" -r "$work/req.txt"; then
        echo "FAILED   $file (pip download failed)" >&2
        failed=$((failed + 1))
        continue
    fi
    got="$work/out/$file"
    if [[ ! -f "$got" ]]; then
        echo "FAILED   $file (pip fetched: $(ls "$work/out" | tr '\n' ' '))" >&2
        failed=$((failed + 1))
        continue
    fi
    if [[ "$(sha_of "$got")" != "$sha" ]]; then
        echo "FAILED   $file (sha256 mismatch)" >&2
        failed=$((failed + 1))
        continue
    fi
    mv "$got" "$dest"
    echo "fetched  $file"
    fetched=$((fetched + 1))
done <"$lock"

echo "fetch-wheels: $fetched fetched, $cached already cached, $failed failed, in $cache"
[[ $failed -eq 0 ]]
