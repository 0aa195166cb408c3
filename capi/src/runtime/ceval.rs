//! `ceval.h`: attaching and detaching the thread state (the one path every attach and detach
//! takes), the `PyEval_*` thread functions, and gilgate's safe point.

use crate::ceval_gil;
use crate::export;
use crate::object::PyObject;
use crate::pyerrors::{EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::pystate::{
    ATTACHED, DETACHED, PyThreadState, attached, current, fatal, mark, mark_active,
};
use std::ffi::c_int;
use std::ptr::null_mut;
use std::sync::atomic::Ordering;

#[export]
pub fn PyEval_SaveThread() -> *mut PyThreadState {
    // A thread that never had a state gets one first (gilgate's implicit attach).
    current();
    detach()
}

#[export]
pub unsafe fn PyEval_RestoreThread(ts: *mut PyThreadState) {
    attach_checked(ts, c"PyEval_RestoreThread")
}

#[export]
pub unsafe fn PyEval_AcquireThread(ts: *mut PyThreadState) {
    attach_checked(ts, c"PyEval_AcquireThread")
}

/// `attach(ts)` for the public entry points: a NULL `ts` is CPython's fatal error naming `func`.
fn attach_checked(ts: *mut PyThreadState, func: &std::ffi::CStr) {
    if ts.is_null() {
        crate::pystate::fatal_no_tstate(func);
    }
    attach(ts)
}

#[export]
pub unsafe fn PyEval_ReleaseThread(ts: *mut PyThreadState) {
    if ts.is_null() {
        crate::pystate::fatal_no_tstate(c"PyEval_ReleaseThread");
    }
    if ts != attached() {
        fatal(c"PyEval_ReleaseThread", c"wrong thread state");
    }
    detach();
}

/// `PyEval_AcquireLock()` (deprecated): takes the lock for the attached state.
#[export(err = ())]
pub fn PyEval_AcquireLock() {
    let ts = current();
    if !ceval_gil::holds(ts) {
        ceval_gil::take(ts);
    }
}

/// `PyEval_ReleaseLock()` (deprecated): drops the lock the attached state holds.
#[export(err = ())]
pub fn PyEval_ReleaseLock() {
    ceval_gil::drop_lock(attached(), false);
}

/// `PyEval_InitThreads()`: nothing to do since 3.9.
#[export(unguarded)]
pub fn PyEval_InitThreads() {}

/// `PyEval_ThreadsInitialized()`: always 1 since 3.9.
#[export(unguarded)]
pub fn PyEval_ThreadsInitialized() -> c_int {
    1
}

/// Detaches the calling thread (`_PyThreadState_Detach`, what `PyEval_SaveThread` does):
/// merges the references other threads queued for it (when its flag says there are some),
/// suspends its critical sections, processes its delayed frees and goes offline for them
/// (`qsbr`), marks its state detached, clears the attached slot, drops the lock and
/// (`--gil module`) releases the per-module lock, saving its depth. Returns the state (NULL
/// when none was attached: then nothing happens). Every wait inside the runtime (a parked
/// `PyMutex`, a critical section on a busy object) goes through this pair, so the lock and the
/// sections are released exactly where CPython releases them.
///
/// Each step that usually has nothing to do is one inlined test here (no queued references,
/// no open section, no delayed frees, the lock not held, no per-module lock), so the common
/// `Py_BEGIN_ALLOW_THREADS` of a free-threaded run is CPython's: the state word's store and
/// the QSBR slot going offline.
#[inline]
pub(crate) fn detach() -> *mut PyThreadState {
    let ts = attached();
    if ts.is_null() {
        return ts;
    }
    crate::refcount::merge_pending();
    // SAFETY: `ts` is the calling thread's live, attached state; only this thread writes its
    // section stack head.
    if unsafe { (*ts).critical_section } != 0 {
        crate::critical_section::suspend_all();
    }
    crate::qsbr::detach();
    mark(ts, DETACHED);
    crate::pystate::set_attached_ts(null_mut());
    if ceval_gil::holds(ts) {
        ceval_gil::drop_lock(ts, false);
    }
    // `--gil module`: the per-module lock is released too (its depth saved for the attach).
    if crate::module_lock::active() {
        crate::module_lock::release_for_detach();
    }
    ts
}

/// Attaches `ts` (`_PyThreadState_Attach`; NULL: nothing): re-takes the per-module lock the
/// last detach released (`--gil module`), waits for the lock while it is enabled, marks the
/// state attached, goes online for delayed frees (`qsbr`), resumes the top-most critical
/// section, merges queued references. If the lock was switched on between taking it (a no-op
/// while off) and marking the state, undoes and waits for it, as CPython does.
///
/// The common case (no per-module lock, the lock off, no pause, no open section, no delayed
/// frees or references queued) is inlined: the state word's compare-and-swap and the QSBR slot going online, as in
/// CPython. Everything else, and every step that may wait or make a system call, goes through
/// `attach_slow`, which keeps `errno`.
#[inline]
pub(crate) fn attach(ts: *mut PyThreadState) {
    if ts.is_null() {
        return;
    }
    if !attached().is_null() {
        fatal(c"_PyThreadState_Attach", c"non-NULL old thread state");
    }
    if crate::module_lock::active() || ceval_gil::enabled() {
        return attach_slow(ts);
    }
    crate::pystate::set_attached_ts(ts);
    // SAFETY: the caller's live state.
    let word = unsafe { crate::pystate::state_word(ts) };
    if word
        .compare_exchange(DETACHED, ATTACHED, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        // A pause suspended the state: the slow path waits for the restart.
        crate::pystate::set_attached_ts(null_mut());
        return attach_slow(ts);
    }
    // The state word says ATTACHED (only this thread leaves that value); `_status` follows.
    mark_active(ts);
    // The lock may have been switched on between the test above and the swap: the switch
    // stops the world first, and a state that became ATTACHED before the pause saw it is
    // this one, so undo and wait for the lock as the slow path does.
    if ceval_gil::enabled() {
        mark(ts, DETACHED);
        crate::pystate::set_attached_ts(null_mut());
        return attach_slow(ts);
    }
    let _ = crate::qsbr::online();
    // SAFETY: `ts` is now the calling thread's attached state.
    let sections = unsafe { (*ts).critical_section } != 0;
    if sections || crate::qsbr::has_queued() || crate::refcount::merge_pending_needed() {
        attach_finish_slow();
    }
}

/// The rest of an attach with delayed frees to process or queued references to merge (either
/// may run a deallocator) or a top-most section to re-take (which may wait): `errno` is kept
/// around them.
#[cold]
#[inline(never)]
fn attach_finish_slow() {
    // SAFETY: errno is the calling thread's own.
    let errno = unsafe { *libc::__errno_location() };
    crate::qsbr::process_queued();
    crate::critical_section::resume_top();
    crate::refcount::merge_pending();
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

/// `attach` when the per-module lock is on, the lock is enabled or a pause holds the state.
#[cold]
#[inline(never)]
fn attach_slow(ts: *mut PyThreadState) {
    // `Py_END_ALLOW_THREADS` must not change errno (an extension reads it after a blocking call
    // made detached), and waiting may make system calls.
    // SAFETY: errno is the calling thread's own.
    let errno = unsafe { *libc::__errno_location() };
    // `--gil module`: take back the per-module lock the last detach released, first, while
    // still detached (so waiting for it holds nothing another thread needs).
    crate::module_lock::reacquire_for_attach();
    loop {
        ceval_gil::take(ts);
        crate::pystate::set_attached_ts(ts);
        // DETACHED -> ATTACHED, unless a pause suspended the state: then wait for the restart.
        // SAFETY: the caller's live state.
        let word = unsafe { crate::pystate::state_word(ts) };
        if word
            .compare_exchange(DETACHED, ATTACHED, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            crate::pystate::set_attached_ts(null_mut());
            ceval_gil::drop_lock(ts, false);
            ceval_gil::wait_while_suspended(ts);
            continue;
        }
        mark_active(ts);
        if ceval_gil::enabled() && !ceval_gil::holds(ts) {
            mark(ts, DETACHED);
            crate::pystate::set_attached_ts(null_mut());
            continue;
        }
        break;
    }
    crate::qsbr::attach();
    crate::critical_section::resume_top();
    crate::refcount::merge_pending();
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

/// A safe point (the return of a call made by gilgate's own drivers): merges the references
/// other threads queued for this thread and reports a quiescent state for delayed frees; when
/// another thread asked for the lock, hands it over (detach waits until another thread took
/// it) and waits to get it back; when the lock was switched on while this thread ran attached
/// without it, detaches and attaches again, which waits for the lock.
pub fn safe_point() {
    let ts = attached();
    if ts.is_null() {
        return;
    }
    crate::refcount::merge_pending();
    crate::qsbr::quiescent();
    if ceval_gil::stop_asked(ts) {
        let ts = detach();
        ceval_gil::stop_here(ts);
        attach(ts);
    } else if ceval_gil::drop_requested(ts) || (ceval_gil::enabled() && !ceval_gil::holds(ts)) {
        let ts = detach();
        attach(ts);
    }
}

// ---- pending calls (ceval.h) ---------------------------------------------------------------

/// CPython's `MAXPENDINGCALLS_MAIN`: the main thread's queue holds at most this many calls.
const MAX_PENDING_MAIN: usize = 32;

type PendingFn = unsafe extern "C" fn(*mut std::ffi::c_void) -> c_int;

/// Calls queued for the main thread (function and argument addresses), oldest first.
static PENDING: std::sync::Mutex<std::collections::VecDeque<(usize, usize)>> =
    std::sync::Mutex::new(std::collections::VecDeque::new());

thread_local! {
    /// Set while this thread runs pending calls (a pending call calling Py_MakePendingCalls
    /// returns at once).
    static HANDLING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn pending() -> std::sync::MutexGuard<'static, std::collections::VecDeque<(usize, usize)>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// `Py_AddPendingCall(func, arg)`: queues `func(arg)` for the main thread, from any thread
/// (attached or not); -1 without an exception when the queue is full.
#[export]
pub unsafe fn Py_AddPendingCall(func: Option<PendingFn>, arg: *mut std::ffi::c_void) -> c_int {
    let Some(func) = func else { return -1 };
    let mut q = pending();
    if q.len() >= MAX_PENDING_MAIN {
        return -1;
    }
    q.push_back((func as usize, arg as usize));
    0
}

/// `Py_MakePendingCalls()`: on the main thread, runs the queued calls in order; -1 (with the
/// failing call's exception) when one returns non-zero, the later ones staying queued. On
/// another thread, or while this thread already runs them, 0. gilgate runs pending calls only
/// here (it has no eval loop to run them at its safe points).
#[export]
pub fn Py_MakePendingCalls() -> c_int {
    if !crate::pystate::is_main_thread() || HANDLING.with(std::cell::Cell::get) {
        return 0;
    }
    HANDLING.with(|h| h.set(true));
    let mut rc = 0;
    loop {
        let next = pending().pop_front();
        let Some((f, arg)) = next else { break };
        // SAFETY: `f` was queued as a pending-call function with `arg` (C API contract).
        let r = unsafe {
            let f: PendingFn = std::mem::transmute::<usize, PendingFn>(f);
            crate::extcall::pending_call(f, arg as *mut std::ffi::c_void)
        };
        if r != 0 {
            rc = -1;
            break;
        }
    }
    HANDLING.with(|h| h.set(false));
    rc
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

/// The recursion limit `Py_SetRecursionLimit` and `sys.setrecursionlimit` record (1000 at
/// start-up). CPython 3.14 guards C recursion by the stack itself, so the number limits only
/// Python frames, which gilgate never runs: it is kept and reported, nothing more.
static RECURSION_LIMIT: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(1000);

#[export(unguarded)]
pub fn Py_GetRecursionLimit() -> c_int {
    RECURSION_LIMIT.load(std::sync::atomic::Ordering::Relaxed)
}

#[export(unguarded)]
pub fn Py_SetRecursionLimit(limit: c_int) {
    RECURSION_LIMIT.store(limit, std::sync::atomic::Ordering::Relaxed)
}

/// `PyErr_SetInterruptEx(signum)`: simulates the arrival of a signal for its Python-level
/// handler. gilgate installs no Python-level signal handlers, which is CPython's case of a
/// signal left at `SIG_DFL` or `SIG_IGN`: the call is ignored (0); a number outside the
/// signal range is -1, as in CPython.
#[export(unguarded)]
pub fn PyErr_SetInterruptEx(signum: c_int) -> c_int {
    if signum < 1 || signum > libc::SIGRTMAX() {
        return -1;
    }
    0
}

/// `PyErr_SetInterrupt()`: `PyErr_SetInterruptEx(SIGINT)`.
#[export(unguarded)]
pub fn PyErr_SetInterrupt() {
    PyErr_SetInterruptEx(libc::SIGINT);
}

/// `PyOS_getsig`: the C handler installed for `sig` (`SIG_ERR` when it cannot be read).
#[export(unguarded)]
pub fn PyOS_getsig(sig: c_int) -> libc::sighandler_t {
    // SAFETY: sigaction with a NULL new action only reads the current one into `old`.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(sig, std::ptr::null(), &mut old) != 0 {
            return libc::SIG_ERR;
        }
        old.sa_sigaction
    }
}

/// `PyOS_setsig`: installs `handler` for `sig` as CPython does (`sigaction` with
/// `SA_ONSTACK`, an empty mask) and returns the previous one (`SIG_ERR` on failure).
#[export(unguarded)]
pub fn PyOS_setsig(sig: c_int, handler: libc::sighandler_t) -> libc::sighandler_t {
    // SAFETY: a zeroed sigaction with a handler, empty mask and flags is a valid argument.
    unsafe {
        let mut new: libc::sigaction = std::mem::zeroed();
        let mut old: libc::sigaction = std::mem::zeroed();
        new.sa_sigaction = handler;
        libc::sigemptyset(&mut new.sa_mask);
        new.sa_flags = libc::SA_ONSTACK;
        if libc::sigaction(sig, &new, &mut old) != 0 {
            return libc::SIG_ERR;
        }
        old.sa_sigaction
    }
}

/// `PyOS_BeforeFork`, `PyOS_AfterFork_Parent`, `PyOS_AfterFork_Child`, `PyOS_AfterFork`:
/// CPython runs the `os.register_at_fork` callbacks here and, in the child, resets the
/// runtime's locks and drops the other threads' states. gilgate's do nothing: the callbacks
/// `os.register_at_fork` keeps are not run and the runtime is left as it is (listed in
/// `capi/data/partial.tsv`).
#[export(unguarded)]
pub fn PyOS_BeforeFork() {}

#[export(unguarded)]
pub fn PyOS_AfterFork_Parent() {}

#[export(unguarded)]
pub fn PyOS_AfterFork_Child() {}

#[export(unguarded)]
pub fn PyOS_AfterFork() {}
