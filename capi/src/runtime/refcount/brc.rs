//! The concurrency core of biased reference counting (CPython 3.14t's `Python/brc.c`, and the
//! shared-count side of `Objects/object.c`): what a foreign decref does to the shared count,
//! the registry of owner threads (257 buckets by thread id, a mutex each), each owner's queue
//! and "has work" flag, the owner's merge of what was queued, and the thread-local glue that
//! registers a thread and drains its queue when it exits.
//!
//! It is FFI-free: it takes every atomic, mutex, `Arc` and thread-local from `crate::sync`
//! (or loom's, declared beside std's below) and reaches objects only through its parent
//! (`refcount.rs`): `PyObject`, the count fields as atomics (`local`, `shared`, `tid`), the
//! refcount constants, `dealloc` and `thread_id`. The model crate (`capi/model`) compiles this
//! file against loom with a parent of its own, whose objects are a count pair and a freed
//! mark.

use super::{
    _Py_REF_MAYBE_WEAKREF, _Py_REF_MERGED, _Py_REF_QUEUED, _Py_REF_SHARED_FLAG_MASK,
    _Py_REF_SHARED_SHIFT, _Py_UNOWNED_TID, PyObject, dealloc, local, shared, thread_id, tid,
};
use crate::sync::{Arc, AtomicBool, Mutex, Ordering, lock};
use std::cell::{Cell, RefCell};

/// `merge_zero_local` for an object whose shared count is not zero (the owner dropped its
/// last local reference while other threads hold or held some): the object becomes unowned
/// and the shared count MERGED; freed if that leaves nothing.
///
/// # Safety
/// `op` must be a live object whose local count is 0, on its owner thread.
#[cold]
pub(crate) unsafe fn merge_zero_local_shared(op: *mut PyObject) {
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

/// `_Py_DecRefShared`: a decref from a thread that does not own `op`. One that finds the
/// shared count at zero (the reference was counted in the owner's local count) marks the
/// object QUEUED, keeping the -1 for the merge, and hands it to the owner.
///
/// # Safety
/// `op` must be a live object whose reference the caller owns.
pub(crate) unsafe fn decref_shared(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let sh = shared(op);
        let mut cur = sh.load(Ordering::Relaxed);
        let (new, queue) = loop {
            let (new, queue) = if cur == 0 || cur == _Py_REF_MAYBE_WEAKREF {
                (_Py_REF_QUEUED, true)
            } else {
                (cur - (1 << _Py_REF_SHARED_SHIFT), false)
            };
            match sh.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => break (new, queue),
                Err(actual) => cur = actual,
            }
        };
        if queue || new == _Py_REF_MERGED {
            decref_shared_end(op, queue);
        }
    }
}

/// `decref_shared`'s rare ends (queue `op` to its owner, or free it), out of line: the common
/// decrement then needs no stack frame, so the compare-and-swap on a contended count is
/// reached (and retried) with no saves around it.
///
/// # Safety
/// As `queue_object` when `queue`, else as `dealloc`.
#[cold]
#[inline(never)]
unsafe fn decref_shared_end(op: *mut PyObject, queue: bool) {
    // SAFETY: forwarded contract.
    unsafe {
        if queue {
            queue_object(op);
        } else {
            dealloc(op);
        }
    }
}

/// An object pointer parked in a queue. Only the owner thread (or the thread that finds the
/// owner gone) touches the object again.
#[derive(Clone, Copy)]
pub(crate) struct Parked(pub(crate) *mut PyObject);
// SAFETY: a parked object is handed over to exactly one thread, which merges it.
unsafe impl Send for Parked {}

/// `_Py_BRC_NUM_BUCKETS`.
#[cfg(not(loom))]
pub(crate) const BRC_BUCKETS: usize = 257;
/// Under loom: fewer buckets (each is a modelled mutex), still more than one.
#[cfg(loom)]
pub(crate) const BRC_BUCKETS: usize = 3;

/// An OS thread that owns objects (`struct _brc_thread_state`): the objects other threads
/// dropped to a zero shared count, waiting for it to merge them, and its "has work" flag
/// (CPython's `_PY_EVAL_EXPLICIT_MERGE_BIT`), which the owner tests at its merge points
/// without taking any lock.
pub(crate) struct Owner {
    tid: usize,
    pub(crate) work: AtomicBool,
    queue: Mutex<Vec<Parked>>,
}

/// The registry of owners (`struct _brc_state`): buckets by thread id, each a mutex and the
/// owners that hash there. A foreign decref takes one bucket's lock to find the owner; the
/// owner takes its queue's lock only when its flag says there is work.
pub(crate) struct Brc {
    #[cfg(not(loom))]
    buckets: [Mutex<Vec<Arc<Owner>>>; BRC_BUCKETS],
    #[cfg(loom)]
    buckets: Vec<Mutex<Vec<Arc<Owner>>>>,
}

impl Brc {
    #[cfg(not(loom))]
    pub(crate) const fn new() -> Brc {
        Brc {
            buckets: [const { Mutex::new(Vec::new()) }; BRC_BUCKETS],
        }
    }

    /// Under loom nothing is `const`.
    #[cfg(loom)]
    pub(crate) fn new() -> Brc {
        Brc {
            buckets: (0..BRC_BUCKETS).map(|_| Mutex::new(Vec::new())).collect(),
        }
    }

    fn bucket(&self, tid: usize) -> &Mutex<Vec<Arc<Owner>>> {
        &self.buckets[tid % BRC_BUCKETS]
    }

    /// Registers the thread `tid` (`_Py_brc_init_thread`). A leftover owner with the same id
    /// (a thread whose exit did not unregister) is replaced; its queue is returned, to be
    /// merged by the new owner of that id.
    pub(crate) fn register(&self, tid: usize) -> (Arc<Owner>, Vec<Parked>) {
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
    pub(crate) fn unregister(&self, owner: &Owner) -> Vec<Parked> {
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
    pub(crate) fn queue(&self, tid: usize, p: Parked) -> bool {
        let b = lock(self.bucket(tid));
        let Some(owner) = b.iter().find(|o| o.tid == tid) else {
            return false;
        };
        lock(&owner.queue).push(p);
        owner.work.store(true, Ordering::Release);
        true
    }

    /// The owner's side (`_Py_brc_merge_refcounts`): empties its queue when its flag is set.
    pub(crate) fn take(owner: &Owner) -> Vec<Parked> {
        if !owner.work.swap(false, Ordering::Acquire) {
            return Vec::new();
        }
        std::mem::take(&mut *lock(&owner.queue))
    }
}

#[cfg(not(loom))]
static BRC: Brc = Brc::new();

// Loom's mutexes are made inside each explored execution, not in a constant.
#[cfg(loom)]
loom::lazy_static! {
    static ref BRC: Brc = Brc::new();
}

/// Unregisters the thread when it exits, then merges what was queued for it (it is still the
/// owner, so the merge is safe). Objects it owned that nobody queued stay owned by a dead id;
/// a later foreign decref finds no owner and merges them on the spot.
struct OwnerGuard(RefCell<Option<Arc<Owner>>>);

impl Drop for OwnerGuard {
    fn drop(&mut self) {
        if let Some(owner) = self.0.get_mut().take() {
            retire(owner);
        }
    }
}

/// The exit of an owner thread: no more queueing to it, then its queue merged.
fn retire(owner: Arc<Owner>) {
    let _ = OWNER.try_with(|o| o.set(std::ptr::null()));
    for p in BRC.unregister(&owner) {
        // SAFETY: queued objects stay alive until merged (the queue holds a reference).
        unsafe { merge_queued(p.0) };
    }
}

/// What the guard's destructor does at thread exit, called by a model thread as its last
/// step: loom runs thread-local destructors, but one that blocks (on a bucket's lock) is not
/// waited for by `join`.
#[cfg(loom)]
pub(crate) fn exit_thread() {
    if let Some(owner) = OWNER_GUARD.with(|g| g.0.borrow_mut().take()) {
        retire(owner);
    }
}

#[cfg(not(loom))]
thread_local! {
    /// This thread's owner record (NULL until registered): a destructor-free copy of the
    /// guard's pointer, cheap to test at every allocation and merge point.
    static OWNER: Cell<*const Owner> = const { Cell::new(std::ptr::null()) };
    static OWNER_GUARD: OwnerGuard = const { OwnerGuard(RefCell::new(None)) };
}

#[cfg(loom)]
loom::thread_local! {
    static OWNER: Cell<*const Owner> = Cell::new(std::ptr::null());
    static OWNER_GUARD: OwnerGuard = OwnerGuard(RefCell::new(None));
}

/// Registers the calling thread as an owner of objects: done when it gets a thread state, and
/// when a thread without one creates an object (gilgate lets it).
#[inline]
pub(crate) fn register_thread() {
    if OWNER.try_with(Cell::get).is_ok_and(|o| o.is_null()) {
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
    let o = OWNER.try_with(Cell::get).unwrap_or(std::ptr::null());
    // SAFETY: the guard keeps the record alive while `OWNER` points to it.
    if !o.is_null() && unsafe { (*o).work.load(Ordering::Relaxed) } {
        // SAFETY: as above.
        merge_pending_slow(unsafe { &*o });
    }
}

/// Whether `merge_pending` has work: the calling thread's flag (one relaxed load), so a caller
/// can keep its own slow path around the merge.
#[inline]
pub(crate) fn merge_pending_needed() -> bool {
    let o = OWNER.try_with(Cell::get).unwrap_or(std::ptr::null());
    // SAFETY: as in `merge_pending`.
    !o.is_null() && unsafe { (*o).work.load(Ordering::Relaxed) }
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
    let o = OWNER.try_with(Cell::get).unwrap_or(std::ptr::null());
    if o.is_null() {
        return 0;
    }
    // SAFETY: as in `merge_pending`.
    lock(unsafe { &(*o).queue }).len()
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::sync::Ordering;

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
