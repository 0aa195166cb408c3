//! `pystate.h`: per-thread state (`PyThreadState`, laid out as CPython 3.14t's `struct _ts`),
//! the one interpreter, and the GIL-state API (there is no GIL; "attached" is tracked per
//! thread so that the calls pair up as in CPython).

use crate::export;
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

pub(crate) static mut MAIN_INTERP: PyInterpreterState = PyInterpreterState { _opaque: [0; 4096] };

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
        // From here on `current()` must not hand out the state any more.
        let _ = TLS_ANCHOR.try_with(|a| a.set(std::ptr::null_mut()));
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
#[inline]
pub(crate) fn current() -> *mut PyThreadState {
    // Fast path: the anchor (a plain thread-local without destructor) holds the state once it
    // exists, and is cleared before the state is freed at thread exit.
    let p = TLS_ANCHOR
        .try_with(Cell::get)
        .unwrap_or(std::ptr::null_mut());
    if !p.is_null() {
        return p;
    }
    current_slow()
}

/// `current` when the calling thread has no state yet (or is exiting).
#[cold]
fn current_slow() -> *mut PyThreadState {
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
pub(crate) fn tls_addr() -> *mut c_void {
    current();
    TLS_ANCHOR
        .try_with(|a| a.as_ptr().cast())
        .unwrap_or(std::ptr::null_mut())
}

/// Whether the calling thread is attached (not between `PyEval_SaveThread` and
/// `PyEval_RestoreThread`).
pub(crate) fn is_attached() -> bool {
    ATTACHED.try_with(Cell::get).unwrap_or(false)
}

pub(crate) fn set_attached(v: bool) {
    let _ = ATTACHED.try_with(|a| a.set(v));
}

#[export]
pub fn PyThreadState_Get() -> *mut PyThreadState {
    current()
}

#[export]
pub fn PyThreadState_GetUnchecked() -> *mut PyThreadState {
    if is_attached() {
        current()
    } else {
        std::ptr::null_mut()
    }
}

#[export]
pub fn _PyThreadState_GetCurrent() -> *mut PyThreadState {
    if is_attached() {
        current()
    } else {
        std::ptr::null_mut()
    }
}

#[export]
pub fn PyInterpreterState_Get() -> *mut PyInterpreterState {
    &raw mut MAIN_INTERP
}

#[export]
pub fn PyInterpreterState_Main() -> *mut PyInterpreterState {
    &raw mut MAIN_INTERP
}

#[export]
pub unsafe fn PyThreadState_GetInterpreter(_ts: *mut PyThreadState) -> *mut PyInterpreterState {
    &raw mut MAIN_INTERP
}

/// `PyInterpreterState_GetDict(interp)`: the interpreter's own dict for extension state
/// (pybind11 keeps its internals capsule there), a borrowed reference created on first use.
/// As in CPython, NULL (no exception) means "no such dict"; gilgate has one interpreter.
#[export]
pub fn PyInterpreterState_GetDict(interp: *mut PyInterpreterState) -> *mut PyObject {
    if interp != &raw mut MAIN_INTERP {
        return std::ptr::null_mut();
    }
    static DICT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let d = *DICT.get_or_init(|| {
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            crate::pyerrors::clear();
        }
        d as usize
    });
    d as *mut PyObject
}

#[export]
pub fn PyInterpreterState_GetID(_interp: *mut PyInterpreterState) -> i64 {
    0
}

#[export(err = PyGILState_LOCKED)]
pub fn PyGILState_Ensure() -> c_int {
    current();
    if is_attached() {
        PyGILState_LOCKED
    } else {
        set_attached(true);
        PyGILState_UNLOCKED
    }
}

#[export]
pub fn PyGILState_Release(state: c_int) {
    if state == PyGILState_UNLOCKED {
        crate::refcount::merge_pending();
        set_attached(false);
    }
}

#[export]
pub fn PyGILState_Check() -> c_int {
    c_int::from(is_attached())
}

#[export]
pub fn PyGILState_GetThisThreadState() -> *mut PyThreadState {
    current()
}

// Single-phase module state lookup: `PyState_AddModule` files a module under its def's
// `m_index` (the loader does it after a single-phase init succeeds, as CPython's import does),
// and `PyState_FindModule` gives it back to the extension later.

/// Modules by `m_index` (strong references, kept for the life of the process like CPython's
/// per-interpreter list).
static MODULES_BY_INDEX: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());

fn modules_by_index() -> std::sync::MutexGuard<'static, Vec<usize>> {
    MODULES_BY_INDEX.lock().unwrap_or_else(|e| e.into_inner())
}

fn raise_system_error(msg: &str) -> c_int {
    crate::pyerrors::raise(&raw mut crate::pyerrors::EXC_SystemError, msg);
    -1
}

/// Files `module` under `def`'s index, replacing (and releasing) an earlier entry.
///
/// # Safety
/// `module` must be a live object and `def` NULL or a live def.
pub unsafe fn add_module(
    module: *mut PyObject,
    def: *mut crate::moduleobject::PyModuleDef,
) -> c_int {
    if def.is_null() {
        return raise_system_error("module definition is NULL");
    }
    // SAFETY: `def` is a live def (contract).
    let (slots, index) = unsafe { ((*def).m_slots, (*def).m_base.m_index) };
    if !slots.is_null() {
        return raise_system_error("PyState_AddModule called on module with slots");
    }
    if index <= 0 {
        return raise_system_error("PyState_AddModule called on a def without PyModuleDef_Init");
    }
    let index = index as usize;
    // SAFETY: `module` is live; the list keeps the new reference.
    unsafe { crate::refcount::incref(module) };
    let old = {
        let mut list = modules_by_index();
        if list.len() <= index {
            list.resize(index + 1, 0);
        }
        std::mem::replace(&mut list[index], module as usize)
    };
    if old != 0 {
        // SAFETY: the list held this reference.
        unsafe { crate::refcount::decref(old as *mut PyObject) };
    }
    0
}

/// The module filed under `def`'s index, as a borrowed reference, or NULL (no exception).
///
/// # Safety
/// `def` must be NULL or a live def.
pub(crate) unsafe fn find_module(def: *mut crate::moduleobject::PyModuleDef) -> *mut PyObject {
    if def.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: `def` is a live def (contract).
    let (slots, index) = unsafe { ((*def).m_slots, (*def).m_base.m_index) };
    if !slots.is_null() || index <= 0 {
        return std::ptr::null_mut();
    }
    modules_by_index().get(index as usize).copied().unwrap_or(0) as *mut PyObject
}

#[export]
pub unsafe fn PyState_AddModule(
    module: *mut PyObject,
    def: *mut crate::moduleobject::PyModuleDef,
) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { add_module(module, def) }
}

#[export]
pub unsafe fn PyState_FindModule(def: *mut crate::moduleobject::PyModuleDef) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { find_module(def) }
}

#[export]
pub unsafe fn PyState_RemoveModule(def: *mut crate::moduleobject::PyModuleDef) -> c_int {
    if def.is_null() {
        return raise_system_error("module definition is NULL");
    }
    // SAFETY: `def` is a live def per the C API contract.
    let (slots, index) = unsafe { ((*def).m_slots, (*def).m_base.m_index) };
    if !slots.is_null() {
        return raise_system_error("PyState_RemoveModule called on module with slots");
    }
    let old = {
        let mut list = modules_by_index();
        match list.get_mut(index.max(0) as usize) {
            Some(slot) if index > 0 => std::mem::take(slot),
            _ => return raise_system_error("Module index out of bounds."),
        }
    };
    if old != 0 {
        // SAFETY: the list held this reference.
        unsafe { crate::refcount::decref(old as *mut PyObject) };
    }
    0
}
