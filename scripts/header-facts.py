#!/usr/bin/env python3
"""Facts an extension sees when it includes CPython's headers with Py_GIL_DISABLED.

Writes one TSV row per fact (no macro bodies, no code):

    kind    name    tier    header    fact

- kind `macro`: a macro defined by the headers (`gcc -dM -E`, kept when the `-dD` trace puts its
  last definition in a file under one of the include folders). fact is `int:<C type>:<value>`
  when the object-like macro is an integer constant expression (found and evaluated by compiling
  and running a probe, never by reading the body), `fn:<arity>` for a function-like macro
  (`fn:<arity>+...` when variadic), `empty` when it expands to nothing, else `other`.
- kind `func` (declared function), `inline` (static function defined in a header) or `data`
  (declared object): fact is the prototype without names and without whitespace noise:
  `PyObject *(PyObject *, int)`, `PyTypeObject`, `int (*)(void)`, `const unsigned char [256]`.
  Functions come from `gcc -aux-info`, objects from a scan of the preprocessed text.
- tier `private` when the name starts with `_`, else `public`. header is the file's path under
  its include folder (`object.h`, `cpython/object.h`).

The headers included are Python.h and those extensions include directly: structmember.h,
datetime.h, frameobject.h, marshal.h, pythread.h. Compiled as GNU C17 with -DPy_GIL_DISABLED=1.

    header-facts.py [--chroot ROOT] [--cc gcc] -I DIR [-I DIR...] [-o OUT]

With --chroot, the compiler runs inside ROOT (`chroot ROOT gcc`) and the -I folders are paths
inside it. Used by scripts/record-headers.sh (CPython's headers, in the sid reference root) and by
tests/header_parity.rs (gilgate's include/, host compiler).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HEADERS = ["Python.h", "structmember.h", "datetime.h", "frameobject.h", "marshal.h", "pythread.h"]
CFLAGS = ["-std=gnu17", "-DPy_GIL_DISABLED=1", "-w"]

INT_TYPES = [
    ("_Bool", "_Bool"),
    ("char", "char"),
    ("signed char", "signed char"),
    ("unsigned char", "unsigned char"),
    ("short", "short"),
    ("unsigned short", "unsigned short"),
    ("int", "int"),
    ("unsigned int", "unsigned int"),
    ("long", "long"),
    ("unsigned long", "unsigned long"),
    ("long long", "long long"),
    ("unsigned long long", "unsigned long long"),
]


class Compiler:
    def __init__(self, cc, root, includes):
        self.cc = cc
        self.root = root
        self.includes = includes
        base = os.path.join(root, "tmp") if root else None
        self.host_dir = tempfile.mkdtemp(prefix="header-facts-", dir=base)
        # The same folder as the compiler sees it.
        self.cc_dir = "/" + os.path.relpath(self.host_dir, root) if root else self.host_dir

    def close(self):
        shutil.rmtree(self.host_dir, ignore_errors=True)

    def write(self, name, text):
        with open(os.path.join(self.host_dir, name), "w") as f:
            f.write(text)
        return os.path.join(self.cc_dir, name)

    def read(self, name):
        with open(os.path.join(self.host_dir, name)) as f:
            return f.read()

    def run(self, args, check=True):
        cmd = ([ "chroot", self.root] if self.root else []) + args
        p = subprocess.run(cmd, capture_output=True, text=True)
        if check and p.returncode != 0:
            sys.exit(f"header-facts: {' '.join(cmd)} failed:\n{p.stderr[-4000:]}")
        return p

    def cc_args(self):
        return [self.cc] + CFLAGS + [f"-I{d}" for d in self.includes]


def includes_text():
    return "".join(f"#include <{h}>\n" for h in HEADERS)


def header_of(path, includes):
    """The path of a file relative to the include folder holding it, or None."""
    path = os.path.normpath(path)
    for d in includes:
        d = os.path.normpath(d)
        if path.startswith(d + "/"):
            rel = path[len(d) + 1 :]
            # Debian's multiarch pyconfig.h lives in <triplet>/python3.X/ under /usr/include.
            return re.sub(r"^[a-z0-9_]+-linux-gnu[a-z0-9]*/python3\.\d+/", "", rel)
    return None


def tier(name):
    return "private" if name.startswith("_") else "public"


# ---------------------------------------------------------------- macros

DEFINE_RE = re.compile(r"#define ([A-Za-z_][A-Za-z0-9_]*)(\(([^)]*)\))?(?: (.*))?$")
MARKER_RE = re.compile(r'^# \d+ "([^"]*)"')


def macros(c, source):
    """name -> (header, params or None, body is empty)."""
    final = {}
    out = c.run(c.cc_args() + ["-E", "-dM", source]).stdout
    for line in out.splitlines():
        m = DEFINE_RE.match(line)
        if m:
            final[m.group(1)] = (m.group(3) if m.group(2) else None, not (m.group(4) or "").strip())
    where = {}
    cur = None
    out = c.run(c.cc_args() + ["-E", "-dD", source]).stdout
    for line in out.splitlines():
        m = MARKER_RE.match(line)
        if m:
            cur = m.group(1)
            continue
        m = DEFINE_RE.match(line)
        if m:
            where[m.group(1)] = cur
    result = {}
    for name, (params, empty) in final.items():
        h = header_of(where.get(name) or "", c.includes)
        if h is not None:
            result[name] = (h, params, empty)
    return result


def evaluate(c, names):
    """Object-like macros that are integer constant expressions: name -> (C type, value)."""
    generic = ", ".join(f'{t}: "{n}"' for t, n in INT_TYPES)
    todo = list(names)
    while True:
        lines = [includes_text(), "#include <stdio.h>\n", "int main(void) {\n"]
        first = len("".join(lines).splitlines()) + 1
        for n in todo:
            # One line per macro, so that a compile error names the macro to drop. The
            # static assertion (with -pedantic-errors) admits integer constant expressions only.
            lines.append(
                f'{{ _Static_assert(({n}) || 1, "ice"); '
                f'printf("%s\\t%s\\t", "{n}", _Generic(({n}), {generic}, default: "?")); '
                f'if (({n}) < 0) printf("%lld\\n", (long long)({n})); '
                f'else printf("%llu\\n", (unsigned long long)({n})); }}\n'
            )
        lines.append("return 0;\n}\n")
        src = c.write("values.c", "".join(lines))
        exe = os.path.join(c.cc_dir, "values")
        p = c.run(
            [a for a in c.cc_args() if a != "-w"]
            + ["-pedantic-errors", "-fmax-errors=0", "-O0", "-o", exe, src],
            check=False,
        )
        if p.returncode == 0:
            break
        bad = set()
        # Errors inside a macro's expansion point at its definition, with a note naming the
        # probe's line: every mention of a probe line comes with an error.
        for m in re.finditer(re.escape(src) + r":(\d+):\d+: ", p.stderr):
            i = int(m.group(1)) - first
            if 0 <= i < len(todo):
                bad.add(i)
        if not bad:
            sys.exit(f"header-facts: the value probe failed without naming a line:\n{p.stderr[-4000:]}")
        todo = [n for i, n in enumerate(todo) if i not in bad]
    out = c.run([exe]).stdout
    values = {}
    for line in out.splitlines():
        n, t, v = line.split("\t")
        values[n] = (t, v)
    return values


# ---------------------------------------------------------------- declarations

AUX_RE = re.compile(r"^/\* (.*):(\d+):([NO])([CF]) \*/ (.*?);(?: /\* \((.*?)\) .*\*/)?$")
KEYWORDS = {
    "extern", "static", "inline", "const", "volatile", "restrict", "struct", "union", "enum",
    "signed", "unsigned", "short", "long", "int", "char", "float", "double", "void", "_Bool",
    "__inline", "__inline__", "__restrict", "__restrict__", "_Thread_local", "__thread",
    "_Atomic", "__extension__", "typedef",
}


def norm(text):
    """Token-level whitespace: one space between words, none around punctuation except after
    a comma and before a `*` that follows a word."""
    toks = re.findall(r"[A-Za-z_][A-Za-z0-9_]*|\d+|\.\.\.|\S", text)
    out = ""
    prev = ""
    for t in toks:
        word = re.match(r"[A-Za-z0-9_]", t) is not None
        if out and ((word and re.match(r"[A-Za-z0-9_]", prev)) or prev == ","):
            out += " "
        elif out and t in ("*", "(") and re.match(r"[A-Za-z0-9_\]]", prev):
            out += " "
        elif out and t == "[" and re.match(r"[A-Za-z0-9_]", prev):
            out += " "
        out += t
        prev = t
    return out


def split_params(s):
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


def functions(c, source):
    """name -> (kind, header, prototype) from gcc -aux-info."""
    aux = os.path.join(c.cc_dir, "aux.txt")
    c.run(c.cc_args() + ["-fsyntax-only", "-aux-info", aux, source])
    result = {}
    for line in c.read("aux.txt").splitlines():
        m = AUX_RE.match(line)
        if not m:
            continue
        h = header_of(m.group(1), c.includes)
        if h is None:
            continue
        decl = m.group(5)
        names = [n.strip() for n in (m.group(6) or "").split(",") if n.strip()]
        # `<specifiers> NAME (<params>)`: the first `(` after the name opens the parameters
        # (aux-info writes function-pointer returns as `T (*NAME (params))(...)`).
        fm = re.search(r"([A-Za-z_][A-Za-z0-9_]*) \(", decl)
        if not fm:
            continue
        name = fm.group(1)
        # Matching parenthesis of the parameter list.
        i = fm.end() - 1
        depth = 0
        for j in range(i, len(decl)):
            if decl[j] == "(":
                depth += 1
            elif decl[j] == ")":
                depth -= 1
                if depth == 0:
                    break
        params = decl[i + 1 : j]
        if names:
            stripped = []
            for p, n in zip(split_params(params), names):
                stripped.append(re.sub(r"\b" + re.escape(n) + r"\b(?!.*\b" + re.escape(n) + r"\b)", "", p))
            params = ", ".join(stripped)
        head = decl[: fm.start()] + decl[fm.end() - 1 : fm.end() - 1]
        tail = decl[j + 1 :]
        kind = "inline" if m.group(4) == "F" or re.search(r"\bstatic\b", head) else "func"
        head = re.sub(r"\b(extern|static|inline|__inline__|__inline)\b", "", head)
        proto = norm(f"{head} ({params}){tail}")
        proto = proto.replace(" (", "(", 1) if proto.startswith("(") else proto
        result[name] = (kind, h, proto)
    return result


TOKEN_RE = re.compile(r'[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|\.\.\.|\S')


def statements(text):
    """Top-level declarations of preprocessed text: (file, tokens), function bodies skipped."""
    cur_file = None
    toks, start_file = [], None
    depth = 0
    skipping = False
    for line in text.splitlines():
        m = MARKER_RE.match(line)
        if m:
            cur_file = m.group(1)
            continue
        if line.startswith("#"):
            continue
        for t in TOKEN_RE.findall(line):
            if skipping:
                if t == "{":
                    depth += 1
                elif t == "}":
                    depth -= 1
                    if depth == 0:
                        skipping = False
                continue
            if not toks:
                start_file = cur_file
            if t == "{" and depth == 0 and toks and toks[-1] == ")" and "=" not in toks:
                # A function definition: drop it.
                skipping = True
                depth = 1
                toks = []
                continue
            if t in "{":
                depth += 1
            elif t == "}":
                depth -= 1
            if t == ";" and depth == 0:
                yield start_file, toks
                toks = []
                continue
            toks.append(t)


def strip_attributes(toks):
    out, i = [], 0
    while i < len(toks):
        if toks[i] in ("__attribute__", "__asm__", "asm", "__asm", "__declspec") and i + 1 < len(toks) and toks[i + 1] == "(":
            depth, i = 0, i + 1
            while i < len(toks):
                if toks[i] == "(":
                    depth += 1
                elif toks[i] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            i += 1
            continue
        out.append(toks[i])
        i += 1
    return out


def data_objects(c, source, funcs):
    """name -> ("data", header, prototype) for every `extern` object declaration."""
    text = c.run(c.cc_args() + ["-E", source]).stdout
    result = {}
    for f, toks in statements(text):
        h = header_of(f or "", c.includes)
        if h is None:
            continue
        toks = strip_attributes(toks)
        if "extern" not in toks or "typedef" in toks or "{" in toks:
            continue
        toks = [t for t in toks if t != "extern"]
        # The declarator name: `(* NAME )` for pointers to functions/arrays, else the last
        # identifier before the first `[` or `(` at top level, or the end.
        name_at = None
        for i in range(len(toks) - 2):
            if toks[i] == "(" and toks[i + 1] == "*" and re.match(r"[A-Za-z_]", toks[i + 2]):
                name_at = i + 2
                break
        if name_at is None:
            stop = len(toks)
            for i, t in enumerate(toks):
                if t in ("[", "(", "="):
                    stop = i
                    break
            for i in range(stop - 1, -1, -1):
                if re.match(r"[A-Za-z_]", toks[i]) and toks[i] not in KEYWORDS:
                    name_at = i
                    break
        if name_at is None:
            continue
        name = toks[name_at]
        if name in funcs:
            continue
        rest = toks[:name_at] + toks[name_at + 1 :]
        if "(" in rest[name_at:name_at + 1] and toks[name_at - 1] != "*":
            continue  # a function declaration aux-info did not report
        result[name] = ("data", h, norm(" ".join(rest)))
    return result


def exported(c, source):
    """Names the preprocessed text declares with default visibility (PyAPI_FUNC/PyAPI_DATA):
    name -> "func" or "data"."""
    text = c.run(c.cc_args() + ["-E", source]).stdout
    result = {}
    for f, toks in statements(text):
        if header_of(f or "", c.includes) is None:
            continue
        joined = " ".join(toks)
        if 'visibility ( "default" )' not in joined or "typedef" in toks:
            continue
        plain = strip_attributes(toks)
        # The declarator: `(* NAME)` for a pointer to a function, `NAME (` for a function,
        # else the data declaration's name.
        first = plain.index("(") if "(" in plain else -1
        if first >= 0 and plain[first + 1 : first + 2] == ["*"] and plain[first + 3 : first + 4] == [")"]:
            result[plain[first + 2]] = "data"
            continue
        for i in range(len(plain) - 1):
            if re.match(r"[A-Za-z_]", plain[i]) and plain[i] not in KEYWORDS and plain[i + 1] == "(" and (i == 0 or plain[i - 1] != "("):
                result[plain[i]] = "func"
                break
        else:
            names = [t for t in plain if re.match(r"[A-Za-z_]", t) and t not in KEYWORDS]
            if names:
                result[names[-1]] = "data"
    return result


def main_exported(a):
    """--exported: the names declared for export, with and without Py_GIL_DISABLED, over the
    public headers and (with Py_BUILD_CORE) the internal headers named by --internal."""
    views = {}
    for ft in (True, False):
        c = Compiler(a.cc, a.chroot, a.includes)
        if not ft:
            CFLAGS.remove("-DPy_GIL_DISABLED=1")
        try:
            text = includes_text() + "#define Py_BUILD_CORE 1\n" + "".join(
                f"#include <internal/{h}>\n" for h in a.internal
            )
            views[ft] = exported(c, c.write("probe.c", text))
        finally:
            c.close()
            if not ft:
                CFLAGS.insert(1, "-DPy_GIL_DISABLED=1")
    rows = []
    for n, kind in sorted(views[True].items()):
        rows.append(f"{n}\t{kind}\t{'no' if n in views[False] else 'yes'}\n")
    text = "name\tkind\tfree_threaded_only\n" + "".join(rows)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exported", action="store_true")
    ap.add_argument("--internal", action="append", default=[])
    ap.add_argument("--chroot")
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("-I", dest="includes", action="append", required=True)
    ap.add_argument("-o", dest="out")
    a = ap.parse_args()
    if a.exported:
        return main_exported(a)
    c = Compiler(a.cc, a.chroot, a.includes)
    try:
        src = c.write("probe.c", includes_text())
        ms = macros(c, src)
        object_like = sorted(n for n, (_, p, empty) in ms.items() if p is None and not empty)
        values = evaluate(c, object_like)
        fs = functions(c, src)
        ds = data_objects(c, src, fs)
    finally:
        c.close()
    rows = []
    for n, (h, params, empty) in ms.items():
        if params is not None:
            ps = [p.strip() for p in params.split(",") if p.strip()]
            variadic = bool(ps) and ps[-1].endswith("...")
            fact = f"fn:{len(ps) - 1}+..." if variadic else f"fn:{len(ps)}"
        elif empty:
            fact = "empty"
        elif n in values:
            fact = "int:%s:%s" % values[n]
        else:
            fact = "other"
        rows.append(("macro", n, tier(n), h, fact))
    for n, (kind, h, proto) in list(fs.items()) + list(ds.items()):
        rows.append((kind, n, tier(n), h, proto))
    rows.sort(key=lambda r: (r[0], r[1]))
    text = "kind\tname\ttier\theader\tfact\n" + "".join("\t".join(r) + "\n" for r in rows)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
