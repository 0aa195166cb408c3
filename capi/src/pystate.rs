//! `pystate.h`: per-thread state (`PyThreadState`, laid out as CPython 3.14t's `struct _ts`),
//! the one interpreter, and the GIL-state API (there is no GIL; "attached" is tracked per
//! thread so that the calls pair up as in CPython).

use crate::object::PyObject;
use std::cell::Cell;
use std::ffi::{c_int, c_ulong, c_void};

/// `PyThreadState` (`struct _ts`, 832 bytes). Fields gilgate does not use stay zero.
#[repr(C)]
pub struct PyThreadState {
    pub prev: *mut PyThreadState,
    pub next: *mut PyThreadState,
    pub interp: *mut PyInterpreterState,
    pub eval_breaker: usize,
    pub _status: u32,
    pub holds_gil: c_int,
    pub _whence: c_int,
    pub state: c_int,
    pub py_recursion_remaining: c_int,
    pub py_recursion_limit: c_int,
    pub recursion_headroom: c_int,
    pub tracing: c_int,
    pub what_event: c_int,
    pub _hole0: c_int,
    pub current_frame: *mut c_void,
    pub c_profilefunc: *mut c_void,
    pub c_tracefunc: *mut c_void,
    pub c_profileobj: *mut PyObject,
    pub c_traceobj: *mut PyObject,
    /// The error indicator.
    pub current_exception: *mut PyObject,
    pub exc_info: *mut c_void,
    pub dict: *mut PyObject,
    pub gilstate_counter: c_int,
    pub _hole1: c_int,
    pub async_exc: *mut PyObject,
    pub thread_id: c_ulong,
    pub native_thread_id: c_ulong,
    pub delete_later: *mut PyObject,
    pub critical_section: usize,
    pub coroutine_origin_tracking_depth: c_int,
    pub _hole2: c_int,
    pub async_gen_firstiter: *mut PyObject,
    pub async_gen_finalizer: *mut PyObject,
    pub context: *mut PyObject,
    pub context_ver: u64,
    pub id: u64,
    pub datastack_chunk: *mut c_void,
    pub datastack_top: *mut *mut PyObject,
    pub datastack_limit: *mut *mut PyObject,
    pub exc_state: [usize; 2],
    pub current_executor: *mut PyObject,
    pub dict_global_version: u64,
    pub threading_local_key: *mut PyObject,
    pub threading_local_sentinel: *mut PyObject,
    pub remote_debugger_support: [u8; 520],
    pub datastack_cached_chunk: *mut c_void,
}

/// The interpreter state is opaque to extensions; gilgate keeps one zeroed block.
#[repr(C, align(64))]
pub struct PyInterpreterState {
    _opaque: [u8; 4096],
}

pub static mut MAIN_INTERP: PyInterpreterState = PyInterpreterState { _opaque: [0; 4096] };

/// `PyGILState_STATE`.
pub const PyGILState_LOCKED: c_int = 0;
pub const PyGILState_UNLOCKED: c_int = 1;

struct Owned(*mut PyThreadState);

impl Drop for Owned {
    fn drop(&mut self) {
        if self.0.is_null() {
            return;
        }
        crate::refcount::merge_pending();
        // SAFETY: the thread is exiting; the state was created by `Box::into_raw` below and
        // nobody else refers to it.
        unsafe {
            let ts = Box::from_raw(self.0);
            crate::refcount::xdecref(ts.current_exception);
        }
    }
}

thread_local! {
    static TSTATE: std::cell::RefCell<Owned> = const { std::cell::RefCell::new(Owned(std::ptr::null_mut())) };
    static ATTACHED: Cell<bool> = const { Cell::new(true) };
    static TLS_ANCHOR: Cell<*mut PyThreadState> = const { Cell::new(std::ptr::null_mut()) };
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn new_tstate() -> *mut PyThreadState {
    // SAFETY: every field of PyThreadState is an integer, a raw pointer or a byte array,
    // for which all-zero is a valid value.
    let mut ts: Box<PyThreadState> = unsafe { Box::new(std::mem::zeroed()) };
    ts.interp = &raw mut MAIN_INTERP;
    ts.thread_id = crate::refcount::thread_id() as c_ulong;
    // SAFETY: gettid has no preconditions.
    ts.native_thread_id = unsafe { libc::gettid() } as c_ulong;
    ts.id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    ts.py_recursion_limit = 1000;
    ts.py_recursion_remaining = 1000;
    ts._status = 0b1_0011; // initialized, bound, active
    ts.gilstate_counter = 1;
    Box::into_raw(ts)
}

/// The calling thread's state, created on first use. NULL only while the thread exits.
pub fn current() -> *mut PyThreadState {
    TSTATE
        .try_with(|t| {
            let mut t = t.borrow_mut();
            if t.0.is_null() {
                t.0 = new_tstate();
                let p = t.0;
                let _ = TLS_ANCHOR.try_with(|a| a.set(p));
            }
            t.0
        })
        .unwrap_or(std::ptr::null_mut())
}

/// The address of the thread-local slot that holds the current thread state.
pub fn tls_addr() -> *mut c_void {
    current();
    TLS_ANCHOR
        .try_with(|a| a.as_ptr().cast())
        .unwrap_or(std::ptr::null_mut())
}

/// Whether the calling thread is attached (not between `PyEval_SaveThread` and
/// `PyEval_RestoreThread`).
pub fn is_attached() -> bool {
    ATTACHED.try_with(Cell::get).unwrap_or(false)
}

pub fn set_attached(v: bool) {
    let _ = ATTACHED.try_with(|a| a.set(v));
}

#[unsafe(no_mangle)]
pub extern "C" fn PyThreadState_Get() -> *mut PyThreadState {
    crate::ffi_guard::guard("PyThreadState_Get", std::ptr::null_mut(), current)
}

#[unsafe(no_mangle)]
pub extern "C" fn PyThreadState_GetUnchecked() -> *mut PyThreadState {
    crate::ffi_guard::guard("PyThreadState_GetUnchecked", std::ptr::null_mut(), || {
        if is_attached() {
            current()
        } else {
            std::ptr::null_mut()
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn _PyThreadState_GetCurrent() -> *mut PyThreadState {
    crate::ffi_guard::guard("_PyThreadState_GetCurrent", std::ptr::null_mut(), || {
        if is_attached() {
            current()
        } else {
            std::ptr::null_mut()
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyInterpreterState_Get() -> *mut PyInterpreterState {
    crate::ffi_guard::guard("PyInterpreterState_Get", std::ptr::null_mut(), || {
        &raw mut MAIN_INTERP
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyInterpreterState_Main() -> *mut PyInterpreterState {
    crate::ffi_guard::guard("PyInterpreterState_Main", std::ptr::null_mut(), || {
        &raw mut MAIN_INTERP
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyThreadState_GetInterpreter(
    _ts: *mut PyThreadState,
) -> *mut PyInterpreterState {
    crate::ffi_guard::guard("PyThreadState_GetInterpreter", std::ptr::null_mut(), || {
        &raw mut MAIN_INTERP
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyInterpreterState_GetID(_interp: *mut PyInterpreterState) -> i64 {
    crate::ffi_guard::guard("PyInterpreterState_GetID", -1, || 0)
}

#[unsafe(no_mangle)]
pub extern "C" fn PyGILState_Ensure() -> c_int {
    crate::ffi_guard::guard("PyGILState_Ensure", PyGILState_LOCKED, || {
        current();
        if is_attached() {
            PyGILState_LOCKED
        } else {
            set_attached(true);
            PyGILState_UNLOCKED
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyGILState_Release(state: c_int) {
    crate::ffi_guard::guard("PyGILState_Release", (), || {
        if state == PyGILState_UNLOCKED {
            crate::refcount::merge_pending();
            set_attached(false);
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyGILState_Check() -> c_int {
    crate::ffi_guard::guard("PyGILState_Check", 0, || c_int::from(is_attached()))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyGILState_GetThisThreadState() -> *mut PyThreadState {
    crate::ffi_guard::guard(
        "PyGILState_GetThisThreadState",
        std::ptr::null_mut(),
        current,
    )
}
