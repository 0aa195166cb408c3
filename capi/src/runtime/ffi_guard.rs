//! The boundary between C callers and safe Rust.
//!
//! Every exported function body runs inside [`guard`], so a Rust panic becomes a
//! `SystemError` and the function's error value instead of aborting the process.
//! The exception: a few hot entry points (`PyFloat_FromDouble`, `PyFloat_AsDouble` and
//! `PyNumber_Add/Subtract/Multiply/TrueDivide` of exact floats, the unshared case of
//! `_Py_MergeZeroLocalRefcount`) answer their common case before entering the guard, because
//! its frame costs about as much as the work itself. Those paths only read fields, do float
//! arithmetic, allocate through the free lists or mimalloc, or call a `tp_dealloc` (an
//! `extern "C"` function, which a panic cannot unwind out of): nothing on them can panic.
//! Functions that are not implemented yet report themselves through [`not_implemented`].

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

/// Runs `f`; if it panics, raises `SystemError` naming `name` and returns `err`.
#[inline]
pub(crate) fn guard<R>(name: &'static str, err: R, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            crate::pyerrors::set_system_error(&format!(
                "gilgate: internal error in {name}: {what}"
            ));
            err
        }
    }
}

/// Names of `void` API functions that were called although not implemented: they cannot
/// return an error value, so the host checks this list when control returns to it.
static VOID_FAILURES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Raises `SystemError("gilgate: <name> is not implemented")`. Called by the generated stubs.
pub(crate) fn not_implemented(name: &'static str) {
    crate::pyerrors::set_system_error(&format!("gilgate: {name} is not implemented"));
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
