//! `refcount.h`: free-threaded reference counting (biased counts: a local count for the
//! owning thread, a shared atomic count for everyone else), the exported slow paths, and the
//! per-thread queues of objects whose shared count dropped to zero on a foreign thread
//! (CPython 3.14t's `Python/brc.c`): each owner thread has a queue and a "has work" flag in a
//! registry of 257 buckets; a foreign decref that would take the shared count below zero
//! queues the object and sets the flag; the owner merges at its next merge point (detach,
//! attach, safe point) after one relaxed load of its flag; an exiting owner merges its queue.
//! That core is `refcount/brc.rs`; this file keeps the inline counts, the object hooks it
//! uses (`local`, `shared`, `tid`, `dealloc`, `thread_id`) and the exports.

use crate::export;
use crate::object::{
    _Py_IMMORTAL_INITIAL_REFCNT, _Py_IMMORTAL_REFCNT_LOCAL, _Py_REF_MAYBE_WEAKREF, _Py_REF_MERGED,
    _Py_REF_QUEUED, _Py_REF_SHARED_FLAG_MASK, _Py_REF_SHARED_SHIFT, _Py_UNOWNED_TID, PyObject,
    PyTypeObject,
};
use crate::pyport::Py_ssize_t;
use std::ffi::{c_char, c_int, c_void};
// The object's own count fields are std atomics made from pointers (the model crate's parent
// of `brc.rs` makes them loom's).
use std::sync::atomic::{AtomicIsize, AtomicU32, AtomicUsize, Ordering};

// The concurrency core (shared-count decref, owner registry, queues, merges, thread glue):
// FFI-free, reaching objects through the functions of this file, so that `capi/model`
// compiles it against loom.
mod brc;
pub(crate) use brc::merge_pending_needed;
pub(crate) use brc::{decref_shared, merge_zero_local_shared, register_thread};
pub use brc::{merge_pending, pending_count};

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
    if !crate::objimpl::note_freed_quick() {
        // SAFETY: forwarded contract.
        return unsafe { dealloc_counting(op) };
    }
    // SAFETY: forwarded contract.
    unsafe { run_dealloc(op) }
}

/// [`dealloc`] for a thread whose live counter is not registered (its first free, or a free
/// after its exit hooks ran): out of line, so [`dealloc`]'s common case needs no frame.
///
/// # Safety
/// As [`dealloc`].
#[cold]
#[inline(never)]
unsafe fn dealloc_counting(op: *mut PyObject) {
    crate::objimpl::note_freed();
    // SAFETY: forwarded contract.
    unsafe { run_dealloc(op) }
}

/// Calls `op`'s `tp_dealloc` (the default one when the type has none).
///
/// # Safety
/// As [`dealloc`], the death counted.
#[inline(always)]
unsafe fn run_dealloc(op: *mut PyObject) {
    // SAFETY: the caller guarantees `op` is a dead-but-valid object with a valid type.
    unsafe {
        let ty: *mut PyTypeObject = (*op).ob_type;
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

/// `PyUnstable_Object_EnableDeferredRefcount(op)`: a hint that `op` will be shared between
/// threads. gilgate has no deferred reference counting, so it never enables it and answers 0,
/// CPython's answer for an object it does not defer (the caller must not rely on either).
#[export]
pub unsafe fn PyUnstable_Object_EnableDeferredRefcount(_op: *mut PyObject) -> c_int {
    0
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
