//! gilgate's built-in modules, after CPython's `Modules/` and the standard-library modules it provides
//! natively (the list: README), registered in one table (`config`, CPython's `config.c`).

pub(crate) mod abc;
pub(crate) mod arraymodule;
pub(crate) mod binascii;
pub(crate) mod bltinmodule;
pub(crate) mod collections;
pub(crate) mod collections_abc;
pub(crate) mod config;
pub(crate) mod copy;
pub(crate) mod copyreg;
pub(crate) mod datetime;
pub(crate) mod r#enum;
pub(crate) mod functools;
pub(crate) mod future;
pub(crate) mod heapq;
pub(crate) mod importlib;
pub(crate) mod iomodule;
pub(crate) mod itertoolsmodule;
pub(crate) mod logging;
pub(crate) mod mathmodule;
pub(crate) mod numbers;
pub(crate) mod operator;
pub(crate) mod posixmodule;
pub(crate) mod posixpath;
pub(crate) mod stat;
pub(crate) mod string;
pub(crate) mod sysmodule;
pub(crate) mod threading;
pub(crate) mod threadmodule;
pub(crate) mod timemodule;
pub(crate) mod types;
pub(crate) mod warnings;
pub(crate) mod weakref;
pub(crate) mod zlibmodule;

use crate::object::PyObject;
use std::sync::OnceLock;

/// A built-in module's getter: the first call runs `build`, which returns the module (a new
/// reference, kept for the process) or NULL, and keeps its address in `cell`; every call
/// returns that module (borrowed), or NULL with an exception: the one `build` raised, else
/// `SystemError: gilgate: the NAME module could not be created`. `build` runs once per
/// process, also when it fails (later calls raise the SystemError).
///
/// A module's file has:
/// ```text
/// static MODULE: OnceLock<usize> = OnceLock::new();
///
/// pub(crate) fn module() -> *mut PyObject {
///     super::once(&MODULE, "zlib", build)
/// }
///
/// fn build() -> *mut PyObject { ... }
/// ```
/// Objects made beside the module (an error class, ...) go into statics of their own, set by
/// `build`; a reader calls `module()` first.
pub(crate) fn once(
    cell: &OnceLock<usize>,
    name: &str,
    build: impl FnOnce() -> *mut PyObject,
) -> *mut PyObject {
    let m = *cell.get_or_init(|| {
        // A module made on first use while the caller has an exception pending (a frame made
        // in `__Pyx_AddTraceback` asks for `builtins`) builds with a clean indicator, and the
        // caller's exception is back afterwards.
        let saved = crate::pyerrors::take_raised();
        let m = build();
        if !saved.is_null() {
            if m.is_null() {
                // SAFETY: `saved` is our reference; the build's own error is the one to report.
                unsafe { crate::refcount::decref(saved) };
            } else {
                crate::pyerrors::restore_raised(saved);
            }
        }
        m as usize
    });
    if m == 0 && !crate::pyerrors::occurred() {
        crate::pyerrors::set_system_error(&format!(
            "gilgate: the {name} module could not be created"
        ));
    }
    m as *mut PyObject
}
