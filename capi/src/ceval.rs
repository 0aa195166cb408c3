//! `ceval.h`: attaching and detaching the thread state around blocking calls.

use crate::pystate::{PyThreadState, current, set_attached};

#[unsafe(no_mangle)]
pub extern "C" fn PyEval_SaveThread() -> *mut PyThreadState {
    crate::ffi_guard::guard("PyEval_SaveThread", std::ptr::null_mut(), || {
        crate::refcount::merge_pending();
        let ts = current();
        set_attached(false);
        ts
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyEval_RestoreThread(_ts: *mut PyThreadState) {
    crate::ffi_guard::guard("PyEval_RestoreThread", (), || {
        set_attached(true);
        crate::refcount::merge_pending();
    })
}
