#!/usr/bin/env bash
# Builds the bundled sample extension modules and inspects them with gilgate.
# Some samples are broken on purpose (a crashing init, a truncated file, ...), so the report
# lists errors and `gilgate inspect` exits 2; the demo itself succeeds when the report is printed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build -q -p gilgate-test-extensions -p gilgate
samples="$(cargo run -q -p gilgate-test-extensions --bin gilgate-samples)"
echo "gilgate inspect $samples"
echo
status=0
cargo run -q -p gilgate -- inspect "$samples" || status=$?
echo
case "$status" in
    0) echo "demo: every sample loaded cleanly (exit 0)" ;;
    2 | 3) echo "demo: exit status $status (some samples are broken on purpose; see README 'Exit status')" ;;
    *) echo "demo: gilgate inspect failed unexpectedly (exit $status)" >&2; exit "$status" ;;
esac
