//! `object/extra.rs`: Py_GetConstant, the repr guard, the trashcan, the reference helpers and
//! PyObject_GC_IsTracked, checked through their exported functions.

use gilgate_capi::ffi::Py_REFCNT;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::*;
use gilgate_capi::host::ExcInfo;
use gilgate_capi::host::decref;
use gilgate_capi::testing::object::near_stack_limit;
use gilgate_capi::testing::unicodeobject as uni;
use std::sync::atomic::{AtomicUsize, Ordering};

fn init() {
    gilgate_capi::host::initialize().expect("runtime initializes");
}

fn repr(o: *mut PyObject) -> String {
    // SAFETY: a live object.
    unsafe {
        let r = gilgate_capi::ffi::PyObject_Repr(o);
        assert!(!r.is_null(), "{:?}", gilgate_capi::host::take_exception());
        let t = uni::as_str(r).unwrap().to_owned();
        decref(r);
        t
    }
}

#[test]
fn constants_in_their_documented_order() {
    init();
    let want = [
        "None",
        "False",
        "True",
        "Ellipsis",
        "NotImplemented",
        "0",
        "1",
        "''",
        "b''",
        "()",
    ];
    for (id, text) in want.iter().enumerate() {
        let strong = Py_GetConstant(id as u32);
        let borrowed = Py_GetConstantBorrowed(id as u32);
        assert_eq!(strong, borrowed, "constant {id} is one object");
        assert_eq!(repr(strong), *text);
        // SAFETY: a strong reference we own.
        unsafe { decref(strong) };
    }
    assert!(Py_GetConstant(10).is_null());
    let ExcInfo { type_name, .. } = gilgate_capi::host::take_exception().expect("an exception");
    assert_eq!(type_name, "SystemError");
    assert!(Py_GetConstantBorrowed(u32::MAX).is_null());
    assert!(gilgate_capi::host::take_exception().is_some());
}

#[test]
fn repr_guard_nests_per_object() {
    init();
    let a = uni::from_str("a");
    let b = uni::from_str("b");
    assert_eq!(Py_ReprEnter(a), 0);
    assert_eq!(Py_ReprEnter(a), 1, "a's repr is already running");
    assert_eq!(Py_ReprEnter(b), 0);
    Py_ReprLeave(a);
    assert_eq!(Py_ReprEnter(a), 0, "leaving forgot a");
    Py_ReprLeave(a);
    Py_ReprLeave(b);
    assert_eq!(Py_ReprEnter(b), 0);
    Py_ReprLeave(b);
    // leaving an object that never entered is harmless
    Py_ReprLeave(a);
    // another thread has its own list
    assert_eq!(Py_ReprEnter(a), 0);
    let addr = a as usize;
    let other = std::thread::spawn(move || Py_ReprEnter(addr as *mut PyObject))
        .join()
        .unwrap();
    assert_eq!(other, 0);
    Py_ReprLeave(a);
    // SAFETY: references we own.
    unsafe {
        decref(a);
        decref(b);
    }
}

#[test]
fn stack_limit_is_far_in_a_shallow_call_and_near_when_deep() {
    init();
    assert!(!near_stack_limit(2));
    assert_eq!(
        _Py_ReachedRecursionLimitWithMargin(std::ptr::null_mut(), 2),
        0
    );
    // a thread with a small stack: recurse until the check answers yes, well before overflow
    let depth = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            fn dive(n: usize) -> usize {
                let pad = std::hint::black_box([0u8; 512]);
                if near_stack_limit(2) {
                    return n + pad[0] as usize;
                }
                dive(n + 1) + std::hint::black_box(0)
            }
            dive(0)
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(depth > 100, "reached the limit after only {depth} frames");
}

static DEALLOCS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn trashcan_chain_runs_the_postponed_deallocs() {
    init();
    use gilgate_capi::ffi::PyThreadState_Get;
    // SAFETY: a type object built here whose dealloc only counts; the objects are plain
    // allocations of it with refcount 0 when deposited (as the trashcan sees them).
    unsafe {
        let tstate = PyThreadState_Get();
        assert!((*tstate).delete_later.is_null());
        unsafe extern "C" fn count(op: *mut PyObject) {
            DEALLOCS.fetch_add(1, Ordering::SeqCst);
            // SAFETY: the test allocated `op` as a Box.
            drop(unsafe { Box::from_raw(op) });
        }
        let t: &'static mut gilgate_capi::ffi::PyTypeObject =
            Box::leak(Box::new(std::mem::zeroed()));
        t.tp_dealloc = Some(count);
        let mut objs = Vec::new();
        for _ in 0..3 {
            let o: *mut PyObject = Box::into_raw(Box::new(std::mem::zeroed()));
            (*o).ob_type = t;
            objs.push(o);
            _PyTrash_thread_deposit_object(tstate, o);
            assert_eq!((*tstate).delete_later, o);
        }
        assert_eq!(DEALLOCS.load(Ordering::SeqCst), 0);
        _PyTrash_thread_destroy_chain(tstate);
        assert_eq!(DEALLOCS.load(Ordering::SeqCst), 3);
        assert!((*tstate).delete_later.is_null());
    }
}

#[test]
fn reference_helpers() {
    init();
    let s = uni::from_str("a fresh string not interned");
    // SAFETY: a live object we own.
    unsafe {
        assert_eq!(PyUnstable_Object_IsUniquelyReferenced(s), 1);
        PyUnstable_EnableTryIncRef(s);
        assert_eq!(PyUnstable_TryIncRef(s), 1);
        assert_eq!(Py_REFCNT(s), 2);
        assert_eq!(PyUnstable_Object_IsUniquelyReferenced(s), 0);
        decref(s);
        // None is immortal: never uniquely referenced
        assert_eq!(
            PyUnstable_Object_IsUniquelyReferenced(Py_GetConstantBorrowed(0)),
            0
        );
        // a str is not a GC type: never tracked
        gilgate_capi::ffi::PyObject_GC_Track(s.cast());
        assert_eq!(PyObject_GC_IsTracked(s), 0);
        gilgate_capi::ffi::PyObject_GC_UnTrack(s.cast());
        // an object of a GC type answers what Track/UnTrack did
        let t: &'static mut gilgate_capi::ffi::PyTypeObject =
            Box::leak(Box::new(std::mem::zeroed()));
        t.tp_flags = gilgate_capi::ffi::Py_TPFLAGS_HAVE_GC;
        let o: *mut PyObject = Box::into_raw(Box::new(std::mem::zeroed()));
        (*o).ob_type = t;
        assert_eq!(PyObject_GC_IsTracked(o), 0);
        gilgate_capi::ffi::PyObject_GC_Track(o.cast());
        assert_eq!(PyObject_GC_IsTracked(o), 1);
        gilgate_capi::ffi::PyObject_GC_UnTrack(o.cast());
        assert_eq!(PyObject_GC_IsTracked(o), 0);
        drop(Box::from_raw(o));
        decref(s);
    }
}
