#!/usr/bin/env bash
# Smoke test: inspects every bundled sample with the built CLI and checks each verdict (target,
# status, gil, error type and message) against test-extensions/expected.tsv. Fails loudly.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build -q -p gilgate-test-extensions -p gilgate
samples="$(cargo run -q -p gilgate-test-extensions --bin gilgate-samples)"
gilgate="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/debug/gilgate"
[[ -x "$gilgate" ]] || { echo "smoke: $gilgate not built" >&2; exit 1; }

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
"$gilgate" inspect --json --timeout 3 "$samples" >"$report" || status=$?
if [[ "$status" != 2 ]]; then
    echo "smoke: expected exit status 2 (some samples are broken on purpose), got $status" >&2
    exit 1
fi

python3 - "$report" test-extensions/expected.tsv "$samples" "$gilgate" <<'PY'
import json, os, subprocess, sys
report, table, samples, gilgate = sys.argv[1:]
doc = json.load(open(report, encoding="utf-8"))
rows = {m["name"]: m for m in doc["modules"]}
# A sample that exports no hook at all is a plain library to a folder search (skipped, no row);
# named on the command line it gets CPython's error, which the table checks.
skipped = {os.path.basename(f["path"]): f["path"] for f in doc.get("skipped", [])}
failures, checked = [], 0
lines = open(table, encoding="utf-8").read().splitlines()
header = lines[0].split("\t")
for line in lines[1:]:
    if not line.strip():
        continue
    exp = dict(zip(header, line.split("\t")))
    name = exp["module"]
    got = rows.pop(name, None)
    if got is None and exp["file"] in skipped:
        if not exp["error_message"].startswith("dynamic module does not define module export function"):
            failures.append(f"{name}: skipped as not a module, but expected {exp['error_message']!r}")
            continue
        one = subprocess.run([gilgate, "inspect", "--json", "--timeout", "3", skipped.pop(exp["file"])],
                             capture_output=True, text=True)
        got = json.loads(one.stdout)["modules"][0]
    if got is None:
        failures.append(f"{name}: missing from the report")
        continue
    checked += 1
    def check(field, want, have):
        if want != "*" and want != have:
            failures.append(f"{name}: {field}: expected {want!r}, got {have!r}")
    check("target", exp["target"], got["target"] or "-")
    check("status", exp["status"], got["status"])
    check("gil", exp["gil"], got["gil"] or "-")
    check("init_complete", exp["init_complete"], "yes" if got["init_complete"] else "no")
    # An init that could not finish keeps the error that stopped it in its evidence.
    err = got["error"] or (got["evidence"] or {}).get("stopped_by") or {}
    etype, emsg = err.get("type", "-"), err.get("message", "-")
    want_type, want_msg = exp["error_type"], exp["error_message"]
    if want_type == "<abort>":
        check("error type", "WorkerCrash", etype)
        check("error message", "init crashed (signal 6, SIGABRT)", emsg)
    elif want_type == "<crash>":
        check("error type", "WorkerCrash", etype)
        if "crashed (signal" not in emsg:
            failures.append(f"{name}: expected a crash message, got {emsg!r}")
    elif want_type == "<exit>":
        check("error type", "WorkerCrash", etype)
        if "called exit(" not in emsg:
            failures.append(f"{name}: expected an exit() message, got {emsg!r}")
    elif want_type == "<timeout>":
        check("error type", "Timeout", etype)
    else:
        check("error type", want_type, etype)
        check("error message", want_msg.replace("{path}", f"{samples}/{exp['file']}"), emsg)
for extra in rows:
    failures.append(f"{extra}: in the report but not in expected.tsv")
for extra in skipped:
    failures.append(f"{extra}: skipped as not a module, but not in expected.tsv")
if failures:
    print(f"smoke: {len(failures)} mismatch(es):", file=sys.stderr)
    for f in failures:
        print("  " + f, file=sys.stderr)
    sys.exit(1)
print(f"smoke: {checked} samples match test-extensions/expected.tsv")
PY
