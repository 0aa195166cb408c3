#!/usr/bin/env bash
# Reference CPythons that gilgate's recorded expectations come from. Nothing here runs in the tests:
# scripts that record data (scripts/record-*.sh) call this first, and the tests read the data files.
#
#   bash scripts/reference-cpython.sh sid     CPython 3.14.x from Debian sid's binary packages, in a
#                                             debootstrap --variant=minbase root (a GIL build: texts and
#                                             headers only, never lock behaviour)
#   bash scripts/reference-cpython.sh 313t    CPython 3.13t built from Debian's python3.13 3.13.15-1
#                                             source, --disable-gil --enable-optimizations --with-lto
#   bash scripts/reference-cpython.sh all     both (the default)
#   bash scripts/reference-cpython.sh env     print the paths as shell assignments
#
# Everything lives under $GILGATE_CACHE/reference (GILGATE_CACHE defaults to ~/.cache/gilgate), outside
# the clone. Needs root (debootstrap, chroot, apt-get for build dependencies).
set -euo pipefail

cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}"
ref="$cache/reference"
sid_root="$ref/sid"

log() { echo "reference-cpython: $*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
    if [[ "$(id -u)" == 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "needs root for: $*"
    fi
}

# The mirror URI this machine's own apt sources use (deb822 or one-line format).
mirror_uri() {
    local uri=""
    if [[ -d /etc/apt/sources.list.d ]]; then
        uri="$(grep -h -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
            awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)"
    fi
    if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
        uri="$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' \
            /etc/apt/sources.list | grep -E '/debian/?$' | head -n1 || true)"
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

sid_python() { echo "$sid_root/usr/bin/python3.14"; }

ensure_sid() {
    if [[ -x "$(sid_python)" && -f "$sid_root/usr/include/python3.14/Python.h" && -f "$sid_root/.gilgate-ready" ]]; then
        return 0
    fi
    command -v debootstrap >/dev/null || as_root apt-get install -y -qq debootstrap >/dev/null
    local mirror
    mirror="$(mirror_uri)"
    mkdir -p "$ref"
    if [[ ! -x "$sid_root/usr/bin/apt-get" ]]; then
        log "debootstrap --variant=minbase sid from $mirror into $sid_root"
        rm -rf "$sid_root"
        as_root debootstrap --variant=minbase sid "$sid_root" "$mirror" >"$ref/debootstrap.log" 2>&1 ||
            die "debootstrap failed; see $ref/debootstrap.log"
    fi
    # A private sources list for the root (the machine's own mirror, never the machine's lists).
    echo "deb $mirror sid main" | as_root tee "$sid_root/etc/apt/sources.list" >/dev/null
    as_root cp /etc/resolv.conf "$sid_root/etc/resolv.conf"
    log "installing python3.14 in the sid root"
    as_root chroot "$sid_root" apt-get -o Acquire::Check-Valid-Until=false update -qq >/dev/null
    as_root chroot "$sid_root" env DEBIAN_FRONTEND=noninteractive apt-get \
        -o Acquire::Check-Valid-Until=false install -y -qq --no-install-recommends \
        ca-certificates python3.14 python3.14-dev python3.14-venv gcc libc6-dev >/dev/null
    as_root touch "$sid_root/.gilgate-ready"
    log "sid root ready: $("$sid_root/usr/sbin/chroot" --version >/dev/null 2>&1; as_root chroot "$sid_root" python3.14 -VV)"
}

# Run a command inside the sid root (its python3.14 is /usr/bin/python3.14 there).
sid_run() { as_root chroot "$sid_root" "$@"; }

what="${1:-all}"
case "$what" in
    sid) ensure_sid ;;
    env)
        echo "GILGATE_REF=$ref"
        echo "GILGATE_SID_ROOT=$sid_root"
        ;;
    all) ensure_sid ;;
    *) die "unknown target '$what' (sid, 313t, all, env)" ;;
esac
