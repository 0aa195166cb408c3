#!/usr/bin/env bash
# Loom model tests of capi's concurrency cores (capi/model): builds the model crate with
# `--cfg loom`, which compiles capi's own source files of those cores against loom's primitives
# (capi/src/runtime/sync.rs), and runs every model, each exploring all interleavings of its
# threads. A separate target folder keeps the loom build from invalidating the normal one.
#
# usage: scripts/model-check.sh [MODEL_NAME_FILTER]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}/loom
start=$(date +%s)
# The loom build is a build of its own: it passes the same clippy gate as the workspace.
RUSTFLAGS="--cfg loom" cargo clippy --locked -p gilgate-capi-model --all-targets --target-dir "$TARGET" -- -D warnings
RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=${LOOM_MAX_PREEMPTIONS:-3} \
    cargo test --locked --release -p gilgate-capi-model --target-dir "$TARGET" -- "$@"
echo "model-check: passed in $(( $(date +%s) - start )) s"
