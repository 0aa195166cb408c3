//! gilgate's own `string` module (CPython's `Lib/string/__init__.py` with `Modules/_string.c`'s
//! parser, written natively): the character-class constants, `capwords`, `Template` and
//! `Formatter`.
//!
//! `Template` scans for CPython's default pattern natively (gilgate has no `re`): the class's
//! `delimiter` (any string), then the delimiter again (escaped), an ASCII identifier (named,
//! case-insensitive as with `re.IGNORECASE`), `{identifier}` (braced) or nothing (invalid). The
//! delimiter is read from the instance's class at each call, so a subclass that changes only
//! `delimiter` works; a subclass with its own `idpattern`, `braceidpattern`, `flags` or
//! `pattern` needs `re` and raises `NotImplementedError`. The class has no compiled `pattern`
//! or `flags` attribute.
//!
//! `Formatter`'s methods call each other through the instance (as CPython's do), so a class
//! made from it with its own `get_value`, `format_field`, ... is honoured. `parse` gives an
//! iterator over the tuples `_string.formatter_parser` yields.

use crate::abc::{FuncDef, Kind, Obj, add_funcs, call_method, getattr_opt, make_class};
use crate::object::PyObject;
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::new_ref;
use crate::unicodeobject as uni;
use std::ptr::null_mut;
use std::sync::OnceLock;

/// The default `idpattern` (`Lib/string/__init__.py`'s text).
const IDPATTERN: &str = "(?a:[_a-z][_a-z0-9]*)";

static MODULE: OnceLock<usize> = OnceLock::new();

/// The `string` module (borrowed, process-lifetime; NULL with an exception if it could not be
/// made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "string", build)
}

fn text(o: *mut PyObject) -> Option<String> {
    // SAFETY: `o` is a live object; `as_str` checks the type.
    unsafe {
        if !uni::is_str(o) {
            return None;
        }
        uni::as_str(o).map(str::to_string)
    }
}

fn s(v: &str) -> Obj {
    Obj::new(uni::from_str(v))
}

// ---- capwords ----------------------------------------------------------------------------------

unsafe fn f_capwords(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let sep = a
            .get(1)
            .copied()
            .filter(|&p| !p.is_null() && p != crate::object::none());
        let words = match sep {
            Some(p) => call_method(a[0], "split", &[p]),
            None => call_method(a[0], "split", &[]),
        };
        if words.is_null() {
            return null_mut();
        }
        let Ok(items) = crate::abc::collect(words.ptr()) else {
            return null_mut();
        };
        let mut caps = Vec::with_capacity(items.len());
        for w in &items {
            let c = call_method(w.ptr(), "capitalize", &[]);
            if c.is_null() {
                return null_mut();
            }
            caps.push(c);
        }
        let joiner = match sep {
            Some(p) if crate::abc::truth(p) == Ok(true) => Obj::new(new_ref(p)),
            Some(p) if crate::abc::truth(p).is_err() => return null_mut(),
            _ => s(" "),
        };
        let ptrs: Vec<*mut PyObject> = caps.iter().map(Obj::ptr).collect();
        let list = Obj::new(crate::listobject::from_slice(&ptrs));
        if list.is_null() {
            return null_mut();
        }
        call_method(joiner.ptr(), "join", &[list.ptr()]).into_raw()
    }
}

// ---- Template ----------------------------------------------------------------------------------

/// One match of the default pattern: where it starts and ends in the template (char indices).
enum Piece {
    Escaped,
    Named(String),
    Braced(String),
    /// The position just after the delimiter (`mo.start('invalid')`).
    Invalid(usize),
}

fn is_id_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_id(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// The matches of the default pattern in `t` for `delim`, with their spans.
fn scan(t: &[char], delim: &[char]) -> Vec<(usize, usize, Piece)> {
    let mut out = Vec::new();
    let mut i = 0;
    let dl = delim.len();
    while i < t.len() {
        if dl == 0 || !t[i..].starts_with(delim) {
            if dl == 0 {
                // An empty delimiter matches everywhere; each match is then read as below.
            } else {
                i += 1;
                continue;
            }
        }
        let j = i + dl;
        if dl > 0 && t[j..].starts_with(delim) {
            out.push((i, j + dl, Piece::Escaped));
            i = j + dl;
            continue;
        }
        if j < t.len() && is_id_start(t[j]) {
            let mut e = j + 1;
            while e < t.len() && is_id(t[e]) {
                e += 1;
            }
            out.push((i, e, Piece::Named(t[j..e].iter().collect())));
            i = e;
            continue;
        }
        if j + 1 < t.len() && t[j] == '{' && is_id_start(t[j + 1]) {
            let mut e = j + 2;
            while e < t.len() && is_id(t[e]) {
                e += 1;
            }
            if e < t.len() && t[e] == '}' {
                out.push((i, e + 1, Piece::Braced(t[j + 1..e].iter().collect())));
                i = e + 1;
                continue;
            }
        }
        out.push((i, j, Piece::Invalid(j)));
        i = if dl == 0 { j + 1 } else { j };
    }
    out
}

/// `str.splitlines` boundaries.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// CPython's `Template._invalid` message for an invalid placeholder at char index `i`.
fn invalid(t: &[char], i: usize) -> *mut PyObject {
    let head = &t[..i];
    let (mut lineno, mut colno) = (1, 1);
    if !head.is_empty() {
        // lines of head.splitlines(keepends=True): count them and where the last starts
        let mut lines = 0;
        let mut last_start = 0;
        let mut k = 0;
        while k < head.len() {
            let start = k;
            while k < head.len() && !is_line_break(head[k]) {
                k += 1;
            }
            if k < head.len() {
                if head[k] == '\r' && k + 1 < head.len() && head[k + 1] == '\n' {
                    k += 1;
                }
                k += 1;
            }
            lines += 1;
            last_start = start;
        }
        lineno = lines;
        colno = i - last_start;
    }
    raise(
        &raw mut EXC_ValueError,
        &format!("Invalid placeholder in string: line {lineno}, col {colno}"),
    )
}

/// The template's text and the class's delimiter, after checking the class uses the default
/// pattern.
unsafe fn template_parts(this: *mut PyObject) -> Result<(Vec<char>, Vec<char>), ()> {
    // SAFETY: a live instance (caller).
    unsafe {
        let cls = crate::refcount::Py_TYPE(this).cast::<PyObject>();
        for name in ["pattern", "flags"] {
            if getattr_opt(cls, name)?.is_some() {
                raise(
                    &raw mut crate::pyerrors::EXC_NotImplementedError,
                    &format!(
                        "gilgate has no re: a Template subclass with its own {name} is not available"
                    ),
                );
                return Err(());
            }
        }
        let idp = getattr_opt(cls, "idpattern")?;
        let bidp = getattr_opt(cls, "braceidpattern")?;
        let idp_ok = idp.as_ref().and_then(|o| text(o.ptr())).as_deref() == Some(IDPATTERN);
        let bidp_ok = bidp
            .as_ref()
            .is_none_or(|o| o.ptr() == crate::object::none());
        if !idp_ok || !bidp_ok {
            raise(
                &raw mut crate::pyerrors::EXC_NotImplementedError,
                "gilgate has no re: a Template subclass with its own idpattern or braceidpattern is not available",
            );
            return Err(());
        }
        let d = getattr_opt(cls, "delimiter")?;
        let Some(delim) = d.as_ref().and_then(|o| text(o.ptr())) else {
            raise(&raw mut EXC_TypeError, "Template.delimiter must be a str");
            return Err(());
        };
        let t = crate::abc::getattr(this, "template");
        if t.is_null() {
            return Err(());
        }
        let Some(tt) = text(t.ptr()) else {
            raise(
                &raw mut EXC_TypeError,
                "expected string or bytes-like object, got '",
            );
            return Err(());
        };
        Ok((tt.chars().collect(), delim.chars().collect()))
    }
}

unsafe fn t_init(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let n = s("template");
        if crate::object::setattr(a[0], n.ptr(), a[1]) < 0 {
            return null_mut();
        }
        new_ref(crate::object::none())
    }
}

/// `mapping[name]` with keywords first (CPython's `ChainMap(kws, mapping)`), a new reference.
unsafe fn lookup(mapping: Option<*mut PyObject>, kw: *mut PyObject, name: &str) -> *mut PyObject {
    // SAFETY: live objects (caller).
    unsafe {
        let key = s(name);
        if !kw.is_null() {
            let v = crate::dictobject::get_ref_quiet(kw, key.ptr());
            if !v.is_null() {
                return v;
            }
        }
        match mapping {
            Some(m) => crate::abstract_::PyObject_GetItem(m, key.ptr()),
            None => {
                crate::dictobject::key_error(key.ptr());
                null_mut()
            }
        }
    }
}

unsafe fn substitute(a: &[*mut PyObject], kw: *mut PyObject, safe: bool) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok((t, delim)) = template_parts(a[0]) else {
            return null_mut();
        };
        let mapping = a.get(1).copied().filter(|p| !p.is_null());
        let kw = if !kw.is_null() && crate::dictobject::len(kw) == 0 {
            null_mut()
        } else {
            kw
        };
        let mut out = String::new();
        let mut last = 0;
        for (start, end, piece) in scan(&t, &delim) {
            out.extend(&t[last..start]);
            last = end;
            let name = match &piece {
                Piece::Escaped => {
                    out.extend(&delim);
                    continue;
                }
                Piece::Invalid(i) => {
                    if safe {
                        out.extend(&t[start..end]);
                        continue;
                    }
                    return invalid(&t, *i);
                }
                Piece::Named(n) | Piece::Braced(n) => n,
            };
            let v = Obj::new(lookup(mapping, kw, name));
            if v.is_null() {
                if safe && crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_KeyError)
                {
                    crate::pyerrors::clear();
                    out.extend(&t[start..end]);
                    continue;
                }
                return null_mut();
            }
            let r = Obj::new(crate::object::PyObject_Str(v.ptr()));
            let Some(rs) = (if r.is_null() { None } else { text(r.ptr()) }) else {
                return null_mut();
            };
            out.push_str(&rs);
        }
        out.extend(&t[last..]);
        uni::from_str(&out)
    }
}

unsafe fn t_substitute(a: &[*mut PyObject], kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { substitute(a, kw, false) }
}

unsafe fn t_safe_substitute(a: &[*mut PyObject], kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { substitute(a, kw, true) }
}

unsafe fn t_get_identifiers(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok((t, delim)) = template_parts(a[0]) else {
            return null_mut();
        };
        let mut ids: Vec<String> = Vec::new();
        for (_, _, piece) in scan(&t, &delim) {
            if let Piece::Named(n) | Piece::Braced(n) = piece
                && !ids.contains(&n)
            {
                ids.push(n);
            }
        }
        let objs: Vec<Obj> = ids.iter().map(|n| s(n)).collect();
        if objs.iter().any(Obj::is_null) {
            return null_mut();
        }
        let ptrs: Vec<*mut PyObject> = objs.iter().map(Obj::ptr).collect();
        crate::listobject::from_slice(&ptrs)
    }
}

unsafe fn t_is_valid(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok((t, delim)) = template_parts(a[0]) else {
            return null_mut();
        };
        let bad = scan(&t, &delim)
            .iter()
            .any(|(_, _, p)| matches!(p, Piece::Invalid(_)));
        crate::abc::py_bool(!bad)
    }
}

static TEMPLATE_FUNCS: [FuncDef; 5] = [
    FuncDef::new(
        "Template.__init__",
        &["self", "template"],
        2,
        Kind::Method,
        t_init,
    ),
    FuncDef::new(
        "Template.substitute",
        &["self", "mapping"],
        1,
        Kind::Method,
        t_substitute,
    )
    .with_kwargs(),
    FuncDef::new(
        "Template.safe_substitute",
        &["self", "mapping"],
        1,
        Kind::Method,
        t_safe_substitute,
    )
    .with_kwargs(),
    FuncDef::new(
        "Template.get_identifiers",
        &["self"],
        1,
        Kind::Method,
        t_get_identifiers,
    ),
    FuncDef::new("Template.is_valid", &["self"], 1, Kind::Method, t_is_valid),
];

// ---- Formatter ---------------------------------------------------------------------------------

fn verr(msg: &str) -> Result<(), ()> {
    raise(&raw mut EXC_ValueError, msg);
    Err(())
}

/// One item of `_string.formatter_parser`: literal text, then the field (name, spec,
/// conversion) if there is one.
type ParsedField = (String, Option<(String, String, Option<char>)>);

/// `_string.formatter_parser`'s items for `t` (CPython's `MarkupIterator`).
fn parse_format(t: &[char]) -> Result<Vec<ParsedField>, ()> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = t.len();
    while i < n {
        // literal text up to a single '{' or '}' (a doubled one ends the literal, kept once)
        let mut lit = String::new();
        let mut field = false;
        while i < n {
            let c = t[i];
            i += 1;
            if c == '{' || c == '}' {
                if i < n && t[i] == c {
                    lit.push(c);
                    i += 1;
                    break;
                }
                if c == '}' {
                    verr("Single '}' encountered in format string")?;
                }
                if i >= n {
                    verr("Single '{' encountered in format string")?;
                }
                field = true;
                break;
            }
            lit.push(c);
        }
        if !field {
            out.push((lit, None));
            continue;
        }
        // the field up to its matching '}', brackets quoting braces in the name
        let start = i;
        let mut level = 1;
        let mut bracket = false;
        while i < n {
            let c = t[i];
            if c == '[' {
                bracket = true;
            } else if c == ']' {
                bracket = false;
            } else if !bracket && c == '{' {
                level += 1;
            } else if !bracket && c == '}' {
                level -= 1;
                if level == 0 {
                    break;
                }
            }
            i += 1;
        }
        if level > 0 {
            verr("expected '}' before end of string")?;
        }
        let f = &t[start..i];
        i += 1;
        let mut k = 0;
        let mut br = false;
        while k < f.len() {
            match f[k] {
                '[' => br = true,
                ']' => br = false,
                '!' | ':' if !br => break,
                _ => {}
            }
            k += 1;
        }
        let name: String = f[..k].iter().collect();
        let mut conv = None;
        let mut spec = String::new();
        if k < f.len() && f[k] == '!' {
            if k + 1 >= f.len() {
                verr("unmatched '{' in format spec")?;
            }
            conv = Some(f[k + 1]);
            k += 2;
            if k < f.len() && f[k] != ':' {
                verr("expected ':' after conversion specifier")?;
            }
        }
        if k < f.len() && f[k] == ':' {
            spec = f[k + 1..].iter().collect();
        }
        out.push((lit, Some((name, spec, conv))));
    }
    Ok(out)
}

unsafe fn fmt_parse(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Some(t) = text(a[1]) else {
            let tn = crate::object::type_name(crate::refcount::Py_TYPE(a[1]));
            return raise(&raw mut EXC_TypeError, &format!("expected str, got {tn}"));
        };
        let chars: Vec<char> = t.chars().collect();
        let Ok(items) = parse_format(&chars) else {
            return null_mut();
        };
        let list = Obj::new(crate::listobject::new_list(0));
        if list.is_null() {
            return null_mut();
        }
        for (lit, field) in items {
            let none = crate::object::none();
            let l = s(&lit);
            let (n, sp, cv) = match field {
                None => (
                    Obj::new(new_ref(none)),
                    Obj::new(new_ref(none)),
                    Obj::new(new_ref(none)),
                ),
                Some((name, spec, conv)) => (
                    s(&name),
                    s(&spec),
                    match conv {
                        Some(c) => s(&c.to_string()),
                        None => Obj::new(new_ref(none)),
                    },
                ),
            };
            if l.is_null() || n.is_null() || sp.is_null() || cv.is_null() {
                return null_mut();
            }
            let tup = Obj::new(crate::tupleobject::from_slice(&[
                l.ptr(),
                n.ptr(),
                sp.ptr(),
                cv.ptr(),
            ]));
            if tup.is_null() || crate::listobject::append(list.ptr(), tup.ptr()) < 0 {
                return null_mut();
            }
        }
        crate::abstract_::PyObject_GetIter(list.ptr())
    }
}

/// `_string.formatter_field_name_split`: the first part (an int when all digits) and the
/// rest as (is_attribute, key) pairs.
fn split_field(name: &[char]) -> Result<(String, Vec<(bool, String)>), ()> {
    let end = name
        .iter()
        .position(|&c| c == '.' || c == '[')
        .unwrap_or(name.len());
    let first: String = name[..end].iter().collect();
    let mut rest = Vec::new();
    let mut i = end;
    while i < name.len() {
        if name[i] == '.' {
            let s0 = i + 1;
            let mut e = s0;
            while e < name.len() && name[e] != '.' && name[e] != '[' {
                e += 1;
            }
            if e == s0 {
                verr("Empty attribute in format string")?;
            }
            rest.push((true, name[s0..e].iter().collect()));
            i = e;
        } else {
            let s0 = i + 1;
            let Some(off) = name[s0..].iter().position(|&c| c == ']') else {
                verr("Missing ']' in format string")?;
                unreachable!()
            };
            let e = s0 + off;
            if e == s0 {
                verr("Empty attribute in format string")?;
            }
            rest.push((false, name[s0..e].iter().collect()));
            i = e + 1;
            if i < name.len() && name[i] != '.' && name[i] != '[' {
                verr("Only '.' or '[' may follow ']' in format field specifier")?;
            }
        }
    }
    Ok((first, rest))
}

fn digits_key(k: &str) -> Option<Obj> {
    if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) {
        let v: i128 = k.parse().ok()?;
        Some(Obj::new(crate::longobject::from_i128(v)))
    } else {
        None
    }
}

unsafe fn fmt_get_field(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Some(name) = text(a[1]) else {
            return raise(&raw mut EXC_TypeError, "expected str");
        };
        let chars: Vec<char> = name.chars().collect();
        let Ok((first, rest)) = split_field(&chars) else {
            return null_mut();
        };
        let key = digits_key(&first).unwrap_or_else(|| s(&first));
        if key.is_null() {
            return null_mut();
        }
        let mut obj = call_method(a[0], "get_value", &[key.ptr(), a[2], a[3]]);
        if obj.is_null() {
            return null_mut();
        }
        for (attr, k) in rest {
            let kk = if attr {
                s(&k)
            } else {
                digits_key(&k).unwrap_or_else(|| s(&k))
            };
            if kk.is_null() {
                return null_mut();
            }
            obj = Obj::new(if attr {
                crate::object::PyObject_GetAttr(obj.ptr(), kk.ptr())
            } else {
                crate::abstract_::PyObject_GetItem(obj.ptr(), kk.ptr())
            });
            if obj.is_null() {
                return null_mut();
            }
        }
        crate::tupleobject::from_slice(&[obj.ptr(), key.ptr()])
    }
}

unsafe fn fmt_get_value(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let src = if crate::longobject::is_int(a[1]) {
            a[2]
        } else {
            a[3]
        };
        crate::abstract_::PyObject_GetItem(src, a[1])
    }
}

unsafe fn fmt_check_unused_args(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: None is immortal.
    unsafe { new_ref(crate::object::none()) }
}

unsafe fn fmt_format_field(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { crate::abstract_::PyObject_Format(a[1], a[2]) }
}

unsafe fn fmt_convert_field(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (v, c) = (a[1], a[2]);
        if c == crate::object::none() {
            return new_ref(v);
        }
        match text(c).as_deref() {
            Some("s") => crate::object::PyObject_Str(v),
            Some("r") => crate::object::PyObject_Repr(v),
            Some("a") => crate::bltinmodule::b_ascii(null_mut(), v),
            _ => {
                let r = Obj::new(crate::object::PyObject_Repr(c));
                let rs = if r.is_null() {
                    return null_mut();
                } else {
                    text(r.ptr()).unwrap_or_default()
                };
                raise(
                    &raw mut EXC_ValueError,
                    &format!("Unknown conversion specifier {}", rs.trim_matches('\'')),
                )
            }
        }
    }
}

/// `Formatter._vformat`: the result and the automatic index (`None`: manual numbering).
unsafe fn vformat_inner(
    this: *mut PyObject,
    fs: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
    used: *mut PyObject,
    depth: i32,
    mut auto: Option<u64>,
) -> Result<(String, Option<u64>), ()> {
    // SAFETY: live objects (caller).
    unsafe {
        if depth < 0 {
            verr("Max string recursion exceeded")?;
        }
        let items = call_method(this, "parse", &[fs]);
        if items.is_null() {
            return Err(());
        }
        let items = crate::abc::collect(items.ptr())?;
        let none = crate::object::none();
        let mut out = String::new();
        for item in items {
            let parts = crate::abc::collect(item.ptr())?;
            if parts.len() != 4 {
                raise(&raw mut EXC_ValueError, "parse() must yield 4-tuples");
                return Err(());
            }
            if let Some(l) = text(parts[0].ptr()) {
                out.push_str(&l);
            } else if crate::abc::truth(parts[0].ptr())? {
                raise(&raw mut EXC_TypeError, "literal text must be a str");
                return Err(());
            }
            let name_o = parts[1].ptr();
            if name_o == none {
                continue;
            }
            let mut name = Obj::new(new_ref(name_o));
            let nt = text(name_o);
            if nt.as_deref() == Some("") {
                let Some(i) = auto else {
                    verr(
                        "cannot switch from manual field specification to automatic field numbering",
                    )?;
                    unreachable!()
                };
                name = s(&i.to_string());
                auto = Some(i + 1);
            } else {
                let isdigit = call_method(name_o, "isdigit", &[]);
                if isdigit.is_null() {
                    return Err(());
                }
                if crate::abc::truth(isdigit.ptr())? {
                    if auto.is_some_and(|i| i > 0) {
                        verr(
                            "cannot switch from automatic field numbering to manual field specification",
                        )?;
                    }
                    auto = None;
                }
            }
            let got = call_method(this, "get_field", &[name.ptr(), args, kwargs]);
            if got.is_null() {
                return Err(());
            }
            let pair = crate::abc::collect(got.ptr())?;
            if pair.len() != 2 {
                raise(&raw mut EXC_ValueError, "get_field() must return a 2-tuple");
                return Err(());
            }
            if crate::setobject::add(used, pair[1].ptr()) < 0 {
                return Err(());
            }
            let obj = call_method(this, "convert_field", &[pair[0].ptr(), parts[3].ptr()]);
            if obj.is_null() {
                return Err(());
            }
            let (spec, a2) =
                vformat_inner(this, parts[2].ptr(), args, kwargs, used, depth - 1, auto)?;
            auto = a2;
            let spec_o = s(&spec);
            if spec_o.is_null() {
                return Err(());
            }
            let r = call_method(this, "format_field", &[obj.ptr(), spec_o.ptr()]);
            if r.is_null() {
                return Err(());
            }
            let Some(rs) = text(r.ptr()) else {
                let tn = crate::object::type_name(crate::refcount::Py_TYPE(r.ptr()));
                raise(
                    &raw mut EXC_TypeError,
                    &format!("sequence item 0: expected str instance, {tn} found"),
                );
                return Err(());
            };
            out.push_str(&rs);
        }
        Ok((out, auto))
    }
}

unsafe fn fmt_vformat(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let used = Obj::new(crate::setobject::new_set(
            &raw mut crate::setobject::PySet_Type,
        ));
        if used.is_null() {
            return null_mut();
        }
        let Ok((out, _)) = vformat_inner(a[0], a[1], a[2], a[3], used.ptr(), 2, Some(0)) else {
            return null_mut();
        };
        let r = call_method(a[0], "check_unused_args", &[used.ptr(), a[2], a[3]]);
        if r.is_null() {
            return null_mut();
        }
        uni::from_str(&out)
    }
}

unsafe fn fmt_format(a: &[*mut PyObject], kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let args = Obj::new(crate::tupleobject::from_slice(&a[2..]));
        let kwargs = Obj::new(if kw.is_null() {
            crate::dictobject::new_dict()
        } else {
            new_ref(kw)
        });
        if args.is_null() || kwargs.is_null() {
            return null_mut();
        }
        call_method(a[0], "vformat", &[a[1], args.ptr(), kwargs.ptr()]).into_raw()
    }
}

static FORMATTER_FUNCS: [FuncDef; 8] = [
    FuncDef::new(
        "Formatter.format",
        &["self", "format_string"],
        2,
        Kind::Method,
        fmt_format,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "Formatter.vformat",
        &["self", "format_string", "args", "kwargs"],
        4,
        Kind::Method,
        fmt_vformat,
    ),
    FuncDef::new(
        "Formatter.get_value",
        &["self", "key", "args", "kwargs"],
        4,
        Kind::Method,
        fmt_get_value,
    ),
    FuncDef::new(
        "Formatter.check_unused_args",
        &["self", "used_args", "args", "kwargs"],
        4,
        Kind::Method,
        fmt_check_unused_args,
    ),
    FuncDef::new(
        "Formatter.format_field",
        &["self", "value", "format_spec"],
        3,
        Kind::Method,
        fmt_format_field,
    ),
    FuncDef::new(
        "Formatter.convert_field",
        &["self", "value", "conversion"],
        3,
        Kind::Method,
        fmt_convert_field,
    ),
    FuncDef::new(
        "Formatter.parse",
        &["self", "format_string"],
        2,
        Kind::Method,
        fmt_parse,
    ),
    FuncDef::new(
        "Formatter.get_field",
        &["self", "field_name", "args", "kwargs"],
        4,
        Kind::Method,
        fmt_get_field,
    ),
];

// ---- the module --------------------------------------------------------------------------------

static FUNCS: [FuncDef; 1] = [FuncDef::new(
    "capwords",
    &["s", "sep"],
    1,
    Kind::Static,
    f_capwords,
)];

const WHITESPACE: &str = " \t\n\r\x0b\x0c";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
const PUNCT: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

fn build() -> *mut PyObject {
    let name = uni::intern("string");
    // SAFETY: `name` is a live str; every object put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        if add_funcs(d, &FUNCS).is_err() {
            return null_mut();
        }
        let letters = format!("{LOWER}{UPPER}");
        let hex = format!("{DIGITS}abcdefABCDEF");
        let printable = format!("{DIGITS}{letters}{PUNCT}{WHITESPACE}");
        let consts: [(&str, &str); 9] = [
            ("whitespace", WHITESPACE),
            ("ascii_lowercase", LOWER),
            ("ascii_uppercase", UPPER),
            ("ascii_letters", &letters),
            ("digits", DIGITS),
            ("hexdigits", &hex),
            ("octdigits", "01234567"),
            ("punctuation", PUNCT),
            ("printable", &printable),
        ];
        for (k, v) in consts {
            let o = s(v);
            if o.is_null() || crate::dictobject::set_item_str(d, k, o.ptr()) < 0 {
                return null_mut();
            }
        }
        let obj = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        let ty = &raw mut crate::object::PyType_Type;
        let delim = s("$");
        let idp = s(IDPATTERN);
        let template = make_class(
            ty,
            "string",
            "Template",
            &[obj],
            &TEMPLATE_FUNCS,
            &[
                ("delimiter", delim.ptr()),
                ("idpattern", idp.ptr()),
                ("braceidpattern", crate::object::none()),
            ],
        );
        if template.is_null() || crate::dictobject::set_item_str(d, "Template", template.ptr()) < 0
        {
            return null_mut();
        }
        let formatter = make_class(ty, "string", "Formatter", &[obj], &FORMATTER_FUNCS, &[]);
        if formatter.is_null()
            || crate::dictobject::set_item_str(d, "Formatter", formatter.ptr()) < 0
        {
            return null_mut();
        }
        let all: Vec<Obj> = [
            "ascii_letters",
            "ascii_lowercase",
            "ascii_uppercase",
            "capwords",
            "digits",
            "hexdigits",
            "octdigits",
            "printable",
            "punctuation",
            "whitespace",
            "Formatter",
            "Template",
        ]
        .iter()
        .map(|n| s(n))
        .collect();
        let ptrs: Vec<*mut PyObject> = all.iter().map(Obj::ptr).collect();
        let l = Obj::new(crate::listobject::from_slice(&ptrs));
        if l.is_null() || crate::dictobject::set_item_str(d, "__all__", l.ptr()) < 0 {
            return null_mut();
        }
        m
    }
}
