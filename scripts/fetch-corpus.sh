#!/usr/bin/env bash
# Fetch the real-wheel corpus (scripts/corpus.lock) into ${GILGATE_CACHE:-~/.cache/gilgate}/corpus/.
#
# Each wheel is downloaded with pip (exact version, its own python version, ABI and platform tags, hash
# required), to a private temporary folder, checked against the lock's file name and sha256, then moved
# into the cache under its final name (so a reader never sees a half-written wheel; several processes may
# share the cache). Wheels already cached with the right hash are skipped. Downloads run in parallel
# (GILGATE_FETCH_JOBS, default 6). Python is used only here, at test-setup time.
#
# Usage: scripts/fetch-corpus.sh [--list]   (--list prints the cached paths of all corpus wheels)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$repo/scripts/corpus.lock"
cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}/corpus"
python="${PYTHON:-python3}"
jobs="${GILGATE_FETCH_JOBS:-6}"

if [[ "${1:-}" == --list ]]; then
    awk '$1 !~ /^#/ && NF { print $6 }' "$lock" | sed "s|^|$cache/|"
    exit 0
fi

mkdir -p "$cache"

# shellcheck source=scripts/pip-common.sh
. "$repo/scripts/pip-common.sh"

# One wheel: prints one status line; exit status 0 when the wheel is in the cache afterwards.
fetch_one() {
    local pkg="$1" version="$2" pyver="$3" abi="$4" sha="$5" file="$6"
    local dest="$cache/$file"
    if [[ -f "$dest" ]]; then
        if [[ "$(sha256sum "$dest" | cut -d' ' -f1)" == "$sha" ]]; then
            echo "cached   $file"
            return 0
        fi
        echo "stale    $file (hash differs, downloading again)"
    fi
    local work
    work="$(mktemp -d "$cache/.fetch-XXXXXX")"
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" RETURN
    printf '%s==%s --hash=sha256:%s\n' "$pkg" "$version" "$sha" >"$work/req.txt"
    # the wheel's own platform tags (file name: name-version-pytag-abitag-platforms.whl)
    local plats="${file%.whl}"
    plats="${plats##*-}"
    local args=()
    local p
    IFS=. read -r -a tags <<<"$plats"
    for p in "${tags[@]}"; do args+=(--platform "$p"); done
    if ! "$python" -m pip download --quiet --disable-pip-version-check --no-deps --no-cache-dir \
        --only-binary=:all: --require-hashes --python-version "$pyver" --implementation cp \
        --abi "$abi" "${args[@]}" -d "$work/out" -r "$work/req.txt" >"$work/log" 2>&1; then
        echo "FAILED   $file (pip download failed: $(tail -n 1 "$work/log"))" >&2
        return 1
    fi
    local got="$work/out/$file"
    if [[ ! -f "$got" ]]; then
        echo "FAILED   $file (pip fetched: $(ls "$work/out" | tr '\n' ' '))" >&2
        return 1
    fi
    if [[ "$(sha256sum "$got" | cut -d' ' -f1)" != "$sha" ]]; then
        echo "FAILED   $file (sha256 mismatch)" >&2
        return 1
    fi
    mv -f "$got" "$dest"
    echo "fetched  $file"
}

start=$(date +%s)
ensure_pip fetch-corpus "the corpus"
export -f fetch_one
export cache python
status=0
awk '$1 !~ /^#/ && NF { if (NF != 6) { print "malformed: " $0 > "/dev/stderr"; exit 1 } print }' "$lock" |
    xargs -P "$jobs" -L 1 bash -c 'fetch_one "$@"' fetch_one >"$cache/.fetch-log.$$" || status=$?
cat "$cache/.fetch-log.$$"
fetched=$(grep -c '^fetched' "$cache/.fetch-log.$$" || true)
cached=$(grep -c '^cached' "$cache/.fetch-log.$$" || true)
rm -f "$cache/.fetch-log.$$"
total=$(awk '$1 !~ /^#/ && NF' "$lock" | wc -l)
failed=$((total - fetched - cached))
echo "fetch-corpus: $fetched fetched, $cached already cached, $failed failed, in $cache ($(($(date +%s) - start)) s)"
[[ $status -eq 0 && $failed -eq 0 ]]
