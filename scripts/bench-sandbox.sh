#!/usr/bin/env bash
# The inspection sandbox's cost: `gilgate inspect` of one sample `.so` (mp_ft) and of the largest
# corpus wheel, each with the sandbox and with --no-sandbox, in one run. The four cases alternate
# round by round (so load on a shared machine hits them alike); prints each case's median wall
# time and the sandbox's ratio.
#
# Usage: scripts/bench-sandbox.sh [ROUNDS]   (default 15; the wheel gets ROUNDS/2+1 rounds)
#   GILGATE_BIN  the gilgate binary (default: target/release/gilgate, built with
#                cargo build --release -p gilgate)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-15}"
bin="${GILGATE_BIN:-}"
if [[ -z "$bin" ]]; then
    (cd "$repo" && cargo build -q --release -p gilgate)
    bin="$repo/target/release/gilgate"
fi
samples="$(cd "$repo" && cargo run -q -p gilgate-test-extensions --bin gilgate-samples)"
so="$samples/mp_ft.cpython-314t-x86_64-linux-gnu.so"
bash "$repo/scripts/fetch-corpus.sh" >/dev/null
wheel="$(bash "$repo/scripts/fetch-corpus.sh" --list | xargs ls -S | sed -n 1p)"
"${PYTHON:-python3}" - "$bin" "$so" "$wheel" "$rounds" <<'PY'
import os, statistics, subprocess, sys, time
binary, so, wheel, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cases = [("one .so", so, rounds), ("largest wheel", wheel, rounds // 2 + 1)]
times = {}
for r in range(rounds):
    for label, path, n in cases:
        if r >= n:
            continue
        for mode in (["--no-sandbox"], []) if r % 2 else ([], ["--no-sandbox"]):
            t = time.perf_counter()
            p = subprocess.run([binary, "inspect", "--json", *mode, path],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            dt = time.perf_counter() - t
            if p.returncode not in (0, 2, 3):
                sys.exit(f"bench-sandbox: {label} {mode} exited {p.returncode}")
            times.setdefault((label, bool(mode)), []).append(dt)
print(f"wheel: {os.path.basename(wheel)} ({os.path.getsize(wheel) >> 20} MiB)")
print(f"{'case':<15} {'sandbox ms':>11} {'no-sandbox ms':>14} {'ratio':>7} rounds")
for label, _, n in cases:
    on = statistics.median(times[(label, False)]) * 1e3
    off = statistics.median(times[(label, True)]) * 1e3
    print(f"{label:<15} {on:>11.1f} {off:>14.1f} {on / off:>7.3f} {n}")
PY
