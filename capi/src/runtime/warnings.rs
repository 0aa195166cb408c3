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
