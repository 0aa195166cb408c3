//! `warnings.h`: warnings go to stderr as one line (`RuntimeWarning: text`) and are recorded
//! for the host; the host can turn them into errors (`-W error`).

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
static AS_ERRORS: AtomicBool = AtomicBool::new(false);
static QUIET: AtomicBool = AtomicBool::new(false);

/// Records warnings without printing them (for the inspection worker and tests).
pub fn set_quiet(on: bool) {
    QUIET.store(on, Ordering::Relaxed);
}

/// Takes the warnings issued so far.
pub fn take_warnings() -> Vec<Warning> {
    std::mem::take(&mut *WARNINGS.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Issues a warning of `category` (NULL = RuntimeWarning). Returns -1 with the warning
/// raised as an exception when warnings are errors, else 0.
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
    if AS_ERRORS.load(Ordering::Relaxed) {
        crate::pyerrors::raise(category, msg);
        return -1;
    }
    if !QUIET.load(Ordering::Relaxed) {
        eprintln!("{name}: {msg}");
    }
    WARNINGS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Warning {
            category: name,
            message: msg.to_owned(),
        });
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
