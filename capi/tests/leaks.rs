//! No leaks through the C API itself: each test runs a workload of exported functions (the
//! way an extension calls them: new references released with `Py_DecRef`, borrowed ones not),
//! and the live-object count (`objimpl::live_objects`: objects created and not yet
//! deallocated) must be back exactly where it was.
//!
//! One warm-up round runs first (objects meant to live on, such as interned names or lazily
//! built type caches, are created there); after it, every round must free every object it
//! creates, so a single missing decref on any path fails the test.

use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyTypeObject;
use gilgate_capi::host::live_objects;
use gilgate_capi::host::merge_pending;
use std::ffi::{CStr, CString, c_char, c_double, c_int, c_long, c_uint, c_void};
use std::ptr::{null, null_mut};
use support::runtime_thread::on_runtime_thread;

mod support;

type Obj = *mut PyObject;

unsafe extern "C" {
    fn Py_IncRef(o: Obj);
    fn Py_DecRef(o: Obj);
    fn PyErr_Occurred() -> Obj;
    fn PyErr_Clear();
    fn PyErr_SetString(t: Obj, msg: *const c_char);
    fn PyErr_SetObject(t: Obj, v: Obj);
    fn PyErr_Format(t: Obj, fmt: *const c_char, ...) -> Obj;
    fn PyErr_GetRaisedException() -> Obj;
    fn PyErr_SetRaisedException(e: Obj);
    fn PyErr_Fetch(t: *mut Obj, v: *mut Obj, tb: *mut Obj);
    fn PyErr_Restore(t: Obj, v: Obj, tb: Obj);
    fn PyErr_NormalizeException(t: *mut Obj, v: *mut Obj, tb: *mut Obj);
    fn PyErr_NewException(name: *const c_char, base: Obj, dict: Obj) -> Obj;
    fn PyException_SetCause(e: Obj, cause: Obj);
    fn PyException_SetContext(e: Obj, ctx: Obj);
    fn PyException_GetCause(e: Obj) -> Obj;
    fn PyException_GetContext(e: Obj) -> Obj;
    fn PyException_GetTraceback(e: Obj) -> Obj;
    fn PyException_GetArgs(e: Obj) -> Obj;

    fn PyLong_FromLong(v: c_long) -> Obj;
    fn PyLong_FromString(s: *const c_char, end: *mut *mut c_char, base: c_int) -> Obj;
    fn PyLong_AsLong(o: Obj) -> c_long;
    fn PyNumber_Add(a: Obj, b: Obj) -> Obj;
    fn PyNumber_Subtract(a: Obj, b: Obj) -> Obj;
    fn PyNumber_Multiply(a: Obj, b: Obj) -> Obj;
    fn PyNumber_FloorDivide(a: Obj, b: Obj) -> Obj;
    fn PyNumber_TrueDivide(a: Obj, b: Obj) -> Obj;
    fn PyNumber_Remainder(a: Obj, b: Obj) -> Obj;
    fn PyNumber_Power(a: Obj, b: Obj, c: Obj) -> Obj;
    fn PyNumber_Negative(a: Obj) -> Obj;
    fn PyNumber_Lshift(a: Obj, b: Obj) -> Obj;
    fn PyNumber_InPlaceAdd(a: Obj, b: Obj) -> Obj;
    fn PyFloat_FromDouble(v: c_double) -> Obj;
    fn PyFloat_AsDouble(o: Obj) -> c_double;
    fn PyComplex_FromDoubles(r: c_double, i: c_double) -> Obj;

    fn PyUnicode_FromString(s: *const c_char) -> Obj;
    fn PyUnicode_FromStringAndSize(s: *const c_char, n: isize) -> Obj;
    fn PyUnicode_FromKindAndData(kind: c_int, data: *const c_void, n: isize) -> Obj;
    fn PyUnicode_FromFormat(fmt: *const c_char, ...) -> Obj;
    fn PyUnicode_Concat(a: Obj, b: Obj) -> Obj;
    fn PyUnicode_Split(s: Obj, sep: Obj, max: isize) -> Obj;
    fn PyUnicode_Join(sep: Obj, seq: Obj) -> Obj;
    fn PyUnicode_AsUTF8AndSize(s: Obj, n: *mut isize) -> *const c_char;
    fn PyUnicode_AsEncodedString(s: Obj, enc: *const c_char, err: *const c_char) -> Obj;
    fn PyUnicode_DecodeUTF8(s: *const c_char, n: isize, err: *const c_char) -> Obj;
    fn PyUnicode_InternFromString(s: *const c_char) -> Obj;
    fn PyBytes_FromStringAndSize(s: *const c_char, n: isize) -> Obj;
    fn PyBytes_Concat(a: *mut Obj, b: Obj);
    fn PyBytes_FromFormat(fmt: *const c_char, ...) -> Obj;
    fn PyByteArray_FromStringAndSize(s: *const c_char, n: isize) -> Obj;

    fn PyTuple_New(n: isize) -> Obj;
    fn PyTuple_SetItem(t: Obj, i: isize, v: Obj) -> c_int;
    fn PyTuple_Pack(n: isize, ...) -> Obj;
    fn PyList_New(n: isize) -> Obj;
    fn PyList_Append(l: Obj, v: Obj) -> c_int;
    fn PyList_SetItem(l: Obj, i: isize, v: Obj) -> c_int;
    fn PyList_Insert(l: Obj, i: isize, v: Obj) -> c_int;
    fn PyList_Sort(l: Obj) -> c_int;
    fn PyList_Reverse(l: Obj) -> c_int;
    fn PyList_AsTuple(l: Obj) -> Obj;
    fn PyList_GetSlice(l: Obj, a: isize, b: isize) -> Obj;
    fn PyList_SetSlice(l: Obj, a: isize, b: isize, v: Obj) -> c_int;
    fn PyList_GetItemRef(l: Obj, i: isize) -> Obj;
    fn PyDict_New() -> Obj;
    fn PyDict_SetItem(d: Obj, k: Obj, v: Obj) -> c_int;
    fn PyDict_SetItemString(d: Obj, k: *const c_char, v: Obj) -> c_int;
    fn PyDict_DelItem(d: Obj, k: Obj) -> c_int;
    fn PyDict_GetItemRef(d: Obj, k: Obj, out: *mut Obj) -> c_int;
    fn PyDict_Copy(d: Obj) -> Obj;
    fn PyDict_Keys(d: Obj) -> Obj;
    fn PyDict_Items(d: Obj) -> Obj;
    fn PyDict_Update(d: Obj, o: Obj) -> c_int;
    fn PyDict_Next(d: Obj, pos: *mut isize, k: *mut Obj, v: *mut Obj) -> c_int;
    fn PyDict_Clear(d: Obj);
    fn PySet_New(it: Obj) -> Obj;
    fn PySet_Add(s: Obj, k: Obj) -> c_int;
    fn PySet_Discard(s: Obj, k: Obj) -> c_int;
    fn PySet_Contains(s: Obj, k: Obj) -> c_int;
    fn PyFrozenSet_New(it: Obj) -> Obj;

    fn PyObject_Repr(o: Obj) -> Obj;
    fn PyObject_Str(o: Obj) -> Obj;
    fn PyObject_Hash(o: Obj) -> isize;
    fn PyObject_RichCompare(a: Obj, b: Obj, op: c_int) -> Obj;
    fn PyObject_GetIter(o: Obj) -> Obj;
    fn PyIter_Next(o: Obj) -> Obj;
    fn PyObject_GetItem(o: Obj, k: Obj) -> Obj;
    fn PyObject_SetItem(o: Obj, k: Obj, v: Obj) -> c_int;
    fn PyObject_CallObject(f: Obj, args: Obj) -> Obj;
    fn PyObject_Call(f: Obj, args: Obj, kw: Obj) -> Obj;
    fn PyObject_GetAttrString(o: Obj, n: *const c_char) -> Obj;
    fn PyObject_SetAttrString(o: Obj, n: *const c_char, v: Obj) -> c_int;
    fn PySequence_List(o: Obj) -> Obj;
    fn PySequence_Tuple(o: Obj) -> Obj;
    fn PySequence_Contains(o: Obj, v: Obj) -> c_int;
    fn PySlice_New(a: Obj, b: Obj, c: Obj) -> Obj;

    fn PyType_FromSpec(spec: *mut gilgate_capi::ffi::PyType_Spec) -> Obj;
    fn PyType_FromSpecWithBases(spec: *mut gilgate_capi::ffi::PyType_Spec, b: Obj) -> Obj;
    fn PyType_GenericNew(t: *mut PyTypeObject, a: Obj, k: Obj) -> Obj;

    fn Py_BuildValue(fmt: *const c_char, ...) -> Obj;
    fn PyArg_ParseTuple(args: Obj, fmt: *const c_char, ...) -> c_int;
    fn PyArg_ParseTupleAndKeywords(
        args: Obj,
        kw: Obj,
        fmt: *const c_char,
        kwlist: *const *const c_char,
        ...
    ) -> c_int;
    fn PyArg_UnpackTuple(args: Obj, name: *const c_char, min: isize, max: isize, ...) -> c_int;

    fn PyCapsule_New(
        p: *mut c_void,
        name: *const c_char,
        d: Option<unsafe extern "C" fn(Obj)>,
    ) -> Obj;
    fn PyCapsule_GetPointer(c: Obj, name: *const c_char) -> *mut c_void;
    fn PyMemoryView_FromObject(o: Obj) -> Obj;
    fn PyObject_GetBuffer(o: Obj, view: *mut gilgate_capi::ffi::Py_buffer, flags: c_int) -> c_int;
    fn PyBuffer_Release(view: *mut gilgate_capi::ffi::Py_buffer);
    fn PyByteArray_Concat(a: Obj, b: Obj) -> Obj;
    fn PyByteArray_Resize(a: Obj, n: isize) -> c_int;
    fn PyObject_CallMethod(o: Obj, name: *const c_char, fmt: *const c_char, ...) -> Obj;
    fn PyObject_CallFunction(f: Obj, fmt: *const c_char, ...) -> Obj;
    fn PyWeakref_NewRef(o: Obj, cb: Obj) -> Obj;
    fn PyWeakref_GetRef(r: Obj, out: *mut Obj) -> c_int;
    fn PyDict_Pop(d: Obj, k: Obj, out: *mut Obj) -> c_int;
    fn PyDict_SetDefaultRef(d: Obj, k: Obj, v: Obj, out: *mut Obj) -> c_int;
    fn PyObject_GetOptionalAttr(o: Obj, n: Obj, out: *mut Obj) -> c_int;
    fn PySequence_Concat(a: Obj, b: Obj) -> Obj;
    fn PySequence_Repeat(a: Obj, n: isize) -> Obj;
    fn PyNumber_Long(o: Obj) -> Obj;
    fn PyNumber_Float(o: Obj) -> Obj;
    fn PyNumber_Index(o: Obj) -> Obj;
    fn PyUnicode_Replace(s: Obj, a: Obj, b: Obj, n: isize) -> Obj;
    fn PyDictProxy_New(d: Obj) -> Obj;
    fn PyObject_ClearWeakRefs(o: Obj);
    fn PyObject_ClearManagedDict(o: Obj);
    fn PyObject_Type(o: Obj) -> Obj;

    static mut PyExc_ValueError: Obj;
    static mut PyExc_KeyError: Obj;
    static mut PyExc_TypeError: Obj;
    static mut PyExc_RuntimeError: Obj;
    static mut PyExc_Exception: Obj;
    static mut _Py_NoneStruct: PyObject;
}

fn init_runtime() {
    gilgate_capi::host::initialize().unwrap();
}

type R<T> = Result<T, String>;

fn live() -> isize {
    merge_pending();
    live_objects()
}

/// Warm-up round, then three measured rounds that must leave the count unchanged.
fn assert_no_leak(what: &str, mut work: impl FnMut() -> R<()>) {
    work().unwrap_or_else(|e| panic!("{what}: warm-up failed: {e}"));
    let before = live();
    for round in 0..3 {
        work().unwrap_or_else(|e| panic!("{what}: round {round} failed: {e}"));
    }
    let leaked = live() - before;
    assert_eq!(
        leaked, 0,
        "{what}: {leaked} objects created in 3 rounds are still alive"
    );
}

/// The pending exception as text (and clears it).
fn take_error() -> String {
    match gilgate_capi::host::take_exception() {
        Some(e) => format!("{}: {}", e.type_name, e.message),
        None => "NULL without an exception".into(),
    }
}

/// A new reference, or the pending exception.
fn ok(p: Obj) -> R<Obj> {
    if p.is_null() {
        Err(take_error())
    } else {
        Ok(p)
    }
}

fn ok0(rc: c_int) -> R<()> {
    if rc < 0 { Err(take_error()) } else { Ok(()) }
}

/// Releases a new reference.
fn dec(o: Obj) {
    // SAFETY: every caller owns a strong reference to a live object.
    unsafe { Py_DecRef(o) }
}

/// Expects the last call to have failed with an exception of type `ty`, and clears it.
fn expect_exc(ty: &str) -> R<()> {
    // SAFETY: plain error-indicator query.
    if unsafe { PyErr_Occurred() }.is_null() {
        return Err(format!("expected {ty}, no exception set"));
    }
    let e = gilgate_capi::host::take_exception().expect("set");
    if e.type_name == ty {
        Ok(())
    } else {
        Err(format!("expected {ty}, got {}: {}", e.type_name, e.message))
    }
}

fn int(v: c_long) -> R<Obj> {
    // SAFETY: plain constructor.
    ok(unsafe { PyLong_FromLong(v) })
}

fn big(digits: &CStr) -> R<Obj> {
    // SAFETY: NUL-terminated digits.
    ok(unsafe { PyLong_FromString(digits.as_ptr(), null_mut(), 0) })
}

fn text(s: &str) -> R<Obj> {
    let c = CString::new(s).unwrap();
    // SAFETY: NUL-terminated UTF-8.
    ok(unsafe { PyUnicode_FromString(c.as_ptr()) })
}

fn repr_of(o: Obj) -> R<String> {
    // SAFETY: `o` is live; the UTF-8 buffer belongs to the repr string, read before release.
    unsafe {
        let r = ok(PyObject_Repr(o))?;
        let mut n = 0;
        let p = PyUnicode_AsUTF8AndSize(r, &mut n);
        let s = if p.is_null() {
            Err(take_error())
        } else {
            Ok(
                String::from_utf8_lossy(std::slice::from_raw_parts(p.cast(), n as usize))
                    .into_owned(),
            )
        };
        dec(r);
        s
    }
}

/// Applies a binary number operation to owned operands, releasing them.
fn binop(f: unsafe extern "C" fn(Obj, Obj) -> Obj, a: Obj, b: Obj) -> R<Obj> {
    // SAFETY: live operands owned by the caller.
    let r = unsafe { f(a, b) };
    dec(a);
    dec(b);
    ok(r)
}

#[test]
fn ints_big_ints_floats_and_complex() {
    on_runtime_thread(move || {
        init_runtime();
        assert_no_leak("numbers", || {
            // Small ints (cached) and arithmetic through every operator.
            let mut acc = int(0)?;
            for i in 0..200 {
                acc = binop(PyNumber_Add, acc, int(i * 7919)?)?;
            }
            let m = binop(PyNumber_Multiply, acc, int(-3)?)?;
            let q = binop(PyNumber_FloorDivide, m, int(7)?)?;
            let r = binop(PyNumber_Remainder, q, int(-11)?)?;
            dec(r);
            // Big ints: parsing, arithmetic that grows and shrinks, powers, shifts.
            let b = big(c"123456789012345678901234567890123456789")?;
            let sq = binop(PyNumber_Multiply, b, big(c"-98765432109876543210")?)?;
            let p = {
                let two = int(2)?;
                let e = int(200)?;
                // SAFETY: live operands; `None` is the static None object.
                let p = unsafe { PyNumber_Power(two, e, &raw mut _Py_NoneStruct) };
                dec(two);
                dec(e);
                ok(p)?
            };
            let s = binop(PyNumber_Subtract, sq, p)?;
            let sh = binop(PyNumber_Lshift, s, int(65)?)?;
            // SAFETY: `sh` is a live int we own.
            let neg = ok(unsafe { PyNumber_Negative(sh) })?;
            dec(sh);
            repr_of(neg)?;
            let back = binop(PyNumber_FloorDivide, neg, big(c"0x1000000000000000000000")?)?;
            // SAFETY: live int.
            if unsafe { PyLong_AsLong(back) } == -1 {
                expect_exc("OverflowError")?;
            }
            dec(back);
            // Errors: division by zero, mixed types, overflow.
            // SAFETY: live operands.
            unsafe {
                let one = int(1)?;
                let zero = int(0)?;
                assert!(PyNumber_FloorDivide(one, zero).is_null());
                expect_exc("ZeroDivisionError")?;
                assert!(PyNumber_TrueDivide(one, zero).is_null());
                expect_exc("ZeroDivisionError")?;
                let s = text("x")?;
                assert!(PyNumber_Add(one, s).is_null());
                expect_exc("TypeError")?;
                dec(s);
                dec(one);
                dec(zero);
            }
            // Floats and complex.
            // SAFETY: plain constructor.
            let mut f = ok(unsafe { PyFloat_FromDouble(0.5) })?;
            for i in 0..100 {
                // SAFETY: plain constructor.
                let g = ok(unsafe { PyFloat_FromDouble(i as f64 * 0.25) })?;
                // SAFETY: live operands; InPlaceAdd gives a new reference.
                let h = ok(unsafe { PyNumber_InPlaceAdd(f, g) })?;
                dec(f);
                dec(g);
                f = h;
            }
            let t = binop(PyNumber_TrueDivide, f, int(3)?)?;
            // SAFETY: live float.
            let _ = unsafe { PyFloat_AsDouble(t) };
            repr_of(t)?;
            dec(t);
            // SAFETY: plain constructor.
            let c = ok(unsafe { PyComplex_FromDoubles(1.5, -2.0) })?;
            let c2 = binop(
                PyNumber_Multiply,
                c,
                // SAFETY: plain constructor.
                ok(unsafe { PyComplex_FromDoubles(0.0, 1.0) })?,
            )?;
            repr_of(c2)?;
            dec(c2);
            Ok(())
        });
    });
}

#[test]
fn strings_of_every_kind_bytes_and_bytearrays() {
    on_runtime_thread(move || {
        init_runtime();
        assert_no_leak("strings", || {
            // SAFETY: every pointer passed is valid for the length given; owned results released.
            unsafe {
                let parts = [
                    text("ascii only")?,
                    text("latin-1: é ñ ÿ")?,
                    text("BMP: € ✓ 中文")?,
                    text("astral: 😀 𝔘")?,
                    text("")?,
                ];
                let ucs2: [u16; 3] = [0x20ac, 0x41, 0x4e2d];
                let ucs4: [u32; 2] = [0x1f600, 0x61];
                let latin: [u8; 3] = [0xe9, 0x41, 0xff];
                let k1 = ok(PyUnicode_FromKindAndData(1, latin.as_ptr().cast(), 3))?;
                let k2 = ok(PyUnicode_FromKindAndData(2, ucs2.as_ptr().cast(), 3))?;
                let k4 = ok(PyUnicode_FromKindAndData(4, ucs4.as_ptr().cast(), 2))?;
                let mut all = text("")?;
                for p in parts.iter().chain([&k1, &k2, &k4]) {
                    let n = ok(PyUnicode_Concat(all, *p))?;
                    dec(all);
                    all = n;
                    repr_of(*p)?;
                    PyObject_Hash(*p);
                }
                let sep = text(" ")?;
                let words = ok(PyUnicode_Split(all, sep, -1))?;
                let joined = ok(PyUnicode_Join(sep, words))?;
                let mut n = 0;
                assert!(!PyUnicode_AsUTF8AndSize(joined, &mut n).is_null());
                let enc = ok(PyUnicode_AsEncodedString(joined, c"utf-8".as_ptr(), null()))?;
                let dec_s = ok(PyUnicode_DecodeUTF8(c"h\xc3\xa9llo".as_ptr(), 6, null()))?;
                assert!(PyUnicode_DecodeUTF8(c"\xff".as_ptr(), 1, c"strict".as_ptr()).is_null());
                expect_exc("UnicodeDecodeError")?;
                assert!(PyUnicode_AsEncodedString(k4, c"ascii".as_ptr(), null()).is_null());
                expect_exc("UnicodeEncodeError")?;
                let fmt = ok(PyUnicode_FromFormat(
                    c"%s|%d|%R|%S|%U|%V|%zd|%c".as_ptr(),
                    c"x".as_ptr(),
                    42 as c_int,
                    k2,
                    k4,
                    k1,
                    null::<c_char>() as Obj,
                    c"fallback".as_ptr(),
                    -7isize,
                    0x1f600 as c_int,
                ))?;
                repr_of(fmt)?;
                let sub = ok(PyUnicode_FromStringAndSize(c"abcdef".as_ptr(), 3))?;
                let idx = int(1)?;
                let ch = ok(PyObject_GetItem(joined, idx))?;
                let intern = ok(PyUnicode_InternFromString(c"leaks_interned_name".as_ptr()))?;
                for o in [
                    sep, words, joined, enc, dec_s, fmt, sub, idx, ch, intern, all, k1, k2, k4,
                ] {
                    dec(o);
                }
                for p in parts {
                    dec(p);
                }
                // Bytes and bytearray.
                let mut b = ok(PyBytes_FromStringAndSize(b"abc\x00def".as_ptr().cast(), 7))?;
                let tail = ok(PyBytes_FromStringAndSize(null(), 0))?;
                PyBytes_Concat(&mut b, tail);
                ok(b)?;
                let bf = ok(PyBytes_FromFormat(
                    c"%s-%d".as_ptr(),
                    c"n".as_ptr(),
                    5 as c_int,
                ))?;
                let ba = ok(PyByteArray_FromStringAndSize(c"xyz".as_ptr(), 3))?;
                repr_of(b)?;
                repr_of(ba)?;
                for o in [b, tail, bf, ba] {
                    dec(o);
                }
                // A failed concatenation releases the left operand and sets it to NULL.
                let mut b2 = ok(PyBytes_FromStringAndSize(c"q".as_ptr(), 1))?;
                let not_bytes = int(3)?;
                PyBytes_Concat(&mut b2, not_bytes);
                assert!(b2.is_null());
                expect_exc("TypeError")?;
                dec(not_bytes);
            }
            Ok(())
        });
    });
}

#[test]
fn tuples_lists_dicts_and_sets() {
    on_runtime_thread(move || {
        init_runtime();
        assert_no_leak("containers", || {
            // SAFETY: every object passed is live; stolen references are not released again.
            unsafe {
                let t = ok(PyTuple_New(3))?;
                PyTuple_SetItem(t, 0, int(1)?);
                PyTuple_SetItem(t, 1, text("two")?);
                PyTuple_SetItem(t, 2, ok(PyFloat_FromDouble(3.0))?);
                // A failed SetItem still steals (and releases) the item.
                assert_eq!(PyTuple_SetItem(t, 9, int(99_999)?), -1);
                expect_exc("IndexError")?;
                let a = int(10)?;
                let packed = ok(PyTuple_Pack(2, t, a))?;
                // A shared tuple refuses SetItem (and still releases the item).
                assert_eq!(PyTuple_SetItem(t, 0, int(99_999)?), -1);
                expect_exc("SystemError")?;

                let l = ok(PyList_New(0))?;
                for i in 0..50 {
                    let v = int(i * 1000)?;
                    ok0(PyList_Append(l, v))?;
                    dec(v);
                }
                ok0(PyList_Insert(l, 0, packed))?;
                ok0(PyList_SetItem(l, 0, text("replaced")?))?;
                ok0(PyList_Reverse(l))?;
                assert_eq!(PyList_SetItem(l, 500, int(5)?), -1);
                expect_exc("IndexError")?;
                let sl = ok(PyList_GetSlice(l, 5, 25))?;
                ok0(PyList_SetSlice(l, 0, 10, sl))?;
                ok0(PyList_SetSlice(l, 0, 5, null_mut()))?;
                let tup = ok(PyList_AsTuple(l))?;
                let item = ok(PyList_GetItemRef(l, 3))?;
                assert!(PyList_GetItemRef(l, 1000).is_null());
                expect_exc("IndexError")?;
                // Sorting mixed types fails part-way; the list keeps all its items.
                let mixed = ok(PySequence_List(tup))?;
                assert_eq!(PyList_Sort(mixed), -1);
                expect_exc("TypeError")?;

                let d = ok(PyDict_New())?;
                for i in 0..40 {
                    let k = ok(PyUnicode_FromFormat(c"key%d".as_ptr(), i as c_int))?;
                    let v = ok(Py_BuildValue(c"(i[s])".as_ptr(), i as c_int, c"v".as_ptr()))?;
                    ok0(PyDict_SetItem(d, k, v))?;
                    dec(k);
                    dec(v);
                }
                ok0(PyDict_SetItemString(d, c"key3".as_ptr(), l))?;
                let k0 = text("key0")?;
                ok0(PyDict_DelItem(d, k0))?;
                assert_eq!(PyDict_DelItem(d, k0), -1);
                expect_exc("KeyError")?;
                let mut got = null_mut();
                assert_eq!(PyDict_GetItemRef(d, k0, &mut got), 0);
                let k5 = text("key5")?;
                assert_eq!(PyDict_GetItemRef(d, k5, &mut got), 1);
                dec(got);
                // An unhashable key.
                assert_eq!(PyDict_SetItem(d, l, k5), -1);
                expect_exc("TypeError")?;
                let copy = ok(PyDict_Copy(d))?;
                ok0(PyDict_Update(copy, d))?;
                let keys = ok(PyDict_Keys(copy))?;
                let items = ok(PyDict_Items(copy))?;
                let mut pos = 0;
                let (mut k, mut v) = (null_mut(), null_mut());
                let mut n = 0;
                while PyDict_Next(d, &mut pos, &mut k, &mut v) != 0 {
                    n += 1;
                }
                assert_eq!(n, 39);
                repr_of(d)?;
                PyDict_Clear(copy);

                let s = ok(PySet_New(keys))?;
                ok0(PySet_Add(s, k5))?;
                ok0(PySet_Add(s, tup))?;
                assert_eq!(PySet_Add(s, l), -1);
                expect_exc("TypeError")?;
                assert_eq!(PySet_Contains(s, k5), 1);
                assert_eq!(PySet_Discard(s, k5), 1);
                let fs = ok(PyFrozenSet_New(s))?;
                PyObject_Hash(fs);
                let it = ok(PyObject_GetIter(fs))?;
                loop {
                    let x = PyIter_Next(it);
                    if x.is_null() {
                        break;
                    }
                    dec(x);
                }
                assert!(PyErr_Occurred().is_null());
                assert_eq!(PySequence_Contains(items, k5), 0);
                let lt = PyObject_RichCompare(tup, packed, 0);
                if lt.is_null() {
                    PyErr_Clear();
                } else {
                    dec(lt);
                }
                let one = int(1)?;
                let three = int(3)?;
                let slice = ok(PySlice_New(one, three, null_mut()))?;
                let part = ok(PyObject_GetItem(l, slice))?;
                ok0(PyObject_SetItem(l, slice, part))?;
                for o in [
                    t, a, packed, l, sl, tup, item, mixed, d, k0, k5, copy, keys, items, s, fs, it,
                    one, three, slice, part,
                ] {
                    dec(o);
                }
            }
            Ok(())
        });
    });
}

#[test]
fn exceptions_with_causes_and_contexts() {
    on_runtime_thread(move || {
        init_runtime();
        assert_no_leak("exceptions", || {
            // SAFETY: the exception objects and types are live; ownership follows the C API.
            unsafe {
                // Raised and cleared, with a string message and with an object value.
                PyErr_SetString(PyExc_ValueError, c"plain".as_ptr());
                expect_exc("ValueError")?;
                let v = Py_BuildValue(c"(is)".as_ptr(), 1 as c_int, c"two".as_ptr());
                PyErr_SetObject(PyExc_KeyError, v);
                dec(v);
                expect_exc("KeyError")?;
                assert!(
                    PyErr_Format(
                        PyExc_TypeError,
                        c"%s takes %d, %R given".as_ptr(),
                        c"f".as_ptr(),
                        2 as c_int,
                        PyExc_TypeError
                    )
                    .is_null()
                );
                expect_exc("TypeError")?;

                // Fetch/normalize/restore round trip.
                PyErr_SetString(PyExc_RuntimeError, c"fetched".as_ptr());
                let (mut t, mut val, mut tb) = (null_mut(), null_mut(), null_mut());
                PyErr_Fetch(&mut t, &mut val, &mut tb);
                PyErr_NormalizeException(&mut t, &mut val, &mut tb);
                PyErr_Restore(t, val, tb);
                expect_exc("RuntimeError")?;

                // A chain: outer.__cause__ = inner, inner.__context__ = root.
                PyErr_SetString(PyExc_KeyError, c"root".as_ptr());
                let root = ok(PyErr_GetRaisedException())?;
                PyErr_SetString(PyExc_ValueError, c"inner".as_ptr());
                let inner = ok(PyErr_GetRaisedException())?;
                PyException_SetContext(inner, root); // steals `root`
                PyErr_SetString(PyExc_TypeError, c"outer".as_ptr());
                let outer = ok(PyErr_GetRaisedException())?;
                PyException_SetCause(outer, inner); // steals `inner`
                let cause = ok(PyException_GetCause(outer))?;
                let ctx = ok(PyException_GetContext(cause))?;
                let args = ok(PyException_GetArgs(ctx))?;
                let tb = PyException_GetTraceback(outer);
                if !tb.is_null() {
                    dec(tb);
                }
                repr_of(outer)?;
                dec(cause);
                dec(ctx);
                dec(args);
                PyErr_SetRaisedException(outer); // steals `outer`
                expect_exc("TypeError")?;

                // A new exception class, raised with an instance, then dropped with the class.
                let cls = ok(PyErr_NewException(
                    c"leaks.LeakError".as_ptr(),
                    PyExc_Exception,
                    null_mut(),
                ))?;
                let args = ok(Py_BuildValue(c"(s)".as_ptr(), c"custom".as_ptr()))?;
                let inst = ok(PyObject_CallObject(cls, args))?;
                PyErr_SetObject(cls, inst);
                expect_exc("LeakError")?;
                // Replacing a pending exception releases the first one.
                PyErr_SetString(cls, c"first".as_ptr());
                PyErr_SetString(PyExc_ValueError, c"second".as_ptr());
                expect_exc("ValueError")?;
                dec(inst);
                dec(args);
                dec(cls);
            }
            Ok(())
        });
    });
}

/// A heap type's instance layout: a C long and an object reference.
#[repr(C)]
struct Point {
    ob_base: PyObject,
    x: c_long,
    label: Obj,
}

unsafe extern "C" fn point_dealloc(op: Obj) {
    // SAFETY: `op` is a dead Point whose type is a live heap type.
    unsafe {
        let ty = (*op).ob_type;
        // As an extension's dealloc does for these flags.
        if (*ty).tp_flags & gilgate_capi::ffi::Py_TPFLAGS_MANAGED_WEAKREF != 0 {
            PyObject_ClearWeakRefs(op);
        }
        if (*ty).tp_flags & gilgate_capi::ffi::Py_TPFLAGS_MANAGED_DICT != 0 {
            PyObject_ClearManagedDict(op);
        }
        let label = (*op.cast::<Point>()).label;
        if !label.is_null() {
            Py_DecRef(label);
        }
        ((*ty).tp_free.expect("heap types have tp_free"))(op.cast());
        Py_DecRef(ty.cast());
    }
}

unsafe extern "C" fn point_init(op: Obj, args: Obj, kw: Obj) -> c_int {
    let kwlist = [c"x".as_ptr(), c"label".as_ptr(), null()];
    let mut x: c_long = 0;
    let mut label: Obj = null_mut();
    // SAFETY: `op` is a live Point; the format matches the out-parameters.
    unsafe {
        if PyArg_ParseTupleAndKeywords(
            args,
            kw,
            c"|lO:Point".as_ptr(),
            kwlist.as_ptr(),
            &mut x,
            &mut label,
        ) == 0
        {
            return -1;
        }
        let p = op.cast::<Point>();
        (*p).x = x;
        if !label.is_null() {
            Py_IncRef(label);
            let old = std::mem::replace(&mut (*p).label, label);
            if !old.is_null() {
                Py_DecRef(old);
            }
        }
    }
    0
}

fn leak<T>(v: Vec<T>) -> *mut T {
    Box::leak(v.into_boxed_slice()).as_mut_ptr()
}

/// A fresh heap type `leaks.Point` (and its spec, which must outlive it: leaked on purpose,
/// plain Rust memory, not objects).
fn point_type(name: &'static CStr, bases: Obj) -> R<Obj> {
    point_type_with(name, bases, 0)
}

/// [`point_type`] with extra type flags.
fn point_type_with(name: &'static CStr, bases: Obj, extra_flags: std::ffi::c_ulong) -> R<Obj> {
    use gilgate_capi::ffi::Py_T_LONG;
    use gilgate_capi::ffi::Py_T_OBJECT_EX;
    use gilgate_capi::ffi::PyMemberDef;
    use gilgate_capi::ffi::PyType_Slot;
    use gilgate_capi::ffi::PyType_Spec;
    use gilgate_capi::ffi::{Py_tp_dealloc, Py_tp_doc, Py_tp_init, Py_tp_members, Py_tp_new};
    let members = leak(vec![
        PyMemberDef {
            name: c"x".as_ptr(),
            type_: Py_T_LONG,
            offset: std::mem::offset_of!(Point, x) as isize,
            flags: 0,
            doc: null(),
        },
        PyMemberDef {
            name: c"label".as_ptr(),
            type_: Py_T_OBJECT_EX,
            offset: std::mem::offset_of!(Point, label) as isize,
            flags: 0,
            doc: null(),
        },
        PyMemberDef {
            name: null(),
            type_: 0,
            offset: 0,
            flags: 0,
            doc: null(),
        },
    ]);
    let slots = leak(vec![
        PyType_Slot {
            slot: Py_tp_dealloc,
            pfunc: point_dealloc as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_init,
            pfunc: point_init as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_new,
            pfunc: PyType_GenericNew as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_members,
            pfunc: members.cast(),
        },
        PyType_Slot {
            slot: Py_tp_doc,
            pfunc: c"A point.".as_ptr() as *mut c_void,
        },
        PyType_Slot {
            slot: 0,
            pfunc: null_mut(),
        },
    ]);
    let spec = Box::leak(Box::new(PyType_Spec {
        name: name.as_ptr(),
        basicsize: std::mem::size_of::<Point>() as c_int,
        itemsize: 0,
        flags: (gilgate_capi::ffi::Py_TPFLAGS_DEFAULT
            | gilgate_capi::ffi::Py_TPFLAGS_BASETYPE
            | extra_flags) as c_uint,
        slots,
    }));
    // SAFETY: a complete spec that lives forever.
    ok(unsafe {
        if bases.is_null() {
            PyType_FromSpec(spec)
        } else {
            PyType_FromSpecWithBases(spec, bases)
        }
    })
}

#[test]
fn heap_types_and_their_instances() {
    on_runtime_thread(move || {
        init_runtime();
        assert_no_leak("heap types", || {
            // SAFETY: live objects; ownership follows the C API.
            unsafe {
                let ty = point_type(c"leaks.Point", null_mut())?;
                let bases = ok(PyTuple_Pack(1, ty))?;
                let sub = point_type(c"leaks.SubPoint", bases)?;
                let mut made = Vec::new();
                for i in 0..20 {
                    let args = ok(Py_BuildValue(c"(l[i])".as_ptr(), i as c_long, i as c_int))?;
                    let p = ok(PyObject_CallObject(if i % 2 == 0 { ty } else { sub }, args))?;
                    dec(args);
                    made.push(p);
                }
                // Attribute traffic through the member descriptors.
                let label = text("relabelled")?;
                ok0(PyObject_SetAttrString(made[0], c"label".as_ptr(), label))?;
                let x = ok(PyObject_GetAttrString(made[3], c"x".as_ptr()))?;
                let got = ok(PyObject_GetAttrString(made[0], c"label".as_ptr()))?;
                assert!(PyObject_GetAttrString(made[0], c"missing".as_ptr()).is_null());
                expect_exc("AttributeError")?;
                assert_eq!(PyObject_SetAttrString(made[1], c"x".as_ptr(), label), -1);
                expect_exc("TypeError")?;
                // A failing __init__ (bad keyword) frees the half-built instance.
                let empty = ok(PyTuple_New(0))?;
                let kw = ok(Py_BuildValue(
                    c"{s:i}".as_ptr(),
                    c"nope".as_ptr(),
                    1 as c_int,
                ))?;
                assert!(PyObject_Call(ty, empty, kw).is_null());
                expect_exc("TypeError")?;
                let name = ok(PyObject_GetAttrString(sub, c"__name__".as_ptr()))?;
                let mro = ok(PyObject_GetAttrString(sub, c"__mro__".as_ptr()))?;
                repr_of(mro)?;
                for o in [label, x, got, empty, kw, name, mro] {
                    dec(o);
                }
                // `Point.__new__(SubPoint)`: the type's own `__new__`, which holds its type
                // borrowed (it lives in the type's dict).
                let new_fn = ok(PyObject_GetAttrString(ty, c"__new__".as_ptr()))?;
                let one = ok(PyTuple_Pack(1, sub))?;
                let raw = ok(PyObject_CallObject(new_fn, one))?;
                let raw_type = ok(PyObject_Type(raw))?;
                assert_eq!(raw_type, sub);
                for o in [one, raw, raw_type] {
                    dec(o);
                }
                for p in made {
                    dec(p);
                }
                // Dropping the types last frees them (and their dicts, MRO tuples, descriptors).
                dec(sub);
                dec(bases);
                dec(ty);
                // A `__new__` kept past its type raises instead of reading the freed type.
                let args = ok(PyTuple_New(0))?;
                assert!(PyObject_Call(new_fn, args, null_mut()).is_null());
                expect_exc("SystemError")?;
                dec(args);
                dec(new_fn);
            }
            Ok(())
        });
    });
}

#[test]
fn argument_parsing_and_building_round_trips() {
    on_runtime_thread(move || {
        init_runtime();
        assert_no_leak("PyArg/Py_BuildValue", || {
            // SAFETY: each format matches the variadic arguments passed.
            unsafe {
                let built = ok(Py_BuildValue(
                    c"(ihlLndfs#zy#O{s:[i,i],s:(d)}N)".as_ptr(),
                    -5 as c_int,
                    7 as c_int,
                    123456789 as c_long,
                    -1234567890123i64,
                    42isize,
                    2.5f64,
                    0.25f64,
                    c"héllo".as_ptr(),
                    6isize,
                    null::<c_char>(),
                    c"raw".as_ptr(),
                    3isize,
                    PyExc_KeyError,
                    c"list".as_ptr(),
                    1 as c_int,
                    2 as c_int,
                    c"tup".as_ptr(),
                    9.5f64,
                    text("stolen")?,
                ))?;
                repr_of(built)?;
                let (mut i, mut h, mut l, mut ll, mut n) =
                    (0 as c_int, 0i16, 0 as c_long, 0i64, 0isize);
                let (mut d, mut f) = (0f64, 0f32);
                let (mut s, mut slen) = (null::<c_char>(), 0isize);
                let mut z = null::<c_char>();
                let (mut y, mut ylen) = (null::<c_char>(), 0isize);
                let (mut o, mut dict, mut stolen) = (
                    null_mut::<PyObject>(),
                    null_mut::<PyObject>(),
                    null_mut::<PyObject>(),
                );
                ok0(PyArg_ParseTuple(
                    built,
                    c"ihlLndfs#zy#OOU:roundtrip".as_ptr(),
                    &mut i,
                    &mut h,
                    &mut l,
                    &mut ll,
                    &mut n,
                    &mut d,
                    &mut f,
                    &mut s,
                    &mut slen,
                    &mut z,
                    &mut y,
                    &mut ylen,
                    &mut o,
                    &mut dict,
                    &mut stolen,
                ) - 1)?;
                assert_eq!(
                    (i, h, l, ll, n, d, f),
                    (-5, 7, 123456789, -1234567890123, 42, 2.5, 0.25)
                );
                assert!(z.is_null());
                assert_eq!(slen, 6);
                // Failures: too few items, a wrong type, an overflow.
                let short = ok(Py_BuildValue(c"(i)".as_ptr(), 1 as c_int))?;
                let mut i2: c_int = 0;
                assert_eq!(PyArg_ParseTuple(short, c"ii".as_ptr(), &mut i, &mut i2), 0);
                expect_exc("TypeError")?;
                let wrong = ok(Py_BuildValue(c"(s)".as_ptr(), c"x".as_ptr()))?;
                assert_eq!(PyArg_ParseTuple(wrong, c"i".as_ptr(), &mut i), 0);
                expect_exc("TypeError")?;
                let huge = ok(Py_BuildValue(c"(L)".as_ptr(), i64::MAX))?;
                assert_eq!(PyArg_ParseTuple(huge, c"h".as_ptr(), &mut h), 0);
                expect_exc("OverflowError")?;
                // O& converter and keywords.
                let kwlist = [c"a".as_ptr(), c"b".as_ptr(), c"c".as_ptr(), null()];
                let args = ok(Py_BuildValue(c"(i)".as_ptr(), 3 as c_int))?;
                let kw = ok(Py_BuildValue(
                    c"{s:s,s:[O]}".as_ptr(),
                    c"b".as_ptr(),
                    c"bee".as_ptr(),
                    c"c".as_ptr(),
                    built,
                ))?;
                let (mut a, mut b, mut c) = (0 as c_int, null::<c_char>(), null_mut::<PyObject>());
                ok0(PyArg_ParseTupleAndKeywords(
                    args,
                    kw,
                    c"i|s$O:kwf".as_ptr(),
                    kwlist.as_ptr(),
                    &mut a,
                    &mut b,
                    &mut c,
                ) - 1)?;
                let bad = ok(Py_BuildValue(
                    c"{s:i}".as_ptr(),
                    c"zzz".as_ptr(),
                    1 as c_int,
                ))?;
                assert_eq!(
                    PyArg_ParseTupleAndKeywords(
                        args,
                        bad,
                        c"i|s$O:kwf".as_ptr(),
                        kwlist.as_ptr(),
                        &mut a,
                        &mut b,
                        &mut c
                    ),
                    0
                );
                expect_exc("TypeError")?;
                let (mut u1, mut u2) = (null_mut::<PyObject>(), null_mut::<PyObject>());
                ok0(PyArg_UnpackTuple(args, c"unpack".as_ptr(), 1, 2, &mut u1, &mut u2) - 1)?;
                assert_eq!(
                    PyArg_UnpackTuple(args, c"unpack".as_ptr(), 2, 2, &mut u1, &mut u2),
                    0
                );
                expect_exc("TypeError")?;
                // A failing N argument: Py_BuildValue still releases it.
                let victim = text("released on failure")?;
                assert!(
                    Py_BuildValue(
                        c"(NO&)".as_ptr(),
                        victim,
                        fail_conv as *const c_void,
                        null_mut::<c_void>()
                    )
                    .is_null()
                );
                expect_exc("ValueError")?;
                let list = ok(Py_BuildValue(c"[O,O,O]".as_ptr(), built, short, wrong))?;
                let tup = ok(PySequence_Tuple(list))?;
                repr_of(tup)?;
                for x in [built, short, wrong, huge, args, kw, bad, list, tup] {
                    dec(x);
                }
            }
            Ok(())
        });
    });
}

unsafe extern "C" fn fail_conv(_: *mut c_void) -> Obj {
    // SAFETY: plain error-indicator call.
    unsafe { PyErr_SetString(PyExc_ValueError, c"converter failed".as_ptr()) };
    null_mut()
}

#[test]
fn calls_iterators_and_getattr_on_builtin_types() {
    on_runtime_thread(move || {
        init_runtime();
        assert_no_leak("calls", || {
            // SAFETY: live objects; ownership follows the C API.
            unsafe {
                let l = ok(Py_BuildValue(
                    c"[iiisd]".as_ptr(),
                    3 as c_int,
                    1 as c_int,
                    2 as c_int,
                    c"s".as_ptr(),
                    0.5f64,
                ))?;
                let append = ok(PyObject_GetAttrString(l, c"append".as_ptr()))?;
                let args = ok(Py_BuildValue(c"(i)".as_ptr(), 4 as c_int))?;
                let r = ok(PyObject_CallObject(append, args))?;
                dec(r);
                assert!(PyObject_CallObject(append, null_mut()).is_null());
                expect_exc("TypeError")?;
                let it = ok(PyObject_GetIter(l))?;
                let mut n = 0;
                loop {
                    let x = PyIter_Next(it);
                    if x.is_null() {
                        break;
                    }
                    let s = ok(PyObject_Str(x))?;
                    dec(s);
                    dec(x);
                    n += 1;
                }
                assert_eq!(n, 6);
                let d = ok(PyDict_New())?;
                ok0(PyDict_SetItemString(d, c"items".as_ptr(), l))?;
                let r = ok(PyObject_Repr(d))?;
                for o in [l, append, args, it, d, r] {
                    dec(o);
                }
            }
            Ok(())
        });
    });
}

#[test]
fn a_missing_decref_is_caught() {
    // The check itself: one object kept alive per round must fail the assertion.
    on_runtime_thread(move || {
        init_runtime();
        let kept = std::cell::RefCell::new(Vec::new());
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            assert_no_leak("deliberate leak", || {
                let t = build_list()?;
                kept.borrow_mut().push(t as usize);
                Ok(())
            })
        }));
        let msg = r.expect_err("a leaked object must fail the check");
        let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
        // Each round leaks the list and its two items (the small int 1 is immortal).
        assert!(msg.contains("still alive"), "{msg}");
        for t in kept.into_inner() {
            dec(t as Obj);
        }
    });
}

fn build_list() -> R<Obj> {
    // SAFETY: the format matches the arguments.
    ok(unsafe { Py_BuildValue(c"[s,i]".as_ptr(), c"leaked".as_ptr(), 100000 as c_int) })
}

static CAPSULE_FREED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe extern "C" fn capsule_destructor(c: Obj) {
    // SAFETY: `c` is the capsule being destroyed; its pointer is a boxed u64 made below.
    unsafe {
        let p = PyCapsule_GetPointer(c, c"leaks.cap".as_ptr());
        if !p.is_null() {
            drop(Box::from_raw(p.cast::<u64>()));
        }
    }
    CAPSULE_FREED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn buffers_capsules_weakrefs_and_managed_dicts() {
    on_runtime_thread(move || {
        init_runtime();
        assert_no_leak("buffers", || {
            // SAFETY: live objects; ownership follows the C API; the buffer view is released
            // before its exporter.
            unsafe {
                // Buffers: a memoryview over bytes, a direct view of a bytearray, resizing.
                let b = ok(PyBytes_FromStringAndSize(c"buffer!".as_ptr(), 7))?;
                let mv = ok(PyMemoryView_FromObject(b))?;
                let one = int(1)?;
                let tolist = ok(PyObject_GetItem(mv, one))?;
                dec(one);
                let ba = ok(PyByteArray_FromStringAndSize(c"abc".as_ptr(), 3))?;
                let mut view: gilgate_capi::ffi::Py_buffer = std::mem::zeroed();
                ok0(PyObject_GetBuffer(ba, &mut view, 1))?;
                // A bytearray with an exported buffer cannot be resized.
                assert_eq!(PyByteArray_Resize(ba, 100), -1);
                expect_exc("BufferError")?;
                PyBuffer_Release(&mut view);
                ok0(PyByteArray_Resize(ba, 100))?;
                let cat = ok(PyByteArray_Concat(ba, b))?;
                assert!(PyMemoryView_FromObject(tolist).is_null());
                expect_exc("TypeError")?;
                for o in [b, mv, tolist, ba, cat] {
                    dec(o);
                }
            }
            Ok(())
        });
        assert_no_leak("capsules", || {
            // SAFETY: as above.
            unsafe {
                // A capsule's destructor runs when it dies.
                let before = CAPSULE_FREED.load(std::sync::atomic::Ordering::SeqCst);
                let cap = ok(PyCapsule_New(
                    Box::into_raw(Box::new(7u64)).cast(),
                    c"leaks.cap".as_ptr(),
                    Some(capsule_destructor),
                ))?;
                assert!(PyCapsule_GetPointer(cap, c"other".as_ptr()).is_null());
                expect_exc("ValueError")?;
                dec(cap);
                assert_eq!(
                    CAPSULE_FREED.load(std::sync::atomic::Ordering::SeqCst),
                    before + 1
                );
            }
            Ok(())
        });
        assert_no_leak("weak references and managed dicts", || {
            // SAFETY: as above.
            unsafe {
                // Weak references and a managed instance dict on a heap type's instances.
                let ty = point_type_with(
                    c"leaks.WeakPoint",
                    null_mut(),
                    gilgate_capi::ffi::Py_TPFLAGS_MANAGED_WEAKREF
                        | gilgate_capi::ffi::Py_TPFLAGS_MANAGED_DICT,
                )?;
                let p = ok(PyObject_CallFunction(ty, c"(i)".as_ptr(), 4 as c_int))?;
                let r = ok(PyWeakref_NewRef(p, null_mut()))?;
                let mut target = null_mut();
                assert_eq!(PyWeakref_GetRef(r, &mut target), 1);
                dec(target);
                let extra = text("kept in the instance dict")?;
                ok0(PyObject_SetAttrString(p, c"extra".as_ptr(), extra))?;
                let name = text("extra")?;
                let mut got = null_mut();
                assert_eq!(PyObject_GetOptionalAttr(p, name, &mut got), 1);
                dec(got);
                dec(p); // the instance dies: the weak reference is now dead
                assert_eq!(PyWeakref_GetRef(r, &mut target), 0);
                assert!(target.is_null());
                for o in [r, extra, name, ty] {
                    dec(o);
                }
            }
            Ok(())
        });
        assert_no_leak("dict helpers, proxies, sequences, conversions", || {
            // SAFETY: as above.
            unsafe {
                // Dict helpers, proxies, sequences and number conversions.
                let d = ok(Py_BuildValue(
                    c"{s:i,s:s}".as_ptr(),
                    c"a".as_ptr(),
                    1 as c_int,
                    c"b".as_ptr(),
                    c"bee".as_ptr(),
                ))?;
                let ka = text("a")?;
                let kz = text("z")?;
                let mut out = null_mut();
                assert_eq!(PyDict_Pop(d, ka, &mut out), 1);
                dec(out);
                assert_eq!(PyDict_Pop(d, ka, &mut out), 0);
                let dflt = ok(PyList_New(0))?;
                assert_eq!(PyDict_SetDefaultRef(d, kz, dflt, &mut out), 0);
                dec(out);
                let proxy = ok(PyDictProxy_New(d))?;
                let keys = ok(PyObject_CallMethod(proxy, c"keys".as_ptr(), null()))?;
                let items = ok(PyObject_CallMethod(d, c"items".as_ptr(), null()))?;
                let it = ok(PyObject_GetIter(items))?;
                loop {
                    let x = PyIter_Next(it);
                    if x.is_null() {
                        break;
                    }
                    dec(x);
                }
                assert!(PyErr_Occurred().is_null());
                let t = ok(Py_BuildValue(
                    c"(isd)".as_ptr(),
                    1 as c_int,
                    c"x".as_ptr(),
                    0.5f64,
                ))?;
                let tt = ok(PySequence_Concat(t, t))?;
                let t3 = ok(PySequence_Repeat(tt, 3))?;
                assert!(PySequence_Concat(t, d).is_null());
                expect_exc("TypeError")?;
                let f = ok(PyFloat_FromDouble(2.75))?;
                let as_int = ok(PyNumber_Long(f))?;
                let as_float = ok(PyNumber_Float(as_int))?;
                assert!(PyNumber_Index(f).is_null());
                expect_exc("TypeError")?;
                let s = text("a-b-c")?;
                let dash = text("-")?;
                let plus = text("+")?;
                let replaced = ok(PyUnicode_Replace(s, dash, plus, -1))?;
                let ty = ok(PyObject_Type(replaced))?;
                for o in [
                    d, ka, kz, dflt, proxy, keys, items, it, t, tt, t3, f, as_int, as_float, s,
                    dash, plus, replaced, ty,
                ] {
                    dec(o);
                }
            }
            Ok(())
        });
    });
}
