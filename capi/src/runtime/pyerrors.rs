//! `pyerrors.h`: the per-thread error indicator (kept in `PyThreadState.current_exception`)
//! and the `PyErr_*` functions (CPython's `Python/errors.c`). The exception types themselves
//! are in `objects/exceptions.rs`; they are re-exported here because `pyerrors.h` declares them.

use crate::export;
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HEAPTYPE, Py_TPFLAGS_READY, PyObject, PyTypeObject, ty,
    type_check, type_short_name,
};
use crate::refcount::{decref, incref, new_ref, xdecref, xincref};
use crate::tupleobject as tuple;
use crate::unicodeobject as uni;
use std::ffi::{CStr, c_char, c_int};
use std::ptr::null_mut;

pub(crate) use crate::objects::exceptions::*;

// ---- the error indicator -------------------------------------------------------------------

fn slot() -> Option<&'static mut *mut PyObject> {
    let ts = crate::pystate::current();
    // SAFETY: the thread state belongs to the calling thread and lives until it exits.
    unsafe { ts.as_mut().map(|t| &mut t.current_exception) }
}

/// Takes the current exception out of the indicator (an owned reference, or NULL).
pub fn take_raised() -> *mut PyObject {
    slot().map_or(null_mut(), |s| std::mem::replace(s, null_mut()))
}

/// Puts `exc` (an owned reference, or NULL to clear) into the indicator.
pub(crate) fn restore_raised(exc: *mut PyObject) {
    if let Some(s) = slot() {
        let old = std::mem::replace(s, exc);
        // SAFETY: the indicator owned `old`.
        unsafe { xdecref(old) };
    } else {
        // SAFETY: we own `exc` and cannot store it.
        unsafe { xdecref(exc) };
    }
}

/// Whether an exception is set.
pub fn occurred() -> bool {
    slot().is_some_and(|s| !s.is_null())
}

/// The current exception (borrowed) or NULL.
pub fn current() -> *mut PyObject {
    slot().map_or(null_mut(), |s| *s)
}

/// `PyErr_Clear`.
pub fn clear() {
    restore_raised(null_mut());
}

/// Clears the indicator when `cond` holds.
pub(crate) fn clear_if(cond: bool) {
    if cond {
        clear();
    }
}

/// Whether the current exception is an instance of `t`.
pub(crate) fn matches_current(t: *mut PyTypeObject) -> bool {
    let c = current();
    // SAFETY: the current exception is live.
    !c.is_null() && unsafe { type_check(c, t) }
}

/// `PyErr_SetObject(t, value)`.
///
/// # Safety
/// `t` must be a live object; `value` NULL or live.
pub(crate) unsafe fn set_object(t: *mut PyObject, value: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        if t.is_null() || !is_exception_class(t) {
            let r = if t.is_null() {
                "NULL".into()
            } else {
                crate::object::repr_string(t)
            };
            let msg = format!("_PyErr_SetObject: exception {r} is not a BaseException subclass");
            set_object((&raw mut EXC_SystemError).cast(), null_mut());
            let e = current();
            let s = uni::from_str(&msg);
            replace_args(e, s);
            decref(s);
            return;
        }
        let tt = t.cast::<PyTypeObject>();
        let exc = if !value.is_null() && type_check(value, tt) {
            new_ref(value)
        } else {
            let args = if value.is_null() || value == crate::object::none() {
                tuple::new_tuple(0)
            } else if tuple::is_tuple(value) {
                new_ref(value)
            } else {
                tuple::from_slice(&[value])
            };
            if args.is_null() {
                return;
            }
            let e = instantiate(tt, args);
            decref(args);
            if e.is_null() {
                return;
            }
            e
        };
        restore_raised(exc);
    }
}

/// Replaces an exception's args with `(msg,)` (also its ImportError `msg`).
unsafe fn replace_args(e: *mut PyObject, msg: *mut PyObject) {
    // SAFETY: `e` is a live exception and `msg` a live object.
    unsafe {
        let b = e.cast::<PyBaseExceptionObject>();
        let a = tuple::from_slice(&[msg]);
        let old = std::mem::replace(&mut (*b).args, a);
        xdecref(old);
    }
}

/// Raises `t(msg)` and returns NULL (for `return raise(...)` in pointer-returning code).
pub fn raise(t: *mut PyTypeObject, msg: &str) -> *mut PyObject {
    let s = uni::from_str(msg);
    if s.is_null() {
        return null_mut();
    }
    // SAFETY: `t` is one of the exception type objects; `s` is our reference.
    unsafe {
        set_object(t.cast(), s);
        decref(s);
    }
    null_mut()
}

/// Raises AttributeError(msg) with its `obj` and `name` fields set; returns NULL.
///
/// # Safety
/// `obj` and `name` must be live objects.
pub(crate) unsafe fn raise_attribute_error(
    msg: &str,
    obj: *mut PyObject,
    name: *mut PyObject,
) -> *mut PyObject {
    raise(&raw mut EXC_AttributeError, msg);
    let e = current();
    // SAFETY: `e` is the AttributeError just raised (layout Kind::Attribute).
    unsafe {
        if !e.is_null() && kind_of(ty(e)) == Kind::Attribute {
            *field(e, 88) = new_ref(obj);
            *field(e, 96) = new_ref(name);
        }
    }
    null_mut()
}

/// `PyErr_NoMemory`; returns NULL.
pub(crate) fn no_memory() -> *mut PyObject {
    // SAFETY: MemoryError is an exception type.
    unsafe { set_object((&raw mut EXC_MemoryError).cast(), null_mut()) };
    null_mut()
}

/// `PyErr_BadInternalCall`; returns NULL.
pub(crate) fn bad_internal_call() -> *mut PyObject {
    raise(
        &raw mut EXC_SystemError,
        "bad argument to internal function",
    )
}

/// Raises `t(msg)` chained to the current exception (`__cause__` and `__context__`), as
/// CPython's `_PyErr_FormatFromCause`. Returns NULL.
pub(crate) fn raise_from_cause(t: *mut PyTypeObject, msg: &str) -> *mut PyObject {
    let cause = take_raised();
    raise(t, msg);
    if !cause.is_null() {
        let e = current();
        // SAFETY: `e` is the fresh exception; `cause` is our owned reference.
        unsafe {
            if e.is_null() {
                decref(cause);
            } else {
                incref(cause);
                set_cause(e, cause);
                set_context(e, cause);
            }
        }
    }
    null_mut()
}

/// Sets the error indicator to a `SystemError` with this message.
pub(crate) fn set_system_error(msg: &str) {
    raise(&raw mut EXC_SystemError, msg);
}

/// A Python exception taken out of the error indicator, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExcInfo {
    /// The exception type's `__name__` (`"SystemError"`).
    pub type_name: String,
    /// `str()` of the exception.
    pub message: String,
    /// The `__cause__`, if any.
    pub cause: Option<Box<ExcInfo>>,
    /// The `__traceback__` entries as CPython prints them, outermost first
    /// (`  File "x.pyx", line 3, in mod.f`); empty when no extension added one.
    pub traceback: Vec<String>,
}

/// Describes a live exception object.
///
/// # Safety
/// `e` must be a live exception.
pub unsafe fn describe(e: *mut PyObject, depth: usize) -> ExcInfo {
    // SAFETY: forwarded contract.
    unsafe {
        let cause = (*e.cast::<PyBaseExceptionObject>()).cause;
        ExcInfo {
            type_name: type_short_name(ty(e)),
            message: crate::object::str_string(e),
            cause: if cause.is_null() || depth > 32 {
                None
            } else {
                Some(Box::new(describe(cause, depth + 1)))
            },
            traceback: crate::traceback::format_entries(
                (*e.cast::<PyBaseExceptionObject>()).traceback,
            ),
        }
    }
}

/// Takes the current exception out of this thread's error indicator (clearing it).
pub fn take_exception() -> Option<ExcInfo> {
    let e = take_raised();
    if e.is_null() {
        return None;
    }
    // SAFETY: `e` is the owned exception from the indicator.
    unsafe {
        let info = describe(e, 0);
        decref(e);
        Some(info)
    }
}

/// The built-in exception type called `name`, if any (aliases included).
pub(crate) fn exception_type(name: &str) -> Option<*mut PyTypeObject> {
    let name = match name {
        "IOError" | "EnvironmentError" => "OSError",
        n => n,
    };
    builtin_exceptions()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, t)| t)
}

/// Sets the error indicator: an exception of type `PyExc_<type_name>` with `msg`
/// (`SystemError` if there is no such type).
pub fn set_error(type_name: &str, msg: &str) {
    match exception_type(type_name) {
        Some(t) => raise(t, msg),
        None => raise(&raw mut EXC_SystemError, &format!("{type_name}: {msg}")),
    };
}

/// `PyErr_GivenExceptionMatches`.
///
/// # Safety
/// Both must be NULL or live objects.
pub(crate) unsafe fn given_matches(err: *mut PyObject, exc: *mut PyObject) -> bool {
    if err.is_null() || exc.is_null() {
        return false;
    }
    // SAFETY: forwarded contract.
    unsafe {
        // The common question: is the raised exception an instance of exactly that class?
        if ty(err).cast::<PyObject>() == exc {
            return is_exception_instance(err);
        }
        if tuple::is_tuple(exc) {
            return tuple::items(exc).iter().any(|&e| given_matches(err, e));
        }
        let err = if is_exception_instance(err) {
            ty(err).cast::<PyObject>()
        } else {
            err
        };
        if is_exception_class(err) && is_exception_class(exc) {
            return crate::object::is_subtype(err.cast(), exc.cast());
        }
        err == exc
    }
}

// ---- the handled exception (`tstate->exc_info`) ----------------------------------------------

/// The exception being handled (borrowed; NULL when none): the top-most entry of the thread
/// state's `exc_info` stack that holds one (None counts as none), as CPython's
/// `_PyErr_GetTopmostException`.
pub(crate) fn handled() -> *mut PyObject {
    let ts = crate::pystate::current();
    if ts.is_null() {
        return null_mut();
    }
    // SAFETY: the state belongs to this thread; its stack entries live as long as it does.
    unsafe {
        let mut item = (*ts).exc_info;
        while !item.is_null() {
            let v = (*item).exc_value;
            if !v.is_null() && v != crate::object::none() {
                return v;
            }
            item = (*item).previous_item;
        }
    }
    null_mut()
}

/// Replaces the exception of the top entry of `exc_info` (`exc` owned, NULL clears).
pub(crate) fn set_handled(exc: *mut PyObject) {
    let ts = crate::pystate::current();
    // SAFETY: the state belongs to this thread; `exc_info` is never NULL on a live state.
    unsafe {
        if ts.is_null() || (*ts).exc_info.is_null() {
            xdecref(exc);
            return;
        }
        let item = (*ts).exc_info;
        let old = std::mem::replace(&mut (*item).exc_value, exc);
        xdecref(old);
    }
}

#[export]
pub fn PyErr_GetHandledException() -> *mut PyObject {
    let e = handled();
    // SAFETY: `e` is NULL or live.
    unsafe { xincref(e) };
    e
}

#[export]
pub unsafe fn PyErr_SetHandledException(exc: *mut PyObject) {
    // SAFETY: NULL or a live object (borrowed), per the C API contract.
    unsafe {
        let e = if exc.is_null() || exc == crate::object::none() {
            null_mut()
        } else {
            new_ref(exc)
        };
        set_handled(e);
    }
}

#[export]
pub unsafe fn PyErr_GetExcInfo(
    t: *mut *mut PyObject,
    v: *mut *mut PyObject,
    tb: *mut *mut PyObject,
) {
    let e = handled();
    // SAFETY: writable out pointers, per the C API contract; `e` is NULL or live.
    unsafe {
        if e.is_null() {
            *t = null_mut();
            *v = null_mut();
            *tb = null_mut();
        } else {
            *t = new_ref(ty(e).cast());
            *v = new_ref(e);
            *tb = (*e.cast::<PyBaseExceptionObject>()).traceback;
            xincref(*tb);
        }
    }
}

#[export]
pub unsafe fn PyErr_SetExcInfo(t: *mut PyObject, v: *mut PyObject, tb: *mut PyObject) {
    // SAFETY: owned references (or NULL), per the C API contract: the value is kept, the
    // type and traceback released, as CPython 3.11+ does.
    unsafe {
        let e = if v.is_null() || v == crate::object::none() {
            xdecref(v);
            null_mut()
        } else {
            v
        };
        set_handled(e);
        xdecref(t);
        xdecref(tb);
    }
}

// ---- exported API -------------------------------------------------------------------------

#[export]
pub unsafe fn PyErr_SetObject(t: *mut PyObject, v: *mut PyObject) {
    // SAFETY: live objects, per the C API contract.
    unsafe { set_object(t, v) }
}

#[export]
pub unsafe fn PyErr_SetString(t: *mut PyObject, msg: *const c_char) {
    // SAFETY: a live type and a NUL-terminated string, per the C API contract.
    unsafe {
        let s = uni::from_cstr(msg);
        if s.is_null() {
            return;
        }
        set_object(t, s);
        decref(s);
    }
}

#[export]
pub unsafe fn PyErr_SetNone(t: *mut PyObject) {
    // SAFETY: a live type, per the C API contract.
    unsafe { set_object(t, null_mut()) }
}

#[export]
pub fn PyErr_Occurred() -> *mut PyObject {
    let c = current();
    // SAFETY: the current exception is live.
    if c.is_null() {
        c
    } else {
        // SAFETY: `c` is a live object when not NULL.
        unsafe { ty(c).cast() }
    }
}

#[export]
pub fn PyErr_Clear() {
    clear()
}

#[export]
pub fn PyErr_GetRaisedException() -> *mut PyObject {
    take_raised()
}

#[export]
pub unsafe fn PyErr_SetRaisedException(e: *mut PyObject) {
    restore_raised(e)
}

#[export]
pub unsafe fn PyErr_Fetch(t: *mut *mut PyObject, v: *mut *mut PyObject, tb: *mut *mut PyObject) {
    let e = take_raised();
    // SAFETY: writable out pointers, per the C API contract; `e` is owned.
    unsafe {
        if e.is_null() {
            *t = null_mut();
            *v = null_mut();
            *tb = null_mut();
        } else {
            *t = new_ref(ty(e).cast());
            *tb = (*e.cast::<PyBaseExceptionObject>()).traceback;
            xincref(*tb);
            *v = e;
        }
    }
}

#[export]
pub unsafe fn PyErr_Restore(t: *mut PyObject, v: *mut PyObject, tb: *mut PyObject) {
    // SAFETY: owned references (or NULL), per the C API contract.
    unsafe {
        xdecref(tb);
        if t.is_null() {
            xdecref(v);
            clear();
            return;
        }
        if !v.is_null() && is_exception_instance(v) && type_check(v, t.cast()) {
            decref(t);
            restore_raised(v);
            return;
        }
        set_object(t, v);
        decref(t);
        xdecref(v);
    }
}

#[export]
pub unsafe fn PyErr_NormalizeException(
    t: *mut *mut PyObject,
    v: *mut *mut PyObject,
    _tb: *mut *mut PyObject,
) {
    // SAFETY: pointers to owned references, per the C API contract.
    unsafe {
        if (*t).is_null()
            || (!(*v).is_null() && is_exception_instance(*v) && type_check(*v, (*t).cast()))
        {
            return;
        }
        let saved = take_raised();
        set_object(*t, *v);
        let e = take_raised();
        restore_raised(saved);
        if !e.is_null() {
            xdecref(*v);
            *v = e;
        }
    }
}

#[export]
pub fn PyErr_ExceptionMatches(exc: *mut PyObject) -> c_int {
    // SAFETY: the current exception and `exc` are live.
    c_int::from(unsafe { given_matches(current(), exc) })
}

#[export]
pub unsafe fn PyErr_GivenExceptionMatches(err: *mut PyObject, exc: *mut PyObject) -> c_int {
    // SAFETY: NULL or live objects, per the C API contract.
    c_int::from(unsafe { given_matches(err, exc) })
}

#[export]
pub fn PyErr_BadInternalCall() {
    bad_internal_call();
}

#[export]
pub unsafe fn _PyErr_BadInternalCall(file: *const c_char, line: c_int) {
    // SAFETY: NULL or a NUL-terminated file name.
    let f = if file.is_null() {
        "?".into()
    } else {
        // SAFETY: `file` is a C string when not NULL.
        unsafe { CStr::from_ptr(file) }.to_string_lossy()
    };
    raise(
        &raw mut EXC_SystemError,
        &format!("{f}:{line}: bad argument to internal function"),
    );
}

#[export]
pub fn PyErr_BadArgument() -> c_int {
    raise(
        &raw mut EXC_TypeError,
        "bad argument type for built-in operation",
    );
    0
}

#[export]
pub fn PyErr_NoMemory() -> *mut PyObject {
    no_memory()
}

/// `PyErr_Format` after the C shim formatted the message.
///
/// # Safety
/// `t` must be a live type; `msg` a live str (borrowed).
#[export(err = (), guard_name = "PyErr_Format")]
pub unsafe fn _gilgate_err_set_formatted(t: *mut PyObject, msg: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe { set_object(t, msg) }
}

#[export]
pub unsafe fn PyErr_SetImportError(
    msg: *mut PyObject,
    name: *mut PyObject,
    path: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: NULL or live objects, per the C API contract.
    unsafe { set_import_error((&raw mut EXC_ImportError).cast(), msg, name, path) }
}

#[export]
pub unsafe fn PyErr_SetImportErrorSubclass(
    t: *mut PyObject,
    msg: *mut PyObject,
    name: *mut PyObject,
    path: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: NULL or live objects, per the C API contract.
    unsafe {
        if t.is_null()
            || !is_exception_class(t)
            || !crate::object::is_subtype(t.cast(), &raw mut EXC_ImportError)
        {
            return raise(&raw mut EXC_TypeError, "expected a subclass of ImportError");
        }
        set_import_error(t, msg, name, path)
    }
}

/// Raises an ImportError (subclass `t`) with `msg`, `name` and `path` (each NULL = None).
///
/// # Safety
/// `t` must be ImportError or a subclass; the others NULL or live.
pub(crate) unsafe fn set_import_error(
    t: *mut PyObject,
    msg: *mut PyObject,
    name: *mut PyObject,
    path: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if msg.is_null() {
            return raise(&raw mut EXC_TypeError, "expected a message argument");
        }
        set_object(t, msg);
        let e = current();
        if !e.is_null() && kind_of(ty(e)) == Kind::Import {
            for (off, v) in [(96, name), (104, path)] {
                let v = if v.is_null() {
                    crate::object::new_none()
                } else {
                    new_ref(v)
                };
                let old = std::mem::replace(&mut *field(e, off), v);
                xdecref(old);
            }
        }
        null_mut()
    }
}

/// Raises ImportError(msg) with `name` and `path` set, from Rust.
pub(crate) fn raise_import_error(msg: &str, name: Option<&str>, path: Option<&str>) {
    let m = uni::from_str(msg);
    let n = name.map_or(null_mut(), uni::from_str);
    let p = path.map_or(null_mut(), uni::from_str);
    // SAFETY: our own fresh references.
    unsafe {
        set_import_error((&raw mut EXC_ImportError).cast(), m, n, p);
        xdecref(m);
        xdecref(n);
        xdecref(p);
    }
}

/// `PyErr_NewException`: a heap exception class named `name` ("module.Class").
///
/// # Safety
/// `name` must be a NUL-terminated string; `base` and `dict` NULL or live.
/// `new_exception_type` with a tuple of several bases: `type(short, bases, dict)` with
/// `__module__` (and `__doc__`) set from `full` (`module.class`).
unsafe fn exception_from_bases(
    full: &str,
    doc: *const c_char,
    bases: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (forwarded contract); `ns` is fresh.
    unsafe {
        let (module, short) = full.rsplit_once('.').unwrap_or(("", full));
        let ns = if !dict.is_null() && crate::dictobject::is_dict(dict) {
            crate::dictobject::copy(dict)
        } else {
            crate::dictobject::new_dict()
        };
        if ns.is_null() {
            return ns;
        }
        let m = crate::unicodeobject::from_str(module);
        if m.is_null() || crate::dictobject::set_item_str(ns, "__module__", m) < 0 {
            crate::refcount::xdecref(m);
            decref(ns);
            return null_mut();
        }
        decref(m);
        if !doc.is_null() {
            let d = crate::unicodeobject::from_cstr(doc);
            if d.is_null() || crate::dictobject::set_item_str(ns, "__doc__", d) < 0 {
                crate::refcount::xdecref(d);
                decref(ns);
                return null_mut();
            }
            decref(d);
        }
        let name = crate::unicodeobject::from_str(short);
        if name.is_null() {
            decref(ns);
            return name;
        }
        let r = crate::abstract_::call_args(
            (&raw mut crate::object::PyType_Type).cast(),
            &[name, bases, ns],
        );
        decref(name);
        decref(ns);
        r
    }
}

pub(crate) unsafe fn new_exception_type(
    name: *const c_char,
    doc: *const c_char,
    base: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let full = CStr::from_ptr(name).to_string_lossy().into_owned();
        if !full.contains('.') {
            return raise(
                &raw mut EXC_SystemError,
                "PyErr_NewException: name must be module.class",
            );
        }
        let mut base = if base.is_null() {
            (&raw mut EXC_Exception).cast::<PyObject>()
        } else {
            base
        };
        if tuple::is_tuple(base) && tuple::items(base).len() > 1 {
            // Several bases: the class `type(name, bases, dict)` makes (CPython calls it too).
            return exception_from_bases(&full, doc, base, dict);
        }
        if tuple::is_tuple(base) {
            match tuple::items(base).first() {
                Some(&b) => base = b,
                None => base = (&raw mut EXC_Exception).cast(),
            }
        }
        if !is_exception_class(base) {
            return raise(
                &raw mut EXC_TypeError,
                "exception base must derive from BaseException",
            );
        }
        let t = crate::pymem::calloc(1, 960).cast::<PyTypeObject>();
        if t.is_null() {
            return no_memory();
        }
        crate::objimpl::init_header(t.cast(), &raw mut crate::object::PyType_Type);
        let cname = std::ffi::CString::new(full.clone()).unwrap_or_default();
        (*t).tp_name = cname.into_raw();
        if !doc.is_null() {
            (*t).tp_doc = CStr::from_ptr(doc).to_owned().into_raw();
        }
        (*t).tp_base = base.cast();
        incref(base);
        (*t).tp_flags = Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_BASETYPE;
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            return null_mut();
        }
        if !dict.is_null() && crate::dictobject::is_dict(dict) {
            for (k, v) in crate::dictobject::entries(dict) {
                crate::dictobject::set_item(d, k, v);
            }
        }
        let module = &full[..full.rfind('.').unwrap_or(0)];
        let m = uni::from_str(module);
        crate::dictobject::set_item_str(d, "__module__", m);
        xdecref(m);
        (*t).tp_dict = d;
        if crate::object::type_ready(t) < 0 {
            return null_mut();
        }
        (*t).tp_flags |= Py_TPFLAGS_READY;
        t.cast()
    }
}

#[export]
pub unsafe fn PyErr_NewException(
    name: *const c_char,
    base: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_exception_type(name, std::ptr::null(), base, dict) }
}

#[export]
pub unsafe fn PyErr_NewExceptionWithDoc(
    name: *const c_char,
    doc: *const c_char,
    base: *mut PyObject,
    dict: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_exception_type(name, doc, base, dict) }
}

#[export]
pub unsafe fn PyErr_WriteUnraisable(obj: *mut PyObject) {
    if let Some(e) = take_exception() {
        // SAFETY: NULL or a live object.
        let ctx = if obj.is_null() {
            String::new()
        } else {
            // SAFETY: `obj` is live when not NULL.
            unsafe { crate::object::repr_string(obj) }
        };
        tracing::warn!(target: "gilgate::unraisable", "Exception ignored in: {ctx}: {}: {}", e.type_name, e.message);
        eprintln!(
            "Exception ignored in: {ctx}\n{}: {}",
            e.type_name, e.message
        );
    }
}

/// `PyErr_SetFromErrnoWithFilenameObjects`: raises `exc(errno, strerror(errno)[, filename[,
/// None, filename2]])` from the calling thread's `errno` (0 gives the message "Error"); an
/// interrupted call (`EINTR`) runs the signal handlers first, as CPython does. Always NULL.
///
/// # Safety
/// `exc` must be an exception type; the filenames NULL or live.
unsafe fn set_from_errno(
    exc: *mut PyObject,
    filename: *mut PyObject,
    filename2: *mut PyObject,
) -> *mut PyObject {
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    if errno == libc::EINTR && crate::ceval::PyErr_CheckSignals() != 0 {
        return null_mut();
    }
    let text = if errno == 0 {
        "Error".to_string()
    } else {
        // SAFETY: strerror returns a NUL-terminated string that stays valid until the next call
        // on this thread; it is copied at once.
        unsafe { CStr::from_ptr(libc::strerror(errno)) }
            .to_string_lossy()
            .into_owned()
    };
    let code = crate::longobject::from_i64(i64::from(errno));
    let msg = uni::from_str(&text);
    // SAFETY: live objects; every reference taken is released.
    unsafe {
        let mut parts = vec![code, msg];
        if !filename.is_null() {
            parts.push(filename);
            if !filename2.is_null() {
                parts.push(crate::object::none());
                parts.push(filename2);
            }
        }
        let args = if code.is_null() || msg.is_null() {
            null_mut()
        } else {
            tuple::from_slice(&parts)
        };
        xdecref(code);
        xdecref(msg);
        if args.is_null() {
            return null_mut();
        }
        let v = crate::abstract_::call(exc, args, null_mut());
        decref(args);
        if !v.is_null() {
            set_object(ty(v).cast(), v);
            decref(v);
        }
        null_mut()
    }
}

#[export]
pub unsafe fn PyErr_SetFromErrno(exc: *mut PyObject) -> *mut PyObject {
    // SAFETY: an exception type, per the C API contract.
    unsafe { set_from_errno(exc, null_mut(), null_mut()) }
}

#[export]
pub unsafe fn PyErr_SetFromErrnoWithFilenameObject(
    exc: *mut PyObject,
    filename: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: an exception type and NULL or a live object, per the C API contract.
    unsafe { set_from_errno(exc, filename, null_mut()) }
}

#[export]
pub unsafe fn PyErr_SetFromErrnoWithFilenameObjects(
    exc: *mut PyObject,
    filename: *mut PyObject,
    filename2: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: an exception type and NULL or live objects, per the C API contract.
    unsafe { set_from_errno(exc, filename, filename2) }
}

/// The file name is decoded with the file system encoding (UTF-8, surrogateescape).
#[export]
pub unsafe fn PyErr_SetFromErrnoWithFilename(
    exc: *mut PyObject,
    filename: *const c_char,
) -> *mut PyObject {
    // errno must survive the decoding below
    let saved = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    // SAFETY: an exception type and NULL or a NUL-terminated string, per the C API contract.
    unsafe {
        let name = if filename.is_null() {
            null_mut()
        } else {
            let n = uni::PyUnicode_DecodeFSDefault(filename);
            if n.is_null() {
                return null_mut();
            }
            n
        };
        *libc::__errno_location() = saved;
        let r = set_from_errno(exc, name, null_mut());
        xdecref(name);
        r
    }
}

/// `_PyErr_SetKeyError(key)`: raises `KeyError(key)`, the key the only argument even when it
/// is a tuple.
#[export(err = ())]
pub unsafe fn _PyErr_SetKeyError(key: *mut PyObject) {
    // SAFETY: a live object, per the C API contract.
    unsafe { crate::dictobject::key_error(key) }
}

/// `_PyErr_ChainExceptions1`: `exc` (stolen) becomes the context of the exception being
/// raised, or is raised itself when none is.
#[export]
pub unsafe fn _PyErr_ChainExceptions1(exc: *mut PyObject) {
    if exc.is_null() {
        return;
    }
    let current = take_raised();
    if current.is_null() {
        restore_raised(exc);
        return;
    }
    // SAFETY: `current` and `exc` are owned exception instances; SetContext steals `exc`.
    unsafe { crate::exceptions::PyException_SetContext(current, exc) };
    restore_raised(current);
}

/// The unraisable report of `PyErr_FormatUnraisable`: `msg` (NULL: none) on its own line,
/// then the pending exception, as CPython's default hook prints them; clears the indicator.
#[export(err = ())]
pub unsafe fn _gilgate_write_unraisable_msg(msg: *mut PyObject) {
    if let Some(e) = take_exception() {
        // SAFETY: NULL or a live str.
        let head = if msg.is_null() {
            String::new()
        } else {
            // SAFETY: a live object.
            format!("{}:\n", unsafe { crate::object::str_string(msg) })
        };
        tracing::warn!(target: "gilgate::unraisable", "{head}{}: {}", e.type_name, e.message);
        eprintln!("{head}{}: {}", e.type_name, e.message);
    }
}

#[export]
pub fn PyErr_Print() {
    if let Some(e) = take_exception() {
        let mut text = String::new();
        if !e.traceback.is_empty() {
            text.push_str("Traceback (most recent call last):\n");
            for l in &e.traceback {
                text.push_str(l);
                text.push('\n');
            }
        }
        if e.message.is_empty() {
            text.push_str(&e.type_name);
        } else {
            text.push_str(&format!("{}: {}", e.type_name, e.message));
        }
        eprintln!("{text}");
    }
}

#[export(unguarded)]
pub fn PyErr_PrintEx(_set_sys_last_vars: c_int) {
    PyErr_Print()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::Py_TPFLAGS_BASE_EXC_SUBCLASS;

    #[test]
    fn hierarchy_and_matching() {
        // SAFETY: static type objects.
        unsafe {
            assert!(crate::object::is_subtype(
                &raw mut EXC_ModuleNotFoundError,
                &raw mut EXC_Exception
            ));
            assert!(crate::object::is_subtype(
                &raw mut EXC_BrokenPipeError,
                &raw mut EXC_OSError
            ));
            assert_eq!({ PyExc_IOError }, { PyExc_OSError });
            assert_eq!(
                (*PyExc_ImportError.cast::<PyTypeObject>()).tp_basicsize,
                120
            );
            assert_ne!(
                (*PyExc_Warning.cast::<PyTypeObject>()).tp_flags & Py_TPFLAGS_BASE_EXC_SUBCLASS,
                0
            );
            PyErr_SetString(PyExc_KeyError, c"k".as_ptr());
            assert_eq!(PyErr_ExceptionMatches(PyExc_LookupError), 1);
            assert_eq!(PyErr_ExceptionMatches(PyExc_ValueError), 0);
            let e = take_exception().unwrap();
            assert_eq!(
                (e.type_name.as_str(), e.message.as_str()),
                ("KeyError", "'k'")
            );
        }
    }

    #[test]
    fn from_cause_chains() {
        raise(&raw mut EXC_ValueError, "v");
        raise_from_cause(
            &raw mut EXC_SystemError,
            "initialization of m raised unreported exception",
        );
        let e = take_exception().unwrap();
        assert_eq!(e.type_name, "SystemError");
        let c = e.cause.unwrap();
        assert_eq!(
            (c.type_name.as_str(), c.message.as_str()),
            ("ValueError", "v")
        );
    }

    #[test]
    fn fetch_restore_round_trip_and_import_error_fields() {
        raise_import_error("no such thing", Some("m"), None);
        let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
        // SAFETY: out pointers to locals; references are handed back to Restore.
        unsafe {
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            assert!(!occurred());
            assert_eq!(t, { PyExc_ImportError });
            let name = crate::object::getattr(v, uni::intern("name"));
            assert_eq!(uni::as_str(name), Some("m"));
            decref(name);
            let path = crate::object::getattr(v, uni::intern("path"));
            assert_eq!(path, crate::object::none());
            PyErr_Restore(t, v, tb);
        }
        let e = take_exception().unwrap();
        assert_eq!(e.message, "no such thing");
    }

    #[test]
    fn new_exception_type_inherits() {
        // SAFETY: fresh heap type.
        unsafe {
            let t = PyErr_NewException(c"mymod.MyError".as_ptr(), PyExc_ValueError, null_mut());
            assert!(!t.is_null());
            PyErr_SetString(t, c"boom".as_ptr());
            assert_eq!(PyErr_ExceptionMatches(PyExc_ValueError), 1);
            let e = take_exception().unwrap();
            assert_eq!(
                (e.type_name.as_str(), e.message.as_str()),
                ("MyError", "boom")
            );
            assert!(PyErr_NewException(c"NoDot".as_ptr(), null_mut(), null_mut()).is_null());
            assert_eq!(
                take_exception().unwrap().message,
                "PyErr_NewException: name must be module.class"
            );
        }
    }
}
