//! `pystate.h`: thread states (`PyThreadState`, laid out as CPython 3.14t's `struct _ts`), their
//! registry, the one interpreter, and the GIL-state API for threads an extension started.
//!
//! As in CPython, a thread has two thread-local slots: the *attached* state (`_Py_tss_tstate`,
//! set by `ceval::attach`, cleared by `ceval::detach`) and the state *bound* to the OS thread
//! for `PyGILState_*` (`_Py_tss_gilstate`, kept while detached). Every state is linked into one
//! process-wide list (CPython's `interp->threads`, `prev`/`next`) under `REGISTRY`'s lock.
//!
//! gilgate's own choice: a thread that has never had a state gets one, created and attached
//! implicitly, on its first call that needs one (gilgate's drivers, tests and Rust callers rely
//! on it); gilgate deletes such states when their OS thread exits. A call that needs a state on
//! a thread whose state is detached (inside `Py_BEGIN_ALLOW_THREADS`) gets CPython's
//! `PyThreadState_Get` fatal error. States made by `PyThreadState_New` or `PyGILState_Ensure`
//! belong to the extension, as in CPython (no cleanup at thread exit).

use crate::export;
use crate::object::PyObject;
use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, c_ulong, c_void};
use std::ptr::null_mut;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};

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
    /// The top of the handled-exception stack; never NULL (the bottom is `exc_state`).
    pub exc_info: *mut _PyErr_StackItem,
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
    pub exc_state: _PyErr_StackItem,
    pub current_executor: *mut PyObject,
    pub dict_global_version: u64,
    pub threading_local_key: *mut PyObject,
    pub threading_local_sentinel: *mut PyObject,
    pub remote_debugger_support: [u8; 520],
    pub datastack_cached_chunk: *mut c_void,
}

/// The whole allocation of a thread state, as CPython 3.14t's `_PyThreadStateImpl` (19216
/// bytes): the public `PyThreadState` first, then the runtime's private fields, which gilgate
/// keeps zero. Some extensions read those fields through the internal headers (greenlet reads
/// `c_stack_refs`, at 920, and the C stack limits): zero is what a CPython thread with nothing
/// pending has there, and the read stays inside the allocation.
#[repr(C)]
struct ThreadStateImpl {
    base: PyThreadState,
    private: [u8; THREAD_STATE_IMPL_SIZE - std::mem::size_of::<PyThreadState>()],
}

/// `sizeof(_PyThreadStateImpl)` in CPython 3.14t (x86_64).
const THREAD_STATE_IMPL_SIZE: usize = 19216;

/// `_PyErr_StackItem`: one entry of the handled-exception stack (what `sys.exception()`
/// answers). Cython walks `exc_info` / `previous_item` directly.
#[repr(C)]
pub struct _PyErr_StackItem {
    /// The exception being handled (owned), or NULL / None.
    pub exc_value: *mut PyObject,
    pub previous_item: *mut _PyErr_StackItem,
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

/// `_Py_THREAD_DETACHED`, `_ATTACHED`, `_SUSPENDED` (values of `PyThreadState.state`).
pub(crate) const DETACHED: c_int = 0;
pub(crate) const ATTACHED: c_int = 1;
pub(crate) const SUSPENDED: c_int = 2;

/// Bits of `_status` (CPython's bitfield, in declaration order).
const ST_INITIALIZED: u32 = 1 << 0;
const ST_BOUND: u32 = 1 << 1;
const ST_BOUND_GILSTATE: u32 = 1 << 3;
const ST_ACTIVE: u32 = 1 << 4;
const ST_CLEARED: u32 = 1 << 6;

/// `_PyThreadState_WHENCE_UNKNOWN` and `_GILSTATE`.
const WHENCE_UNKNOWN: c_int = 0;
const WHENCE_GILSTATE: c_int = 4;

/// The registry: the head of the list of every live state (addresses) and their number.
struct Registry {
    head: usize,
    count: usize,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { head: 0, count: 0 });

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The main thread: the one that made the first thread state (the runtime's start-up does),
/// as a `_Py_ThreadId`; 0 before.
static MAIN_THREAD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Whether the calling thread is the main thread (`_Py_IsMainThread`).
pub(crate) fn is_main_thread() -> bool {
    MAIN_THREAD.load(Ordering::Relaxed) == crate::refcount::thread_id()
}

/// The state gilgate created implicitly for this thread; deleted when the thread exits.
struct Owned(*mut PyThreadState);

impl Drop for Owned {
    fn drop(&mut self) {
        let ts = std::mem::replace(&mut self.0, null_mut());
        if ts.is_null() {
            return;
        }
        if attached() == ts {
            crate::refcount::merge_pending();
            clear_state(ts);
            delete_current(ts);
        } else {
            // Detached at exit (or another state is attached): objects it still refers to
            // cannot be released without attaching; they are left alone.
            free_state(ts);
        }
    }
}

thread_local! {
    /// `_Py_tss_tstate`: the attached state, or NULL.
    static ATTACHED_TS: Cell<*mut PyThreadState> = const { Cell::new(null_mut()) };
    /// `_Py_tss_gilstate`: the state bound to this OS thread for `PyGILState_*`.
    static GILSTATE_TS: Cell<*mut PyThreadState> = const { Cell::new(null_mut()) };
    static OWNED: RefCell<Owned> = const { RefCell::new(Owned(null_mut())) };
}

/// The calling thread's attached state, or NULL (never creates one).
#[inline]
pub(crate) fn attached() -> *mut PyThreadState {
    ATTACHED_TS.try_with(Cell::get).unwrap_or(null_mut())
}

/// Whether the calling thread has an attached state.
pub(crate) fn is_attached() -> bool {
    !attached().is_null()
}

pub(crate) fn set_attached_ts(ts: *mut PyThreadState) {
    let _ = ATTACHED_TS.try_with(|a| a.set(ts));
}

fn gilstate() -> *mut PyThreadState {
    GILSTATE_TS.try_with(Cell::get).unwrap_or(null_mut())
}

fn set_gilstate(ts: *mut PyThreadState) {
    let _ = GILSTATE_TS.try_with(|a| a.set(ts));
}

/// `PyThreadState.state` as an atomic.
///
/// # Safety
/// `ts` must be a live state.
pub(crate) unsafe fn state_word(ts: *mut PyThreadState) -> &'static AtomicI32 {
    // SAFETY: the field is an int every party accesses atomically; `ts` is live (contract).
    unsafe { AtomicI32::from_ptr(&raw mut (*ts).state) }
}

/// Marks `ts` (the calling thread's) attached or detached: the state word and `_status.active`.
#[inline]
pub(crate) fn mark(ts: *mut PyThreadState, state: c_int) {
    // SAFETY: `ts` is the calling thread's live state; only its thread writes `_status`.
    unsafe {
        state_word(ts).store(state, Ordering::SeqCst);
        if state == ATTACHED {
            (*ts)._status |= ST_ACTIVE;
        } else {
            (*ts)._status &= !ST_ACTIVE;
        }
    }
}

/// Sets `_status.active` of `ts` (the calling thread's), whose state word the caller has just
/// swapped to ATTACHED.
#[inline]
pub(crate) fn mark_active(ts: *mut PyThreadState) {
    // SAFETY: `ts` is the calling thread's live state; only its thread writes `_status`.
    unsafe { (*ts)._status |= ST_ACTIVE };
}

/// Prints CPython's fatal error for a call without an attached thread state and aborts.
pub(crate) fn fatal_no_tstate(func: &std::ffi::CStr) -> ! {
    fatal(
        func,
        c"the function must be called with an active thread state, after Python initialization and before Python finalization, but it was called without an active thread state. Are you trying to call the C API inside of a Py_BEGIN_ALLOW_THREADS block?",
    )
}

/// `_Py_FatalErrorFunc(func, msg)`: prints "Fatal Python error: func: msg" and aborts.
pub(crate) fn fatal(func: &std::ffi::CStr, msg: &std::ffi::CStr) -> ! {
    unsafe extern "C" {
        fn _Py_FatalErrorFunc(func: *const c_char, msg: *const c_char) -> !;
    }
    // SAFETY: two NUL-terminated strings; the shim's function prints and aborts.
    unsafe { _Py_FatalErrorFunc(func.as_ptr(), msg.as_ptr()) }
}

/// `new_threadstate` + `bind_tstate`: a state for the calling OS thread, linked into the
/// registry, not attached; it becomes the thread's GIL-state binding if it has none.
fn new_state(whence: c_int) -> *mut PyThreadState {
    // Its biased-refcount queue (`_Py_brc_init_thread`, done at binding in CPython).
    crate::refcount::register_thread();
    // SAFETY: every field of ThreadStateImpl is an integer, a raw pointer or a byte array, for
    // which all-zero is a valid value.
    let full = unsafe { Box::<ThreadStateImpl>::new_zeroed().assume_init() };
    // `base` is the first field of a repr(C) struct: a pointer to the whole points to it.
    let p: *mut PyThreadState = Box::into_raw(full).cast();
    // SAFETY: `p` is the fresh allocation, not shared yet.
    let ts = unsafe { &mut *p };
    ts.interp = &raw mut MAIN_INTERP;
    ts._whence = whence;
    ts.thread_id = crate::refcount::thread_id() as c_ulong;
    let _ = MAIN_THREAD.compare_exchange(
        0,
        crate::refcount::thread_id(),
        Ordering::Relaxed,
        Ordering::Relaxed,
    );
    // SAFETY: gettid has no preconditions.
    ts.native_thread_id = unsafe { libc::gettid() } as c_ulong;
    ts.py_recursion_limit = 1000;
    ts.py_recursion_remaining = 1000;
    ts._status = ST_INITIALIZED | ST_BOUND;
    ts.gilstate_counter = 1;
    ts.state = DETACHED;
    // SAFETY: `p` is ours; the bottom of the handled-exception stack lives in the state.
    unsafe { (*p).exc_info = &raw mut (*p).exc_state };
    {
        let mut r = registry();
        // A state made while the world is stopped starts suspended (it waits in attach).
        if crate::ceval_gil::stop_requested() {
            // SAFETY: `p` is ours, not yet linked.
            unsafe { (*p).state = SUSPENDED };
        }
        // SAFETY: `p` is ours; the head (if any) is a live state, and the registry's lock
        // serialises every write of `prev`/`next`.
        unsafe {
            (*p).id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
            (*p).next = r.head as *mut PyThreadState;
            if r.head != 0 {
                (*(r.head as *mut PyThreadState)).prev = p;
            }
        }
        r.head = p as usize;
        r.count += 1;
    }
    if gilstate().is_null() {
        set_gilstate(p);
        // SAFETY: `p` is live and not yet shared with another thread.
        unsafe { (*p)._status |= ST_BOUND_GILSTATE };
    }
    p
}

/// Unlinks `ts` from the registry, unbinds it from this thread and frees it.
fn free_state(ts: *mut PyThreadState) {
    {
        let mut r = registry();
        // SAFETY: `ts` is a live, linked state; the lock serialises list writes.
        unsafe {
            let (prev, next) = ((*ts).prev, (*ts).next);
            if prev.is_null() {
                r.head = next as usize;
            } else {
                (*prev).next = next;
            }
            if !next.is_null() {
                (*next).prev = prev;
            }
        }
        r.count -= 1;
    }
    if gilstate() == ts {
        set_gilstate(null_mut());
    }
    let _ = OWNED.try_with(|o| {
        if let Ok(mut o) = o.try_borrow_mut()
            && o.0 == ts
        {
            o.0 = null_mut();
        }
    });
    // SAFETY: made by `Box::into_raw` of a ThreadStateImpl in `new_state`, now unreachable
    // from the registry and this thread's slots.
    drop(unsafe { Box::from_raw(ts.cast::<ThreadStateImpl>()) });
}

/// `PyThreadState_Clear`'s work: releases what the state refers to.
fn clear_state(ts: *mut PyThreadState) {
    // SAFETY: `ts` is live; the fields are owned references (or NULL), taken out before they
    // are released (a release can run code that looks at the state).
    unsafe {
        let t = &mut *ts;
        let held = [
            std::mem::replace(&mut t.dict, null_mut()),
            std::mem::replace(&mut t.async_exc, null_mut()),
            std::mem::replace(&mut t.current_exception, null_mut()),
            std::mem::replace(&mut t.exc_state.exc_value, null_mut()),
            std::mem::replace(&mut t.context, null_mut()),
            std::mem::replace(&mut t.async_gen_firstiter, null_mut()),
            std::mem::replace(&mut t.async_gen_finalizer, null_mut()),
            std::mem::replace(&mut t.threading_local_key, null_mut()),
            std::mem::replace(&mut t.threading_local_sentinel, null_mut()),
            std::mem::replace(&mut t.c_profileobj, null_mut()),
            std::mem::replace(&mut t.c_traceobj, null_mut()),
        ];
        for o in held {
            crate::refcount::xdecref(o);
        }
        (*ts)._status |= ST_CLEARED;
    }
}

/// `_PyThreadState_DeleteCurrent`: `ts` is the attached state; it stops being current, leaves
/// the registry, drops the lock for good and is freed (critical sections are not suspended).
fn delete_current(ts: *mut PyThreadState) {
    crate::qsbr::detach();
    set_attached_ts(null_mut());
    mark(ts, DETACHED);
    crate::ceval_gil::drop_lock(ts, true);
    free_state(ts);
}

/// Runs `f` on every live state, under the registry's lock (`f` must not take it again).
pub(crate) fn for_each_state(mut f: impl FnMut(*mut PyThreadState)) {
    let r = registry();
    let mut t = r.head as *mut PyThreadState;
    while !t.is_null() {
        f(t);
        // SAFETY: linked states stay alive while the registry's lock is held.
        t = unsafe { (*t).next };
    }
}

/// Runs `f` under the registry's lock.
pub(crate) fn with_registry<R>(f: impl FnOnce() -> R) -> R {
    let _r = registry();
    f()
}

/// The number of live thread states (the registry's length).
pub fn thread_state_count() -> usize {
    registry().count
}

/// The calling thread's attached state. A thread that never had one gets one created and
/// attached now (gilgate's implicit attach); a thread whose state is detached gets CPython's
/// fatal error. NULL only while the thread exits.
#[inline]
pub(crate) fn current() -> *mut PyThreadState {
    let p = attached();
    if !p.is_null() {
        return p;
    }
    current_slow()
}

#[cold]
fn current_slow() -> *mut PyThreadState {
    if !gilstate().is_null() {
        fatal_no_tstate(c"PyThreadState_Get");
    }
    // Registered before `OWNED` is first touched, so that (thread-locals being destroyed in
    // the reverse order of their first use) the implicit state is deleted before the thread
    // stops owning objects.
    crate::refcount::register_thread();
    // A thread that is exiting (its slots destroyed) gets NULL.
    if OWNED.try_with(|_| ()).is_err() {
        return null_mut();
    }
    let ts = new_state(WHENCE_UNKNOWN);
    let _ = OWNED.try_with(|o| o.borrow_mut().0 = ts);
    crate::ceval::attach(ts);
    ts
}

/// The address of the thread-local slot that holds the attached thread state.
pub(crate) fn tls_addr() -> *mut c_void {
    current();
    ATTACHED_TS
        .try_with(|a| a.as_ptr().cast())
        .unwrap_or(null_mut())
}

#[export]
pub fn PyThreadState_Get() -> *mut PyThreadState {
    current()
}

#[export]
pub fn PyThreadState_GetUnchecked() -> *mut PyThreadState {
    attached()
}

#[export]
pub fn _PyThreadState_GetCurrent() -> *mut PyThreadState {
    attached()
}

/// `PyThreadState_New(interp)`: a new state bound to the calling thread, detached.
#[export]
pub fn PyThreadState_New(_interp: *mut PyInterpreterState) -> *mut PyThreadState {
    new_state(WHENCE_UNKNOWN)
}

/// `PyThreadState_Clear(ts)`: releases what `ts` refers to (the caller is attached).
#[export]
pub unsafe fn PyThreadState_Clear(ts: *mut PyThreadState) {
    if ts.is_null() {
        fatal_no_tstate(c"PyThreadState_Clear");
    }
    clear_state(ts);
}

/// `PyThreadState_Delete(ts)`: unlinks and frees a state that is not the current one.
#[export]
pub unsafe fn PyThreadState_Delete(ts: *mut PyThreadState) {
    if ts.is_null() {
        fatal_no_tstate(c"PyThreadState_Delete");
    }
    if ts == attached() {
        fatal(c"PyThreadState_Delete", c"tstate is still current");
    }
    free_state(ts);
}

/// `PyThreadState_DeleteCurrent()`: deletes the attached state (cleared by the caller) and
/// drops the lock.
#[export]
pub fn PyThreadState_DeleteCurrent() {
    let ts = attached();
    if ts.is_null() {
        fatal_no_tstate(c"PyThreadState_DeleteCurrent");
    }
    crate::refcount::merge_pending();
    delete_current(ts);
}

/// `PyThreadState_Swap(new)`: detaches the current state (if any), attaches `new` (if not
/// NULL), returns the old one.
#[export]
pub unsafe fn PyThreadState_Swap(new: *mut PyThreadState) -> *mut PyThreadState {
    let old = crate::ceval::detach();
    crate::ceval::attach(new);
    old
}

/// `PyThreadState_GetDict()`: the attached state's dict for extension data (borrowed), created
/// on first use; NULL without an exception when no state is attached.
#[export]
pub fn PyThreadState_GetDict() -> *mut PyObject {
    let ts = attached();
    if ts.is_null() {
        return null_mut();
    }
    // SAFETY: the attached state is the calling thread's own.
    unsafe {
        if (*ts).dict.is_null() {
            let d = crate::dictobject::new_dict();
            if d.is_null() {
                crate::pyerrors::clear();
            }
            (*ts).dict = d;
        }
        (*ts).dict
    }
}

/// `PyThreadState_GetID(ts)`: the state's unique id.
#[export]
pub unsafe fn PyThreadState_GetID(ts: *mut PyThreadState) -> u64 {
    if ts.is_null() {
        fatal_no_tstate(c"PyThreadState_GetID");
    }
    // SAFETY: a live state per the C API contract.
    unsafe { (*ts).id }
}

/// `PyThreadState_Next(ts)`: the next state in the registry (NULL at the end).
#[export]
pub unsafe fn PyThreadState_Next(ts: *mut PyThreadState) -> *mut PyThreadState {
    if ts.is_null() {
        return null_mut();
    }
    // SAFETY: a live state per the C API contract.
    unsafe { (*ts).next }
}

/// `PyInterpreterState_ThreadHead(interp)`: the first state in the registry.
#[export]
pub fn PyInterpreterState_ThreadHead(_interp: *mut PyInterpreterState) -> *mut PyThreadState {
    registry().head as *mut PyThreadState
}

#[export]
pub fn PyInterpreterState_Get() -> *mut PyInterpreterState {
    current();
    &raw mut MAIN_INTERP
}

/// `PyInterpreterState_Head()`: the first interpreter; gilgate has one.
#[export]
pub fn PyInterpreterState_Head() -> *mut PyInterpreterState {
    &raw mut MAIN_INTERP
}

/// `PyInterpreterState_Next(interp)`: the one interpreter has no next.
#[export]
pub unsafe fn PyInterpreterState_Next(_interp: *mut PyInterpreterState) -> *mut PyInterpreterState {
    null_mut()
}

/// `PyThreadState_GetFrame(ts)`: the state's current Python frame (a new reference), NULL
/// without an exception when there is none; gilgate runs no Python code, so never one.
#[export]
pub unsafe fn PyThreadState_GetFrame(_ts: *mut PyThreadState) -> *mut PyObject {
    null_mut()
}

/// `PyThreadState_EnterTracing(ts)`: one level deeper in tracing (`tracing` + 1).
#[export]
pub unsafe fn PyThreadState_EnterTracing(ts: *mut PyThreadState) {
    // SAFETY: a live state of the calling thread (C API contract).
    unsafe { (*ts).tracing += 1 };
}

/// `PyThreadState_LeaveTracing(ts)`: undoes one `PyThreadState_EnterTracing`.
#[export]
pub unsafe fn PyThreadState_LeaveTracing(ts: *mut PyThreadState) {
    // SAFETY: as above.
    unsafe { (*ts).tracing -= 1 };
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
        return null_mut();
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

/// `PyGILState_Ensure()`: attaches this thread's bound state, creating one (deleted by the
/// matching last `PyGILState_Release`) on a thread that has none; waits for the lock while it
/// is enabled. The C shim's `PyGILState_Ensure` (`capi/c/pystate.c`) calls this with its
/// return address: under `--gil module`, a call from an undeclared module's code also enters
/// the per-module lock until the matching `PyGILState_Release`.
#[export(err = PyGILState_LOCKED, guard_name = "PyGILState_Ensure")]
pub fn _gilgate_gilstate_ensure(caller: *mut std::ffi::c_void) -> c_int {
    let mut tcur = gilstate();
    let has = if tcur.is_null() {
        tcur = new_state(WHENCE_GILSTATE);
        // SAFETY: just made, this thread's own.
        unsafe { (*tcur).gilstate_counter = 0 };
        false
    } else {
        tcur == attached()
    };
    if !has {
        crate::ceval::attach(tcur);
    }
    // SAFETY: the bound state is live and this thread's own.
    unsafe { (*tcur).gilstate_counter += 1 };
    crate::module_lock::after_ensure(caller as usize);
    if has {
        PyGILState_LOCKED
    } else {
        PyGILState_UNLOCKED
    }
}

/// `PyGILState_Release(old)`: undoes one `PyGILState_Ensure`; the outermost release of a state
/// Ensure created clears and deletes it.
#[export]
pub fn PyGILState_Release(old: c_int) {
    let ts = gilstate();
    if ts.is_null() {
        fatal(
            c"PyGILState_Release",
            c"auto-releasing thread-state, but no thread-state for this thread",
        );
    }
    if ts != attached() {
        fatal(
            c"PyGILState_Release",
            c"thread state must be current when releasing",
        );
    }
    crate::module_lock::before_release();
    // SAFETY: the bound state is live and this thread's own.
    let left = unsafe {
        (*ts).gilstate_counter -= 1;
        (*ts).gilstate_counter
    };
    if left == 0 {
        // SAFETY: as above; the count guards against a nested release while clearing.
        unsafe { (*ts).gilstate_counter = 1 };
        crate::refcount::merge_pending();
        clear_state(ts);
        // SAFETY: as above.
        unsafe { (*ts).gilstate_counter = 0 };
        delete_current(ts);
    } else if old == PyGILState_UNLOCKED {
        crate::ceval::detach();
    }
}

/// `PyGILState_Check()`: whether this thread's bound state is the attached one.
#[export]
pub fn PyGILState_Check() -> c_int {
    let a = attached();
    c_int::from(!a.is_null() && a == gilstate())
}

#[export]
pub fn PyGILState_GetThisThreadState() -> *mut PyThreadState {
    gilstate()
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
/// Borrowed as CPython's: a `PyState_RemoveModule` (or a new `PyState_AddModule` for the same
/// def, made when a single-phase module is initialised again) on another thread releases it,
/// as in CPython (keeping replaced modules for the process would leak one module per load).
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
