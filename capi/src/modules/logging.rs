//! gilgate's own `logging` module (CPython's `Lib/logging/__init__.py`, written natively).
//!
//! Every class is made by `type(name, bases, ns)` with [`Func`](crate::abc::Func) methods, and
//! the methods call each other through attribute lookup on the instance (`self.emit(record)`,
//! `self.format(record)`, `hdlr.handle(record)`, `self.findCaller(...)`, ...), so classes
//! derived from them (by extensions, or by `type(...)`) override them as in CPython. Module
//! state lives in the module's dict (`_levelToName`, `_nameToLevel`, `_lock`, `_handlers`,
//! `_handlerList`, `_logRecordFactory`, `_loggerClass`, `root`, `lastResort`,
//! `raiseExceptions`, ...) and is read from there at each use, as CPython reads its globals.
//!
//! No Python frame ever runs in gilgate, so `currentframe()` returns None and `findCaller`
//! answers what CPython answers without a frame: `('(unknown file)', 0, '(unknown
//! function)', None)`, also for `stack_info=True`. `handleError` prints the exception as
//! `traceback.print_exception` would (only extension entries exist) and then the
//! "Logged from file ..." line CPython writes when no frame is found. `Formatter.formatException`
//! formats natively (gilgate has no `traceback` module), `FileHandler` opens its file with
//! `builtins.open`, which gilgate does not provide (`delay=True` handlers are made; opening
//! raises `NotImplementedError`).

use crate::abc::{FuncDef, Kind, Obj, add_funcs, make_class, new_func};
use crate::object::{PyObject, PyTypeObject};
use crate::pyerrors::{
    EXC_Exception, EXC_KeyError, EXC_NameError, EXC_NotImplementedError, EXC_RecursionError,
    EXC_TypeError, EXC_ValueError, raise,
};
use crate::unicodeobject as uni;
use std::ffi::c_int;
use std::ptr::null_mut;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, Ordering};

type R = Result<Obj, ()>;

static MODULE: OnceLock<usize> = OnceLock::new();
static START_NS: OnceLock<i128> = OnceLock::new();
static MDICT: AtomicPtr<PyObject> = AtomicPtr::new(null_mut());

/// The `logging` module (borrowed, process-lifetime; NULL with an exception if it could not
/// be made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "logging", || {
        build().map_or(null_mut(), |m| m as *mut PyObject)
    })
}

// ---- small helpers ---------------------------------------------------------------------------

fn ok(o: Obj) -> R {
    if o.is_null() { Err(()) } else { Ok(o) }
}

fn s(v: &str) -> R {
    ok(Obj::new(uni::from_str(v)))
}

fn int(v: i64) -> R {
    ok(Obj::new(crate::longobject::from_i128(i128::from(v))))
}

fn none() -> *mut PyObject {
    crate::object::none()
}

fn is_none(p: *mut PyObject) -> bool {
    p.is_null() || p == none()
}

fn text(o: *mut PyObject) -> Option<String> {
    // SAFETY: a live object; the type is checked first.
    unsafe {
        if o.is_null() || !uni::is_str(o) {
            return None;
        }
        uni::as_str(o).map(str::to_string)
    }
}

fn err<T>(t: *mut PyTypeObject, msg: &str) -> Result<T, ()> {
    raise(t, msg);
    Err(())
}

unsafe fn ga(o: *mut PyObject, name: &str) -> R {
    // SAFETY: a live object (caller).
    ok(unsafe { crate::abc::getattr(o, name) })
}

unsafe fn ga_opt(o: *mut PyObject, name: &str) -> Result<Option<Obj>, ()> {
    // SAFETY: a live object (caller).
    unsafe { crate::abc::getattr_opt(o, name) }
}

unsafe fn sa(o: *mut PyObject, name: &str, v: *mut PyObject) -> Result<(), ()> {
    let n = s(name)?;
    // SAFETY: live objects (caller).
    if unsafe { crate::object::setattr(o, n.ptr(), v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

unsafe fn cm(o: *mut PyObject, name: &str, args: &[*mut PyObject]) -> R {
    // SAFETY: live objects (caller).
    ok(unsafe { crate::abc::call_method(o, name, args) })
}

unsafe fn call(f: *mut PyObject, args: &[*mut PyObject]) -> R {
    // SAFETY: live objects (caller).
    ok(unsafe { crate::abc::call(f, args) })
}

/// `f(*args, **kw)` (`kw` NULL or a dict).
unsafe fn call_kw(f: *mut PyObject, args: &[*mut PyObject], kw: *mut PyObject) -> R {
    let t = tuple(args)?;
    // SAFETY: live objects (caller).
    ok(Obj::new(unsafe { crate::abstract_::call(f, t.ptr(), kw) }))
}

fn tuple(items: &[*mut PyObject]) -> R {
    // SAFETY: live items (caller).
    ok(Obj::new(unsafe { crate::tupleobject::from_slice(items) }))
}

unsafe fn truth(o: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: a live object (caller).
    unsafe { crate::abc::truth(o) }
}

unsafe fn str_of(o: *mut PyObject) -> R {
    // SAFETY: a live object (caller).
    ok(Obj::new(unsafe { crate::object::str(o) }))
}

unsafe fn repr_of(o: *mut PyObject) -> R {
    // SAFETY: a live object (caller).
    ok(Obj::new(unsafe { crate::object::repr(o) }))
}

unsafe fn isinstance(o: *mut PyObject, cls: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PyObject_IsInstance(o, cls) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

unsafe fn cmp(a: *mut PyObject, b: *mut PyObject, op: c_int) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::rich_compare_bool(a, b, op) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

const EQ: c_int = 2;
const GE: c_int = 5;

unsafe fn contains(container: *mut PyObject, v: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PySequence_Contains(container, v) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

unsafe fn getitem(o: *mut PyObject, k: *mut PyObject) -> R {
    // SAFETY: live objects (caller).
    ok(Obj::new(unsafe {
        crate::abstract_::PyObject_GetItem(o, k)
    }))
}

unsafe fn setitem(o: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> Result<(), ()> {
    // SAFETY: live objects (caller).
    if unsafe { crate::abstract_::PyObject_SetItem(o, k, v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

unsafe fn length(o: *mut PyObject) -> Result<usize, ()> {
    // SAFETY: a live object (caller).
    let n = unsafe { crate::abstract_::PyObject_Length(o) };
    if n < 0 { Err(()) } else { Ok(n as usize) }
}

unsafe fn items(o: *mut PyObject) -> Result<Vec<Obj>, ()> {
    // SAFETY: a live object (caller).
    unsafe { crate::abc::collect(o) }
}

fn new_dict() -> R {
    ok(Obj::new(crate::dictobject::new_dict()))
}

fn new_list() -> R {
    ok(Obj::new(crate::listobject::new_list(0)))
}

fn as_i64(o: *mut PyObject) -> Option<i64> {
    // SAFETY: a live object; the type is checked first.
    unsafe {
        if !crate::abstract_::is_long(o) {
            return None;
        }
        let v = crate::longobject::PyLong_AsLongLong(o);
        if v == -1 && crate::pyerrors::occurred() {
            crate::pyerrors::clear();
            return None;
        }
        Some(v)
    }
}

fn import(name: &std::ffi::CStr) -> R {
    // SAFETY: a NUL-terminated name.
    ok(Obj::new(unsafe {
        crate::import::PyImport_ImportModule(name.as_ptr())
    }))
}

/// The module's dict (borrowed): set when `build` starts filling it (so the code that builds
/// the module reads its globals too), the module made on first use otherwise.
fn mdict() -> *mut PyObject {
    let d = MDICT.load(Ordering::Acquire);
    if !d.is_null() {
        return d;
    }
    let m = module();
    if m.is_null() {
        return null_mut();
    }
    MDICT.load(Ordering::Acquire)
}

/// A module global, read now (CPython reads its globals at each use).
fn g(name: &str) -> R {
    let d = mdict();
    if d.is_null() {
        return Err(());
    }
    // SAFETY: the module dict is live.
    let v = unsafe { crate::dictobject::get_str(d, name) };
    if v.is_null() {
        if crate::pyerrors::occurred() {
            return Err(());
        }
        return err(
            &raw mut EXC_NameError,
            &format!("name '{name}' is not defined"),
        );
    }
    Ok(Obj::borrowed(v))
}

fn set_g(name: &str, v: *mut PyObject) -> Result<(), ()> {
    let d = mdict();
    // SAFETY: the module dict is live; `v` live.
    if d.is_null() || unsafe { crate::dictobject::set_item_str(d, name, v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

/// Runs `f` holding `lock` (`with lock:`): released also when `f` fails, keeping its error.
unsafe fn with_lock<T>(lock: *mut PyObject, f: impl FnOnce() -> Result<T, ()>) -> Result<T, ()> {
    // SAFETY: a live lock (caller).
    unsafe {
        cm(lock, "__enter__", &[])?;
        let r = f();
        let saved = crate::pyerrors::take_raised();
        let n = none();
        let rel = cm(lock, "__exit__", &[n, n, n]);
        if rel.is_err() {
            crate::refcount::xdecref(saved);
            return Err(());
        }
        crate::pyerrors::restore_raised(saved);
        r
    }
}

/// `with _lock:` (the module's reentrant lock).
unsafe fn with_module_lock<T>(f: impl FnOnce() -> Result<T, ()>) -> Result<T, ()> {
    let l = g("_lock")?;
    // SAFETY: a live lock.
    unsafe { with_lock(l.ptr(), f) }
}

/// Swaps the exception of the top entry of the thread's handled-exception stack
/// (`sys.exception()` inside an `except` block); returns the old one (owned, may be NULL).
fn swap_handled(exc: *mut PyObject) -> *mut PyObject {
    let ts = crate::pystate::current();
    // SAFETY: the state belongs to this thread; `exc_info` is never NULL on a live state.
    unsafe {
        if ts.is_null() || (*ts).exc_info.is_null() {
            return null_mut();
        }
        let item = (*ts).exc_info;
        crate::refcount::xincref(exc);
        std::mem::replace(&mut (*item).exc_value, exc)
    }
}

/// Declares a [`Func`](crate::abc::Func) body: `$a` the positional arguments, `$kw` the
/// `**kwargs` dict (NULL when none), the block evaluating to `R`.
macro_rules! body {
    ($name:ident, $a:ident, $kw:ident, $e:block) => {
        #[allow(unused_variables, unused_unsafe)]
        unsafe fn $name($a: &[*mut PyObject], $kw: *mut PyObject) -> *mut PyObject {
            let f = || -> R {
                // SAFETY: live arguments (Func contract); every object used is live.
                unsafe { $e }
            };
            match f() {
                Ok(o) => o.into_raw(),
                Err(()) => null_mut(),
            }
        }
    };
}

/// An optional argument: the given one or `dflt`.
fn arg(a: &[*mut PyObject], i: usize) -> Option<*mut PyObject> {
    a.get(i).copied().filter(|p| !p.is_null())
}

/// The keyword-only arguments of a `**kwargs` body: each allowed name's value (or NULL);
/// another name raises CPython's "unexpected keyword argument".
unsafe fn kwonly(
    kw: *mut PyObject,
    qual: &str,
    allowed: &[&str],
) -> Result<Vec<*mut PyObject>, ()> {
    let mut out = vec![null_mut(); allowed.len()];
    if kw.is_null() {
        return Ok(out);
    }
    // SAFETY: `kw` is a live dict.
    for (k, v) in unsafe { crate::abc::dict_items(kw) } {
        let ks = text(k.ptr()).unwrap_or_default();
        match allowed.iter().position(|a| *a == ks) {
            Some(i) => out[i] = v.ptr(),
            None => {
                return err(
                    &raw mut EXC_TypeError,
                    &format!("{qual}() got an unexpected keyword argument '{ks}'"),
                );
            }
        }
    }
    Ok(out)
}

// ---- levels -------------------------------------------------------------------------------------

body!(f_get_level_names_mapping, a, kw, {
    let d = g("_nameToLevel")?;
    cm(d.ptr(), "copy", &[])
});

body!(f_get_level_name, a, kw, {
    let level = a[0];
    let l2n = g("_levelToName")?;
    let r = cm(l2n.ptr(), "get", &[level])?;
    if !is_none(r.ptr()) {
        return Ok(r);
    }
    let n2l = g("_nameToLevel")?;
    // `_nameToLevel.get(level)`: an unhashable level raises, as in CPython.
    let r = cm(n2l.ptr(), "get", &[level])?;
    if !is_none(r.ptr()) {
        return Ok(r);
    }
    let fs = s("Level %s")?;
    let t = tuple(&[level])?;
    ok(Obj::new(crate::abstract_::PyNumber_Remainder(
        fs.ptr(),
        t.ptr(),
    )))
});

body!(f_add_level_name, a, kw, {
    let (level, name) = (a[0], a[1]);
    with_module_lock(|| {
        let l2n = g("_levelToName")?;
        let n2l = g("_nameToLevel")?;
        setitem(l2n.ptr(), level, name)?;
        setitem(n2l.ptr(), name, level)?;
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

/// `_checkLevel(level)`.
unsafe fn check_level(level: *mut PyObject) -> R {
    // SAFETY: a live object (caller).
    unsafe {
        if crate::abstract_::is_long(level) {
            return Ok(Obj::borrowed(level));
        }
        let st = str_of(level)?;
        if cmp(st.ptr(), level, EQ)? {
            let n2l = g("_nameToLevel")?;
            if !contains(n2l.ptr(), level)? {
                let r = repr_of(level)?;
                return err(
                    &raw mut EXC_ValueError,
                    &format!("Unknown level: {}", text(r.ptr()).unwrap_or_default()),
                );
            }
            return getitem(n2l.ptr(), level);
        }
        let r = repr_of(level)?;
        err(
            &raw mut EXC_TypeError,
            &format!(
                "Level not an integer or a valid string: {}",
                text(r.ptr()).unwrap_or_default()
            ),
        )
    }
}

body!(f_check_level, a, kw, { check_level(a[0]) });

body!(f_currentframe, a, kw, { Ok(Obj::borrowed(none())) });

// ---- LogRecord ------------------------------------------------------------------------------------

fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// `os.path.basename` and `os.path.splitext(...)[0]` of a str path.
fn base_and_module(p: &str) -> (String, String) {
    let base = p.rsplit('/').next().unwrap_or(p).to_string();
    let lead = base.len() - base.trim_start_matches('.').len();
    let module = match base.rfind('.') {
        Some(i) if i > lead => base[..i].to_string(),
        _ => base.clone(),
    };
    (base, module)
}

body!(lr_init, a, kw, {
    let this = a[0];
    let (name, level, pathname, lineno, msg, exc_info) = (a[1], a[2], a[3], a[4], a[5], a[7]);
    let mut args = Obj::borrowed(a[6]);
    let func = arg(a, 8).unwrap_or(none());
    let sinfo = arg(a, 9).unwrap_or(none());
    let ct = now_ns();
    sa(this, "name", name)?;
    sa(this, "msg", msg)?;
    if truth(args.ptr())? && length(args.ptr())? == 1 {
        let zero = int(0)?;
        let first = getitem(args.ptr(), zero.ptr())?;
        let cabc = import(c"_collections_abc")?;
        let mapping = ga(cabc.ptr(), "Mapping")?;
        if isinstance(first.ptr(), mapping.ptr())? && truth(first.ptr())? {
            args = first;
        }
    }
    sa(this, "args", args.ptr())?;
    let gln = g("getLevelName")?;
    let ln = call(gln.ptr(), &[level])?;
    sa(this, "levelname", ln.ptr())?;
    sa(this, "levelno", level)?;
    sa(this, "pathname", pathname)?;
    match text(pathname) {
        Some(p) => {
            let (b, m) = base_and_module(&p);
            sa(this, "filename", s(&b)?.ptr())?;
            sa(this, "module", s(&m)?.ptr())?;
        }
        None => {
            sa(this, "filename", pathname)?;
            sa(this, "module", s("Unknown module")?.ptr())?;
        }
    }
    sa(this, "exc_info", exc_info)?;
    sa(this, "exc_text", none())?;
    sa(this, "stack_info", sinfo)?;
    sa(this, "lineno", lineno)?;
    sa(this, "funcName", func)?;
    let created = ct as f64 / 1e9;
    let mut msecs = ((ct % 1_000_000_000) / 1_000_000) as f64;
    if msecs == 999.0 && created as i128 != ct / 1_000_000_000 {
        msecs = 0.0;
    }
    let start = *START_NS.get_or_init(now_ns);
    let rel = (ct - start) as f64 / 1e6;
    for (n, v) in [
        ("created", created),
        ("msecs", msecs),
        ("relativeCreated", rel),
    ] {
        let f = ok(Obj::new(crate::floatobject::PyFloat_FromDouble(v)))?;
        sa(this, n, f.ptr())?;
    }
    if truth(g("logThreads")?.ptr())? {
        let th = import(c"threading")?;
        let ident = cm(th.ptr(), "get_ident", &[])?;
        sa(this, "thread", ident.ptr())?;
        let cur = cm(th.ptr(), "current_thread", &[])?;
        let nm = ga(cur.ptr(), "name")?;
        sa(this, "threadName", nm.ptr())?;
    } else {
        sa(this, "thread", none())?;
        sa(this, "threadName", none())?;
    }
    if truth(g("logMultiprocessing")?.ptr())? {
        sa(this, "processName", s("MainProcess")?.ptr())?;
    } else {
        sa(this, "processName", none())?;
    }
    if truth(g("logProcesses")?.ptr())? {
        sa(this, "process", int(i64::from(std::process::id()))?.ptr())?;
    } else {
        sa(this, "process", none())?;
    }
    sa(this, "taskName", none())?;
    Ok(Obj::borrowed(none()))
});

body!(lr_repr, a, kw, {
    let this = a[0];
    let mut parts = Vec::new();
    for n in ["name", "levelno", "pathname", "lineno", "msg"] {
        let v = ga(this, n)?;
        let st = str_of(v.ptr())?;
        parts.push(text(st.ptr()).unwrap_or_default());
    }
    s(&format!(
        "<LogRecord: {}, {}, {}, {}, \"{}\">",
        parts[0], parts[1], parts[2], parts[3], parts[4]
    ))
});

body!(lr_get_message, a, kw, {
    let this = a[0];
    let m = ga(this, "msg")?;
    let msg = str_of(m.ptr())?;
    let args = ga(this, "args")?;
    if truth(args.ptr())? {
        return ok(Obj::new(crate::abstract_::PyNumber_Remainder(
            msg.ptr(),
            args.ptr(),
        )));
    }
    Ok(msg)
});

static LR_FUNCS: [FuncDef; 3] = [
    FuncDef::new(
        "LogRecord.__init__",
        &[
            "self", "name", "level", "pathname", "lineno", "msg", "args", "exc_info", "func",
            "sinfo",
        ],
        8,
        Kind::Method,
        lr_init,
    )
    .with_kwargs(),
    FuncDef::new("LogRecord.__repr__", &["self"], 1, Kind::Method, lr_repr),
    FuncDef::new(
        "LogRecord.getMessage",
        &["self"],
        1,
        Kind::Method,
        lr_get_message,
    ),
];

body!(f_set_log_record_factory, a, kw, {
    set_g("_logRecordFactory", a[0])?;
    Ok(Obj::borrowed(none()))
});

body!(f_get_log_record_factory, a, kw, { g("_logRecordFactory") });

body!(f_make_log_record, a, kw, {
    let f = g("_logRecordFactory")?;
    let n = none();
    let e = s("")?;
    let z = int(0)?;
    let t = tuple(&[])?;
    let rv = call(f.ptr(), &[n, n, e.ptr(), z.ptr(), e.ptr(), t.ptr(), n, n])?;
    let d = ga(rv.ptr(), "__dict__")?;
    cm(d.ptr(), "update", &[a[0]])?;
    Ok(rv)
});

// ---- the three format styles ------------------------------------------------------------------

fn is_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// `re.search(r'%\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]', fmt, re.I)`.
fn percent_valid(fmt: &str) -> bool {
    let c: Vec<char> = fmt.chars().collect();
    let at = |i: usize| c.get(i).copied();
    (0..c.len()).any(|start| {
        if at(start) != Some('%') || at(start + 1) != Some('(') {
            return false;
        }
        let mut i = start + 2;
        let w0 = i;
        while at(i).is_some_and(is_word) {
            i += 1;
        }
        if i == w0 || at(i) != Some(')') {
            return false;
        }
        i += 1;
        while at(i).is_some_and(|x| "#0+ -".contains(x)) {
            i += 1;
        }
        if at(i) == Some('*') {
            i += 1;
        } else {
            while at(i).is_some_and(|x| x.is_ascii_digit()) {
                i += 1;
            }
        }
        let conv =
            |x: Option<char>| x.is_some_and(|x| "diouxefgcrsa%".contains(x.to_ascii_lowercase()));
        if at(i) == Some('.') {
            let mut j = i + 1;
            if at(j) == Some('*') {
                j += 1;
            } else {
                while at(j).is_some_and(|x| x.is_ascii_digit()) {
                    j += 1;
                }
            }
            if j > i + 1 && conv(at(j)) {
                return true;
            }
        }
        conv(at(i))
    })
}

/// Whether `rest` is empty or one final newline (`$` in a `re.match`).
fn at_end(c: &[char], i: usize) -> bool {
    i == c.len() || (i + 1 == c.len() && c[i] == '\n')
}

/// `re.match(r'^(\d+|\w+)(\.\w+|\[[^]]+\])*$', name)`.
fn field_valid(name: &str) -> bool {
    let c: Vec<char> = name.chars().collect();
    let mut i = 0;
    while i < c.len() && is_word(c[i]) {
        i += 1;
    }
    if i == 0 {
        return false;
    }
    loop {
        if at_end(&c, i) {
            return true;
        }
        match c[i] {
            '.' => {
                let j = i + 1;
                i = j;
                while i < c.len() && is_word(c[i]) {
                    i += 1;
                }
                if i == j {
                    return false;
                }
            }
            '[' => {
                let j = i + 1;
                i = j;
                while i < c.len() && c[i] != ']' {
                    i += 1;
                }
                if i == j || i == c.len() {
                    return false;
                }
                i += 1;
            }
            _ => return false,
        }
    }
}

/// `re.match(r'^(.?[<>=^])?[+ -]?#?0?(\d+|{\w+})?[,_]?(\.(\d+|{\w+}))?[bcdefgnosx%]?$', spec,
/// re.I)`.
fn spec_valid(spec: &str) -> bool {
    let c: Vec<char> = spec.chars().collect();
    let align = |x: Option<&char>| x.is_some_and(|x| "<>=^".contains(*x));
    let mut starts = Vec::new();
    if c.len() >= 2 && align(c.get(1)) {
        starts.push(2);
    }
    if align(c.first()) {
        starts.push(1);
    }
    starts.push(0);
    // `\d+|{\w+}` at `i`: where it ends.
    let width = |i: usize| -> Option<usize> {
        let mut j = i;
        while j < c.len() && c[j].is_ascii_digit() {
            j += 1;
        }
        if j > i {
            return Some(j);
        }
        if c.get(i) == Some(&'{') {
            let mut j = i + 1;
            while j < c.len() && is_word(c[j]) {
                j += 1;
            }
            if j > i + 1 && c.get(j) == Some(&'}') {
                return Some(j + 1);
            }
        }
        None
    };
    starts.into_iter().any(|mut i| {
        if c.get(i).is_some_and(|x| "+ -".contains(*x)) {
            i += 1;
        }
        if c.get(i) == Some(&'#') {
            i += 1;
        }
        if c.get(i) == Some(&'0') {
            i += 1;
        }
        if let Some(j) = width(i) {
            i = j;
        }
        if c.get(i).is_some_and(|x| ",_".contains(*x)) {
            i += 1;
        }
        if c.get(i) == Some(&'.')
            && let Some(j) = width(i + 1)
        {
            i = j;
        }
        if c.get(i)
            .is_some_and(|x| "bcdefgnosx%".contains(x.to_ascii_lowercase()))
        {
            i += 1;
        }
        at_end(&c, i)
    })
}

/// The fields of `string.Template`'s default pattern in `fmt`; Err(()) for a bare `$`.
fn template_fields(fmt: &str) -> Result<Vec<String>, ()> {
    let c: Vec<char> = fmt.chars().collect();
    let id_start = |x: char| x == '_' || x.is_ascii_alphabetic();
    let id = |x: char| x == '_' || x.is_ascii_alphanumeric();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '$' {
            i += 1;
            continue;
        }
        let j = i + 1;
        if c.get(j) == Some(&'$') {
            i = j + 1;
            continue;
        }
        if c.get(j).is_some_and(|&x| id_start(x)) {
            let mut e = j + 1;
            while e < c.len() && id(c[e]) {
                e += 1;
            }
            out.push(c[j..e].iter().collect());
            i = e;
            continue;
        }
        if c.get(j) == Some(&'{') && c.get(j + 1).is_some_and(|&x| id_start(x)) {
            let mut e = j + 2;
            while e < c.len() && id(c[e]) {
                e += 1;
            }
            if c.get(e) == Some(&'}') {
                out.push(c[j + 1..e].iter().collect());
                i = e + 1;
                continue;
            }
        }
        return Err(());
    }
    Ok(out)
}

body!(ps_init, a, kw, {
    let this = a[0];
    let k = kwonly(kw, "PercentStyle.__init__", &["defaults"])?;
    let fmt = a[1];
    let f = if truth(fmt)? {
        Obj::borrowed(fmt)
    } else {
        ga(this, "default_format")?
    };
    sa(this, "_fmt", f.ptr())?;
    sa(
        this,
        "_defaults",
        if k[0].is_null() { none() } else { k[0] },
    )?;
    Ok(Obj::borrowed(none()))
});

body!(sts_init, a, kw, {
    let this = a[0];
    let pinit = FuncDef_call(&PS_FUNCS[0], a, kw)?;
    drop(pinit);
    let f = ga(this, "_fmt")?;
    let st = import(c"string")?;
    let tpl = ga(st.ptr(), "Template")?;
    let t = call(tpl.ptr(), &[f.ptr()])?;
    sa(this, "_tpl", t.ptr())?;
    Ok(Obj::borrowed(none()))
});

/// Calls another def's body directly (a `super().__init__(...)`).
#[allow(non_snake_case)]
unsafe fn FuncDef_call(def: &FuncDef, a: &[*mut PyObject], kw: *mut PyObject) -> R {
    // SAFETY: live arguments (caller).
    ok(Obj::new(unsafe { (def.body)(a, kw) }))
}

body!(ps_uses_time, a, kw, {
    let f = ga(a[0], "_fmt")?;
    let search = ga(a[0], "asctime_search")?;
    let r = cm(f.ptr(), "find", &[search.ptr()])?;
    let z = int(0)?;
    Ok(Obj::new(crate::abc::py_bool(cmp(r.ptr(), z.ptr(), GE)?)))
});

body!(sts_uses_time, a, kw, {
    let f = ga(a[0], "_fmt")?;
    let z = int(0)?;
    let d = s("$asctime")?;
    let r = cm(f.ptr(), "find", &[d.ptr()])?;
    if cmp(r.ptr(), z.ptr(), GE)? {
        return Ok(Obj::new(crate::abc::py_bool(true)));
    }
    let search = ga(a[0], "asctime_search")?;
    let r = cm(f.ptr(), "find", &[search.ptr()])?;
    Ok(Obj::new(crate::abc::py_bool(cmp(r.ptr(), z.ptr(), GE)?)))
});

body!(ps_validate, a, kw, {
    let f = ga(a[0], "_fmt")?;
    let fs = text(f.ptr()).unwrap_or_default();
    if !percent_valid(&fs) {
        let d = ga(a[0], "default_format")?;
        let ds = text(d.ptr()).unwrap_or_default();
        let first: String = ds.chars().take(1).collect();
        return err(
            &raw mut EXC_ValueError,
            &format!("Invalid format '{fs}' for '{first}' style"),
        );
    }
    Ok(Obj::borrowed(none()))
});

body!(sfs_validate, a, kw, {
    let f = ga(a[0], "_fmt")?;
    let st = import(c"string")?;
    let fcls = ga(st.ptr(), "Formatter")?;
    let fmtr = call(fcls.ptr(), &[])?;
    let inner = || -> Result<usize, ()> {
        let parsed = cm(fmtr.ptr(), "parse", &[f.ptr()])?;
        let mut n = 0;
        for item in items(parsed.ptr())? {
            let p = items(item.ptr())?;
            let (fname, spec, conv) = (p[1].ptr(), p[2].ptr(), p[3].ptr());
            if !is_none(fname) && truth(fname)? {
                if !field_valid(&text(fname).unwrap_or_default()) {
                    let r = repr_of(fname)?;
                    return err(
                        &raw mut EXC_ValueError,
                        &format!(
                            "invalid field name/expression: {}",
                            text(r.ptr()).unwrap_or_default()
                        ),
                    );
                }
                n += 1;
            }
            if !is_none(conv)
                && truth(conv)?
                && !"rsa".contains(text(conv).unwrap_or_default().as_str())
            {
                let r = repr_of(conv)?;
                return err(
                    &raw mut EXC_ValueError,
                    &format!("invalid conversion: {}", text(r.ptr()).unwrap_or_default()),
                );
            }
            if !is_none(spec) && truth(spec)? && !spec_valid(&text(spec).unwrap_or_default()) {
                let r = repr_of(spec)?;
                return err(
                    &raw mut EXC_ValueError,
                    &format!("bad specifier: {}", text(r.ptr()).unwrap_or_default()),
                );
            }
        }
        Ok(n)
    };
    let fields = match inner() {
        Ok(n) => n,
        Err(()) => {
            if crate::pyerrors::matches_current(&raw mut EXC_ValueError) {
                let e = Obj::new(crate::pyerrors::take_raised());
                let m = str_of(e.ptr())?;
                return err(
                    &raw mut EXC_ValueError,
                    &format!("invalid format: {}", text(m.ptr()).unwrap_or_default()),
                );
            }
            return Err(());
        }
    };
    if fields == 0 {
        return err(&raw mut EXC_ValueError, "invalid format: no fields");
    }
    Ok(Obj::borrowed(none()))
});

body!(sts_validate, a, kw, {
    let f = ga(a[0], "_fmt")?;
    match template_fields(&text(f.ptr()).unwrap_or_default()) {
        Err(()) => err(
            &raw mut EXC_ValueError,
            "invalid format: bare '$' not allowed",
        ),
        Ok(v) if v.is_empty() => err(&raw mut EXC_ValueError, "invalid format: no fields"),
        Ok(_) => Ok(Obj::borrowed(none())),
    }
});

/// `defaults | record.__dict__` (or the dict alone).
unsafe fn style_values(this: *mut PyObject, record: *mut PyObject) -> R {
    // SAFETY: live objects (caller).
    unsafe {
        let d = ga(record, "__dict__")?;
        let defaults = ga(this, "_defaults")?;
        if !is_none(defaults.ptr()) && truth(defaults.ptr())? {
            // `defaults | record.__dict__`: a new dict, the record's values winning.
            let merged = new_dict()?;
            cm(merged.ptr(), "update", &[defaults.ptr()])?;
            cm(merged.ptr(), "update", &[d.ptr()])?;
            return Ok(merged);
        }
        Ok(d)
    }
}

body!(ps_format_, a, kw, {
    let v = style_values(a[0], a[1])?;
    let f = ga(a[0], "_fmt")?;
    ok(Obj::new(crate::abstract_::PyNumber_Remainder(
        f.ptr(),
        v.ptr(),
    )))
});

body!(sfs_format_, a, kw, {
    let v = style_values(a[0], a[1])?;
    let f = ga(a[0], "_fmt")?;
    let m = ga(f.ptr(), "format")?;
    call_kw(m.ptr(), &[], v.ptr())
});

body!(sts_format_, a, kw, {
    let v = style_values(a[0], a[1])?;
    let t = ga(a[0], "_tpl")?;
    let m = ga(t.ptr(), "substitute")?;
    call_kw(m.ptr(), &[], v.ptr())
});

body!(ps_format, a, kw, {
    match cm(a[0], "_format", &[a[1]]) {
        Ok(r) => Ok(r),
        Err(()) => {
            if crate::pyerrors::matches_current(&raw mut EXC_KeyError) {
                let e = Obj::new(crate::pyerrors::take_raised());
                let m = str_of(e.ptr())?;
                return err(
                    &raw mut EXC_ValueError,
                    &format!(
                        "Formatting field not found in record: {}",
                        text(m.ptr()).unwrap_or_default()
                    ),
                );
            }
            Err(())
        }
    }
});

static PS_FUNCS: [FuncDef; 5] = [
    FuncDef::new(
        "PercentStyle.__init__",
        &["self", "fmt"],
        2,
        Kind::Method,
        ps_init,
    )
    .with_kwargs(),
    FuncDef::new(
        "PercentStyle.usesTime",
        &["self"],
        1,
        Kind::Method,
        ps_uses_time,
    ),
    FuncDef::new(
        "PercentStyle.validate",
        &["self"],
        1,
        Kind::Method,
        ps_validate,
    ),
    FuncDef::new(
        "PercentStyle._format",
        &["self", "record"],
        2,
        Kind::Method,
        ps_format_,
    ),
    FuncDef::new(
        "PercentStyle.format",
        &["self", "record"],
        2,
        Kind::Method,
        ps_format,
    ),
];

static SFS_FUNCS: [FuncDef; 2] = [
    FuncDef::new(
        "StrFormatStyle._format",
        &["self", "record"],
        2,
        Kind::Method,
        sfs_format_,
    ),
    FuncDef::new(
        "StrFormatStyle.validate",
        &["self"],
        1,
        Kind::Method,
        sfs_validate,
    ),
];

static STS_FUNCS: [FuncDef; 4] = [
    FuncDef::new(
        "StringTemplateStyle.__init__",
        &["self", "fmt"],
        2,
        Kind::Method,
        sts_init,
    )
    .with_kwargs(),
    FuncDef::new(
        "StringTemplateStyle.usesTime",
        &["self"],
        1,
        Kind::Method,
        sts_uses_time,
    ),
    FuncDef::new(
        "StringTemplateStyle.validate",
        &["self"],
        1,
        Kind::Method,
        sts_validate,
    ),
    FuncDef::new(
        "StringTemplateStyle._format",
        &["self", "record"],
        2,
        Kind::Method,
        sts_format_,
    ),
];

// ---- Formatter, BufferingFormatter ------------------------------------------------------------

/// `','.join(_STYLES.keys())` and the style's class, for `Formatter`/`basicConfig`.
unsafe fn style_entry(style: *mut PyObject) -> R {
    // SAFETY: live objects (caller).
    unsafe {
        let styles = g("_STYLES")?;
        if !contains(styles.ptr(), style)? {
            let keys = items(styles.ptr())?;
            let ks: Vec<String> = keys
                .iter()
                .map(|k| text(k.ptr()).unwrap_or_default())
                .collect();
            return err(
                &raw mut EXC_ValueError,
                &format!("Style must be one of: {}", ks.join(",")),
            );
        }
        getitem(styles.ptr(), style)
    }
}

body!(fmt_init, a, kw, {
    let this = a[0];
    let k = kwonly(kw, "Formatter.__init__", &["defaults"])?;
    let fmt = arg(a, 1).unwrap_or(none());
    let datefmt = arg(a, 2).unwrap_or(none());
    let pct = s("%")?;
    let style = arg(a, 3).unwrap_or(pct.ptr());
    let entry = style_entry(style)?;
    let zero = int(0)?;
    let cls = getitem(entry.ptr(), zero.ptr())?;
    let kd = new_dict()?;
    if crate::dictobject::set_item_str(
        kd.ptr(),
        "defaults",
        if k[0].is_null() { none() } else { k[0] },
    ) < 0
    {
        return Err(());
    }
    let st = call_kw(cls.ptr(), &[fmt], kd.ptr())?;
    sa(this, "_style", st.ptr())?;
    let validate = match arg(a, 4) {
        Some(v) => truth(v)?,
        None => true,
    };
    if validate {
        cm(st.ptr(), "validate", &[])?;
    }
    let f = ga(st.ptr(), "_fmt")?;
    sa(this, "_fmt", f.ptr())?;
    sa(this, "datefmt", datefmt)?;
    Ok(Obj::borrowed(none()))
});

body!(fmt_format_time, a, kw, {
    let (this, record) = (a[0], a[1]);
    let datefmt = arg(a, 2).unwrap_or(none());
    let conv = ga(this, "converter")?;
    let created = ga(record, "created")?;
    let ct = call(conv.ptr(), &[created.ptr()])?;
    let tm = import(c"time")?;
    if truth(datefmt)? {
        return cm(tm.ptr(), "strftime", &[datefmt, ct.ptr()]);
    }
    let dtf = ga(this, "default_time_format")?;
    let st = cm(tm.ptr(), "strftime", &[dtf.ptr(), ct.ptr()])?;
    let dmf = ga(this, "default_msec_format")?;
    if truth(dmf.ptr())? {
        let ms = ga(record, "msecs")?;
        let t = tuple(&[st.ptr(), ms.ptr()])?;
        return ok(Obj::new(crate::abstract_::PyNumber_Remainder(
            dmf.ptr(),
            t.ptr(),
        )));
    }
    Ok(st)
});

/// The name `traceback.print_exception` gives an exception's type.
unsafe fn exc_type_name(t: *mut PyObject) -> Result<String, ()> {
    // SAFETY: a live type (caller).
    unsafe {
        let q = ga(t, "__qualname__")?;
        let qs = text(q.ptr()).unwrap_or_default();
        let m = ga_opt(t, "__module__")?;
        let ms = m.and_then(|m| text(m.ptr()));
        Ok(match ms.as_deref() {
            None | Some("builtins") | Some("__main__") => qs,
            Some(m) => format!("{m}.{qs}"),
        })
    }
}

/// The text `traceback.print_exception(exc)` prints (chained exceptions first).
unsafe fn format_exception(exc: *mut PyObject, depth: usize) -> Result<String, ()> {
    // SAFETY: live objects (caller).
    unsafe {
        if is_none(exc) {
            return Ok("NoneType: None\n".to_string());
        }
        let mut out = String::new();
        if depth < 20 && crate::exceptions::is_exception_instance(exc) {
            let cause = ga(exc, "__cause__")?;
            let ctx = ga(exc, "__context__")?;
            let sup = ga(exc, "__suppress_context__")?;
            if !is_none(cause.ptr()) {
                out.push_str(&format_exception(cause.ptr(), depth + 1)?);
                out.push_str(
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                );
            } else if !is_none(ctx.ptr()) && !truth(sup.ptr())? {
                out.push_str(&format_exception(ctx.ptr(), depth + 1)?);
                out.push_str(
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                );
            }
            let tb = ga(exc, "__traceback__")?;
            if !is_none(tb.ptr()) {
                out.push_str("Traceback (most recent call last):\n");
                for l in crate::traceback::format_entries(tb.ptr()) {
                    out.push_str(&l);
                    if !l.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
        }
        let t = crate::refcount::Py_TYPE(exc).cast::<PyObject>();
        let name = exc_type_name(t)?;
        let m = match str_of(exc) {
            Ok(m) => text(m.ptr()).unwrap_or_default(),
            Err(()) => {
                crate::pyerrors::clear();
                "<exception str() failed>".to_string()
            }
        };
        if m.is_empty() {
            out.push_str(&format!("{name}\n"));
        } else {
            out.push_str(&format!("{name}: {m}\n"));
        }
        if let Some(notes) = ga_opt(exc, "__notes__")? {
            for n in items(notes.ptr())? {
                let ns = str_of(n.ptr())?;
                out.push_str(&text(ns.ptr()).unwrap_or_default());
                out.push('\n');
            }
        }
        Ok(out)
    }
}

body!(fmt_format_exception, a, kw, {
    let one = int(1)?;
    let e = getitem(a[1], one.ptr())?;
    let mut st = format_exception(e.ptr(), 0)?;
    if st.ends_with('\n') {
        st.pop();
    }
    s(&st)
});

body!(fmt_uses_time, a, kw, {
    let st = ga(a[0], "_style")?;
    cm(st.ptr(), "usesTime", &[])
});

body!(fmt_format_message, a, kw, {
    let st = ga(a[0], "_style")?;
    cm(st.ptr(), "format", &[a[1]])
});

body!(fmt_format_stack, a, kw, { Ok(Obj::borrowed(a[1])) });

/// `s + '\n'` unless `s` ends with one, then `+ tail`.
unsafe fn append_block(st: Obj, tail: *mut PyObject) -> R {
    // SAFETY: live objects (caller).
    unsafe {
        let mut cur = st;
        let nl = s("\n")?;
        let ends = cm(cur.ptr(), "endswith", &[nl.ptr()])?;
        if !truth(ends.ptr())? {
            cur = ok(Obj::new(crate::abstract_::PyNumber_Add(
                cur.ptr(),
                nl.ptr(),
            )))?;
        }
        ok(Obj::new(crate::abstract_::PyNumber_Add(cur.ptr(), tail)))
    }
}

body!(fmt_format, a, kw, {
    let (this, record) = (a[0], a[1]);
    let m = cm(record, "getMessage", &[])?;
    sa(record, "message", m.ptr())?;
    let ut = cm(this, "usesTime", &[])?;
    if truth(ut.ptr())? {
        let df = ga(this, "datefmt")?;
        let at = cm(this, "formatTime", &[record, df.ptr()])?;
        sa(record, "asctime", at.ptr())?;
    }
    let mut st = cm(this, "formatMessage", &[record])?;
    let ei = ga(record, "exc_info")?;
    if truth(ei.ptr())? {
        let et = ga(record, "exc_text")?;
        if !truth(et.ptr())? {
            let t = cm(this, "formatException", &[ei.ptr()])?;
            sa(record, "exc_text", t.ptr())?;
        }
    }
    let et = ga(record, "exc_text")?;
    if truth(et.ptr())? {
        st = append_block(st, et.ptr())?;
    }
    let si = ga(record, "stack_info")?;
    if truth(si.ptr())? {
        let fs = cm(this, "formatStack", &[si.ptr()])?;
        st = append_block(st, fs.ptr())?;
    }
    Ok(st)
});

static FMT_FUNCS: [FuncDef; 7] = [
    FuncDef::new(
        "Formatter.__init__",
        &["self", "fmt", "datefmt", "style", "validate"],
        1,
        Kind::Method,
        fmt_init,
    )
    .with_kwargs(),
    FuncDef::new(
        "Formatter.formatTime",
        &["self", "record", "datefmt"],
        2,
        Kind::Method,
        fmt_format_time,
    ),
    FuncDef::new(
        "Formatter.formatException",
        &["self", "ei"],
        2,
        Kind::Method,
        fmt_format_exception,
    ),
    FuncDef::new(
        "Formatter.usesTime",
        &["self"],
        1,
        Kind::Method,
        fmt_uses_time,
    ),
    FuncDef::new(
        "Formatter.formatMessage",
        &["self", "record"],
        2,
        Kind::Method,
        fmt_format_message,
    ),
    FuncDef::new(
        "Formatter.formatStack",
        &["self", "stack_info"],
        2,
        Kind::Method,
        fmt_format_stack,
    ),
    FuncDef::new(
        "Formatter.format",
        &["self", "record"],
        2,
        Kind::Method,
        fmt_format,
    ),
];

body!(bf_init, a, kw, {
    let lf = arg(a, 1).unwrap_or(none());
    if truth(lf)? {
        sa(a[0], "linefmt", lf)?;
    } else {
        let d = g("_defaultFormatter")?;
        sa(a[0], "linefmt", d.ptr())?;
    }
    Ok(Obj::borrowed(none()))
});

body!(bf_empty, a, kw, { s("") });

body!(bf_format, a, kw, {
    let (this, records) = (a[0], a[1]);
    let mut rv = s("")?;
    if length(records)? > 0 {
        let h = cm(this, "formatHeader", &[records])?;
        rv = ok(Obj::new(crate::abstract_::PyNumber_Add(rv.ptr(), h.ptr())))?;
        let lf = ga(this, "linefmt")?;
        for r in items(records)? {
            let x = cm(lf.ptr(), "format", &[r.ptr()])?;
            rv = ok(Obj::new(crate::abstract_::PyNumber_Add(rv.ptr(), x.ptr())))?;
        }
        let f = cm(this, "formatFooter", &[records])?;
        rv = ok(Obj::new(crate::abstract_::PyNumber_Add(rv.ptr(), f.ptr())))?;
    }
    Ok(rv)
});

static BF_FUNCS: [FuncDef; 4] = [
    FuncDef::new(
        "BufferingFormatter.__init__",
        &["self", "linefmt"],
        1,
        Kind::Method,
        bf_init,
    ),
    FuncDef::new(
        "BufferingFormatter.formatHeader",
        &["self", "records"],
        2,
        Kind::Method,
        bf_empty,
    ),
    FuncDef::new(
        "BufferingFormatter.formatFooter",
        &["self", "records"],
        2,
        Kind::Method,
        bf_empty,
    ),
    FuncDef::new(
        "BufferingFormatter.format",
        &["self", "records"],
        2,
        Kind::Method,
        bf_format,
    ),
];

// ---- Filter, Filterer -------------------------------------------------------------------------

body!(filter_init, a, kw, {
    let e = s("")?;
    let name = arg(a, 1).unwrap_or(e.ptr());
    sa(a[0], "name", name)?;
    let n = length(name)?;
    sa(a[0], "nlen", int(n as i64)?.ptr())?;
    Ok(Obj::borrowed(none()))
});

body!(filter_filter, a, kw, {
    let (this, record) = (a[0], a[1]);
    let nlen = ga(this, "nlen")?;
    let z = int(0)?;
    if cmp(nlen.ptr(), z.ptr(), EQ)? {
        return Ok(Obj::new(crate::abc::py_bool(true)));
    }
    let name = ga(this, "name")?;
    let rname = ga(record, "name")?;
    if cmp(name.ptr(), rname.ptr(), EQ)? {
        return Ok(Obj::new(crate::abc::py_bool(true)));
    }
    let found = cm(rname.ptr(), "find", &[name.ptr(), z.ptr(), nlen.ptr()])?;
    if !cmp(found.ptr(), z.ptr(), EQ)? {
        return Ok(Obj::new(crate::abc::py_bool(false)));
    }
    let c = getitem(rname.ptr(), nlen.ptr())?;
    let dot = s(".")?;
    Ok(Obj::new(crate::abc::py_bool(cmp(c.ptr(), dot.ptr(), EQ)?)))
});

static FILTER_FUNCS: [FuncDef; 2] = [
    FuncDef::new(
        "Filter.__init__",
        &["self", "name"],
        1,
        Kind::Method,
        filter_init,
    ),
    FuncDef::new(
        "Filter.filter",
        &["self", "record"],
        2,
        Kind::Method,
        filter_filter,
    ),
];

body!(filterer_init, a, kw, {
    let l = new_list()?;
    sa(a[0], "filters", l.ptr())?;
    Ok(Obj::borrowed(none()))
});

body!(filterer_add, a, kw, {
    let fl = ga(a[0], "filters")?;
    if !contains(fl.ptr(), a[1])? {
        cm(fl.ptr(), "append", &[a[1]])?;
    }
    Ok(Obj::borrowed(none()))
});

body!(filterer_remove, a, kw, {
    let fl = ga(a[0], "filters")?;
    if contains(fl.ptr(), a[1])? {
        cm(fl.ptr(), "remove", &[a[1]])?;
    }
    Ok(Obj::borrowed(none()))
});

body!(filterer_filter, a, kw, {
    let mut record = Obj::borrowed(a[1]);
    let fl = ga(a[0], "filters")?;
    let lr = g("LogRecord")?;
    for f in items(fl.ptr())? {
        let result = match ga_opt(f.ptr(), "filter")? {
            Some(m) => call(m.ptr(), &[record.ptr()])?,
            None => call(f.ptr(), &[record.ptr()])?,
        };
        if !truth(result.ptr())? {
            return Ok(Obj::new(crate::abc::py_bool(false)));
        }
        if isinstance(result.ptr(), lr.ptr())? {
            record = result;
        }
    }
    Ok(record)
});

static FILTERER_FUNCS: [FuncDef; 4] = [
    FuncDef::new(
        "Filterer.__init__",
        &["self"],
        1,
        Kind::Method,
        filterer_init,
    ),
    FuncDef::new(
        "Filterer.addFilter",
        &["self", "filter"],
        2,
        Kind::Method,
        filterer_add,
    ),
    FuncDef::new(
        "Filterer.removeFilter",
        &["self", "filter"],
        2,
        Kind::Method,
        filterer_remove,
    ),
    FuncDef::new(
        "Filterer.filter",
        &["self", "record"],
        2,
        Kind::Method,
        filterer_filter,
    ),
];

// ---- handlers ----------------------------------------------------------------------------------

body!(f_remove_handler_ref, a, kw, {
    let l = g("_handlerList")?;
    let lock = g("_lock")?;
    if truth(lock.ptr())? && truth(l.ptr())? {
        with_lock(lock.ptr(), || {
            if cm(l.ptr(), "remove", &[a[0]]).is_err() {
                if crate::pyerrors::matches_current(&raw mut EXC_ValueError) {
                    crate::pyerrors::clear();
                } else {
                    return Err(());
                }
            }
            Ok(())
        })?;
    }
    Ok(Obj::borrowed(none()))
});

body!(f_add_handler_ref, a, kw, {
    with_module_lock(|| {
        let cb = g("_removeHandlerRef")?;
        let wr = ok(Obj::new(crate::weakrefobject::PyWeakref_NewRef(
            a[0],
            cb.ptr(),
        )))?;
        let l = g("_handlerList")?;
        cm(l.ptr(), "append", &[wr.ptr()])?;
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

body!(f_get_handler_by_name, a, kw, {
    let h = g("_handlers")?;
    cm(h.ptr(), "get", &[a[0]])
});

body!(f_get_handler_names, a, kw, {
    let h = g("_handlers")?;
    ok(Obj::new(crate::setobject::PyFrozenSet_New(h.ptr())))
});

/// `Handler.__init__(self, level)` (also called by subclasses' initialisers).
unsafe fn handler_init(this: *mut PyObject, level: *mut PyObject) -> Result<(), ()> {
    // SAFETY: live objects (caller).
    unsafe {
        let l = new_list()?;
        sa(this, "filters", l.ptr())?;
        sa(this, "_name", none())?;
        let lv = check_level(level)?;
        sa(this, "level", lv.ptr())?;
        sa(this, "formatter", none())?;
        sa(this, "_closed", crate::boolobject::false_())?;
        let add = g("_addHandlerRef")?;
        call(add.ptr(), &[this])?;
        cm(this, "createLock", &[])?;
        Ok(())
    }
}

body!(h_init, a, kw, {
    let z = int(0)?;
    handler_init(a[0], arg(a, 1).unwrap_or(z.ptr()))?;
    Ok(Obj::borrowed(none()))
});

body!(h_get_name, a, kw, { ga(a[0], "_name") });

body!(h_set_name, a, kw, {
    let (this, name) = (a[0], a[1]);
    with_module_lock(|| {
        let hs = g("_handlers")?;
        let old = ga(this, "_name")?;
        if contains(hs.ptr(), old.ptr())?
            && crate::abstract_::PyObject_DelItem(hs.ptr(), old.ptr()) < 0
        {
            return Err(());
        }
        sa(this, "_name", name)?;
        if truth(name)? {
            setitem(hs.ptr(), name, this)?;
        }
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

body!(h_create_lock, a, kw, {
    let th = import(c"threading")?;
    let l = cm(th.ptr(), "RLock", &[])?;
    sa(a[0], "lock", l.ptr())?;
    Ok(Obj::borrowed(none()))
});

body!(h_at_fork_reinit, a, kw, {
    let l = ga(a[0], "lock")?;
    cm(l.ptr(), "_at_fork_reinit", &[])
});

body!(h_acquire, a, kw, {
    let l = ga(a[0], "lock")?;
    if truth(l.ptr())? {
        cm(l.ptr(), "acquire", &[])?;
    }
    Ok(Obj::borrowed(none()))
});

body!(h_release, a, kw, {
    let l = ga(a[0], "lock")?;
    if truth(l.ptr())? {
        cm(l.ptr(), "release", &[])?;
    }
    Ok(Obj::borrowed(none()))
});

body!(h_set_level, a, kw, {
    let lv = check_level(a[1])?;
    sa(a[0], "level", lv.ptr())?;
    Ok(Obj::borrowed(none()))
});

body!(h_format, a, kw, {
    let f = ga(a[0], "formatter")?;
    let fmt = if truth(f.ptr())? {
        f
    } else {
        g("_defaultFormatter")?
    };
    cm(fmt.ptr(), "format", &[a[1]])
});

body!(h_emit, a, kw, {
    err(
        &raw mut EXC_NotImplementedError,
        "emit must be implemented by Handler subclasses",
    )
});

body!(h_handle, a, kw, {
    let this = a[0];
    let mut record = Obj::borrowed(a[1]);
    let rv = cm(this, "filter", &[record.ptr()])?;
    let lr = g("LogRecord")?;
    if isinstance(rv.ptr(), lr.ptr())? {
        record = Obj::borrowed(rv.ptr());
    }
    if truth(rv.ptr())? {
        let l = ga(this, "lock")?;
        with_lock(l.ptr(), || cm(this, "emit", &[record.ptr()]).map(drop))?;
    }
    Ok(rv)
});

body!(h_set_formatter, a, kw, {
    sa(a[0], "formatter", a[1])?;
    Ok(Obj::borrowed(none()))
});

body!(h_none, a, kw, { Ok(Obj::borrowed(none())) });

body!(h_close, a, kw, {
    let this = a[0];
    with_module_lock(|| {
        sa(this, "_closed", crate::boolobject::true_())?;
        let name = ga(this, "_name")?;
        let hs = g("_handlers")?;
        if truth(name.ptr())?
            && contains(hs.ptr(), name.ptr())?
            && crate::abstract_::PyObject_DelItem(hs.ptr(), name.ptr()) < 0
        {
            return Err(());
        }
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

/// `sys.stderr.write(text)`.
unsafe fn write_stderr(stderr: *mut PyObject, t: &str) -> Result<(), ()> {
    let st = s(t)?;
    // SAFETY: live objects (caller).
    unsafe { cm(stderr, "write", &[st.ptr()]).map(drop) }
}

body!(h_handle_error, a, kw, {
    let record = a[1];
    let sys = import(c"sys")?;
    let stderr = ga_opt(sys.ptr(), "stderr")?;
    let Some(stderr) = stderr else {
        return Ok(Obj::borrowed(none()));
    };
    if !truth(g("raiseExceptions")?.ptr())? || !truth(stderr.ptr())? {
        return Ok(Obj::borrowed(none()));
    }
    let exc = crate::pyerrors::handled();
    let exc = if exc.is_null() { none() } else { exc };
    let exc = Obj::borrowed(exc);
    let body = || -> Result<(), ()> {
        write_stderr(stderr.ptr(), "--- Logging error ---\n")?;
        let tb = format_exception(exc.ptr(), 0)?;
        write_stderr(stderr.ptr(), &tb)?;
        write_stderr(stderr.ptr(), "Call stack:\n")?;
        // No Python frame exists to print: CPython's line for a missing frame.
        let f = ga(record, "filename")?;
        let l = ga(record, "lineno")?;
        let (fs, ls) = (str_of(f.ptr())?, str_of(l.ptr())?);
        write_stderr(
            stderr.ptr(),
            &format!(
                "Logged from file {}, line {}\n",
                text(fs.ptr()).unwrap_or_default(),
                text(ls.ptr()).unwrap_or_default()
            ),
        )?;
        let msg_args = (|| -> Result<String, ()> {
            let m = ga(record, "msg")?;
            let mr = repr_of(m.ptr())?;
            let ar = ga(record, "args")?;
            let ars = str_of(ar.ptr())?;
            Ok(format!(
                "Message: {}\nArguments: {}\n",
                text(mr.ptr()).unwrap_or_default(),
                text(ars.ptr()).unwrap_or_default()
            ))
        })();
        match msg_args {
            Ok(t) => write_stderr(stderr.ptr(), &t)?,
            Err(()) => {
                if crate::pyerrors::matches_current(&raw mut EXC_RecursionError) {
                    return Err(());
                }
                crate::pyerrors::clear();
                write_stderr(
                    stderr.ptr(),
                    "Unable to print the message and arguments - possible formatting error.\nUse the traceback above to help find the error.\n",
                )?;
            }
        }
        Ok(())
    };
    if body().is_err() {
        if crate::pyerrors::matches_current(
            crate::pyerrors::exception_type("OSError").unwrap_or(null_mut()),
        ) {
            crate::pyerrors::clear();
        } else {
            return Err(());
        }
    }
    Ok(Obj::borrowed(none()))
});

body!(h_repr, a, kw, {
    let lv = ga(a[0], "level")?;
    let gln = g("getLevelName")?;
    let ln = call(gln.ptr(), &[lv.ptr()])?;
    let lns = str_of(ln.ptr())?;
    let cls = ga(a[0], "__class__")?;
    let cn = ga(cls.ptr(), "__name__")?;
    s(&format!(
        "<{} ({})>",
        text(cn.ptr()).unwrap_or_default(),
        text(lns.ptr()).unwrap_or_default()
    ))
});

static H_FUNCS: [FuncDef; 16] = [
    FuncDef::new(
        "Handler.__init__",
        &["self", "level"],
        1,
        Kind::Method,
        h_init,
    ),
    FuncDef::new("Handler.get_name", &["self"], 1, Kind::Method, h_get_name),
    FuncDef::new(
        "Handler.set_name",
        &["self", "name"],
        2,
        Kind::Method,
        h_set_name,
    ),
    FuncDef::new(
        "Handler.createLock",
        &["self"],
        1,
        Kind::Method,
        h_create_lock,
    ),
    FuncDef::new(
        "Handler._at_fork_reinit",
        &["self"],
        1,
        Kind::Method,
        h_at_fork_reinit,
    ),
    FuncDef::new("Handler.acquire", &["self"], 1, Kind::Method, h_acquire),
    FuncDef::new("Handler.release", &["self"], 1, Kind::Method, h_release),
    FuncDef::new(
        "Handler.setLevel",
        &["self", "level"],
        2,
        Kind::Method,
        h_set_level,
    ),
    FuncDef::new(
        "Handler.format",
        &["self", "record"],
        2,
        Kind::Method,
        h_format,
    ),
    FuncDef::new("Handler.emit", &["self", "record"], 2, Kind::Method, h_emit),
    FuncDef::new(
        "Handler.handle",
        &["self", "record"],
        2,
        Kind::Method,
        h_handle,
    ),
    FuncDef::new(
        "Handler.setFormatter",
        &["self", "fmt"],
        2,
        Kind::Method,
        h_set_formatter,
    ),
    FuncDef::new("Handler.flush", &["self"], 1, Kind::Method, h_none),
    FuncDef::new("Handler.close", &["self"], 1, Kind::Method, h_close),
    FuncDef::new(
        "Handler.handleError",
        &["self", "record"],
        2,
        Kind::Method,
        h_handle_error,
    ),
    FuncDef::new("Handler.__repr__", &["self"], 1, Kind::Method, h_repr),
];

body!(sh_init, a, kw, {
    let z = int(0)?;
    handler_init(a[0], z.ptr())?;
    let mut stream = arg(a, 1).unwrap_or(none());
    let sys;
    if is_none(stream) {
        let m = import(c"sys")?;
        sys = ga(m.ptr(), "stderr")?;
        stream = sys.ptr();
    }
    sa(a[0], "stream", stream)?;
    Ok(Obj::borrowed(none()))
});

body!(sh_flush, a, kw, {
    let this = a[0];
    let l = ga(this, "lock")?;
    with_lock(l.ptr(), || {
        let st = ga(this, "stream")?;
        if truth(st.ptr())? && ga_opt(st.ptr(), "flush")?.is_some() {
            cm(st.ptr(), "flush", &[])?;
        }
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

/// Inside an `except Exception:` block of `emit`: RecursionError and non-Exceptions go on,
/// the others go to `self.handleError(record)` with the exception as `sys.exception()`.
unsafe fn emit_failed(this: *mut PyObject, record: *mut PyObject) -> R {
    // SAFETY: live objects (caller).
    unsafe {
        if crate::pyerrors::matches_current(&raw mut EXC_RecursionError)
            || !crate::pyerrors::matches_current(&raw mut EXC_Exception)
        {
            return Err(());
        }
        let e = Obj::new(crate::pyerrors::take_raised());
        let old = swap_handled(e.ptr());
        let r = cm(this, "handleError", &[record]);
        let mine = swap_handled(old);
        crate::refcount::xdecref(old);
        crate::refcount::xdecref(mine);
        r?;
        Ok(Obj::borrowed(none()))
    }
}

body!(sh_emit, a, kw, {
    let (this, record) = (a[0], a[1]);
    let attempt = || -> Result<(), ()> {
        let msg = cm(this, "format", &[record])?;
        let st = ga(this, "stream")?;
        let term = ga(this, "terminator")?;
        let line = ok(Obj::new(crate::abstract_::PyNumber_Add(
            msg.ptr(),
            term.ptr(),
        )))?;
        cm(st.ptr(), "write", &[line.ptr()])?;
        cm(this, "flush", &[])?;
        Ok(())
    };
    match attempt() {
        Ok(()) => Ok(Obj::borrowed(none())),
        Err(()) => emit_failed(this, record),
    }
});

body!(sh_set_stream, a, kw, {
    let (this, stream) = (a[0], a[1]);
    let cur = ga(this, "stream")?;
    if cur.ptr() == stream {
        return Ok(Obj::borrowed(none()));
    }
    let l = ga(this, "lock")?;
    with_lock(l.ptr(), || {
        cm(this, "flush", &[])?;
        sa(this, "stream", stream)
    })?;
    Ok(cur)
});

body!(sh_repr, a, kw, {
    let lv = ga(a[0], "level")?;
    let gln = g("getLevelName")?;
    let ln = call(gln.ptr(), &[lv.ptr()])?;
    let lns = str_of(ln.ptr())?;
    let st = ga(a[0], "stream")?;
    let name = match ga_opt(st.ptr(), "name")? {
        Some(n) => text(str_of(n.ptr())?.ptr()).unwrap_or_default(),
        None => String::new(),
    };
    let name = if name.is_empty() {
        name
    } else {
        format!("{name} ")
    };
    let cls = ga(a[0], "__class__")?;
    let cn = ga(cls.ptr(), "__name__")?;
    s(&format!(
        "<{} {name}({})>",
        text(cn.ptr()).unwrap_or_default(),
        text(lns.ptr()).unwrap_or_default()
    ))
});

static SH_FUNCS: [FuncDef; 5] = [
    FuncDef::new(
        "StreamHandler.__init__",
        &["self", "stream"],
        1,
        Kind::Method,
        sh_init,
    ),
    FuncDef::new("StreamHandler.flush", &["self"], 1, Kind::Method, sh_flush),
    FuncDef::new(
        "StreamHandler.emit",
        &["self", "record"],
        2,
        Kind::Method,
        sh_emit,
    ),
    FuncDef::new(
        "StreamHandler.setStream",
        &["self", "stream"],
        2,
        Kind::Method,
        sh_set_stream,
    ),
    FuncDef::new(
        "StreamHandler.__repr__",
        &["self"],
        1,
        Kind::Method,
        sh_repr,
    ),
];

/// `os.path.abspath` of a str path (normalised as `normpath` does).
fn abspath(p: &str) -> String {
    let full = if p.starts_with('/') {
        p.to_string()
    } else {
        let cwd = std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "/".to_string());
        format!("{cwd}/{p}")
    };
    let lead = if full.starts_with("//") && !full.starts_with("///") {
        "//"
    } else {
        "/"
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in full.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("{lead}{}", parts.join("/"))
}

body!(fh_init, a, kw, {
    let this = a[0];
    let fname = a[1];
    let path = if uni::is_str(fname) {
        Obj::borrowed(fname)
    } else if let Some(f) = ga_opt(crate::refcount::Py_TYPE(fname).cast(), "__fspath__")? {
        call(f.ptr(), &[fname])?
    } else {
        let tn = crate::object::tname(fname);
        return err(
            &raw mut EXC_TypeError,
            &format!("expected str, bytes or os.PathLike object, not {tn}"),
        );
    };
    let Some(ps) = text(path.ptr()) else {
        return err(
            &raw mut EXC_TypeError,
            "gilgate: logging.FileHandler takes a str path",
        );
    };
    sa(this, "baseFilename", s(&abspath(&ps))?.ptr())?;
    let am = s("a")?;
    let mode = arg(a, 2).unwrap_or(am.ptr());
    sa(this, "mode", mode)?;
    let encoding = arg(a, 3).unwrap_or(none());
    sa(this, "encoding", encoding)?;
    let b = s("b")?;
    if !contains(mode, b.ptr())? {
        let enc = if is_none(encoding) {
            let sys = import(c"sys")?;
            let flags = ga(sys.ptr(), "flags")?;
            let u = ga(flags.ptr(), "utf8_mode")?;
            if truth(u.ptr())? {
                s("utf-8")?
            } else {
                s("locale")?
            }
        } else {
            Obj::borrowed(encoding)
        };
        sa(this, "encoding", enc.ptr())?;
    }
    sa(this, "errors", arg(a, 5).unwrap_or(none()))?;
    let delay = arg(a, 4).unwrap_or(crate::boolobject::false_());
    sa(this, "delay", delay)?;
    let bi = import(c"builtins")?;
    let open = ga(bi.ptr(), "open")?;
    sa(this, "_builtin_open", open.ptr())?;
    if truth(delay)? {
        let z = int(0)?;
        handler_init(this, z.ptr())?;
        sa(this, "stream", none())?;
    } else {
        let st = cm(this, "_open", &[])?;
        let sh = g("StreamHandler")?;
        let init = ga(sh.ptr(), "__init__")?;
        call(init.ptr(), &[this, st.ptr()])?;
    }
    Ok(Obj::borrowed(none()))
});

body!(fh_close, a, kw, {
    let this = a[0];
    let l = ga(this, "lock")?;
    with_lock(l.ptr(), || {
        let st = ga(this, "stream")?;
        let mut r = Ok(());
        if truth(st.ptr())? {
            r = cm(this, "flush", &[]).map(drop);
            let saved = crate::pyerrors::take_raised();
            let stream = ga(this, "stream")?;
            sa(this, "stream", none())?;
            if ga_opt(stream.ptr(), "close")?.is_some() {
                cm(stream.ptr(), "close", &[])?;
            }
            crate::pyerrors::restore_raised(saved);
        }
        let saved = crate::pyerrors::take_raised();
        let sh = g("StreamHandler")?;
        let close = ga(sh.ptr(), "close")?;
        call(close.ptr(), &[this])?;
        crate::pyerrors::restore_raised(saved);
        r
    })?;
    Ok(Obj::borrowed(none()))
});

body!(fh_open, a, kw, {
    let this = a[0];
    let open = ga(this, "_builtin_open")?;
    let fname = ga(this, "baseFilename")?;
    let mode = ga(this, "mode")?;
    let kd = new_dict()?;
    let enc = ga(this, "encoding")?;
    let errs = ga(this, "errors")?;
    if crate::dictobject::set_item_str(kd.ptr(), "encoding", enc.ptr()) < 0
        || crate::dictobject::set_item_str(kd.ptr(), "errors", errs.ptr()) < 0
    {
        return Err(());
    }
    call_kw(open.ptr(), &[fname.ptr(), mode.ptr()], kd.ptr())
});

body!(fh_emit, a, kw, {
    let (this, record) = (a[0], a[1]);
    let st = ga(this, "stream")?;
    if is_none(st.ptr()) {
        let mode = ga(this, "mode")?;
        let w = s("w")?;
        let closed = ga(this, "_closed")?;
        if !cmp(mode.ptr(), w.ptr(), EQ)? || !truth(closed.ptr())? {
            match cm(this, "_open", &[]) {
                Ok(st) => sa(this, "stream", st.ptr())?,
                Err(()) => {
                    return emit_failed(this, record);
                }
            }
        }
    }
    let st = ga(this, "stream")?;
    if truth(st.ptr())? {
        let sh = g("StreamHandler")?;
        let emit = ga(sh.ptr(), "emit")?;
        call(emit.ptr(), &[this, record])?;
    }
    Ok(Obj::borrowed(none()))
});

body!(fh_repr, a, kw, {
    let lv = ga(a[0], "level")?;
    let gln = g("getLevelName")?;
    let ln = call(gln.ptr(), &[lv.ptr()])?;
    let lns = str_of(ln.ptr())?;
    let bf = ga(a[0], "baseFilename")?;
    let bfs = str_of(bf.ptr())?;
    let cls = ga(a[0], "__class__")?;
    let cn = ga(cls.ptr(), "__name__")?;
    s(&format!(
        "<{} {} ({})>",
        text(cn.ptr()).unwrap_or_default(),
        text(bfs.ptr()).unwrap_or_default(),
        text(lns.ptr()).unwrap_or_default()
    ))
});

static FH_FUNCS: [FuncDef; 5] = [
    FuncDef::new(
        "FileHandler.__init__",
        &["self", "filename", "mode", "encoding", "delay", "errors"],
        2,
        Kind::Method,
        fh_init,
    ),
    FuncDef::new("FileHandler.close", &["self"], 1, Kind::Method, fh_close),
    FuncDef::new("FileHandler._open", &["self"], 1, Kind::Method, fh_open),
    FuncDef::new(
        "FileHandler.emit",
        &["self", "record"],
        2,
        Kind::Method,
        fh_emit,
    ),
    FuncDef::new("FileHandler.__repr__", &["self"], 1, Kind::Method, fh_repr),
];

body!(stderr_init, a, kw, {
    let z = int(0)?;
    handler_init(a[0], arg(a, 1).unwrap_or(z.ptr()))?;
    Ok(Obj::borrowed(none()))
});

body!(stderr_stream, a, kw, {
    let sys = import(c"sys")?;
    ga(sys.ptr(), "stderr")
});

static STDERR_FUNCS: [FuncDef; 1] = [FuncDef::new(
    "_StderrHandler.__init__",
    &["self", "level"],
    1,
    Kind::Method,
    stderr_init,
)];
static STDERR_STREAM: FuncDef = FuncDef::new(
    "_StderrHandler.stream",
    &["self"],
    1,
    Kind::Method,
    stderr_stream,
);

body!(nh_create_lock, a, kw, {
    sa(a[0], "lock", none())?;
    Ok(Obj::borrowed(none()))
});

static NH_FUNCS: [FuncDef; 4] = [
    FuncDef::new(
        "NullHandler.handle",
        &["self", "record"],
        2,
        Kind::Method,
        h_none,
    ),
    FuncDef::new(
        "NullHandler.emit",
        &["self", "record"],
        2,
        Kind::Method,
        h_none,
    ),
    FuncDef::new(
        "NullHandler.createLock",
        &["self"],
        1,
        Kind::Method,
        nh_create_lock,
    ),
    FuncDef::new(
        "NullHandler._at_fork_reinit",
        &["self"],
        1,
        Kind::Method,
        h_none,
    ),
];

// ---- PlaceHolder, Manager ----------------------------------------------------------------------

body!(ph_init, a, kw, {
    let d = new_dict()?;
    setitem(d.ptr(), a[1], none())?;
    sa(a[0], "loggerMap", d.ptr())?;
    Ok(Obj::borrowed(none()))
});

body!(ph_append, a, kw, {
    let d = ga(a[0], "loggerMap")?;
    if !contains(d.ptr(), a[1])? {
        setitem(d.ptr(), a[1], none())?;
    }
    Ok(Obj::borrowed(none()))
});

static PH_FUNCS: [FuncDef; 2] = [
    FuncDef::new(
        "PlaceHolder.__init__",
        &["self", "alogger"],
        2,
        Kind::Method,
        ph_init,
    ),
    FuncDef::new(
        "PlaceHolder.append",
        &["self", "alogger"],
        2,
        Kind::Method,
        ph_append,
    ),
];

/// `klass != Logger and not issubclass(klass, Logger)` raises CPython's TypeError.
unsafe fn check_logger_class(klass: *mut PyObject) -> Result<(), ()> {
    // SAFETY: live objects (caller).
    unsafe {
        let logger = g("Logger")?;
        if !cmp(klass, logger.ptr(), 3)? {
            return Ok(());
        }
        match crate::abstract_::PyObject_IsSubclass(klass, logger.ptr()) {
            r if r < 0 => Err(()),
            1 => Ok(()),
            _ => {
                let n = ga(klass, "__name__")?;
                let ns = str_of(n.ptr())?;
                err(
                    &raw mut EXC_TypeError,
                    &format!(
                        "logger not derived from logging.Logger: {}",
                        text(ns.ptr()).unwrap_or_default()
                    ),
                )
            }
        }
    }
}

body!(mgr_init, a, kw, {
    let this = a[0];
    sa(this, "root", a[1])?;
    let z = int(0)?;
    sa(this, "disable", z.ptr())?;
    sa(this, "emittedNoHandlerWarning", crate::boolobject::false_())?;
    let d = new_dict()?;
    sa(this, "loggerDict", d.ptr())?;
    sa(this, "loggerClass", none())?;
    sa(this, "logRecordFactory", none())?;
    Ok(Obj::borrowed(none()))
});

body!(mgr_get_disable, a, kw, { ga(a[0], "_disable") });

body!(mgr_set_disable, a, kw, {
    let v = check_level(a[1])?;
    sa(a[0], "_disable", v.ptr())?;
    Ok(Obj::borrowed(none()))
});

/// A new logger of the manager's class (or the module's) named `name`, filed in `loggerDict`.
unsafe fn mgr_new_logger(this: *mut PyObject, name: *mut PyObject) -> R {
    // SAFETY: live objects (caller).
    unsafe {
        let lc = ga(this, "loggerClass")?;
        let cls = if truth(lc.ptr())? {
            lc
        } else {
            g("_loggerClass")?
        };
        let rv = call(cls.ptr(), &[name])?;
        sa(rv.ptr(), "manager", this)?;
        let d = ga(this, "loggerDict")?;
        setitem(d.ptr(), name, rv.ptr())?;
        Ok(rv)
    }
}

body!(mgr_get_logger, a, kw, {
    let (this, name) = (a[0], a[1]);
    if !uni::is_str(name) {
        return err(&raw mut EXC_TypeError, "A logger name must be a string");
    }
    with_module_lock(|| {
        let d = ga(this, "loggerDict")?;
        if contains(d.ptr(), name)? {
            let rv = getitem(d.ptr(), name)?;
            let ph = g("PlaceHolder")?;
            if isinstance(rv.ptr(), ph.ptr())? {
                let n = mgr_new_logger(this, name)?;
                cm(this, "_fixupChildren", &[rv.ptr(), n.ptr()])?;
                cm(this, "_fixupParents", &[n.ptr()])?;
                return Ok(n);
            }
            return Ok(rv);
        }
        let n = mgr_new_logger(this, name)?;
        cm(this, "_fixupParents", &[n.ptr()])?;
        Ok(n)
    })
});

body!(mgr_set_logger_class, a, kw, {
    check_logger_class(a[1])?;
    sa(a[0], "loggerClass", a[1])?;
    Ok(Obj::borrowed(none()))
});

body!(mgr_set_log_record_factory, a, kw, {
    sa(a[0], "logRecordFactory", a[1])?;
    Ok(Obj::borrowed(none()))
});

body!(mgr_fixup_parents, a, kw, {
    let (this, alogger) = (a[0], a[1]);
    let name = ga(alogger, "name")?;
    let ns: Vec<char> = text(name.ptr()).unwrap_or_default().chars().collect();
    let d = ga(this, "loggerDict")?;
    let lcls = g("Logger")?;
    let phcls = g("PlaceHolder")?;
    let rfind = |end: usize| ns[..end].iter().rposition(|&c| c == '.');
    let mut i = rfind(ns.len());
    let mut rv: Option<Obj> = None;
    while let Some(ix) = i {
        if ix == 0 || rv.is_some() {
            break;
        }
        let sub = s(&ns[..ix].iter().collect::<String>())?;
        if !contains(d.ptr(), sub.ptr())? {
            let ph = call(phcls.ptr(), &[alogger])?;
            setitem(d.ptr(), sub.ptr(), ph.ptr())?;
        } else {
            let obj = getitem(d.ptr(), sub.ptr())?;
            if isinstance(obj.ptr(), lcls.ptr())? {
                rv = Some(obj);
            } else {
                cm(obj.ptr(), "append", &[alogger])?;
            }
        }
        // `name.rfind('.', 0, i - 1)`.
        i = if ix >= 1 { rfind(ix - 1) } else { None };
    }
    let rv = match rv {
        Some(r) => r,
        None => ga(this, "root")?,
    };
    sa(alogger, "parent", rv.ptr())?;
    Ok(Obj::borrowed(none()))
});

body!(mgr_fixup_children, a, kw, {
    let (ph, alogger) = (a[1], a[2]);
    let name = ga(alogger, "name")?;
    let ns = text(name.ptr()).unwrap_or_default();
    let nlen = ns.chars().count();
    let map = ga(ph, "loggerMap")?;
    for c in items(map.ptr())? {
        let parent = ga(c.ptr(), "parent")?;
        let pn = ga(parent.ptr(), "name")?;
        let prefix: String = text(pn.ptr())
            .unwrap_or_default()
            .chars()
            .take(nlen)
            .collect();
        if prefix != ns {
            sa(alogger, "parent", parent.ptr())?;
            sa(c.ptr(), "parent", alogger)?;
        }
    }
    Ok(Obj::borrowed(none()))
});

body!(mgr_clear_cache, a, kw, {
    let this = a[0];
    with_module_lock(|| {
        let d = ga(this, "loggerDict")?;
        let lcls = g("Logger")?;
        let vals = cm(d.ptr(), "values", &[])?;
        for l in items(vals.ptr())? {
            if isinstance(l.ptr(), lcls.ptr())? {
                let c = ga(l.ptr(), "_cache")?;
                cm(c.ptr(), "clear", &[])?;
            }
        }
        let root = ga(this, "root")?;
        let c = ga(root.ptr(), "_cache")?;
        cm(c.ptr(), "clear", &[])?;
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

static MGR_FUNCS: [FuncDef; 7] = [
    FuncDef::new(
        "Manager.__init__",
        &["self", "rootnode"],
        2,
        Kind::Method,
        mgr_init,
    ),
    FuncDef::new(
        "Manager.getLogger",
        &["self", "name"],
        2,
        Kind::Method,
        mgr_get_logger,
    ),
    FuncDef::new(
        "Manager.setLoggerClass",
        &["self", "klass"],
        2,
        Kind::Method,
        mgr_set_logger_class,
    ),
    FuncDef::new(
        "Manager.setLogRecordFactory",
        &["self", "factory"],
        2,
        Kind::Method,
        mgr_set_log_record_factory,
    ),
    FuncDef::new(
        "Manager._fixupParents",
        &["self", "alogger"],
        2,
        Kind::Method,
        mgr_fixup_parents,
    ),
    FuncDef::new(
        "Manager._fixupChildren",
        &["self", "ph", "alogger"],
        3,
        Kind::Method,
        mgr_fixup_children,
    ),
    FuncDef::new(
        "Manager._clear_cache",
        &["self"],
        1,
        Kind::Method,
        mgr_clear_cache,
    ),
];
static MGR_DISABLE_GET: FuncDef = FuncDef::new(
    "Manager.disable",
    &["self"],
    1,
    Kind::Method,
    mgr_get_disable,
);
static MGR_DISABLE_SET: FuncDef = FuncDef::new(
    "Manager.disable",
    &["self", "value"],
    2,
    Kind::Method,
    mgr_set_disable,
);

// ---- Logger ------------------------------------------------------------------------------------

body!(lg_init, a, kw, {
    let this = a[0];
    let l = new_list()?;
    sa(this, "filters", l.ptr())?;
    sa(this, "name", a[1])?;
    let z = int(0)?;
    let lv = check_level(arg(a, 2).unwrap_or(z.ptr()))?;
    sa(this, "level", lv.ptr())?;
    sa(this, "parent", none())?;
    sa(this, "propagate", crate::boolobject::true_())?;
    let h = new_list()?;
    sa(this, "handlers", h.ptr())?;
    sa(this, "disabled", crate::boolobject::false_())?;
    let c = new_dict()?;
    sa(this, "_cache", c.ptr())?;
    Ok(Obj::borrowed(none()))
});

body!(lg_set_level, a, kw, {
    let lv = check_level(a[1])?;
    sa(a[0], "level", lv.ptr())?;
    let m = ga(a[0], "manager")?;
    cm(m.ptr(), "_clear_cache", &[])?;
    Ok(Obj::borrowed(none()))
});

/// `if self.isEnabledFor(LEVEL): self._log(LEVEL, msg, args, **kwargs)`.
unsafe fn log_at(level: i64, a: &[*mut PyObject], kw: *mut PyObject) -> R {
    // SAFETY: live arguments (caller).
    unsafe {
        let this = a[0];
        let lv = int(level)?;
        let en = cm(this, "isEnabledFor", &[lv.ptr()])?;
        if truth(en.ptr())? {
            let args = tuple(&a[2..])?;
            let f = ga(this, "_log")?;
            call_kw(f.ptr(), &[lv.ptr(), a[1], args.ptr()], kw)?;
        }
        Ok(Obj::borrowed(none()))
    }
}

body!(lg_debug, a, kw, { log_at(10, a, kw) });
body!(lg_info, a, kw, { log_at(20, a, kw) });
body!(lg_warning, a, kw, { log_at(30, a, kw) });
body!(lg_error, a, kw, { log_at(40, a, kw) });
body!(lg_critical, a, kw, { log_at(50, a, kw) });

/// `warnings.warn(text, DeprecationWarning, 2)`.
unsafe fn deprecated(t: &str) -> Result<(), ()> {
    let w = import(c"warnings")?;
    let m = s(t)?;
    let two = int(2)?;
    let dw = crate::pyerrors::exception_type("DeprecationWarning").unwrap_or(null_mut());
    // SAFETY: live objects.
    unsafe { cm(w.ptr(), "warn", &[m.ptr(), dw.cast(), two.ptr()]).map(drop) }
}

/// Calls `obj.name(*a[from..], **kw)`.
unsafe fn forward(obj: *mut PyObject, name: &str, pre: &[*mut PyObject], kw: *mut PyObject) -> R {
    // SAFETY: live objects (caller).
    unsafe {
        let f = ga(obj, name)?;
        call_kw(f.ptr(), pre, kw)
    }
}

body!(lg_warn, a, kw, {
    deprecated("The 'warn' method is deprecated, use 'warning' instead")?;
    forward(a[0], "warning", &a[1..], kw)?;
    Ok(Obj::borrowed(none()))
});

/// `kw` with `exc_info` set to True when absent (the `exception` methods).
unsafe fn with_exc_info(kw: *mut PyObject) -> R {
    // SAFETY: `kw` NULL or a live dict.
    unsafe {
        let d = if kw.is_null() {
            new_dict()?
        } else {
            ok(Obj::new(crate::dictobject::PyDict_Copy(kw)))?
        };
        let k = s("exc_info")?;
        if !contains(d.ptr(), k.ptr())? {
            setitem(d.ptr(), k.ptr(), crate::boolobject::true_())?;
        }
        Ok(d)
    }
}

body!(lg_exception, a, kw, {
    let k = with_exc_info(kw)?;
    forward(a[0], "error", &a[1..], k.ptr())?;
    Ok(Obj::borrowed(none()))
});

body!(lg_fatal, a, kw, {
    forward(a[0], "critical", &a[1..], kw)?;
    Ok(Obj::borrowed(none()))
});

body!(lg_log, a, kw, {
    let this = a[0];
    let level = a[1];
    if !crate::abstract_::is_long(level) {
        if truth(g("raiseExceptions")?.ptr())? {
            return err(&raw mut EXC_TypeError, "level must be an integer");
        }
        return Ok(Obj::borrowed(none()));
    }
    let en = cm(this, "isEnabledFor", &[level])?;
    if truth(en.ptr())? {
        let args = tuple(&a[3..])?;
        let f = ga(this, "_log")?;
        call_kw(f.ptr(), &[level, a[2], args.ptr()], kw)?;
    }
    Ok(Obj::borrowed(none()))
});

body!(lg_find_caller, a, kw, {
    // No Python frame: `currentframe()` is None, CPython's answer for that case.
    let f = s("(unknown file)")?;
    let z = int(0)?;
    let func = s("(unknown function)")?;
    tuple(&[f.ptr(), z.ptr(), func.ptr(), none()])
});

body!(lg_make_record, a, kw, {
    let (name, level, fname, lno, msg, args, exc_info) = (a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    let func = arg(a, 8).unwrap_or(none());
    let extra = arg(a, 9).unwrap_or(none());
    let sinfo = arg(a, 10).unwrap_or(none());
    let f = g("_logRecordFactory")?;
    let rv = call(
        f.ptr(),
        &[name, level, fname, lno, msg, args, exc_info, func, sinfo],
    )?;
    if !is_none(extra) {
        let d = ga(rv.ptr(), "__dict__")?;
        for key in items(extra)? {
            let ks = text(key.ptr());
            if matches!(ks.as_deref(), Some("message") | Some("asctime"))
                || contains(d.ptr(), key.ptr())?
            {
                let r = repr_of(key.ptr())?;
                let msg = s(&format!(
                    "Attempt to overwrite {} in LogRecord",
                    text(r.ptr()).unwrap_or_default()
                ))?;
                crate::pyerrors::set_object((&raw mut EXC_KeyError).cast(), msg.ptr());
                return Err(());
            }
            let v = getitem(extra, key.ptr())?;
            setitem(d.ptr(), key.ptr(), v.ptr())?;
        }
    }
    Ok(rv)
});

body!(lg_log_, a, kw, {
    let this = a[0];
    let (level, msg, args) = (a[1], a[2], a[3]);
    let mut exc_info = Obj::borrowed(arg(a, 4).unwrap_or(none()));
    let extra = arg(a, 5).unwrap_or(none());
    let stack_info = arg(a, 6).unwrap_or(crate::boolobject::false_());
    let one = int(1)?;
    let stacklevel = arg(a, 7).unwrap_or(one.ptr());
    let (fname, lno, func, sinfo);
    let srcfile = g("_srcfile")?;
    if truth(srcfile.ptr())? {
        // `fn, lno, func, sinfo = self.findCaller(...)` inside `try: ... except ValueError:`,
        // so a result of the wrong length falls back too.
        let got = cm(this, "findCaller", &[stack_info, stacklevel])
            .and_then(|r| items(r.ptr()))
            .and_then(|p| {
                if p.len() == 4 {
                    Ok(p)
                } else {
                    let n = p.len();
                    let msg = if n > 4 {
                        format!("too many values to unpack (expected 4, got {n})")
                    } else {
                        format!("not enough values to unpack (expected 4, got {n})")
                    };
                    err(&raw mut EXC_ValueError, &msg)
                }
            });
        match got {
            Ok(p) => {
                let mut it = p.into_iter();
                fname = it.next().unwrap_or(Obj::borrowed(none()));
                lno = it.next().unwrap_or(Obj::borrowed(none()));
                func = it.next().unwrap_or(Obj::borrowed(none()));
                sinfo = it.next().unwrap_or(Obj::borrowed(none()));
            }
            Err(()) => {
                if !crate::pyerrors::matches_current(&raw mut EXC_ValueError) {
                    return Err(());
                }
                crate::pyerrors::clear();
                fname = s("(unknown file)")?;
                lno = int(0)?;
                func = s("(unknown function)")?;
                sinfo = Obj::borrowed(none());
            }
        }
    } else {
        fname = s("(unknown file)")?;
        lno = int(0)?;
        func = s("(unknown function)")?;
        sinfo = Obj::borrowed(none());
    }
    if truth(exc_info.ptr())? {
        let be = crate::pyerrors::exception_type("BaseException").unwrap_or(null_mut());
        if isinstance(exc_info.ptr(), be.cast())? {
            let e = exc_info.ptr();
            let t = crate::refcount::Py_TYPE(e).cast::<PyObject>();
            let tb = ga(e, "__traceback__")?;
            exc_info = tuple(&[t, e, tb.ptr()])?;
        } else if !crate::tupleobject::is_tuple(exc_info.ptr()) {
            let sys = import(c"sys")?;
            exc_info = cm(sys.ptr(), "exc_info", &[])?;
        }
    }
    let name = ga(this, "name")?;
    let record = cm(
        this,
        "makeRecord",
        &[
            name.ptr(),
            level,
            fname.ptr(),
            lno.ptr(),
            msg,
            args,
            exc_info.ptr(),
            func.ptr(),
            extra,
            sinfo.ptr(),
        ],
    )?;
    cm(this, "handle", &[record.ptr()])?;
    Ok(Obj::borrowed(none()))
});

body!(lg_handle, a, kw, {
    let this = a[0];
    let d = ga(this, "disabled")?;
    if truth(d.ptr())? {
        return Ok(Obj::borrowed(none()));
    }
    let mut record = Obj::borrowed(a[1]);
    let mr = cm(this, "filter", &[record.ptr()])?;
    if !truth(mr.ptr())? {
        return Ok(Obj::borrowed(none()));
    }
    let lr = g("LogRecord")?;
    if isinstance(mr.ptr(), lr.ptr())? {
        record = mr;
    }
    cm(this, "callHandlers", &[record.ptr()])?;
    Ok(Obj::borrowed(none()))
});

body!(lg_add_handler, a, kw, {
    let this = a[0];
    with_module_lock(|| {
        let hs = ga(this, "handlers")?;
        if !contains(hs.ptr(), a[1])? {
            cm(hs.ptr(), "append", &[a[1]])?;
        }
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

body!(lg_remove_handler, a, kw, {
    let this = a[0];
    with_module_lock(|| {
        let hs = ga(this, "handlers")?;
        if contains(hs.ptr(), a[1])? {
            let c = cm(hs.ptr(), "copy", &[])?;
            cm(c.ptr(), "remove", &[a[1]])?;
            sa(this, "handlers", c.ptr())?;
        }
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

body!(lg_has_handlers, a, kw, {
    let mut c = Obj::borrowed(a[0]);
    while truth(c.ptr())? {
        let hs = ga(c.ptr(), "handlers")?;
        if truth(hs.ptr())? {
            return Ok(Obj::new(crate::abc::py_bool(true)));
        }
        let p = ga(c.ptr(), "propagate")?;
        if !truth(p.ptr())? {
            break;
        }
        c = ga(c.ptr(), "parent")?;
    }
    Ok(Obj::new(crate::abc::py_bool(false)))
});

body!(lg_call_handlers, a, kw, {
    let (this, record) = (a[0], a[1]);
    let mut c = Obj::borrowed(this);
    let mut found = 0usize;
    let levelno = ga(record, "levelno")?;
    while truth(c.ptr())? {
        let hs = ga(c.ptr(), "handlers")?;
        for h in items(hs.ptr())? {
            found += 1;
            let hl = ga(h.ptr(), "level")?;
            if cmp(levelno.ptr(), hl.ptr(), GE)? {
                cm(h.ptr(), "handle", &[record])?;
            }
        }
        let p = ga(c.ptr(), "propagate")?;
        if !truth(p.ptr())? {
            break;
        }
        c = ga(c.ptr(), "parent")?;
    }
    if found == 0 {
        let lr = g("lastResort")?;
        if truth(lr.ptr())? {
            let hl = ga(lr.ptr(), "level")?;
            if cmp(levelno.ptr(), hl.ptr(), GE)? {
                cm(lr.ptr(), "handle", &[record])?;
            }
        } else if truth(g("raiseExceptions")?.ptr())? {
            let m = ga(this, "manager")?;
            let w = ga(m.ptr(), "emittedNoHandlerWarning")?;
            if !truth(w.ptr())? {
                let sys = import(c"sys")?;
                let stderr = ga(sys.ptr(), "stderr")?;
                let n = ga(this, "name")?;
                let ns = str_of(n.ptr())?;
                write_stderr(
                    stderr.ptr(),
                    &format!(
                        "No handlers could be found for logger \"{}\"\n",
                        text(ns.ptr()).unwrap_or_default()
                    ),
                )?;
                sa(
                    m.ptr(),
                    "emittedNoHandlerWarning",
                    crate::boolobject::true_(),
                )?;
            }
        }
    }
    Ok(Obj::borrowed(none()))
});

body!(lg_get_effective_level, a, kw, {
    let mut l = Obj::borrowed(a[0]);
    while truth(l.ptr())? {
        let lv = ga(l.ptr(), "level")?;
        if truth(lv.ptr())? {
            return Ok(lv);
        }
        l = ga(l.ptr(), "parent")?;
    }
    int(0)
});

body!(lg_is_enabled_for, a, kw, {
    let (this, level) = (a[0], a[1]);
    let d = ga(this, "disabled")?;
    if truth(d.ptr())? {
        return Ok(Obj::new(crate::abc::py_bool(false)));
    }
    let cache = ga(this, "_cache")?;
    let mut hit = null_mut();
    match crate::dictobject::PyDict_GetItemRef(cache.ptr(), level, &mut hit) {
        r if r < 0 => return Err(()),
        0 => {}
        _ => return Ok(Obj::new(hit)),
    }
    with_module_lock(|| {
        let m = ga(this, "manager")?;
        let dis = ga(m.ptr(), "disable")?;
        let r = if cmp(dis.ptr(), level, GE)? {
            false
        } else {
            let eff = cm(this, "getEffectiveLevel", &[])?;
            cmp(level, eff.ptr(), GE)?
        };
        let b = Obj::new(crate::abc::py_bool(r));
        setitem(cache.ptr(), level, b.ptr())?;
        Ok(b)
    })
});

body!(lg_get_child, a, kw, {
    let this = a[0];
    let root = ga(this, "root")?;
    let mut suffix = Obj::borrowed(a[1]);
    if root.ptr() != this {
        let n = ga(this, "name")?;
        let dot = s(".")?;
        let t = tuple(&[n.ptr(), suffix.ptr()])?;
        suffix = cm(dot.ptr(), "join", &[t.ptr()])?;
    }
    let m = ga(this, "manager")?;
    cm(m.ptr(), "getLogger", &[suffix.ptr()])
});

/// `_hierlevel(logger)`: 0 for the manager's root, else one more than the dots in the name.
unsafe fn hierlevel(l: *mut PyObject) -> Result<usize, ()> {
    // SAFETY: live objects (caller).
    unsafe {
        let m = ga(l, "manager")?;
        let r = ga(m.ptr(), "root")?;
        if r.ptr() == l {
            return Ok(0);
        }
        let n = ga(l, "name")?;
        let dot = s(".")?;
        let c = cm(n.ptr(), "count", &[dot.ptr()])?;
        Ok(1 + as_i64(c.ptr()).unwrap_or(0) as usize)
    }
}

body!(lg_get_children, a, kw, {
    let this = a[0];
    let m = ga(this, "manager")?;
    let d = ga(m.ptr(), "loggerDict")?;
    let lcls = g("Logger")?;
    with_module_lock(|| {
        let out = ok(Obj::new(crate::setobject::PySet_New(null_mut())))?;
        let vals = cm(d.ptr(), "values", &[])?;
        for item in items(vals.ptr())? {
            if !isinstance(item.ptr(), lcls.ptr())? {
                continue;
            }
            let p = ga(item.ptr(), "parent")?;
            if p.ptr() != this {
                continue;
            }
            if hierlevel(item.ptr())? == 1 + hierlevel(p.ptr())?
                && crate::setobject::add(out.ptr(), item.ptr()) < 0
            {
                return Err(());
            }
        }
        Ok(out)
    })
});

body!(lg_repr, a, kw, {
    let eff = cm(a[0], "getEffectiveLevel", &[])?;
    let gln = g("getLevelName")?;
    let ln = call(gln.ptr(), &[eff.ptr()])?;
    let lns = str_of(ln.ptr())?;
    let n = ga(a[0], "name")?;
    let ns = str_of(n.ptr())?;
    let cls = ga(a[0], "__class__")?;
    let cn = ga(cls.ptr(), "__name__")?;
    s(&format!(
        "<{} {} ({})>",
        text(cn.ptr()).unwrap_or_default(),
        text(ns.ptr()).unwrap_or_default(),
        text(lns.ptr()).unwrap_or_default()
    ))
});

body!(lg_reduce, a, kw, {
    let n = ga(a[0], "name")?;
    let gl = g("getLogger")?;
    let l = call(gl.ptr(), &[n.ptr()])?;
    if l.ptr() != a[0] {
        let p = import(c"pickle")?;
        let pe = ga(p.ptr(), "PicklingError")?;
        let m = s("logger cannot be pickled")?;
        crate::pyerrors::set_object(pe.ptr(), m.ptr());
        return Err(());
    }
    let args = tuple(&[n.ptr()])?;
    tuple(&[gl.ptr(), args.ptr()])
});

static LG_FUNCS: [FuncDef; 25] = [
    FuncDef::new(
        "Logger.__init__",
        &["self", "name", "level"],
        2,
        Kind::Method,
        lg_init,
    ),
    FuncDef::new(
        "Logger.setLevel",
        &["self", "level"],
        2,
        Kind::Method,
        lg_set_level,
    ),
    FuncDef::new("Logger.debug", &["self", "msg"], 2, Kind::Method, lg_debug)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("Logger.info", &["self", "msg"], 2, Kind::Method, lg_info)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new(
        "Logger.warning",
        &["self", "msg"],
        2,
        Kind::Method,
        lg_warning,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new("Logger.warn", &["self", "msg"], 2, Kind::Method, lg_warn)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("Logger.error", &["self", "msg"], 2, Kind::Method, lg_error)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new(
        "Logger.exception",
        &["self", "msg"],
        2,
        Kind::Method,
        lg_exception,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "Logger.critical",
        &["self", "msg"],
        2,
        Kind::Method,
        lg_critical,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new("Logger.fatal", &["self", "msg"], 2, Kind::Method, lg_fatal)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new(
        "Logger.log",
        &["self", "level", "msg"],
        3,
        Kind::Method,
        lg_log,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "Logger.findCaller",
        &["self", "stack_info", "stacklevel"],
        1,
        Kind::Method,
        lg_find_caller,
    ),
    FuncDef::new(
        "Logger.makeRecord",
        &[
            "self", "name", "level", "fn", "lno", "msg", "args", "exc_info", "func", "extra",
            "sinfo",
        ],
        8,
        Kind::Method,
        lg_make_record,
    ),
    FuncDef::new(
        "Logger._log",
        &[
            "self",
            "level",
            "msg",
            "args",
            "exc_info",
            "extra",
            "stack_info",
            "stacklevel",
        ],
        4,
        Kind::Method,
        lg_log_,
    ),
    FuncDef::new(
        "Logger.handle",
        &["self", "record"],
        2,
        Kind::Method,
        lg_handle,
    ),
    FuncDef::new(
        "Logger.addHandler",
        &["self", "hdlr"],
        2,
        Kind::Method,
        lg_add_handler,
    ),
    FuncDef::new(
        "Logger.removeHandler",
        &["self", "hdlr"],
        2,
        Kind::Method,
        lg_remove_handler,
    ),
    FuncDef::new(
        "Logger.hasHandlers",
        &["self"],
        1,
        Kind::Method,
        lg_has_handlers,
    ),
    FuncDef::new(
        "Logger.callHandlers",
        &["self", "record"],
        2,
        Kind::Method,
        lg_call_handlers,
    ),
    FuncDef::new(
        "Logger.getEffectiveLevel",
        &["self"],
        1,
        Kind::Method,
        lg_get_effective_level,
    ),
    FuncDef::new(
        "Logger.isEnabledFor",
        &["self", "level"],
        2,
        Kind::Method,
        lg_is_enabled_for,
    ),
    FuncDef::new(
        "Logger.getChild",
        &["self", "suffix"],
        2,
        Kind::Method,
        lg_get_child,
    ),
    FuncDef::new(
        "Logger.getChildren",
        &["self"],
        1,
        Kind::Method,
        lg_get_children,
    ),
    FuncDef::new("Logger.__repr__", &["self"], 1, Kind::Method, lg_repr),
    FuncDef::new("Logger.__reduce__", &["self"], 1, Kind::Method, lg_reduce),
];

body!(rl_init, a, kw, {
    let lcls = g("Logger")?;
    let init = ga(lcls.ptr(), "__init__")?;
    let n = s("root")?;
    call(init.ptr(), &[a[0], n.ptr(), a[1]])?;
    Ok(Obj::borrowed(none()))
});

body!(rl_reduce, a, kw, {
    let gl = g("getLogger")?;
    let t = tuple(&[])?;
    tuple(&[gl.ptr(), t.ptr()])
});

static RL_FUNCS: [FuncDef; 2] = [
    FuncDef::new(
        "RootLogger.__init__",
        &["self", "level"],
        2,
        Kind::Method,
        rl_init,
    ),
    FuncDef::new(
        "RootLogger.__reduce__",
        &["self"],
        1,
        Kind::Method,
        rl_reduce,
    ),
];

// ---- LoggerAdapter -----------------------------------------------------------------------------

body!(la_init, a, kw, {
    sa(a[0], "logger", a[1])?;
    sa(a[0], "extra", arg(a, 2).unwrap_or(none()))?;
    sa(
        a[0],
        "merge_extra",
        arg(a, 3).unwrap_or(crate::boolobject::false_()),
    )?;
    Ok(Obj::borrowed(none()))
});

body!(la_process, a, kw, {
    let (this, msg, kwargs) = (a[0], a[1], a[2]);
    let merge = ga(this, "merge_extra")?;
    let key = s("extra")?;
    let extra = ga(this, "extra")?;
    let given = cm(kwargs, "get", &[key.ptr()])?;
    if truth(merge.ptr())? && !is_none(given.ptr()) {
        if !is_none(extra.ptr()) {
            let d = new_dict()?;
            cm(d.ptr(), "update", &[extra.ptr()])?;
            cm(d.ptr(), "update", &[given.ptr()])?;
            setitem(kwargs, key.ptr(), d.ptr())?;
        }
    } else {
        setitem(kwargs, key.ptr(), extra.ptr())?;
    }
    tuple(&[msg, kwargs])
});

/// `self.log(LEVEL, msg, *args, **kwargs)`.
unsafe fn la_at(level: i64, a: &[*mut PyObject], kw: *mut PyObject) -> R {
    let lv = int(level)?;
    let mut pre = vec![lv.ptr()];
    pre.extend_from_slice(&a[1..]);
    // SAFETY: live arguments (caller).
    unsafe { forward(a[0], "log", &pre, kw) }
}

body!(la_debug, a, kw, { la_at(10, a, kw) });
body!(la_info, a, kw, { la_at(20, a, kw) });
body!(la_warning, a, kw, { la_at(30, a, kw) });
body!(la_error, a, kw, { la_at(40, a, kw) });
body!(la_critical, a, kw, { la_at(50, a, kw) });

body!(la_warn, a, kw, {
    deprecated("The 'warn' method is deprecated, use 'warning' instead")?;
    forward(a[0], "warning", &a[1..], kw)
});

body!(la_exception, a, kw, {
    let k = with_exc_info(kw)?;
    la_at(40, a, k.ptr())
});

body!(la_log, a, kw, {
    let (this, level, msg) = (a[0], a[1], a[2]);
    let en = cm(this, "isEnabledFor", &[level])?;
    if truth(en.ptr())? {
        let kd = if kw.is_null() {
            new_dict()?
        } else {
            ok(Obj::new(crate::dictobject::PyDict_Copy(kw)))?
        };
        let r = cm(this, "process", &[msg, kd.ptr()])?;
        let p = items(r.ptr())?;
        if p.len() != 2 {
            return err(
                &raw mut EXC_ValueError,
                "process() must return (msg, kwargs)",
            );
        }
        let logger = ga(this, "logger")?;
        let mut pre = vec![level, p[0].ptr()];
        pre.extend_from_slice(&a[3..]);
        forward(logger.ptr(), "log", &pre, p[1].ptr())?;
    }
    Ok(Obj::borrowed(none()))
});

body!(la_is_enabled_for, a, kw, {
    let l = ga(a[0], "logger")?;
    cm(l.ptr(), "isEnabledFor", &[a[1]])
});

body!(la_set_level, a, kw, {
    let l = ga(a[0], "logger")?;
    cm(l.ptr(), "setLevel", &[a[1]])
});

body!(la_get_effective_level, a, kw, {
    let l = ga(a[0], "logger")?;
    cm(l.ptr(), "getEffectiveLevel", &[])
});

body!(la_has_handlers, a, kw, {
    let l = ga(a[0], "logger")?;
    cm(l.ptr(), "hasHandlers", &[])
});

body!(la_log_, a, kw, {
    let l = ga(a[0], "logger")?;
    forward(l.ptr(), "_log", &a[1..], kw)
});

body!(la_get_manager, a, kw, {
    let l = ga(a[0], "logger")?;
    ga(l.ptr(), "manager")
});

body!(la_set_manager, a, kw, {
    let l = ga(a[0], "logger")?;
    sa(l.ptr(), "manager", a[1])?;
    Ok(Obj::borrowed(none()))
});

body!(la_name, a, kw, {
    let l = ga(a[0], "logger")?;
    ga(l.ptr(), "name")
});

body!(la_repr, a, kw, {
    let l = ga(a[0], "logger")?;
    let eff = cm(l.ptr(), "getEffectiveLevel", &[])?;
    let gln = g("getLevelName")?;
    let ln = call(gln.ptr(), &[eff.ptr()])?;
    let lns = str_of(ln.ptr())?;
    let n = ga(l.ptr(), "name")?;
    let ns = str_of(n.ptr())?;
    let cls = ga(a[0], "__class__")?;
    let cn = ga(cls.ptr(), "__name__")?;
    s(&format!(
        "<{} {} ({})>",
        text(cn.ptr()).unwrap_or_default(),
        text(ns.ptr()).unwrap_or_default(),
        text(lns.ptr()).unwrap_or_default()
    ))
});

static LA_FUNCS: [FuncDef; 16] = [
    FuncDef::new(
        "LoggerAdapter.__init__",
        &["self", "logger", "extra", "merge_extra"],
        2,
        Kind::Method,
        la_init,
    ),
    FuncDef::new(
        "LoggerAdapter.process",
        &["self", "msg", "kwargs"],
        3,
        Kind::Method,
        la_process,
    ),
    FuncDef::new(
        "LoggerAdapter.debug",
        &["self", "msg"],
        2,
        Kind::Method,
        la_debug,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.info",
        &["self", "msg"],
        2,
        Kind::Method,
        la_info,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.warning",
        &["self", "msg"],
        2,
        Kind::Method,
        la_warning,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.warn",
        &["self", "msg"],
        2,
        Kind::Method,
        la_warn,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.error",
        &["self", "msg"],
        2,
        Kind::Method,
        la_error,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.exception",
        &["self", "msg"],
        2,
        Kind::Method,
        la_exception,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.critical",
        &["self", "msg"],
        2,
        Kind::Method,
        la_critical,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.log",
        &["self", "level", "msg"],
        3,
        Kind::Method,
        la_log,
    )
    .with_varargs()
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.isEnabledFor",
        &["self", "level"],
        2,
        Kind::Method,
        la_is_enabled_for,
    ),
    FuncDef::new(
        "LoggerAdapter.setLevel",
        &["self", "level"],
        2,
        Kind::Method,
        la_set_level,
    ),
    FuncDef::new(
        "LoggerAdapter.getEffectiveLevel",
        &["self"],
        1,
        Kind::Method,
        la_get_effective_level,
    ),
    FuncDef::new(
        "LoggerAdapter.hasHandlers",
        &["self"],
        1,
        Kind::Method,
        la_has_handlers,
    ),
    FuncDef::new(
        "LoggerAdapter._log",
        &["self", "level", "msg", "args"],
        4,
        Kind::Method,
        la_log_,
    )
    .with_kwargs(),
    FuncDef::new(
        "LoggerAdapter.__repr__",
        &["self"],
        1,
        Kind::Method,
        la_repr,
    ),
];
static LA_MANAGER_GET: FuncDef = FuncDef::new(
    "LoggerAdapter.manager",
    &["self"],
    1,
    Kind::Method,
    la_get_manager,
);
static LA_MANAGER_SET: FuncDef = FuncDef::new(
    "LoggerAdapter.manager",
    &["self", "value"],
    2,
    Kind::Method,
    la_set_manager,
);
static LA_NAME: FuncDef = FuncDef::new("LoggerAdapter.name", &["self"], 1, Kind::Method, la_name);

// ---- module functions --------------------------------------------------------------------------

body!(f_set_logger_class, a, kw, {
    check_logger_class(a[0])?;
    set_g("_loggerClass", a[0])?;
    Ok(Obj::borrowed(none()))
});

body!(f_get_logger_class, a, kw, { g("_loggerClass") });

body!(f_get_logger, a, kw, {
    let name = arg(a, 0).unwrap_or(none());
    let root = g("root")?;
    if !truth(name)? {
        return Ok(root);
    }
    if uni::is_str(name) {
        let rn = ga(root.ptr(), "name")?;
        if cmp(name, rn.ptr(), EQ)? {
            return Ok(root);
        }
    }
    let lcls = g("Logger")?;
    let m = ga(lcls.ptr(), "manager")?;
    cm(m.ptr(), "getLogger", &[name])
});

body!(f_basic_config, a, kw, {
    let kd = if kw.is_null() {
        new_dict()?
    } else {
        ok(Obj::new(crate::dictobject::PyDict_Copy(kw)))?
    };
    let kd = kd.ptr();
    // `kwargs.pop(name, default)`.
    let pop = |name: &str, dflt: *mut PyObject| -> R {
        let k = s(name)?;
        cm(kd, "pop", &[k.ptr(), dflt])
    };
    let has = |name: &str| -> Result<bool, ()> {
        let k = s(name)?;
        contains(kd, k.ptr())
    };
    with_module_lock(|| {
        let root = g("root")?;
        let force = pop("force", crate::boolobject::false_())?;
        let mut encoding = pop("encoding", none())?;
        let br = s("backslashreplace")?;
        let mut errors = pop("errors", br.ptr())?;
        if truth(force.ptr())? {
            let hs = ga(root.ptr(), "handlers")?;
            for h in items(hs.ptr())? {
                cm(root.ptr(), "removeHandler", &[h.ptr()])?;
                cm(h.ptr(), "close", &[])?;
            }
        }
        let hs = ga(root.ptr(), "handlers")?;
        if length(hs.ptr())? != 0 {
            return Ok(());
        }
        let mut handlers = pop("handlers", none())?;
        if is_none(handlers.ptr()) {
            if has("stream")? && has("filename")? {
                return err(
                    &raw mut EXC_ValueError,
                    "'stream' and 'filename' should not be specified together",
                );
            }
        } else if has("stream")? || has("filename")? {
            return err(
                &raw mut EXC_ValueError,
                "'stream' or 'filename' should not be specified together with 'handlers'",
            );
        }
        if is_none(handlers.ptr()) {
            let filename = pop("filename", none())?;
            let am = s("a")?;
            let mode = pop("filemode", am.ptr())?;
            let h = if truth(filename.ptr())? {
                let b = s("b")?;
                if contains(mode.ptr(), b.ptr())? {
                    errors = Obj::borrowed(none());
                } else if is_none(encoding.ptr()) {
                    let sys = import(c"sys")?;
                    let flags = ga(sys.ptr(), "flags")?;
                    let u = ga(flags.ptr(), "utf8_mode")?;
                    encoding = if truth(u.ptr())? {
                        s("utf-8")?
                    } else {
                        s("locale")?
                    };
                }
                let fh = g("FileHandler")?;
                let k = new_dict()?;
                if crate::dictobject::set_item_str(k.ptr(), "encoding", encoding.ptr()) < 0
                    || crate::dictobject::set_item_str(k.ptr(), "errors", errors.ptr()) < 0
                {
                    return Err(());
                }
                call_kw(fh.ptr(), &[filename.ptr(), mode.ptr()], k.ptr())?
            } else {
                let stream = pop("stream", none())?;
                let sh = g("StreamHandler")?;
                call(sh.ptr(), &[stream.ptr()])?
            };
            handlers = ok(Obj::new(crate::listobject::from_slice(&[h.ptr()])))?;
        }
        let dfs = pop("datefmt", none())?;
        let pct = s("%")?;
        let style = pop("style", pct.ptr())?;
        let entry = style_entry(style.ptr())?;
        let one = int(1)?;
        let dflt_fmt = getitem(entry.ptr(), one.ptr())?;
        let fs = pop("format", dflt_fmt.ptr())?;
        let fcls = g("Formatter")?;
        let fmt = call(fcls.ptr(), &[fs.ptr(), dfs.ptr(), style.ptr()])?;
        for h in items(handlers.ptr())? {
            let hf = ga(h.ptr(), "formatter")?;
            if is_none(hf.ptr()) {
                cm(h.ptr(), "setFormatter", &[fmt.ptr()])?;
            }
            cm(root.ptr(), "addHandler", &[h.ptr()])?;
        }
        let level = pop("level", none())?;
        if !is_none(level.ptr()) {
            cm(root.ptr(), "setLevel", &[level.ptr()])?;
        }
        if crate::dictobject::len(kd) != 0 {
            let keys: Vec<String> = items(kd)?
                .iter()
                .map(|k| text(k.ptr()).unwrap_or_default())
                .collect();
            return err(
                &raw mut EXC_ValueError,
                &format!("Unrecognised argument(s): {}", keys.join(", ")),
            );
        }
        Ok(())
    })?;
    Ok(Obj::borrowed(none()))
});

/// The module-level logging functions: `basicConfig()` when the root has no handler, then
/// `root.<method>(*args, **kwargs)`.
unsafe fn root_call(method: &str, a: &[*mut PyObject], kw: *mut PyObject) -> R {
    // SAFETY: live arguments (caller).
    unsafe {
        let root = g("root")?;
        let hs = ga(root.ptr(), "handlers")?;
        if length(hs.ptr())? == 0 {
            let bc = g("basicConfig")?;
            call(bc.ptr(), &[])?;
        }
        forward(root.ptr(), method, a, kw)?;
        Ok(Obj::borrowed(none()))
    }
}

body!(f_critical, a, kw, { root_call("critical", a, kw) });
body!(f_error, a, kw, { root_call("error", a, kw) });
body!(f_warning, a, kw, { root_call("warning", a, kw) });
body!(f_info, a, kw, { root_call("info", a, kw) });
body!(f_debug, a, kw, { root_call("debug", a, kw) });
body!(f_log, a, kw, { root_call("log", a, kw) });

body!(f_fatal, a, kw, {
    let c = g("critical")?;
    call_kw(c.ptr(), a, kw)
});

body!(f_exception, a, kw, {
    let k = with_exc_info(kw)?;
    let e = g("error")?;
    call_kw(e.ptr(), a, k.ptr())
});

body!(f_warn, a, kw, {
    deprecated("The 'warn' function is deprecated, use 'warning' instead")?;
    let w = g("warning")?;
    call_kw(w.ptr(), a, kw)
});

body!(f_disable, a, kw, {
    let c = int(50)?;
    let level = arg(a, 0).unwrap_or(c.ptr());
    let root = g("root")?;
    let m = ga(root.ptr(), "manager")?;
    sa(m.ptr(), "disable", level)?;
    cm(m.ptr(), "_clear_cache", &[])?;
    Ok(Obj::borrowed(none()))
});

body!(f_shutdown, a, kw, {
    let hl = match arg(a, 0) {
        Some(h) => Obj::borrowed(h),
        None => g("_handlerList")?,
    };
    let copy = ok(Obj::new(crate::abstract_::PySequence_List(hl.ptr())))?;
    let mut refs = items(copy.ptr())?;
    refs.reverse();
    for wr in refs {
        let step = || -> Result<(), ()> {
            let h = call(wr.ptr(), &[])?;
            if !truth(h.ptr())? {
                return Ok(());
            }
            let inner = || -> Result<(), ()> {
                cm(h.ptr(), "acquire", &[])?;
                let foc = match ga_opt(h.ptr(), "flushOnClose")? {
                    Some(v) => truth(v.ptr())?,
                    None => true,
                };
                if foc {
                    cm(h.ptr(), "flush", &[])?;
                }
                cm(h.ptr(), "close", &[])?;
                Ok(())
            };
            let r = inner();
            if r.is_err() {
                let os = crate::pyerrors::exception_type("OSError").unwrap_or(null_mut());
                if crate::pyerrors::matches_current(os)
                    || crate::pyerrors::matches_current(&raw mut EXC_ValueError)
                {
                    crate::pyerrors::clear();
                }
            }
            let saved = crate::pyerrors::take_raised();
            let rel = cm(h.ptr(), "release", &[]);
            if rel.is_err() {
                crate::refcount::xdecref(saved);
                return Err(());
            }
            crate::pyerrors::restore_raised(saved);
            if crate::pyerrors::occurred() {
                Err(())
            } else {
                Ok(())
            }
        };
        if step().is_err() {
            if truth(g("raiseExceptions")?.ptr())? {
                return Err(());
            }
            crate::pyerrors::clear();
        }
    }
    Ok(Obj::borrowed(none()))
});

body!(f_showwarning, a, kw, {
    let (message, category, filename, lineno) = (a[0], a[1], a[2], a[3]);
    let file = arg(a, 4).unwrap_or(none());
    let line = arg(a, 5).unwrap_or(none());
    if !is_none(file) {
        let orig = g("_warnings_showwarning")?;
        if !is_none(orig.ptr()) {
            call(
                orig.ptr(),
                &[message, category, filename, lineno, file, line],
            )?;
        }
        return Ok(Obj::borrowed(none()));
    }
    let w = import(c"warnings")?;
    let st = cm(
        w.ptr(),
        "formatwarning",
        &[message, category, filename, lineno, line],
    )?;
    let gl = g("getLogger")?;
    let n = s("py.warnings")?;
    let logger = call(gl.ptr(), &[n.ptr()])?;
    let hs = ga(logger.ptr(), "handlers")?;
    if !truth(hs.ptr())? {
        let nh = g("NullHandler")?;
        let h = call(nh.ptr(), &[])?;
        cm(logger.ptr(), "addHandler", &[h.ptr()])?;
    }
    let sst = str_of(st.ptr())?;
    cm(logger.ptr(), "warning", &[sst.ptr()])?;
    Ok(Obj::borrowed(none()))
});

body!(f_capture_warnings, a, kw, {
    let w = import(c"warnings")?;
    let orig = g("_warnings_showwarning")?;
    if truth(a[0])? {
        if is_none(orig.ptr()) {
            let cur = ga(w.ptr(), "showwarning")?;
            set_g("_warnings_showwarning", cur.ptr())?;
            let sw = g("_showwarning")?;
            sa(w.ptr(), "showwarning", sw.ptr())?;
        }
    } else if !is_none(orig.ptr()) {
        sa(w.ptr(), "showwarning", orig.ptr())?;
        set_g("_warnings_showwarning", none())?;
    }
    Ok(Obj::borrowed(none()))
});

/// The module's functions; `Kind::Method` makes them bind when put in a class, as CPython's
/// Python functions do (a module attribute is never bound).
static FUNCS: [FuncDef; 29] = [
    FuncDef::new(
        "getLevelNamesMapping",
        &[],
        0,
        Kind::Method,
        f_get_level_names_mapping,
    ),
    FuncDef::new(
        "getLevelName",
        &["level"],
        1,
        Kind::Method,
        f_get_level_name,
    ),
    FuncDef::new(
        "addLevelName",
        &["level", "levelName"],
        2,
        Kind::Method,
        f_add_level_name,
    ),
    FuncDef::new("_checkLevel", &["level"], 1, Kind::Method, f_check_level),
    FuncDef::new("currentframe", &[], 0, Kind::Method, f_currentframe),
    FuncDef::new(
        "setLogRecordFactory",
        &["factory"],
        1,
        Kind::Method,
        f_set_log_record_factory,
    ),
    FuncDef::new(
        "getLogRecordFactory",
        &[],
        0,
        Kind::Method,
        f_get_log_record_factory,
    ),
    FuncDef::new(
        "makeLogRecord",
        &["dict"],
        1,
        Kind::Method,
        f_make_log_record,
    ),
    FuncDef::new(
        "_removeHandlerRef",
        &["wr"],
        1,
        Kind::Method,
        f_remove_handler_ref,
    ),
    FuncDef::new(
        "_addHandlerRef",
        &["handler"],
        1,
        Kind::Method,
        f_add_handler_ref,
    ),
    FuncDef::new(
        "getHandlerByName",
        &["name"],
        1,
        Kind::Method,
        f_get_handler_by_name,
    ),
    FuncDef::new("getHandlerNames", &[], 0, Kind::Method, f_get_handler_names),
    FuncDef::new(
        "setLoggerClass",
        &["klass"],
        1,
        Kind::Method,
        f_set_logger_class,
    ),
    FuncDef::new("getLoggerClass", &[], 0, Kind::Method, f_get_logger_class),
    FuncDef::new("basicConfig", &[], 0, Kind::Method, f_basic_config).with_kwargs(),
    FuncDef::new("getLogger", &["name"], 0, Kind::Method, f_get_logger),
    FuncDef::new("critical", &["msg"], 1, Kind::Method, f_critical)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("fatal", &["msg"], 1, Kind::Method, f_fatal)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("error", &["msg"], 1, Kind::Method, f_error)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("exception", &["msg"], 1, Kind::Method, f_exception)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("warning", &["msg"], 1, Kind::Method, f_warning)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("warn", &["msg"], 1, Kind::Method, f_warn)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("info", &["msg"], 1, Kind::Method, f_info)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("debug", &["msg"], 1, Kind::Method, f_debug)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("log", &["level", "msg"], 2, Kind::Method, f_log)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new("disable", &["level"], 0, Kind::Method, f_disable),
    FuncDef::new("shutdown", &["handlerList"], 0, Kind::Method, f_shutdown),
    FuncDef::new(
        "_showwarning",
        &["message", "category", "filename", "lineno", "file", "line"],
        4,
        Kind::Method,
        f_showwarning,
    ),
    FuncDef::new(
        "captureWarnings",
        &["capture"],
        1,
        Kind::Method,
        f_capture_warnings,
    ),
];

// ---- the module --------------------------------------------------------------------------------

/// `property(fget, fset)` of two defs.
fn property(get: &'static FuncDef, set: Option<&'static FuncDef>) -> R {
    let bi = import(c"builtins")?;
    // SAFETY: a live module.
    let p = unsafe { ga(bi.ptr(), "property")? };
    let g = ok(Obj::new(new_func(get, null_mut())))?;
    let s = match set {
        Some(d) => ok(Obj::new(new_func(d, null_mut())))?,
        None => Obj::borrowed(none()),
    };
    // SAFETY: live objects.
    unsafe { call(p.ptr(), &[g.ptr(), s.ptr()]) }
}

fn build() -> Option<usize> {
    START_NS.get_or_init(now_ns);
    let name = uni::intern("logging");
    // SAFETY: `name` is a live str; every object put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return None;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let set = |k: &str, v: *mut PyObject| -> Option<()> {
            if crate::dictobject::set_item_str(d, k, v) < 0 {
                None
            } else {
                Some(())
            }
        };
        MDICT.store(d, Ordering::Release);
        build_into(d, &set)?;
        Some(m as usize)
    }
}

unsafe fn build_into(
    d: *mut PyObject,
    set: &dyn Fn(&str, *mut PyObject) -> Option<()>,
) -> Option<()> {
    // SAFETY: `d` is the live module dict; every object put in it is live.
    unsafe {
        add_funcs(d, &FUNCS).ok()?;
        let levels: [(&str, i64); 8] = [
            ("CRITICAL", 50),
            ("FATAL", 50),
            ("ERROR", 40),
            ("WARNING", 30),
            ("WARN", 30),
            ("INFO", 20),
            ("DEBUG", 10),
            ("NOTSET", 0),
        ];
        for (n, v) in levels {
            set(n, int(v).ok()?.ptr())?;
        }
        let l2n = new_dict().ok()?;
        for (v, n) in [
            (50, "CRITICAL"),
            (40, "ERROR"),
            (30, "WARNING"),
            (20, "INFO"),
            (10, "DEBUG"),
            (0, "NOTSET"),
        ] {
            setitem(l2n.ptr(), int(v).ok()?.ptr(), s(n).ok()?.ptr()).ok()?;
        }
        set("_levelToName", l2n.ptr())?;
        let n2l = new_dict().ok()?;
        for (n, v) in [
            ("CRITICAL", 50),
            ("FATAL", 50),
            ("ERROR", 40),
            ("WARN", 30),
            ("WARNING", 30),
            ("INFO", 20),
            ("DEBUG", 10),
            ("NOTSET", 0),
        ] {
            setitem(n2l.ptr(), s(n).ok()?.ptr(), int(v).ok()?.ptr()).ok()?;
        }
        set("_nameToLevel", n2l.ptr())?;
        let t = crate::boolobject::true_();
        for n in [
            "raiseExceptions",
            "logThreads",
            "logMultiprocessing",
            "logProcesses",
            "logAsyncioTasks",
        ] {
            set(n, t)?;
        }
        set("_startTime", crate::longobject::from_i128(*START_NS.get()?))?;
        set(
            "BASIC_FORMAT",
            s("%(levelname)s:%(name)s:%(message)s").ok()?.ptr(),
        )?;
        set("__version__", s("0.5.1.2").ok()?.ptr())?;
        set("_srcfile", s("logging/__init__.py").ok()?.ptr())?;
        set("_warnings_showwarning", none())?;
        // The modules and names CPython's `logging` imports are its attributes too.
        for (n, m) in [
            ("sys", c"sys"),
            ("time", c"time"),
            ("threading", c"threading"),
            ("warnings", c"warnings"),
            ("weakref", c"weakref"),
        ] {
            set(n, import(m).ok()?.ptr())?;
        }
        let string = import(c"string").ok()?;
        set("Template", ga(string.ptr(), "Template").ok()?.ptr())?;
        let types = import(c"types").ok()?;
        set("GenericAlias", ga(types.ptr(), "GenericAlias").ok()?.ptr())?;
        let th = import(c"threading").ok()?;
        let lock = cm(th.ptr(), "RLock", &[]).ok()?;
        set("_lock", lock.ptr())?;
        let wr = import(c"weakref").ok()?;
        let wvd = ga(wr.ptr(), "WeakValueDictionary").ok()?;
        let handlers = call(wvd.ptr(), &[]).ok()?;
        set("_handlers", handlers.ptr())?;
        set("_handlerList", new_list().ok()?.ptr())?;

        let obj = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        let ty = &raw mut crate::object::PyType_Type;
        let mk = |name: &str,
                  bases: &[*mut PyObject],
                  defs: &'static [FuncDef],
                  extra: &[(&str, *mut PyObject)]|
         -> Option<Obj> {
            let c = make_class(ty, "logging", name, bases, defs, extra);
            if c.is_null() {
                return None;
            }
            set(name, c.ptr())?;
            Some(c)
        };
        mk("LogRecord", &[obj], &LR_FUNCS, &[])?;
        let lr = crate::dictobject::get_str(d, "LogRecord");
        set("_logRecordFactory", lr)?;

        let ps = mk(
            "PercentStyle",
            &[obj],
            &PS_FUNCS,
            &[
                ("default_format", s("%(message)s").ok()?.ptr()),
                ("asctime_format", s("%(asctime)s").ok()?.ptr()),
                ("asctime_search", s("%(asctime)").ok()?.ptr()),
            ],
        )?;
        let sfs = mk(
            "StrFormatStyle",
            &[ps.ptr()],
            &SFS_FUNCS,
            &[
                ("default_format", s("{message}").ok()?.ptr()),
                ("asctime_format", s("{asctime}").ok()?.ptr()),
                ("asctime_search", s("{asctime").ok()?.ptr()),
            ],
        )?;
        let sts = mk(
            "StringTemplateStyle",
            &[ps.ptr()],
            &STS_FUNCS,
            &[
                ("default_format", s("${message}").ok()?.ptr()),
                ("asctime_format", s("${asctime}").ok()?.ptr()),
                ("asctime_search", s("${asctime}").ok()?.ptr()),
            ],
        )?;
        let styles = new_dict().ok()?;
        for (k, c, f) in [
            ("%", &ps, "%(levelname)s:%(name)s:%(message)s"),
            ("{", &sfs, "{levelname}:{name}:{message}"),
            ("$", &sts, "${levelname}:${name}:${message}"),
        ] {
            let f = s(f).ok()?;
            let v = tuple(&[c.ptr(), f.ptr()]).ok()?;
            setitem(styles.ptr(), s(k).ok()?.ptr(), v.ptr()).ok()?;
        }
        set("_STYLES", styles.ptr())?;

        let tm = import(c"time").ok()?;
        let localtime = ga(tm.ptr(), "localtime").ok()?;
        let formatter = mk(
            "Formatter",
            &[obj],
            &FMT_FUNCS,
            &[
                ("converter", localtime.ptr()),
                ("default_time_format", s("%Y-%m-%d %H:%M:%S").ok()?.ptr()),
                ("default_msec_format", s("%s,%03d").ok()?.ptr()),
            ],
        )?;
        let df = call(formatter.ptr(), &[]).ok()?;
        set("_defaultFormatter", df.ptr())?;
        mk("BufferingFormatter", &[obj], &BF_FUNCS, &[])?;
        mk("Filter", &[obj], &FILTER_FUNCS, &[])?;
        let filterer = mk("Filterer", &[obj], &FILTERER_FUNCS, &[])?;

        let name_prop = property(&H_FUNCS[1], Some(&H_FUNCS[2])).ok()?;
        let handler = mk(
            "Handler",
            &[filterer.ptr()],
            &H_FUNCS,
            &[("name", name_prop.ptr())],
        )?;
        let types = import(c"types").ok()?;
        let ga_cls = ga(types.ptr(), "GenericAlias").ok()?;
        let bi = import(c"builtins").ok()?;
        let cm_cls = ga(bi.ptr(), "classmethod").ok()?;
        let cgi = call(cm_cls.ptr(), &[ga_cls.ptr()]).ok()?;
        let sh = mk(
            "StreamHandler",
            &[handler.ptr()],
            &SH_FUNCS,
            &[
                ("terminator", s("\n").ok()?.ptr()),
                ("__class_getitem__", cgi.ptr()),
            ],
        )?;
        mk("FileHandler", &[sh.ptr()], &FH_FUNCS, &[])?;
        let stream_prop = property(&STDERR_STREAM, None).ok()?;
        let stderr_h = mk(
            "_StderrHandler",
            &[sh.ptr()],
            &STDERR_FUNCS,
            &[("stream", stream_prop.ptr())],
        )?;
        mk("NullHandler", &[handler.ptr()], &NH_FUNCS, &[])?;
        let w = int(30).ok()?;
        let last = call(stderr_h.ptr(), &[w.ptr()]).ok()?;
        set("_defaultLastResort", last.ptr())?;
        set("lastResort", last.ptr())?;

        mk("PlaceHolder", &[obj], &PH_FUNCS, &[])?;
        let dis = property(&MGR_DISABLE_GET, Some(&MGR_DISABLE_SET)).ok()?;
        let manager = mk("Manager", &[obj], &MGR_FUNCS, &[("disable", dis.ptr())])?;
        let logger = mk("Logger", &[filterer.ptr()], &LG_FUNCS, &[])?;
        set("_loggerClass", logger.ptr())?;
        let rl = mk("RootLogger", &[logger.ptr()], &RL_FUNCS, &[])?;
        let mgp = property(&LA_MANAGER_GET, Some(&LA_MANAGER_SET)).ok()?;
        let np = property(&LA_NAME, None).ok()?;
        mk(
            "LoggerAdapter",
            &[obj],
            &LA_FUNCS,
            &[
                ("manager", mgp.ptr()),
                ("name", np.ptr()),
                ("__class_getitem__", cgi.ptr()),
            ],
        )?;
        let root = call(rl.ptr(), &[w.ptr()]).ok()?;
        set("root", root.ptr())?;
        sa(logger.ptr(), "root", root.ptr()).ok()?;
        let mgr = call(manager.ptr(), &[root.ptr()]).ok()?;
        sa(logger.ptr(), "manager", mgr.ptr()).ok()?;

        let all: Vec<Obj> = ALL.iter().map(|n| s(n)).collect::<Result<_, _>>().ok()?;
        let ptrs: Vec<*mut PyObject> = all.iter().map(Obj::ptr).collect();
        let l = Obj::new(crate::listobject::from_slice(&ptrs));
        if l.is_null() {
            return None;
        }
        set("__all__", l.ptr())?;
        Some(())
    }
}

const ALL: [&str; 45] = [
    "BASIC_FORMAT",
    "BufferingFormatter",
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "FATAL",
    "FileHandler",
    "Filter",
    "Formatter",
    "Handler",
    "INFO",
    "LogRecord",
    "Logger",
    "LoggerAdapter",
    "NOTSET",
    "NullHandler",
    "StreamHandler",
    "WARN",
    "WARNING",
    "addLevelName",
    "basicConfig",
    "captureWarnings",
    "critical",
    "debug",
    "disable",
    "error",
    "exception",
    "fatal",
    "getLevelName",
    "getLogger",
    "getLoggerClass",
    "info",
    "log",
    "makeLogRecord",
    "setLoggerClass",
    "shutdown",
    "warn",
    "warning",
    "getLogRecordFactory",
    "setLogRecordFactory",
    "lastResort",
    "raiseExceptions",
    "getLevelNamesMapping",
    "getHandlerByName",
    "getHandlerNames",
];
