//! The boundary between C callers and safe Rust.
//!
//! Every exported function body runs inside [`guard`] (`#[export]` puts it there), so a Rust
//! panic becomes a `SystemError` and the function's error value instead of aborting the process.
//! The exception: a few hot entry points answer their common case before entering the guard,
//! because its frame costs about as much as the work itself, and say so in their attribute:
//! `PyFloat_FromDouble` is `#[export(unguarded)]`; `PyFloat_AsDouble` and
//! `PyNumber_Add/Subtract/Multiply/TrueDivide` of exact floats, the unshared case of
//! `_Py_MergeZeroLocalRefcount`, `PyLong_AsLong/AsLongLong` of small ints and
//! `PyObject_CallOneArg/CallNoArgs` are `#[export(fast = ..)]`, and the built-in function
//! vectorcalls skip their guard on the plain call. Those paths only read fields, do float
//! arithmetic, allocate through the free lists or mimalloc, or call a `tp_dealloc`, a vectorcall
//! or an `ml_meth` (`extern "C"` functions, which a panic cannot unwind out of): nothing on them
//! can panic. (A call's failed-result check formats messages: it runs in a guard of its own.)
//! Functions that are not implemented yet report themselves through [`not_implemented`].

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

/// Runs `f`; if it panics, raises `SystemError` naming `name` and returns `err`.
///
/// Generic, so the body stays inlined next to its `catch_unwind`; what a panic costs (reading
/// the payload, formatting, raising) is one shared cold function, [`report_panic`], instead of
/// a copy in every export.
#[inline]
pub(crate) fn guard<R>(name: &'static str, err: R, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            report_panic(name, payload);
            err
        }
    }
}

/// Raises `SystemError("gilgate: internal error in <name>: <panic message>")`.
#[cold]
#[inline(never)]
fn report_panic(name: &'static str, payload: Box<dyn std::any::Any + Send>) {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    crate::pyerrors::set_system_error(&format!("gilgate: internal error in {name}: {what}"));
}

/// Names of `void` API functions that were called although not implemented: they cannot
/// return an error value, so the host checks this list when control returns to it.
static VOID_FAILURES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Raises `SystemError("gilgate: <name> is not implemented")`. Called by the generated stubs.
///
/// An error already pending is not lost: it becomes the new error's `__context__`, and the
/// message names it (extensions often call a missing function while reporting another error, as
/// Cython's traceback code does, and that first error is the one the user needs).
pub(crate) fn not_implemented(name: &'static str) {
    use crate::pyerrors;
    let pending = pyerrors::take_raised();
    if pending.is_null() {
        pyerrors::set_system_error(&format!("gilgate: {name} is not implemented"));
        return;
    }
    // SAFETY: `pending` is the owned exception just taken from this thread's indicator.
    let seen = unsafe { pyerrors::describe(pending, 0) };
    pyerrors::set_system_error(&format!(
        "gilgate: {name} is not implemented (called while {}: {} was pending)",
        seen.type_name, seen.message
    ));
    let e = pyerrors::current();
    // SAFETY: `e` is the fresh SystemError (or NULL if raising failed); `pending` is owned and
    // its reference moves into `__context__`.
    unsafe {
        if e.is_null() {
            crate::refcount::decref(pending);
        } else {
            crate::exceptions::set_context(e, pending);
        }
    }
}

/// For `void` stubs: raises the same error, prints one line on stderr and records the call.
pub(crate) fn not_implemented_void(name: &'static str) {
    not_implemented(name);
    eprintln!(
        "gilgate: {name} is not implemented (called from an extension; its result is missing)"
    );
    VOID_FAILURES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(name);
}

/// Takes the names of not-implemented `void` functions called since the last check.
pub fn take_void_failures() -> Vec<&'static str> {
    std::mem::take(&mut *VOID_FAILURES.lock().unwrap_or_else(|e| e.into_inner()))
}

#[cfg(test)]
mod tests {
    use crate::export;
    use std::ffi::c_int;

    /// An export whose body panics: `#[export]` must turn that into `SystemError` naming the
    /// function, and its error value.
    #[export(err = -7)]
    pub fn _gilgate_test_export_panics(x: c_int) -> c_int {
        if x > 0 {
            panic!("boom {x}");
        }
        x
    }

    #[test]
    fn a_panic_in_an_export_becomes_system_error_and_the_error_value() {
        assert_eq!(_gilgate_test_export_panics(-3), -3);
        assert!(!crate::pyerrors::occurred());
        assert_eq!(_gilgate_test_export_panics(2), -7);
        let e = crate::pyerrors::take_exception().expect("an exception is set");
        assert_eq!(e.type_name, "SystemError");
        assert_eq!(
            e.message,
            "gilgate: internal error in _gilgate_test_export_panics: boom 2"
        );
    }

    #[test]
    fn guard_reports_a_str_payload_or_unknown_panic() {
        assert_eq!(
            super::guard("g1", 0u8, || std::panic::panic_any("plain")),
            0
        );
        let e = crate::pyerrors::take_exception().unwrap();
        assert_eq!(e.message, "gilgate: internal error in g1: plain");
        assert_eq!(super::guard("g2", 1u8, || std::panic::panic_any(5u32)), 1);
        let e = crate::pyerrors::take_exception().unwrap();
        assert_eq!(e.message, "gilgate: internal error in g2: unknown panic");
    }
}
