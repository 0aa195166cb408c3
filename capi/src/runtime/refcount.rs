//! `refcount.h`: free-threaded reference counting (biased counts: a local count for the
//! owning thread, a shared atomic count for everyone else), the exported slow paths, and the
//! per-thread queues of objects whose shared count dropped to zero on a foreign thread
//! (CPython 3.14t's `Python/brc.c`): each owner thread has a queue and a "has work" flag in a
//! registry of 257 buckets; a foreign decref that would take the shared count below zero
//! queues the object and sets the flag; the owner merges at its next merge point (detach,
//! attach, safe point) after one relaxed load of its flag; an exiting owner merges its queue.

use crate::export;
use crate::object::{
    _Py_IMMORTAL_INITIAL_REFCNT, _Py_IMMORTAL_REFCNT_LOCAL, _Py_REF_MERGED, _Py_REF_QUEUED,
    _Py_REF_SHARED_FLAG_MASK, _Py_REF_SHARED_SHIFT, _Py_UNOWNED_TID, PyObject, PyTypeObject,
};
use crate::pyport::Py_ssize_t;
use crate::sync::{Arc, AtomicBool, Mutex, lock};
use std::ffi::{c_char, c_int, c_void};
// The object's own count fields are std atomics made from pointers; the queues' primitives
// above come from `runtime/sync.rs`.
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

/// `_Py_BRC_NUM_BUCKETS`.
const BRC_BUCKETS: usize = 257;

/// An OS thread that owns objects (`struct _brc_thread_state`): the objects other threads
/// dropped to a zero shared count, waiting for it to merge them, and its "has work" flag
/// (CPython's `_PY_EVAL_EXPLICIT_MERGE_BIT`), which the owner tests at its merge points
/// without taking any lock.
pub(crate) struct Owner {
    tid: usize,
    work: AtomicBool,
    queue: Mutex<Vec<Parked>>,
}

/// The registry of owners (`struct _brc_state`): buckets by thread id, each a mutex and the
/// owners that hash there. A foreign decref takes one bucket's lock to find the owner; the
/// owner takes its queue's lock only when its flag says there is work.
struct Brc {
    buckets: [Mutex<Vec<Arc<Owner>>>; BRC_BUCKETS],
}

impl Brc {
    const fn new() -> Brc {
        Brc {
            buckets: [const { Mutex::new(Vec::new()) }; BRC_BUCKETS],
        }
    }

    fn bucket(&self, tid: usize) -> &Mutex<Vec<Arc<Owner>>> {
        &self.buckets[tid % BRC_BUCKETS]
    }

    /// Registers the thread `tid` (`_Py_brc_init_thread`). A leftover owner with the same id
    /// (a thread whose exit did not unregister) is replaced; its queue is returned, to be
    /// merged by the new owner of that id.
    fn register(&self, tid: usize) -> (Arc<Owner>, Vec<Parked>) {
        let owner = Arc::new(Owner {
            tid,
            work: AtomicBool::new(false),
            queue: Mutex::new(Vec::new()),
        });
        let stale = {
            let mut b = lock(self.bucket(tid));
            let stale = b
                .iter()
                .position(|o| o.tid == tid)
                .map(|i| b.swap_remove(i));
            b.push(owner.clone());
            stale
        };
        let left = stale.map(|o| std::mem::take(&mut *lock(&o.queue)));
        (owner, left.unwrap_or_default())
    }

    /// Removes `owner` (`_Py_brc_remove_thread`) and returns what was queued for it. Once the
    /// bucket's lock is released nobody can queue to it any more (queueing holds that lock).
    fn unregister(&self, owner: &Owner) -> Vec<Parked> {
        {
            let mut b = lock(self.bucket(owner.tid));
            if let Some(i) = b.iter().position(|o| std::ptr::eq(&**o, owner)) {
                b.swap_remove(i);
            }
        }
        owner.work.store(false, Ordering::Relaxed);
        std::mem::take(&mut *lock(&owner.queue))
    }

    /// Queues `p` for the owner `tid` (`_Py_brc_queue_object`); false when no thread of that id
    /// is registered (it exited: the caller merges).
    fn queue(&self, tid: usize, p: Parked) -> bool {
        let b = lock(self.bucket(tid));
        let Some(owner) = b.iter().find(|o| o.tid == tid) else {
            return false;
        };
        lock(&owner.queue).push(p);
        owner.work.store(true, Ordering::Release);
        true
    }

    /// The owner's side (`_Py_brc_merge_refcounts`): empties its queue when its flag is set.
    fn take(owner: &Owner) -> Vec<Parked> {
        if !owner.work.swap(false, Ordering::Acquire) {
            return Vec::new();
        }
        std::mem::take(&mut *lock(&owner.queue))
    }
}

static BRC: Brc = Brc::new();

/// Unregisters the thread when it exits, then merges what was queued for it (it is still the
/// owner, so the merge is safe). Objects it owned that nobody queued stay owned by a dead id;
/// a later foreign decref finds no owner and merges them on the spot.
struct OwnerGuard(std::cell::RefCell<Option<Arc<Owner>>>);

impl Drop for OwnerGuard {
    fn drop(&mut self) {
        let Some(owner) = self.0.get_mut().take() else {
            return;
        };
        let _ = OWNER.try_with(|o| o.set(std::ptr::null()));
        for p in BRC.unregister(&owner) {
            // SAFETY: queued objects stay alive until merged (the queue holds a reference).
            unsafe { merge_queued(p.0) };
        }
    }
}

thread_local! {
    /// This thread's owner record (NULL until registered): a destructor-free copy of the
    /// guard's pointer, cheap to test at every allocation and merge point.
    static OWNER: std::cell::Cell<*const Owner> = const { std::cell::Cell::new(std::ptr::null()) };
    static OWNER_GUARD: OwnerGuard = const { OwnerGuard(std::cell::RefCell::new(None)) };
}

/// Registers the calling thread as an owner of objects: done when it gets a thread state, and
/// when a thread without one creates an object (gilgate lets it).
#[inline]
pub(crate) fn register_thread() {
    if OWNER
        .try_with(std::cell::Cell::get)
        .is_ok_and(|o| o.is_null())
    {
        register_thread_slow();
    }
}

#[cold]
fn register_thread_slow() {
    let left = OWNER_GUARD.try_with(|g| {
        let (owner, left) = BRC.register(thread_id());
        OWNER.with(|o| o.set(Arc::as_ptr(&owner)));
        *g.0.borrow_mut() = Some(owner);
        left
    });
    for p in left.unwrap_or_default() {
        // SAFETY: queued objects stay alive until merged; this thread now owns their id.
        unsafe { merge_queued(p.0) };
    }
}

/// Hands `op` to its owner thread's queue, or merges it now when the owner is gone.
///
/// # Safety
/// `op` must be a live object whose shared count was just set to QUEUED.
unsafe fn queue_object(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    let owner = unsafe { tid(op).load(Ordering::Relaxed) };
    if owner == _Py_UNOWNED_TID || !BRC.queue(owner, Parked(op)) {
        // SAFETY: nobody else owns the object's local count any more.
        unsafe { merge_queued(op) };
    }
}

/// Merges the local count into the shared one, drops the queue's reference and frees the
/// object if nothing is left (`_Py_ExplicitMergeRefcount(op, -1)`). As in CPython, the local
/// count and the owner are cleared before the shared count says MERGED.
///
/// # Safety
/// `op` must be a live queued object.
unsafe fn merge_queued(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let sh = shared(op);
        let l = local(op).load(Ordering::Relaxed) as isize;
        local(op).store(0, Ordering::Relaxed);
        tid(op).store(_Py_UNOWNED_TID, Ordering::Relaxed);
        let mut cur = sh.load(Ordering::Relaxed);
        let new = loop {
            let count = (cur >> _Py_REF_SHARED_SHIFT) + l - 1;
            let new = (count << _Py_REF_SHARED_SHIFT) | _Py_REF_MERGED;
            match sh.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => break new,
                Err(actual) => cur = actual,
            }
        };
        if new >> _Py_REF_SHARED_SHIFT == 0 {
            dealloc(op);
        }
    }
}

/// Merges the objects other threads queued for the calling thread, when its flag says there
/// are some (no lock otherwise). Called at the thread's merge points: `ceval::detach`,
/// `ceval::attach`, `ceval::safe_point` and the deletion of its attached state; gilgate's
/// host calls it too.
#[inline]
pub fn merge_pending() {
    let o = OWNER
        .try_with(std::cell::Cell::get)
        .unwrap_or(std::ptr::null());
    // SAFETY: the guard keeps the record alive while `OWNER` points to it.
    if !o.is_null() && unsafe { (*o).work.load(Ordering::Relaxed) } {
        // SAFETY: as above.
        merge_pending_slow(unsafe { &*o });
    }
}

#[cold]
fn merge_pending_slow(owner: &Owner) {
    for p in Brc::take(owner) {
        // SAFETY: queued objects stay alive until merged.
        unsafe { merge_queued(p.0) };
    }
}

/// Number of objects waiting in the calling thread's queue (for tests and diagnostics).
pub fn pending_count() -> usize {
    let o = OWNER
        .try_with(std::cell::Cell::get)
        .unwrap_or(std::ptr::null());
    if o.is_null() {
        return 0;
    }
    // SAFETY: as in `merge_pending`.
    lock(unsafe { &(*o).queue }).len()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in object pointer (never dereferenced: the registry only moves pointers).
    fn p(n: usize) -> Parked {
        Parked(n as *mut PyObject)
    }

    #[test]
    fn a_queued_object_reaches_its_owner_and_only_sets_the_flag_once() {
        let b = Brc::new();
        let (owner, left) = b.register(4096);
        assert!(left.is_empty());
        assert!(
            !b.queue(4096 + BRC_BUCKETS, p(1)),
            "same bucket, other id: no owner"
        );
        assert!(!owner.work.load(Ordering::Relaxed));
        assert!(b.queue(4096, p(8)));
        assert!(b.queue(4096, p(16)));
        assert!(owner.work.load(Ordering::Relaxed));
        let got: Vec<usize> = Brc::take(&owner).iter().map(|x| x.0 as usize).collect();
        assert_eq!(got, [8, 16]);
        assert!(!owner.work.load(Ordering::Relaxed));
        assert!(
            Brc::take(&owner).is_empty(),
            "no work: nothing taken, no lock"
        );
    }

    #[test]
    fn an_unregistered_owner_gets_nothing_more_and_hands_back_its_queue() {
        let b = Brc::new();
        let (owner, _) = b.register(77);
        assert!(b.queue(77, p(8)));
        let left = b.unregister(&owner);
        assert_eq!(left.len(), 1);
        assert!(!b.queue(77, p(16)), "gone: the caller merges on the spot");
        // A stale owner of a reused id is replaced; the new owner gets its queue.
        let (old, _) = b.register(99);
        assert!(b.queue(99, p(8)));
        let (new, left) = b.register(99);
        assert_eq!(left.len(), 1);
        assert!(b.queue(99, p(16)));
        assert_eq!(Brc::take(&new).len(), 1);
        assert!(Brc::take(&old).is_empty());
    }
}
