//! One way into extension code: no source file other than `capi/src/runtime/extcall.rs` calls a
//! function pointer an extension may have supplied (type slots, `ml_meth`, getters and setters,
//! module hooks, destructors, converters, vectorcall pointers) directly; they go through the
//! `extcall` family, where the threads work hooks its lock and safe points.
//!
//! This is a source scan, not a type check. Comments and string literals are blanked first; then
//! in `capi/src`, `loader/src` and `src`:
//!
//! 1. **Bound pointers.** A name is a *pointer binding* when it is bound by `Some(NAME) = <rhs>`,
//!    `let NAME = <rhs>`, `let NAME: <type> = <rhs>`, or `NAME = <rhs>`, where `<rhs>` names a slot
//!    field (`.tp_*`, `.nb_*`, `.sq_*`, `.mp_*`, `.am_*`, `.bf_*`, `.ml_meth`, `.m_free`,
//!    `.m_clear`, `.m_traverse`, `.destructor`, `.vectorcall`, a getset's `.get` / `.set`), calls
//!    `transmute`, starts with a name that is already a pointer binding, or `<type>` is a C
//!    function pointer type (`extern "C" fn`, `unaryfunc`, `getter`, ...); by `Some(NAME) =>` in a
//!    `match` whose header names a slot field or a pointer binding; or by a parameter declared
//!    with a C function pointer type. From its binding to the end of the enclosing block (for a
//!    parameter: the function's body), a call `NAME(` is reported.
//! 2. **Inline calls.** `(<expr>)(` where `<expr>` names a slot field, `ml_meth` or `transmute`;
//!    `.unwrap()(` and `.expect(..)(`; and a macro's result called, `name!(..)(`.
//!
//! `vectorcall_func(..)` and the number protocol's `.and_then(sel)` selectors count as slot
//! reads too.
//!
//! What it does not see: a pointer that reaches a call through a selector or accessor other
//! than those (a new `fn slot_of(t) -> binaryfunc` would hide the slot name), through a struct
//! field or a tuple other than those listed, through a closure, or through a parameter whose
//! type is a generic or an alias not in the list below; a `let` whose right side runs past six
//! lines; and calls written without the usual rustfmt spacing. Those call sites were converted by reading them; this test keeps the common
//! shapes from coming back. Files that call gilgate's *own* exported C API through `dlsym`
//! (`loader/src/ffi.rs`) are not extension calls and are skipped.

use std::path::{Path, PathBuf};

/// The helper family itself and files whose function pointers are gilgate's own exports.
const SKIP: &[&str] = &["capi/src/runtime/extcall.rs", "loader/src/ffi.rs"];

const SLOT_PREFIXES: &[&str] = &["tp_", "nb_", "sq_", "mp_", "am_", "bf_"];
const OTHER_FIELDS: &[&str] = &[
    "ml_meth",
    "m_free",
    "m_clear",
    "m_traverse",
    "destructor",
    "vectorcall",
];
/// Slot fields that are data, not function pointers.
const DATA_SLOTS: &[&str] = &[
    "tp_name",
    "tp_flags",
    "tp_basicsize",
    "tp_itemsize",
    "tp_doc",
    "tp_dict",
    "tp_base",
    "tp_bases",
    "tp_mro",
    "tp_subclasses",
    "tp_weaklist",
    "tp_cache",
    "tp_version_tag",
    "tp_dictoffset",
    "tp_weaklistoffset",
    "tp_vectorcall_offset",
    "tp_watched",
    "tp_methods",
    "tp_members",
    "tp_getset",
    "tp_as_number",
    "tp_as_sequence",
    "tp_as_mapping",
    "tp_as_buffer",
    "tp_as_async",
    "tp_versions_used",
];
/// Helpers that hand back a slot pointer without naming its field at the call site.
const POINTER_SOURCES: &[&str] = &["vectorcall_func(", ".and_then(sel)", ".and_then(isel)"];
const FN_TYPES: &[&str] = &[
    "extern",
    "unaryfunc",
    "binaryfunc",
    "ternaryfunc",
    "inquiry",
    "lenfunc",
    "ssizeargfunc",
    "ssizeobjargproc",
    "objobjargproc",
    "objobjproc",
    "visitproc",
    "traverseproc",
    "freefunc",
    "destructor",
    "getattrfunc",
    "getattrofunc",
    "setattrfunc",
    "setattrofunc",
    "reprfunc",
    "hashfunc",
    "richcmpfunc",
    "getiterfunc",
    "iternextfunc",
    "descrgetfunc",
    "descrsetfunc",
    "initproc",
    "newfunc",
    "allocfunc",
    "vectorcallfunc",
    "sendfunc",
    "getbufferproc",
    "releasebufferproc",
    "getter",
    "setter",
    "Destructor",
    "InitFunc",
    "CreateFn",
    "ExecFn",
];

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Blanks `//` comments and the contents of string and char literals, keeping columns.
fn blank(src: &str) -> Vec<String> {
    src.lines()
        .map(|line| {
            let b = line.as_bytes();
            let mut out = Vec::with_capacity(b.len());
            let mut i = 0;
            let mut in_str = false;
            while i < b.len() {
                let c = b[i];
                if in_str {
                    if c == b'\\' && i + 1 < b.len() {
                        out.extend_from_slice(b"  ");
                        i += 2;
                        continue;
                    }
                    if c == b'"' {
                        in_str = false;
                        out.push(c);
                    } else {
                        out.push(b' ');
                    }
                } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
                    break;
                } else if c == b'"' {
                    in_str = true;
                    out.push(c);
                } else if c == b'\''
                    && i + 2 < b.len()
                    && b[i + 2] == b'\''
                    && (i == 0 || !is_ident(b[i - 1]))
                {
                    out.extend_from_slice(b"' '");
                    i += 3;
                    continue;
                } else {
                    out.push(c);
                }
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        })
        .collect()
}

/// Identifier tokens of `s` (with the byte before each).
fn idents(s: &str) -> Vec<(usize, &str)> {
    let b = s.as_bytes();
    let mut v = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_ident(b[i]) && (i == 0 || !is_ident(b[i - 1])) {
            let start = i;
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            v.push((start, &s[start..i]));
        } else {
            i += 1;
        }
    }
    v
}

/// Whether `s` reads a function-pointer slot field (`.tp_repr`, `.ml_meth`, ...); with
/// `getset`, also a getset's `.get` / `.set` (not followed by `(`, which is a method call).
fn names_slot(s: &str, getset: bool) -> bool {
    let b = s.as_bytes();
    idents(s).into_iter().any(|(at, id)| {
        if at == 0 || b[at - 1] != b'.' {
            return false;
        }
        let slot = SLOT_PREFIXES.iter().any(|p| id.starts_with(p)) && !DATA_SLOTS.contains(&id);
        let after = b.get(at + id.len()).copied();
        slot || OTHER_FIELDS.contains(&id)
            || (getset && (id == "get" || id == "set") && after != Some(b'('))
    })
}

fn names_fn_type(s: &str) -> bool {
    FN_TYPES.iter().any(|t| {
        s.match_indices(t).any(|(at, _)| {
            let b = s.as_bytes();
            (at == 0 || !is_ident(b[at - 1])) && b.get(at + t.len()).is_none_or(|&c| !is_ident(c))
        })
    })
}

/// `NAME(` calls in `s`: not a method (`.NAME(`), path (`::NAME(`), definition (`fn NAME(`) or
/// pattern (`Some(`).
fn calls(s: &str, name: &str) -> bool {
    let b = s.as_bytes();
    idents(s).into_iter().any(|(at, id)| {
        id == name
            && b.get(at + id.len()) == Some(&b'(')
            && (at == 0 || (b[at - 1] != b'.' && b[at - 1] != b':'))
            && !s[..at].trim_end().ends_with("fn")
    })
}

fn depth(s: &str) -> i32 {
    s.bytes()
        .map(|c| match c {
            b'{' => 1,
            b'}' => -1,
            _ => 0,
        })
        .sum()
}

#[derive(Clone)]
struct Binding {
    name: String,
    line: usize,
    /// Brace depth relative to the binding line; the binding ends when it goes below `floor`.
    depth: i32,
    floor: i32,
    /// A parameter: ends when its function's body closes.
    param: bool,
    opened: bool,
}

/// The direct calls of extension pointers in one file: `(line, message)`, 1-based lines.
fn scan(src: &str) -> Vec<(usize, String)> {
    let lines = blank(src);
    let mut found = Vec::new();
    let mut live: Vec<Binding> = Vec::new();
    // Open `match` blocks on a slot: (depth left to close, ...) as a binding without a name.
    let mut matches: Vec<(i32, i32)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let lno = i + 1;
        let tainted = |s: &str, live: &[Binding]| {
            names_slot(s, true)
                || s.contains("transmute")
                || POINTER_SOURCES.iter().any(|p| s.contains(p))
                || idents(s)
                    .first()
                    .is_some_and(|(_, id)| live.iter().any(|b| b.name == *id))
        };
        // New bindings on this line.
        // (name, line, floor): a plain assignment `NAME = ..` may set a variable declared one
        // block further out, so it lives one block longer.
        let mut new: Vec<(String, usize, i32)> = Vec::new();
        // Every name (re)bound on this line: a binding that is not a pointer ends the old one.
        let mut untainted: Vec<String> = Vec::new();
        // `Some(NAME) = rhs` / `let [mut] NAME[: T] = rhs` / `NAME = rhs`.
        for (at, id) in idents(l) {
            let rest = &l[at + id.len()..];
            if id == "Some" && rest.starts_with('(') {
                let inner: String = rest[1..].chars().take_while(|&c| c != ')').collect();
                let name = inner.trim();
                if name.is_empty() || !name.bytes().all(is_ident) {
                    continue;
                }
                let after = rest[1 + inner.len()..].trim_start();
                let after = after.strip_prefix(')').unwrap_or(after).trim_start();
                untainted.push(name.to_string());
                if let Some(rhs) = after.strip_prefix('=') {
                    if rhs.starts_with('>') {
                        if !matches.is_empty() {
                            new.push((name.to_string(), lno, 0));
                        }
                    } else if !rhs.starts_with('=') && tainted(rhs, &live) {
                        new.push((name.to_string(), lno, 0));
                    }
                }
            }
        }
        let t = l.trim_start();
        // A `let` statement continues on the next lines until its `;` (or block).
        let mut stmt = t.to_string();
        if t.starts_with("let ") {
            for next in lines.iter().skip(i + 1).take(6) {
                let e = stmt.trim_end();
                if e.ends_with(';') || e.ends_with('{') {
                    break;
                }
                stmt.push(' ');
                stmt.push_str(next.trim());
            }
        }
        if let Some(decl) = stmt.strip_prefix("let ") {
            let decl = decl.strip_prefix("mut ").unwrap_or(decl);
            let name: String = decl
                .bytes()
                .take_while(|&c| is_ident(c))
                .map(char::from)
                .collect();
            let next = decl[name.len()..].trim_start().bytes().next();
            if !name.is_empty() && matches!(next, Some(b':' | b'=' | b';')) {
                untainted.push(name.clone());
                let rest = &decl[name.len()..];
                let (ty, rhs) = match rest.find('=') {
                    Some(p) => (&rest[..p], &rest[p + 1..]),
                    None => (rest, ""),
                };
                if names_fn_type(ty) || names_fn_type(rhs) || tainted(rhs, &live) {
                    new.push((name, lno, 0));
                }
            }
        } else if let Some((lhs, rhs)) = t.split_once(" = ")
            && lhs.bytes().all(is_ident)
            && !lhs.is_empty()
            && tainted(rhs, &live)
        {
            new.push((lhs.to_string(), lno, -1));
        }
        // Parameters declared with a C function pointer type (`name: <fn type>,` in a signature).
        let mut params: Vec<String> = Vec::new();
        if !t.starts_with("let ") && !t.starts_with("pub ") && !t.contains('=') {
            // One parameter a line, or a whole signature on one line (`fn g(a: T, f: U)`).
            let list = match t
                .find("fn ")
                .and_then(|p| t[p..].find('(').map(|q| p + q + 1))
            {
                Some(open) => &t[open..],
                None => t,
            };
            for part in list.split(", ") {
                if let Some((name, ty)) = part.split_once(": ")
                    && name.bytes().all(is_ident)
                    && !name.is_empty()
                    && names_fn_type(ty)
                {
                    params.push(name.to_string());
                }
            }
        }
        // A `match` on a slot or on a pointer binding opens a scope for `Some(NAME) =>` arms.
        let opens_match = t.contains("match ") && l.trim_end().ends_with('{') && {
            let head = &t[t.find("match ").unwrap() + 6..];
            tainted(head, &live) || names_slot(head, true)
        };

        // Calls on this line of names bound before it (or bound earlier on this line).
        for b in &live {
            if calls(l, &b.name) {
                found.push((
                    lno,
                    format!(
                        "direct call of `{}` (bound at line {}): {}",
                        b.name,
                        b.line,
                        l.trim()
                    ),
                ));
            }
        }
        for (name, _, _) in &new {
            // The part after the binding itself: `Some(f) => f(op)`.
            let pos = l
                .find(&format!("Some({name})"))
                .map_or(0, |p| p + name.len() + 6);
            if calls(&l[pos..], name) {
                found.push((lno, format!("direct call of `{name}`: {}", l.trim())));
            }
        }
        // Inline calls.
        let b = l.as_bytes();
        for (at, _) in l.match_indices(")(") {
            // The group that closes at `at`.
            let mut d = 0;
            let mut start = None;
            for j in (0..=at).rev() {
                match b[j] {
                    b')' => d += 1,
                    b'(' => {
                        d -= 1;
                        if d == 0 {
                            start = Some(j);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let Some(s) = start else { continue };
            let group = &l[s..=at];
            let before = l[..s].trim_end();
            let inline = names_slot(group, false) || group.contains("transmute");
            let unwrap = before.ends_with(".unwrap") || before.ends_with(".expect");
            let mac = before.ends_with('!');
            if inline || unwrap || mac {
                found.push((
                    lno,
                    format!("inline call of a function pointer: {}", l.trim()),
                ));
            }
        }

        // Scopes.
        let d = depth(l);
        for b in &mut live {
            b.depth += d;
            if b.depth > 0 {
                b.opened = true;
            }
        }
        live.retain(|b| {
            if b.param {
                !(b.opened && b.depth <= 0)
            } else {
                b.depth >= b.floor
            }
        });
        for m in &mut matches {
            m.0 += d;
        }
        matches.retain(|m| m.0 > 0);
        if opens_match {
            matches.push((d, 0));
        }
        live.retain(|b| !untainted.contains(&b.name) || b.line == lno);
        for (name, line, floor) in new {
            live.retain(|b| b.name != name);
            live.push(Binding {
                name,
                line,
                depth: d,
                floor,
                param: false,
                opened: d > 0,
            });
        }
        for name in params {
            live.retain(|b| b.name != name);
            live.push(Binding {
                name,
                line: lno,
                depth: d,
                floor: 0,
                param: true,
                opened: d > 0,
            });
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_direct_calls_into_extension_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for d in ["capi/src", "loader/src", "src"] {
        rust_files(&root.join(d), &mut files);
    }
    files.sort();
    let mut bad = Vec::new();
    let mut helper_uses = 0;
    for f in &files {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let src = std::fs::read_to_string(f).unwrap();
        helper_uses += src.matches("extcall::").count();
        if SKIP.contains(&rel.as_str()) {
            continue;
        }
        for (line, msg) in scan(&src) {
            bad.push(format!("{rel}:{line}: {msg}"));
        }
    }
    assert!(files.len() > 50, "scanned only {} files", files.len());
    assert!(
        bad.is_empty(),
        "calls into extension code must go through capi/src/runtime/extcall.rs:\n{}",
        bad.join("\n")
    );
    assert!(
        helper_uses > 100,
        "only {helper_uses} uses of the extcall family were found"
    );
}

/// The scanner reports each pattern it claims to cover (and leaves converted calls alone).
#[test]
fn the_scan_catches_planted_direct_calls() {
    let planted: &[&str] = &[
        "if let Some(f) = (*ty(o)).tp_repr {\n    return f(o);\n}",
        "let Some(f) = nb(ty(o)).and_then(|m| m.nb_index) else {\n    return e();\n};\nlet r = f(o);",
        "match (*ty(op)).tp_hash {\n    Some(f) => f(op),\n    None => 0,\n}",
        "let mut get = None;\nget = (*ty(d)).tp_descr_get;\nif let Some(f) = get {\n    f(d, o, t);\n}",
        "let f = (*ty(it)).tp_iternext.expect(\"checked\");\nf(it)",
        "let gi = (*ty(b))\n    .tp_as_mapping\n    .as_ref()\n    .and_then(|m| m.mp_subscript);\nif let Some(g) = gi {\n    g(b, k);\n}",
        "fn run(name: &str, f: InitFunc) -> *mut PyObject {\n    let r = unsafe { f() };\n    r\n}",
        "let result: *mut c_void = unsafe {\n    let f: unsafe extern \"C\" fn() -> *mut c_void = std::mem::transmute(hook);\n    f()\n};",
        "if x {\n    get = (*ty(d)).tp_descr_get;\n}\nif let Some(f) = get {\n    f(d, o, t);\n}",
        "let r = ((*t).tp_call.unwrap())(a, b, c);",
        "let r = ((*t).tp_str)(a);",
        "let m: NoArgsFn = std::mem::transmute((*ml).ml_meth);\nm(s, a)",
        "let r = cast!(unaryfunc)(s);",
        "unsafe fn g(\n    f: unsafe extern \"C\" fn(*mut PyObject) -> c_int,\n    o: *mut PyObject,\n) -> c_int {\n    f(o)\n}",
        "match (*g).get {\n    Some(f) => f(obj, c),\n    None => n(),\n}",
        "if let Some(d) = (*c).destructor {\n    d(op);\n}",
    ];
    for p in planted {
        assert!(!scan(p).is_empty(), "not caught:\n{p}");
    }
    let fine: &[&str] = &[
        "if let Some(f) = (*ty(o)).tp_repr {\n    return crate::extcall::unary(f, o);\n}",
        "match (*ty(op)).tp_hash {\n    Some(f) => crate::extcall::hash(f, op),\n    None => 0,\n}",
        "if (*t).tp_iter.is_some() {\n    f(o);\n}",
        "let n = crate::dictobject::get(d, name);",
        "if let Some(f) = x.tp_repr {\n    g(f);\n}\nlet f = |a| a;\nf(1);",
        "let f = (w.get)(t);",
    ];
    for p in fine {
        let r = scan(p);
        assert!(r.is_empty(), "false report {r:?} on:\n{p}");
    }
}
