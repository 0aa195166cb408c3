#!/usr/bin/env python3
"""Compare `gilgate inspect --json` over the corpus with tests/data/corpus-expected.tsv.

Usage: corpus-check.py EXPECTED.tsv GILGATE.json

Every module gilgate reports must have a row (wheel file name + member) and every row a module. For a
row, gilgate must report the row's module name and outcome; when the outcome carries a verdict
(`complete`, `init-incomplete`) also its init style, decision and multiple-interpreters value.
A row whose outcome is `skipped` must be in the report's `skipped` list (a plain shared library,
not a module) and not among its modules.
`verdict-or-undetermined` accepts either a verdict (then compared) or `undetermined`, not an error. A row
with a `known_diff` may differ (listed separately, never silently); when such a row now matches, the
mark is stale and reported too. Exit 0 when nothing but known differences remain, 1 otherwise.
"""
import csv
import json
import sys


def view(m):
    status = m.get("status")
    if status == "ok":
        outcome = "complete" if m.get("init_complete", True) else "init-incomplete"
    elif status == "undetermined":
        outcome = "undetermined"
    else:
        outcome = "error:" + ((m.get("error") or {}).get("type") or "?")
    rg = m.get("requires_gil")
    init = m.get("init") or "-"
    return {
        "module": m.get("name"),
        "init": init,
        "decision": None if rg is None else ("enables-lock" if rg else "free-threaded"),
        "multiple_interpreters": (m.get("multiple_interpreters") or "-") if init == "multi-phase" else "-",
        "outcome": outcome,
    }


def differences(row, got):
    fields = ["module", "outcome"]
    if row["outcome"] == "verdict-or-undetermined" and got["outcome"] in ("complete", "init-incomplete",
                                                                          "undetermined"):
        fields = ["module"] + (["init", "decision"] if got["outcome"] != "undetermined" else [])
    elif row["outcome"] in ("complete", "init-incomplete"):
        fields += ["init", "decision", "multiple_interpreters"]
    return [(f, row[f], got[f]) for f in fields if row[f] != got[f]]


def main():
    exp_path, json_path = sys.argv[1], sys.argv[2]
    with open(exp_path) as f:
        rows = list(csv.DictReader([line for line in f if not line.startswith("#")], delimiter="\t"))
    expected = {(r["wheel"], r["member"]): r for r in rows}
    run = json.load(open(json_path))
    got = {}
    for m in run["modules"]:
        wheel, _, member = m["path"].partition("!")
        got[(wheel.rsplit("/", 1)[-1], member)] = m
    skipped = set()
    for f in run.get("skipped", []):
        wheel, _, member = f["path"].partition("!")
        skipped.add((wheel.rsplit("/", 1)[-1], member))

    failures, known, stale = [], [], []
    for key, r in expected.items():
        m = got.get(key)
        where = f"{r['module']} ({key[0]}!{key[1]})"
        if r["outcome"] == "skipped":
            if m is not None or key not in skipped:
                now = "a module row" if m is not None else "not reported at all"
                failures.append(f"CHANGED  {where}: expected skipped (not a module), gilgate: {now}")
            continue
        if key in skipped:
            failures.append(f"CHANGED  {where}: gilgate skipped it as not a module; expected {r['outcome']}")
            continue
        if m is None:
            failures.append(f"MISSING  {r['module']} ({key[0]}!{key[1]}): in the table, not in gilgate's report")
            continue
        d = differences(r, view(m))
        text = "; ".join(f"{f}: expected {e!r}, gilgate {g!r}" for f, e, g in d)
        if d and r["known_diff"]:
            known.append(f"KNOWN    {where}: {text}  [{r['known_diff']}]")
        elif d:
            failures.append(f"CHANGED  {where}: {text}  [source of the decision: {r['source']}]")
        elif r["known_diff"]:
            stale.append(f"FIXED    {where}: matches now; clear its known_diff [{r['known_diff']}]")
    for key, m in got.items():
        if key not in expected:
            failures.append(f"NEW      {m.get('name')} ({key[0]}!{key[1]}): not in {exp_path}; add a row")
    for key in sorted(skipped - set(expected)):
        failures.append(f"NEW      {key[0]}!{key[1]}: skipped as not a module, not in {exp_path}; add a row")

    for line in known + stale + failures:
        print(line)
    print(f"corpus-check: {len(expected)} rows, {len(got)} modules and {len(skipped)} skipped files reported: "
          f"{len(expected) - len(known) - len(failures)} match, {len(known)} known differences, "
          f"{len(stale)} known differences now fixed, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
