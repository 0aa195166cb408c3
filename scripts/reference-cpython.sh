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
#   bash scripts/reference-cpython.sh env     print the paths as shell assignments (GILGATE_PY313T is
#                                             the 3.13t interpreter once the 313t target has run)
#
# Everything lives under $GILGATE_CACHE/reference (GILGATE_CACHE defaults to ~/.cache/gilgate), outside
# the clone. Needs root (debootstrap, chroot, apt-get for build dependencies).
set -euo pipefail

cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}"
ref="$cache/reference"
sid_root="$ref/sid"

# CPython 3.13t: Debian's python3.13 source package at a pinned version, from the machine's own mirror
# pool. The sha256 sums are the ones the .dsc lists; the orig tarball is CPython's release tarball.
py313_version="3.13.15"
py313_debian_rev="1"
py313_orig_sha256="1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76"
py313_debian_sha256="1cf592dd51de735ff73644743e8959fb16bd50714168855509b709fdeede8342"
py313t_prefix="$ref/cpython-3.13t"
py313t_python="$py313t_prefix/bin/python3.13t"

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

# Host packages the 3.13t build needs (ssl for pip; the rest for the stdlib modules CPython builds).
py313t_build_deps=(build-essential pkg-config xz-utils curl libssl-dev zlib1g-dev libffi-dev libbz2-dev
    liblzma-dev libsqlite3-dev libreadline-dev libncurses-dev uuid-dev libgdbm-dev)

py313t_ready() { [[ -x "$py313t_python" && -f "$py313t_prefix/.gilgate-ready" ]]; }

fetch_checked() { # URL FILE SHA256
    local url="$1" file="$2" sum="$3"
    if [[ -f "$file" ]] && echo "$sum  $file" | sha256sum -c --status; then return 0; fi
    log "fetching $url"
    curl -fsS --retry 3 -o "$file.part" "$url" || die "could not fetch $url"
    echo "$sum  $file.part" | sha256sum -c --status ||
        die "sha256 of $url is $(sha256sum "$file.part" | cut -d' ' -f1), expected $sum"
    mv "$file.part" "$file"
}

# CPython 3.13t from Debian's python3.13 source package, built as distributions build CPython
# (--enable-optimizations --with-lto), free-threaded (--disable-gil), into $py313t_prefix.
# Debian's quilt patches are NOT applied: they adapt CPython to Debian's packaging (multiarch paths,
# dist-packages and the deb_system install scheme, ensurepip disabled, Modules/Setup for debian/rules'
# shared/static/debug builds) and presuppose debian/rules' --prefix=/usr layout; Debian builds no
# free-threaded python3.13 from this package at all. The build here is the release tarball Debian
# ships (orig), configured the way upstream documents a PGO+LTO free-threaded build.
ensure_313t() {
    if py313t_ready; then return 0; fi
    local src="$ref/src" mirror pool orig deb dsc build="$ref/build-3.13t" logf="$ref/build-3.13t.log"
    mirror="$(mirror_uri)"
    pool="${mirror%/}/pool/main/p/python3.13"
    orig="python3.13_${py313_version}.orig.tar.xz"
    deb="python3.13_${py313_version}-${py313_debian_rev}.debian.tar.xz"
    dsc="python3.13_${py313_version}-${py313_debian_rev}.dsc"
    mkdir -p "$src"
    fetch_checked "$pool/$orig" "$src/$orig" "$py313_orig_sha256"
    fetch_checked "$pool/$deb" "$src/$deb" "$py313_debian_sha256"
    if [[ ! -f "$src/$dsc" ]]; then curl -fsS --retry 3 -o "$src/$dsc" "$pool/$dsc" || die "could not fetch $pool/$dsc"; fi
    grep -q "$py313_orig_sha256" "$src/$dsc" || die "$src/$dsc does not list the pinned orig sha256"

    local missing=() p
    for p in "${py313t_build_deps[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if ((${#missing[@]})); then
        log "installing build dependencies: ${missing[*]}"
        as_root apt-get update -qq >/dev/null
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    fi

    rm -rf "$build"
    mkdir -p "$build"
    tar -xJf "$src/$orig" -C "$build"
    local tree="$build/Python-$py313_version"
    log "building CPython $py313_version free-threaded (PGO+LTO, make -j${GILGATE_JOBS:-2}); log: $logf"
    log "this takes tens of minutes on 2 cores"
    (
        cd "$tree"
        ./configure --disable-gil --enable-optimizations --with-lto \
            --prefix="$py313t_prefix"
        make -j"${GILGATE_JOBS:-2}"
        make install
    ) >"$logf" 2>&1 || die "the 3.13t build failed; see $logf"

    "$py313t_python" -c 'import sys, ssl; assert not sys._is_gil_enabled(), "GIL enabled"' ||
        die "$py313t_python is not a working free-threaded build with ssl"
    "$py313t_python" -m pip --version >/dev/null || die "pip does not run under $py313t_python"
    "$py313t_python" -c 'import sys; print(sys.version)' >"$py313t_prefix/.gilgate-version"
    touch "$py313t_prefix/.gilgate-ready"
    rm -rf "$build"
    log "3.13t ready: $py313t_python ($(cat "$py313t_prefix/.gilgate-version"))"
}

# Run a command inside the sid root (its python3.14 is /usr/bin/python3.14 there).
sid_run() { as_root chroot "$sid_root" "$@"; }

what="${1:-all}"
case "$what" in
    sid) ensure_sid ;;
    313t) ensure_313t ;;
    env)
        echo "GILGATE_REF=$ref"
        echo "GILGATE_SID_ROOT=$sid_root"
        echo "GILGATE_PY313T=$py313t_python"
        ;;
    all)
        ensure_sid
        ensure_313t
        ;;
    *) die "unknown target '$what' (sid, 313t, all, env)" ;;
esac
