#!/usr/bin/env bash
# Writes data/symbol-order.txt: the functions of the `gilgate` binary that `inspect` runs (the
# command and its worker), in the order the linker should lay them out (build.rs passes the file
# to LLD as --symbol-ordering-file). Laid out together, the few hundred kilobytes of code a
# short `inspect` touches share pages, so each process faults in fewer of them (the binary's
# text is 8 MB); see docs/architecture.md, "Start-up costs".
#
# The names are mangled Rust symbols, whose hashes change with the toolchain and with a crate's
# dependencies and features: rerun this after a toolchain or dependency update (a stale name is
# only skipped by the linker, and the layout is as without the file). The script prints how
# many of the file's names the current binary has.
#
# usage: scripts/symbol-order.sh [--check]
#        --check only counts the current file's names found in target/release/gilgate.
# needs: valgrind (callgrind), binutils (nm); the pinned wheels (scripts/fetch-wheels.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/data/symbol-order.txt"
BIN="$ROOT/target/release/gilgate"
cache="${GILGATE_CACHE:-$HOME/.cache/gilgate}/wheels"

count() {
    python3 - "$1" "$BIN" <<'PY'
import subprocess, sys
names = [l.strip() for l in open(sys.argv[1]) if l.strip()]
have = set(subprocess.run(["nm", "--defined-only", sys.argv[2]], capture_output=True,
                          text=True, check=True).stdout.split())
found = sum(n in have for n in names)
print(f"symbol-order: {found} of {len(names)} names are functions of {sys.argv[2]}")
PY
}

if [ "${1:-}" = "--check" ]; then
    count "$OUT"
    exit 0
fi
command -v valgrind >/dev/null || { echo "symbol-order: needs valgrind" >&2; exit 69; }
(cd "$ROOT" && cargo build --release --quiet --bin gilgate)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
inputs=(
    "$cache/markupsafe-3.0.4-cp314-cp314t-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
    "$cache/markupsafe-3.0.3-cp313-cp313t-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
    "$cache/multidict-7.2.1-cp314-cp314t-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
)
for w in "${inputs[@]}"; do
    [ -f "$w" ] || { echo "symbol-order: missing $w (run scripts/fetch-wheels.sh)" >&2; exit 66; }
done
n=0
for args in "inspect ${inputs[0]}" "inspect --json ${inputs[1]}" "inspect ${inputs[2]}" \
    "inspect ${inputs[0]} ${inputs[2]}" "--version"; do
    n=$((n + 1))
    # Twice: the first run fills the unpacked-wheel cache, the second uses it (as most do).
    for pass in 1 2; do
        # shellcheck disable=SC2086
        valgrind --tool=callgrind --demangle=no --trace-children=yes \
            --callgrind-out-file="$TMP/cg.$n.$pass.%p" "$BIN" $args \
            >/dev/null 2>"$TMP/log.$n.$pass" || true
    done
done
python3 - "$TMP" "$BIN" "$OUT" <<'PY'
import glob, os, re, subprocess, sys
tmp, binary, out = sys.argv[1:]
ours = set(subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True,
                          check=True).stdout.split())
# Callgrind names each function once per file ("fn=(id) name", "cfn=(id) name"). Each file is
# one process: the command, or its worker (a file with the worker's request loop,
# `worker::serve`). The command's own functions come first, then those both run, then the
# worker's own, so that each process's code lies in one stretch: the kernel maps the binary's
# code 64 KiB around each page a process touches first, so code of the other process nearby
# would be mapped (and unmapped at its exit) for nothing. Within each group, a function run
# by more of the processes comes first. Names with an ".llvm.<hash>" suffix (local functions
# the optimizer made visible to other codegen units) are left out: the hash covers the unit's
# whole content, paths of the checkout included, so another clone of the same commit has
# other names.
runs = {}
roles = {}
for f in sorted(glob.glob(os.path.join(tmp, "cg.*"))):
    seen = set()
    for line in open(f, errors="replace"):
        m = re.match(r"c?fn=\(\d+\) (\S+)$", line.rstrip("\n"))
        if m and m.group(1) in ours and ".llvm." not in m.group(1):
            seen.add(m.group(1))
    role = "worker" if any("6worker5serve" in n for n in seen) else "command"
    for name in seen:
        runs[name] = runs.get(name, 0) + 1
        roles.setdefault(name, set()).add(role)
group = {frozenset({"command"}): 0, frozenset({"command", "worker"}): 1, frozenset({"worker"}): 2}
names = sorted(runs, key=lambda n: (group[frozenset(roles[n])], -runs[n], n))
with open(out, "w") as f:
    f.write("".join(n + "\n" for n in names))
counts = [sum(group[frozenset(roles[n])] == g for n in names) for g in range(3)]
print(f"symbol-order: {len(names)} functions ({counts[0]} the command's, {counts[1]} both's, "
      f"{counts[2]} the worker's) from {len(glob.glob(os.path.join(tmp, 'cg.*')))} processes -> {out}")
PY
