//! Containers through the exported C API: list, tuple, dict, slice, set, str, bytes,
//! bytearray, range, iterators, memoryview and the buffer protocol. Expected values come from
//! running the same operations in CPython (3.11).

// (bytearray tests below)

use gilgate_capi::dictobject::*;
use gilgate_capi::listobject::*;
use gilgate_capi::longobject::{PyLong_AsLong, PyLong_FromLong};

use gilgate_capi::object::{
    Py_EQ, Py_LT, PyObject, PyObject_Hash, PyObject_Repr, PyTypeObject, static_type,
};

use gilgate_capi::pyerrors::{self, ExcInfo};

use gilgate_capi::refcount::Py_REFCNT;

use gilgate_capi::sliceobject::*;
use gilgate_capi::tupleobject::*;
use gilgate_capi::unicodeobject as uni;
use gilgate_capi::{iterobject, pylifecycle};
use std::ffi::{CStr, c_int};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};

fn init() {
    pylifecycle::initialize().expect("runtime initializes");
}

fn int(v: i64) -> *mut PyObject {
    PyLong_FromLong(v as _)
}

fn s(text: &str) -> *mut PyObject {
    uni::from_str(text)
}

/// `repr(o)` as a Rust string (panics on error).
fn repr(o: *mut PyObject) -> String {
    // SAFETY: live object.
    unsafe {
        let r = PyObject_Repr(o);
        assert!(
            !r.is_null(),
            "repr failed: {:?}",
            pyerrors::take_exception()
        );
        let t = uni::as_str(r).unwrap().to_owned();
        dec(r);
        t
    }
}

fn dec(o: *mut PyObject) {
    // SAFETY: an owned reference.
    unsafe { gilgate_capi::refcount::decref(o) }
}

fn err() -> (String, String) {
    let ExcInfo {
        type_name, message, ..
    } = pyerrors::take_exception().expect("an exception is set");
    (type_name, message)
}

fn no_err() {
    assert!(pyerrors::take_exception().is_none());
}

/// Calls a type slot through the abstract layer's entry point, which may not exist yet: the
/// mapping subscript slot.
fn getitem(o: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects; the slot exists for every container tested here.
    unsafe {
        let t = (*o).ob_type;
        ((*(*t).tp_as_mapping).mp_subscript.unwrap())(o, k)
    }
}

fn setitem(o: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: as getitem.
    unsafe {
        let t = (*o).ob_type;
        ((*(*t).tp_as_mapping).mp_ass_subscript.unwrap())(o, k, v)
    }
}

fn slice(a: Option<i64>, b: Option<i64>, c: Option<i64>) -> *mut PyObject {
    let f = |v: Option<i64>| v.map_or(null_mut(), int);
    let (x, y, z) = (f(a), f(b), f(c));
    // SAFETY: NULL or live objects.
    let sl = unsafe { PySlice_New(x, y, z) };
    for o in [x, y, z] {
        if !o.is_null() {
            dec(o);
        }
    }
    sl
}

fn list_of(vals: &[i64]) -> *mut PyObject {
    let l = PyList_New(0);
    for &v in vals {
        let o = int(v);
        // SAFETY: live objects.
        assert_eq!(unsafe { PyList_Append(l, o) }, 0);
        dec(o);
    }
    l
}

fn compare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> c_int {
    // SAFETY: live objects.
    unsafe { iterobject::compare_bool(a, b, op) }
}

/// Drains an iterator into reprs.
fn iterate(o: *mut PyObject) -> Vec<String> {
    // SAFETY: live object.
    unsafe {
        let it = iterobject::get_iter(o);
        assert!(!it.is_null());
        let mut out = Vec::new();
        while let Ok(Some(x)) = iterobject::next(it) {
            out.push(repr(x));
            dec(x);
        }
        no_err();
        dec(it);
        out
    }
}

// ---- a type that counts its live instances (leak checks) ----------------------------------

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn tracked_dealloc(op: *mut PyObject) {
    LIVE.fetch_sub(1, Ordering::SeqCst);
    // SAFETY: a dead object from alloc_object.
    unsafe { gilgate_capi::objimpl::default_dealloc(op) }
}

unsafe extern "C" fn tracked_hash(_op: *mut PyObject) -> isize {
    7
}

static mut TRACKED: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(tracked_dealloc),
    tp_hash: Some(tracked_hash),
    ..static_type(c"tracked", 32, 0, 0)
};

fn tracked() -> *mut PyObject {
    LIVE.fetch_add(1, Ordering::SeqCst);
    // SAFETY: a ready static type.
    unsafe { gilgate_capi::objimpl::alloc_object(&raw mut TRACKED, 0) }
}

// ---- list ---------------------------------------------------------------------------------

#[test]
fn list_basics_layout_and_growth() {
    init();
    let l = list_of(&[3, 1, 2]);
    assert_eq!(repr(l), "[3, 1, 2]");
    // SAFETY: live list.
    unsafe {
        let p = l.cast::<PyListObject>();
        assert_eq!((*p).ob_base.ob_size, 3);
        // CPython's growth: 0 -> 4 -> 8 -> 16 -> 24 -> 32 -> 40 -> 52 ...
        assert_eq!((*p).allocated, 4);
        let mut seen = vec![];
        let big = PyList_New(0);
        for i in 0..60 {
            let o = int(i);
            PyList_Append(big, o);
            dec(o);
            let a = (*big.cast::<PyListObject>()).allocated;
            if seen.last() != Some(&a) {
                seen.push(a);
            }
        }
        assert_eq!(seen, [4, 8, 16, 24, 32, 40, 52, 64]);
        dec(big);
        assert_eq!(PyLong_AsLong(PyList_GetItem(l, 0)), 3);
        assert!(PyList_GetItem(l, 3).is_null());
        assert_eq!(
            err(),
            ("IndexError".into(), "list index out of range".into())
        );
        assert_eq!(PyList_Size(l), 3);
        let x = int(10);
        assert_eq!(PyList_Insert(l, -1, x), 0);
        assert_eq!(PyList_Insert(l, 100, x), 0);
        dec(x);
        assert_eq!(repr(l), "[3, 1, 10, 2, 10]");
        assert_eq!(PyList_Sort(l), 0);
        assert_eq!(repr(l), "[1, 2, 3, 10, 10]");
        assert_eq!(PyList_Reverse(l), 0);
        assert_eq!(repr(l), "[10, 10, 3, 2, 1]");
        let t = PyList_AsTuple(l);
        assert_eq!(repr(t), "(10, 10, 3, 2, 1)");
        dec(t);
        let sl = PyList_GetSlice(l, 1, 3);
        assert_eq!(repr(sl), "[10, 3]");
        assert_eq!(PyList_SetSlice(l, 0, 2, null_mut()), 0);
        assert_eq!(repr(l), "[3, 2, 1]");
        assert_eq!(PyList_Extend(l, sl), 0);
        assert_eq!(repr(l), "[3, 2, 1, 10, 3]");
        dec(sl);
        let big = int(1 << 40);
        PyList_Append(l, big);
        dec(big);
        let before = Py_REFCNT(PyList_GetItem(l, 5));
        let r = PyList_GetItemRef(l, 5);
        assert_eq!(Py_REFCNT(r), before + 1);
        dec(r);
        assert_eq!(PyList_Clear(l), 0);
        assert_eq!(repr(l), "[]");
        let strs = PyList_New(0);
        let k = s("k");
        PyList_Append(strs, k);
        dec(k);
        assert!(PyList_Sort(strs) == 0);
        let mixed = list_of(&[1]);
        PyList_Append(mixed, strs);
        assert_eq!(PyList_Sort(mixed), -1);
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "'<' not supported between instances of 'list' and 'int'".into()
            )
        );
        dec(mixed);
        dec(strs);
        dec(l);
    }
}

#[test]
fn list_subscripts_and_slice_assignment() {
    init();
    let l = list_of(&[3, 1, 2]);
    let cases = [
        ((None, None, Some(-1)), "[2, 1, 3]"),
        ((Some(5), None, None), "[]"),
        ((Some(-2), None, None), "[1, 2]"),
        ((None, None, Some(2)), "[3, 2]"),
    ];
    for ((a, b, c), want) in cases {
        let k = slice(a, b, c);
        let r = getitem(l, k);
        assert_eq!(repr(r), want);
        dec(r);
        dec(k);
    }
    let k = int(-1);
    let r = getitem(l, k);
    assert_eq!(repr(r), "2");
    dec(r);
    dec(k);
    let k = s("x");
    assert!(getitem(l, k).is_null());
    assert_eq!(
        err(),
        (
            "TypeError".into(),
            "list indices must be integers or slices, not str".into()
        )
    );
    dec(k);
    // l[1:2] = [7, 8, 9]  -> [3, 7, 8, 9, 2]; del l[::2] -> [7, 9]
    let k = slice(Some(1), Some(2), None);
    let v = list_of(&[7, 8, 9]);
    assert_eq!(setitem(l, k, v), 0);
    assert_eq!(repr(l), "[3, 7, 8, 9, 2]");
    dec(k);
    dec(v);
    let k = slice(None, None, Some(2));
    assert_eq!(setitem(l, k, null_mut()), 0);
    assert_eq!(repr(l), "[7, 9]");
    let v = list_of(&[1, 2]);
    assert_eq!(setitem(l, k, v), -1);
    assert_eq!(
        err(),
        (
            "ValueError".into(),
            "attempt to assign sequence of size 2 to extended slice of size 1".into()
        )
    );
    dec(v);
    let v = list_of(&[1]);
    assert_eq!(setitem(l, k, v), 0);
    assert_eq!(repr(l), "[1, 9]");
    dec(v);
    dec(k);
    let k = slice(None, None, Some(0));
    assert!(getitem(l, k).is_null());
    assert_eq!(
        err(),
        ("ValueError".into(), "slice step cannot be zero".into())
    );
    dec(k);
    dec(l);
}

// ---- tuple --------------------------------------------------------------------------------

#[test]
fn tuple_repr_hash_compare_slices() {
    init();
    // SAFETY: live objects throughout.
    unsafe {
        let one = int(1);
        let two = int(2);
        let t1 = PyTuple_Pack_rs(&[one]);
        assert_eq!(repr(t1), "(1,)");
        let t0 = PyTuple_New(0);
        assert_eq!(repr(t0), "()");
        let t12 = PyTuple_Pack_rs(&[one, two]);
        let l3 = list_of(&[3]);
        let nested = PyTuple_Pack_rs(&[t12, l3]);
        assert_eq!(repr(nested), "((1, 2), [3])");
        // hash((1, 2)), hash(()), hash((1,)) in CPython.
        assert_eq!(PyObject_Hash(t12), -3550055125485641917);
        assert_eq!(PyObject_Hash(t0), 5740354900026072187);
        assert_eq!(PyObject_Hash(t1), -6644214454873602895);
        let m1 = int(-1);
        let tm = PyTuple_Pack_rs(&[m1]);
        assert_eq!(PyObject_Hash(tm), 8078679518589016365);
        // A tuple holding a list is unhashable.
        assert_eq!(PyObject_Hash(nested), -1);
        assert_eq!(
            err(),
            ("TypeError".into(), "unhashable type: 'list'".into())
        );
        assert_eq!(compare(t1, t12, Py_LT), 1);
        assert_eq!(compare(t12, t12, Py_EQ), 1);
        let k = slice(None, None, Some(-1));
        let r = getitem(t12, k);
        assert_eq!(repr(r), "(2, 1)");
        dec(r);
        dec(k);
        let k = int(5);
        assert!(getitem(t12, k).is_null());
        assert_eq!(
            err(),
            ("IndexError".into(), "tuple index out of range".into())
        );
        dec(k);
        let sq = &*(*(*t12).ob_type).tp_as_sequence;
        let c = sq.sq_concat.unwrap()(t12, t1);
        assert_eq!(repr(c), "(1, 2, 1)");
        dec(c);
        let c = sq.sq_repeat.unwrap()(t12, 2);
        assert_eq!(repr(c), "(1, 2, 1, 2)");
        dec(c);
        assert!(sq.sq_concat.unwrap()(t12, l3).is_null());
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "can only concatenate tuple (not \"list\") to tuple".into()
            )
        );
        assert_eq!(sq.sq_contains.unwrap()(t12, two), 1);
        assert_eq!(iterate(t12), ["1", "2"]);
        let mut t = PyTuple_New(3);
        for i in 0..3 {
            PyTuple_SetItem(t, i, int(i as i64));
        }
        assert_eq!(_PyTuple_Resize(&mut t, 2), 0);
        assert_eq!(repr(t), "(0, 1)");
        dec(t);
        for o in [one, two, t1, t0, t12, l3, nested, m1, tm] {
            dec(o);
        }
    }
}

#[allow(non_snake_case)]
fn PyTuple_Pack_rs(objs: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe { PyTuple_FromArray(objs.as_ptr(), objs.len() as isize) }
}

// ---- dict ---------------------------------------------------------------------------------

#[test]
fn dict_order_views_errors() {
    init();
    // SAFETY: live objects throughout.
    unsafe {
        let d = PyDict_New();
        for (k, v) in [("b", 1), ("a", 2), ("c", 3)] {
            let o = int(v);
            PyDict_SetItemString(
                d,
                CStr::from_bytes_with_nul(format!("{k}\0").as_bytes())
                    .unwrap()
                    .as_ptr(),
                o,
            );
            dec(o);
        }
        assert_eq!(PyDict_DelItemString(d, c"a".as_ptr()), 0);
        let four = int(4);
        PyDict_SetItemString(d, c"a".as_ptr(), four);
        assert_eq!(repr(d), "{'b': 1, 'c': 3, 'a': 4}");
        assert_eq!((*d.cast::<PyDictObject>()).ma_used, 3);
        let its = PyDict_Items(d);
        assert_eq!(repr(its), "[('b', 1), ('c', 3), ('a', 4)]");
        dec(its);
        let mut pos = 0;
        let (mut k, mut v) = (null_mut(), null_mut());
        let mut keys = vec![];
        while PyDict_Next(d, &mut pos, &mut k, &mut v) != 0 {
            keys.push(repr(k));
        }
        assert_eq!(keys, ["'b'", "'c'", "'a'"]);
        assert_eq!(iterate(d), ["'b'", "'c'", "'a'"]);
        let x = s("x");
        assert!(getitem(d, x).is_null());
        assert_eq!(err(), ("KeyError".into(), "'x'".into()));
        let t = PyTuple_Pack_rs(&[x, x]);
        assert!(getitem(d, t).is_null());
        assert_eq!(err(), ("KeyError".into(), "('x', 'x')".into()));
        let l = PyList_New(0);
        assert_eq!(PyDict_SetItem(d, l, x), -1);
        assert_eq!(
            err(),
            ("TypeError".into(), "unhashable type: 'list'".into())
        );
        let c = PyDict_Copy(d);
        assert_eq!(compare(c, d, Py_EQ), 1);
        let mut out = null_mut();
        assert_eq!(PyDict_Pop(c, x, &mut out), 0);
        assert!(out.is_null());
        let b = s("b");
        assert_eq!(PyDict_Pop(c, b, &mut out), 1);
        assert_eq!(repr(out), "1");
        dec(out);
        assert_eq!(compare(c, d, Py_EQ), 0);
        assert_eq!(PyDict_SetDefaultRef(c, x, four, &mut out), 0);
        assert_eq!(out, four);
        dec(out);
        assert_eq!(PyDict_SetDefaultRef(c, x, x, &mut out), 1);
        assert_eq!(out, four);
        dec(out);
        assert_eq!(PyDict_PopString(c, c"x".as_ptr(), null_mut()), 1);
        assert_eq!(repr(c), "{'c': 3, 'a': 4}");
        let seq = PyList_New(0);
        let pair = PyTuple_Pack_rs(&[b, four]);
        PyList_Append(seq, pair);
        assert_eq!(PyDict_MergeFromSeq2(c, seq, 1), 0);
        assert_eq!(repr(c), "{'c': 3, 'a': 4, 'b': 4}");
        assert_eq!(PyDict_Update(c, d), 0);
        assert_eq!(repr(c), "{'c': 3, 'a': 4, 'b': 1}");
        let keys = PyDict_Keys(c);
        assert_eq!(repr(keys), "['c', 'a', 'b']");
        let vals = PyDict_Values(c);
        assert_eq!(repr(vals), "[3, 4, 1]");
        // A deleted-and-reinserted key goes to the end; many deletions compact the table.
        for i in 0..100 {
            let k = int(i);
            PyDict_SetItem(c, k, k);
            PyDict_DelItem(c, k);
            dec(k);
        }
        assert_eq!(repr(c), "{'c': 3, 'a': 4, 'b': 1}");
        PyDict_Clear(c);
        assert_eq!(repr(c), "{}");
        for o in [d, four, x, t, l, c, b, seq, pair, keys, vals] {
            dec(o);
        }
    }
}

#[test]
fn dict_two_threads_mutate() {
    init();
    let d = PyDict_New() as usize;
    let hs: Vec<_> = (0..2)
        .map(|t| {
            std::thread::spawn(move || {
                let d = d as *mut PyObject;
                for i in 0..2000 {
                    let k = int(t * 100_000 + i);
                    // SAFETY: live objects; the dict is shared on purpose.
                    unsafe {
                        assert_eq!(PyDict_SetItem(d, k, k), 0);
                        if i % 2 == 0 {
                            assert_eq!(PyDict_DelItem(d, k), 0);
                        }
                    }
                    dec(k);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    // SAFETY: live dict.
    unsafe {
        assert_eq!(PyDict_Size(d as *mut PyObject), 2000);
    }
}

// ---- slice --------------------------------------------------------------------------------

#[test]
fn slice_objects() {
    init();
    let a = slice(Some(1), Some(2), None);
    assert_eq!(repr(a), "slice(1, 2, None)");
    let b = slice(None, Some(-1), Some(2));
    assert_eq!(repr(b), "slice(None, -1, 2)");
    // SAFETY: live objects and writable outputs.
    unsafe {
        let (mut st, mut sp, mut step, mut n) = (0, 0, 0, 0);
        assert_eq!(
            PySlice_GetIndicesEx(b, 10, &mut st, &mut sp, &mut step, &mut n),
            0
        );
        assert_eq!((st, sp, step, n), (0, 9, 2, 5));
        let c = slice(None, None, Some(-3));
        assert_eq!(PySlice_Unpack(c, &mut st, &mut sp, &mut step), 0);
        assert_eq!((st, sp, step), (isize::MAX, isize::MIN, -3));
        assert_eq!(PySlice_AdjustIndices(10, &mut st, &mut sp, step), 4);
        assert_eq!((st, sp), (9, -1));
        dec(c);
    }
    dec(a);
    dec(b);
}

// ---- leaks ----------------------------------------------------------------------------------

#[test]
fn containers_release_everything() {
    init();
    let before = LIVE.load(Ordering::SeqCst);
    // SAFETY: live objects throughout.
    unsafe {
        let l = PyList_New(0);
        let d = PyDict_New();
        for i in 0..50 {
            let o = tracked();
            PyList_Append(l, o);
            let k = int(i);
            PyDict_SetItem(d, k, o);
            PyDict_SetItem(d, o, k);
            dec(k);
            dec(o);
        }
        let t = PyList_AsTuple(l);
        let k = slice(None, None, Some(3));
        let part = getitem(l, k);
        let its = PyDict_Items(d);
        let it = iterobject::get_iter(t);
        let first = iterobject::next(it).unwrap().unwrap();
        let mut c = PyDict_Copy(d);
        PyDict_Clear(d);
        assert!(LIVE.load(Ordering::SeqCst) >= before + 50);
        for o in [l, d, t, k, part, its, it, first] {
            dec(o);
        }
        dec(c);
        c = null_mut();
        let _ = c;
    }
    assert_eq!(LIVE.load(Ordering::SeqCst), before);
}
