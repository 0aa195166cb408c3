//! Per-object locking of `set` and `bytearray` under concurrent mutation (free threading):
//! several threads mutate one object at once and every update must land exactly once; a
//! bytearray locked by a critical section of the calling thread stays usable from it.

use gilgate_capi::ffi::PyByteArray_FromStringAndSize;
use gilgate_capi::ffi::PyByteArray_Resize;
use gilgate_capi::ffi::PyByteArray_Size;
use gilgate_capi::ffi::PyCriticalSection;
use gilgate_capi::ffi::PyCriticalSection_Begin;
use gilgate_capi::ffi::PyCriticalSection_End;
use gilgate_capi::ffi::PyLong_AsLong;
use gilgate_capi::ffi::PyLong_FromLong;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyObject_GetItem;
use gilgate_capi::ffi::PySequence_InPlaceConcat;

use gilgate_capi::ffi::PySet_Add;
use gilgate_capi::ffi::PySet_New;
use gilgate_capi::ffi::PySet_Pop;
use gilgate_capi::ffi::PySet_Size;
use gilgate_capi::host::decref;
use std::collections::HashSet;
use std::ptr::null_mut;

const THREADS: i64 = 4;
const PER_THREAD: i64 = 3000;
const BA_PER_THREAD: i64 = 40_000;

#[test]
fn set_adds_and_pops_from_several_threads_land_once() {
    gilgate_capi::host::initialize().expect("runtime initializes");
    // SAFETY: a fresh empty set.
    let s = unsafe { PySet_New(null_mut()) } as usize;
    let popped: Vec<Vec<i64>> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..THREADS)
            .map(|t| {
                sc.spawn(move || {
                    let s = s as *mut PyObject;
                    let mut got = Vec::new();
                    for i in 0..PER_THREAD {
                        // SAFETY: live objects; the set is shared on purpose.
                        unsafe {
                            let k = PyLong_FromLong((t * 1_000_000 + i) as _);
                            assert_eq!(PySet_Add(s, k), 0);
                            decref(k);
                            if i % 3 == 0 {
                                let p = PySet_Pop(s);
                                assert!(!p.is_null());
                                got.push(PyLong_AsLong(p) as i64);
                                decref(p);
                            }
                        }
                    }
                    got
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let all: Vec<i64> = popped.into_iter().flatten().collect();
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "no element is popped twice");
    let s = s as *mut PyObject;
    // SAFETY: a live set; `used` is read inline by PySet_GET_SIZE.
    unsafe {
        let left = PySet_Size(s) as i64;
        assert_eq!(left + all.len() as i64, THREADS * PER_THREAD);
        let used = (*s.cast::<gilgate_capi::ffi::PySetObject>()).used as i64;
        assert_eq!(used, left, "the inline size agrees");
        decref(s);
    }
}

#[test]
fn bytearray_appends_from_several_threads_all_land() {
    gilgate_capi::host::initialize().expect("runtime initializes");
    // SAFETY: a fresh empty bytearray.
    let ba = unsafe { PyByteArray_FromStringAndSize(null_mut(), 0) } as usize;
    std::thread::scope(|sc| {
        for t in 0..THREADS {
            sc.spawn(move || {
                let ba = ba as *mut PyObject;
                // SAFETY: live objects; the bytearray is shared on purpose.
                unsafe {
                    let one = PyByteArray_FromStringAndSize(c"x".as_ptr(), 1);
                    let zero = PyLong_FromLong(0);
                    for i in 0..BA_PER_THREAD {
                        let r = PySequence_InPlaceConcat(ba, one);
                        assert_eq!(r, ba);
                        decref(r);
                        if (i + t) % 50 == 0 {
                            // Reads while others grow it (reallocating the buffer).
                            let b = PyObject_GetItem(ba, zero);
                            assert_eq!(PyLong_AsLong(b), i64::from(b'x') as _);
                            decref(b);
                        }
                    }
                    decref(zero);
                    decref(one);
                }
            });
        }
    });
    let ba = ba as *mut PyObject;
    // SAFETY: a live bytearray.
    unsafe {
        assert_eq!(PyByteArray_Size(ba) as i64, THREADS * BA_PER_THREAD);
        decref(ba);
    }
}

#[test]
fn a_critical_section_on_a_bytearray_lets_its_thread_resize_it() {
    gilgate_capi::host::initialize().expect("runtime initializes");
    // SAFETY: a fresh bytearray; the section is begun and ended on this thread.
    unsafe {
        let ba = PyByteArray_FromStringAndSize(c"abc".as_ptr(), 3);
        let mut cs = std::mem::MaybeUninit::<PyCriticalSection>::uninit();
        PyCriticalSection_Begin(cs.as_mut_ptr(), ba);
        assert_eq!(PyByteArray_Resize(ba, 10), 0);
        assert_eq!(PyByteArray_Size(ba), 10);
        PyCriticalSection_End(cs.as_mut_ptr());
        // And the lock is free again for everybody.
        std::thread::scope(|sc| {
            let p = ba as usize;
            sc.spawn(move || assert_eq!(PyByteArray_Resize(p as *mut PyObject, 2), 0));
        });
        assert_eq!(PyByteArray_Size(ba), 2);
        decref(ba);
    }
}
