//! The parent the biased-refcount core (`capi/src/runtime/refcount/brc.rs`) expects, for the
//! models: a model object (the three count fields as loom atomics and a freed mark), the
//! refcount constants, `dealloc` (marks the object freed, failing on a second free) and
//! `thread_id` (a per-model-thread number). Every hook checks that the object was not freed
//! yet, so a use after free fails the model; the mark is a loom cell, so an access that is not
//! ordered before the free is reported too.

// CPython's names for CPython's constants.
#![allow(non_upper_case_globals)]

use loom::cell::UnsafeCell;
use loom::sync::atomic::{AtomicIsize, AtomicU32, AtomicUsize, Ordering};
use std::cell::Cell;

#[path = "../../src/runtime/refcount/brc.rs"]
pub(crate) mod brc;

// CPython 3.14t's values (`Include/refcount.h`, `Include/object.h`), as capi's `object.rs`
// has them.
pub(crate) const _Py_UNOWNED_TID: usize = 0;
pub(crate) const _Py_REF_SHARED_SHIFT: u32 = 2;
pub(crate) const _Py_REF_SHARED_FLAG_MASK: isize = 0x3;
pub(crate) const _Py_REF_MAYBE_WEAKREF: isize = 1;
pub(crate) const _Py_REF_QUEUED: isize = 2;
pub(crate) const _Py_REF_MERGED: isize = 3;

/// A model object: its counts and how many times it was freed.
pub(crate) struct PyObject {
    ob_tid: AtomicUsize,
    ob_ref_local: AtomicU32,
    ob_ref_shared: AtomicIsize,
    frees: UnsafeCell<usize>,
}

// SAFETY: `frees` is written once, by the thread that frees the object, after every other
// access (what the models check).
unsafe impl Sync for PyObject {}
// SAFETY: as above.
unsafe impl Send for PyObject {}

impl PyObject {
    /// An object made by the calling thread, holding `refs` references in its local count
    /// (the creator registers as an owner first, as capi's allocation does).
    pub(crate) fn new(refs: u32) -> PyObject {
        brc::register_thread();
        PyObject {
            ob_tid: AtomicUsize::new(thread_id()),
            ob_ref_local: AtomicU32::new(refs),
            ob_ref_shared: AtomicIsize::new(0),
            frees: UnsafeCell::new(0),
        }
    }

    pub(crate) fn ptr(&self) -> *mut PyObject {
        self as *const PyObject as *mut PyObject
    }

    /// How many times the object was freed (read after joining every thread).
    pub(crate) fn frees(&self) -> usize {
        // SAFETY: every writer has been joined.
        self.frees.with(|v| unsafe { *v })
    }

    fn check_live(&self) {
        // SAFETY: a read; loom reports it if a free is not ordered with it.
        self.frees
            .with(|v| assert_eq!(unsafe { *v }, 0, "an object is used after its free"));
    }
}

/// The hooks' objects live in the model's `Arc`s for the whole execution.
fn obj(op: *mut PyObject) -> &'static PyObject {
    // SAFETY: the models keep every object alive until their threads are joined.
    let o = unsafe { &*op };
    o.check_live();
    o
}

pub(crate) unsafe fn local(op: *mut PyObject) -> &'static AtomicU32 {
    &obj(op).ob_ref_local
}

pub(crate) unsafe fn shared(op: *mut PyObject) -> &'static AtomicIsize {
    &obj(op).ob_ref_shared
}

pub(crate) unsafe fn tid(op: *mut PyObject) -> &'static AtomicUsize {
    &obj(op).ob_tid
}

/// `tp_dealloc`: marks the object freed; a second free fails the model.
pub(crate) unsafe fn dealloc(op: *mut PyObject) {
    let o = obj(op);
    // SAFETY: the write loom checks against every other access of the object.
    o.frees.with_mut(|v| unsafe { *v += 1 });
}

loom::lazy_static! {
    static ref NEXT_ID: AtomicUsize = AtomicUsize::new(1);
}

loom::thread_local! {
    static ID: Cell<usize> = Cell::new(NEXT_ID.fetch_add(1, Ordering::Relaxed));
}

/// `_Py_ThreadId()` of a model thread (never 0, `_Py_UNOWNED_TID`).
pub(crate) fn thread_id() -> usize {
    ID.with(Cell::get)
}
