//! Small `object.h` / `cpython/object.h` / `objimpl.h` services that real extensions reach for
//! in their init, repr and dealloc paths (multidict, immutables): the constant objects
//! (`Py_GetConstant`), the repr recursion guard (`Py_ReprEnter`/`Py_ReprLeave`), the trashcan
//! behind `Py_TRASHCAN_BEGIN`/`END` with the C stack check it asks
//! (`_Py_ReachedRecursionLimitWithMargin`), the free-threading reference helpers
//! (`PyUnstable_TryIncRef` and friends) and `PyObject_GC_IsTracked`.

use super::{Py_TPFLAGS_HAVE_GC, PyObject, ty};
use crate::export;
use crate::pyport::Py_ssize_t;
use crate::pystate::PyThreadState;
use crate::refcount::new_ref;
use std::cell::{Cell, RefCell};
use std::ffi::{c_int, c_uint};
use std::ptr::null_mut;
use std::sync::OnceLock;

// ---- Py_GetConstant -------------------------------------------------------------------------

/// The ten constants in `Py_CONSTANT_*` order, each holding one reference for the process's
/// life (stored as addresses so the table is `Sync`).
static CONSTANTS: OnceLock<[usize; 10]> = OnceLock::new();

fn constants() -> &'static [usize; 10] {
    CONSTANTS.get_or_init(|| {
        // SAFETY: the static singletons live forever; the constructors return new references
        // the table keeps.
        unsafe {
            [
                (&raw mut super::_Py_NoneStruct) as usize,
                (&raw mut crate::boolobject::_Py_FalseStruct) as usize,
                (&raw mut crate::boolobject::_Py_TrueStruct) as usize,
                (&raw mut super::_Py_EllipsisObject) as usize,
                (&raw mut super::_Py_NotImplementedStruct) as usize,
                crate::longobject::PyLong_FromLong(0) as usize,
                crate::longobject::PyLong_FromLong(1) as usize,
                crate::unicodeobject::from_str("") as usize,
                crate::bytesobject::PyBytes_FromStringAndSize(c"".as_ptr(), 0) as usize,
                crate::tupleobject::PyTuple_New(0) as usize,
            ]
        }
    })
}

/// The constant `id` (borrowed), or NULL with `SystemError` for an unknown id.
fn constant(id: c_uint) -> *mut PyObject {
    match constants().get(id as usize) {
        Some(&p) if p != 0 => p as *mut PyObject,
        _ => crate::pyerrors::bad_internal_call(),
    }
}

#[export]
pub fn Py_GetConstant(id: c_uint) -> *mut PyObject {
    let p = constant(id);
    if p.is_null() {
        return p;
    }
    // SAFETY: the table keeps every constant alive.
    unsafe { new_ref(p) }
}

#[export]
pub fn Py_GetConstantBorrowed(id: c_uint) -> *mut PyObject {
    constant(id)
}

// ---- repr recursion guard -------------------------------------------------------------------

/// `Py_ReprEnter`: 1 when `op`'s repr is already in progress on this thread (the caller then
/// prints a placeholder such as `...`), else records it and returns 0. The list is the one
/// gilgate's own container reprs use.
#[export]
pub fn Py_ReprEnter(op: *mut PyObject) -> c_int {
    c_int::from(!crate::iterobject::repr_enter(op))
}

/// `Py_ReprLeave`: forgets `op`; the current exception is untouched.
#[export]
pub fn Py_ReprLeave(op: *mut PyObject) {
    crate::iterobject::repr_leave(op)
}

// ---- the C stack check and the trashcan -----------------------------------------------------

/// CPython's `_PyOS_STACK_MARGIN_BYTES` on 64-bit builds: 4096 pointers.
const STACK_MARGIN_BYTES: usize = 4096 * std::mem::size_of::<usize>();

thread_local! {
    /// The lowest usable stack address of this thread plus the soft margin (0: not known yet).
    static STACK_SOFT_LIMIT: Cell<usize> = const { Cell::new(0) };
    /// Objects whose deallocation the trashcan postponed on this thread, last in first out.
    static DELETE_LATER: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// The current thread's stack as (lowest, highest) address, or None if unknown.
fn stack_bounds() -> Option<(usize, usize)> {
    // SAFETY: plain pthread queries about the calling thread into a local attribute object,
    // destroyed after use.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = null_mut();
        let mut size: libc::size_t = 0;
        let rc = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        (rc == 0).then(|| (addr as usize, addr as usize + size))
    }
}

/// How many bytes of the current thread's C stack are in use (0 if unknown).
pub(crate) fn stack_used() -> usize {
    thread_local! {
        static TOP: Cell<usize> = const { Cell::new(0) };
    }
    let top = TOP.with(|c| {
        if c.get() == 0 {
            c.set(stack_bounds().map_or(usize::MAX, |(_, hi)| hi));
        }
        c.get()
    });
    let marker = 0u8;
    let here = std::hint::black_box(&raw const marker) as usize;
    if top == usize::MAX {
        0
    } else {
        top.saturating_sub(here)
    }
}

/// The bottom of the current thread's stack (it grows down on x86_64), or 0 if unknown.
fn stack_low() -> usize {
    stack_bounds().map_or(0, |(lo, _)| lo)
}

/// Whether the C stack is within `margin` safety margins of its soft limit (CPython keeps
/// the soft limit a few margins above the end of the thread's stack).
pub fn near_stack_limit(margin: c_int) -> bool {
    let soft = STACK_SOFT_LIMIT.with(|c| {
        if c.get() == 0 {
            let low = stack_low();
            c.set(if low == 0 {
                usize::MAX
            } else {
                low + 4 * STACK_MARGIN_BYTES
            });
        }
        c.get()
    });
    if soft == usize::MAX {
        return false;
    }
    let marker = 0u8;
    let here = std::hint::black_box(&raw const marker) as usize;
    here <= soft.saturating_add(margin.max(0) as usize * STACK_MARGIN_BYTES)
}

#[export]
pub fn _Py_ReachedRecursionLimitWithMargin(_tstate: *mut PyThreadState, margin: c_int) -> c_int {
    c_int::from(near_stack_limit(margin))
}

/// Postpones `op`'s deallocation (a dead object whose dealloc started too deep in the stack):
/// it joins this thread's chain, which `tstate->delete_later` shows non-empty.
#[export]
pub unsafe fn _PyTrash_thread_deposit_object(tstate: *mut PyThreadState, op: *mut PyObject) {
    DELETE_LATER.with_borrow_mut(|v| v.push(op as usize));
    if !tstate.is_null() {
        // SAFETY: `tstate` is the caller's live thread state.
        unsafe { (*tstate).delete_later = op };
    }
}

/// Runs the postponed deallocations of this thread, newest first (a dealloc may deposit more).
#[export]
pub unsafe fn _PyTrash_thread_destroy_chain(tstate: *mut PyThreadState) {
    loop {
        let (op, next) = DELETE_LATER.with_borrow_mut(|v| {
            let op = v.pop();
            (op, v.last().copied().unwrap_or(0))
        });
        let Some(op) = op else { break };
        let op = op as *mut PyObject;
        // SAFETY: `tstate` is the caller's live thread state; `op` is a dead object whose
        // type's dealloc was interrupted by the trashcan and runs now.
        unsafe {
            if !tstate.is_null() {
                (*tstate).delete_later = next as *mut PyObject;
            }
            if let Some(dealloc) = (*ty(op)).tp_dealloc {
                crate::extcall::destructor(dealloc, op);
            }
        }
    }
}

// ---- references and GC state ----------------------------------------------------------------
//
// CPython 3.14t's try-incref family (`pycore_object.h`): a reference taken from a pointer that
// the taker does not own a reference through (a weak reference, a slot read without its lock)
// must fail on an object whose count already reached zero, never bring it back. The rules
// that make that possible: a count of zero with the shared word exactly 0 (no flags) or
// exactly MERGED is final; `_Py_REF_MAYBE_WEAKREF` marks an object such readers may reach, so
// the owner's last decref merges (and a racing try-incref's CAS wins or loses cleanly) instead
// of freeing at once. Callers must still know the object's memory is valid (held by a lock
// that its deallocation also takes): gilgate has no QSBR for object memory.

use crate::object::{_Py_IMMORTAL_REFCNT_LOCAL, _Py_REF_SHARED_SHIFT, _Py_UNOWNED_TID};
use crate::object::{_Py_REF_MAYBE_WEAKREF, _Py_REF_MERGED, _Py_REF_SHARED_FLAG_MASK};
use crate::refcount::{local, shared, thread_id, tid};
use std::sync::atomic::Ordering;

/// `_Py_TryIncrefFast`: immortal, or owned by the calling thread (then the local count goes
/// up, even from zero: only the owner itself could be freeing it, as in CPython).
///
/// # Safety
/// `op`'s memory must be a valid object header.
#[inline]
pub(crate) unsafe fn try_incref_fast(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let l = local(op).load(Ordering::Relaxed).wrapping_add(1);
        if l == 0 {
            return true;
        }
        if tid(op).load(Ordering::Relaxed) == thread_id() {
            local(op).store(l, Ordering::Relaxed);
            return true;
        }
        false
    }
}

/// `_Py_TryIncRefShared`: +1 on the shared count unless it is exactly 0 or exactly MERGED
/// (the object may be in its deallocation).
///
/// # Safety
/// `op`'s memory must be a valid object header.
#[inline]
pub(crate) unsafe fn try_incref_shared(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    let sh = unsafe { shared(op) };
    let mut cur = sh.load(Ordering::Relaxed);
    loop {
        if cur == 0 || cur == _Py_REF_MERGED {
            return false;
        }
        match sh.compare_exchange_weak(
            cur,
            cur + (1 << _Py_REF_SHARED_SHIFT),
            Ordering::AcqRel,
            Ordering::Relaxed,
        ) {
            Ok(_) => return true,
            Err(actual) => cur = actual,
        }
    }
}

/// `_Py_TryIncref`.
///
/// # Safety
/// `op`'s memory must be a valid object header.
#[inline]
pub(crate) unsafe fn try_incref(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { try_incref_fast(op) || try_incref_shared(op) }
}

/// `_PyObject_SetMaybeWeakref`: sets `_Py_REF_MAYBE_WEAKREF` unless a flag is already set
/// (MAYBE_WEAKREF, QUEUED or MERGED) or the object is immortal.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn set_maybe_weakref(op: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        if local(op).load(Ordering::Relaxed) == _Py_IMMORTAL_REFCNT_LOCAL {
            return;
        }
        let sh = shared(op);
        let mut cur = sh.load(Ordering::Relaxed);
        while cur & _Py_REF_SHARED_FLAG_MASK == 0 {
            match sh.compare_exchange_weak(
                cur,
                cur | _Py_REF_MAYBE_WEAKREF,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(actual) => cur = actual,
            }
        }
    }
}

/// `_Py_ExplicitMergeRefcount(op, extra)`: the owner gives the object up: the local count
/// (plus `extra`) moves into the shared word, flagged MERGED; returns the merged count. The
/// local count and owner are cleared before the merge is published (CPython's order).
///
/// # Safety
/// `op` must be a live, mortal object owned by the calling thread.
pub(crate) unsafe fn explicit_merge(op: *mut PyObject, extra: Py_ssize_t) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe {
        let l = local(op).load(Ordering::Relaxed) as Py_ssize_t;
        local(op).store(0, Ordering::Relaxed);
        tid(op).store(_Py_UNOWNED_TID, Ordering::Relaxed);
        let sh = shared(op);
        let mut cur = sh.load(Ordering::Relaxed);
        loop {
            let count = (cur >> _Py_REF_SHARED_SHIFT) + l + extra;
            let new = (count << _Py_REF_SHARED_SHIFT) | _Py_REF_MERGED;
            match sh.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return count,
                Err(actual) => cur = actual,
            }
        }
    }
}

/// `_PyObject_ResurrectStart`: an object in its deallocation (count zero) gets one reference,
/// owned by the calling thread, for the time its finalizer runs.
///
/// # Safety
/// `op` must be an object whose count reached zero, in its `tp_dealloc` on this thread.
pub(crate) unsafe fn resurrect_start(op: *mut PyObject) {
    // SAFETY: forwarded contract; no other thread holds a reference, and a try-incref
    // sees the shared word 0 (no flags) and fails.
    unsafe {
        tid(op).store(thread_id(), Ordering::Relaxed);
        local(op).store(1, Ordering::Relaxed);
        shared(op).store(0, Ordering::Relaxed);
    }
}

/// `_PyObject_ResurrectEnd`: drops the reference `resurrect_start` gave without deallocating:
/// false when the object is dead again (the deallocation goes on), true when the finalizer
/// left references to it elsewhere (it lives on, its count merged into the shared word).
///
/// # Safety
/// `op` must be an object after `resurrect_start` on this thread.
pub(crate) unsafe fn resurrect_end(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let l = local(op).load(Ordering::Relaxed);
        let sh = shared(op).load(Ordering::Acquire);
        let owned = tid(op).load(Ordering::Relaxed) == thread_id();
        if owned && l == 1 && sh == 0 {
            local(op).store(0, Ordering::Relaxed);
            return false;
        }
        resurrect_end_slow(op, owned)
    }
}

#[cold]
unsafe fn resurrect_end_slow(op: *mut PyObject, owned: bool) -> bool {
    // SAFETY: forwarded contract of `resurrect_end`.
    unsafe {
        if local(op).load(Ordering::Relaxed) == _Py_IMMORTAL_REFCNT_LOCAL {
            return true;
        }
        if owned {
            return explicit_merge(op, -1) != 0;
        }
        // Not ours any more: only a merge (the owner word cleared, MERGED set) gives it up,
        // so the shared word alone counts. Drop our reference there; zero means dead.
        let sh = shared(op);
        let mut cur = sh.load(Ordering::Relaxed);
        loop {
            let new = cur - (1 << _Py_REF_SHARED_SHIFT);
            match sh.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return new != _Py_REF_MERGED,
                Err(actual) => cur = actual,
            }
        }
    }
}

/// `PyUnstable_TryIncRef`: a new reference unless the object's count already reached zero
/// (CPython 3.14t's `_Py_TryIncref`). The object's memory must still be valid, and objects
/// another thread may drop must have had `PyUnstable_EnableTryIncRef` called.
#[export]
pub unsafe fn PyUnstable_TryIncRef(op: *mut PyObject) -> c_int {
    // SAFETY: `op` points to an object whose memory is still valid, per the contract.
    c_int::from(unsafe { try_incref(op) })
}

/// `PyUnstable_EnableTryIncRef`: sets `_Py_REF_MAYBE_WEAKREF`, so that the owner's last
/// decref merges instead of freeing at once and a racing `PyUnstable_TryIncRef` either wins
/// (the object lives on) or fails.
#[export]
pub unsafe fn PyUnstable_EnableTryIncRef(op: *mut PyObject) {
    // SAFETY: a live object, per the C API contract.
    unsafe { set_maybe_weakref(op) }
}

/// CPython 3.14t's test: owned by the calling thread, local count 1 and the whole shared word
/// zero (no other thread holds or can take a reference).
#[export]
pub unsafe fn PyUnstable_Object_IsUniquelyReferenced(op: *mut PyObject) -> c_int {
    // SAFETY: `op` is a live object.
    unsafe {
        c_int::from(
            tid(op).load(Ordering::Relaxed) == thread_id()
                && local(op).load(Ordering::Relaxed) == 1
                && shared(op).load(Ordering::Relaxed) == 0,
        )
    }
}

/// 1 for an object of a GC type that `PyObject_GC_Track` tracked (and not untracked since).
#[export]
pub unsafe fn PyObject_GC_IsTracked(op: *mut PyObject) -> c_int {
    // SAFETY: `op` is a live object; the tracked bit is read atomically as Track sets it.
    unsafe {
        let gc_type = (*ty(op)).tp_flags & Py_TPFLAGS_HAVE_GC != 0;
        let bits = std::sync::atomic::AtomicU8::from_ptr(&raw mut (*op).ob_gc_bits)
            .load(std::sync::atomic::Ordering::Relaxed);
        c_int::from(gc_type && bits & 1 != 0)
    }
}

// ---- reference helpers of the interpreter ----------------------------------------------------

/// CPython answers 1 only for an object referenced once and held by the calling Python frame's
/// evaluation stack (a temporary the interpreter may reuse); with no Python frame it answers
/// 0, and gilgate runs no Python frames. So 0, which the documentation allows as the
/// conservative answer and which is what CPython gives to code called from C.
#[export(err = 0)]
pub fn PyUnstable_Object_IsUniqueReferencedTemporary(_op: *mut PyObject) -> c_int {
    0
}

/// `_Py_NewReference`: a fresh header's reference state (one reference owned by the calling
/// thread), for memory an extension reuses from its own free list; the type stays.
#[export]
pub unsafe fn _Py_NewReference(op: *mut PyObject) {
    crate::refcount::register_thread();
    // SAFETY: the caller passes an object header it owns exclusively (not yet shared).
    unsafe {
        tid(op).store(thread_id(), Ordering::Relaxed);
        local(op).store(1, Ordering::Relaxed);
        shared(op).store(0, Ordering::Relaxed);
        (*op).ob_gc_bits = 0;
    }
}

/// `_Py_SetImmortal`: the object is never freed from now on (its count stays fixed).
#[export(err = ())]
pub unsafe fn _Py_SetImmortal(op: *mut PyObject) {
    // SAFETY: a live object, per the C API contract; the fields are stored atomically.
    unsafe {
        tid(op).store(_Py_UNOWNED_TID, Ordering::Relaxed);
        local(op).store(_Py_IMMORTAL_REFCNT_LOCAL, Ordering::Relaxed);
        shared(op).store(0, Ordering::Relaxed);
    }
}
