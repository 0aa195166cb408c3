//! `warnings.h`: the C API's warnings go through the `warnings` module's filters
//! (`modules/warnings.rs`), as CPython's `PyErr_WarnEx` goes through `_warnings`: "error"
//! makes them raise, "ignore" silences them, the default filters print
//! `<sys>:0: Category: message` to `sys.stderr` once per message (gilgate has no Python
//! frame to attribute them to, so they are attributed as CPython attributes a warning
//! issued with none). Every warning issued is also recorded for the host (`take_warnings`),
//! whatever the filters did with it.

use crate::export;
use crate::object::{PyObject, PyTypeObject, type_short_name};
use std::ffi::{CStr, c_char, c_int};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// A warning that was issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The category's name (`RuntimeWarning`).
    pub category: String,
    pub message: String,
}

static WARNINGS: Mutex<Vec<Warning>> = Mutex::new(Vec::new());
static QUIET: AtomicBool = AtomicBool::new(false);

/// Records warnings without printing them to `sys.stderr` (for the inspection worker and
/// tests); the filters still apply.
pub fn set_quiet(on: bool) {
    QUIET.store(on, Ordering::Relaxed);
}

pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Takes the warnings issued so far.
pub fn take_warnings() -> Vec<Warning> {
    std::mem::take(&mut *WARNINGS.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Issues a warning of `category` (NULL = RuntimeWarning) through the filters. Returns -1
/// with the warning raised as an exception when a filter says "error" (or showing it
/// failed), else 0.
///
/// # Safety
/// `category` must be NULL or an exception type.
pub(crate) unsafe fn warn(category: *mut PyTypeObject, msg: &str, _stacklevel: isize) -> c_int {
    let category = if category.is_null() {
        &raw mut crate::pyerrors::EXC_RuntimeWarning
    } else {
        category
    };
    // SAFETY: forwarded contract.
    let name = unsafe { type_short_name(category) };
    WARNINGS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Warning {
            category: name,
            message: msg.to_owned(),
        });
    let m = crate::unicodeobject::from_str(msg);
    if m.is_null() {
        return -1;
    }
    // SAFETY: `m` a new str, `category` an exception type.
    unsafe {
        let r = crate::modules::warnings::do_warn(m, category.cast(), std::ptr::null_mut());
        crate::refcount::decref(m);
        if r.is_null() {
            return -1;
        }
        crate::refcount::decref(r);
    }
    0
}

#[export]
pub unsafe fn PyErr_WarnEx(
    category: *mut PyObject,
    msg: *const c_char,
    stacklevel: isize,
) -> c_int {
    // SAFETY: NULL or an exception type, and a NUL-terminated message.
    unsafe {
        let m = CStr::from_ptr(msg).to_string_lossy();
        warn(category.cast(), &m, stacklevel)
    }
}

/// `PyErr_WarnFormat` after the C shim formatted the message.
///
/// # Safety
/// `category` NULL or an exception type; `msg` a live str.
#[export(err = -1, guard_name = "PyErr_WarnFormat")]
pub unsafe fn _gilgate_warn_formatted(
    category: *mut PyObject,
    msg: *mut PyObject,
    stacklevel: isize,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let m = crate::unicodeobject::as_str(msg).unwrap_or("");
        warn(category.cast(), m, stacklevel)
    }
}

/// Records `category`'s name and `message`'s text for the host, as [`warn`] does.
///
/// # Safety
/// `category` NULL or a type; `message` NULL or a live object.
unsafe fn record(category: *mut PyObject, message: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let name = if category.is_null() {
            "RuntimeWarning".to_owned()
        } else {
            type_short_name(category.cast())
        };
        let text = if message.is_null() {
            String::new()
        } else {
            let s = crate::object::PyObject_Str(message);
            if s.is_null() {
                crate::pyerrors::PyErr_Clear();
                String::new()
            } else {
                let t = crate::unicodeobject::as_str(s).unwrap_or("").to_owned();
                crate::refcount::decref(s);
                t
            }
        };
        WARNINGS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Warning {
                category: name,
                message: text,
            });
    }
}

/// `warnings.warn_explicit(message, category, filename, lineno, module, registry)` for the
/// C API: 0, or -1 with an exception.
///
/// # Safety
/// Live objects, `module` and `registry` may be NULL.
unsafe fn explicit(
    category: *mut PyObject,
    message: *mut PyObject,
    filename: *mut PyObject,
    lineno: c_int,
    module: *mut PyObject,
    registry: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let category = if category.is_null() {
            (&raw mut crate::pyerrors::EXC_RuntimeWarning).cast()
        } else {
            category
        };
        record(category, message);
        let r = crate::modules::warnings::warn_explicit_c(
            category,
            message,
            filename,
            lineno as isize,
            module,
            registry,
        );
        if r.is_null() {
            return -1;
        }
        crate::refcount::decref(r);
        0
    }
}

#[export]
pub unsafe fn PyErr_WarnExplicitObject(
    category: *mut PyObject,
    message: *mut PyObject,
    filename: *mut PyObject,
    lineno: c_int,
    module: *mut PyObject,
    registry: *mut PyObject,
) -> c_int {
    // SAFETY: live objects (caller), module/registry may be NULL.
    unsafe { explicit(category, message, filename, lineno, module, registry) }
}

/// A new str from a C string (UTF-8, errors replaced), or NULL for NULL.
unsafe fn cstr_obj(p: *const c_char) -> *mut PyObject {
    if p.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a NUL-terminated string.
    crate::unicodeobject::from_str(&unsafe { CStr::from_ptr(p) }.to_string_lossy())
}

#[export]
pub unsafe fn PyErr_WarnExplicit(
    category: *mut PyObject,
    text: *const c_char,
    filename: *const c_char,
    lineno: c_int,
    module: *const c_char,
    registry: *mut PyObject,
) -> c_int {
    // SAFETY: NUL-terminated strings (module may be NULL), registry NULL or an object.
    unsafe { explicit_cstr(category, cstr_obj(text), filename, lineno, module, registry) }
}

/// [`explicit`] with C-string filename and module; takes `message` (a new reference).
unsafe fn explicit_cstr(
    category: *mut PyObject,
    message: *mut PyObject,
    filename: *const c_char,
    lineno: c_int,
    module: *const c_char,
    registry: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let f = cstr_obj(filename);
        let m = cstr_obj(module);
        let r = if message.is_null() || f.is_null() {
            -1
        } else {
            explicit(category, message, f, lineno, m, registry)
        };
        crate::refcount::xdecref(message);
        crate::refcount::xdecref(f);
        crate::refcount::xdecref(m);
        r
    }
}

/// `PyErr_WarnExplicitFormat` after the C shim formatted the message (a live str).
///
/// # Safety
/// As `PyErr_WarnExplicit`, with `msg` a live str.
#[export(err = -1, guard_name = "PyErr_WarnExplicitFormat")]
pub unsafe fn _gilgate_warn_explicit_formatted(
    category: *mut PyObject,
    filename: *const c_char,
    lineno: c_int,
    module: *const c_char,
    registry: *mut PyObject,
    msg: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract; explicit_cstr takes its own reference.
    unsafe {
        crate::refcount::incref(msg);
        explicit_cstr(category, msg, filename, lineno, module, registry)
    }
}

/// `PyErr_ResourceWarning` after the C shim formatted the message: a `ResourceWarning`
/// whose `source` is `source`.
///
/// # Safety
/// `source` NULL or a live object; `msg` a live str.
#[export(err = -1, guard_name = "PyErr_ResourceWarning")]
pub unsafe fn _gilgate_resource_warning_formatted(
    source: *mut PyObject,
    msg: *mut PyObject,
    _stacklevel: isize,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let category: *mut PyObject = (&raw mut crate::pyerrors::EXC_ResourceWarning).cast();
        record(category, msg);
        let r = crate::modules::warnings::do_warn(msg, category, source);
        if r.is_null() {
            return -1;
        }
        crate::refcount::decref(r);
        0
    }
}
