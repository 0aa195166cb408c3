#!/usr/bin/env python3
"""Build tests/data/corpus-expected.tsv: one row per corpus module with CPython's decision and its source.

Usage: corpus-expected.py STATIC.tsv GILGATE.json [--cpython CPYTHON313T.tsv] [--sources SOURCES.tsv]
                          [--previous EXPECTED.tsv]

The decision of a row comes from the first of these that knows it (the `source` column says which):
  1. CPython 3.13t's own import of the cp313t wheel (scripts/corpus-cpython.sh's output: whether the
     GIL was enabled for the module), for cp313t rows;
  2. the declaration in the package's source at the pinned version (tests/data/corpus-sources.tsv);
  3. the static read of the module's ELF (scripts/corpus-static.py: the Py_mod_gil slot of the
     definition PyInit_<name> hands to PyModuleDef_Init, or the value a single-phase PyInit passes to
     PyUnstable_Module_SetGIL itself, or a single-phase module that does not import
     PyUnstable_Module_SetGIL at all);
  4. CPython 3.13t's decision for the cp313t twin of a cp314t wheel (same package and module; the
     same version when the corpus has it, else the nearest, which the source says);
  5. gilgate's own run, only when none of the above knows (source `gilgate`: counted and listed).
When two independent sources disagree the script says so on stderr and exits 1.

The `outcome` column is what gilgate can make of the module, given that it runs no Python source:
`complete`, `init-incomplete` (the declaration was seen before the init stopped), `undetermined`,
`skipped` (a plain shared library exporting no module hook at all: gilgate lists it as not a module,
no row, no error) or `error:<Type>` (only for files that are no module CPython would import); it is
taken from gilgate's
run, except that an init failing with an error today becomes `verdict-or-undetermined` (issue 7:
no unexplained errors) until the run gives the final value. `known_diff` marks rows where gilgate differs from the
independent decision (or fails for a reason issue 7 fixes): kept from --previous when the row still
differs, otherwise filled by rule; scripts/corpus-check.sh reports them separately.
"""
import argparse
import csv
import json
import sys

MI_NAMES = {"0": "not_supported", "1": "supported", "2": "per_interpreter_gil_supported",
            "absent": "supported", "none": "supported"}


def read_tsv(path):
    with open(path) as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def static_decision(r):
    """(init, decision, multiple_interpreters, source) from the static read, or None."""
    call = r["def_call"]
    if r["hook"] == "none":
        return ("none", "not-a-module", "-", "static: no PyInit_<name> export")
    if call == "PyModuleDef_Init" and r["slots_gil"] not in ("runtime", "unreadable"):
        gil = r["slots_gil"]
        decision = "enables-lock" if gil in ("0", "absent", "none") else "free-threaded"
        mi = MI_NAMES.get(r["slots_mi"], "?")
        return ("multi-phase", decision, mi,
                f"static: PyModuleDef_Init, m_slots{' (filled by constant stores in PyInit)' if r.get('slots_from') == 'hook' else ''} "
                f"Py_mod_gil={gil} Py_mod_multiple_interpreters={r['slots_mi']}")
    if call == "PyModuleDef_Init":
        return ("multi-phase", None, None, None)
    if call == "PyModule_Create2":
        v = r["setgil_in_hook"]
        if v not in ("-", "call"):
            decision = "free-threaded" if v != "0" else "enables-lock"
            return ("single-phase", decision, "-",
                    f"static: PyInit calls PyModule_Create2 then PyUnstable_Module_SetGIL(m, {v})")
        if r["setgil_import"] == "no":
            return ("single-phase", "enables-lock", "-",
                    "static: single-phase and PyUnstable_Module_SetGIL not imported (no way to declare)")
        return ("single-phase", None, "-", None)
    return (None, None, None, None)


def gilgate_view(m):
    """What gilgate reported, in the table's terms."""
    if m is None:
        return {"module": None, "init": None, "decision": None, "mi": None, "outcome": "missing"}
    status = m.get("status")
    if status == "ok":
        outcome = "complete" if m.get("init_complete", True) else "init-incomplete"
    elif status == "undetermined":
        outcome = "undetermined"
    else:
        outcome = "error:" + ((m.get("error") or {}).get("type") or "?")
    rg = m.get("requires_gil")
    decision = None if rg is None else ("enables-lock" if rg else "free-threaded")
    init = m.get("init") or "-"
    mi = m.get("multiple_interpreters") if init == "multi-phase" else "-"
    return {"module": m.get("name"), "init": init, "decision": decision, "mi": mi or "-", "outcome": outcome}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("static")
    ap.add_argument("gilgate")
    ap.add_argument("--cpython")
    ap.add_argument("--sources")
    ap.add_argument("--previous")
    a = ap.parse_args()

    static = read_tsv(a.static)
    run = json.load(open(a.gilgate))
    gil = {}
    for m in run["modules"]:
        wheel, _, member = m["path"].partition("!")
        gil[wheel.rsplit("/", 1)[-1] + "!" + member] = m  # key: wheel file name!member
    skipped = set()
    for f in run.get("skipped", []):
        wheel, _, member = f["path"].partition("!")
        skipped.add(wheel.rsplit("/", 1)[-1] + "!" + member)
    cpy = {}
    if a.cpython:
        for r in read_tsv(a.cpython):
            cpy[(r["wheel"], r["module"])] = r
    sources = read_tsv(a.sources) if a.sources else []
    prev = {}
    if a.previous:
        for r in read_tsv(a.previous):
            prev[(r["wheel"], r["member"])] = r

    out = []
    conflicts = 0
    for r in static:
        key = r["wheel"] + "!" + r["member"]
        g = gilgate_view(gil.get(key))
        if key in skipped and key not in gil:
            g = {"module": r["module"], "init": None, "decision": None, "mi": None, "outcome": "skipped"}
        s_init, s_dec, s_mi, s_src = static_decision(r)
        init, decision, mi, src = s_init, s_dec, s_mi, s_src
        candidates = []
        c = cpy.get((r["wheel"], r["module"]))
        if c and c["decision"] in ("free-threaded", "enables-lock", "not-a-module"):
            candidates.append((c["decision"], f"cpython-3.13t: {c['detail']}"))
        for s in sources:
            if r["wheel"].startswith(s["wheel_prefix"]) and s["module"] == r["module"]:
                candidates.append((s["decision"], s["source"]))
        if s_dec is not None:
            candidates.append((s_dec, s_src))
        # a cp314t wheel's cp313t twin (same package; same version first), as CPython 3.13t decided it
        dist, version = r["wheel"].split("-")[:2]
        twins = sorted(((w, t) for (w, mod), t in cpy.items()
                        if mod == r["module"] and w != r["wheel"] and w.split("-")[0] == dist
                        and t["decision"] in ("free-threaded", "enables-lock")),
                       key=lambda wt: wt[0].split("-")[1] != version)
        for w, t in twins[:1]:
            tv = w.split("-")[1]
            how = "cp313t twin, same version" if tv == version else f"cp313t twin at {tv}, nearest version"
            candidates.append((t["decision"], f"cpython-3.13t ({how}): {t['detail']}"))
        if candidates:
            decision, src = candidates[0]
            for d, other in candidates[1:]:
                if d != decision:
                    # a source read at another version may differ legitimately: a warning only
                    weak = "nearest" in src or "nearest" in other
                    print(f"{'warning' if weak else 'conflict'}: {r['module']} ({r['wheel']}): {decision} "
                          f"from [{src}] but {d} from [{other}]", file=sys.stderr)
                    conflicts += 0 if weak else 1
            if len(candidates) > 1:
                src += " | agrees: " + " | ".join(o for _, o in candidates[1:])
        else:
            decision, src = g["decision"] or "unknown", "gilgate: no independent source"
        if init is None:
            init = g["init"]
        if mi is None:
            # the multiple-interpreters value of a run-time slot array is only known from a run
            mi = g["mi"] if init == "multi-phase" else "-"
        row = {
            "wheel": r["wheel"], "member": r["member"], "module": r["module"], "toolchain": r["toolchain"],
            "init": init, "decision": decision, "multiple_interpreters": mi, "outcome": g["outcome"],
            "source": src, "known_diff": "",
        }
        diffs = []
        if g["module"] != r["module"]:
            diffs.append(f"name {g['module']}")
        if g["outcome"] in ("complete", "init-incomplete"):
            if g["decision"] != decision:
                diffs.append(f"gilgate says {g['decision']}")
            if init not in ("none",) and g["init"] != init:
                diffs.append(f"init {g['init']}")
            if init == "multi-phase" and g["mi"] != mi:
                diffs.append(f"multiple interpreters {g['mi']}")
        elif g["outcome"].startswith("error:"):
            err = (gil.get(key) or {}).get("error") or {}
            msg = err.get("message", "")
            if g["outcome"] == "error:WorkerCrash":
                diffs.append("crash in init (issue 7 item 5)")
            elif "undefined symbol" in msg:
                diffs.append(f"dlopen fails: {msg.rsplit(': ', 1)[-1]} (issue 7 item 3, the 3.14t export surface)")
            elif "Python version mismatch" in msg:
                diffs.append("3.13t module told it runs on 3.14 (issue 7 item 2)")
            elif decision != "not-a-module":
                diffs.append(f"init fails ({err.get('type')}: {msg[:80]}) without a verdict (issue 7 item 5)")
        if decision == "not-a-module" and g["outcome"] == "skipped":
            # CPython finds the file (3.13t searches .abi3.so too) and its import fails with
            # ImportError: dynamic module does not define module export function (PyInit_<name>);
            # gilgate, finding it inside a wheel, sees that it exports no module hook at all (a
            # plain shared library) and lists it as not a module
            row["outcome"] = "skipped"
        elif decision == "not-a-module":
            # a file that exports some hook, but not the one for its name: CPython's ImportError
            row["outcome"] = "error:ImportError"
            if g["outcome"] != "error:ImportError":
                err = (gil.get(key) or {}).get("error") or {}
                diffs.append(f"gilgate: {err.get('type')} ({err.get('message', '')[:70]}...); CPython: ImportError, "
                             f"no PyInit_{r['module'].rsplit('.', 1)[-1]}")
        elif g["outcome"].startswith("error:"):
            # issue 7: an init that fails gives a verdict ("init incomplete") or `undetermined`,
            # never an unexplained error; which of the two is settled when the fix lands
            row["outcome"] = "verdict-or-undetermined"
        if diffs:
            p = prev.get((r["wheel"], r["member"]))
            row["known_diff"] = p["known_diff"] if p and p["known_diff"] else "; ".join(diffs)
        out.append(row)

    cols = ["wheel", "member", "module", "toolchain", "init", "decision", "multiple_interpreters", "outcome",
            "source", "known_diff"]
    print("# Expected inspect results for the real-wheel corpus (scripts/corpus.lock); made by")
    print("# scripts/corpus-expected.py, checked by scripts/corpus-check.sh. `decision` is CPython's, with its")
    print("# `source`; `outcome` is what gilgate can make of the module; `known_diff` lists where gilgate")
    print("# differs today (see docs/corpus.md).")
    print("\t".join(cols))
    for row in out:
        print("\t".join(row[c].replace("\t", " ") for c in cols))
    return 1 if conflicts else 0


if __name__ == "__main__":
    sys.exit(main())
