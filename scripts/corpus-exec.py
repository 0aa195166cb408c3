#!/usr/bin/env python3
"""Which cp314t corpus modules pass exec in gilgate, and the first blocker of every other one.

Usage: corpus-exec.py GILGATE EXPECTED.tsv CORPUS_DIR [--jobs N] [--tsv OUT.tsv]

For every cp314t module row of EXPECTED.tsv (tests/data/corpus-expected.tsv: wheel, member, module,
toolchain, ...) that is a module (not a plain library), runs `GILGATE eval --path WHEEL [--path DEP ...] MODULE 1`
(init, exec, one expression), where each DEP is a corpus wheel for CPython 3.14t of a distribution
the wheel requires (Requires-Dist, transitively, markers evaluated for CPython 3.14 on Linux), as an
installer would have put it next to the package; and sorts the outcome:
  - `exec ok`: exit 0;
  - `module not provided: X (WHERE)`: the first error is a ModuleNotFoundError or an ImportError
    naming a module gilgate does not provide; WHERE says whether it is Python source in the wheel
    (or a dependency's wheel), the standard library, or a distribution the corpus does not hold.
    Also when gilgate names it as the cause of a wrapper error (pybind11's "initialization
    failed"), as the Python code behind a missing package attribute, or in the what() of a C++
    exception that aborted the process;
  - `missing API: NAME`: a C API function gilgate only stubs;
  - `crash`: killed by a signal;
  - `error: TEXT`: anything else (the last line of stderr).
Prints a Markdown summary by toolchain and outcome kind, then every blocker with its modules. With
--tsv, also writes one row per module (module, toolchain, outcome). Exit 0 unless gilgate itself
could not be run.
"""
import collections
import concurrent.futures
import csv
import os
import re
import subprocess
import sys
import zipfile

# What the environment markers of Requires-Dist see: CPython 3.14 (free-threaded) on x86_64 Linux.
MARKER_ENV = {
    "python_version": "3.14", "python_full_version": "3.14.0",
    "implementation_name": "cpython", "platform_python_implementation": "CPython",
    "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
    "platform_machine": "x86_64", "extra": "",
}
MARKER_ATOM = re.compile(r"""(\w+)\s*(===|==|!=|<=|>=|<|>|~=|not in|in)\s*(['"])(.*?)\3""")


def version_key(text):
    return tuple(int(x) if x.isdigit() else 0 for x in re.split(r"[.]", text))


def marker_atom(var, op, value):
    have = MARKER_ENV.get(var, "")
    if var.endswith("version"):
        a, b = version_key(have), version_key(value)
        n = max(len(a), len(b))
        a, b = a + (0,) * (n - len(a)), b + (0,) * (n - len(b))
    else:
        a, b = have, value
    return {"==": a == b, "===": a == b, "~=": a >= b, "!=": a != b, "<": a < b, "<=": a <= b,
            ">": a > b, ">=": a >= b, "in": str(a) in str(b), "not in": str(a) not in str(b)}[op]


def marker_true(marker):
    """Evaluates a marker: `VAR OP "VALUE"` atoms joined by `and`, `or` and parentheses."""
    logic = MARKER_ATOM.sub(lambda m: " " + str(marker_atom(*m.group(1, 2, 4))) + " ", marker)
    if not logic.strip():
        return True
    if re.fullmatch(r"(\s|\(|\)|True|False|and|or|not)*", logic) is None:
        raise ValueError(f"unsupported marker: {marker}")
    return eval(logic, {"__builtins__": {}})  # only True/False/and/or/not/() are left


def dist_key(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def requirements(wheel_path):
    with zipfile.ZipFile(wheel_path) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        lines = z.read(meta).decode("utf-8", "replace").splitlines()
    for line in lines:
        if line.startswith("Requires-Dist:"):
            req, _, marker = line[len("Requires-Dist:"):].partition(";")
            if marker_true(marker):
                yield dist_key(re.match(r"\s*([A-Za-z0-9_.-]+)", req).group(1))


def dependency_wheels(corpus, wheel):
    """The corpus's cp314t wheels the wheel requires, transitively (the wheel itself not included)."""
    by_dist = {dist_key(w.split("-")[0]): w for w in sorted(os.listdir(corpus))
               if w.endswith(".whl") and "cp314t" in w}
    found, todo = [], [wheel]
    while todo:
        for dist in requirements(os.path.join(corpus, todo.pop())):
            dep = by_dist.get(dist)
            if dep and dep != wheel and dep not in found:
                found.append(dep)
                todo.append(dep)
    return found


def where_module(name, wheels):
    """Why a module is not there: Python source in one of the wheels, the standard library, or
    another distribution the corpus does not hold."""
    stem = name.replace(".", "/")
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as z:
            names = set(z.namelist())
        if stem + ".py" in names or stem + "/__init__.py" in names:
            return "Python source in the wheel"
    if name.split(".")[0] in sys.stdlib_module_names:
        return "standard library"
    return "not in the corpus"


# A module gilgate cannot provide, in its own error texts: "No module named 'X' (gilgate runs
# ...)", "cannot import Python module 'X' from PATH (...)", and an attribute of a package that is
# a Python submodule or that the package's __init__.py sets ("module 'p' has no attribute 'x'
# (... cannot import Python module 'p.x' ...)", "(... cannot run Python module 'p' ...)"), a
# from-import of a name that the package's __init__.py would have set ("cannot import name 'x'
# from 'p' (... cannot run Python module 'p' ...)", Cython's `from multidict import CIMultiDict`), also
# inside the " (caused by ...)" chain gilgate prints after a wrapper error; the first one wins.
NOT_PROVIDED = re.compile(r"No module named '([^']+)'|cannot (?:import|run) Python module '([^']+)'")


def not_provided(text, wheels):
    m = NOT_PROVIDED.search(text)
    if not m:
        return None
    name = m.group(1) or m.group(2)
    return f"module not provided: {name} ({where_module(name, wheels)})"


def classify(proc, wheels):
    if proc.returncode == 0:
        return "exec ok"
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    if proc.returncode < 0:
        # A C++ exception thrown through a noexcept function (nanobind's enum support imports
        # `enum` there) aborts as it would in CPython; its what() names the real blocker.
        what = [l for l in err if l.strip().startswith("what():")]
        return (what and not_provided(what[-1], wheels)) or "crash"
    last = err[-1] if err else "(no message)"
    last = re.sub(r"^gilgate: [^:]+: error: ", "", last)
    m = not_provided(last, wheels)
    if m:
        return m
    m = re.search(r"gilgate: (\w+) is not implemented", last)
    if m:
        return "missing API: " + m.group(1)
    last = re.sub(r"0x[0-9a-f]+", "0x…", last)
    return "error: " + last[:160]


def run(gilgate, corpus, row):
    wheel = os.path.join(corpus, row["wheel"])
    paths = ["--path", wheel]
    for dep in dependency_wheels(corpus, row["wheel"]):
        paths += ["--path", os.path.join(corpus, dep)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GILGATE_", "PYTHON"))}
    env["TZ"] = "UTC"
    try:
        p = subprocess.run([gilgate, "eval", *paths, row["module"], "1"],
                           capture_output=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return row, "error: timed out after 60 s"
    return row, classify(p, paths[1::2])


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    gilgate, expected, corpus = argv[:3]
    jobs = 2
    out_tsv = None
    rest = argv[3:]
    while rest:
        if rest[0] == "--jobs" and len(rest) > 1:
            jobs, rest = int(rest[1]), rest[2:]
        elif rest[0] == "--tsv" and len(rest) > 1:
            out_tsv, rest = rest[1], rest[2:]
        else:
            sys.exit(__doc__)
    with open(expected, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t")
                if "cp314t" in r["wheel"] and not r["outcome"].startswith(("skipped", "error:not"))]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda r: run(gilgate, corpus, r), rows))
    by_tool = collections.defaultdict(collections.Counter)
    blockers = collections.defaultdict(list)
    for row, outcome in results:
        kind = outcome.split(":")[0]
        by_tool[row["toolchain"]][kind] += 1
        if outcome != "exec ok":
            blockers[outcome].append(row["module"])
    kinds = ["exec ok", "module not provided", "missing API", "error", "crash"]
    print("| toolchain | modules | " + " | ".join(kinds) + " |")
    print("|---|---:|" + "---:|" * len(kinds))
    total = collections.Counter()
    for tool in sorted(by_tool, key=lambda t: -sum(by_tool[t].values())):
        c = by_tool[tool]
        total.update(c)
        print(f"| {tool} | {sum(c.values())} | " + " | ".join(str(c[k] or "") for k in kinds) + " |")
    print(f"| all | {sum(total.values())} | " + " | ".join(str(total[k] or "") for k in kinds) + " |")
    print()
    print("| first blocker | modules | examples |")
    print("|---|---:|---|")
    for outcome, mods in sorted(blockers.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        shown = ", ".join(sorted(mods)[:4]) + (", …" if len(mods) > 4 else "")
        print(f"| {outcome.replace('|', '/')} | {len(mods)} | {shown} |")
    if out_tsv:
        with open(out_tsv, "w", encoding="utf-8") as f:
            f.write("module\ttoolchain\toutcome\n")
            for row, outcome in sorted(results, key=lambda x: x[0]["module"]):
                f.write(f"{row['module']}\t{row['toolchain']}\t{outcome}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
