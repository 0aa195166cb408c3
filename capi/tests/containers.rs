//! Containers through the exported C API: list, tuple, dict, slice, set, str, bytes,
//! bytearray, range, iterators, memoryview and the buffer protocol. Expected values come from
//! running the same operations in CPython (3.11); the error texts were checked again with CPython
//! 3.14.10 (the reference root of scripts/reference-cpython.sh: C probes of the same calls, and
//! tests/data/eval-texts.json for the Python-level ones); the changed ones name 3.11's.

use gilgate_capi::ffi::PyLong_AsLong;
use gilgate_capi::ffi::PyLong_FromLong;
use gilgate_capi::ffi::*;

use gilgate_capi::ffi::Py_EQ;
use gilgate_capi::ffi::Py_LT;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyObject_Hash;
use gilgate_capi::ffi::PyObject_Repr;
use gilgate_capi::ffi::PyTypeObject;
use gilgate_capi::testing::object::static_type;

use gilgate_capi::host::ExcInfo;

use gilgate_capi::ffi::Py_REFCNT;

use gilgate_capi::testing::iterobject;
use gilgate_capi::testing::unicodeobject as uni;
use std::ffi::{CStr, c_int};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Library, cc};

mod support;

fn init() {
    gilgate_capi::host::initialize().expect("runtime initializes");
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
            gilgate_capi::host::take_exception()
        );
        let t = uni::as_str(r).unwrap().to_owned();
        dec(r);
        t
    }
}

fn dec(o: *mut PyObject) {
    // SAFETY: an owned reference.
    unsafe { gilgate_capi::host::decref(o) }
}

fn err() -> (String, String) {
    let ExcInfo {
        type_name, message, ..
    } = gilgate_capi::host::take_exception().expect("an exception is set");
    (type_name, message)
}

fn no_err() {
    assert!(gilgate_capi::host::take_exception().is_none());
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
    unsafe { gilgate_capi::testing::objimpl::default_dealloc(op) }
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
    unsafe { gilgate_capi::testing::objimpl::alloc_object(&raw mut TRACKED, 0) }
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
        // CPython 3.14 (3.11: "unhashable type: 'list'")
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "cannot use 'list' as a dict key (unhashable type: 'list')".into()
            )
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

// ---- str ----------------------------------------------------------------------------------

fn kind_of(o: *mut PyObject) -> u32 {
    // SAFETY: live str.
    unsafe { uni::kind(o) }
}

#[test]
fn str_kinds_utf8_cache_and_repr() {
    init();
    // SAFETY: live objects throughout.
    unsafe {
        for (text, kind) in [("a", 1), ("\u{e9}", 1), ("\u{20ac}", 2), ("\u{1f600}", 4)] {
            let o = s(text);
            assert_eq!(kind_of(o), kind, "{text}");
            assert_eq!(
                gilgate_capi::ffi::PyUnicode_ReadChar(o, 0),
                text.chars().next().unwrap() as u32
            );
            dec(o);
        }
        // Built with PyUnicode_New + WriteChar: the UTF-8 copy is made once and cached.
        let o = gilgate_capi::ffi::PyUnicode_New(3, 0x20ac);
        assert_eq!(kind_of(o), 2);
        for (i, c) in ['x', '\u{e9}', '\u{20ac}'].iter().enumerate() {
            assert_eq!(
                gilgate_capi::ffi::PyUnicode_WriteChar(o, i as isize, *c as u32),
                0
            );
        }
        let mut n = 0;
        let p1 = gilgate_capi::ffi::PyUnicode_AsUTF8AndSize(o, &mut n);
        assert_eq!(n, 6);
        assert_eq!(CStr::from_ptr(p1).to_str().unwrap(), "x\u{e9}\u{20ac}");
        let p2 = gilgate_capi::ffi::PyUnicode_AsUTF8AndSize(o, null_mut());
        assert_eq!(p1, p2, "the UTF-8 form is cached");
        assert_eq!(
            (*o.cast::<gilgate_capi::ffi::PyCompactUnicodeObject>()).utf8,
            p1.cast_mut()
        );
        assert_eq!(gilgate_capi::ffi::PyUnicode_WriteChar(o, 0, 0x1f600), -1);
        assert_eq!(
            err(),
            ("ValueError".into(), "character out of range".into())
        );
        // Once hashed, or shared, a str may no longer be changed in place.
        assert_ne!(PyObject_Hash(o), -1);
        assert_eq!(gilgate_capi::ffi::PyUnicode_WriteChar(o, 0, 'y' as u32), -1);
        assert_eq!(
            err(),
            (
                "SystemError".into(),
                "Cannot modify a string currently used".into()
            )
        );
        assert_eq!(gilgate_capi::ffi::PyUnicode_Fill(o, 0, 1, 'y' as u32), -1);
        assert_eq!(err().0, "SystemError");
        dec(o);
        // A lone surrogate cannot be encoded.
        let sur = [0x61u32, 0xd800];
        let o = gilgate_capi::ffi::PyUnicode_FromKindAndData(4, sur.as_ptr().cast(), 2);
        assert_eq!(kind_of(o), 2);
        assert!(gilgate_capi::ffi::PyUnicode_AsUTF8(o).is_null());
        assert_eq!(
            err(),
            (
                "UnicodeEncodeError".into(),
                "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed"
                    .into()
            )
        );
        assert_eq!(repr(o), "'a\\ud800'");
        dec(o);
        // repr: quote choice and escapes as CPython prints them.
        for (text, want) in [
            ("a'b", "\"a'b\""),
            ("a\"b'", "'a\"b\\''"),
            ("\t\\", "'\\t\\\\'"),
            (
                "\u{0}\u{7f}\u{80}\u{a0}\u{ad} \u{e9}\u{20ac}\u{1f600}\u{200b}\u{e0001}",
                "'\\x00\\x7f\\x80\\xa0\\xad \u{e9}\u{20ac}\u{1f600}\\u200b\\U000e0001'",
            ),
            ("\u{2028}", "'\\u2028'"),
        ] {
            let o = s(text);
            assert_eq!(repr(o), want);
            dec(o);
        }
        // Hashes equal CPython's with PYTHONHASHSEED=0 (gilgate's fixed key), and bytes agree.
        for (text, h) in [
            ("abc", -4594863902769663758),
            ("", 0),
            ("\u{e9}", 6047309291227476195),
            ("\u{20ac}", -5529981157763016009),
            ("\u{1f600}", -3536540696076613844),
            ("abcdefghijk", 1450545860578130900),
        ] {
            let o = s(text);
            assert_eq!(PyObject_Hash(o), h, "{text}");
            dec(o);
        }
        let b = gilgate_capi::ffi::PyBytes_FromString(c"abc".as_ptr());
        assert_eq!(PyObject_Hash(b), -4594863902769663758);
        dec(b);
        // Code point order.
        let (a, b, c) = (s("\u{e9}"), s("z"), s("\u{20ac}"));
        assert_eq!(compare(a, b, Py_LT), 0);
        assert_eq!(compare(c, a, gilgate_capi::ffi::Py_GT), 1);
        let x = s("\u{e9}");
        assert_eq!(compare(a, x, Py_EQ), 1);
        for o in [a, b, c, x] {
            dec(o);
        }
    }
}

#[test]
fn str_operations() {
    init();
    // SAFETY: live objects throughout.
    unsafe {
        let text = s("a,b,,c");
        let comma = s(",");
        let parts = gilgate_capi::ffi::PyUnicode_Split(text, comma, -1);
        assert_eq!(repr(parts), "['a', 'b', '', 'c']");
        dec(parts);
        let ws = s(" a  b ");
        let parts = gilgate_capi::ffi::PyUnicode_Split(ws, null_mut(), -1);
        assert_eq!(repr(parts), "['a', 'b']");
        dec(parts);
        let abc = s("a b c");
        let parts = gilgate_capi::ffi::PyUnicode_Split(abc, null_mut(), 1);
        assert_eq!(repr(parts), "['a', 'b c']");
        dec(parts);
        let (aaa, a, bb) = (s("aaa"), s("a"), s("bb"));
        let r = gilgate_capi::ffi::PyUnicode_Replace(aaa, a, bb, 2);
        assert_eq!(repr(r), "'bbbba'");
        dec(r);
        let (hay, c, bc) = (s("abcabc"), s("c"), s("bc"));
        assert_eq!(gilgate_capi::ffi::PyUnicode_Find(hay, c, 0, 6, 1), 2);
        assert_eq!(gilgate_capi::ffi::PyUnicode_Find(hay, c, 0, 6, -1), 5);
        assert_eq!(
            gilgate_capi::ffi::PyUnicode_FindChar(hay, 'b' as u32, 2, 6, 1),
            4
        );
        assert_eq!(
            gilgate_capi::ffi::PyUnicode_Count(hay, bc, 0, isize::MAX),
            2
        );
        assert_eq!(gilgate_capi::ffi::PyUnicode_Tailmatch(hay, bc, 0, 6, 1), 1);
        assert_eq!(gilgate_capi::ffi::PyUnicode_Tailmatch(hay, bc, 0, 6, -1), 0);
        assert_eq!(gilgate_capi::ffi::PyUnicode_Contains(hay, bc), 1);
        let one = int(1);
        assert_eq!(gilgate_capi::ffi::PyUnicode_Contains(hay, one), -1);
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "'in <string>' requires string as left operand, not int".into()
            )
        );
        let sub = gilgate_capi::ffi::PyUnicode_Substring(hay, 1, 4);
        assert_eq!(repr(sub), "'bca'");
        dec(sub);
        let seq = PyList_New(0);
        for t in ["a", "\u{e9}", "\u{1f600}"] {
            let o = s(t);
            PyList_Append(seq, o);
            dec(o);
        }
        let dash = s("-");
        let j = gilgate_capi::ffi::PyUnicode_Join(dash, seq);
        assert_eq!(uni::as_str(j), Some("a-\u{e9}-\u{1f600}"));
        assert_eq!(kind_of(j), 4);
        dec(j);
        // Subscripts, concatenation and errors.
        let k = slice(None, None, Some(-1));
        let r = getitem(hay, k);
        assert_eq!(repr(r), "'cbacba'");
        dec(r);
        dec(k);
        assert!(getitem(hay, comma).is_null());
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "string indices must be integers, not 'str'".into()
            )
        );
        let nine = int(9);
        assert!(getitem(hay, nine).is_null());
        assert_eq!(
            err(),
            ("IndexError".into(), "string index out of range".into())
        );
        assert!(gilgate_capi::ffi::PyUnicode_Concat(hay, one).is_null());
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "can only concatenate str (not \"int\") to str".into()
            )
        );
        assert_eq!(iterate(abc), ["'a'", "' '", "'b'", "' '", "'c'"]);
        let o = gilgate_capi::ffi::PyUnicode_FromOrdinal(0x1f600);
        assert_eq!(kind_of(o), 4);
        dec(o);
        assert!(gilgate_capi::ffi::PyUnicode_FromOrdinal(0x110000).is_null());
        assert_eq!(
            err(),
            (
                "ValueError".into(),
                "chr() arg not in range(0x110000)".into()
            )
        );
        // Wide characters and UCS4.
        let w: Vec<i32> = "h\u{e9}\u{1f600}\0".chars().map(|c| c as i32).collect();
        let o = gilgate_capi::ffi::PyUnicode_FromWideChar(w.as_ptr(), -1);
        assert_eq!(uni::as_str(o), Some("h\u{e9}\u{1f600}"));
        let mut n = 0;
        let back = gilgate_capi::ffi::PyUnicode_AsWideCharString(o, &mut n);
        assert_eq!(n, 3);
        assert_eq!(std::slice::from_raw_parts(back, 4), &w[..]);
        gilgate_capi::ffi::PyMem_Free(back.cast());
        let u4 = gilgate_capi::ffi::PyUnicode_AsUCS4Copy(o);
        assert_eq!(*u4.add(2), 0x1f600);
        gilgate_capi::ffi::PyMem_Free(u4.cast());
        dec(o);
        // Fill and CopyCharacters on a fresh string.
        let o = gilgate_capi::ffi::PyUnicode_New(4, 0xff);
        assert_eq!(gilgate_capi::ffi::PyUnicode_Fill(o, 0, 4, 'z' as u32), 4);
        let src = s("\u{e9}\u{e9}");
        assert_eq!(
            gilgate_capi::ffi::PyUnicode_CopyCharacters(o, 1, src, 0, 2),
            2
        );
        assert_eq!(uni::as_str(o), Some("z\u{e9}\u{e9}z"));
        dec(o);
        for o in [
            text, comma, ws, abc, aaa, a, bb, hay, c, bc, one, seq, dash, nine, src,
        ] {
            dec(o);
        }
    }
}

#[test]
fn str_codecs() {
    init();
    let enc = |text: &str, codec: &CStr, errors: &CStr| -> Result<Vec<u8>, (String, String)> {
        let o = s(text);
        // SAFETY: live object and C strings.
        let b = unsafe {
            gilgate_capi::ffi::PyUnicode_AsEncodedString(o, codec.as_ptr(), errors.as_ptr())
        };
        dec(o);
        if b.is_null() {
            return Err(err());
        }
        // SAFETY: a fresh bytes object.
        let v = unsafe { gilgate_capi::testing::bytesobject::as_bytes(b).to_vec() };
        dec(b);
        Ok(v)
    };
    assert_eq!(
        enc("a\u{e9}\u{20ac}", c"ascii", c"strict"),
        Err((
            "UnicodeEncodeError".into(),
            "'ascii' codec can't encode characters in position 1-2: ordinal not in range(128)"
                .into()
        ))
    );
    assert_eq!(
        enc("a\u{e9}\u{20ac}", c"ascii", c"replace"),
        Ok(b"a??".to_vec())
    );
    assert_eq!(
        enc("a\u{e9}\u{20ac}", c"ascii", c"ignore"),
        Ok(b"a".to_vec())
    );
    assert_eq!(
        enc("a\u{e9}\u{20ac}x", c"latin-1", c"strict"),
        Err((
            "UnicodeEncodeError".into(),
            "'latin-1' codec can't encode character '\\u20ac' in position 2: ordinal not in range(256)"
                .into()
        ))
    );
    assert_eq!(enc("a\u{e9}", c"latin1", c"strict"), Ok(b"a\xe9".to_vec()));
    assert_eq!(
        enc("a\u{e9}", c"UTF_8", c"strict"),
        Ok(b"a\xc3\xa9".to_vec())
    );
    assert_eq!(
        enc("a", c"rot13", c"strict"),
        Err(("LookupError".into(), "unknown encoding: rot13".into()))
    );
    let dec_ = |b: &[u8], codec: &CStr, errors: &CStr| -> Result<String, (String, String)> {
        // SAFETY: a byte slice and C strings.
        let o = unsafe {
            gilgate_capi::ffi::PyUnicode_Decode(
                b.as_ptr().cast(),
                b.len() as isize,
                codec.as_ptr(),
                errors.as_ptr(),
            )
        };
        if o.is_null() {
            return Err(err());
        }
        let r = repr(o);
        dec(o);
        Ok(r)
    };
    let cases: [(&[u8], &str, &str, &str); 4] = [
        (
            b"a\xe9b",
            "'utf-8' codec can't decode byte 0xe9 in position 1: invalid continuation byte",
            "'a\u{fffd}b'",
            "'ab'",
        ),
        (
            b"a\xe2\x82",
            "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data",
            "'a\u{fffd}'",
            "'a'",
        ),
        (
            b"\xff",
            "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
            "'\u{fffd}'",
            "''",
        ),
        (
            b"\xed\xa0\x80",
            "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte",
            "'\u{fffd}\u{fffd}\u{fffd}'",
            "''",
        ),
    ];
    for (b, strict, replace, ignore) in cases {
        assert_eq!(
            dec_(b, c"utf-8", c"strict"),
            Err(("UnicodeDecodeError".into(), strict.into()))
        );
        assert_eq!(dec_(b, c"utf-8", c"replace"), Ok(replace.into()));
        assert_eq!(dec_(b, c"utf-8", c"ignore"), Ok(ignore.into()));
    }
    assert_eq!(
        dec_(b"a\xe9", c"ascii", c"strict"),
        Err((
            "UnicodeDecodeError".into(),
            "'ascii' codec can't decode byte 0xe9 in position 1: ordinal not in range(128)".into()
        ))
    );
    assert_eq!(
        dec_(b"a\xe9", c"latin-1", c"strict"),
        Ok("'a\u{e9}'".into())
    );
    // Stateful decoding stops before an incomplete sequence.
    let mut consumed = 0;
    // SAFETY: a byte string and a writable count.
    let o = unsafe {
        gilgate_capi::ffi::PyUnicode_DecodeUTF8Stateful(
            c"ab\xe2\x82".as_ptr(),
            4,
            null_mut(),
            &mut consumed,
        )
    };
    assert_eq!(repr(o), "'ab'");
    assert_eq!(consumed, 2);
    dec(o);
}

// ---- bytes and bytearray -------------------------------------------------------------------

#[test]
fn bytes_and_bytearray() {
    init();
    use gilgate_capi::ffi::*;

    // SAFETY: live objects throughout.
    unsafe {
        for (raw, want) in [
            (&b"a'b"[..], "b\"a'b\""),
            (b"\"'", "b'\"\\''"),
            (b"\x00\x7f\x80\n", "b'\\x00\\x7f\\x80\\n'"),
        ] {
            let b = PyBytes_FromStringAndSize(raw.as_ptr().cast(), raw.len() as isize);
            assert_eq!(repr(b), want);
            dec(b);
        }
        let b = PyBytes_FromString(c"abc".as_ptr());
        let one = int(1);
        let r = getitem(b, one);
        assert_eq!(repr(r), "98");
        dec(r);
        let k = slice(None, None, Some(-1));
        let r = getitem(b, k);
        assert_eq!(repr(r), "b'cba'");
        dec(r);
        dec(k);
        let sq = &*(*(*b).ob_type).tp_as_sequence;
        let n98 = int(98);
        assert_eq!(sq.sq_contains.unwrap()(b, n98), 1);
        let x = s("x");
        assert_eq!(sq.sq_contains.unwrap()(b, x), -1);
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "a bytes-like object is required, not 'str'".into()
            )
        );
        let n300 = int(300);
        assert_eq!(sq.sq_contains.unwrap()(b, n300), -1);
        assert_eq!(
            err(),
            ("ValueError".into(), "byte must be in range(0, 256)".into())
        );
        assert!(sq.sq_concat.unwrap()(b, x).is_null());
        assert_eq!(
            err(),
            ("TypeError".into(), "can't concat str to bytes".into())
        );
        assert_eq!(iterate(b), ["97", "98", "99"]);
        let mut v = b;
        gilgate_capi::host::incref(v);
        PyBytes_Concat(&mut v, b);
        assert_eq!(repr(v), "b'abcabc'");
        assert_eq!(_PyBytes_Resize(&mut v, 4), 0);
        assert_eq!(repr(v), "b'abca'");
        assert_eq!(*PyBytes_AsString(v).add(4), 0);
        dec(v);
        assert!(PyBytes_AsString(x).is_null());
        assert_eq!(
            err(),
            ("TypeError".into(), "expected bytes, str found".into())
        );
        let ba = PyByteArray_FromObject(b);
        assert_eq!(repr(ba), "bytearray(b'abc')");
        assert_eq!(compare(ba, b, Py_EQ), 1);
        let zero = int(0);
        let z = int(122);
        assert_eq!(setitem(ba, zero, z), 0);
        assert_eq!(repr(ba), "bytearray(b'zbc')");
        assert_eq!(setitem(ba, zero, n300), -1);
        assert_eq!(
            err(),
            ("ValueError".into(), "byte must be in range(0, 256)".into())
        );
        assert_eq!(PyObject_Hash(ba), -1);
        assert_eq!(
            err(),
            ("TypeError".into(), "unhashable type: 'bytearray'".into())
        );
        let c = PyByteArray_Concat(ba, b);
        assert_eq!(repr(c), "bytearray(b'zbcabc')");
        dec(c);
        for o in [b, one, n98, x, n300, ba, zero, z] {
            dec(o);
        }
    }
}

// ---- set, frozenset, range, iterators --------------------------------------------------------

#[test]
fn sets() {
    init();
    use gilgate_capi::ffi::*;
    // SAFETY: live objects throughout.
    unsafe {
        let s1 = PySet_New(null_mut());
        assert_eq!(repr(s1), "set()");
        let (one, two, three) = (int(1), int(2), int(3));
        for o in [one, two, one] {
            assert_eq!(PySet_Add(s1, o), 0);
        }
        assert_eq!(PySet_Size(s1), 2);
        assert_eq!((*s1.cast::<PySetObject>()).used, 2);
        assert_eq!(PySet_Contains(s1, two), 1);
        assert_eq!(PySet_Contains(s1, three), 0);
        let l = PyList_New(0);
        assert_eq!(PySet_Add(s1, l), -1);
        // CPython 3.14 (3.11: "unhashable type: 'list'")
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "cannot use 'list' as a set element (unhashable type: 'list')".into()
            )
        );
        assert_eq!(PySet_Discard(s1, two), 1);
        assert_eq!(PySet_Discard(s1, two), 0);
        assert_eq!(repr(s1), "{1}");
        let f = PyFrozenSet_New(s1);
        assert_eq!(repr(f), "frozenset({1})");
        assert_eq!(compare(f, s1, Py_EQ), 1);
        let f0 = PyFrozenSet_New(null_mut());
        assert_eq!(repr(f0), "frozenset()");
        // hash(frozenset()), hash(frozenset({1, 2})) in CPython.
        assert_eq!(PyObject_Hash(f0), 133146708735736);
        let l12 = list_of(&[1, 2]);
        let f12 = PyFrozenSet_New(l12);
        assert_eq!(PyObject_Hash(f12), -1826646154956904602);
        assert_eq!(compare(f, f12, Py_LT), 1);
        assert_eq!(PyObject_Hash(s1), -1);
        assert_eq!(err(), ("TypeError".into(), "unhashable type: 'set'".into()));
        let u = (*(*(*f12).ob_type).tp_as_number).nb_or.unwrap()(s1, f12);
        assert_eq!(repr(u), "{1, 2}");
        dec(u);
        let p = PySet_Pop(s1);
        assert_eq!(repr(p), "1");
        dec(p);
        assert!(PySet_Pop(s1).is_null());
        assert_eq!(err(), ("KeyError".into(), "'pop from an empty set'".into()));
        assert_eq!(iterate(f12), ["1", "2"]);
        assert_eq!(PySet_Clear(f12), 0);
        for o in [s1, one, two, three, l, f, f0, l12, f12] {
            dec(o);
        }
    }
}

#[test]
fn ranges_and_iterators() {
    init();
    use gilgate_capi::ffi::*;
    use gilgate_capi::testing::rangeobject::new_range;
    // SAFETY: live objects throughout.
    unsafe {
        let r = new_range(0, 10, 3);
        assert_eq!(repr(r), "range(0, 10, 3)");
        assert_eq!(((*(*(*r).ob_type).tp_as_sequence).sq_length.unwrap())(r), 4);
        assert_eq!(iterate(r), ["0", "3", "6", "9"]);
        let k = slice(None, None, Some(-1));
        let rr = getitem(r, k);
        assert_eq!(repr(rr), "range(9, -3, -3)");
        dec(rr);
        dec(k);
        let nine = int(9);
        assert!(getitem(r, nine).is_null());
        assert_eq!(
            err(),
            (
                "IndexError".into(),
                "range object index out of range".into()
            )
        );
        let r5 = new_range(0, 5, 1);
        assert_eq!(repr(r5), "range(0, 5)");
        assert_eq!(PyObject_Hash(r5), 5795932985296280846);
        let r0 = new_range(3, 3, 1);
        let e = new_range(0, 0, 1);
        assert_eq!(
            PyObject_Hash(r0),
            PyObject_Hash(e),
            "empty ranges hash alike"
        );
        dec(e);
        let args = PyTuple_Pack_rs(&[nine]);
        let made = PyRange_Type.tp_new.unwrap()(&raw mut PyRange_Type, args, null_mut());
        assert_eq!(repr(made), "range(0, 9)");
        dec(made);
        dec(args);
        let zero = int(0);
        let args = PyTuple_Pack_rs(&[zero, nine, zero]);
        assert!(PyRange_Type.tp_new.unwrap()(&raw mut PyRange_Type, args, null_mut()).is_null());
        assert_eq!(
            err(),
            ("ValueError".into(), "range() arg 3 must not be zero".into())
        );
        dec(args);
        let six = int(6);
        assert_eq!(
            ((*(*(*r).ob_type).tp_as_sequence).sq_contains.unwrap())(r, six),
            1
        );
        // PySeqIter over a type with only sq_item (a range through its sequence slot is
        // enough: the sequence iterator stops at IndexError).
        let it = gilgate_capi::ffi::PySeqIter_New(r);
        let mut got = vec![];
        while let Ok(Some(x)) = iterobject::next(it) {
            got.push(PyLong_AsLong(x));
            dec(x);
        }
        assert_eq!(got, [0, 3, 6, 9]);
        dec(it);
        // PyCallIter: call a list's bound `pop` until it returns the sentinel 3.
        let l = list_of(&[3, 4, 5]);
        let pop = gilgate_capi::ffi::PyObject_GetAttrString(l, c"pop".as_ptr());
        if !pop.is_null() {
            let three = int(3);
            let ci = gilgate_capi::ffi::PyCallIter_New(pop, three);
            assert_eq!(iterate(ci), ["5", "4"]);
            dec(ci);
            dec(three);
            dec(pop);
        } else {
            gilgate_capi::host::take_exception();
        }
        dec(l);
        for o in [r, nine, r5, r0, zero, six] {
            dec(o);
        }
    }
}

// ---- buffer protocol and memoryview ----------------------------------------------------------

#[test]
fn buffers_and_memoryview() {
    init();
    use gilgate_capi::ffi::Py_buffer;
    use gilgate_capi::ffi::*;

    // SAFETY: live objects and views throughout.
    unsafe {
        let b = PyBytes_FromString(c"hello".as_ptr());
        assert_eq!(PyObject_CheckBuffer(b), 1);
        let one = int(1);
        assert_eq!(PyObject_CheckBuffer(one), 0);
        let mut v: Py_buffer = std::mem::zeroed();
        assert_eq!(PyObject_GetBuffer(one, &mut v, PyBUF_SIMPLE), -1);
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "a bytes-like object is required, not 'int'".into()
            )
        );
        assert_eq!(PyObject_GetBuffer(b, &mut v, PyBUF_WRITABLE), -1);
        assert_eq!(
            err(),
            ("BufferError".into(), "Object is not writable.".into())
        );
        let before = Py_REFCNT(b);
        assert_eq!(PyObject_GetBuffer(b, &mut v, PyBUF_FULL_RO), 0);
        assert_eq!(Py_REFCNT(b), before + 1);
        assert_eq!(PyBuffer_IsContiguous(&v, b'C' as _), 1);
        let idx = 1isize;
        assert_eq!(*PyBuffer_GetPointer(&v, &idx).cast::<u8>(), b'e');
        let mut out = [0u8; 5];
        assert_eq!(
            PyBuffer_ToContiguous(out.as_mut_ptr().cast(), &v, 5, b'C' as _),
            0
        );
        assert_eq!(&out, b"hello");
        PyBuffer_Release(&mut v);
        assert_eq!(Py_REFCNT(b), before);
        assert!(v.obj.is_null());
        assert_eq!(PyBuffer_SizeFromFormat(c"i".as_ptr()), 4);
        assert_eq!(PyBuffer_SizeFromFormat(c"<hq".as_ptr()), 10);
        assert_eq!(PyBuffer_SizeFromFormat(c"hq".as_ptr()), 16);

        // memoryview over bytes: len, items, slices, comparison; the export is released.
        let m = PyMemoryView_FromObject(b);
        assert_eq!(Py_REFCNT(b), before + 1);
        let mp = &*(*(*m).ob_type).tp_as_mapping;
        assert_eq!(mp.mp_length.unwrap()(m), 5);
        let minus = int(-1);
        let x = mp.mp_subscript.unwrap()(m, minus);
        assert_eq!(repr(x), "111");
        dec(x);
        let k = slice(Some(1), Some(4), None);
        let sub = mp.mp_subscript.unwrap()(m, k);
        let ell = PyBytes_FromString(c"ell".as_ptr());
        assert_eq!(compare(sub, ell, Py_EQ), 1);
        dec(sub);
        dec(k);
        dec(m);
        assert_eq!(Py_REFCNT(b), before);
        // A bytearray exported through a memoryview cannot be resized.
        let ba = PyByteArray_FromObject(b);
        let m = PyMemoryView_FromObject(ba);
        assert_eq!(PyByteArray_Resize(ba, 1), -1);
        assert_eq!(
            err(),
            (
                "BufferError".into(),
                "Existing exports of data: object cannot be re-sized".into()
            )
        );
        dec(m);
        assert_eq!(PyByteArray_Resize(ba, 1), 0);
        // FromMemory: a read-only view over caller memory.
        let mut raw = *b"xyz";
        let m = PyMemoryView_FromMemory(raw.as_mut_ptr().cast(), 3, PyBUF_READ);
        let view = &(*m.cast::<PyMemoryViewObject>()).view;
        assert_eq!((view.len, view.readonly, view.ndim), (3, 1, 1));
        assert!(view.obj.is_null());
        let zero = int(0);
        let x = mp.mp_subscript.unwrap()(m, zero);
        assert_eq!(repr(x), "120");
        dec(x);
        dec(m);
        assert_eq!(std::mem::size_of::<PyMemoryViewObject>(), 168);
        assert_eq!(std::mem::offset_of!(PyMemoryViewObject, view), 72);
        for o in [b, one, minus, ell, ba, zero] {
            dec(o);
        }
    }
}

// ---- inline macros from C -----------------------------------------------------------------

#[test]
fn inline_macros_from_c() {
    init();
    let so = cc::shared(
        cc::fixture("containers/inline_containers.c"),
        cc::out_dir("containers").join("gilgate-inline-containers.so"),
    )
    .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1"])
    .build();
    // SAFETY: loading a library we just built; its undefined symbols resolve against this
    // test binary's exported C API.
    unsafe {
        let f = Library::open(&so).sym(c"gg_check");
        let check: unsafe extern "C" fn(*mut std::ffi::c_char, usize) -> c_int =
            std::mem::transmute(f);
        let mut buf = vec![0 as std::ffi::c_char; 16384];
        let failed = check(buf.as_mut_ptr(), buf.len());
        let text = CStr::from_ptr(buf.as_ptr()).to_string_lossy().into_owned();
        assert_eq!(failed, 0, "C checks failed:\n{text}");
        assert!(
            text.lines().filter(|l| l.starts_with("ok ")).count() >= 50,
            "{text}"
        );
        no_err();
    }
}

// ---- constructors through the type call ------------------------------------------------------

#[test]
fn constructors() {
    init();
    use gilgate_capi::ffi::PyObject_Call;
    // SAFETY: live objects throughout; the type objects are static.
    unsafe {
        let call = |t: *mut PyTypeObject, args: &[*mut PyObject], kw: *mut PyObject| {
            let a = PyTuple_Pack_rs(args);
            let r = PyObject_Call(t.cast(), a, kw);
            dec(a);
            r
        };
        let show = |o: *mut PyObject| -> String {
            if o.is_null() {
                let (t, m) = err();
                return format!("{t}: {m}");
            }
            let r = repr(o);
            dec(o);
            r
        };
        let r3 = gilgate_capi::testing::rangeobject::new_range(0, 3, 1);
        let (ab, utf8, b_ab) = (
            s("aab"),
            s("utf-8"),
            gilgate_capi::ffi::PyBytes_FromString(c"ab".as_ptr()),
        );
        let three = int(3);
        let pairs = PyList_New(0);
        let a1 = PyTuple_Pack_rs(&[s("a"), int(1)]);
        PyList_Append(pairs, a1);
        let kw = PyDict_New();
        let two = int(2);
        PyDict_SetItemString(kw, c"b".as_ptr(), two);
        let cases: Vec<(String, &str)> = vec![
            (
                show(call(&raw mut PyList_Type, &[r3], null_mut())),
                "[0, 1, 2]",
            ),
            (
                show(call(&raw mut PyList_Type, &[r3, r3], null_mut())),
                "TypeError: list expected at most 1 argument, got 2",
            ),
            (
                show(call(&raw mut PyTuple_Type, &[ab], null_mut())),
                "('a', 'a', 'b')",
            ),
            (
                show(call(&raw mut PyDict_Type, &[pairs], kw)),
                "{'a': 1, 'b': 2}",
            ),
            (
                show(call(
                    &raw mut gilgate_capi::ffi::PySet_Type,
                    &[ab],
                    null_mut(),
                )),
                "{'a', 'b'}",
            ),
            (
                show(call(
                    &raw mut gilgate_capi::ffi::PyFrozenSet_Type,
                    &[],
                    null_mut(),
                )),
                "frozenset()",
            ),
            (
                show(call(
                    &raw mut gilgate_capi::ffi::PyUnicode_Type,
                    &[b_ab],
                    null_mut(),
                )),
                "\"b'ab'\"",
            ),
            (
                show(call(
                    &raw mut gilgate_capi::ffi::PyUnicode_Type,
                    &[b_ab, utf8],
                    null_mut(),
                )),
                "'ab'",
            ),
            (
                show(call(
                    &raw mut gilgate_capi::ffi::PyBytes_Type,
                    &[three],
                    null_mut(),
                )),
                "b'\\x00\\x00\\x00'",
            ),
            (
                show(call(
                    &raw mut gilgate_capi::ffi::PyBytes_Type,
                    &[ab],
                    null_mut(),
                )),
                "TypeError: string argument without an encoding",
            ),
            (
                show(call(
                    &raw mut gilgate_capi::ffi::PyByteArray_Type,
                    &[b_ab],
                    null_mut(),
                )),
                "bytearray(b'ab')",
            ),
            (
                show(call(&raw mut PySlice_Type, &[three], null_mut())),
                "slice(None, 3, None)",
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
        for o in [r3, ab, utf8, b_ab, three, pairs, a1, kw, two] {
            dec(o);
        }
    }
}

#[test]
fn str_fs_encoding_and_helpers() {
    init();
    // SAFETY: live objects throughout.
    unsafe {
        // surrogateescape round trip of an undecodable byte.
        let o = gilgate_capi::ffi::PyUnicode_DecodeFSDefaultAndSize(c"a\xffb".as_ptr(), 3);
        assert_eq!(repr(o), "'a\\udcffb'");
        let b = gilgate_capi::ffi::PyUnicode_EncodeFSDefault(o);
        assert_eq!(repr(b), "b'a\\xffb'");
        let mut out: *mut PyObject = null_mut();
        assert_eq!(
            gilgate_capi::ffi::PyUnicode_FSConverter(o, (&raw mut out).cast()),
            0x20000
        );
        assert_eq!(repr(out), "b'a\\xffb'");
        assert_eq!(
            gilgate_capi::ffi::PyUnicode_FSConverter(null_mut(), (&raw mut out).cast()),
            1
        );
        assert!(out.is_null());
        dec(b);
        dec(o);
        let mut left = s("ab");
        let right = s("\u{20ac}");
        gilgate_capi::ffi::PyUnicode_Append(&mut left, right);
        assert_eq!(repr(left), "'ab\u{20ac}'");
        assert_eq!(gilgate_capi::ffi::PyUnicode_Resize(&mut left, 2), 0);
        assert_eq!(repr(left), "'ab'");
        assert_eq!(gilgate_capi::ffi::PyUnicode_IsIdentifier(left), 1);
        let bad = s("1a");
        assert_eq!(gilgate_capi::ffi::PyUnicode_IsIdentifier(bad), 0);
        assert_eq!(gilgate_capi::ffi::PyUnicode_KIND(right), 2);
        let r = gilgate_capi::ffi::PyUnicode_RichCompare(left, bad, Py_LT);
        assert_eq!(repr(r), "False");
        dec(r);
        for x in [left, right, bad] {
            dec(x);
        }
    }
}

#[test]
fn str_split_family() {
    init();
    // SAFETY: live objects throughout.
    unsafe {
        let show = |o: *mut PyObject| {
            let r = repr(o);
            dec(o);
            r
        };
        let (t1, t2, t3, eq) = (s("a b  c "), s("a,b,c"), s("a=b=c"), s("="));
        let comma = s(",");
        assert_eq!(
            show(gilgate_capi::ffi::PyUnicode_RSplit(t1, null_mut(), 1)),
            "['a b', 'c']"
        );
        assert_eq!(
            show(gilgate_capi::ffi::PyUnicode_RSplit(t2, comma, 1)),
            "['a,b', 'c']"
        );
        let lines = s("a\r\nb\nc\n");
        assert_eq!(
            show(gilgate_capi::ffi::PyUnicode_Splitlines(lines, 0)),
            "['a', 'b', 'c']"
        );
        assert_eq!(
            show(gilgate_capi::ffi::PyUnicode_Splitlines(lines, 1)),
            "['a\\r\\n', 'b\\n', 'c\\n']"
        );
        assert_eq!(
            show(gilgate_capi::ffi::PyUnicode_Partition(t3, eq)),
            "('a', '=', 'b=c')"
        );
        assert_eq!(
            show(gilgate_capi::ffi::PyUnicode_RPartition(t3, eq)),
            "('a=b', '=', 'c')"
        );
        assert_eq!(
            show(gilgate_capi::ffi::PyUnicode_RPartition(t2, eq)),
            "('', '', 'a,b,c')"
        );
        for o in [t1, t2, t3, eq, comma, lines] {
            dec(o);
        }
    }
}

/// The `surrogatepass` handler: UTF-8 writes a lone surrogate as its 3-byte form and reads
/// it back (as CPython's `'\ud800'.encode('utf-8', 'surrogatepass') == b'\xed\xa0\x80'`);
/// strict still refuses, and the one-byte codecs treat it as strict.
#[test]
fn utf8_surrogatepass_round_trip() {
    init();
    let text = uni::from_ucs4(&[0x61, 0xd800, 0x62]);
    // SAFETY: live objects and NUL-terminated names.
    unsafe {
        let b = gilgate_capi::ffi::PyUnicode_AsEncodedString(
            text,
            c"utf-8".as_ptr(),
            c"surrogatepass".as_ptr(),
        );
        assert!(!b.is_null(), "{:?}", gilgate_capi::host::take_exception());
        let bytes = gilgate_capi::testing::bytesobject::as_bytes(b);
        assert_eq!(bytes, b"a\xed\xa0\x80b");
        let back = gilgate_capi::ffi::PyUnicode_Decode(
            bytes.as_ptr().cast(),
            bytes.len() as _,
            c"utf-8".as_ptr(),
            c"surrogatepass".as_ptr(),
        );
        assert!(
            !back.is_null(),
            "{:?}",
            gilgate_capi::host::take_exception()
        );
        assert_eq!(repr(back), "'a\\ud800b'");
        let strict = gilgate_capi::ffi::PyUnicode_Decode(
            bytes.as_ptr().cast(),
            bytes.len() as _,
            c"utf-8".as_ptr(),
            null_mut(),
        );
        assert!(strict.is_null());
        assert_eq!(
            err(),
            (
                "UnicodeDecodeError".to_owned(),
                "'utf-8' codec can't decode byte 0xed in position 1: invalid continuation byte"
                    .to_owned()
            )
        );
        let ascii = gilgate_capi::ffi::PyUnicode_AsEncodedString(
            text,
            c"ascii".as_ptr(),
            c"surrogatepass".as_ptr(),
        );
        assert!(ascii.is_null());
        assert_eq!(err().0, "UnicodeEncodeError");
        dec(back);
        dec(b);
        dec(text);
    }
    no_err();
}

/// The `surrogateescape` handler (PEP 383), which SWIG passes to `PyUnicode_DecodeUTF8` for
/// every C string it exports: each byte of an invalid sequence decodes to U+DC00+byte
/// (CPython: `b'a\xff\xed\xa0\x80b'.decode('utf-8', 'surrogateescape')` is
/// `'a\udcff\udced\udca0\udc80b'`) and encodes back to the same bytes; a valid string is
/// unchanged; a surrogate outside U+DC80..U+DCFF still cannot be encoded.
#[test]
fn utf8_surrogateescape_round_trip() {
    init();
    let raw: &[u8] = b"a\xff\xed\xa0\x80b";
    // SAFETY: live objects, readable buffers and NUL-terminated names.
    unsafe {
        let s = gilgate_capi::ffi::PyUnicode_DecodeUTF8(
            raw.as_ptr().cast(),
            raw.len() as _,
            c"surrogateescape".as_ptr(),
        );
        assert!(!s.is_null(), "{:?}", gilgate_capi::host::take_exception());
        assert_eq!(repr(s), "'a\\udcff\\udced\\udca0\\udc80b'");
        let b = gilgate_capi::ffi::PyUnicode_AsEncodedString(
            s,
            c"utf-8".as_ptr(),
            c"surrogateescape".as_ptr(),
        );
        assert!(!b.is_null(), "{:?}", gilgate_capi::host::take_exception());
        assert_eq!(gilgate_capi::testing::bytesobject::as_bytes(b), raw);
        let plain = gilgate_capi::ffi::PyUnicode_DecodeUTF8(
            c"1.12.0".as_ptr(),
            6,
            c"surrogateescape".as_ptr(),
        );
        assert_eq!(repr(plain), "'1.12.0'");
        let ascii = gilgate_capi::ffi::PyUnicode_Decode(
            raw.as_ptr().cast(),
            raw.len() as _,
            c"ascii".as_ptr(),
            c"surrogateescape".as_ptr(),
        );
        assert_eq!(repr(ascii), "'a\\udcff\\udced\\udca0\\udc80b'");
        let high = uni::from_ucs4(&[0xd800]);
        let bad = gilgate_capi::ffi::PyUnicode_AsEncodedString(
            high,
            c"utf-8".as_ptr(),
            c"surrogateescape".as_ptr(),
        );
        assert!(bad.is_null());
        assert_eq!(err().0, "UnicodeEncodeError");
        for o in [s, b, plain, ascii, high] {
            dec(o);
        }
    }
    no_err();
}

/// The classification functions behind `Py_UNICODE_ISSPACE` & co. give `str`'s answers
/// (checked with CPython 3.11's `isspace`/`islower`/`isupper`/`isalpha`/`splitlines`).
#[test]
fn unicode_character_classes() {
    use gilgate_capi::ffi::{
        _PyUnicode_IsAlpha, _PyUnicode_IsLinebreak, _PyUnicode_IsLowercase, _PyUnicode_IsUppercase,
        _PyUnicode_IsWhitespace, _PyUnicode_ToLowercase, _PyUnicode_ToUppercase,
    };
    let space: Vec<c_int> = [' ', '\x1c', '\u{a0}', '\u{3000}', 'a', '\u{200b}']
        .iter()
        .map(|&c| _PyUnicode_IsWhitespace(c as u32))
        .collect();
    assert_eq!(space, [1, 1, 1, 1, 0, 0]);
    assert_eq!(_PyUnicode_IsWhitespace(0xd800), 0);
    assert_eq!(
        [
            _PyUnicode_IsLowercase('ß' as u32),
            _PyUnicode_IsLowercase('A' as u32)
        ],
        [1, 0]
    );
    assert_eq!(_PyUnicode_IsUppercase('É' as u32), 1);
    let alpha: Vec<c_int> = ['é', '1', '\u{2b0}']
        .iter()
        .map(|&c| _PyUnicode_IsAlpha(c as u32))
        .collect();
    assert_eq!(alpha, [1, 0, 1]);
    assert_eq!(
        [0x85u32, 0x2028, 0x20].map(|c| _PyUnicode_IsLinebreak(c)),
        [1, 1, 0]
    );
    assert_eq!(_PyUnicode_ToLowercase(0x130), 'i' as u32);
    assert_eq!(_PyUnicode_ToUppercase('ß' as u32), 'S' as u32);
    assert_eq!(_PyUnicode_ToUppercase('a' as u32), 'A' as u32);
}

/// Short exact tuples reuse the blocks of freed ones (per-thread free lists): a reused block
/// must come back as a fresh tuple (NULL items, the new length, no cached hash), also when
/// the freed tuple was shrunk by `_PyTuple_Resize` or had its hash cached.
#[test]
fn short_tuples_reuse_freed_blocks_cleanly() {
    init();
    for n in 1..=5usize {
        let t = PyTuple_New(n as isize);
        for i in 0..n {
            assert_eq!(
                // SAFETY: fresh tuple; SetItem steals the new int.
                unsafe { PyTuple_SetItem(t, i as isize, int(100 + i as i64)) },
                0
            );
        }
        // Cache its hash, then free it: the next tuple of that length takes its block.
        // SAFETY: live tuple.
        assert_ne!(unsafe { gilgate_capi::ffi::PyObject_Hash(t) }, -1);
        let first = t as usize;
        dec(t);
        let u = PyTuple_New(n as isize);
        assert!(!u.is_null());
        if n <= 4 {
            assert_eq!(u as usize, first, "a freed {n}-tuple's block is reused");
        }
        // SAFETY: a live tuple.
        assert_eq!(unsafe { PyTuple_Size(u) }, n as isize);
        // SAFETY: a live tuple of n items.
        let hash_field = unsafe { (*u.cast::<PyTupleObject>()).ob_hash };
        assert_eq!(hash_field, -1, "no stale cached hash");
        for i in 0..n {
            assert!(raw_item(u, i).is_null(), "item {i} of {n} is NULL");
        }
        no_err();
        dec(u);
    }
    // A tuple shrunk in place goes back to the list of its new length and is reused there.
    let mut t = PyTuple_New(4);
    for i in 0..4 {
        // SAFETY: fresh tuple; SetItem steals the new int.
        unsafe { PyTuple_SetItem(t, i, int(i as i64)) };
    }
    // SAFETY: `t` is a tuple we own alone.
    assert_eq!(unsafe { _PyTuple_Resize(&mut t, 2) }, 0);
    assert_eq!(repr(t), "(0, 1)");
    let shrunk = t as usize;
    dec(t);
    let v = PyTuple_New(2);
    assert_eq!(v as usize, shrunk);
    // SAFETY: a live tuple.
    assert_eq!(unsafe { PyTuple_Size(v) }, 2);
    assert!(raw_item(v, 0).is_null() && raw_item(v, 1).is_null());
    dec(v);
}

/// Item `i` of a tuple as stored (NULL for an unset one).
fn raw_item(t: *mut PyObject, i: usize) -> *mut PyObject {
    // SAFETY: `t` is a live tuple with more than `i` items.
    unsafe { (*t.cast::<PyTupleObject>()).ob_item.as_ptr().add(i).read() }
}

/// The text of a str through `PyUnicode_AsUTF8AndSize` (its stored UTF-8 form and length).
fn utf8_of(o: *mut PyObject) -> String {
    let mut n: isize = -1;
    // SAFETY: a live str; the pointer is valid for `n` bytes and NUL-terminated.
    unsafe {
        let p = gilgate_capi::ffi::PyUnicode_AsUTF8AndSize(o, &mut n);
        assert!(!p.is_null());
        let text = std::slice::from_raw_parts(p.cast::<u8>(), n as usize);
        assert_eq!(p.add(n as usize).read(), 0, "the text ends with a NUL");
        String::from_utf8(text.to_vec()).unwrap()
    }
}

/// Short exact ASCII strs (up to 7 characters) reuse the blocks of freed ones (a per-thread
/// free list): a reused block must come back as a fresh str (the new length and text with
/// its NUL, no cached hash), for every length the list serves and the first ones past it.
#[test]
fn short_strs_reuse_freed_blocks_cleanly() {
    init();
    let pool = "qwertyuiopasdfghjk";
    for a_len in 0..=10usize {
        for b_len in 0..=10usize {
            let a = s(&pool[..a_len]);
            // Cache its hash and UTF-8 form, then free it.
            // SAFETY: a live str.
            assert_ne!(unsafe { PyObject_Hash(a) }, -1);
            assert_eq!(utf8_of(a), &pool[..a_len]);
            let first = a as usize;
            dec(a);
            let text = &pool[pool.len() - b_len..];
            let b = s(text);
            if (2..=7).contains(&a_len) && (2..=7).contains(&b_len) {
                assert_eq!(
                    b as usize, first,
                    "a freed {a_len}-char str's block is reused"
                );
            }
            assert_eq!(utf8_of(b), text);
            // SAFETY: a live str.
            let len = unsafe { gilgate_capi::ffi::PyUnicode_GetLength(b) };
            assert_eq!(len, b_len as isize);
            // An equal str made while `b` is alive has another block: equal hashes mean `b`
            // had no stale cached hash.
            let c = s(text);
            // SAFETY: live strs.
            unsafe { assert_eq!(PyObject_Hash(b), PyObject_Hash(c)) };
            assert_eq!(repr(b), format!("'{text}'"));
            dec(c);
            dec(b);
            no_err();
        }
    }
}

/// Short strs made on some threads and freed on others (each freed block goes to the freeing
/// thread's free list and serves that thread's next short strs) keep their text: 4 threads,
/// each making strs of 0 to 9 characters, handing half of them to the next thread to free and
/// checking every str it receives and every str it makes from reused blocks.
#[test]
fn short_strs_freed_on_other_threads_keep_their_text() {
    init();
    const THREADS: usize = 4;
    const ROUNDS: usize = 20_000;
    let (txs, rxs): (Vec<_>, Vec<_>) = (0..THREADS)
        .map(|_| std::sync::mpsc::channel::<Option<(usize, String)>>())
        .unzip();
    let handles: Vec<_> = rxs
        .into_iter()
        .enumerate()
        .map(|(i, rx)| {
            let next = txs[(i + 1) % THREADS].clone();
            std::thread::spawn(move || {
                let pool = "0123456789abcdefghij";
                let mut received = 0usize;
                let check = |o: *mut PyObject, text: &str| {
                    assert_eq!(utf8_of(o), text);
                    // SAFETY: a live str.
                    let len = unsafe { gilgate_capi::ffi::PyUnicode_GetLength(o) };
                    assert_eq!(len, text.len() as isize);
                };
                for k in 0..ROUNDS {
                    let len = (k + i) % 10;
                    let text = &pool[k % 10..k % 10 + len];
                    let o = s(text);
                    check(o, text);
                    if k % 2 == 0 {
                        next.send(Some((o as usize, text.to_owned()))).unwrap();
                    } else {
                        dec(o);
                    }
                    while let Ok(Some((p, t))) = rx.try_recv() {
                        check(p as *mut PyObject, &t);
                        dec(p as *mut PyObject);
                        received += 1;
                    }
                }
                next.send(None).unwrap();
                while let Ok(Some((p, t))) = rx.recv() {
                    check(p as *mut PyObject, &t);
                    dec(p as *mut PyObject);
                    received += 1;
                }
                received
            })
        })
        .collect();
    drop(txs);
    let received: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(received, THREADS * ROUNDS / 2);
    gilgate_capi::host::merge_pending();
}

/// `PyDict_GetItem` swallows the lookup's own error and keeps an exception that was set
/// before the call, with or without one pending.
#[test]
fn dict_getitem_swallows_lookup_errors_and_keeps_a_pending_one() {
    init();
    let d = PyDict_New();
    let k = s("key");
    let v = int(7);
    let unhashable = list_of(&[1, 2]);
    // SAFETY: live objects this test owns.
    unsafe {
        assert_eq!(PyDict_SetItem(d, k, v), 0);

        // Nothing pending: a hit, a miss and a failing hash; none leaves an exception.
        assert_eq!(PyDict_GetItem(d, k), v);
        no_err();
        let other = s("other");
        assert!(PyDict_GetItem(d, other).is_null());
        no_err();
        assert!(PyDict_GetItem(d, unhashable).is_null());
        no_err();

        // A pending exception survives all three, unchanged.
        for key in [k, other, unhashable] {
            PyErr_SetString(PyExc_KeyError, c"set before".as_ptr());
            let got = PyDict_GetItem(d, key);
            assert_eq!(got.is_null(), key != k);
            assert_eq!(err(), ("KeyError".into(), "'set before'".into()));
        }
        dec(other);
    }
    dec(unhashable);
    dec(v);
    dec(k);
    dec(d);
}
