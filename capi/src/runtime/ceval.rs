//! `ceval.h`: attaching and detaching the thread state around blocking calls.

use crate::export;
use crate::object::PyObject;
use crate::pyerrors::{EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::pystate::{PyThreadState, current, set_attached};
use std::ffi::c_int;
use std::ptr::null_mut;

#[export]
pub fn PyEval_SaveThread() -> *mut PyThreadState {
    detach()
}

#[export]
pub fn PyEval_RestoreThread(ts: *mut PyThreadState) {
    attach(ts)
}

/// Detaches the calling thread (what `PyEval_SaveThread` does): merges the references other
/// threads queued for it, suspends its critical sections, and marks it detached. Every wait
/// inside the runtime (a parked `PyMutex`, a critical section on a busy object) goes through
/// this pair, so the lock and the sections are released exactly where CPython releases them.
pub(crate) fn detach() -> *mut PyThreadState {
    crate::refcount::merge_pending();
    let ts = current();
    crate::critical_section::suspend_all();
    set_attached(false);
    ts
}

/// Re-attaches the thread `detach` returned: marks it attached, resumes the top-most
/// critical section, merges queued references.
pub(crate) fn attach(_ts: *mut PyThreadState) {
    set_attached(true);
    crate::critical_section::resume_top();
    crate::refcount::merge_pending();
}

// ---- slice indices (cpython/ceval.h) --------------------------------------------------------

/// What `_PyEval_SliceIndex` accepts: an object with `__index__` (clamped to the Py_ssize_t
/// range, as slicing does), or None (leaves `*pi` alone) when `none_ok`.
///
/// # Safety
/// `v` must be NULL or live; `pi` must be writable.
unsafe fn slice_index(v: *mut PyObject, pi: *mut Py_ssize_t, none_ok: bool) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if none_ok && (v.is_null() || v == crate::object::none()) {
            return 1;
        }
        if v.is_null() || !crate::abstract_::index_check(v) {
            let msg = if none_ok {
                "slice indices must be integers or None or have an __index__ method"
            } else {
                "slice indices must be integers or have an __index__ method"
            };
            raise(&raw mut EXC_TypeError, msg);
            return 0;
        }
        let x = crate::abstract_::PyNumber_AsSsize_t(v, null_mut());
        if x == -1 && crate::pyerrors::occurred() {
            return 0;
        }
        *pi = x;
        1
    }
}

/// `_PyEval_SliceIndex`: 1 and `*pi` set (None: untouched), or 0 with TypeError; usable as
/// an `O&` converter.
#[export]
pub unsafe fn _PyEval_SliceIndex(v: *mut PyObject, pi: *mut Py_ssize_t) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { slice_index(v, pi, true) }
}

/// As `_PyEval_SliceIndex`, but None is refused.
#[export]
pub unsafe fn _PyEval_SliceIndexNotNone(v: *mut PyObject, pi: *mut Py_ssize_t) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { slice_index(v, pi, false) }
}

// ---- signals (declared in pyerrors.h) -------------------------------------------------------

/// `PyErr_CheckSignals`: runs the Python-level handlers of signals received since the last
/// call. gilgate installs no Python-level signal handlers, so there is never one to run: 0.
#[export(unguarded)]
pub fn PyErr_CheckSignals() -> c_int {
    0
}

// ---- recursion guard (ceval.h) --------------------------------------------------------------

thread_local! {
    /// Set while the RecursionError of an overflow is being made, so that making it may
    /// recurse a little further (CPython's `recursion_headroom`).
    static HEADROOM: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `Py_EnterRecursiveCall`: as in CPython 3.14 the limit is the C stack itself: when the stack
/// is within its safety margin, RecursionError("Stack overflow (used N kB)" + `where`) and -1.
#[export]
pub unsafe fn Py_EnterRecursiveCall(where_: *const std::ffi::c_char) -> c_int {
    if !crate::object::extra::near_stack_limit(0) || HEADROOM.with(|h| h.get()) {
        return 0;
    }
    let used = crate::object::extra::stack_used() / 1024;
    let what = if where_.is_null() {
        String::new()
    } else {
        // SAFETY: a NUL-terminated string, per the C API contract.
        unsafe { std::ffi::CStr::from_ptr(where_) }
            .to_string_lossy()
            .into_owned()
    };
    HEADROOM.with(|h| h.set(true));
    raise(
        &raw mut crate::pyerrors::EXC_RecursionError,
        &format!("Stack overflow (used {used} kB){what}"),
    );
    HEADROOM.with(|h| h.set(false));
    -1
}

/// `Py_LeaveRecursiveCall`: nothing to undo, the stack pointer is the depth (as in 3.14).
#[export(unguarded)]
pub fn Py_LeaveRecursiveCall() {}
