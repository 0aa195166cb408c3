//! The live-object counter (`gilgate_capi::host::live_objects`): objects count from creation until their
//! `tp_dealloc` runs, on every allocation path, across threads. One test function: the
//! counter is process-wide, and parallel tests in this binary would disturb it.

use gilgate_capi::ffi::_Py_DecRef;
use gilgate_capi::ffi::PyDict_New;
use gilgate_capi::ffi::PyDict_SetItem;
use gilgate_capi::ffi::PyFloat_FromDouble;
use gilgate_capi::ffi::PyList_Append;
use gilgate_capi::ffi::PyList_New;
use gilgate_capi::ffi::PyLong_FromLong;
use gilgate_capi::ffi::PyNumber_Add;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyTuple_New;
use gilgate_capi::ffi::PyTuple_SetItem;
use gilgate_capi::ffi::PyTypeObject;
use gilgate_capi::ffi::PyUnicode_FromString;
use gilgate_capi::host::live_objects;
use gilgate_capi::host::merge_pending;
use gilgate_capi::testing::object::static_type;

/// A type whose instances are made the way old extensions make them: raw `PyObject_Malloc`
/// memory, `PyObject_Init`, and `tp_free` = `PyObject_Free` (so no gilgate free path runs).
unsafe extern "C" fn raw_dealloc(op: *mut PyObject) {
    // SAFETY: memory from PyObject_Malloc.
    unsafe { gilgate_capi::ffi::PyObject_Free(op.cast()) }
}

static mut RAW: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(raw_dealloc),
    ..static_type(c"raw", 32, 0, 0)
};

fn decref(o: *mut PyObject) {
    // SAFETY: a live object whose reference the test owns.
    unsafe { _Py_DecRef(o) }
}

#[test]
fn live_object_counter() {
    gilgate_capi::host::initialize().unwrap();
    let base = live_objects();

    // Small ints are static: creating them creates nothing.
    let small = PyLong_FromLong(5);
    assert_eq!(live_objects(), base);
    decref(small);

    // Each new object counts once; the count returns after each is freed.
    let big = PyLong_FromLong(1 << 40);
    assert_eq!(live_objects(), base + 1);
    let f = PyFloat_FromDouble(2.5);
    assert_eq!(live_objects(), base + 2);
    // SAFETY: live objects we own.
    let sum = unsafe { PyNumber_Add(big, big) };
    assert!(!sum.is_null());
    assert_eq!(live_objects(), base + 3);
    decref(sum);
    decref(f);
    decref(big);
    assert_eq!(live_objects(), base);

    // Containers free what they hold.
    let l = PyList_New(0);
    let t = PyTuple_New(2);
    // SAFETY: fresh objects; SetItem steals the references.
    unsafe {
        PyTuple_SetItem(t, 0, PyFloat_FromDouble(1.0));
        PyTuple_SetItem(t, 1, PyUnicode_FromString(c"some text".as_ptr()));
    }
    for i in 0..100 {
        let v = PyLong_FromLong(1_000_000 + i);
        // SAFETY: live objects.
        assert_eq!(unsafe { PyList_Append(l, v) }, 0);
        decref(v);
    }
    let d = PyDict_New();
    // SAFETY: live objects.
    assert_eq!(unsafe { PyDict_SetItem(d, t, l) }, 0);
    assert_eq!(live_objects(), base + 1 + 1 + 2 + 100 + 1);
    decref(t);
    decref(l);
    assert_eq!(live_objects(), base + 1 + 1 + 2 + 100 + 1);
    decref(d);
    assert_eq!(live_objects(), base);

    // Many create/free rounds (free lists, if any, must keep it exact).
    for i in 0..10_000 {
        let a = PyFloat_FromDouble(i as f64);
        let b = PyLong_FromLong(i << 35);
        decref(a);
        decref(b);
    }
    assert_eq!(live_objects(), base);

    // Exceptions (their own free list): the instance and its args tuple count while set.
    for _ in 0..1_000 {
        // SAFETY: a live exception type and a NUL-terminated message.
        unsafe {
            gilgate_capi::ffi::PyErr_SetString(
                gilgate_capi::ffi::PyExc_ValueError,
                c"a message longer than a short str".as_ptr(),
            )
        };
        assert_eq!(live_objects(), base + 3);
        gilgate_capi::ffi::PyErr_Clear();
    }
    assert_eq!(live_objects(), base);

    // PyObject_Malloc + PyObject_Init, freed with PyObject_Free by the type's dealloc.
    // SAFETY: enough memory for the type's basic size; RAW is a ready static type.
    let raw = unsafe {
        let m = gilgate_capi::ffi::PyObject_Malloc(32).cast::<PyObject>();
        gilgate_capi::ffi::PyObject_Init(m, &raw mut RAW)
    };
    assert_eq!(live_objects(), base + 1);
    decref(raw);
    assert_eq!(live_objects(), base);

    // Objects created on another thread and freed here, and the other way round.
    let made = std::thread::spawn(|| PyFloat_FromDouble(7.0) as usize)
        .join()
        .unwrap();
    assert_eq!(live_objects(), base + 1);
    decref(made as *mut PyObject);
    merge_pending();
    assert_eq!(live_objects(), base);
    let here = PyFloat_FromDouble(8.0) as usize;
    std::thread::spawn(move || decref(here as *mut PyObject))
        .join()
        .unwrap();
    merge_pending();
    assert_eq!(live_objects(), base);
    // An object freed by a thread that never made one (its counter not registered yet): the
    // main thread drops its own reference while another thread holds one, so the count is
    // merged and the last decrement, on a fresh thread, frees it there.
    let merged = PyFloat_FromDouble(9.0) as usize;
    // SAFETY: a live object; the reference taken here is dropped on the next thread.
    std::thread::spawn(move || unsafe { gilgate_capi::ffi::Py_IncRef(merged as *mut PyObject) })
        .join()
        .unwrap();
    decref(merged as *mut PyObject);
    assert_eq!(live_objects(), base + 1);
    std::thread::spawn(move || decref(merged as *mut PyObject))
        .join()
        .unwrap();
    assert_eq!(live_objects(), base);

    // Threads that churn through the per-thread free lists (floats, small ints, short tuples)
    // and exit with objects still alive: their counts, parked blocks and owner records are
    // retired at exit, and the objects they leave behind are counted until freed here.
    let left: Vec<usize> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                for k in 0..20_000 {
                    let f = PyFloat_FromDouble(k as f64 + 0.5);
                    let n = PyLong_FromLong(1000 + k);
                    // SAFETY: fresh objects we own; the tuple steals the int.
                    let t = unsafe {
                        let t = PyTuple_New(2);
                        assert_eq!(PyTuple_SetItem(t, 0, n), 0);
                        assert_eq!(PyTuple_SetItem(t, 1, PyLong_FromLong(k)), 0);
                        t
                    };
                    decref(f);
                    decref(t);
                }
                [
                    PyFloat_FromDouble(i as f64) as usize,
                    PyLong_FromLong(10_000 + i) as usize,
                ]
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    // The float and the int of each thread are live.
    assert_eq!(live_objects(), base + 8);
    for o in left {
        decref(o as *mut PyObject);
    }
    merge_pending();
    assert_eq!(live_objects(), base);
}
