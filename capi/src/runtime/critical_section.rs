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
use crate::object::{PyMutex, PyObject};
use crate::pystate::PyThreadState;
use std::ffi::c_int;
use std::ptr::null_mut;

mod stack;
pub(crate) use crate::lock::{lock_fast, unlock_or_abort};

/// `crate::lock::lock` for the section core: a section's wait is recorded as the section's
/// (`runtime/wait_record.rs`), the uncontended path untouched.
#[inline]
fn lock(m: *mut PyMutex) {
    if !lock_fast(m) {
        let _w = crate::wait_record::waiting(crate::wait_record::Wait::Section(m as usize));
        crate::lock::lock(m);
    }
}
pub use stack::{PyCriticalSection, PyCriticalSection2};
pub(crate) use stack::{
    begin_mutex, begin_slow, begin2_mutex, begin2_slow, end, end2, held_by_current_thread,
    resume_top, suspend_all,
};

#[inline]
fn mutex_of(op: *mut PyObject) -> *mut PyMutex {
    // SAFETY: `op` is a live object (C API contract).
    unsafe { &raw mut (*op).ob_mutex }
}

/// The stack head (`PyThreadState.critical_section`) of the attached state, NULL when the
/// thread has none attached.
#[inline]
fn attached_head() -> *mut usize {
    head_of(crate::pystate::attached())
}

#[inline]
fn head_of(ts: *mut PyThreadState) -> *mut usize {
    if ts.is_null() {
        return null_mut();
    }
    // SAFETY: a live thread state (the calling thread's).
    unsafe { &raw mut (*ts).critical_section }
}

/// The stack a new section goes on: the attached state's; for a thread that never had one, a
/// new attached state's (gilgate's implicit attach, as `PyThreadState_Get`); NULL for a thread
/// whose state is detached (gilgate's own code run detached) or that is exiting: the section
/// then only locks.
#[inline]
fn section_head() -> *mut usize {
    let ts = crate::pystate::attached();
    if !ts.is_null() {
        return head_of(ts);
    }
    head_of(implicit_state())
}

#[cold]
fn implicit_state() -> *mut PyThreadState {
    if crate::pystate::PyGILState_GetThisThreadState().is_null() {
        crate::pystate::current()
    } else {
        null_mut()
    }
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
