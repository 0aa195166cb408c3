//! gilgate's own `warnings` module (CPython's `Lib/warnings.py`, `Lib/_py_warnings.py` and
//! `Python/_warnings.c`, written natively) and its C half `_warnings` (the same `filters`,
//! `warn`, `warn_explicit`, `_defaultaction`, `_onceregistry`).
//!
//! Every warning, from `warnings.warn` or from the C API (`PyErr_WarnEx`, ...), goes through
//! [`do_warn`]: the filters (`warnings.filters`, read from the module each time, so
//! `catch_warnings` and user code may rebind it), the registries (`__warningregistry__`,
//! `onceregistry`, the filters version), then `_showwarnmsg` (`showwarning` /
//! `formatwarning` replaced by the user are honoured; `catch_warnings(record=True)` swaps
//! `_showwarnmsg_impl` for the log's `append`, as CPython does).
//!
//! Decisions where gilgate differs from a Python process:
//! - gilgate runs no Python frames, so every warning is attributed as CPython attributes one
//!   issued with no Python frame: filename `<sys>`, line 0, module `sys`, registry
//!   `sys.__warningregistry__` (CPython's `setup_context` with no frame; `warnings.warn(...,
//!   stacklevel=1000)` in CPython gives the same).
//! - `sys.flags.context_aware_warnings` is 0 in gilgate: `catch_warnings` saves and restores
//!   the module-global filters (`-X context_aware_warnings=0`, what the recorded 3.14 does),
//!   not a context variable (free-threaded 3.14t's default is 1).
//! - Message and module patterns: CPython compiles them with `re`, which gilgate does not
//!   provide. [`Pattern`] matches exactly the patterns made of literal text, escaped
//!   punctuation, `.`, the quantifiers `*`, `+`, `?` (greedy or lazy) on one such atom, `^` at
//!   the start and `$` or `\Z` at the end; any other pattern raises `NotImplementedError`
//!   naming it. The stored object's repr is `re.compile(...)`'s.

use crate::abc::{FuncDef, Kind, Obj, add_funcs, call_method, make_class};
use crate::methodobject::{METH_KEYWORDS, METH_NOARGS, METH_VARARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject};
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::{new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::thread::ThreadId;

// ---- the lock (recursive, as CPython's `_PyRecursiveMutex`) ---------------------------------------

struct RLock {
    state: Mutex<(Option<ThreadId>, usize)>,
    cv: Condvar,
}

static LOCK: RLock = RLock {
    state: Mutex::new((None, 0)),
    cv: Condvar::new(),
};

impl RLock {
    fn acquire(&self) {
        let me = std::thread::current().id();
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match g.0 {
                None => {
                    *g = (Some(me), 1);
                    return;
                }
                Some(t) if t == me => {
                    g.1 += 1;
                    return;
                }
                Some(_) => g = self.cv.wait(g).unwrap_or_else(|e| e.into_inner()),
            }
        }
    }
    fn held_by_me(&self) -> bool {
        let g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        g.0 == Some(std::thread::current().id())
    }
    /// False if this thread does not hold the lock.
    fn release(&self) -> bool {
        let me = std::thread::current().id();
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if g.0 != Some(me) {
            return false;
        }
        g.1 -= 1;
        if g.1 == 0 {
            *g = (None, 0);
            self.cv.notify_one();
        }
        true
    }
}

/// Holds [`LOCK`] while alive.
struct Held;
impl Held {
    fn new() -> Held {
        LOCK.acquire();
        Held
    }
}
impl Drop for Held {
    fn drop(&mut self) {
        LOCK.release();
    }
}

/// `_filters_version`: registries remember the version they were filled under.
static VERSION: AtomicI64 = AtomicI64::new(1);

fn filters_mutated() {
    VERSION.fetch_add(1, Ordering::SeqCst);
}

// ---- small helpers -------------------------------------------------------------------------------

fn s(v: &str) -> Obj {
    Obj::new(uni::from_str(v))
}

fn none() -> *mut PyObject {
    crate::object::new_none()
}

fn is_none(o: *mut PyObject) -> bool {
    o.is_null() || o == crate::object::none()
}

unsafe fn type_name(o: *mut PyObject) -> String {
    // SAFETY: a live object.
    unsafe { crate::object::type_short_name((*o).ob_type) }
}

fn exc(name: &str) -> *mut PyObject {
    use crate::pyerrors as e;
    let t: *mut PyTypeObject = match name {
        "Warning" => &raw mut e::EXC_Warning,
        "UserWarning" => &raw mut e::EXC_UserWarning,
        "DeprecationWarning" => &raw mut e::EXC_DeprecationWarning,
        "PendingDeprecationWarning" => &raw mut e::EXC_PendingDeprecationWarning,
        "ImportWarning" => &raw mut e::EXC_ImportWarning,
        "ResourceWarning" => &raw mut e::EXC_ResourceWarning,
        "RuntimeError" => &raw mut e::EXC_RuntimeError,
        "NotImplementedError" => &raw mut e::EXC_NotImplementedError,
        _ => &raw mut e::EXC_Exception,
    };
    t.cast()
}

unsafe fn set_item(d: *mut PyObject, k: &str, v: *mut PyObject) -> Result<(), ()> {
    // SAFETY: live objects (caller).
    if v.is_null() || unsafe { crate::dictobject::set_item_str(d, k, v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

/// `o.name` of the `warnings` module (a new reference; None when absent).
unsafe fn mod_attr(name: &str) -> Option<Obj> {
    let m = module();
    if m.is_null() {
        return None;
    }
    // SAFETY: the live module's dict.
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let v = crate::dictobject::get_str(d, name);
        if v.is_null() {
            None
        } else {
            Some(Obj::borrowed(v))
        }
    }
}

unsafe fn call(f: *mut PyObject, args: &[*mut PyObject]) -> Obj {
    // SAFETY: live objects (caller).
    unsafe { crate::abc::call(f, args) }
}

// ---- Pattern: what `re.compile` gives the filters -------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Atom {
    Char(char),
    Any,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Rep {
    One,
    Star,
    Plus,
    Opt,
}

struct Prog {
    items: Vec<(Atom, Rep)>,
    end: bool,
}

/// Compiles the pattern subset gilgate matches exactly; None for any other pattern.
fn compile(p: &str) -> Option<Prog> {
    let cs: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut items: Vec<(Atom, Rep)> = Vec::new();
    let mut end = false;
    if cs.first() == Some(&'^') {
        i = 1;
    }
    while i < cs.len() {
        if end {
            return None;
        }
        let c = cs[i];
        let atom = match c {
            '.' => Atom::Any,
            '\\' => {
                let n = *cs.get(i + 1)?;
                if n == 'Z' {
                    end = true;
                    i += 2;
                    continue;
                }
                if n.is_ascii_alphanumeric() {
                    return None;
                }
                i += 1;
                Atom::Char(n)
            }
            '$' if i + 1 == cs.len() => {
                end = true;
                i += 1;
                continue;
            }
            '*' | '+' | '?' | '{' | '}' | '[' | ']' | '(' | ')' | '|' | '^' | '$' => return None,
            _ => Atom::Char(c),
        };
        i += 1;
        let rep = match cs.get(i) {
            Some('*') => Rep::Star,
            Some('+') => Rep::Plus,
            Some('?') => Rep::Opt,
            _ => Rep::One,
        };
        if rep != Rep::One {
            i += 1;
            // A lazy quantifier finds a match exactly when the greedy one does (`match` is
            // anchored at the start only).
            if cs.get(i) == Some(&'?') {
                i += 1;
            }
            if matches!(cs.get(i), Some('*' | '+' | '?' | '{')) {
                return None;
            }
        }
        items.push((atom, rep));
    }
    Some(Prog { items, end })
}

fn fold(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

fn atom_matches(a: Atom, c: char, icase: bool) -> bool {
    match a {
        Atom::Any => c != '\n',
        Atom::Char(x) => x == c || (icase && fold(x) == fold(c)),
    }
}

/// Whether `prog` matches at the start of `t` (`re.match`), with `$` matching at the end or
/// before a final newline.
fn run(prog: &Prog, items: &[(Atom, Rep)], t: &[char], icase: bool) -> bool {
    let Some(&(a, rep)) = items.first() else {
        return !prog.end || t.is_empty() || t == ['\n'];
    };
    let rest = &items[1..];
    let (min, max) = match rep {
        Rep::One => (1, 1),
        Rep::Star => (0, usize::MAX),
        Rep::Plus => (1, usize::MAX),
        Rep::Opt => (0, 1),
    };
    let mut n = 0;
    while n < max && n < t.len() && atom_matches(a, t[n], icase) {
        n += 1;
    }
    if n < min {
        return false;
    }
    (min..=n).rev().any(|k| run(prog, rest, &t[k..], icase))
}

#[repr(C)]
struct Pattern {
    ob_base: PyObject,
    pattern: *mut PyObject,
    flags: i64,
}

const RE_IGNORECASE: i64 = 2;
const RE_UNICODE: i64 = 32;

static mut Pattern_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(pattern_dealloc),
    tp_repr: Some(pattern_repr),
    tp_hash: Some(pattern_hash),
    tp_richcompare: Some(pattern_richcompare),
    tp_getset: (&raw const PATTERN_GETSET).cast_mut().cast(),
    ..crate::object::static_type(c"re.Pattern", std::mem::size_of::<Pattern>(), 0, 0)
};

static mut PATTERN_GETSET: [crate::descrobject::PyGetSetDef; 3] = [
    crate::descrobject::PyGetSetDef {
        name: c"pattern".as_ptr(),
        get: Some(pattern_pattern),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef {
        name: c"flags".as_ptr(),
        get: Some(pattern_flags),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

/// The static types of the module.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut Pattern_Type, &raw mut Wrapper_Type]
}

unsafe extern "C" fn pattern_dealloc(op: *mut PyObject) {
    // SAFETY: a dead Pattern (slot contract).
    unsafe {
        xdecref((*op.cast::<Pattern>()).pattern);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn pattern_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Pattern.
    unsafe {
        let p = op.cast::<Pattern>();
        let r = Obj::new(crate::object::repr((*p).pattern));
        if r.is_null() {
            return null_mut();
        }
        let rs = uni::as_str(r.ptr()).unwrap_or("");
        let fl = if (*p).flags & RE_IGNORECASE != 0 {
            ", re.IGNORECASE"
        } else {
            ""
        };
        uni::from_str(&format!("re.compile({rs}{fl})"))
    }
}

unsafe extern "C" fn pattern_pattern(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live Pattern.
    unsafe { new_ref((*op.cast::<Pattern>()).pattern) }
}

unsafe extern "C" fn pattern_flags(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live Pattern.
    unsafe { crate::longobject::PyLong_FromLongLong((*op.cast::<Pattern>()).flags) }
}

unsafe extern "C" fn pattern_hash(op: *mut PyObject) -> crate::pyport::Py_hash_t {
    // SAFETY: a live Pattern.
    unsafe {
        let h = crate::object::PyObject_Hash((*op.cast::<Pattern>()).pattern);
        if h == -1 {
            return -1;
        }
        let r = h ^ ((*op.cast::<Pattern>()).flags as isize).wrapping_mul(1_000_003);
        if r == -1 { -2 } else { r }
    }
}

unsafe extern "C" fn pattern_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if (*b).ob_type != &raw mut Pattern_Type
            || (op != crate::object::Py_EQ && op != crate::object::Py_NE)
        {
            return crate::abc::not_implemented();
        }
        let (pa, pb) = (a.cast::<Pattern>(), b.cast::<Pattern>());
        let same =
            (*pa).flags == (*pb).flags && uni::as_str((*pa).pattern) == uni::as_str((*pb).pattern);
        crate::boolobject::from_bool(same == (op == crate::object::Py_EQ))
    }
}

/// `re.compile(p, flags)` for the subset [`compile`] takes (NotImplementedError otherwise).
unsafe fn new_pattern(p: *mut PyObject, icase: bool) -> *mut PyObject {
    // SAFETY: `p` is a live str.
    unsafe {
        let text = uni::as_str(p).unwrap_or("");
        if compile(text).is_none() {
            let r = Obj::new(crate::object::repr(p));
            let rs = uni::as_str(r.ptr()).unwrap_or("?");
            return raise(
                &raw mut crate::pyerrors::EXC_NotImplementedError,
                &format!(
                    "gilgate: the warnings filter pattern {rs} needs the re module, which gilgate does not provide (supported: literal text, escaped punctuation, '.', '*', '+', '?', '^' at the start, '$' or '\\Z' at the end)"
                ),
            );
        }
        let op = crate::objimpl::alloc_object(&raw mut Pattern_Type, 0);
        if op.is_null() {
            return op;
        }
        let pat = op.cast::<Pattern>();
        (*pat).pattern = new_ref(p);
        (*pat).flags = RE_UNICODE | if icase { RE_IGNORECASE } else { 0 };
        op
    }
}

/// A filter's message or module part against `arg`: None matches everything, a str must be
/// equal (CPython's C filters), a [`Pattern`] must match at the start, any other object's
/// `match(arg)` must be true.
unsafe fn check_matched(obj: *mut PyObject, arg: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects.
    unsafe {
        if is_none(obj) {
            return Ok(true);
        }
        if uni::is_str(obj) && (*obj).ob_type == &raw mut uni::PyUnicode_Type {
            let r = crate::abstract_::PyObject_RichCompareBool(obj, arg, crate::object::Py_EQ);
            return if r < 0 { Err(()) } else { Ok(r == 1) };
        }
        if (*obj).ob_type == &raw mut Pattern_Type {
            let p = obj.cast::<Pattern>();
            let Some(prog) = compile(uni::as_str((*p).pattern).unwrap_or("")) else {
                return Ok(false);
            };
            let t: Vec<char> = if uni::is_str(arg) {
                uni::as_str(arg).unwrap_or("").chars().collect()
            } else {
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "expected string or bytes-like object, got '{}'",
                        type_name(arg)
                    ),
                );
                return Err(());
            };
            return Ok(run(&prog, &prog.items, &t, (*p).flags & RE_IGNORECASE != 0));
        }
        let r = call_method(obj, "match", &[arg]);
        if r.is_null() {
            return Err(());
        }
        match crate::object::PyObject_IsTrue(r.ptr()) {
            x if x < 0 => Err(()),
            x => Ok(x == 1),
        }
    }
}

// ---- the engine -----------------------------------------------------------------------------------

/// The filters list the engine searches (`warnings.filters`).
unsafe fn get_filters() -> Result<Obj, ()> {
    // SAFETY: module attributes are live.
    unsafe {
        match mod_attr("filters") {
            Some(f) if crate::listobject::is_list(f.ptr()) => Ok(f),
            _ => {
                raise(&raw mut EXC_ValueError, "_warnings.filters must be a list");
                Err(())
            }
        }
    }
}

/// The matching filter's action and item, or the default action and None.
unsafe fn get_filter(
    category: *mut PyObject,
    text: *mut PyObject,
    lineno: isize,
    module: *mut PyObject,
) -> Result<(Obj, Obj), ()> {
    // SAFETY: live objects.
    unsafe {
        let filters = get_filters()?;
        let snap = crate::listobject::snapshot(filters.ptr());
        let snap: Vec<Obj> = snap.into_iter().map(Obj::new).collect();
        for (i, item) in snap.iter().enumerate() {
            let it = item.ptr();
            if !crate::tupleobject::is_tuple(it) || crate::tupleobject::items(it).len() != 5 {
                raise(
                    &raw mut EXC_ValueError,
                    &format!("warnings.filters item {i} isn't a 5-tuple"),
                );
                return Err(());
            }
            let f = crate::tupleobject::items(it);
            let (action, msg, cat, mod_, ln) = (f[0], f[1], f[2], f[3], f[4]);
            if !uni::is_str(action) {
                raise(
                    &raw mut EXC_TypeError,
                    &format!("action must be a string, not '{}'", type_name(action)),
                );
                return Err(());
            }
            let good_msg = check_matched(msg, text)?;
            let good_mod = check_matched(mod_, module)?;
            let sub = crate::abstract_::PyObject_IsSubclass(category, cat);
            if sub < 0 {
                return Err(());
            }
            let l = crate::longobject::PyLong_AsSsize_t(ln);
            if l == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                return Err(());
            }
            if good_msg && good_mod && sub == 1 && (l == 0 || l == lineno) {
                return Ok((Obj::borrowed(action), Obj::borrowed(it)));
            }
        }
        match mod_attr("defaultaction") {
            Some(a) if uni::is_str(a.ptr()) => Ok((a, Obj::new(none()))),
            Some(a) => {
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "_warnings.defaultaction must be a string, not '{}'",
                        type_name(a.ptr())
                    ),
                );
                Err(())
            }
            None => Ok((s("default"), Obj::new(none()))),
        }
    }
}

/// 1 if `registry[key]` says this was shown under the current filters, else 0 (and sets it
/// when `set`); -1 on error. A registry of another filters version is cleared first.
unsafe fn already_warned(registry: *mut PyObject, key: *mut PyObject, set: bool) -> c_int {
    // SAFETY: `registry` is a live dict.
    unsafe {
        let version = VERSION.load(Ordering::SeqCst);
        let v = crate::dictobject::get_str(registry, "version");
        let stale = v.is_null()
            || (*v).ob_type != &raw mut crate::longobject::PyLong_Type
            || crate::longobject::PyLong_AsLongLong(v) != version;
        crate::pyerrors::PyErr_Clear();
        if stale {
            crate::dictobject::PyDict_Clear(registry);
            let vo = Obj::new(crate::longobject::PyLong_FromLongLong(version));
            if set_item(registry, "version", vo.ptr()).is_err() {
                return -1;
            }
        } else {
            let w = crate::dictobject::get(registry, key);
            if !w.is_null() {
                let t = crate::object::PyObject_IsTrue(w);
                if t != 0 {
                    return t;
                }
            } else if !crate::pyerrors::PyErr_Occurred().is_null() {
                return -1;
            }
        }
        if set {
            return crate::dictobject::set_item(registry, key, crate::boolobject::true_());
        }
        0
    }
}

/// `warn_explicit` (CPython's C one): None, or NULL with an exception.
#[allow(clippy::too_many_arguments)]
unsafe fn warn_explicit(
    category: *mut PyObject,
    message: *mut PyObject,
    filename: *mut PyObject,
    lineno: isize,
    module: *mut PyObject,
    registry: *mut PyObject,
    source: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (NULL for registry/source allowed).
    unsafe {
        if module == crate::object::none() {
            return none();
        }
        if !registry.is_null() && !is_none(registry) && !crate::dictobject::is_dict(registry) {
            return raise(&raw mut EXC_TypeError, "'registry' must be a dict or None");
        }
        let (text, message, category) =
            if crate::abstract_::PyObject_IsInstance(message, exc("Warning")) == 1 {
                let t = Obj::new(crate::object::PyObject_Str(message));
                if t.is_null() {
                    return null_mut();
                }
                (
                    t,
                    Obj::borrowed(message),
                    (*message).ob_type.cast::<PyObject>(),
                )
            } else {
                let m = call(category, &[message]);
                if m.is_null() {
                    return null_mut();
                }
                (Obj::borrowed(message), m, category)
            };
        let ln = Obj::new(crate::longobject::PyLong_FromSsize_t(lineno));
        let key = Obj::new(crate::tupleobject::from_slice(&[
            text.ptr(),
            category,
            ln.ptr(),
        ]));
        if key.is_null() {
            return null_mut();
        }
        let has_reg = !registry.is_null() && !is_none(registry);
        let rc = {
            let _g = Held::new();
            if has_reg {
                match already_warned(registry, key.ptr(), false) {
                    -1 => return null_mut(),
                    1 => return none(),
                    _ => {}
                }
            }
            let Ok((action, item)) = get_filter(category, text.ptr(), lineno, module) else {
                return null_mut();
            };
            let a = uni::as_str(action.ptr()).unwrap_or("").to_string();
            if a == "error" {
                crate::pyerrors::PyErr_SetObject(category, message.ptr());
                return null_mut();
            }
            if a == "ignore" {
                return none();
            }
            let mut rc = 0;
            if a != "always" && a != "all" {
                if has_reg
                    && crate::dictobject::set_item(registry, key.ptr(), crate::boolobject::true_())
                        < 0
                {
                    return null_mut();
                }
                let alt = |n: usize| -> Obj {
                    let zero = Obj::new(crate::longobject::PyLong_FromLong(0));
                    if n == 2 {
                        Obj::new(crate::tupleobject::from_slice(&[text.ptr(), category]))
                    } else {
                        Obj::new(crate::tupleobject::from_slice(&[
                            text.ptr(),
                            category,
                            zero.ptr(),
                        ]))
                    }
                };
                if a == "once" {
                    let reg = if has_reg {
                        Obj::borrowed(registry)
                    } else {
                        match mod_attr("onceregistry") {
                            Some(r) if crate::dictobject::is_dict(r.ptr()) => r,
                            Some(r) => {
                                raise(
                                    &raw mut EXC_TypeError,
                                    &format!(
                                        "_warnings.onceregistry must be a dict, not '{}'",
                                        type_name(r.ptr())
                                    ),
                                );
                                return null_mut();
                            }
                            None => return none(),
                        }
                    };
                    let k = alt(2);
                    rc = already_warned(reg.ptr(), k.ptr(), true);
                } else if a == "module" {
                    if has_reg {
                        let k = alt(2);
                        rc = already_warned(registry, k.ptr(), true);
                    }
                } else if a != "default" {
                    let ar = Obj::new(crate::object::repr(action.ptr()));
                    let ir = Obj::new(crate::object::repr(item.ptr()));
                    if ar.is_null() || ir.is_null() {
                        return null_mut();
                    }
                    return raise(
                        &raw mut crate::pyerrors::EXC_RuntimeError,
                        &format!(
                            "Unrecognized action ({}) in warnings.filters:\n {}",
                            uni::as_str(ar.ptr()).unwrap_or(""),
                            uni::as_str(ir.ptr()).unwrap_or("")
                        ),
                    );
                }
            }
            rc
        };
        match rc {
            1 => none(),
            0 => {
                let src = if source.is_null() {
                    crate::object::none()
                } else {
                    source
                };
                if show(message.ptr(), category, filename, ln.ptr(), src) < 0 {
                    null_mut()
                } else {
                    none()
                }
            }
            _ => null_mut(),
        }
    }
}

/// `_showwarnmsg(WarningMessage(message, category, filename, lineno, None, None, source))`.
unsafe fn show(
    message: *mut PyObject,
    category: *mut PyObject,
    filename: *mut PyObject,
    lineno: *mut PyObject,
    source: *mut PyObject,
) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let Some(f) = mod_attr("_showwarnmsg") else {
            return 0;
        };
        if crate::abstract_::PyCallable_Check(f.ptr()) == 0 {
            raise(
                &raw mut EXC_TypeError,
                "warnings._showwarnmsg() must be set to a callable",
            );
            return -1;
        }
        let Some(cls) = mod_attr("WarningMessage") else {
            raise(
                &raw mut crate::pyerrors::EXC_RuntimeError,
                "unable to get warnings.WarningMessage",
            );
            return -1;
        };
        let n = crate::object::none();
        let msg = call(
            cls.ptr(),
            &[message, category, filename, lineno, n, n, source],
        );
        if msg.is_null() {
            return -1;
        }
        if call(f.ptr(), &[msg.ptr()]).is_null() {
            -1
        } else {
            0
        }
    }
}

/// What `warnings.warn` and the C API do: the category check, then [`warn_explicit`] with
/// the no-frame context (`<sys>`, 0, module `sys`, `sys.__warningregistry__`).
pub(crate) unsafe fn do_warn(
    message: *mut PyObject,
    category: *mut PyObject,
    source: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (category/source may be NULL).
    unsafe {
        if module().is_null() {
            return null_mut();
        }
        let category = if crate::abstract_::PyObject_IsInstance(message, exc("Warning")) == 1 {
            (*message).ob_type.cast::<PyObject>()
        } else if is_none(category) {
            exc("UserWarning")
        } else {
            category
        };
        if !crate::object::is_type(category)
            || crate::object::PyType_IsSubtype(category.cast(), exc("Warning").cast()) == 0
        {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "category must be a Warning subclass, not '{}'",
                    type_name(category)
                ),
            );
        }
        let sys = crate::sysmodule::module();
        if sys.is_null() {
            return null_mut();
        }
        let globals = (*sys.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let mut registry = crate::dictobject::get_str(globals, "__warningregistry__");
        let fresh;
        if registry.is_null() {
            fresh = Obj::new(crate::dictobject::new_dict());
            if set_item(globals, "__warningregistry__", fresh.ptr()).is_err() {
                return null_mut();
            }
            registry = fresh.ptr();
        }
        let reg = Obj::borrowed(registry);
        let modname = crate::dictobject::get_str(globals, "__name__");
        let modname = if modname.is_null() || !uni::is_str(modname) {
            s("<string>")
        } else {
            Obj::borrowed(modname)
        };
        let filename = s("<sys>");
        warn_explicit(
            category,
            message,
            filename.ptr(),
            0,
            modname.ptr(),
            reg.ptr(),
            source,
        )
    }
}

/// The module name CPython derives from a filename: without a ".py" ending (any case),
/// "<unknown>" when empty.
unsafe fn normalize_module(filename: *mut PyObject) -> Obj {
    // SAFETY: a live object.
    let f = unsafe { uni::as_str(filename) }.unwrap_or("");
    let base = if f.len() >= 3
        && f.is_char_boundary(f.len() - 3)
        && f[f.len() - 3..].eq_ignore_ascii_case(".py")
    {
        &f[..f.len() - 3]
    } else {
        f
    };
    s(if base.is_empty() { "<unknown>" } else { base })
}

/// `warn_explicit` for the C API (`PyErr_WarnExplicitObject`): `module` NULL derives it from
/// the filename, `registry` NULL is None.
pub(crate) unsafe fn warn_explicit_c(
    category: *mut PyObject,
    message: *mut PyObject,
    filename: *mut PyObject,
    lineno: isize,
    module: *mut PyObject,
    registry: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (module/registry may be NULL).
    unsafe {
        if self::module().is_null() {
            return null_mut();
        }
        let m = if module.is_null() {
            normalize_module(filename)
        } else {
            Obj::borrowed(module)
        };
        warn_explicit(
            category,
            message,
            filename,
            lineno,
            m.ptr(),
            registry,
            null_mut(),
        )
    }
}

// ---- argument binding for the built-in functions --------------------------------------------------

/// Binds `args`/`kw` to `names` (the first `npos` positional-or-keyword, the rest keyword-only),
/// with argument clinic's messages. Unfilled optional parameters are NULL.
unsafe fn bind(
    fname: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    npos: usize,
    required: usize,
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: an argument tuple and NULL or a dict.
    unsafe {
        let pos = if args.is_null() {
            &[][..]
        } else {
            crate::tupleobject::items(args)
        };
        if pos.len() > npos {
            let what = if npos < names.len() {
                "positional arguments"
            } else {
                "arguments"
            };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{fname}() takes at most {npos} {what} ({} given)",
                    pos.len()
                ),
            );
            return None;
        }
        let mut out: Vec<*mut PyObject> = vec![null_mut(); names.len()];
        out[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let ks = uni::as_str(k).unwrap_or("");
                match names.iter().position(|n| *n == ks) {
                    Some(i) if i < pos.len() => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "argument for {fname}() given by name ('{ks}') and position ({})",
                                i + 1
                            ),
                        );
                        return None;
                    }
                    Some(i) => out[i] = v,
                    None => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{fname}() got an unexpected keyword argument '{ks}'"),
                        );
                        return None;
                    }
                }
            }
        }
        for (i, n) in names.iter().enumerate().take(required) {
            if out[i].is_null() {
                raise(
                    &raw mut EXC_TypeError,
                    &format!("{fname}() missing required argument '{n}' (pos {})", i + 1),
                );
                return None;
            }
        }
        Some(out)
    }
}

unsafe extern "C" fn m_warn(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_VARARGS | METH_KEYWORDS contract.
    unsafe {
        let Some(a) = bind(
            "warn",
            args,
            kw,
            &[
                "message",
                "category",
                "stacklevel",
                "source",
                "skip_file_prefixes",
            ],
            4,
            1,
        ) else {
            return null_mut();
        };
        if !a[2].is_null() {
            let l = crate::abstract_::PyNumber_AsSsize_t(
                a[2],
                (&raw mut crate::pyerrors::EXC_OverflowError).cast(),
            );
            if l == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                return null_mut();
            }
        }
        if !a[4].is_null() {
            if !crate::tupleobject::is_tuple(a[4]) {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "warn() argument 'skip_file_prefixes' must be tuple, not {}",
                        type_name(a[4])
                    ),
                );
            }
            for &p in crate::tupleobject::items(a[4]) {
                if !uni::is_str(p) {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("Found non-str '{}' in skip_file_prefixes.", type_name(p)),
                    );
                }
            }
        }
        do_warn(a[0], a[1], a[3])
    }
}

unsafe extern "C" fn m_warn_explicit(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_VARARGS | METH_KEYWORDS contract.
    unsafe {
        let Some(a) = bind(
            "warn_explicit",
            args,
            kw,
            &[
                "message",
                "category",
                "filename",
                "lineno",
                "module",
                "registry",
                "module_globals",
                "source",
            ],
            8,
            4,
        ) else {
            return null_mut();
        };
        if !uni::is_str(a[2]) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "warn_explicit() argument 'filename' must be str, not {}",
                    type_name(a[2])
                ),
            );
        }
        let ln = crate::abstract_::PyNumber_AsSsize_t(
            a[3],
            (&raw mut crate::pyerrors::EXC_OverflowError).cast(),
        );
        if ln == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
            return null_mut();
        }
        if !a[6].is_null() && !is_none(a[6]) && !crate::dictobject::is_dict(a[6]) {
            return raise(
                &raw mut EXC_TypeError,
                &format!("module_globals must be a dict, not '{}'", type_name(a[6])),
            );
        }
        let module = if a[4].is_null() || is_none(a[4]) {
            normalize_module(a[2])
        } else {
            Obj::borrowed(a[4])
        };
        warn_explicit(a[1], a[0], a[2], ln, module.ptr(), a[5], a[7])
    }
}

unsafe extern "C" fn m_filters_mutated(_m: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    if !LOCK.held_by_me() {
        return raise(
            &raw mut crate::pyerrors::EXC_RuntimeError,
            "warnings lock is not held",
        );
    }
    filters_mutated();
    none()
}

unsafe extern "C" fn m_acquire_lock(_m: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    LOCK.acquire();
    none()
}

unsafe extern "C" fn m_release_lock(_m: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    if LOCK.release() {
        none()
    } else {
        raise(
            &raw mut crate::pyerrors::EXC_RuntimeError,
            "cannot release un-acquired lock",
        )
    }
}

const fn method(name: &'static std::ffi::CStr, f: *mut c_void, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

type KwFn = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type NoArgs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

static mut METHODS: [PyMethodDef; 6] = [
    method(
        c"warn",
        m_warn as KwFn as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"warn_explicit",
        m_warn_explicit as KwFn as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"_filters_mutated_lock_held",
        m_filters_mutated as NoArgs as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"_acquire_lock",
        m_acquire_lock as NoArgs as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"_release_lock",
        m_release_lock as NoArgs as *mut c_void,
        METH_NOARGS,
    ),
    PyMethodDef::END,
];

// ---- the functions written in Python in CPython ---------------------------------------------------

/// `o.name` (NULL with an exception).
unsafe fn attr(o: *mut PyObject, name: &str) -> Obj {
    // SAFETY: a live object.
    unsafe { crate::abc::getattr(o, name) }
}

unsafe fn arg_or_none(a: &[*mut PyObject], i: usize) -> *mut PyObject {
    match a.get(i) {
        Some(&p) if !p.is_null() => p,
        _ => crate::object::none(),
    }
}

/// Calls the module's attribute `name` with `args`.
unsafe fn call_mod(name: &str, args: &[*mut PyObject]) -> Obj {
    // SAFETY: live objects.
    unsafe {
        match mod_attr(name) {
            Some(f) => call(f.ptr(), args),
            None => {
                raise(
                    &raw mut crate::pyerrors::EXC_AttributeError,
                    &format!("module 'warnings' has no attribute '{name}'"),
                );
                Obj::new(null_mut())
            }
        }
    }
}

unsafe fn f_showwarning(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Some(cls) = mod_attr("WarningMessage") else {
            return raise(
                &raw mut crate::pyerrors::EXC_RuntimeError,
                "unable to get warnings.WarningMessage",
            );
        };
        let msg = call(
            cls.ptr(),
            &[a[0], a[1], a[2], a[3], arg_or_none(a, 4), arg_or_none(a, 5)],
        );
        if msg.is_null() {
            return null_mut();
        }
        call_mod("_showwarnmsg_impl", &[msg.ptr()]).into_raw()
    }
}

unsafe fn f_formatwarning(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Some(cls) = mod_attr("WarningMessage") else {
            return raise(
                &raw mut crate::pyerrors::EXC_RuntimeError,
                "unable to get warnings.WarningMessage",
            );
        };
        let n = crate::object::none();
        let msg = call(cls.ptr(), &[a[0], a[1], a[2], a[3], n, arg_or_none(a, 4)]);
        if msg.is_null() {
            return null_mut();
        }
        call_mod("_formatwarnmsg_impl", &[msg.ptr()]).into_raw()
    }
}

unsafe fn f_showwarnmsg_impl(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let msg = a[0];
        let mut file = attr(msg, "file");
        if file.is_null() {
            return null_mut();
        }
        let mut to_stderr = false;
        if is_none(file.ptr()) {
            let sys = crate::sysmodule::module();
            if sys.is_null() {
                return null_mut();
            }
            let d = (*sys.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
            let e = crate::dictobject::get_str(d, "stderr");
            if e.is_null() || is_none(e) {
                return none();
            }
            file = Obj::borrowed(e);
            to_stderr = true;
        }
        let text = call_mod("_formatwarnmsg", &[msg]);
        if text.is_null() {
            return null_mut();
        }
        if to_stderr && crate::warnings::quiet() {
            return none();
        }
        let r = call_method(file.ptr(), "write", &[text.ptr()]);
        if r.is_null() {
            if crate::pyerrors::PyErr_ExceptionMatches(
                (&raw mut crate::pyerrors::EXC_OSError).cast(),
            ) != 0
            {
                crate::pyerrors::PyErr_Clear();
            } else {
                return null_mut();
            }
        }
        none()
    }
}

/// Line `lineno` (1-based) of the file `filename`, as `linecache.getline` finds it on disk
/// ("" when there is none).
fn source_line(filename: &str, lineno: i64) -> String {
    if lineno < 1 {
        return String::new();
    }
    std::fs::read_to_string(filename)
        .ok()
        .and_then(|t| t.lines().nth((lineno - 1) as usize).map(str::to_string))
        .unwrap_or_default()
}

unsafe fn f_formatwarnmsg_impl(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let msg = a[0];
        let parts: Vec<Obj> = ["category", "filename", "lineno", "message", "line"]
            .iter()
            .map(|n| attr(msg, n))
            .collect();
        if parts.iter().any(Obj::is_null) {
            return null_mut();
        }
        let cname = attr(parts[0].ptr(), "__name__");
        if cname.is_null() {
            return null_mut();
        }
        let mut out = String::new();
        for (i, o) in [&parts[1], &parts[2], &cname, &parts[3]].iter().enumerate() {
            let t = Obj::new(crate::object::PyObject_Str(o.ptr()));
            if t.is_null() {
                return null_mut();
            }
            out.push_str(uni::as_str(t.ptr()).unwrap_or(""));
            out.push_str(if i == 3 {
                "\n"
            } else if i == 2 {
                ": "
            } else {
                ":"
            });
            if i == 1 {
                out.push(' ');
            }
        }
        let line = if is_none(parts[4].ptr()) {
            let f = uni::as_str(parts[1].ptr()).unwrap_or("").to_string();
            let n = crate::longobject::PyLong_AsLongLong(parts[2].ptr());
            crate::pyerrors::PyErr_Clear();
            if uni::is_str(parts[1].ptr()) {
                source_line(&f, n)
            } else {
                String::new()
            }
        } else {
            let t = Obj::new(crate::object::PyObject_Str(parts[4].ptr()));
            if t.is_null() {
                return null_mut();
            }
            uni::as_str(t.ptr()).unwrap_or("").to_string()
        };
        let line = line.trim();
        if !line.is_empty() {
            out.push_str(&format!("  {line}\n"));
        }
        uni::from_str(&out)
    }
}

unsafe fn f_showwarnmsg(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let msg = a[0];
        if let Some(sw) = mod_attr("showwarning")
            && sw.ptr() as usize != origs().0
        {
            if crate::abstract_::PyCallable_Check(sw.ptr()) == 0 {
                return raise(
                    &raw mut EXC_TypeError,
                    "warnings.showwarning() must be set to a function or method",
                );
            }
            let parts: Vec<Obj> = ["message", "category", "filename", "lineno", "file", "line"]
                .iter()
                .map(|n| attr(msg, n))
                .collect();
            if parts.iter().any(Obj::is_null) {
                return null_mut();
            }
            let ps: Vec<*mut PyObject> = parts.iter().map(Obj::ptr).collect();
            let r = call(sw.ptr(), &ps);
            return if r.is_null() { null_mut() } else { none() };
        }
        call_mod("_showwarnmsg_impl", &[msg]).into_raw()
    }
}

unsafe fn f_formatwarnmsg(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let msg = a[0];
        if let Some(fw) = mod_attr("formatwarning")
            && fw.ptr() as usize != origs().1
        {
            let parts: Vec<Obj> = ["message", "category", "filename", "lineno", "line"]
                .iter()
                .map(|n| attr(msg, n))
                .collect();
            if parts.iter().any(Obj::is_null) {
                return null_mut();
            }
            let ps: Vec<*mut PyObject> = parts.iter().map(Obj::ptr).collect();
            return call(fw.ptr(), &ps).into_raw();
        }
        call_mod("_formatwarnmsg_impl", &[msg]).into_raw()
    }
}

const ACTIONS: [&str; 7] = [
    "error", "ignore", "always", "all", "default", "module", "once",
];

unsafe fn check_action(action: *mut PyObject) -> Result<(), ()> {
    // SAFETY: a live object.
    unsafe {
        let ok = uni::is_str(action) && ACTIONS.contains(&uni::as_str(action).unwrap_or(""));
        if !ok {
            // `action not in {...}` hashes the action first.
            if crate::object::PyObject_Hash(action) == -1 {
                return Err(());
            }
            let r = Obj::new(crate::object::repr(action));
            if r.is_null() {
                return Err(());
            }
            raise(
                &raw mut EXC_ValueError,
                &format!("invalid action: {}", uni::as_str(r.ptr()).unwrap_or("")),
            );
            return Err(());
        }
        Ok(())
    }
}

/// `lineno` checks shared by `filterwarnings` and `simplefilter`.
unsafe fn check_lineno(lineno: *mut PyObject) -> Result<(), ()> {
    // SAFETY: a live object.
    unsafe {
        if !crate::longobject::is_int(lineno) {
            raise(&raw mut EXC_TypeError, "lineno must be an int");
            return Err(());
        }
        let zero = Obj::new(crate::longobject::PyLong_FromLong(0));
        match crate::abstract_::PyObject_RichCompareBool(lineno, zero.ptr(), crate::object::Py_LT) {
            r if r < 0 => Err(()),
            1 => {
                raise(&raw mut EXC_ValueError, "lineno must be an int >= 0");
                Err(())
            }
            _ => Ok(()),
        }
    }
}

/// `_add_filter(*item, append=append)`.
unsafe fn add_filter(item: &[*mut PyObject], append: bool) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let t = Obj::new(crate::tupleobject::from_slice(item));
        if t.is_null() {
            return null_mut();
        }
        let _g = Held::new();
        let Ok(filters) = get_filters() else {
            return null_mut();
        };
        if !append {
            let r = call_method(filters.ptr(), "remove", &[t.ptr()]);
            if r.is_null() {
                if crate::pyerrors::PyErr_ExceptionMatches(EXC_ValueError_ptr()) != 0 {
                    crate::pyerrors::PyErr_Clear();
                } else {
                    return null_mut();
                }
            }
            if crate::listobject::insert(filters.ptr(), 0, t.ptr()) < 0 {
                return null_mut();
            }
        } else {
            match crate::abstract_::PySequence_Contains(filters.ptr(), t.ptr()) {
                r if r < 0 => return null_mut(),
                0 if crate::listobject::append(filters.ptr(), t.ptr()) < 0 => return null_mut(),
                _ => {}
            }
        }
        filters_mutated();
        none()
    }
}

fn EXC_ValueError_ptr() -> *mut PyObject {
    (&raw mut EXC_ValueError).cast()
}

unsafe fn truthy(o: *mut PyObject) -> Result<bool, ()> {
    if o.is_null() {
        return Ok(false);
    }
    // SAFETY: a live object.
    match unsafe { crate::object::PyObject_IsTrue(o) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

unsafe fn f_filterwarnings(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (action, message, category, module, lineno, append) =
            (a[0], a[1], a[2], a[3], a[4], a[5]);
        if check_action(action).is_err() {
            return null_mut();
        }
        if !message.is_null() && !uni::is_str(message) {
            return raise(&raw mut EXC_TypeError, "message must be a string");
        }
        let category = if category.is_null() {
            exc("Warning")
        } else {
            category
        };
        if !crate::object::is_type(category)
            || crate::abstract_::PyObject_IsSubclass(category, exc("Warning")) != 1
        {
            if !crate::pyerrors::PyErr_Occurred().is_null() {
                return null_mut();
            }
            return raise(
                &raw mut EXC_TypeError,
                "category must be a Warning subclass",
            );
        }
        if !module.is_null() && !uni::is_str(module) {
            return raise(&raw mut EXC_TypeError, "module must be a string");
        }
        let zero = Obj::new(crate::longobject::PyLong_FromLong(0));
        let lineno = if lineno.is_null() { zero.ptr() } else { lineno };
        if check_lineno(lineno).is_err() {
            return null_mut();
        }
        let nonempty = |o: *mut PyObject| !o.is_null() && uni::length(o) > 0;
        let msg = if nonempty(message) {
            Obj::new(new_pattern(message, true))
        } else {
            Obj::new(none())
        };
        if msg.is_null() {
            return null_mut();
        }
        let md = if nonempty(module) {
            Obj::new(new_pattern(module, false))
        } else {
            Obj::new(none())
        };
        if md.is_null() {
            return null_mut();
        }
        let Ok(app) = truthy(append) else {
            return null_mut();
        };
        add_filter(&[action, msg.ptr(), category, md.ptr(), lineno], app)
    }
}

unsafe fn f_simplefilter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (action, category, lineno, append) = (a[0], a[1], a[2], a[3]);
        if check_action(action).is_err() {
            return null_mut();
        }
        let zero = Obj::new(crate::longobject::PyLong_FromLong(0));
        let lineno = if lineno.is_null() { zero.ptr() } else { lineno };
        if check_lineno(lineno).is_err() {
            return null_mut();
        }
        let category = if category.is_null() {
            exc("Warning")
        } else {
            category
        };
        let Ok(app) = truthy(append) else {
            return null_mut();
        };
        let n = crate::object::none();
        add_filter(&[action, n, category, n, lineno], app)
    }
}

unsafe fn f_resetwarnings(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: the filters list is live.
    unsafe {
        let _g = Held::new();
        let Ok(filters) = get_filters() else {
            return null_mut();
        };
        let n = crate::listobject::len(filters.ptr());
        if crate::listobject::PyList_SetSlice(filters.ptr(), 0, n, null_mut()) < 0 {
            return null_mut();
        }
        filters_mutated();
        none()
    }
}

unsafe fn f_filters_mutated(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    let _g = Held::new();
    filters_mutated();
    none()
}

static FUNCS: [FuncDef; 10] = [
    FuncDef::new(
        "showwarning",
        &["message", "category", "filename", "lineno", "file", "line"],
        4,
        Kind::Static,
        f_showwarning,
    ),
    FuncDef::new(
        "formatwarning",
        &["message", "category", "filename", "lineno", "line"],
        4,
        Kind::Static,
        f_formatwarning,
    ),
    FuncDef::new(
        "filterwarnings",
        &[
            "action", "message", "category", "module", "lineno", "append",
        ],
        1,
        Kind::Static,
        f_filterwarnings,
    ),
    FuncDef::new(
        "simplefilter",
        &["action", "category", "lineno", "append"],
        1,
        Kind::Static,
        f_simplefilter,
    ),
    FuncDef::new("resetwarnings", &[], 0, Kind::Static, f_resetwarnings),
    FuncDef::new(
        "_showwarnmsg_impl",
        &["msg"],
        1,
        Kind::Static,
        f_showwarnmsg_impl,
    ),
    FuncDef::new(
        "_formatwarnmsg_impl",
        &["msg"],
        1,
        Kind::Static,
        f_formatwarnmsg_impl,
    ),
    FuncDef::new("_showwarnmsg", &["msg"], 1, Kind::Static, f_showwarnmsg),
    FuncDef::new("_formatwarnmsg", &["msg"], 1, Kind::Static, f_formatwarnmsg),
    FuncDef::new("_filters_mutated", &[], 0, Kind::Static, f_filters_mutated),
];

// ---- WarningMessage ---------------------------------------------------------------------------------

const DETAILS: [&str; 7] = [
    "message", "category", "filename", "lineno", "file", "line", "source",
];

unsafe fn wm_init(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let me = a[0];
        for (i, n) in DETAILS.iter().enumerate() {
            let v = arg_or_none(a, i + 1);
            if crate::object::PyObject_SetAttr(me, s(n).ptr(), v) < 0 {
                return null_mut();
            }
        }
        let cat = a[2];
        let cn = if truthy(cat).unwrap_or(false) {
            attr(cat, "__name__")
        } else {
            crate::pyerrors::PyErr_Clear();
            Obj::new(none())
        };
        if cn.is_null()
            || crate::object::PyObject_SetAttr(me, s("_category_name").ptr(), cn.ptr()) < 0
        {
            return null_mut();
        }
        none()
    }
}

unsafe fn repr_of(o: *mut PyObject) -> Option<String> {
    // SAFETY: a live object.
    unsafe {
        let r = Obj::new(crate::object::repr(o));
        if r.is_null() {
            None
        } else {
            uni::as_str(r.ptr()).map(str::to_string)
        }
    }
}

unsafe fn str_of(o: *mut PyObject) -> Option<String> {
    // SAFETY: a live object.
    unsafe {
        let r = Obj::new(crate::object::PyObject_Str(o));
        if r.is_null() {
            None
        } else {
            uni::as_str(r.ptr()).map(str::to_string)
        }
    }
}

unsafe fn wm_str(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let me = a[0];
        let get = |n: &str| attr(me, n);
        let (m, c, f, l, ln) = (
            get("message"),
            get("_category_name"),
            get("filename"),
            get("lineno"),
            get("line"),
        );
        if m.is_null() || c.is_null() || f.is_null() || l.is_null() || ln.is_null() {
            return null_mut();
        }
        let (Some(m), Some(c), Some(f), Some(l), Some(ln)) = (
            repr_of(m.ptr()),
            repr_of(c.ptr()),
            repr_of(f.ptr()),
            str_of(l.ptr()),
            repr_of(ln.ptr()),
        ) else {
            return null_mut();
        };
        uni::from_str(&format!(
            "{{message : {m}, category : {c}, filename : {f}, lineno : {l}, line : {ln}}}"
        ))
    }
}

unsafe fn wm_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let me = a[0];
        let t = (*me).ob_type.cast::<PyObject>();
        let q = attr(t, "__qualname__");
        if q.is_null() {
            return null_mut();
        }
        let (Some(q), Some(st)) = (str_of(q.ptr()), str_of(me)) else {
            return null_mut();
        };
        uni::from_str(&format!("<{q} {st}>"))
    }
}

static WM_FUNCS: [FuncDef; 3] = [
    FuncDef::new(
        "WarningMessage.__init__",
        &[
            "self", "message", "category", "filename", "lineno", "file", "line", "source",
        ],
        5,
        Kind::Method,
        wm_init,
    ),
    FuncDef::new("WarningMessage.__str__", &["self"], 1, Kind::Method, wm_str),
    FuncDef::new(
        "WarningMessage.__repr__",
        &["self"],
        1,
        Kind::Method,
        wm_repr,
    ),
];

// ---- catch_warnings ---------------------------------------------------------------------------------

unsafe fn setattr(o: *mut PyObject, n: &str, v: *mut PyObject) -> Result<(), ()> {
    // SAFETY: live objects.
    if v.is_null() || unsafe { crate::object::PyObject_SetAttr(o, s(n).ptr(), v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

unsafe fn warnings_in_sys_modules() -> Obj {
    // SAFETY: sys.modules is live.
    unsafe {
        let m = crate::import::PyImport_GetModuleDict();
        let w = if m.is_null() {
            null_mut()
        } else {
            crate::dictobject::get_str(m, "warnings")
        };
        if w.is_null() {
            raise(&raw mut crate::pyerrors::EXC_KeyError, "'warnings'");
            return Obj::new(null_mut());
        }
        Obj::borrowed(w)
    }
}

unsafe fn cw_init(a: &[*mut PyObject], kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let me = a[0];
        let names = ["record", "module", "action", "category", "lineno", "append"];
        let mut v: [*mut PyObject; 6] = [null_mut(); 6];
        if !kw.is_null() {
            for (k, val) in crate::dictobject::entries(kw) {
                let ks = uni::as_str(k).unwrap_or("");
                match names.iter().position(|n| *n == ks) {
                    Some(i) => v[i] = val,
                    None => {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "catch_warnings.__init__() got an unexpected keyword argument '{ks}'"
                            ),
                        );
                    }
                }
            }
        }
        let f = crate::boolobject::false_();
        let zero = Obj::new(crate::longobject::PyLong_FromLong(0));
        let record = if v[0].is_null() { f } else { v[0] };
        let module = if is_none(v[1]) {
            warnings_in_sys_modules()
        } else {
            Obj::borrowed(v[1])
        };
        if module.is_null() {
            return null_mut();
        }
        let filt = if is_none(v[2]) {
            Obj::new(none())
        } else {
            let cat = if v[3].is_null() { exc("Warning") } else { v[3] };
            let ln = if v[4].is_null() { zero.ptr() } else { v[4] };
            let ap = if v[5].is_null() { f } else { v[5] };
            Obj::new(crate::tupleobject::from_slice(&[v[2], cat, ln, ap]))
        };
        if setattr(me, "_record", record).is_err()
            || setattr(me, "_module", module.ptr()).is_err()
            || setattr(me, "_entered", f).is_err()
            || setattr(me, "_filter", filt.ptr()).is_err()
        {
            return null_mut();
        }
        none()
    }
}

unsafe fn cw_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let me = a[0];
        let mut args: Vec<String> = Vec::new();
        let rec = attr(me, "_record");
        if rec.is_null() {
            return null_mut();
        }
        match truthy(rec.ptr()) {
            Err(()) => return null_mut(),
            Ok(true) => args.push("record=True".into()),
            Ok(false) => {}
        }
        let m = attr(me, "_module");
        let w = warnings_in_sys_modules();
        if m.is_null() || w.is_null() {
            return null_mut();
        }
        if m.ptr() != w.ptr() {
            let Some(r) = repr_of(m.ptr()) else {
                return null_mut();
            };
            args.push(format!("module={r}"));
        }
        let t = (*me).ob_type.cast::<PyObject>();
        let n = attr(t, "__name__");
        let Some(n) = (if n.is_null() { None } else { str_of(n.ptr()) }) else {
            return null_mut();
        };
        uni::from_str(&format!("{n}({})", args.join(", ")))
    }
}

unsafe fn cw_enter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let me = a[0];
        let entered = attr(me, "_entered");
        if entered.is_null() {
            return null_mut();
        }
        if truthy(entered.ptr()).unwrap_or(false) {
            let Some(r) = repr_of(me) else {
                return null_mut();
            };
            return raise(
                &raw mut crate::pyerrors::EXC_RuntimeError,
                &format!("Cannot enter {r} twice"),
            );
        }
        if setattr(me, "_entered", crate::boolobject::true_()).is_err() {
            return null_mut();
        }
        let m = attr(me, "_module");
        if m.is_null() {
            return null_mut();
        }
        let m = m.ptr();
        let log;
        {
            let _g = Held::new();
            let filters = attr(m, "filters");
            if filters.is_null() || setattr(me, "_filters", filters.ptr()).is_err() {
                return null_mut();
            }
            let copy = Obj::new(crate::abstract_::PySequence_List(filters.ptr()));
            if copy.is_null() || setattr(m, "filters", copy.ptr()).is_err() {
                return null_mut();
            }
            let impl_ = attr(m, "_showwarnmsg_impl");
            if impl_.is_null() || setattr(me, "_showwarnmsg_impl", impl_.ptr()).is_err() {
                return null_mut();
            }
            let sw = attr(m, "showwarning");
            if sw.is_null() || setattr(me, "_showwarning", sw.ptr()).is_err() {
                return null_mut();
            }
            if call_method(m, "_filters_mutated_lock_held", &[]).is_null() {
                return null_mut();
            }
            let rec = attr(me, "_record");
            if rec.is_null() {
                return null_mut();
            }
            let Ok(rec) = truthy(rec.ptr()) else {
                return null_mut();
            };
            if rec {
                log = Obj::new(crate::listobject::new_list(0));
                let app = attr(log.ptr(), "append");
                if app.is_null() || setattr(m, "_showwarnmsg_impl", app.ptr()).is_err() {
                    return null_mut();
                }
                let orig = attr(m, "_showwarning_orig");
                if orig.is_null() || setattr(m, "showwarning", orig.ptr()).is_err() {
                    return null_mut();
                }
            } else {
                log = Obj::new(none());
            }
        }
        let filt = attr(me, "_filter");
        if filt.is_null() {
            return null_mut();
        }
        if !is_none(filt.ptr()) {
            let sf = attr(m, "simplefilter");
            if sf.is_null() {
                return null_mut();
            }
            let r = Obj::new(crate::abstract_::PyObject_Call(
                sf.ptr(),
                filt.ptr(),
                null_mut(),
            ));
            if r.is_null() {
                return null_mut();
            }
        }
        log.into_raw()
    }
}

unsafe fn cw_exit(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let me = a[0];
        let entered = attr(me, "_entered");
        if entered.is_null() {
            return null_mut();
        }
        if !truthy(entered.ptr()).unwrap_or(false) {
            let Some(r) = repr_of(me) else {
                return null_mut();
            };
            return raise(
                &raw mut crate::pyerrors::EXC_RuntimeError,
                &format!("Cannot exit {r} without entering first"),
            );
        }
        let m = attr(me, "_module");
        if m.is_null() {
            return null_mut();
        }
        let m = m.ptr();
        let _g = Held::new();
        for (mine, theirs) in [
            ("_filters", "filters"),
            ("_showwarnmsg_impl", "_showwarnmsg_impl"),
            ("_showwarning", "showwarning"),
        ] {
            let v = attr(me, mine);
            if v.is_null() || setattr(m, theirs, v.ptr()).is_err() {
                return null_mut();
            }
        }
        if call_method(m, "_filters_mutated_lock_held", &[]).is_null() {
            return null_mut();
        }
        none()
    }
}

static CW_FUNCS: [FuncDef; 4] = [
    FuncDef::new(
        "catch_warnings.__init__",
        &["self"],
        1,
        Kind::Method,
        cw_init,
    )
    .with_kwargs(),
    FuncDef::new(
        "catch_warnings.__repr__",
        &["self"],
        1,
        Kind::Method,
        cw_repr,
    ),
    FuncDef::new(
        "catch_warnings.__enter__",
        &["self"],
        1,
        Kind::Method,
        cw_enter,
    ),
    FuncDef::new(
        "catch_warnings.__exit__",
        &["self"],
        1,
        Kind::Method,
        cw_exit,
    )
    .with_varargs(),
];

// ---- deprecated ---------------------------------------------------------------------------------------

unsafe fn dep_init(a: &[*mut PyObject], kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let me = a[0];
        if a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "deprecated.__init__() takes 2 positional arguments but {} were given",
                    a.len()
                ),
            );
        }
        let Some(&message) = a.get(1) else {
            let by_name = !kw.is_null() && !crate::dictobject::get_str(kw, "message").is_null();
            return raise(
                &raw mut EXC_TypeError,
                if by_name {
                    "deprecated.__init__() got some positional-only arguments passed as keyword arguments: 'message'"
                } else {
                    "deprecated.__init__() missing 1 required positional argument: 'message'"
                },
            );
        };
        let mut category = exc("DeprecationWarning");
        let one = Obj::new(crate::longobject::PyLong_FromLong(1));
        let mut stacklevel = one.ptr();
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                match uni::as_str(k).unwrap_or("") {
                    "category" => category = v,
                    "stacklevel" => stacklevel = v,
                    ks => {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "deprecated.__init__() got an unexpected keyword argument '{ks}'"
                            ),
                        );
                    }
                }
            }
        }
        if !uni::is_str(message) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "Expected an object of type str for 'message', not '{}'",
                    type_name(message)
                ),
            );
        }
        if setattr(me, "message", message).is_err()
            || setattr(me, "category", category).is_err()
            || setattr(me, "stacklevel", stacklevel).is_err()
        {
            return null_mut();
        }
        none()
    }
}

unsafe fn dep_call(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (me, arg) = (a[0], a[1]);
        let msg = attr(me, "message");
        let cat = attr(me, "category");
        if msg.is_null() || cat.is_null() {
            return null_mut();
        }
        if is_none(cat.ptr()) {
            if setattr(arg, "__deprecated__", msg.ptr()).is_err() {
                return null_mut();
            }
            return new_ref(arg);
        }
        if crate::object::is_type(arg) {
            return raise(
                &raw mut crate::pyerrors::EXC_NotImplementedError,
                "gilgate runs no Python code: deprecated(...) with a category on a class replaces its __new__ and __init_subclass__ with Python functions",
            );
        }
        if crate::abstract_::PyCallable_Check(arg) != 0 {
            let sl = attr(me, "stacklevel");
            if sl.is_null() {
                return null_mut();
            }
            return new_wrapper(arg, msg.ptr(), cat.ptr(), sl.ptr());
        }
        let Some(r) = repr_of(arg) else {
            return null_mut();
        };
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "@deprecated decorator with non-None category must be applied to a class or callable, not {r}"
            ),
        )
    }
}

static DEP_FUNCS: [FuncDef; 2] = [
    FuncDef::new("deprecated.__init__", &["self"], 1, Kind::Method, dep_init)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new(
        "deprecated.__call__",
        &["self", "arg"],
        2,
        Kind::Method,
        dep_call,
    ),
];

// ---- the function `deprecated` returns for a callable ---------------------------------------------

/// What `@deprecated(msg, category=..., stacklevel=...)` returns for a callable that is not a
/// class: a function (CPython's is a Python function made by `functools.wraps`) that warns,
/// then calls the callable; it binds as a method, and its attributes live in its `__dict__`.
#[repr(C)]
struct Wrapper {
    ob_base: PyObject,
    wrapped: *mut PyObject,
    msg: *mut PyObject,
    category: *mut PyObject,
    stacklevel: *mut PyObject,
    dict: *mut PyObject,
}

static mut Wrapper_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(wrapper_dealloc),
    tp_repr: Some(wrapper_repr),
    tp_call: Some(wrapper_call),
    tp_descr_get: Some(wrapper_descr_get),
    tp_dictoffset: std::mem::offset_of!(Wrapper, dict) as isize,
    ..crate::object::static_type(c"function", std::mem::size_of::<Wrapper>(), 0, 0)
};

unsafe extern "C" fn wrapper_dealloc(op: *mut PyObject) {
    // SAFETY: a dead Wrapper (slot contract).
    unsafe {
        let w = op.cast::<Wrapper>();
        for p in [
            (*w).wrapped,
            (*w).msg,
            (*w).category,
            (*w).stacklevel,
            (*w).dict,
        ] {
            xdecref(p);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn wrapper_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Wrapper.
    unsafe {
        let q = crate::abc::getattr_opt(op, "__qualname__");
        let name = match q {
            Ok(Some(q)) => str_of(q.ptr()).unwrap_or_default(),
            Ok(None) => "wrapper".to_string(),
            Err(()) => return null_mut(),
        };
        uni::from_str(&format!("<function {name} at {op:p}>"))
    }
}

unsafe extern "C" fn wrapper_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live Wrapper; args a tuple, kw NULL or a dict (tp_call contract).
    unsafe {
        let w = op.cast::<Wrapper>();
        let Some(warn) = mod_attr("warn") else {
            return raise(
                &raw mut crate::pyerrors::EXC_AttributeError,
                "module 'warnings' has no attribute 'warn'",
            );
        };
        let one = Obj::new(crate::longobject::PyLong_FromLong(1));
        let level = Obj::new(crate::abstract_::PyNumber_Add((*w).stacklevel, one.ptr()));
        if level.is_null() {
            return null_mut();
        }
        let kws = Obj::new(crate::dictobject::new_dict());
        if set_item(kws.ptr(), "category", (*w).category).is_err()
            || set_item(kws.ptr(), "stacklevel", level.ptr()).is_err()
        {
            return null_mut();
        }
        let a = Obj::new(crate::tupleobject::from_slice(&[(*w).msg]));
        let r = Obj::new(crate::abstract_::PyObject_Call(
            warn.ptr(),
            a.ptr(),
            kws.ptr(),
        ));
        if r.is_null() {
            return null_mut();
        }
        let args = if args.is_null() {
            Obj::new(crate::tupleobject::from_slice(&[]))
        } else {
            Obj::borrowed(args)
        };
        crate::abstract_::PyObject_Call((*w).wrapped, args.ptr(), kw)
    }
}

unsafe extern "C" fn wrapper_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if is_none(obj) {
            return new_ref(op);
        }
        crate::classobject::PyMethod_New(op, obj)
    }
}

/// The wrapper for `arg`, with `functools.wraps(arg)`'s attributes, and `__deprecated__` set
/// on `arg` (first, as CPython's chained assignment does) and on the wrapper.
unsafe fn new_wrapper(
    arg: *mut PyObject,
    msg: *mut PyObject,
    category: *mut PyObject,
    stacklevel: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let op = Obj::new(crate::objimpl::alloc_object(&raw mut Wrapper_Type, 0));
        if op.is_null() {
            return null_mut();
        }
        let w = op.ptr().cast::<Wrapper>();
        (*w).wrapped = new_ref(arg);
        (*w).msg = new_ref(msg);
        (*w).category = new_ref(category);
        (*w).stacklevel = new_ref(stacklevel);
        (*w).dict = null_mut();
        for name in [
            "__module__",
            "__name__",
            "__qualname__",
            "__doc__",
            "__annotate__",
            "__type_params__",
        ] {
            match crate::abc::getattr_opt(arg, name) {
                Err(()) => return null_mut(),
                Ok(None) => {}
                Ok(Some(v)) => {
                    if setattr(op.ptr(), name, v.ptr()).is_err() {
                        return null_mut();
                    }
                }
            }
        }
        match crate::abc::getattr_opt(arg, "__dict__") {
            Err(()) => return null_mut(),
            Ok(None) => {}
            Ok(Some(d)) => {
                let mine = attr(op.ptr(), "__dict__");
                if mine.is_null() || call_method(mine.ptr(), "update", &[d.ptr()]).is_null() {
                    return null_mut();
                }
            }
        }
        if setattr(op.ptr(), "__wrapped__", arg).is_err()
            || setattr(arg, "__deprecated__", msg).is_err()
            || setattr(op.ptr(), "__deprecated__", msg).is_err()
        {
            return null_mut();
        }
        op.into_raw()
    }
}

// ---- the modules ------------------------------------------------------------------------------------------

/// The module (its address).
static MODULE: OnceLock<usize> = OnceLock::new();
/// The addresses of `_warnings`, the original `showwarning` and `formatwarning`, set by `build`.
static PARTS: OnceLock<(usize, usize, usize)> = OnceLock::new();

fn origs() -> (usize, usize) {
    PARTS.get().map_or((0, 0), |&(_, a, b)| (a, b))
}

/// The `warnings` module (borrowed, process-lifetime; NULL with an exception if it could not be
/// made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "warnings", build)
}

/// The `_warnings` module (borrowed, process-lifetime).
pub(crate) fn c_module() -> *mut PyObject {
    module();
    let w = PARTS.get().map_or(0, |&(w, ..)| w);
    if w == 0 {
        crate::pyerrors::set_system_error("gilgate: the _warnings module could not be created");
    }
    w as *mut PyObject
}

/// The default filters of a release build (`-W` and `-X dev` absent).
unsafe fn default_filters() -> Obj {
    // SAFETY: live objects.
    unsafe {
        let l = Obj::new(crate::listobject::new_list(0));
        if l.is_null() {
            return l;
        }
        let zero = Obj::new(crate::longobject::PyLong_FromLong(0));
        let n = crate::object::none();
        let main = s("__main__");
        for (action, cat, module) in [
            ("default", "DeprecationWarning", main.ptr()),
            ("ignore", "DeprecationWarning", n),
            ("ignore", "PendingDeprecationWarning", n),
            ("ignore", "ImportWarning", n),
            ("ignore", "ResourceWarning", n),
        ] {
            let a = uni::intern(action);
            let t = Obj::new(crate::tupleobject::from_slice(&[
                a,
                n,
                exc(cat),
                module,
                zero.ptr(),
            ]));
            if t.is_null() || crate::listobject::append(l.ptr(), t.ptr()) < 0 {
                return Obj::new(null_mut());
            }
        }
        l
    }
}

fn build() -> *mut PyObject {
    match build_parts() {
        Some((m, cm, sw, fw)) => {
            let _ = PARTS.set((cm, sw, fw));
            m as *mut PyObject
        }
        None => null_mut(),
    }
}

fn build_parts() -> Option<(usize, usize, usize, usize)> {
    // SAFETY: every object put in the dicts is live.
    unsafe {
        let m = crate::moduleobject::new_module(uni::intern("warnings"));
        let cm = crate::moduleobject::new_module(uni::intern("_warnings"));
        if m.is_null() || cm.is_null() {
            return None;
        }
        if crate::moduleobject::add_functions(cm, (&raw mut METHODS).cast()) < 0 {
            return None;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let cd = (*cm.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        for n in [
            "warn",
            "warn_explicit",
            "_filters_mutated_lock_held",
            "_acquire_lock",
            "_release_lock",
        ] {
            set_item(d, n, crate::dictobject::get_str(cd, n)).ok()?;
        }
        let filters = default_filters();
        let once = Obj::new(crate::dictobject::new_dict());
        let dflt = s("default");
        for (dict, prefix) in [(d, ""), (cd, "_")] {
            set_item(dict, "filters", filters.ptr()).ok()?;
            set_item(dict, &format!("{prefix}onceregistry"), once.ptr()).ok()?;
            set_item(dict, &format!("{prefix}defaultaction"), dflt.ptr()).ok()?;
        }
        set_item(d, "sys", crate::sysmodule::module()).ok()?;
        add_funcs(d, &FUNCS).ok()?;
        let sw = crate::dictobject::get_str(d, "showwarning");
        let fw = crate::dictobject::get_str(d, "formatwarning");
        set_item(d, "_showwarning_orig", sw).ok()?;
        set_item(d, "_formatwarning_orig", fw).ok()?;
        let obj = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        let ty = &raw mut crate::object::PyType_Type;
        let details: Vec<Obj> = DETAILS.iter().map(|n| s(n)).collect();
        let dp: Vec<*mut PyObject> = details.iter().map(Obj::ptr).collect();
        let dt = Obj::new(crate::tupleobject::from_slice(&dp));
        let wm = make_class(
            ty,
            "_py_warnings",
            "WarningMessage",
            &[obj],
            &WM_FUNCS,
            &[("_WARNING_DETAILS", dt.ptr())],
        );
        let cw = make_class(ty, "_py_warnings", "catch_warnings", &[obj], &CW_FUNCS, &[]);
        let dep = make_class(ty, "_py_warnings", "deprecated", &[obj], &DEP_FUNCS, &[]);
        for (name, c) in [
            ("WarningMessage", &wm),
            ("catch_warnings", &cw),
            ("deprecated", &dep),
        ] {
            if c.is_null() {
                return None;
            }
            set_item(d, name, c.ptr()).ok()?;
        }
        let all: Vec<Obj> = [
            "warn",
            "warn_explicit",
            "showwarning",
            "formatwarning",
            "filterwarnings",
            "simplefilter",
            "resetwarnings",
            "catch_warnings",
            "deprecated",
        ]
        .iter()
        .map(|n| s(n))
        .collect();
        let ptrs: Vec<*mut PyObject> = all.iter().map(Obj::ptr).collect();
        let l = Obj::new(crate::listobject::from_slice(&ptrs));
        set_item(d, "__all__", l.ptr()).ok()?;
        Some((m as usize, cm as usize, sw as usize, fw as usize))
    }
}
