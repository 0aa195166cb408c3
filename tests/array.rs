//! `array.array` from C: the buffer protocol (`PyObject_GetBuffer`, BufferError on a resize
//! while exported) and the object's fields read and resized inline as Cython's
//! `cpython.array` does (`tests/c/array/arrcheck.c`).

mod support;

use gilgate::capi::ffi::{
    Py_DecRef, PyImport_ImportModule, PyLong_FromLong, PyObject, PyObject_CallNoArgs,
    PyObject_CallOneArg, PyObject_GetAttrString, PyObject_Size,
};
use gilgate::{Loader, Policy};
use std::sync::{Arc, Barrier};
use support::cc;

#[test]
fn c_extensions_read_and_resize_arrays() {
    let dir = cc::out_dir("array").join(format!("p{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    cc::shared(
        cc::fixture("array/arrcheck.c"),
        dir.join("arrcheck.cpython-314t-x86_64-linux-gnu.so"),
    )
    .build();
    let host: &'static mut Loader = Box::leak(Box::new(Loader::new(Policy::Module)));
    let m = host
        .load("arrcheck", &[dir])
        .unwrap_or_else(|e| panic!("arrcheck: {e}"));
    // SAFETY: a live module; `check` takes no arguments and returns a str.
    let text = unsafe {
        let f = PyObject_GetAttrString(m.as_ptr(), c"check".as_ptr());
        assert!(!f.is_null());
        let r: *mut PyObject = PyObject_CallNoArgs(f);
        assert!(!r.is_null(), "{:?}", gilgate::capi::host::take_exception());
        let s = gilgate::capi::ffi::PyUnicode_AsUTF8(r);
        std::ffi::CStr::from_ptr(s).to_string_lossy().into_owned()
    };
    assert_eq!(
        text,
        "buf len=12 itemsize=4 format=i ndim=1 shape=3 items=1,2,3; \
         append while exported: BufferError; \
         fields size=4 typecode=i itemsize=4 exports=0 items=1,20,3,4; \
         getitem(1)=20; after resize [1, 20, 3, 4, 50, 60]"
    );
    appends_from_threads_are_all_kept();
}

/// Four threads append to one array while a fifth reads it: every append is kept and every
/// `tobytes()` seen holds whole items (the array's critical section around each access).
fn appends_from_threads_are_all_kept() {
    const THREADS: usize = 4;
    const ROUNDS: i64 = 2000;
    // SAFETY: live objects throughout; each call's result is checked and released.
    let a = unsafe {
        let m = PyImport_ImportModule(c"array".as_ptr());
        assert!(!m.is_null());
        let t = PyObject_GetAttrString(m, c"array".as_ptr());
        let code = gilgate::capi::ffi::PyUnicode_FromString(c"q".as_ptr());
        let a = PyObject_CallOneArg(t, code);
        assert!(!a.is_null(), "{:?}", gilgate::capi::host::take_exception());
        Py_DecRef(code);
        Py_DecRef(t);
        a as usize
    };
    let go = Arc::new(Barrier::new(THREADS + 1));
    let mut hs: Vec<_> = (0..THREADS)
        .map(|_| {
            let go = go.clone();
            std::thread::spawn(move || {
                go.wait();
                // SAFETY: `a` stays alive until every thread is joined.
                unsafe {
                    let f = PyObject_GetAttrString(a as *mut PyObject, c"append".as_ptr());
                    for k in 0..ROUNDS {
                        let v = PyLong_FromLong(k as _);
                        let r = PyObject_CallOneArg(f, v);
                        assert!(!r.is_null());
                        Py_DecRef(r);
                        Py_DecRef(v);
                    }
                    Py_DecRef(f);
                }
            })
        })
        .collect();
    let reader = go.clone();
    hs.push(std::thread::spawn(move || {
        reader.wait();
        // SAFETY: as above.
        unsafe {
            let f = PyObject_GetAttrString(a as *mut PyObject, c"tobytes".as_ptr());
            for _ in 0..200 {
                let b = PyObject_CallNoArgs(f);
                assert!(!b.is_null());
                assert_eq!(PyObject_Size(b) % 8, 0);
                Py_DecRef(b);
            }
            Py_DecRef(f);
        }
    }));
    gilgate::capi::host::allow_threads(|| {
        for h in hs {
            h.join().unwrap();
        }
    });
    // SAFETY: a live array.
    let n = unsafe { PyObject_Size(a as *mut PyObject) };
    assert_eq!(n, THREADS as isize * ROUNDS as isize);
    // SAFETY: the last reference.
    unsafe { Py_DecRef(a as *mut PyObject) };
}
