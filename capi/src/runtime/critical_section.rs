//! `cpython/critical_section.h`: per-object critical sections. Sections nest as a stack kept
//! in `PyThreadState.critical_section` (tagged pointer: bit 1 = two mutexes); gilgate never
//! suspends them (there is no stop-the-world), so End simply unlocks.

use crate::export;
use crate::object::{PyMutex, PyObject};
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

const TWO_MUTEXES: usize = 2;

fn push(cs: *mut PyCriticalSection, tag: usize) {
    let ts = crate::pystate::current();
    // SAFETY: `cs` is the caller's live section; the thread state is the calling thread's.
    unsafe {
        if let Some(t) = ts.as_mut() {
            (*cs)._cs_prev = t.critical_section;
            t.critical_section = cs as usize | tag;
        }
    }
}

fn pop(cs: *mut PyCriticalSection) {
    let ts = crate::pystate::current();
    // SAFETY: as in `push`.
    unsafe {
        if let Some(t) = ts.as_mut() {
            t.critical_section = (*cs)._cs_prev;
        }
    }
}

fn mutex_of(op: *mut PyObject) -> *mut PyMutex {
    // SAFETY: `op` is a live object (C API contract).
    unsafe { &raw mut (*op).ob_mutex }
}

/// Whether the calling thread holds `m` through one of its open critical sections (then
/// locking `m` again would deadlock; the holder may go on as if it had locked it).
pub(crate) fn held_by_current_thread(m: *mut PyMutex) -> bool {
    let ts = crate::pystate::current();
    // SAFETY: the thread state is the calling thread's; every section on its stack is live
    // (each is popped before its storage goes away).
    unsafe {
        let Some(t) = ts.as_ref() else { return false };
        let mut tagged = t.critical_section;
        while tagged != 0 {
            let cs = (tagged & !3) as *const PyCriticalSection;
            if (*cs)._cs_mutex == m
                || (tagged & TWO_MUTEXES != 0 && (*cs.cast::<PyCriticalSection2>())._cs_mutex2 == m)
            {
                return true;
            }
            tagged = (*cs)._cs_prev;
        }
        false
    }
}

/// Locks `m` and pushes `cs`.
pub(crate) fn begin_mutex(cs: *mut PyCriticalSection, m: *mut PyMutex) {
    crate::lock::lock(m);
    // SAFETY: `cs` is the caller's section.
    unsafe { (*cs)._cs_mutex = m };
    push(cs, 0);
}

/// Locks both mutexes in address order (once when equal) and pushes `cs`.
pub(crate) fn begin2_mutex(cs: *mut PyCriticalSection2, a: *mut PyMutex, b: *mut PyMutex) {
    if a == b {
        crate::lock::lock(a);
        // SAFETY: `cs` is the caller's section.
        unsafe {
            (*cs)._cs_base._cs_mutex = a;
            (*cs)._cs_mutex2 = null_mut();
        }
        push(cs.cast(), 0);
        return;
    }
    let (lo, hi) = if (a as usize) < (b as usize) {
        (a, b)
    } else {
        (b, a)
    };
    crate::lock::lock(lo);
    crate::lock::lock(hi);
    // SAFETY: `cs` is the caller's section.
    unsafe {
        (*cs)._cs_base._cs_mutex = lo;
        (*cs)._cs_mutex2 = hi;
    }
    push(cs.cast(), TWO_MUTEXES);
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
    pop(cs);
    // SAFETY: `cs` was begun by this thread.
    unsafe { crate::lock::unlock((*cs)._cs_mutex) };
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
    pop(cs.cast());
    // SAFETY: `cs` was begun by this thread.
    unsafe {
        if !(*cs)._cs_mutex2.is_null() {
            crate::lock::unlock((*cs)._cs_mutex2);
        }
        crate::lock::unlock((*cs)._cs_base._cs_mutex);
    }
}

/// Called when the thread detaches (`ceval::detach`): releases the mutexes of every critical
/// section the thread holds, so a thread waiting for them can go on. Not done yet: sections
/// stay held across a detach (issue 9 makes this real).
pub(crate) fn suspend_all() {}

/// Called when the thread attaches again (`ceval::attach`): re-takes the mutexes of the
/// top-most critical section only, as CPython does; outer ones are re-taken as sections end.
/// Not done yet (see `suspend_all`).
pub(crate) fn resume_top() {}
