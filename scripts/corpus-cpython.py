#!/usr/bin/env python3
"""CPython 3.13t's own lock decision for every module of the corpus's cp313t wheels.

Run by scripts/corpus-cpython.sh with the free-threaded reference interpreter of a venv into which the
cp313t wheels were installed (`--no-deps`, from the cached files). Usage:

    python3.13t corpus-cpython.py STATIC.tsv SITE_PACKAGES > tests/data/corpus-cpython313t.tsv

For each module (rows of scripts/corpus-static.py's output from cp313t wheels) one fresh interpreter, with PYTHON_GIL unset and every warning recorded, imports the module
(`import`: its packages' Python code runs first, as for a user); when that gives no decision (a
dependency of the package's Python part is not installed, the module's exec failed, or another
module enabled the lock first), a second fresh interpreter creates the module alone from its file
(spec_from_file_location + module_from_spec: init and create run, exec does not; CPython makes its
lock decision right after create). Each reports:
  - free-threaded: the creation succeeded and sys._is_gil_enabled() is still False;
  - enables-lock: the creation succeeded and CPython's RuntimeWarning "The global interpreter lock
    (GIL) has been enabled to load module '<name>' ..." names this module;
  - undetermined: the lock was already enabled by another module the init imported (the warning
    names that one), so this module's own decision is not observable;
  - not-a-module: CPython finds the file but it has no PyInit_<name> ("dynamic module does not define
    module export function"; CPython 3.13t searches `.abi3.so` files too);
  - init-failed: the init or create raised (the error is recorded).
"""
import os
import subprocess
import sys
import sysconfig

CHILD = r"""
import importlib, importlib.util, sys, warnings
mode, name, path = sys.argv[1], sys.argv[2], sys.argv[3]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        if mode == "import":
            importlib.import_module(name)
        else:
            spec = importlib.util.spec_from_file_location(name, path)
            importlib.util.module_from_spec(spec)
        error = None
    except BaseException as e:
        error = f"{type(e).__name__}: {e}"
gil = sys._is_gil_enabled()
texts = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)
         and "global interpreter lock (GIL) has been enabled" in str(w.message)]
mine = [t for t in texts if f"load module '{name}'" in t]
how = "import" if mode == "import" else "created from its file"
if error is not None and "does not define module export function" in error:
    print("not-a-module", f"({how}) " + error, sep="\t")
elif error is not None:
    print("init-failed", f"({how}) " + error.replace("\t", " ").replace("\n", " ")[:300], sep="\t")
elif mine:
    print("enables-lock", f"({how}) RuntimeWarning: " + mine[0][:120] + "...", sep="\t")
elif gil:
    other = texts[0][:140] if texts else "no warning"
    print("undetermined", f"({how}) GIL already enabled by another module: " + other, sep="\t")
else:
    print("free-threaded", f"({how}) sys._is_gil_enabled() is False after it, no GIL warning", sep="\t")
sys.stdout.flush()
"""


def main():
    static_path, site = sys.argv[1], sys.argv[2]
    rows = []
    with open(static_path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            if "-cp313t-" in r["wheel"]:
                rows.append(r)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_GIL", "PYTHONPATH", "PYTHONWARNINGS")}
    build = "free-threaded" if sysconfig.get_config_var("Py_GIL_DISABLED") else "GIL build (not a reference!)"
    print(f"# CPython {sys.version.split()[0]} {build} ({sys.executable}); made by scripts/corpus-cpython.sh")
    print("wheel\tmodule\tdecision\tdetail")
    for r in rows:
        path = os.path.join(site, r["member"])
        result = run(env, site, "import", r["module"], path)
        if not result.startswith(("free-threaded", "enables-lock", "not-a-module")):
            # the import failed (a dependency of the package's Python code is missing, or the
            # module's exec failed after the decision) or another module enabled the lock first:
            # create the module alone from its file in a fresh interpreter (init and create only)
            alone = run(env, site, "file", r["module"], path)
            if alone.startswith(("free-threaded", "enables-lock")):
                result = alone + " [import: " + result.split("\t", 1)[-1][:120] + "]"
        print(f"{r['wheel']}\t{r['module']}\t{result}", flush=True)


def run(env, site, mode, name, path):
    """One fresh interpreter; its last stdout line (a decision can be printed before a crash at exit)."""
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, mode, name, path], env=env, cwd=site,
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "init-failed\ttimed out after 120 s"
    out = p.stdout.strip().splitlines()
    if not out:
        err = (p.stderr.strip().splitlines() or ["?"])[-1]
        return f"init-failed\tprocess exited {p.returncode}: {err[:200]}"
    if p.returncode != 0:
        return out[-1] + f" (the process then exited {p.returncode})"
    return out[-1]

if __name__ == "__main__":
    main()
