//! Free-threaded reference counting through the exported slow paths, with a type that
//! counts its deallocations.

use gilgate_capi::ffi::_Py_REF_MERGED;
use gilgate_capi::ffi::_Py_REF_QUEUED;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyTypeObject;
use gilgate_capi::ffi::*;
use gilgate_capi::host::merge_pending;
use gilgate_capi::testing::object::static_type;
use gilgate_capi::testing::refcount;
use gilgate_capi::testing::refcount::pending_count;
use gilgate_capi::testing::refcount::thread_id;
use std::sync::atomic::{AtomicUsize, Ordering};

static DEALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn counting_dealloc(op: *mut PyObject) {
    DEALLOCS.fetch_add(1, Ordering::SeqCst);
    // SAFETY: a dead object from `alloc_object`.
    unsafe { gilgate_capi::testing::objimpl::default_dealloc(op) }
}

static mut COUNTED: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(counting_dealloc),
    ..static_type(c"counted", 32, 0, 0)
};

fn new_obj() -> usize {
    // SAFETY: COUNTED is a ready static type.
    unsafe { gilgate_capi::testing::objimpl::alloc_object(&raw mut COUNTED, 0) as usize }
}

// One test function so the dealloc counter is not shared between parallel tests.
#[test]
fn refcounting_paths() {
    gilgate_capi::host::initialize().unwrap();
    // Owner path: local count to zero deallocates at once.
    let o = new_obj() as *mut PyObject;
    // SAFETY: live objects we own throughout.
    unsafe {
        assert_eq!((*o).ob_tid, thread_id());
        assert_eq!(thread_id(), libc::pthread_self() as usize);
        assert_eq!((*o).ob_ref_local, 1);
        _Py_IncRef(o);
        assert_eq!(Py_REFCNT(o), 2);
        _Py_DecRef(o);
        let before = DEALLOCS.load(Ordering::SeqCst);
        _Py_DecRef(o);
        assert_eq!(DEALLOCS.load(Ordering::SeqCst), before + 1);
    }

    // Foreign decref of the last reference: queued to the owner, merged at its merge point.
    let o = new_obj();
    let before = DEALLOCS.load(Ordering::SeqCst);
    std::thread::spawn(move || {
        // SAFETY: the object is live; this thread does not own it.
        unsafe { _Py_DecRef(o as *mut PyObject) };
    })
    .join()
    .unwrap();
    // SAFETY: still alive: the queue holds it.
    unsafe {
        assert_eq!((*(o as *mut PyObject)).ob_ref_shared, _Py_REF_QUEUED);
    }
    assert_eq!(pending_count(), 1);
    assert_eq!(DEALLOCS.load(Ordering::SeqCst), before);
    merge_pending();
    assert_eq!(DEALLOCS.load(Ordering::SeqCst), before + 1);
    assert_eq!(pending_count(), 0);

    // Foreign incref, then owner drops its local reference: merged, freed by the last
    // shared decref.
    let o = new_obj();
    std::thread::spawn(move || {
        // SAFETY: live object.
        unsafe { _Py_IncRef(o as *mut PyObject) };
    })
    .join()
    .unwrap();
    let op = o as *mut PyObject;
    // SAFETY: live object with one local and one shared reference.
    unsafe {
        assert_eq!(Py_REFCNT(op), 2);
        let before = DEALLOCS.load(Ordering::SeqCst);
        _Py_DecRef(op);
        assert_eq!((*op).ob_tid, 0, "merged objects are unowned");
        assert_eq!((*op).ob_ref_shared & 3, _Py_REF_MERGED);
        assert_eq!(DEALLOCS.load(Ordering::SeqCst), before);
        _Py_DecRefShared(op);
        assert_eq!(DEALLOCS.load(Ordering::SeqCst), before + 1);
    }

    // Objects queued for a thread that has exited are merged right away.
    let (tx, rx) = std::sync::mpsc::channel::<usize>();
    std::thread::spawn(move || tx.send(new_obj()).unwrap())
        .join()
        .unwrap();
    let o = rx.recv().unwrap();
    let before = DEALLOCS.load(Ordering::SeqCst);
    // SAFETY: live object owned by a dead thread.
    unsafe { _Py_DecRef(o as *mut PyObject) };
    assert_eq!(DEALLOCS.load(Ordering::SeqCst), before + 1);

    // Immortal objects ignore everything.
    let none = gilgate_capi::testing::object::none();
    // SAFETY: static singleton.
    unsafe {
        _Py_DecRef(none);
        _Py_SetRefcnt(none, 5);
        assert_eq!(Py_REFCNT(none), 3 << 30);
        assert!(refcount::is_immortal(none));
    }
}
