//! The core of critical sections (see `critical_section.rs`): the per-thread stack of
//! sections, Begin (with the top-most-section skip and two-mutex ordering), End, and the
//! suspend/resume that detach and attach run. Free of FFI and thread states: it reaches the
//! calling thread's stack head and the mutexes only through its parent (`super::section_head`,
//! `super::attached_head`, `super::{lock, lock_fast, unlock_or_abort}`), so the model crate
//! (`capi/model`) compiles this very file against loom with a parent of its own.

use super::{PyMutex, attached_head, lock, lock_fast, section_head, unlock_or_abort};
use std::ptr::null_mut;

/// `PyCriticalSection` (16 bytes).
#[repr(C)]
pub struct PyCriticalSection {
    pub _cs_prev: usize,
    pub _cs_mutex: *mut PyMutex,
}

/// `PyCriticalSection2` (24 bytes).
#[repr(C)]
pub struct PyCriticalSection2 {
    pub _cs_base: PyCriticalSection,
    pub _cs_mutex2: *mut PyMutex,
}

impl PyCriticalSection {
    /// A section not begun yet.
    pub(crate) const EMPTY: PyCriticalSection = PyCriticalSection {
        _cs_prev: 0,
        _cs_mutex: null_mut(),
    };
}

/// `_Py_CRITICAL_SECTION_INACTIVE`.
const INACTIVE: usize = 1;
/// `_Py_CRITICAL_SECTION_TWO_MUTEXES`.
const TWO_MUTEXES: usize = 2;
/// `_Py_CRITICAL_SECTION_MASK`.
const MASK: usize = 3;

#[inline]
fn untag(tag: usize) -> *mut PyCriticalSection {
    (tag & !MASK) as *mut PyCriticalSection
}

/// `_PyCriticalSection_IsActive`.
#[inline]
fn is_active(tag: usize) -> bool {
    tag != 0 && tag & INACTIVE == 0
}

/// The second mutex of the section `tag` points to (NULL for a one-mutex section).
///
/// # Safety
/// `tag` must point to a live section.
#[inline]
unsafe fn mutex2_of(tag: usize) -> *mut PyMutex {
    if tag & TWO_MUTEXES == 0 {
        return null_mut();
    }
    // SAFETY: the tag says the section is a PyCriticalSection2 (contract: live).
    unsafe { (*untag(tag).cast::<PyCriticalSection2>())._cs_mutex2 }
}

/// Whether the top-most section of the stack `head` is active and holds `m`.
///
/// # Safety
/// `head` must be the calling thread's live stack head.
unsafe fn top_holds(head: *mut usize, m: *mut PyMutex) -> bool {
    // SAFETY: the calling thread's stack; the sections on it are live.
    unsafe {
        let top = *head;
        is_active(top) && ((*untag(top))._cs_mutex == m || mutex2_of(top) == m)
    }
}

/// Whether the calling thread holds `m` through one of its active (not suspended) critical
/// sections; then locking `m` again would deadlock, and the holder may go on as if it had
/// locked it. gilgate's own list and bytearray locks ask this.
pub(crate) fn held_by_current_thread(m: *mut PyMutex) -> bool {
    let head = attached_head();
    if head.is_null() {
        return false;
    }
    // SAFETY: the stack is the calling thread's; every section on it is live (each is popped
    // before its storage goes away).
    unsafe {
        let mut tag = *head;
        while is_active(tag) {
            let cs = untag(tag);
            if (*cs)._cs_mutex == m || mutex2_of(tag) == m {
                return true;
            }
            tag = (*cs)._cs_prev;
        }
        false
    }
}

/// Pushes `cs` (tagged with `tag`) on the stack `head`.
///
/// # Safety
/// `head` is the calling thread's live stack head, `cs` the caller's section.
#[inline]
unsafe fn push(head: *mut usize, cs: *mut PyCriticalSection, tag: usize) {
    // SAFETY: per the contract.
    unsafe {
        (*cs)._cs_prev = *head;
        *head = cs as usize | tag;
    }
}

/// `_PyCriticalSection_Pop`: takes `cs` off the stack and resumes the section below when it
/// is suspended.
///
/// # Safety
/// `cs` is the calling thread's top-most section.
#[inline]
unsafe fn pop(cs: *mut PyCriticalSection) {
    let head = attached_head();
    if head.is_null() {
        return;
    }
    // SAFETY: per the contract.
    unsafe {
        if untag(*head) != cs {
            // Begun while the thread had no attached state: never pushed.
            return;
        }
        let prev = (*cs)._cs_prev;
        *head = prev;
        if prev & INACTIVE != 0 {
            resume(head);
        }
    }
}

/// `PyCriticalSection_BeginMutex`: locks `m` and pushes `cs`.
#[inline]
pub(crate) fn begin_mutex(cs: *mut PyCriticalSection, m: *mut PyMutex) {
    let head = section_head();
    if !head.is_null() && lock_fast(m) {
        // SAFETY: the calling thread's stack and section.
        unsafe {
            (*cs)._cs_mutex = m;
            push(head, cs, 0);
        }
        return;
    }
    begin_slow(cs, m);
}

/// `_PyCriticalSection_BeginSlow`: the top-most-section skip, else push (with no mutex yet,
/// so that a detach while waiting releases nothing for it) and lock `m`, parking detached.
#[cold]
pub(crate) fn begin_slow(cs: *mut PyCriticalSection, m: *mut PyMutex) {
    let head = section_head();
    // SAFETY: the caller's section and the calling thread's stack.
    unsafe {
        if head.is_null() {
            // No attached state (a thread exiting, or gilgate's own code run detached): no
            // stack to keep; End only unlocks.
            lock(m);
            (*cs)._cs_prev = 0;
            (*cs)._cs_mutex = m;
            return;
        }
        if top_holds(head, m) {
            (*cs)._cs_prev = 0;
            (*cs)._cs_mutex = null_mut();
            return;
        }
        (*cs)._cs_mutex = null_mut();
        push(head, cs, 0);
        lock(m);
        (*cs)._cs_mutex = m;
    }
}

/// `PyCriticalSection_End`.
///
/// # Safety
/// `cs` is the calling thread's top-most section (or a skipped one).
#[inline]
pub(crate) unsafe fn end(cs: *mut PyCriticalSection) {
    // SAFETY: per the contract.
    unsafe {
        let m = (*cs)._cs_mutex;
        if m.is_null() {
            return;
        }
        unlock_or_abort(m);
        pop(cs);
    }
}

/// `PyCriticalSection2_BeginMutex`: locks both mutexes, lowest address first (once when they
/// are the same), and pushes `cs`.
#[inline]
pub(crate) fn begin2_mutex(cs: *mut PyCriticalSection2, a: *mut PyMutex, b: *mut PyMutex) {
    if a == b {
        // SAFETY: the caller's section.
        unsafe { (*cs)._cs_mutex2 = null_mut() };
        begin_mutex(cs.cast(), a);
        return;
    }
    let (m1, m2) = if (a as usize) < (b as usize) {
        (a, b)
    } else {
        (b, a)
    };
    let head = section_head();
    if !head.is_null() && lock_fast(m1) {
        if lock_fast(m2) {
            // SAFETY: the calling thread's stack and section.
            unsafe {
                (*cs)._cs_base._cs_mutex = m1;
                (*cs)._cs_mutex2 = m2;
                push(head, cs.cast(), TWO_MUTEXES);
            }
            return;
        }
        begin2_slow(cs, m1, m2, true);
        return;
    }
    begin2_slow(cs, m1, m2, false);
}

/// `_PyCriticalSection2_BeginSlow`: `m1` below `m2`, `m1_locked` when the fast path took it.
/// Skipped when the top-most section holds both; else push with no mutexes yet and lock.
#[cold]
pub(crate) fn begin2_slow(
    cs: *mut PyCriticalSection2,
    m1: *mut PyMutex,
    m2: *mut PyMutex,
    m1_locked: bool,
) {
    let head = section_head();
    // SAFETY: the caller's section and the calling thread's stack.
    unsafe {
        if head.is_null() {
            if !m1_locked {
                lock(m1);
            }
            lock(m2);
            (*cs)._cs_base._cs_prev = 0;
            (*cs)._cs_base._cs_mutex = m1;
            (*cs)._cs_mutex2 = m2;
            return;
        }
        if !m1_locked && top_holds(head, m1) && top_holds(head, m2) {
            (*cs)._cs_base._cs_prev = 0;
            (*cs)._cs_base._cs_mutex = null_mut();
            (*cs)._cs_mutex2 = null_mut();
            return;
        }
        (*cs)._cs_base._cs_mutex = null_mut();
        (*cs)._cs_mutex2 = null_mut();
        push(head, cs.cast(), TWO_MUTEXES);
        if !m1_locked {
            lock(m1);
        }
        lock(m2);
        (*cs)._cs_base._cs_mutex = m1;
        (*cs)._cs_mutex2 = m2;
    }
}

/// `PyCriticalSection2_End`.
///
/// # Safety
/// `cs` is the calling thread's top-most section (or a skipped one).
#[inline]
pub(crate) unsafe fn end2(cs: *mut PyCriticalSection2) {
    // SAFETY: per the contract.
    unsafe {
        let m1 = (*cs)._cs_base._cs_mutex;
        if m1.is_null() {
            return;
        }
        let m2 = (*cs)._cs_mutex2;
        if !m2.is_null() {
            unlock_or_abort(m2);
        }
        unlock_or_abort(m1);
        pop(cs.cast());
    }
}

/// `_PyCriticalSection_SuspendAll`: releases the mutexes of every active section of the stack
/// `head`, top down, and marks each suspended (the mutex pointers stay, to be re-taken).
///
/// # Safety
/// `head` is the calling thread's live stack head.
unsafe fn suspend(head: *mut usize) {
    // SAFETY: per the contract; the sections on the stack are live.
    unsafe {
        let mut at: *mut usize = head;
        while is_active(*at) {
            let tag = *at;
            let cs = untag(tag);
            let m1 = (*cs)._cs_mutex;
            if !m1.is_null() {
                unlock_or_abort(m1);
            }
            let m2 = mutex2_of(tag);
            if !m2.is_null() {
                unlock_or_abort(m2);
            }
            *at = tag | INACTIVE;
            at = &raw mut (*cs)._cs_prev;
        }
    }
}

/// `_PyCriticalSection_Resume`: re-takes the mutexes of the top-most section of the stack
/// `head` (which is suspended), lowest first. While it waits the section names no mutex, so
/// that a detach in the middle releases nothing twice.
///
/// # Safety
/// `head` is the calling thread's live stack head.
#[cold]
unsafe fn resume(head: *mut usize) {
    // SAFETY: per the contract; the sections on the stack are live.
    unsafe {
        let tag = *head;
        if tag == 0 || tag & INACTIVE == 0 {
            return;
        }
        let cs = untag(tag);
        let m1 = std::mem::replace(&mut (*cs)._cs_mutex, null_mut());
        let cs2 = cs.cast::<PyCriticalSection2>();
        let m2 = if tag & TWO_MUTEXES != 0 {
            std::mem::replace(&mut (*cs2)._cs_mutex2, null_mut())
        } else {
            null_mut()
        };
        if !m1.is_null() {
            lock(m1);
        }
        if !m2.is_null() {
            lock(m2);
        }
        (*cs)._cs_mutex = m1;
        if tag & TWO_MUTEXES != 0 {
            (*cs2)._cs_mutex2 = m2;
        }
        *head &= !INACTIVE;
    }
}

/// Called when the thread detaches (`ceval::detach`): releases the mutexes of every critical
/// section the thread holds, so a thread waiting for them can go on.
pub(crate) fn suspend_all() {
    let head = attached_head();
    if !head.is_null() {
        // SAFETY: the calling thread's stack.
        unsafe { suspend(head) }
    }
}

/// Called when the thread attaches again (`ceval::attach`): re-takes the mutexes of the
/// top-most critical section only, as CPython does; outer ones are re-taken as sections end.
pub(crate) fn resume_top() {
    let head = attached_head();
    if !head.is_null() {
        // SAFETY: the calling thread's stack.
        unsafe { resume(head) }
    }
}
