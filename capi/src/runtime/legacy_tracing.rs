//! `PyEval_SetProfile`/`PyEval_SetTrace` (CPython's `Python/legacy_tracing.c`): the C-level
//! profile and trace functions of the calling thread.
//!
//! As in CPython, the function and its argument are kept in the thread state
//! (`c_profilefunc`/`c_profileobj`, `c_tracefunc`/`c_traceobj`, which extensions read; the
//! argument is held by a strong reference and the previous one released). CPython calls them
//! for events of the bytecode interpreter (Python calls, lines, returns, exceptions, and
//! builtin calls made by Python code); calls made from C through `PyObject_Call*` emit none.
//! gilgate runs no Python code, so every call is of the second kind: no event is ever emitted,
//! which is what CPython emits for a thread that only runs C code.

use crate::export;
use crate::object::PyObject;
use crate::refcount::{xdecref, xincref};
use std::ffi::c_void;

/// Which pair of thread-state fields a setter changes.
enum Hook {
    Profile,
    Trace,
}

/// Stores `func` and a new reference to `arg` in the calling thread's state, releasing the
/// argument stored before.
///
/// # Safety
/// `arg` must be NULL or a live object.
unsafe fn set(hook: Hook, func: *mut c_void, arg: *mut PyObject) {
    let ts = crate::pystate::current();
    // SAFETY: `ts` is the calling thread's live state, which only this thread writes these
    // fields of; `arg` is NULL or live (caller's contract).
    unsafe {
        xincref(arg);
        let old = match hook {
            Hook::Profile => {
                (*ts).c_profilefunc = func;
                std::mem::replace(&mut (*ts).c_profileobj, arg)
            }
            Hook::Trace => {
                (*ts).c_tracefunc = func;
                std::mem::replace(&mut (*ts).c_traceobj, arg)
            }
        };
        xdecref(old);
    }
}

/// `PyEval_SetProfile(func, arg)`: the calling thread's profile function (NULL removes it).
#[export]
pub unsafe fn PyEval_SetProfile(func: Option<unsafe extern "C" fn()>, arg: *mut PyObject) {
    let f = func.map_or(std::ptr::null_mut(), |f| f as *mut c_void);
    // SAFETY: forwarded contract.
    unsafe { set(Hook::Profile, f, arg) }
}

/// `PyEval_SetTrace(func, arg)`: the calling thread's trace function (NULL removes it).
#[export]
pub unsafe fn PyEval_SetTrace(func: Option<unsafe extern "C" fn()>, arg: *mut PyObject) {
    let f = func.map_or(std::ptr::null_mut(), |f| f as *mut c_void);
    // SAFETY: forwarded contract.
    unsafe { set(Hook::Trace, f, arg) }
}
