//! `refcount.h`: free-threaded reference counting (biased counts: a local count for the
//! owning thread, a shared atomic count for everyone else), the exported slow paths, and the
//! per-thread queues of objects whose shared count dropped to zero on a foreign thread.

use crate::export;
use crate::object::{
    _Py_IMMORTAL_INITIAL_REFCNT, _Py_IMMORTAL_REFCNT_LOCAL, _Py_REF_MERGED, _Py_REF_QUEUED,
    _Py_REF_SHARED_FLAG_MASK, _Py_REF_SHARED_SHIFT, _Py_UNOWNED_TID, PyObject, PyTypeObject,
};
use crate::pyport::Py_ssize_t;
use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_void};
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, AtomicU32, AtomicUsize, Ordering};

/// `_Py_ThreadId()`: the thread pointer's self pointer (`fs:0`), equal to `pthread_self()`.
#[inline]
pub fn thread_id() -> usize {
    let tid: usize;
    // SAFETY: reading the first word of the thread control block through %fs is always valid
    // on x86_64 Linux; it holds the TCB's own address.
    unsafe {
        std::arch::asm!("mov {}, fs:0", out(reg) tid, options(nostack, readonly, preserves_flags));
    }
    tid
}

/// The local count of `op` as an atomic.
///
/// # Safety
/// `op` must point to a live object.
#[inline]
pub(crate) unsafe fn local(op: *mut PyObject) -> &'static AtomicU32 {
    // SAFETY: the caller guarantees `op` is live; the field is 4-byte aligned and only
    // accessed atomically by every party (extensions use relaxed loads/stores).
    unsafe { AtomicU32::from_ptr(&raw mut (*op).ob_ref_local) }
}

/// The shared count of `op` as an atomic.
///
/// # Safety
/// `op` must point to a live object.
#[inline]
pub(crate) unsafe fn shared(op: *mut PyObject) -> &'static AtomicIsize {
    // SAFETY: as in `local`; the field is 8-byte aligned.
    unsafe { AtomicIsize::from_ptr(&raw mut (*op).ob_ref_shared) }
}

/// The owning thread id of `op` as an atomic.
///
/// # Safety
/// `op` must point to a live object.
#[inline]
pub(crate) unsafe fn tid(op: *mut PyObject) -> &'static AtomicUsize {
    // SAFETY: as in `local`.
    unsafe { AtomicUsize::from_ptr(&raw mut (*op).ob_tid) }
}

/// Whether `op` is immortal.
///
/// # Safety
/// `op` must point to a live object.
#[inline]
pub unsafe fn is_immortal(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { local(op).load(Ordering::Relaxed) == _Py_IMMORTAL_REFCNT_LOCAL }
}

/// `Py_INCREF`.
///
/// # Safety
/// `op` must point to a live object.
#[inline]
pub unsafe fn incref(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let l = local(op).load(Ordering::Relaxed);
        let new = l.wrapping_add(1);
        if new == 0 {
            return;
        }
        if tid(op).load(Ordering::Relaxed) == thread_id() {
            local(op).store(new, Ordering::Relaxed);
        } else {
            shared(op).fetch_add(1 << _Py_REF_SHARED_SHIFT, Ordering::Relaxed);
        }
    }
}

/// `Py_XINCREF`.
///
/// # Safety
/// `op` must be NULL or point to a live object.
#[inline]
pub(crate) unsafe fn xincref(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: non-NULL, so live by the contract.
        unsafe { incref(op) }
    }
}

/// `Py_NewRef`.
///
/// # Safety
/// `op` must point to a live object.
#[inline]
pub unsafe fn new_ref(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { incref(op) };
    op
}

/// `Py_DECREF`.
///
/// # Safety
/// `op` must point to a live object whose reference the caller owns.
#[inline]
pub unsafe fn decref(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let l = local(op).load(Ordering::Relaxed);
        if l == _Py_IMMORTAL_REFCNT_LOCAL {
            return;
        }
        if tid(op).load(Ordering::Relaxed) == thread_id() {
            let new = l.wrapping_sub(1);
            local(op).store(new, Ordering::Relaxed);
            if new == 0 {
                merge_zero_local(op);
            }
        } else {
            decref_shared(op);
        }
    }
}

/// `Py_XDECREF`.
///
/// # Safety
/// `op` must be NULL or a live object whose reference the caller owns.
#[inline]
pub unsafe fn xdecref(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: non-NULL, so live by the contract.
        unsafe { decref(op) }
    }
}

/// `Py_REFCNT`.
///
/// # Safety
/// `op` must point to a live object.
pub unsafe fn refcnt(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe {
        let l = local(op).load(Ordering::Relaxed);
        if l == _Py_IMMORTAL_REFCNT_LOCAL {
            return _Py_IMMORTAL_INITIAL_REFCNT;
        }
        l as Py_ssize_t + (shared(op).load(Ordering::Relaxed) >> _Py_REF_SHARED_SHIFT)
    }
}

/// Calls the type's `tp_dealloc` (or frees the memory when the type has none).
///
/// # Safety
/// `op` must be a live object whose count is zero.
#[inline]
pub(crate) unsafe fn dealloc(op: *mut PyObject) {
    // SAFETY: the caller guarantees `op` is a dead-but-valid object with a valid type.
    unsafe {
        let ty: *mut PyTypeObject = (*op).ob_type;
        crate::objimpl::note_freed();
        match (*ty).tp_dealloc {
            Some(f) => crate::extcall::destructor(f, op),
            None => crate::objimpl::default_dealloc(op),
        }
    }
}

/// `_Py_MergeZeroLocalRefcount`: the owner's local count reached zero.
///
/// # Safety
/// `op` must be a live object whose local count is 0.
#[inline]
pub(crate) unsafe fn merge_zero_local(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        // The common case: nobody else ever held a reference.
        if shared(op).load(Ordering::Acquire) == 0 {
            dealloc(op);
        } else {
            merge_zero_local_shared(op);
        }
    }
}

/// `merge_zero_local` for an object whose shared count is not zero.
///
/// # Safety
/// As `merge_zero_local`.
#[cold]
unsafe fn merge_zero_local_shared(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let sh = shared(op);
        let cur = sh.load(Ordering::Acquire);
        if cur == 0 {
            dealloc(op);
            return;
        }
        tid(op).store(_Py_UNOWNED_TID, Ordering::Relaxed);
        let mut cur = cur;
        loop {
            let new = (cur & !_Py_REF_SHARED_FLAG_MASK) | _Py_REF_MERGED;
            match sh.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => {
                    if new == _Py_REF_MERGED {
                        dealloc(op);
                    }
                    return;
                }
                Err(actual) => cur = actual,
            }
        }
    }
}

/// `_Py_DecRefShared`: a decref from a thread that does not own `op`.
///
/// # Safety
/// `op` must be a live object whose reference the caller owns.
pub(crate) unsafe fn decref_shared(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let sh = shared(op);
        let mut cur = sh.load(Ordering::Relaxed);
        let (new, queue) = loop {
            let (new, queue) = if cur == 0 || cur == crate::object::_Py_REF_MAYBE_WEAKREF {
                (_Py_REF_QUEUED, true)
            } else {
                (cur - (1 << _Py_REF_SHARED_SHIFT), false)
            };
            match sh.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => break (new, queue),
                Err(actual) => cur = actual,
            }
        };
        if queue {
            queue_object(op);
        } else if new == _Py_REF_MERGED {
            dealloc(op);
        }
    }
}

/// An object pointer parked in a queue. Only the owner thread (or the thread that finds the
/// owner gone) touches the object again.
#[derive(Clone, Copy)]
struct Parked(*mut PyObject);
// SAFETY: a parked object is handed over to exactly one thread, which merges it.
unsafe impl Send for Parked {}

/// Queues of objects to merge, keyed by owner thread id. A thread has an entry while it is
/// registered (it created objects and has not exited).
static QUEUES: Mutex<Option<HashMap<usize, Vec<Parked>>>> = Mutex::new(None);

fn with_queues<R>(f: impl FnOnce(&mut HashMap<usize, Vec<Parked>>) -> R) -> R {
    let mut g = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
    f(g.get_or_insert_with(HashMap::new))
}

struct Registration(usize);

impl Drop for Registration {
    fn drop(&mut self) {
        let pending = with_queues(|q| q.remove(&self.0)).unwrap_or_default();
        for p in pending {
            // SAFETY: queued objects stay alive until merged (the queue holds a reference).
            unsafe { merge_queued(p.0) };
        }
    }
}

thread_local! {
    static REGISTERED: std::cell::OnceCell<Registration> = const { std::cell::OnceCell::new() };
}

thread_local! {
    /// Whether `REGISTERED` is set (a destructor-free flag, cheap to test on every object
    /// creation).
    static REGISTERED_FAST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Records the calling thread as a live owner of objects (done when it creates one).
#[inline]
pub(crate) fn register_thread() {
    if !REGISTERED_FAST.with(std::cell::Cell::get) {
        register_thread_slow();
    }
}

#[cold]
fn register_thread_slow() {
    let done = REGISTERED.try_with(|r| {
        r.get_or_init(|| {
            let t = thread_id();
            with_queues(|q| {
                q.entry(t).or_default();
            });
            Registration(t)
        });
    });
    if done.is_ok() {
        REGISTERED_FAST.with(|f| f.set(true));
    }
}

/// Hands `op` to its owner thread's queue, or merges it now when the owner is gone.
///
/// # Safety
/// `op` must be a live object whose shared count was just set to QUEUED.
unsafe fn queue_object(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    let owner = unsafe { tid(op).load(Ordering::Relaxed) };
    let queued = with_queues(|q| match q.get_mut(&owner) {
        Some(v) if owner != _Py_UNOWNED_TID => {
            v.push(Parked(op));
            true
        }
        _ => false,
    });
    if !queued {
        // SAFETY: nobody else owns the object's local count any more.
        unsafe { merge_queued(op) };
    }
}

/// Merges the local count into the shared one, drops the queue's reference and frees the
/// object if nothing is left (`_Py_ExplicitMergeRefcount(op, -1)`).
///
/// # Safety
/// `op` must be a live queued object.
unsafe fn merge_queued(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let sh = shared(op);
        let l = local(op).load(Ordering::Relaxed) as isize;
        let mut cur = sh.load(Ordering::Relaxed);
        let new = loop {
            let count = (cur >> _Py_REF_SHARED_SHIFT) + l - 1;
            let new = (count << _Py_REF_SHARED_SHIFT) | _Py_REF_MERGED;
            match sh.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => break new,
                Err(actual) => cur = actual,
            }
        };
        local(op).store(0, Ordering::Relaxed);
        tid(op).store(_Py_UNOWNED_TID, Ordering::Relaxed);
        if new >> _Py_REF_SHARED_SHIFT == 0 {
            dealloc(op);
        }
    }
}

/// Merges the objects other threads queued for the calling thread. The host calls this at
/// its merge points (return from an extension call, detach, thread exit).
pub fn merge_pending() {
    let t = thread_id();
    let pending = with_queues(|q| q.get_mut(&t).map(std::mem::take)).unwrap_or_default();
    for p in pending {
        // SAFETY: queued objects stay alive until merged.
        unsafe { merge_queued(p.0) };
    }
}

/// Number of objects waiting in the calling thread's queue (for tests and diagnostics).
pub fn pending_count() -> usize {
    let t = thread_id();
    with_queues(|q| q.get(&t).map_or(0, Vec::len))
}

/// `Py_SET_REFCNT`.
///
/// # Safety
/// `op` must point to a live object.
pub(crate) unsafe fn set_refcnt(op: *mut PyObject, n: Py_ssize_t) {
    // SAFETY: forwarded contract.
    unsafe {
        if is_immortal(op) {
            return;
        }
        if tid(op).load(Ordering::Relaxed) == thread_id() {
            if n as u64 > u32::MAX as u64 {
                tid(op).store(_Py_UNOWNED_TID, Ordering::Relaxed);
                local(op).store(_Py_IMMORTAL_REFCNT_LOCAL, Ordering::Relaxed);
                shared(op).store(0, Ordering::Relaxed);
            } else {
                local(op).store(n as u32, Ordering::Relaxed);
                let s = shared(op).load(Ordering::Relaxed);
                shared(op).store(s & _Py_REF_SHARED_FLAG_MASK, Ordering::Relaxed);
            }
        } else {
            tid(op).store(_Py_UNOWNED_TID, Ordering::Relaxed);
            local(op).store(0, Ordering::Relaxed);
            shared(op).store(
                (n << _Py_REF_SHARED_SHIFT) | _Py_REF_MERGED,
                Ordering::Relaxed,
            );
        }
    }
}

// ------------------------------------------------------------------------------------------
// Exported slow paths.
// ------------------------------------------------------------------------------------------

/// The common case of `_Py_MergeZeroLocalRefcount` (no other thread ever held a reference),
/// answered before the guard: `dealloc` counts the object and calls its `tp_dealloc`, an
/// `extern "C"` function that a Rust panic could not unwind out of anyway.
///
/// # Safety
/// As `merge_zero_local`.
#[inline]
unsafe fn dealloc_unshared(op: *mut PyObject) -> Option<()> {
    // SAFETY: called by the inline Py_DECREF with a live object whose local count is 0.
    unsafe {
        if shared(op).load(Ordering::Acquire) == 0 {
            dealloc(op);
            return Some(());
        }
    }
    None
}

#[export(fast = dealloc_unshared)]
pub unsafe fn _Py_MergeZeroLocalRefcount(op: *mut PyObject) {
    // SAFETY: called by the inline Py_DECREF with a live object whose local count is 0.
    unsafe { merge_zero_local(op) }
}

#[export]
pub unsafe fn _Py_DecRefShared(op: *mut PyObject) {
    // SAFETY: called by the inline Py_DECREF with a live object the caller holds.
    unsafe { decref_shared(op) }
}

#[export]
pub unsafe fn _Py_DecRefSharedDebug(op: *mut PyObject, _file: *const c_char, _line: c_int) {
    // SAFETY: as `_Py_DecRefShared`.
    unsafe { decref_shared(op) }
}

#[export]
pub unsafe fn _Py_Dealloc(op: *mut PyObject) {
    // SAFETY: the caller hands over a live object whose count reached zero.
    unsafe { dealloc(op) }
}

#[export]
pub unsafe fn Py_IncRef(op: *mut PyObject) {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { xincref(op) }
}

#[export]
pub unsafe fn Py_DecRef(op: *mut PyObject) {
    // SAFETY: NULL or a live object whose reference the caller owns.
    unsafe { xdecref(op) }
}

#[export]
pub unsafe fn _Py_IncRef(op: *mut PyObject) {
    // SAFETY: a live object, per the C API contract.
    unsafe { incref(op) }
}

#[export]
pub unsafe fn _Py_DecRef(op: *mut PyObject) {
    // SAFETY: a live object whose reference the caller owns.
    unsafe { decref(op) }
}

#[export]
pub unsafe fn _Py_SetRefcnt(op: *mut PyObject, n: Py_ssize_t) {
    // SAFETY: a live object, per the C API contract.
    unsafe { set_refcnt(op, n) }
}

#[export]
pub unsafe fn Py_REFCNT(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object, per the C API contract.
    unsafe { refcnt(op) }
}

#[export]
pub unsafe fn Py_TYPE(op: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { (*op).ob_type }
}

#[export(err = std::ptr::null_mut())]
pub fn _Py_GetThreadLocal_Addr() -> *mut c_void {
    crate::pystate::tls_addr()
}
