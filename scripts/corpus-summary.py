#!/usr/bin/env python3
"""Counts by toolchain and outcome of one `gilgate inspect --json` run over the corpus, judged against
tests/data/corpus-expected.tsv (the figures of docs/corpus.md). Markdown on stdout.

Usage: corpus-summary.py EXPECTED.tsv GILGATE.json

Columns: `right` (gilgate's verdict, complete or init incomplete, is CPython's decision under CPython's
module name), `wrong name` (right decision, other name), `WRONG` (another decision), `undetermined`
(gilgate reports no verdict, with its evidence), then errors: `needs Python module`, `3.13 version
refused`, `crash`, `other error`, and `not a module` (files CPython would not import as modules,
whether gilgate reports them as errors or lists them as skipped plain libraries).
"""
import collections
import csv
import json
import sys


def category(row, m):
    if row["decision"] == "not-a-module":
        return "not a module"
    status = m.get("status")
    if status == "undetermined":
        return "undetermined"
    if status != "ok":
        err = m.get("error") or {}
        if err.get("type") == "WorkerCrash":
            return "crash"
        if "version mismatch" in err.get("message", ""):
            return "3.13 version refused"
        if err.get("type") in ("ImportError", "ModuleNotFoundError") and "undefined symbol" not in err.get(
                "message", ""):
            return "needs Python module"
        return "other error"
    decision = "enables-lock" if m.get("requires_gil") else "free-threaded"
    if decision != row["decision"]:
        return "WRONG"
    return "right" if m.get("name") == row["module"] else "wrong name"


def main():
    with open(sys.argv[1]) as f:
        rows = list(csv.DictReader([line for line in f if not line.startswith("#")], delimiter="\t"))
    run = json.load(open(sys.argv[2]))
    got = {}
    for m in run["modules"]:
        wheel, _, member = m["path"].partition("!")
        got[(wheel.rsplit("/", 1)[-1], member)] = m
    for f in run.get("skipped", []):
        wheel, _, member = f["path"].partition("!")
        got.setdefault((wheel.rsplit("/", 1)[-1], member), {"status": "skipped"})
    cols = ["right", "wrong name", "WRONG", "undetermined", "needs Python module", "3.13 version refused",
            "crash", "other error", "not a module"]
    by_tool = collections.defaultdict(collections.Counter)
    incomplete = collections.Counter()
    for r in rows:
        m = got.get((r["wheel"], r["member"]))
        if m is None:
            continue
        c = category(r, m)
        by_tool[r["toolchain"]][c] += 1
        if c == "right" and m.get("init_complete") is False:
            incomplete[r["toolchain"]] += 1
    print("| toolchain | modules | " + " | ".join(cols) + " |")
    print("|---|---:|" + "---:|" * len(cols))
    total = collections.Counter()
    for tool in sorted(by_tool, key=lambda t: -sum(by_tool[t].values())):
        cnt = by_tool[tool]
        total.update(cnt)
        print(f"| {tool} | {sum(cnt.values())} | " + " | ".join(str(cnt[c] or "") for c in cols) + " |")
    print(f"| all | {sum(total.values())} | " + " | ".join(str(total[c] or "") for c in cols) + " |")
    print()
    print(f"right: {total['right']} (of which init incomplete: {sum(incomplete.values())}); "
          f"decisions CPython makes: {sum(total.values()) - total['not a module']}")


if __name__ == "__main__":
    main()
