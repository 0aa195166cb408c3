//! Argument parsing and value building through the exported variadic C functions:
//! `PyArg_Parse*`, `PyArg_UnpackTuple`, `Py_BuildValue`, with CPython 3.14's messages, and a
//! C module compiled against `include/` that parses keywords, uses `PyArg_VaParse` and calls
//! back with `PyObject_CallFunction`.

use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyObject_Repr;
use gilgate_capi::ffi::PyTypeObject;

use gilgate_capi::host::decref;
use gilgate_capi::testing::longobject as long;
use gilgate_capi::testing::refcount::refcnt;
use gilgate_capi::testing::tupleobject as tup;
use gilgate_capi::testing::unicodeobject as uni;
use std::ffi::{c_char, c_double, c_int, c_long, c_void};
use std::ptr::{null, null_mut};
use support::{Library, cc};

mod support;

unsafe extern "C" {
    fn PyArg_ParseTuple(args: *mut PyObject, format: *const c_char, ...) -> c_int;
    fn PyArg_Parse(args: *mut PyObject, format: *const c_char, ...) -> c_int;
    fn PyArg_ParseTupleAndKeywords(
        args: *mut PyObject,
        kw: *mut PyObject,
        format: *const c_char,
        kwlist: *const *const c_char,
        ...
    ) -> c_int;
    fn PyArg_UnpackTuple(
        args: *mut PyObject,
        name: *const c_char,
        min: isize,
        max: isize,
        ...
    ) -> c_int;
    fn Py_BuildValue(format: *const c_char, ...) -> *mut PyObject;
    fn _PyArg_CheckPositional(name: *const c_char, n: isize, min: isize, max: isize) -> c_int;
    fn _PyArg_BadArgument(
        fname: *const c_char,
        display: *const c_char,
        expected: *const c_char,
        arg: *mut PyObject,
    );
    fn _Py_BuildValue_SizeT(format: *const c_char, ...) -> *mut PyObject;
    static mut PyUnicode_Type: PyTypeObject;
}

fn init() {
    gilgate_capi::host::initialize().unwrap();
}

fn error() -> String {
    let e = gilgate_capi::host::take_exception().expect("an exception is set");
    format!("{}: {}", e.type_name, e.message)
}

fn s(t: &str) -> *mut PyObject {
    uni::from_str(t)
}

fn int(v: i128) -> *mut PyObject {
    long::from_i128(v)
}

fn args(items: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe { tup::from_slice(items) }
}

fn repr(o: *mut PyObject) -> String {
    assert!(!o.is_null(), "{}", error());
    // SAFETY: a live object we own.
    unsafe {
        let r = PyObject_Repr(o);
        decref(o);
        assert!(!r.is_null(), "{}", error());
        let t = uni::as_str(r).unwrap().to_string();
        decref(r);
        t
    }
}

/// Parses `a` with `format` into two int slots and returns the error text.
fn tuple_error_ii(format: &std::ffi::CStr, a: *mut PyObject) -> String {
    let (mut x, mut y): (c_int, c_int) = (0, 0);
    // SAFETY: two int outputs for formats of at most two int units.
    let r = unsafe { PyArg_ParseTuple(a, format.as_ptr(), &mut x, &mut y) };
    assert_eq!(r, 0, "{format:?} should fail");
    error()
}

/// Parses one argument with a one-unit `format` (output: a pointer-sized slot plus a length).
fn one_error(format: &std::ffi::CStr, arg: *mut PyObject) -> String {
    let mut slot = [0u64; 16];
    let mut n: isize = 0;
    // SAFETY: the slot is big enough for any single output (Py_buffer is 80 bytes); the
    // `#` units also get a Py_ssize_t.
    let r = unsafe {
        PyArg_ParseTuple(
            args(&[arg]),
            format.as_ptr(),
            slot.as_mut_ptr(),
            &mut n as *mut isize,
        )
    };
    assert_eq!(r, 0, "{format:?} should fail");
    error()
}

#[test]
fn parse_tuple_errors_match_cpython() {
    init();
    let none = gilgate_capi::testing::object::none();
    assert_eq!(
        tuple_error_ii(c"ii", args(&[int(1)])),
        "TypeError: function takes exactly 2 arguments (1 given)"
    );
    assert_eq!(
        tuple_error_ii(c"ii:foo", args(&[int(1), int(2), int(3)])),
        "TypeError: foo() takes exactly 2 arguments (3 given)"
    );
    assert_eq!(
        tuple_error_ii(c"i|i", args(&[])),
        "TypeError: function takes at least 1 argument (0 given)"
    );
    assert_eq!(
        tuple_error_ii(c"i|i", args(&[int(1), int(2), int(3)])),
        "TypeError: function takes at most 2 arguments (3 given)"
    );
    assert_eq!(
        tuple_error_ii(c"", args(&[int(1)])),
        "TypeError: function takes exactly 0 arguments (1 given)"
    );
    assert_eq!(
        tuple_error_ii(c"|i", args(&[int(1), int(2)])),
        "TypeError: function takes at most 1 argument (2 given)"
    );
    assert_eq!(
        tuple_error_ii(c"(ii)", args(&[int(1)])),
        "TypeError: argument 1 must be 2-item tuple, not int"
    );
    assert_eq!(
        tuple_error_ii(c"(ii)", args(&[args(&[int(1)])])),
        "TypeError: argument 1 must be tuple of length 2, not 1"
    );
    assert_eq!(
        tuple_error_ii(c"((i))", args(&[args(&[args(&[int(1), int(2)])])])),
        "TypeError: argument 1, item 0 must be tuple of length 1, not 2"
    );
    assert_eq!(
        tuple_error_ii(c"i(ii):g", args(&[int(1), args(&[int(1), s("x")])])),
        "TypeError: 'str' object cannot be interpreted as an integer"
    );
    assert_eq!(
        one_error(c"s", int(1)),
        "TypeError: argument 1 must be str, not int"
    );
    assert_eq!(
        one_error(c"s:f", int(1)),
        "TypeError: f() argument 1 must be str, not int"
    );
    assert_eq!(
        one_error(c"s;custom message", int(1)),
        "TypeError: custom message"
    );
    assert_eq!(
        one_error(c"i;custom message", s("x")),
        "TypeError: 'str' object cannot be interpreted as an integer"
    );
    assert_eq!(
        one_error(c"i", s("x")),
        "TypeError: 'str' object cannot be interpreted as an integer"
    );
    assert_eq!(
        one_error(c"h", int(40000)),
        "OverflowError: signed short integer is greater than maximum"
    );
    assert_eq!(
        one_error(c"h", int(-40000)),
        "OverflowError: signed short integer is less than minimum"
    );
    assert_eq!(
        one_error(c"b", int(-1)),
        "OverflowError: unsigned byte integer is less than minimum"
    );
    assert_eq!(
        one_error(c"b", int(256)),
        "OverflowError: unsigned byte integer is greater than maximum"
    );
    assert_eq!(
        one_error(c"i", int(1 << 40)),
        "OverflowError: signed integer is greater than maximum"
    );
    assert_eq!(
        one_error(c"y", s("s")),
        "TypeError: a bytes-like object is required, not 'str'"
    );
    assert_eq!(
        one_error(c"s#", int(1)),
        "TypeError: a bytes-like object is required, not 'int'"
    );
    assert_eq!(
        one_error(c"s*", int(1)),
        "TypeError: a bytes-like object is required, not 'int'"
    );
    assert_eq!(
        one_error(c"s", s("a\0b")),
        "ValueError: embedded null character"
    );
    assert_eq!(
        one_error(c"S", s("a")),
        "TypeError: argument 1 must be bytes, not str"
    );
    assert_eq!(
        one_error(c"S", none),
        "TypeError: argument 1 must be bytes, not None"
    );
    assert_eq!(
        one_error(c"U", int(1)),
        "TypeError: argument 1 must be str, not int"
    );
    assert_eq!(
        one_error(c"c", int(1)),
        "TypeError: argument 1 must be a byte string of length 1, not int"
    );
    assert_eq!(
        one_error(c"C", int(1)),
        "TypeError: argument 1 must be a unicode character, not int"
    );
    assert_eq!(
        one_error(c"z", int(1)),
        "TypeError: argument 1 must be str or None, not int"
    );
    assert_eq!(
        one_error(c"k", gilgate_capi::testing::floatobject::from_f64(1.0)),
        "TypeError: argument 1 must be int, not float"
    );
    // O!: the type's name.
    let mut o: *mut PyObject = null_mut();
    // SAFETY: O! takes a type and an object slot.
    unsafe {
        assert_eq!(
            PyArg_ParseTuple(
                args(&[int(1)]),
                c"O!".as_ptr(),
                &raw mut PyUnicode_Type,
                &mut o
            ),
            0
        );
    }
    assert_eq!(error(), "TypeError: argument 1 must be str, not int");
    // O&: a converter failing without an exception.
    unsafe extern "C" fn refuse(_o: *mut PyObject, _out: *mut c_void) -> c_int {
        0
    }
    // SAFETY: O& takes a converter and its output.
    unsafe {
        assert_eq!(
            PyArg_ParseTuple(
                args(&[int(1)]),
                c"O&".as_ptr(),
                refuse as unsafe extern "C" fn(*mut PyObject, *mut c_void) -> c_int,
                &mut o
            ),
            0
        );
    }
    assert_eq!(error(), "SystemError: argument 1 (unspecified)");
    // Not a tuple.
    assert_eq!(
        tuple_error_ii(c"i", int(1)),
        "SystemError: new style getargs format but argument is not a tuple"
    );
}

#[test]
fn parse_tuple_conversions() {
    init();
    let (mut b, mut h, mut i, mut l): (u8, i16, c_int, c_long) = (0, 0, 0, 0);
    let (mut ll, mut n, mut kk, mut bb): (i64, isize, u64, u8) = (0, 0, 0, 0);
    let (mut f, mut d, mut p): (f32, c_double, c_int) = (0.0, 0.0, -1);
    let mut text: *const c_char = null();
    let mut opt: *const c_char = c"unset".as_ptr();
    let mut obj: *mut PyObject = null_mut();
    let eight = int(8);
    let tee = s("t");
    let a = args(&[
        int(200),
        int(-300),
        int(70000),
        int(-5),
        int(1 << 40),
        int(-7),
        int(-1),
        int(257),
        gilgate_capi::testing::floatobject::from_f64(1.5),
        int(3),
        s(""),
        s("h\u{e9}llo"),
        gilgate_capi::testing::object::none(),
        eight,
        args(&[int(9), tee]),
    ]);
    let (mut t1, mut t2): (c_int, *mut PyObject) = (0, null_mut());
    // SAFETY: outputs of the types the units document.
    let r = unsafe {
        PyArg_ParseTuple(
            a,
            c"bhilLnKBfdps|zO(iO):conv".as_ptr(),
            &mut b,
            &mut h,
            &mut i,
            &mut l,
            &mut ll,
            &mut n,
            &mut kk,
            &mut bb,
            &mut f,
            &mut d,
            &mut p,
            &mut text,
            &mut opt,
            &mut obj,
            &mut t1,
            &mut t2,
        )
    };
    assert_eq!(r, 1, "{}", error());
    assert_eq!(
        (b, h, i, l, ll, n, kk, bb),
        (200, -300, 70000, -5, 1 << 40, -7, u64::MAX, 1)
    );
    assert_eq!((f, d, p), (1.5, 3.0, 0));
    assert_eq!(
        // SAFETY: `text` points into the live str's UTF-8.
        unsafe { std::ffi::CStr::from_ptr(text) }.to_str().unwrap(),
        "h\u{e9}llo"
    );
    assert!(opt.is_null(), "z with None gives NULL");
    assert_eq!(obj, eight);
    assert_eq!((t1, t2), (9, tee));

    // Optional arguments not given stay untouched; s# gives the length; C the code point.
    let mut len: isize = 0;
    let mut ch: c_int = 0;
    let mut unset: c_int = 77;
    // SAFETY: as above.
    let r = unsafe {
        PyArg_ParseTuple(
            args(&[s("ab\0c"), s("\u{e9}")]),
            c"s#C|i".as_ptr(),
            &mut text,
            &mut len,
            &mut ch,
            &mut unset,
        )
    };
    assert_eq!(r, 1, "{}", error());
    assert_eq!(len, 4);
    assert_eq!(ch, 0xe9);
    assert_eq!(unset, 77);

    // O& with a converter that succeeds.
    unsafe extern "C" fn double_it(o: *mut PyObject, out: *mut c_void) -> c_int {
        // SAFETY: `out` is the long slot passed below; `o` an int.
        unsafe { *out.cast::<i64>() = long::value_i128(o).unwrap() as i64 * 2 };
        1
    }
    let mut got: i64 = 0;
    // SAFETY: O& takes a converter and its output.
    let r = unsafe {
        PyArg_ParseTuple(
            args(&[int(21)]),
            c"O&".as_ptr(),
            double_it as unsafe extern "C" fn(*mut PyObject, *mut c_void) -> c_int,
            &mut got,
        )
    };
    assert_eq!((r, got), (1, 42));

    // PyArg_Parse: one value, old style.
    let mut v: c_int = 0;
    // SAFETY: one int output.
    unsafe {
        assert_eq!(PyArg_Parse(int(5), c"i".as_ptr(), &mut v), 1);
        assert_eq!(v, 5);
        assert_eq!(PyArg_Parse(null_mut(), c":f".as_ptr()), 1);
        assert_eq!(PyArg_Parse(int(5), c":f".as_ptr()), 0);
        assert_eq!(error(), "TypeError: f() takes no arguments");
        assert_eq!(PyArg_Parse(s("x"), c"i:f".as_ptr(), &mut v), 0);
        assert_eq!(
            error(),
            "TypeError: 'str' object cannot be interpreted as an integer"
        );
        assert_eq!(PyArg_Parse(s("x"), c"s:f".as_ptr(), &mut text), 1);
        assert_eq!(PyArg_Parse(int(1), c"s:f".as_ptr(), &mut text), 0);
        assert_eq!(error(), "TypeError: f() argument must be str, not int");
        assert_eq!(PyArg_Parse(int(5), c"ii".as_ptr(), &mut v, &mut ch), 0);
        assert_eq!(
            error(),
            "SystemError: old style getargs format uses new features"
        );
    }

    // PyArg_UnpackTuple.
    let (mut x, mut y): (*mut PyObject, *mut PyObject) = (null_mut(), null_mut());
    let one = int(1);
    // SAFETY: PyObject** outputs.
    unsafe {
        assert_eq!(
            PyArg_UnpackTuple(args(&[one]), c"f".as_ptr(), 1, 2, &mut x, &mut y),
            1
        );
        assert_eq!((x, y), (one, null_mut()));
        assert_eq!(
            PyArg_UnpackTuple(args(&[one, one, one]), c"f".as_ptr(), 1, 2, &mut x, &mut y),
            0
        );
        assert_eq!(error(), "TypeError: f expected at most 2 arguments, got 3");
        assert_eq!(
            PyArg_UnpackTuple(args(&[]), c"f".as_ptr(), 1, 2, &mut x, &mut y),
            0
        );
        assert_eq!(error(), "TypeError: f expected at least 1 argument, got 0");
        assert_eq!(
            PyArg_UnpackTuple(args(&[]), c"g".as_ptr(), 2, 2, &mut x, &mut y),
            0
        );
        assert_eq!(error(), "TypeError: g expected 2 arguments, got 0");
        assert_eq!(
            PyArg_UnpackTuple(args(&[one, one]), null(), 1, 1, &mut x),
            0
        );
        assert_eq!(
            error(),
            "TypeError: unpacked tuple should have 1 element, but has 2"
        );
        assert_eq!(_PyArg_CheckPositional(c"h".as_ptr(), 0, 0, 3), 1);
        assert_eq!(_PyArg_CheckPositional(c"h".as_ptr(), 0, 1, 3), 0);
        assert_eq!(error(), "TypeError: h expected at least 1 argument, got 0");
        _PyArg_BadArgument(c"fn".as_ptr(), c"argument 2".as_ptr(), c"str".as_ptr(), one);
        assert_eq!(error(), "TypeError: fn() argument 2 must be str, not int");
    }
}

/// Keyword parsing: returns the error text, or the parsed (a, b) on success.
fn kw(
    format: &std::ffi::CStr,
    pos: &[*mut PyObject],
    kwargs: &[(&str, *mut PyObject)],
    names: &[&std::ffi::CStr],
) -> Result<(c_int, c_int), String> {
    let d = if kwargs.is_empty() {
        null_mut()
    } else {
        let d = gilgate_capi::testing::dictobject::new_dict();
        for (k, v) in kwargs {
            // SAFETY: a fresh dict.
            unsafe { gilgate_capi::host::dict_set_item_str(d, k, *v) };
        }
        d
    };
    let mut list: Vec<*const c_char> = names.iter().map(|n| n.as_ptr()).collect();
    list.push(null());
    let (mut a, mut b): (c_int, c_int) = (-1, -1);
    // SAFETY: two int outputs, a NULL-terminated keyword list.
    let r = unsafe {
        PyArg_ParseTupleAndKeywords(args(pos), d, format.as_ptr(), list.as_ptr(), &mut a, &mut b)
    };
    if r == 1 {
        assert!(gilgate_capi::host::take_exception().is_none());
        Ok((a, b))
    } else {
        Err(error())
    }
}

#[test]
fn parse_keywords_matches_cpython() {
    init();
    let ab = [c"a", c"b"];
    let e = |r: Result<(c_int, c_int), String>| r.unwrap_err();
    assert_eq!(kw(c"i|i:f", &[int(1)], &[("b", int(2))], &ab), Ok((1, 2)));
    assert_eq!(kw(c"i|i:f", &[], &[("a", int(3))], &ab), Ok((3, -1)));
    assert_eq!(kw(c"|ii:f", &[], &[("a", int(1))], &ab), Ok((1, -1)));
    assert_eq!(
        e(kw(c"i|i:f", &[], &[], &ab)),
        "TypeError: f() missing required argument 'a' (pos 1)"
    );
    assert_eq!(
        e(kw(c"i|i", &[], &[], &ab)),
        "TypeError: function missing required argument 'a' (pos 1)"
    );
    assert_eq!(
        e(kw(c"ii:f", &[int(1)], &[], &ab)),
        "TypeError: f() missing required argument 'b' (pos 2)"
    );
    assert_eq!(
        e(kw(c"i|i:f", &[int(1)], &[("c", int(1))], &ab)),
        "TypeError: f() got an unexpected keyword argument 'c'"
    );
    assert_eq!(
        e(kw(c"i|i", &[int(1)], &[("c", int(1))], &ab)),
        "TypeError: this function got an unexpected keyword argument 'c'"
    );
    assert_eq!(
        e(kw(c"i|i:f", &[int(1)], &[("a", int(1))], &ab)),
        "TypeError: argument for f() given by name ('a') and position (1)"
    );
    assert_eq!(
        e(kw(c"i|i:f", &[int(1), int(2), int(3)], &[], &ab)),
        "TypeError: f() takes at most 2 arguments (3 given)"
    );
    assert_eq!(
        e(kw(
            c"i|i:f",
            &[],
            &[("a", int(1)), ("b", int(2)), ("c", int(3))],
            &ab
        )),
        "TypeError: f() takes at most 2 keyword arguments (3 given)"
    );
    assert_eq!(
        e(kw(c"i|$i:f", &[int(1), int(2)], &[], &ab)),
        "TypeError: f() takes at most 1 positional argument (2 given)"
    );
    assert_eq!(
        e(kw(c"|$ii:f", &[int(1)], &[], &ab)),
        "TypeError: f() takes no positional arguments"
    );
    assert_eq!(kw(c"i|$i:f", &[int(1)], &[("b", int(5))], &ab), Ok((1, 5)));
    // Positional-only parameters (empty names).
    let pb = [c"", c"b"];
    assert_eq!(
        e(kw(c"ii:f", &[], &[("b", int(1))], &pb)),
        "TypeError: f() takes at least 1 positional argument (0 given)"
    );
    assert_eq!(
        e(kw(c"i|i:f", &[int(1)], &[("", int(1))], &ab)),
        "TypeError: f() got an unexpected keyword argument ''"
    );
    assert_eq!(kw(c"i|i:f", &[int(4)], &[("b", int(6))], &pb), Ok((4, 6)));
    // Conversion errors name the argument's position.
    assert_eq!(
        e(kw(c"i|i:f", &[int(1)], &[("b", s("x"))], &ab)),
        "TypeError: 'str' object cannot be interpreted as an integer"
    );
    let mut p: *const c_char = null();
    let list = [c"a".as_ptr(), null()];
    // SAFETY: one str output.
    unsafe {
        assert_eq!(
            PyArg_ParseTupleAndKeywords(
                args(&[]),
                null_mut(),
                c"|s:f".as_ptr(),
                list.as_ptr(),
                &mut p
            ),
            1
        );
        let d = gilgate_capi::testing::dictobject::new_dict();
        gilgate_capi::host::dict_set_item_str(d, "a", int(1));
        assert_eq!(
            PyArg_ParseTupleAndKeywords(args(&[]), d, c"|s:f".as_ptr(), list.as_ptr(), &mut p),
            0
        );
    }
    assert_eq!(error(), "TypeError: f() argument 1 must be str, not int");
}

#[test]
fn build_value() {
    init();
    // SAFETY: arguments of the types the units document.
    unsafe {
        assert_eq!(repr(Py_BuildValue(c"".as_ptr())), "None");
        assert_eq!(repr(Py_BuildValue(c"i".as_ptr(), 3 as c_int)), "3");
        assert_eq!(
            repr(Py_BuildValue(c"ii".as_ptr(), 1 as c_int, 2 as c_int)),
            "(1, 2)"
        );
        assert_eq!(repr(Py_BuildValue(c"(i)".as_ptr(), 1 as c_int)), "(1,)");
        assert_eq!(repr(Py_BuildValue(c"()".as_ptr())), "()");
        assert_eq!(
            repr(Py_BuildValue(
                c"bhilkLKn".as_ptr(),
                -1 as c_int,
                -2 as c_int,
                -3 as c_int,
                -4 as c_long,
                u64::MAX,
                i64::MIN,
                u64::MAX,
                -9isize
            )),
            "(-1, -2, -3, -4, 18446744073709551615, -9223372036854775808, 18446744073709551615, -9)"
        );
        assert_eq!(repr(Py_BuildValue(c"I".as_ptr(), u32::MAX)), "4294967295");
        assert_eq!(
            repr(Py_BuildValue(c"(fd)".as_ptr(), 0.5f64, 2.25f64)),
            "(0.5, 2.25)"
        );
        assert_eq!(
            repr(Py_BuildValue(
                c"s, z, s#, U".as_ptr(),
                c"caf\xc3\xa9".as_ptr(),
                null::<c_char>(),
                c"abc".as_ptr(),
                2isize,
                c"u".as_ptr()
            )),
            "('caf\u{e9}', None, 'ab', 'u')"
        );
        assert_eq!(
            repr(_Py_BuildValue_SizeT(
                c"s#".as_ptr(),
                c"xyz".as_ptr(),
                1isize
            )),
            "'x'"
        );
        assert_eq!(
            repr(Py_BuildValue(
                c"{s:i,s:(ii)}".as_ptr(),
                c"k".as_ptr(),
                2 as c_int,
                c"t".as_ptr(),
                3 as c_int,
                4 as c_int
            )),
            "{'k': 2, 't': (3, 4)}"
        );
        assert_eq!(
            repr(Py_BuildValue(c"C".as_ptr(), 0xe9 as c_int)),
            "'\u{e9}'"
        );
        assert_eq!(
            repr(Py_BuildValue(c"(pp)".as_ptr(), 0 as c_int, 7 as c_int)),
            "(False, True)"
        );
        // O takes a new reference, N steals one.
        let o = s("kept");
        let before = refcnt(o);
        let t = Py_BuildValue(c"(OO)".as_ptr(), o, o);
        assert_eq!(refcnt(o), before + 2);
        decref(t);
        assert_eq!(refcnt(o), before);
        gilgate_capi::host::incref(o);
        let t = Py_BuildValue(c"(N)".as_ptr(), o);
        assert_eq!(refcnt(o), before + 1);
        decref(t);
        assert_eq!(refcnt(o), before);
        // O& converts.
        unsafe extern "C" fn conv(p: *mut c_void) -> *mut PyObject {
            // SAFETY: `p` is the i64 passed below.
            long::from_i128(unsafe { *p.cast::<i64>() } as i128 + 1)
        }
        let mut v: i64 = 41;
        assert_eq!(
            repr(Py_BuildValue(
                c"O&".as_ptr(),
                conv as unsafe extern "C" fn(*mut c_void) -> *mut PyObject,
                &mut v
            )),
            "42"
        );
        // Errors.
        assert!(Py_BuildValue(c"(i".as_ptr(), 1 as c_int).is_null());
        assert_eq!(error(), "SystemError: unmatched paren in format");
        assert!(Py_BuildValue(c"{i}".as_ptr(), 1 as c_int).is_null());
        assert_eq!(error(), "SystemError: Bad dict format");
        assert!(Py_BuildValue(c"x".as_ptr()).is_null());
        assert_eq!(
            error(),
            "SystemError: bad format char passed to Py_BuildValue"
        );
        assert!(Py_BuildValue(c"N".as_ptr(), null_mut::<PyObject>()).is_null());
        assert_eq!(error(), "SystemError: NULL object passed to Py_BuildValue");
        // A failure releases what N handed over.
        gilgate_capi::host::incref(o);
        assert!(Py_BuildValue(c"(Nx)".as_ptr(), o).is_null());
        gilgate_capi::host::take_exception();
        assert_eq!(refcnt(o), before);
        // The same in a well-formed format (built from its compiled operations): a failure at
        // the start or the end, at any depth, still releases every N.
        for _ in 0..4 {
            gilgate_capi::host::incref(o);
        }
        assert!(
            Py_BuildValue(
                c"(O, N, [N], {s:N}, (iN))".as_ptr(),
                null_mut::<PyObject>(),
                o,
                o,
                c"k".as_ptr(),
                o,
                1 as c_int,
                o
            )
            .is_null()
        );
        assert_eq!(error(), "SystemError: NULL object passed to Py_BuildValue");
        assert_eq!(refcnt(o), before);
        for _ in 0..3 {
            gilgate_capi::host::incref(o);
        }
        assert!(
            Py_BuildValue(
                c"[N, {s:N}, (N, O)]".as_ptr(),
                o,
                c"k".as_ptr(),
                o,
                o,
                null_mut::<PyObject>()
            )
            .is_null()
        );
        assert_eq!(error(), "SystemError: NULL object passed to Py_BuildValue");
        assert_eq!(refcnt(o), before);
        assert!(Py_BuildValue(c"C".as_ptr(), 0x110000 as c_int).is_null());
        assert_eq!(error(), "ValueError: chr() arg not in range(0x110000)");
    }
}

/// Lists need `PyList_New` from the containers work; this runs once it is there.
#[test]
fn build_value_lists() {
    init();
    let real = gilgate_capi::host::surface::lookup("PyList_New")
        .is_some_and(|e| e.status == gilgate_capi::host::surface::Status::Real);
    if !real {
        return;
    }
    // SAFETY: int arguments.
    unsafe {
        assert_eq!(
            repr(Py_BuildValue(
                c"[i,(s)]".as_ptr(),
                1 as c_int,
                c"a".as_ptr()
            )),
            "[1, ('a',)]"
        );
    }
}

#[test]
fn a_c_module_parses_and_builds() {
    init();
    let lib = cc::shared(
        cc::fixture("args/argmod.c"),
        cc::out_dir("args-cmodule").join("libargmod.so"),
    )
    .args(["-O0", "-Wall", "-Werror"])
    .build();
    // SAFETY: a fixture without constructors, loaded once; gg_methods returns its method table.
    let m = unsafe {
        let f = Library::open(&lib).sym(c"gg_methods");
        let f: unsafe extern "C" fn() -> *mut gilgate_capi::ffi::PyMethodDef =
            std::mem::transmute(f);
        let m = gilgate_capi::ffi::PyModule_New(c"argmod".as_ptr());
        assert_eq!(
            gilgate_capi::ffi::PyModule_AddFunctions(m, f()),
            0,
            "{}",
            error()
        );
        m
    };
    let get = |name: &std::ffi::CStr| {
        // SAFETY: a live module.
        let f = unsafe { gilgate_capi::ffi::PyObject_GetAttrString(m, name.as_ptr()) };
        assert!(!f.is_null(), "{}", error());
        f
    };
    use gilgate_capi::ffi::PyObject_Call;
    use gilgate_capi::ffi::PyObject_CallOneArg;
    let kwd = |pairs: &[(&str, *mut PyObject)]| {
        let d = gilgate_capi::testing::dictobject::new_dict();
        for (k, v) in pairs {
            // SAFETY: a fresh dict.
            unsafe { gilgate_capi::host::dict_set_item_str(d, k, *v) };
        }
        d
    };
    // SAFETY: live objects throughout.
    unsafe {
        let kwfunc = get(c"kwfunc");
        assert_eq!(
            repr(PyObject_Call(kwfunc, args(&[int(1)]), null_mut())),
            "{'a': 1, 'b': 2.5, 'name': 'none'}"
        );
        assert_eq!(
            repr(PyObject_Call(
                kwfunc,
                args(&[int(1), int(4)]),
                kwd(&[("name", s("x"))])
            )),
            "{'a': 1, 'b': 4.0, 'name': 'x'}"
        );
        assert!(PyObject_Call(kwfunc, args(&[int(1), int(2), s("n")]), null_mut()).is_null());
        assert_eq!(
            error(),
            "TypeError: kwfunc() takes at most 2 positional arguments (3 given)"
        );
        assert!(PyObject_Call(kwfunc, args(&[]), kwd(&[("nam", s("x"))])).is_null());
        assert_eq!(
            error(),
            "TypeError: kwfunc() missing required argument 'a' (pos 1)"
        );
        assert!(PyObject_Call(kwfunc, args(&[int(1)]), kwd(&[("nam", s("x"))])).is_null());
        assert_eq!(
            error(),
            "TypeError: kwfunc() got an unexpected keyword argument 'nam'"
        );

        let sum = get(c"sum");
        assert_eq!(
            repr(PyObject_Call(sum, args(&[int(40), int(2)]), null_mut())),
            "42"
        );
        assert_eq!(repr(PyObject_Call(sum, args(&[int(40)]), null_mut())), "40");
        assert!(PyObject_Call(sum, args(&[]), null_mut()).is_null());
        assert_eq!(
            error(),
            "TypeError: sum() takes at least 1 argument (0 given)"
        );
        assert!(PyObject_Call(sum, args(&[int(1)]), kwd(&[("x", int(1))])).is_null());
        assert_eq!(error(), "TypeError: sum() takes no keyword arguments");

        let callback = get(c"callback");
        let echo = get(c"echo");
        assert_eq!(
            repr(PyObject_Call(callback, args(&[echo]), null_mut())),
            "(7, 'seven')"
        );
        assert!(PyObject_Call(callback, args(&[sum]), null_mut()).is_null());
        assert_eq!(
            error(),
            "TypeError: 'str' object cannot be interpreted as an integer"
        );
        let build = get(c"build");
        assert_eq!(
            repr(PyObject_CallOneArg(build, int(5))),
            "(5, ('big', 18446744073709551615), <module 'argmod'>)"
        );
        assert!(PyObject_CallOneArg(build, s("x")).is_null());
        // PyLong_AsSsize_t does not call __index__; CPython's text.
        assert_eq!(error(), "TypeError: an integer is required");
        let call_method = get(c"call_method");
        assert_eq!(
            repr(PyObject_Call(
                call_method,
                args(&[m, s("echo")]),
                null_mut()
            )),
            "('echo',)"
        );
    }
}

unsafe extern "C" {
    fn PyBytes_FromStringAndSize(s: *const c_char, n: isize) -> *mut PyObject;
    fn PyBuffer_Release(view: *mut gilgate_capi::ffi::Py_buffer);
    fn PyMem_Free(p: *mut c_void);
}

fn bytes(b: &[u8]) -> *mut PyObject {
    // SAFETY: a valid byte slice.
    let o = unsafe { PyBytes_FromStringAndSize(b.as_ptr().cast(), b.len() as isize) };
    assert!(!o.is_null(), "{}", error());
    o
}

#[test]
fn bytes_and_encoded_units() {
    init();
    // SAFETY: outputs of the documented types.
    unsafe {
        let mut p: *const c_char = null();
        let mut n: isize = 0;
        let mut c: c_char = 0;
        let mut o: *mut PyObject = null_mut();
        let mut view: gilgate_capi::ffi::Py_buffer = std::mem::zeroed();
        let b = bytes(b"ab\0c");
        assert_eq!(
            PyArg_ParseTuple(
                args(&[b, bytes(b"x"), b]),
                c"y#cS".as_ptr(),
                &mut p,
                &mut n,
                &mut c,
                &mut o
            ),
            1,
            "{}",
            error()
        );
        assert_eq!(
            std::slice::from_raw_parts(p.cast::<u8>(), n as usize),
            b"ab\0c"
        );
        assert_eq!((c as u8, o), (b'x', b));
        assert_eq!(PyArg_ParseTuple(args(&[b]), c"y".as_ptr(), &mut p), 0);
        assert_eq!(error(), "ValueError: embedded null byte");
        assert_eq!(
            PyArg_ParseTuple(args(&[bytes(b"ok")]), c"y".as_ptr(), &mut p),
            1
        );
        assert_eq!(std::ffi::CStr::from_ptr(p).to_bytes(), b"ok");
        // s# and s* take bytes-like objects too.
        assert_eq!(
            PyArg_ParseTuple(args(&[b]), c"s#".as_ptr(), &mut p, &mut n),
            1
        );
        assert_eq!(n, 4);
        let t = args(&[b]);
        let before = refcnt(b);
        assert_eq!(
            PyArg_ParseTuple(t, c"y*".as_ptr(), &mut view),
            1,
            "{}",
            error()
        );
        assert_eq!((view.len, view.obj), (4, b));
        assert_eq!(refcnt(b), before + 1);
        PyBuffer_Release(&mut view);
        assert_eq!(refcnt(b), before);
        assert_eq!(
            PyArg_ParseTuple(args(&[s("t\u{e9}")]), c"s*".as_ptr(), &mut view),
            1
        );
        assert_eq!(
            std::slice::from_raw_parts(view.buf.cast::<u8>(), view.len as usize),
            "t\u{e9}".as_bytes()
        );
        PyBuffer_Release(&mut view);
        assert_eq!(PyArg_ParseTuple(args(&[b]), c"w*".as_ptr(), &mut view), 0);
        assert_eq!(
            error(),
            "TypeError: argument 1 must be read-write bytes-like object, not bytes"
        );
        assert_eq!(
            PyArg_ParseTuple(args(&[bytes(b"xy")]), c"c".as_ptr(), &mut c),
            0
        );
        assert_eq!(
            error(),
            "TypeError: argument 1 must be a byte string of length 1, not a bytes object of length 2"
        );

        // es / et / es#.
        let mut out: *mut c_char = null_mut();
        assert_eq!(
            PyArg_ParseTuple(
                args(&[s("caf\u{e9}")]),
                c"es".as_ptr(),
                c"utf-8".as_ptr(),
                &mut out
            ),
            1,
            "{}",
            error()
        );
        assert_eq!(
            std::ffi::CStr::from_ptr(out).to_bytes(),
            "caf\u{e9}".as_bytes()
        );
        PyMem_Free(out.cast());
        out = null_mut();
        assert_eq!(
            PyArg_ParseTuple(
                args(&[bytes(b"raw")]),
                c"et".as_ptr(),
                null::<c_char>(),
                &mut out
            ),
            1
        );
        assert_eq!(std::ffi::CStr::from_ptr(out).to_bytes(), b"raw");
        PyMem_Free(out.cast());
        assert_eq!(
            PyArg_ParseTuple(
                args(&[bytes(b"raw")]),
                c"es".as_ptr(),
                null::<c_char>(),
                &mut out
            ),
            0
        );
        assert_eq!(error(), "TypeError: argument 1 must be str, not bytes");
        let mut small = [0 as c_char; 4];
        let mut bufp = small.as_mut_ptr();
        let mut len: isize = 4;
        assert_eq!(
            PyArg_ParseTuple(
                args(&[s("abc")]),
                c"es#".as_ptr(),
                null::<c_char>(),
                &mut bufp,
                &mut len
            ),
            1
        );
        assert_eq!(
            (len, &small[..4]),
            (3, &[b'a' as c_char, b'b' as c_char, b'c' as c_char, 0][..])
        );
        len = 3;
        assert_eq!(
            PyArg_ParseTuple(
                args(&[s("abcd")]),
                c"es#".as_ptr(),
                null::<c_char>(),
                &mut bufp,
                &mut len
            ),
            0
        );
        assert_eq!(
            error(),
            "ValueError: encoded string too long (4, maximum length 2)"
        );
        assert_eq!(
            PyArg_ParseTuple(
                args(&[s("a\0b")]),
                c"es".as_ptr(),
                null::<c_char>(),
                &mut out
            ),
            0
        );
        assert_eq!(
            error(),
            "TypeError: argument 1 must be encoded string without null bytes, not str"
        );

        // Building bytes.
        assert_eq!(
            repr(Py_BuildValue(
                c"(y#c)".as_ptr(),
                [b'a', 0u8, b'b', b'c', 0].as_ptr(),
                3isize,
                b'z' as c_int
            )),
            "(b'a\\x00b', b'z')"
        );
        assert_eq!(repr(Py_BuildValue(c"y".as_ptr(), c"hi".as_ptr())), "b'hi'");
    }
}

/// Parsed formats are cached by address: a buffer whose text changes in place must be read
/// with its new text (the cache checks the content), and equal texts at other addresses
/// parse the same.
#[test]
fn format_cache_follows_the_text_not_the_address() {
    init();
    let mut buf: Vec<u8> = b"i:first\0".to_vec();
    let a = args(&[int(7)]);
    let f = args(&[uni::from_str("x")]);
    // SAFETY: formats and output pointers match.
    unsafe {
        let mut i: c_int = 0;
        for _ in 0..3 {
            assert_eq!(PyArg_ParseTuple(a, buf.as_ptr().cast(), &mut i), 1);
            assert_eq!(i, 7);
        }
        // Same address, new text: now one str is expected, and the name changed.
        buf.copy_from_slice(b"s:secnd\0");
        let mut p: *const c_char = null();
        assert_eq!(PyArg_ParseTuple(f, buf.as_ptr().cast(), &mut p), 1);
        assert_eq!(std::ffi::CStr::from_ptr(p).to_str().unwrap(), "x");
        assert_eq!(PyArg_ParseTuple(a, buf.as_ptr().cast(), &mut p), 0);
        assert_eq!(
            error(),
            "TypeError: secnd() argument 1 must be str, not int"
        );
        // A shorter text at the same address.
        buf[..3].copy_from_slice(b"i\0\0");
        assert_eq!(PyArg_ParseTuple(a, buf.as_ptr().cast(), &mut i), 1);
        assert_eq!(PyArg_ParseTuple(f, buf.as_ptr().cast(), &mut i), 0);
        assert_eq!(
            error(),
            "TypeError: 'str' object cannot be interpreted as an integer"
        );
        // The same text elsewhere.
        let other = std::ffi::CString::new("i:first").unwrap();
        i = 0;
        assert_eq!(PyArg_ParseTuple(a, other.as_ptr(), &mut i), 1);
        assert_eq!(i, 7);
        decref(a);
        decref(f);
    }
}

/// The quick path for exactly typed arguments (`i l L n d s p O`) and its fallback to the
/// general conversion: other types, big ints, NUL in a str, bool subclasses via `p`.
#[test]
fn quick_units_and_their_fallback() {
    init();
    // SAFETY: formats and output pointers match.
    unsafe {
        let (mut i, mut l, mut d, mut p, mut o): (c_int, i64, c_double, c_int, *mut PyObject) =
            (0, 0, 0.0, -1, null_mut());
        let mut st: *const c_char = null();
        let f = gilgate_capi::testing::floatobject::from_f64(2.5);
        let a = args(&[
            int(-3),
            int(1 << 20),
            f,
            s("abc"),
            gilgate_capi::testing::boolobject::true_(),
            int(9),
        ]);
        assert_eq!(
            PyArg_ParseTuple(
                a,
                c"ildsp|O:q".as_ptr(),
                &mut i,
                &mut l,
                &mut d,
                &mut st,
                &mut p,
                &mut o
            ),
            1
        );
        assert_eq!((i, l, d, p), (-3, 1 << 20, 2.5, 1));
        assert_eq!(std::ffi::CStr::from_ptr(st).to_str().unwrap(), "abc");
        assert_eq!(long::compact(o), Some(9));
        decref(a);
        // An int where `d` wants a float, and an int for `p`: the general path converts.
        let a = args(&[int(4), int(5), int(6), s("x"), int(0)]);
        assert_eq!(
            PyArg_ParseTuple(
                a,
                c"ildsp|O:q".as_ptr(),
                &mut i,
                &mut l,
                &mut d,
                &mut st,
                &mut p,
                &mut o
            ),
            1
        );
        assert_eq!((i, l, d, p), (4, 5, 6.0, 0));
        decref(a);
        // Out of range for `i`, and a NUL inside a str: CPython's errors.
        let a = args(&[int(1 << 40)]);
        assert_eq!(PyArg_ParseTuple(a, c"i".as_ptr(), &mut i), 0);
        assert_eq!(
            error(),
            "OverflowError: signed integer is greater than maximum"
        );
        decref(a);
        let a = args(&[s("a\0b")]);
        assert_eq!(PyArg_ParseTuple(a, c"s".as_ptr(), &mut st), 0);
        assert_eq!(error(), "ValueError: embedded null character");
        decref(a);
        // Too many arguments still report the count.
        let a = args(&[int(1), int(2)]);
        assert_eq!(PyArg_ParseTuple(a, c"i:one".as_ptr(), &mut i), 0);
        assert_eq!(
            error(),
            "TypeError: one() takes exactly 1 argument (2 given)"
        );
        decref(a);
    }
}
