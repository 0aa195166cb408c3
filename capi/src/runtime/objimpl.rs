//! `objimpl.h`: allocating and initialising objects.

use crate::export;
use crate::object::{Py_TPFLAGS_HEAPTYPE, PyObject, PyTypeObject, PyVarObject};
use crate::pyport::Py_ssize_t;
use crate::refcount;
use std::cell::Cell;
use std::ffi::c_void;
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, Ordering};

// ------------------------------------------------------------------------------------------
// Live-object counter (for leak tests).
//
// An object counts as live from the moment its header is initialised (`init_header`: every
// constructor, `PyObject_New`/`GC_New`/`tp_alloc`, `PyObject_Init`, objects taken from a free
// list) until its `tp_dealloc` runs (`refcount::dealloc`), so an object parked in a free list
// counts as freed. Each thread counts in a counter inside its own thread-local block with
// plain relaxed loads and stores (no read-modify-write, no line shared with other data that
// is written often: a heap-allocated counter measured 40 % slower on float arithmetic);
// `live_objects` sums the registered counters. When a thread exits, its count is folded into
// `RETIRED` and its counter unregistered; counts made after that (by later thread-local
// destructors) go to `RETIRED` directly.
// ------------------------------------------------------------------------------------------

/// The calling thread's count and whether it is registered.
struct Counter {
    count: AtomicIsize,
    /// 0: not registered yet; 1: registered; 2: retired (thread exiting).
    state: Cell<u8>,
}

/// What object set-up and freeing need of the calling thread, in one thread-local block, so
/// that an allocation or a free reaches thread-local storage once and tests one byte: whether
/// the thread is registered as an owner of objects (biased reference counting), its live
/// counter registered and its free lists' exit hook set. The block has no destructor (the
/// guards below have), so reaching it never fails.
struct PerThread {
    /// `READY_*` bits: what of the above is done and not retired yet. The exit hooks clear
    /// their bit; every path whose bits are not all set takes the slow way of each part.
    ready: Cell<u8>,
    counter: Counter,
    lists: FreeLists,
}

/// The thread called `refcount::register_thread` (registered, or past the point where it can
/// be: its owner record is gone with the thread's exit, and a new call does nothing).
const READY_OWNER: u8 = 1;
/// `counter.state` is 1.
const READY_COUNTER: u8 = 2;
/// `lists.state` is 1.
const READY_LISTS: u8 = 4;
const READY_ALL: u8 = READY_OWNER | READY_COUNTER | READY_LISTS;

thread_local! {
    static LOCAL: PerThread = const {
        PerThread {
            ready: Cell::new(0),
            counter: Counter { count: AtomicIsize::new(0), state: Cell::new(0) },
            lists: FreeLists {
                heads: [const { Cell::new(std::ptr::null_mut()) }; FREE_KINDS],
                counts: [const { Cell::new(0) }; FREE_KINDS],
                state: Cell::new(0),
            },
        }
    };
    /// Unregisters the counter when the thread exits.
    static COUNTER_GUARD: CounterGuard = const { CounterGuard };
    /// Frees the parked blocks when the thread exits.
    static FREE_LISTS_GUARD: FreeListsGuard = const { FreeListsGuard };
}

/// Addresses of the registered threads' counters.
static COUNTERS: Mutex<Vec<usize>> = Mutex::new(Vec::new());
/// Sum of the counts of exited threads.
static RETIRED: AtomicIsize = AtomicIsize::new(0);

fn counters() -> std::sync::MutexGuard<'static, Vec<usize>> {
    COUNTERS.lock().unwrap_or_else(|e| e.into_inner())
}

struct CounterGuard;

impl Drop for CounterGuard {
    fn drop(&mut self) {
        let _ = LOCAL.try_with(|t| {
            t.ready.set(t.ready.get() & !READY_COUNTER);
            let c = &t.counter;
            let mut g = counters();
            let me = std::ptr::from_ref(&c.count) as usize;
            g.retain(|&a| a != me);
            RETIRED.fetch_add(c.count.swap(0, Ordering::Relaxed), Ordering::Relaxed);
            c.state.set(2);
        });
    }
}

impl PerThread {
    /// Adds `delta` to this thread's live-object count.
    #[inline(always)]
    fn count(&self, delta: isize) {
        if !self.count_quick(delta) {
            self.count_slow(delta);
        }
    }

    /// [`count`](Self::count)'s common case: adds `delta` when the counter is registered and
    /// answers whether it did. It calls nothing.
    #[inline(always)]
    fn count_quick(&self, delta: isize) -> bool {
        let c = &self.counter;
        if c.state.get() != 1 {
            return false;
        }
        // Only this thread writes its counter: a load and a store are enough.
        c.count
            .store(c.count.load(Ordering::Relaxed) + delta, Ordering::Relaxed);
        true
    }

    #[cold]
    fn count_slow(&self, delta: isize) {
        let c = &self.counter;
        if c.state.get() == 0 && COUNTER_GUARD.try_with(|_| ()).is_ok() {
            counters().push(std::ptr::from_ref(&c.count) as usize);
            c.state.set(1);
            self.ready.set(self.ready.get() | READY_COUNTER);
            c.count
                .store(c.count.load(Ordering::Relaxed) + delta, Ordering::Relaxed);
        } else {
            RETIRED.fetch_add(delta, Ordering::Relaxed);
        }
    }

    /// Records an object created by this thread: registers the thread as an owner (first
    /// time) and counts the object.
    #[inline(always)]
    fn created(&self) {
        if self.ready.get() == READY_ALL {
            let c = &self.counter.count;
            c.store(c.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        } else {
            self.created_slow();
        }
    }

    #[cold]
    fn created_slow(&self) {
        if self.ready.get() & READY_OWNER == 0 {
            refcount::register_thread();
            self.ready.set(self.ready.get() | READY_OWNER);
        }
        if self.lists.state.get() == 0 {
            free_lists_ready(self);
        }
        self.count(1);
    }
}

/// Adds `delta` to the calling thread's live-object count.
#[inline]
fn count_objects(delta: isize) {
    if LOCAL.try_with(|t| t.count(delta)).is_err() {
        RETIRED.fetch_add(delta, Ordering::Relaxed);
    }
}

/// Records that an object died (its `tp_dealloc` is about to run, or its memory was freed
/// without one on a constructor's failure path).
#[inline]
pub(crate) fn note_freed() {
    count_objects(-1);
}

/// [`note_freed`]'s common case only: counts the death and answers true when the calling
/// thread's counter is registered; false (nothing counted) otherwise, for the caller to take
/// [`note_freed`]'s full path. It calls nothing, so a caller's fast path can end in a tail call.
#[inline(always)]
pub(crate) fn note_freed_quick() -> bool {
    LOCAL.with(|t| t.count_quick(-1))
}

/// Number of objects created through gilgate's allocation paths and not yet deallocated, over
/// all threads. Static objects are not counted. Exact once the threads that touched the
/// objects have synchronised with the caller (for example joined).
pub fn live_objects() -> isize {
    let g = counters();
    let live: isize = g
        .iter()
        // SAFETY: a registered counter lives in its thread's thread-local block, which stays
        // valid until the thread unregisters it under this lock.
        .map(|&a| unsafe { &*(a as *const AtomicIsize) }.load(Ordering::Relaxed))
        .sum();
    live + RETIRED.load(Ordering::Relaxed)
}

/// Whether `ty` is a heap type (its instances hold a reference to it).
///
/// # Safety
/// `ty` must point to a type object.
pub(crate) unsafe fn is_heap_type(ty: *mut PyTypeObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { (*ty).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 }
}

/// Initialises a fresh object header: owned by the calling thread with one local reference.
///
/// # Safety
/// `op` must point to writable memory of at least `size_of::<PyObject>()` bytes; `ty` to a
/// type object.
pub(crate) unsafe fn init_header(op: *mut PyObject, ty: *mut PyTypeObject) {
    if LOCAL.try_with(PerThread::created).is_err() {
        // Unreachable (the block has no destructor); kept as the counter's fallback.
        refcount::register_thread();
        RETIRED.fetch_add(1, Ordering::Relaxed);
    }
    // SAFETY: forwarded contract.
    unsafe {
        write_header(op, ty);
        if is_heap_type(ty) {
            refcount::incref(ty.cast());
        }
    }
}

/// Writes a fresh header: owned by the calling thread with one local reference.
///
/// # Safety
/// As [`init_header`].
#[inline(always)]
unsafe fn write_header(op: *mut PyObject, ty: *mut PyTypeObject) {
    // SAFETY: forwarded contract; the memory is not shared yet.
    unsafe {
        op.write(PyObject {
            ob_tid: refcount::thread_id(),
            ob_flags: 0,
            ob_mutex: Default::default(),
            ob_gc_bits: 0,
            ob_ref_local: 1,
            ob_ref_shared: 0,
            ob_type: ty,
        });
    }
}

/// Size in bytes of an instance of `ty` with `nitems` items, rounded up to 8.
///
/// # Safety
/// `ty` must point to a type object.
pub(crate) unsafe fn instance_size(ty: *mut PyTypeObject, nitems: Py_ssize_t) -> Option<usize> {
    // SAFETY: forwarded contract.
    let (basic, item) = unsafe { ((*ty).tp_basicsize, (*ty).tp_itemsize) };
    let extra = item.checked_mul(nitems.max(0))?;
    let total = basic
        .max(std::mem::size_of::<PyObject>() as isize)
        .checked_add(extra)?;
    let total = usize::try_from(total).ok()?;
    Some(total.checked_add(7)? & !7)
}

/// Allocates a zeroed instance of `ty` (with `nitems` items for variable-size types) and
/// returns a new reference, or NULL with `MemoryError` set.
///
/// # Safety
/// `ty` must point to a ready type object.
pub unsafe fn alloc_object(ty: *mut PyTypeObject, nitems: Py_ssize_t) -> *mut PyObject {
    // SAFETY: forwarded contract.
    let Some(size) = (unsafe { instance_size(ty, nitems) }) else {
        crate::pyerrors::no_memory();
        return std::ptr::null_mut();
    };
    // SAFETY: forwarded contract.
    let pre = unsafe { preheader_size(ty) };
    let Some(total) = size.checked_add(pre) else {
        crate::pyerrors::no_memory();
        return std::ptr::null_mut();
    };
    // Not `mi_zalloc`: its `rep stosb` is slow for small blocks on some CPUs (AMD), while
    // `memset` of a few dozen bytes is a couple of vector stores.
    let block = crate::pymem::malloc(total).cast::<u8>();
    if block.is_null() {
        crate::pyerrors::no_memory();
        return std::ptr::null_mut();
    }
    // SAFETY: `block` is a fresh allocation of `total` bytes.
    unsafe { std::ptr::write_bytes(block, 0, total) };
    // SAFETY: the block has `pre` bytes before the object.
    let p = unsafe { block.add(pre) }.cast::<PyObject>();
    // SAFETY: `p` is a fresh zeroed block of `size` bytes, large enough for the header.
    unsafe {
        init_header(p, ty);
        if (*ty).tp_itemsize != 0 {
            (*p.cast::<PyVarObject>()).ob_size = nitems;
        }
    }
    p
}

/// Bytes gilgate keeps before objects of `ty`: the managed dict and weak reference list.
///
/// # Safety
/// `ty` must point to a type object.
pub(crate) unsafe fn preheader_size(ty: *mut PyTypeObject) -> usize {
    // SAFETY: forwarded contract.
    let flags = unsafe { (*ty).tp_flags };
    if flags & crate::object::Py_TPFLAGS_PREHEADER != 0 {
        2 * std::mem::size_of::<*mut PyObject>()
    } else {
        0
    }
}

/// Frees the memory of an object allocated by [`alloc_object`] (pre-header included).
///
/// # Safety
/// `op` must be such an object whose type is still valid.
pub(crate) unsafe fn free_object(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let pre = preheader_size((*op).ob_type);
        crate::pymem::free(op.cast::<u8>().sub(pre).cast());
    }
}

thread_local! {
    /// The instance (and its type) whose `subtype_dealloc` is running the base's dealloc on
    /// this thread: gilgate's release points (`default_dealloc`, `dealloc_as`) leave that
    /// instance's type reference to it and clear this to say they were reached
    /// (`claim_type_release` / `end_type_release`).
    static TYPE_RELEASE_CLAIM: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
}

/// Says that `subtype_dealloc` releases the type reference of `op` (of heap type `ty`) itself
/// while its base's dealloc runs; returns the claim it replaces (deallocs nest).
pub(crate) fn claim_type_release(op: *mut PyObject, ty: *mut PyTypeObject) -> (usize, usize) {
    TYPE_RELEASE_CLAIM.with(|c| c.replace((op as usize, ty as usize)))
}

/// Ends the claim begun by `claim_type_release` (putting `prev` back): whether one of
/// gilgate's release points was reached for the instance meanwhile. A base dealloc of an
/// extension's releases the type (or not) by CPython's rules, unseen here.
pub(crate) fn end_type_release(prev: (usize, usize)) -> bool {
    TYPE_RELEASE_CLAIM.with(|c| c.replace(prev)) == (0, 0)
}

/// Drops the instance's reference to its heap type `ty` at the end of a dealloc of `op`,
/// unless `subtype_dealloc` claimed that release (it then releases it after the base's
/// dealloc returns: deciding from the type's count whether the base released it raced other
/// threads' references to the type).
///
/// # Safety
/// `ty` must be the heap type of the dead object `op`, whose reference the instance holds.
unsafe fn release_type(op: *mut PyObject, ty: *mut PyTypeObject) {
    let claimed = TYPE_RELEASE_CLAIM.with(|c| {
        if c.get() == (op as usize, ty as usize) {
            c.set((0, 0));
            true
        } else {
            false
        }
    });
    if !claimed {
        // SAFETY: forwarded contract.
        unsafe { refcount::decref(ty.cast()) };
    }
}

/// Frees an object's memory with its type's `tp_free` and drops the instance's reference to
/// a heap type. The default `tp_dealloc`.
///
/// # Safety
/// `op` must be a dead object allocated by this runtime (or compatible with `tp_free`).
pub unsafe fn default_dealloc(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let ty = (*op).ob_type;
        match (*ty).tp_free {
            // The common case, without the exported function's frame.
            Some(f)
                if std::ptr::fn_addr_eq(
                    f,
                    crate::pymem::PyObject_Free as unsafe extern "C" fn(_),
                ) =>
            {
                crate::pymem::free(op.cast())
            }
            Some(f) => crate::extcall::free(f, op.cast()),
            None => free_object(op),
        }
        if is_heap_type(ty) {
            release_type(op, ty);
        }
    }
}

/// Whether `t`'s `tp_free` is one of the runtime's own (its instances' blocks are mimalloc
/// blocks, so one may go to a free list instead): an extension's own `tp_free` gets its blocks.
///
/// # Safety
/// `t` must be a type object.
#[inline]
pub(crate) unsafe fn frees_plainly(t: *mut PyTypeObject) -> bool {
    // SAFETY: forwarded contract.
    match unsafe { (*t).tp_free } {
        None => true,
        Some(f) => {
            std::ptr::fn_addr_eq(f, crate::pymem::PyObject_Free as unsafe extern "C" fn(_))
                || std::ptr::fn_addr_eq(f, PyObject_GC_Del as unsafe extern "C" fn(_))
        }
    }
}

/// The last step of a built-in type's `tp_dealloc` (`own`): frees the memory through the type's
/// `tp_free`, and releases the instance's reference to a heap type only when that type's own
/// `tp_dealloc` is `own`. When a heap subclass has a dealloc of its own (an extension's that
/// calls the base's `tp_dealloc` and then `Py_DECREF`s its type, as CPython's static bases
/// require, or gilgate's `subtype_dealloc`), the caller releases it.
///
/// # Safety
/// As `default_dealloc`.
pub(crate) unsafe fn dealloc_as(op: *mut PyObject, own: unsafe extern "C" fn(*mut PyObject)) {
    // SAFETY: forwarded contract.
    unsafe {
        let ty = (*op).ob_type;
        let releases = is_heap_type(ty)
            && (*ty)
                .tp_dealloc
                .is_some_and(|f| std::ptr::fn_addr_eq(f, own));
        match (*ty).tp_free {
            Some(f) => crate::extcall::free(f, op.cast()),
            None => free_object(op),
        }
        if releases {
            release_type(op, ty);
        } else if is_heap_type(ty) {
            // Reached under a `subtype_dealloc`: that one releases it.
            TYPE_RELEASE_CLAIM.with(|c| {
                if c.get() == (op as usize, ty as usize) {
                    c.set((0, 0));
                }
            });
        }
    }
}

/// `tp_dealloc` for objects without owned fields.
///
/// # Safety
/// As `default_dealloc`.
pub(crate) unsafe extern "C" fn plain_dealloc(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe { default_dealloc(op) }
}

#[export]
pub unsafe fn PyObject_Init(op: *mut PyObject, ty: *mut PyTypeObject) -> *mut PyObject {
    if op.is_null() {
        return crate::pyerrors::no_memory();
    }
    // SAFETY: the caller passes memory of at least the type's basic size.
    unsafe { init_header(op, ty) };
    op
}

#[export]
pub unsafe fn PyObject_InitVar(
    op: *mut PyVarObject,
    ty: *mut PyTypeObject,
    size: Py_ssize_t,
) -> *mut PyVarObject {
    if op.is_null() {
        crate::pyerrors::no_memory();
        return op;
    }
    // SAFETY: the caller passes memory for a variable-size object of `size` items.
    unsafe {
        init_header(op.cast(), ty);
        (*op).ob_size = size;
    }
    op
}

#[export]
pub unsafe fn _PyObject_New(ty: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: `ty` is a type object, per the C API contract.
    unsafe { alloc_object(ty, 0) }
}

#[export]
pub unsafe fn _PyObject_NewVar(ty: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyVarObject {
    // SAFETY: `ty` is a type object, per the C API contract.
    unsafe { alloc_object(ty, n).cast() }
}

#[export]
pub unsafe fn _PyObject_GC_New(ty: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: `ty` is a type object, per the C API contract.
    unsafe { alloc_object(ty, 0) }
}

#[export]
pub unsafe fn _PyObject_GC_NewVar(ty: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyVarObject {
    // SAFETY: `ty` is a type object, per the C API contract.
    unsafe { alloc_object(ty, n).cast() }
}

#[export]
pub unsafe fn PyObject_GC_Del(p: *mut c_void) {
    // SAFETY: `p` is NULL or memory from this allocator, per the C API contract.
    unsafe {
        if !p.is_null() {
            free_object(p.cast())
        }
    }
}

/// gilgate has no cycle collector yet: tracking only flips the tracked bit.
#[export]
pub unsafe fn PyObject_GC_Track(op: *mut c_void) {
    // SAFETY: `op` is a live GC object, per the C API contract.
    let bits = unsafe {
        std::sync::atomic::AtomicU8::from_ptr(&raw mut (*op.cast::<PyObject>()).ob_gc_bits)
    };
    bits.fetch_or(1, Ordering::Relaxed);
}

#[export]
pub unsafe fn PyObject_GC_UnTrack(op: *mut c_void) {
    // SAFETY: `op` is a live GC object, per the C API contract.
    let bits = unsafe {
        std::sync::atomic::AtomicU8::from_ptr(&raw mut (*op.cast::<PyObject>()).ob_gc_bits)
    };
    bits.fetch_and(!1, Ordering::Relaxed);
}

#[export]
pub unsafe fn PyType_GenericAlloc(ty: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: `ty` is a type object, per the C API contract.
    unsafe { alloc_object(ty, n) }
}

#[export]
pub unsafe fn PyType_GenericNew(
    ty: *mut PyTypeObject,
    _args: *mut PyObject,
    _kwds: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `ty` is a type object, per the C API contract.
    unsafe {
        match (*ty).tp_alloc {
            // The common case, without the exported function's frame.
            Some(a)
                if std::ptr::fn_addr_eq(
                    a,
                    PyType_GenericAlloc
                        as unsafe extern "C" fn(*mut PyTypeObject, Py_ssize_t) -> *mut PyObject,
                ) =>
            {
                alloc_object(ty, 0)
            }
            Some(a) => crate::extcall::alloc(a, ty, 0),
            None => alloc_object(ty, 0),
        }
    }
}

// ------------------------------------------------------------------------------------------
// Per-thread free lists for the runtime's own small objects (exact floats, ints of one or
// two digits, tuples of one to four items, short ASCII strs, exceptions of the base layout).
// The blocks stay mimalloc blocks, so whatever happens to them later (an extension's
// `PyObject_Free`, another thread's `mi_free`) stays valid. A parked block is a dead object:
// it counts as freed for `live_objects`. The link to the next block is kept
// in the block's first word.
// ------------------------------------------------------------------------------------------

/// Which free list.
#[derive(Clone, Copy)]
#[repr(u8)]
pub(crate) enum FreeKind {
    /// Exact `float` objects (`PyFloatObject`, 40 bytes).
    Float = 0,
    /// Exact `int` objects of one or two digits (48-byte blocks).
    SmallInt = 1,
    /// Exact tuples of one to four items (one list per length).
    Tuple1 = 2,
    Tuple2 = 3,
    Tuple3 = 4,
    Tuple4 = 5,
    /// Exact compact ASCII `str` objects of up to 7 characters (64-byte blocks: the 56-byte
    /// header, the characters and their NUL).
    ShortStr = 6,
    /// Instances of the static exception types with `PyBaseExceptionObject`'s layout
    /// (`ValueError`, `KeyError`, ...: 88-byte blocks).
    Exception = 7,
}

impl FreeKind {
    /// The free list for exact tuples of `n` items, if there is one.
    #[inline]
    pub(crate) fn for_tuple(n: usize) -> Option<FreeKind> {
        match n {
            1 => Some(FreeKind::Tuple1),
            2 => Some(FreeKind::Tuple2),
            3 => Some(FreeKind::Tuple3),
            4 => Some(FreeKind::Tuple4),
            _ => None,
        }
    }
}

const FREE_KINDS: usize = 8;
/// At most this many parked blocks per list and thread (CPython keeps 100 floats).
const FREE_MAX: usize = 100;

struct FreeLists {
    heads: [Cell<*mut u8>; FREE_KINDS],
    counts: [Cell<usize>; FREE_KINDS],
    /// 0: no exit hook yet; 1: the hook is registered (blocks may be parked); 2: the thread
    /// is exiting (nothing is parked any more).
    state: Cell<u8>,
}

impl FreeLists {
    /// Frees every parked block.
    fn drain(&self) {
        for (head, count) in self.heads.iter().zip(&self.counts) {
            let mut p = head.replace(std::ptr::null_mut());
            count.set(0);
            while !p.is_null() {
                // SAFETY: a parked block: its first word links to the next one.
                let next = unsafe { p.cast::<*mut u8>().read() };
                // SAFETY: parked blocks come from mimalloc and nobody else refers to them.
                unsafe { crate::pymem::free(p.cast()) };
                p = next;
            }
        }
    }
}

/// Frees the calling thread's parked blocks when it exits. Kept apart from `LOCAL` so that the
/// block itself has no destructor (no registration check on every access).
struct FreeListsGuard;

impl Drop for FreeListsGuard {
    fn drop(&mut self) {
        let _ = LOCAL.try_with(|t| {
            t.ready.set(t.ready.get() & !READY_LISTS);
            t.lists.state.set(2);
            t.lists.drain();
        });
    }
}

/// Registers the exit hook of the free lists; false when the thread is exiting.
#[cold]
fn free_lists_ready(t: &PerThread) -> bool {
    let f = &t.lists;
    if f.state.get() == 0 && FREE_LISTS_GUARD.try_with(|_| ()).is_ok() {
        f.state.set(1);
        t.ready.set(t.ready.get() | READY_LISTS);
    }
    f.state.get() == 1
}

/// Allocates an object of the exact static type `ty` whose constructor writes every field
/// after the header itself (so the block is not zeroed), from the free list `kind` when it
/// has a block. `size` must be the block size every object of that list gets.
///
/// # Safety
/// `ty` must be a ready static type without pre-header; `size` at least its basic size.
#[inline]
pub(crate) unsafe fn alloc_listed(
    kind: FreeKind,
    ty: *mut PyTypeObject,
    size: usize,
) -> *mut PyObject {
    debug_assert!(
        // SAFETY: forwarded contract.
        !unsafe { is_heap_type(ty) },
        "alloc_listed: a heap type"
    );
    // One reach of the thread's block for the list, the owner registration and the count.
    let made = LOCAL.try_with(|t| {
        let k = kind as usize;
        let f = &t.lists;
        let mut p = f.heads[k].get();
        if !p.is_null() {
            // SAFETY: a parked block: its first word links to the next one.
            f.heads[k].set(unsafe { p.cast::<*mut u8>().read() });
            f.counts[k].set(f.counts[k].get() - 1);
        } else {
            p = crate::pymem::malloc(size).cast();
            if p.is_null() {
                return p;
            }
        }
        t.created();
        p
    });
    let Ok(p) = made else {
        // Unreachable (the block has no destructor): the unshared way.
        // SAFETY: forwarded contract.
        return unsafe { alloc_unlisted(ty, size) };
    };
    if p.is_null() {
        crate::pyerrors::no_memory();
        return std::ptr::null_mut();
    }
    let op = p.cast::<PyObject>();
    // SAFETY: `op` is a block of at least `size` bytes that nothing else refers to; the type
    // is static (no reference to take).
    unsafe { write_header(op, ty) };
    op
}

/// `alloc_listed` without the free list.
///
/// # Safety
/// As [`alloc_listed`].
#[cold]
unsafe fn alloc_unlisted(ty: *mut PyTypeObject, size: usize) -> *mut PyObject {
    let p = crate::pymem::malloc(size).cast::<PyObject>();
    if p.is_null() {
        crate::pyerrors::no_memory();
        return p;
    }
    // SAFETY: a fresh block of at least `size` bytes.
    unsafe { init_header(p, ty) };
    p
}

/// Parks the memory of the dead object `op` in the free list `kind`, or frees it when the
/// list is full. Called by the type's `tp_dealloc` after the instance was released.
///
/// # Safety
/// `op` must be a dead object of a static type whose block has the list's size (or more)
/// and came from this allocator.
#[inline]
pub(crate) unsafe fn free_listed(kind: FreeKind, op: *mut PyObject) {
    let p = op.cast::<u8>();
    // The common case only (the exit hook registered, room in the list), so that a
    // `tp_dealloc` calling this needs no stack frame: everything else goes to the
    // out-of-line `free_listed_slow`, reached by a tail jump.
    // 0: parked; 1: the list is full (freed here); 2: the slow way.
    let done = LOCAL
        .try_with(|t| {
            let f = &t.lists;
            let k = kind as usize;
            let n = f.counts[k].get();
            if n >= FREE_MAX {
                return 1;
            }
            if t.ready.get() & READY_LISTS == 0 {
                return 2;
            }
            // SAFETY: the block is dead and at least 8 bytes long: its first word becomes the
            // link.
            unsafe { p.cast::<*mut u8>().write(f.heads[k].get()) };
            f.heads[k].set(p);
            f.counts[k].set(n + 1);
            0
        })
        .unwrap_or(2);
    match done {
        0 => {}
        // SAFETY: forwarded contract: a block of this allocator nobody refers to.
        1 => unsafe { crate::pymem::free(p.cast()) },
        // SAFETY: forwarded contract.
        _ => unsafe { free_listed_slow(kind, op) },
    }
}

/// [`free_listed`] outside its common case: registers the lists' exit hook first (a thread's
/// first parked block), or frees the block when the list is full or the thread is exiting.
/// `extern "C"` (it cannot unwind), so its callers reach it by a tail jump.
///
/// # Safety
/// As [`free_listed`].
#[cold]
#[inline(never)]
unsafe extern "C" fn free_listed_slow(kind: FreeKind, op: *mut PyObject) {
    let p = op.cast::<u8>();
    let parked = LOCAL
        .try_with(|t| {
            let f = &t.lists;
            let k = kind as usize;
            let n = f.counts[k].get();
            if n >= FREE_MAX || (t.ready.get() & READY_LISTS == 0 && !free_lists_ready(t)) {
                return false;
            }
            // SAFETY: the block is dead and at least 8 bytes long: its first word becomes the
            // link.
            unsafe { p.cast::<*mut u8>().write(f.heads[k].get()) };
            f.heads[k].set(p);
            f.counts[k].set(n + 1);
            true
        })
        .unwrap_or(false);
    if !parked {
        // SAFETY: forwarded contract.
        unsafe { crate::pymem::free(p.cast()) };
    }
}

/// `PyObjectArenaAllocator`: how pymalloc gets its arenas. gilgate's objects do not come from
/// arenas, but extensions read and replace the allocator (greenlet asks for it to allocate its
/// stack copies), so it is real: anonymous memory maps by default, as CPython's.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct PyObjectArenaAllocator {
    pub ctx: *mut c_void,
    pub alloc: Option<unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void>,
    pub free: Option<unsafe extern "C" fn(*mut c_void, *mut c_void, usize)>,
}

/// A raw-pointer holder for the static below (the pointers are plain addresses).
struct ArenaSlot(PyObjectArenaAllocator);
// SAFETY: the allocator is two function pointers and an opaque context that CPython lets
// any thread read and replace (under the lock here).
unsafe impl Send for ArenaSlot {}

/// The default arena allocator's `alloc`: a private anonymous map, NULL when the system says no.
unsafe extern "C" fn arena_mmap(_ctx: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: an anonymous private mapping has no preconditions.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        std::ptr::null_mut()
    } else {
        p
    }
}

/// The default arena allocator's `free`.
unsafe extern "C" fn arena_munmap(_ctx: *mut c_void, ptr: *mut c_void, size: usize) {
    // SAFETY: `ptr`/`size` are a mapping `arena_mmap` made, per the allocator's contract.
    unsafe { libc::munmap(ptr, size) };
}

static ARENA_ALLOCATOR: Mutex<ArenaSlot> = Mutex::new(ArenaSlot(PyObjectArenaAllocator {
    ctx: std::ptr::null_mut(),
    alloc: Some(arena_mmap),
    free: Some(arena_munmap),
}));

fn arena_slot() -> std::sync::MutexGuard<'static, ArenaSlot> {
    ARENA_ALLOCATOR.lock().unwrap_or_else(|e| e.into_inner())
}

#[export(unguarded)]
pub unsafe fn PyObject_GetArenaAllocator(allocator: *mut PyObjectArenaAllocator) {
    let current = arena_slot().0;
    // SAFETY: the caller passes room for one allocator, per the C API contract.
    unsafe { allocator.write(current) };
}

#[export(unguarded)]
pub unsafe fn PyObject_SetArenaAllocator(allocator: *mut PyObjectArenaAllocator) {
    // SAFETY: the caller passes a filled-in allocator, per the C API contract.
    let new = unsafe { allocator.read() };
    arena_slot().0 = new;
}
