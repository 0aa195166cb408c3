//! `cpython/critical_section.h`: per-object critical sections, as CPython 3.14t runs them.
//!
//! A section locks one or two `PyMutex`es (an object's `ob_mutex`, or any mutex with the
//! `BeginMutex` forms). Each thread keeps its open sections as a stack threaded through
//! `_cs_prev`, its top in `PyThreadState.critical_section`; the low bits of each link are tags:
//! bit 0 (`INACTIVE`) "the section this points to is suspended: its mutexes are released",
//! bit 1 (`TWO_MUTEXES`) "it is a `PyCriticalSection2`".
//!
//! - A section on a mutex the top-most section already holds is skipped: nothing is pushed
//!   and its End does nothing (so nesting on one object returns at once).
//! - Two mutexes are locked lowest address first.
//! - When the thread detaches (`PyEval_SaveThread`, `Py_BEGIN_ALLOW_THREADS`, or a wait
//!   inside a `PyMutex` that parks) every held section is suspended: its mutexes released.
//!   On attach only the top-most section re-takes its mutexes; an outer one does when it
//!   becomes the top again (its inner section ended). A thread that blocks on an inner
//!   section thus releases its outer ones, and opposite nesting orders in two threads finish.

use crate::export;
use crate::lock::{lock, lock_fast, unlock_or_abort};
use crate::object::{PyMutex, PyObject};
use crate::pystate::PyThreadState;
use std::ffi::c_int;
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

/// A critical section gilgate's own code holds on one object until the guard drops. The
/// section lives in the caller's frame (`hold!` declares it there), so its address stays put
/// while it is on the thread's stack of sections; guards drop in reverse order of creation.
pub(crate) struct Held<'a> {
    cs: *mut PyCriticalSection,
    _frame: std::marker::PhantomData<&'a mut PyCriticalSection>,
}

impl<'a> Held<'a> {
    /// Begins a section on `op` (a live object) in `cs`.
    #[inline]
    pub(crate) fn begin(cs: &'a mut PyCriticalSection, op: *mut PyObject) -> Held<'a> {
        let cs: *mut PyCriticalSection = cs;
        begin_mutex(cs, mutex_of(op));
        Held {
            cs,
            _frame: std::marker::PhantomData,
        }
    }
}

impl Drop for Held<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the section was begun by this thread in `begin` and is still on its frame.
        unsafe { end(self.cs) }
    }
}

/// `hold!(g, op)`: binds `g` to a critical section on `op` held until the end of the block
/// (or `drop(g)`), like `Py_BEGIN_CRITICAL_SECTION(op)`.
macro_rules! hold {
    ($g:ident, $op:expr) => {
        let mut section = $crate::critical_section::PyCriticalSection::EMPTY;
        let $g = $crate::critical_section::Held::begin(&mut section, $op);
    };
}
pub(crate) use hold;

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

#[inline]
fn mutex_of(op: *mut PyObject) -> *mut PyMutex {
    // SAFETY: `op` is a live object (C API contract).
    unsafe { &raw mut (*op).ob_mutex }
}

/// Whether the top-most section of `ts` is active and holds `m`.
///
/// # Safety
/// `ts` must be the calling thread's live state.
unsafe fn top_holds(ts: *mut PyThreadState, m: *mut PyMutex) -> bool {
    // SAFETY: the calling thread's state; the sections on its stack are live.
    unsafe {
        let top = (*ts).critical_section;
        is_active(top) && ((*untag(top))._cs_mutex == m || mutex2_of(top) == m)
    }
}

/// Whether the calling thread holds `m` through one of its active (not suspended) critical
/// sections; then locking `m` again would deadlock, and the holder may go on as if it had
/// locked it. gilgate's own list and bytearray locks ask this.
pub(crate) fn held_by_current_thread(m: *mut PyMutex) -> bool {
    let ts = crate::pystate::attached();
    if ts.is_null() {
        return false;
    }
    // SAFETY: the thread state is the calling thread's; every section on its stack is live
    // (each is popped before its storage goes away).
    unsafe {
        let mut tag = (*ts).critical_section;
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

/// The state whose stack a new section goes on: the attached one; for a thread that never had
/// one, a new attached state (gilgate's implicit attach, as `PyThreadState_Get`); NULL for a
/// thread whose state is detached (gilgate's own code run detached) or that is exiting: the
/// section then only locks.
#[inline]
fn section_state() -> *mut PyThreadState {
    let ts = crate::pystate::attached();
    if !ts.is_null() {
        return ts;
    }
    implicit_state()
}

#[cold]
fn implicit_state() -> *mut PyThreadState {
    if crate::pystate::PyGILState_GetThisThreadState().is_null() {
        crate::pystate::current()
    } else {
        null_mut()
    }
}

/// Pushes `cs` (tagged with `tag`) on the calling thread's stack.
///
/// # Safety
/// `ts` is the calling thread's live state, `cs` the caller's section.
#[inline]
unsafe fn push(ts: *mut PyThreadState, cs: *mut PyCriticalSection, tag: usize) {
    // SAFETY: per the contract.
    unsafe {
        (*cs)._cs_prev = (*ts).critical_section;
        (*ts).critical_section = cs as usize | tag;
    }
}

/// `_PyCriticalSection_Pop`: takes `cs` off the stack and resumes the section below when it
/// is suspended.
///
/// # Safety
/// `cs` is the calling thread's top-most section.
#[inline]
unsafe fn pop(cs: *mut PyCriticalSection) {
    let ts = crate::pystate::attached();
    if ts.is_null() {
        return;
    }
    // SAFETY: per the contract.
    unsafe {
        if untag((*ts).critical_section) != cs {
            // Begun while the thread had no attached state: never pushed.
            return;
        }
        let prev = (*cs)._cs_prev;
        (*ts).critical_section = prev;
        if prev & INACTIVE != 0 {
            resume(ts);
        }
    }
}

/// `PyCriticalSection_BeginMutex`: locks `m` and pushes `cs`.
#[inline]
pub(crate) fn begin_mutex(cs: *mut PyCriticalSection, m: *mut PyMutex) {
    let ts = section_state();
    if !ts.is_null() && lock_fast(m) {
        // SAFETY: the calling thread's state and section.
        unsafe {
            (*cs)._cs_mutex = m;
            push(ts, cs, 0);
        }
        return;
    }
    begin_slow(cs, m);
}

/// `_PyCriticalSection_BeginSlow`: the top-most-section skip, else push (with no mutex yet,
/// so that a detach while waiting releases nothing for it) and lock `m`, parking detached.
#[cold]
pub(crate) fn begin_slow(cs: *mut PyCriticalSection, m: *mut PyMutex) {
    let ts = section_state();
    // SAFETY: the caller's section and the calling thread's state.
    unsafe {
        if ts.is_null() {
            // No attached state (a thread exiting, or gilgate's own code run detached): no
            // stack to keep; End only unlocks.
            lock(m);
            (*cs)._cs_prev = 0;
            (*cs)._cs_mutex = m;
            return;
        }
        if top_holds(ts, m) {
            (*cs)._cs_prev = 0;
            (*cs)._cs_mutex = null_mut();
            return;
        }
        (*cs)._cs_mutex = null_mut();
        push(ts, cs, 0);
        let _w = crate::wait_record::waiting(crate::wait_record::Wait::Section(m as usize, 0));
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
    let ts = section_state();
    if !ts.is_null() && lock_fast(m1) {
        if lock_fast(m2) {
            // SAFETY: the calling thread's state and section.
            unsafe {
                (*cs)._cs_base._cs_mutex = m1;
                (*cs)._cs_mutex2 = m2;
                push(ts, cs.cast(), TWO_MUTEXES);
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
    let ts = section_state();
    // SAFETY: the caller's section and the calling thread's state.
    unsafe {
        if ts.is_null() {
            if !m1_locked {
                lock(m1);
            }
            lock(m2);
            (*cs)._cs_base._cs_prev = 0;
            (*cs)._cs_base._cs_mutex = m1;
            (*cs)._cs_mutex2 = m2;
            return;
        }
        if !m1_locked && top_holds(ts, m1) && top_holds(ts, m2) {
            (*cs)._cs_base._cs_prev = 0;
            (*cs)._cs_base._cs_mutex = null_mut();
            (*cs)._cs_mutex2 = null_mut();
            return;
        }
        (*cs)._cs_base._cs_mutex = null_mut();
        (*cs)._cs_mutex2 = null_mut();
        push(ts, cs.cast(), TWO_MUTEXES);
        let _w = crate::wait_record::waiting(crate::wait_record::Wait::Section(
            m1 as usize,
            m2 as usize,
        ));
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

/// `_PyCriticalSection_SuspendAll`: releases the mutexes of every active section of `ts`, top
/// down, and marks each suspended (the mutex pointers stay, to be re-taken).
///
/// # Safety
/// `ts` is the calling thread's live state.
unsafe fn suspend(ts: *mut PyThreadState) {
    // SAFETY: per the contract; the sections on the stack are live.
    unsafe {
        let mut at: *mut usize = &raw mut (*ts).critical_section;
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

/// `_PyCriticalSection_Resume`: re-takes the mutexes of the top-most section of `ts` (which
/// is suspended), lowest first. While it waits the section names no mutex, so that a detach
/// in the middle releases nothing twice.
///
/// # Safety
/// `ts` is the calling thread's live state.
#[cold]
unsafe fn resume(ts: *mut PyThreadState) {
    // SAFETY: per the contract; the sections on the stack are live.
    unsafe {
        let tag = (*ts).critical_section;
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
        (*ts).critical_section &= !INACTIVE;
    }
}

/// Called when the thread detaches (`ceval::detach`): releases the mutexes of every critical
/// section the thread holds, so a thread waiting for them can go on.
pub(crate) fn suspend_all() {
    let ts = crate::pystate::attached();
    if !ts.is_null() {
        // SAFETY: the calling thread's state.
        unsafe { suspend(ts) }
    }
}

/// Called when the thread attaches again (`ceval::attach`): re-takes the mutexes of the
/// top-most critical section only, as CPython does; outer ones are re-taken as sections end.
pub(crate) fn resume_top() {
    let ts = crate::pystate::attached();
    if !ts.is_null() {
        // SAFETY: the calling thread's state.
        unsafe { resume(ts) }
    }
}

#[export]
pub unsafe fn PyCriticalSection_Begin(cs: *mut PyCriticalSection, op: *mut PyObject) {
    begin_mutex(cs, mutex_of(op))
}

#[export]
pub unsafe fn PyCriticalSection_BeginMutex(cs: *mut PyCriticalSection, m: *mut PyMutex) {
    begin_mutex(cs, m)
}

#[export]
pub unsafe fn PyCriticalSection_End(cs: *mut PyCriticalSection) {
    // SAFETY: per the C API contract.
    unsafe { end(cs) }
}

#[export]
pub unsafe fn PyCriticalSection2_Begin(
    cs: *mut PyCriticalSection2,
    a: *mut PyObject,
    b: *mut PyObject,
) {
    begin2_mutex(cs, mutex_of(a), mutex_of(b))
}

#[export]
pub unsafe fn PyCriticalSection2_BeginMutex(
    cs: *mut PyCriticalSection2,
    a: *mut PyMutex,
    b: *mut PyMutex,
) {
    begin2_mutex(cs, a, b)
}

#[export]
pub unsafe fn PyCriticalSection2_End(cs: *mut PyCriticalSection2) {
    // SAFETY: per the C API contract.
    unsafe { end2(cs) }
}

/// `_PyCriticalSection_BeginSlow(c, m)`: what the core's inline Begin calls when its CAS fails.
#[export]
pub unsafe fn _PyCriticalSection_BeginSlow(cs: *mut PyCriticalSection, m: *mut PyMutex) {
    begin_slow(cs, m)
}

/// `_PyCriticalSection2_BeginSlow(c, m1, m2, is_m1_locked)`: `m1` is the lower address.
#[export]
pub unsafe fn _PyCriticalSection2_BeginSlow(
    cs: *mut PyCriticalSection2,
    m1: *mut PyMutex,
    m2: *mut PyMutex,
    is_m1_locked: c_int,
) {
    begin2_slow(cs, m1, m2, is_m1_locked != 0)
}

/// `_PyCriticalSection_SuspendAll(tstate)`: only the calling thread's own state is accepted
/// (another thread's stack is not ours to walk); NULL means the caller's.
#[export]
pub unsafe fn _PyCriticalSection_SuspendAll(ts: *mut PyThreadState) {
    if ts.is_null() || ts == crate::pystate::attached() {
        suspend_all();
    }
}

/// `_PyCriticalSection_Resume(tstate)`: as `_PyCriticalSection_SuspendAll`.
#[export]
pub unsafe fn _PyCriticalSection_Resume(ts: *mut PyThreadState) {
    if ts.is_null() || ts == crate::pystate::attached() {
        resume_top();
    }
}
