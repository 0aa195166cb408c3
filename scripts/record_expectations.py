"""Runs the cases of an expectation file under the reference CPython and writes its answers back.

Called by scripts/record-expectations.sh inside the reference root (CPython 3.14 from Debian sid);
not meant to be run by hand. An expectation file is JSON:

    {"cpython": "3.14.10", "recorded_by": "...", "cases": [CASE, ...], ...}

and each CASE names a module, the statements of one `gilgate eval` run, and CPython's answer:

    {"module": "mmh3", "exprs": ["hash('foo')"], "stdout": ["-156908512"], "exit": 0, "stderr": null}

The statements run one after the other in a namespace that holds the module's attributes and the
module under the last part of its name, as `gilgate eval` builds it. An expression's repr is
printed on its own line; a statement that is not an expression (an assignment) prints nothing. The
first exception ends the run: its line (the type's __name__, then ": " and str() when that is not
empty) goes to stderr, exit 1; when extension code added traceback entries to it, CPython's
"Traceback (most recent call last):" block of those entries comes first and is recorded as the
case's "traceback" (the header and entry lines). Only "module" and "exprs" are read; the answer fields are rewritten.

Subcommands:
    cases FILE BUILD_DIR [--no-import]   record every case of FILE, importing modules from
                                         BUILD_DIR (--no-import: an empty namespace named after
                                         the module, for cases that need no module)
    exprs FILE [BUILD_DIR]               record the [expression, answer] pairs of FILE's "cases"
                                         and "random" lists (the datetime files): each
                                         expression evaluated in one shared namespace holding
                                         `from datetime import *` and `import time as timemod`,
                                         answered by its repr, "Type: message" for an
                                         exception, "<no value>" for a statement. Optional
                                         fields of FILE: "tz" (TZ for the run, default UTC);
                                         "extension" {"module", "package", "stand_in"}: the
                                         module imported from BUILD_DIR, `sys`, and an empty
                                         module named "package" bound to "stand_in" join the
                                         namespace; "setup": statements run first, each
                                         answering "<no value>" or "None"
    smoke FILE WHEELS                    record the smoke calls of FILE (tests/data/smoke-calls.json):
                                         each case's "package" has its CPython 3.14 wheel in
                                         WHEELS/<package>/; the case runs as `cases` does, but
                                         with the module's parent packages as plain packages
                                         (their __init__ not run, as gilgate does); the wheels
                                         used go under "reference_wheels"
    stdlib FILE                          record a standard-library file of tests/data/stdlib/:
                                         its "module" imported, its public "names" (`__all__`
                                         when the module has one, else every attribute not
                                         starting with "_") rewritten, and its "cases"
                                         [expression, answer] pairs answered as by `exprs`, in
                                         one namespace holding the module's attributes and the
                                         module under the last part of its name (as `gilgate
                                         eval` builds it), after the optional "setup"
    builds FILE STATUS LOGDIR            record which modules compiled (STATUS lines:
                                         "<side> <module> ok|fail") and each failure's first
                                         compiler error, under "builds"
"""

import json
import os
import platform
import subprocess
import sys

DRIVER = r"""
import importlib, os, sys
path, mod, mode = sys.argv[1], sys.argv[2], sys.argv[3]
no_import = mode == "1"
if mode == "2":
    # the module's parent packages as plain packages: their __init__ does not run (as gilgate
    # imports them)
    import types
    parts = mod.split(".")[:-1]
    for i in range(1, len(parts) + 1):
        pkg = types.ModuleType(".".join(parts[:i]))
        pkg.__path__ = [os.path.join(path, *parts[:i])]
        sys.modules[pkg.__name__] = pkg
        if i > 1:
            setattr(sys.modules[".".join(parts[:i - 1])], parts[i - 1], pkg)
def fail(x, code=1):
    text = str(x)
    if code == 1:
        # The entries extension code added (the driver's own frames left out), as CPython
        # prints them, under its header line.
        import traceback
        tb = [f for f in traceback.extract_tb(x.__traceback__)
              if f.filename not in ("<eval>", "<string>")]
        if tb:
            print("Traceback (most recent call last):", file=sys.stderr)
            print("".join(traceback.StackSummary.from_list(tb).format()), end="", file=sys.stderr)
    print(type(x).__name__ + (": " + text if text else ""), file=sys.stderr, flush=True)
    sys.exit(code)
if no_import:
    ns = {"__name__": mod}
else:
    sys.path.insert(0, path)
    try:
        m = importlib.import_module(mod)
    except Exception as x:
        fail(x, 2)
    if not (getattr(m, "__file__", None) or "").startswith(path):
        sys.exit("reference driver: " + mod + " came from " + repr(getattr(m, "__file__", None)))
    ns = dict(vars(m))
    ns[mod.rsplit(".", 1)[-1]] = m
for e in sys.argv[4:]:
    try:
        try:
            code = compile(e, "<eval>", "eval")
        except SyntaxError:
            exec(compile(e, "<eval>", "exec"), ns)
            continue
        r = eval(code, ns)
    except Exception as x:
        fail(x)
    print(repr(r), flush=True)
"""


def version():
    return platform.python_version()


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save(path, data):
    # "cpython" first, so the file's first lines name the version the answers came from.
    out = {"cpython": data.pop("cpython", None)}
    out.update(data)
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps(out))


def dumps(data):
    """JSON with one line per [expression, answer] pair (lists of pairs), else indented."""
    parts = []
    for k, v in data.items():
        if isinstance(v, list) and v and all(isinstance(x, list) and len(x) == 2 for x in v):
            items = ",\n".join("  " + json.dumps(x, ensure_ascii=False) for x in v)
            parts.append(f" {json.dumps(k)}: [\n{items}\n ]")
        else:
            body = json.dumps(v, ensure_ascii=False, indent=1).replace("\n", "\n ")
            parts.append(f" {json.dumps(k)}: {body}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def run_case(case, build, no_import, plain_parents=False):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["LC_ALL"] = "C.UTF-8"
    env["TZ"] = "UTC"  # the tests run gilgate with TZ=UTC too
    p = subprocess.run(
        [sys.executable, "-S", "-c", DRIVER, build, case["module"],
         "2" if plain_parents else "1" if no_import else "0"]
        + case["exprs"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    stdout = p.stdout.decode("utf-8", "replace")
    stderr = p.stderr.decode("utf-8", "replace")
    if p.returncode not in (0, 1, 2):
        sys.exit(f"record: {case['module']} {case['exprs']!r}: exit {p.returncode}: {stderr}")
    if p.returncode == 2 and not stderr.strip():
        sys.exit(f"record: {case['module']}: driver failed: {stderr}")
    # lines split at "\n" only, as the tests split them
    case["stdout"] = stdout.split("\n")[:-1] if stdout.endswith("\n") else stdout.split("\n")
    if case["stdout"] == [""]:
        case["stdout"] = []
    case["exit"] = p.returncode
    case["stderr"] = stderr.rstrip("\n").split("\n")[-1] if p.returncode else None
    # A traceback block before the last line (only extension code's entries): kept whole.
    lines = stderr.rstrip("\n").split("\n")
    if p.returncode == 1 and lines[0] == "Traceback (most recent call last):":
        case["traceback"] = lines[:-1]
    else:
        case.pop("traceback", None)


def cmd_cases(path, build, no_import):
    data = load(path)
    for case in data["cases"]:
        run_case(case, build, no_import)
    data["cpython"] = version()
    save(path, data)
    print(f"record: {path}: {len(data['cases'])} cases under CPython {version()}")


def answer(src, ns):
    try:
        try:
            code = compile(src, "<eval>", "eval")
        except SyntaxError:
            exec(compile(src, "<eval>", "exec"), ns)
            return "<no value>"
        return repr(eval(code, ns))
    except Exception as x:
        text = str(x)
        return type(x).__name__ + (": " + text if text else "")


def cmd_exprs(path, build=None):
    data = load(path)
    os.environ["TZ"] = data.get("tz", "UTC")
    import time

    time.tzset()
    ns = {}
    exec("from datetime import *\nimport time as timemod", ns)
    ext = data.get("extension")
    if ext:
        import importlib
        import types

        if build is None:
            sys.exit(f"record: {path} needs the BUILD_DIR of {ext['module']}")
        sys.path.insert(0, build)
        m = importlib.import_module(ext["module"])
        if not (getattr(m, "__file__", None) or "").startswith(build):
            sys.exit(f"record: {ext['module']} came from {getattr(m, '__file__', None)!r}")
        ns[ext["module"]] = m
        ns["sys"] = sys
        ns[ext["stand_in"]] = types.ModuleType(ext["package"])
    for src in data.get("setup", []):
        got = answer(src, ns)
        if got not in ("<no value>", "None"):
            sys.exit(f"record: {path}: setup {src!r} gave {got}")
    for key in ("cases", "random"):
        for pair in data.get(key, []):
            pair[1] = answer(pair[0], ns)
    data["cpython"] = version()
    save(path, data)
    n = sum(len(data.get(k, [])) for k in ("cases", "random"))
    print(f"record: {path}: {n} expressions under CPython {version()}")


def cmd_smoke(path, wheels):
    """Every case of the smoke-call file, its package's CPython 3.14 wheel (WHEELS/<package>/,
    one .whl, fetched by record-expectations.sh) unpacked once beside it."""
    import hashlib
    import zipfile

    data = load(path)
    used = {}
    for case in data["cases"]:
        pkg = case["package"]
        folder = os.path.join(wheels, pkg)
        whl = [f for f in os.listdir(folder) if f.endswith(".whl")]
        if len(whl) != 1:
            sys.exit(f"record: {folder}: expected one wheel, found {whl}")
        unpacked = os.path.join(folder, "unpacked")
        if not os.path.isdir(unpacked):
            with zipfile.ZipFile(os.path.join(folder, whl[0])) as z:
                z.extractall(unpacked)
        with open(os.path.join(folder, whl[0]), "rb") as f:
            used[pkg] = whl[0] + " sha256:" + hashlib.sha256(f.read()).hexdigest()
        run_case(case, unpacked, False, plain_parents=True)
    data["reference_wheels"] = dict(sorted(used.items()))
    data["cpython"] = version()
    save(path, data)
    print(f"record: {path}: {len(data['cases'])} cases under CPython {version()}")


def public_names(m):
    names = getattr(m, "__all__", None)
    if names is None:
        names = [n for n in dir(m) if not n.startswith("_")]
    return sorted(set(names))


def cmd_stdlib(path):
    import importlib

    data = load(path)
    os.environ["TZ"] = "UTC"
    name = data["module"]
    m = importlib.import_module(name)
    data["names"] = public_names(m)
    ns = dict(vars(m))
    ns[name.rsplit(".", 1)[-1]] = m
    for src in data.get("setup", []):
        got = answer(src, ns)
        if got not in ("<no value>", "None"):
            sys.exit(f"record: {path}: setup {src!r} gave {got}")
    for pair in data.get("cases", []):
        pair[1] = answer(pair[0], ns)
    data["cpython"] = version()
    save(path, data)
    print(f"record: {path}: {len(data['names'])} names, {len(data.get('cases', []))} expressions"
          f" under CPython {version()}")


def cmd_builds(path, status, logdir):
    data = load(path)
    builds = {}
    with open(status, encoding="utf-8") as f:
        for line in f:
            side, module, state = line.split()
            if state == "ok":
                builds[module] = "ok"
                continue
            first = ""
            with open(os.path.join(logdir, module + ".log"), encoding="utf-8", errors="replace") as log:
                for l in log:
                    if "error" in l:
                        # the part after "file:line:col: ", without the build directory
                        first = l.split(": ", 1)[-1].strip()
                        break
            builds[module] = "fail: " + first
    data["builds"] = dict(sorted(builds.items()))
    data["cpython"] = version()
    save(path, data)


def main(argv):
    if len(argv) >= 3 and argv[0] == "cases":
        cmd_cases(argv[1], argv[2], "--no-import" in argv[3:])
    elif len(argv) in (2, 3) and argv[0] == "exprs":
        cmd_exprs(argv[1], argv[2] if len(argv) == 3 else None)
    elif len(argv) == 3 and argv[0] == "smoke":
        cmd_smoke(argv[1], argv[2])
    elif len(argv) == 2 and argv[0] == "stdlib":
        cmd_stdlib(argv[1])
    elif len(argv) == 4 and argv[0] == "builds":
        cmd_builds(argv[1], argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
