//! The collector's C API (CPython's `Python/gc_free_threading.c`). gilgate has no cycle
//! collector: objects are freed by reference counting alone, and cycles leak (see
//! `docs/architecture.md`). So the switch `PyGC_Enable`/`PyGC_Disable`/`PyGC_IsEnabled` is a
//! real flag with CPython's answers (each returns the state before the call, enabled at
//! start-up) that changes nothing else, and `PyGC_Collect` finds nothing: it returns 0, the
//! number of unreachable objects a collection found, which is what CPython returns when there
//! is no garbage. `PyObject_GC_IsFinalized` reads the finalized bit that
//! `PyObject_CallFinalizer` sets.

use crate::export;
use crate::object::{Py_TPFLAGS_HAVE_GC, PyObject, ty};
use crate::pyport::Py_ssize_t;
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(true);

#[export]
pub fn PyGC_Enable() -> c_int {
    c_int::from(ENABLED.swap(true, Ordering::SeqCst))
}

#[export]
pub fn PyGC_Disable() -> c_int {
    c_int::from(ENABLED.swap(false, Ordering::SeqCst))
}

#[export(err = 0)]
pub fn PyGC_IsEnabled() -> c_int {
    c_int::from(ENABLED.load(Ordering::SeqCst))
}

/// No collector, so nothing unreachable is ever found.
#[export]
pub fn PyGC_Collect() -> Py_ssize_t {
    0
}

/// `_PyObject_IS_GC`: the type takes part in collection (`Py_TPFLAGS_HAVE_GC`, and
/// `tp_is_gc` agrees when the type has one).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_gc(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(op);
        if (*t).tp_flags & Py_TPFLAGS_HAVE_GC == 0 {
            return false;
        }
        match (*t).tp_is_gc {
            Some(f) => crate::extcall::inquiry(f, op) != 0,
            None => true,
        }
    }
}

#[export]
pub unsafe fn PyObject_IS_GC(op: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    c_int::from(unsafe { is_gc(op) })
}

#[export(err = 0)]
pub unsafe fn PyObject_GC_IsFinalized(op: *mut PyObject) -> c_int {
    // SAFETY: a live object, per the C API contract.
    unsafe { c_int::from(is_gc(op) && crate::typeobject::is_finalized(op)) }
}
