//! The C shim's variadic entry points: PyUnicode_FromFormat units, PyErr_Format, PyTuple_Pack.

use gilgate_capi::ffi::PyObject;
use gilgate_capi::testing::unicodeobject as uni;
use std::ffi::{c_char, c_int};

unsafe extern "C" {
    fn PyUnicode_FromFormat(format: *const c_char, ...) -> *mut PyObject;
    fn PyErr_Format(exc: *mut PyObject, format: *const c_char, ...) -> *mut PyObject;
    fn PyTuple_Pack(n: isize, ...) -> *mut PyObject;
    fn PyErr_WarnFormat(
        category: *mut PyObject,
        stacklevel: isize,
        format: *const c_char,
        ...
    ) -> c_int;
}

fn text(o: *mut PyObject) -> String {
    assert!(!o.is_null(), "{:?}", gilgate_capi::host::take_exception());
    // SAFETY: a live str we own.
    unsafe {
        let s = uni::as_str(o).unwrap().to_owned();
        gilgate_capi::host::decref(o);
        s
    }
}

#[test]
fn format_units() {
    gilgate_capi::host::initialize().unwrap();
    let name = uni::from_str("caf\u{e9}");
    let n: isize = -7;
    // SAFETY: formats and arguments match.
    unsafe {
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"a %d b %i %u".as_ptr(),
                -3 as c_int,
                4 as c_int,
                5u32
            )),
            "a -3 b 4 5"
        );
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"%ld %lld %zd %zu".as_ptr(),
                -1i64,
                1i64 << 40,
                n,
                9usize
            )),
            "-1 1099511627776 -7 9"
        );
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"%x %05d|%-4d|".as_ptr(),
                255u32,
                42 as c_int,
                7 as c_int
            )),
            "ff 00042|7   |"
        );
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"%c%c %%".as_ptr(),
                0x41 as c_int,
                0xe9 as c_int
            )),
            "A\u{e9} %"
        );
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"[%.3s] [%5s]".as_ptr(),
                c"abcdef".as_ptr(),
                c"ab".as_ptr()
            )),
            "[abc] [   ab]"
        );
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"%U/%S/%R/%A".as_ptr(),
                name,
                name,
                name,
                name
            )),
            "caf\u{e9}/caf\u{e9}/'caf\u{e9}'/'caf\\xe9'"
        );
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"%.2U|%V|%V".as_ptr(),
                name,
                name,
                c"x".as_ptr(),
                std::ptr::null_mut::<PyObject>(),
                c"fb".as_ptr()
            )),
            "ca|caf\u{e9}|fb"
        );
        assert_eq!(text(PyUnicode_FromFormat(c"%T".as_ptr(), name)), "str");
        let p = text(PyUnicode_FromFormat(c"%p".as_ptr(), 0x1234usize));
        assert!(p.starts_with("0x") && p.ends_with("1234"), "{p}");
    }
}

#[test]
fn format_fast_paths_and_edges() {
    gilgate_capi::host::initialize().unwrap();
    // SAFETY: formats and arguments match.
    unsafe {
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"%d %d %lld %llu %zu %u %i".as_ptr(),
                c_int::MIN,
                c_int::MAX,
                i64::MIN,
                u64::MAX,
                usize::MAX,
                u32::MAX,
                0 as c_int
            )),
            format!(
                "{} {} {} {} {} {} 0",
                c_int::MIN,
                c_int::MAX,
                i64::MIN,
                u64::MAX,
                usize::MAX,
                u32::MAX
            )
        );
        assert_eq!(text(PyUnicode_FromFormat(c"".as_ptr())), "");
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"%s|%.2s|".as_ptr(),
                std::ptr::null::<c_char>(),
                c"xyz".as_ptr()
            )),
            "(null)|xy|"
        );
        // Non-ASCII literal text and arguments, and invalid UTF-8 (replaced).
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"\xc3\xa9t\xc3\xa9 %s-%d-%s".as_ptr(),
                c"\xce\xb1".as_ptr(),
                12 as c_int,
                c"a\xffb".as_ptr()
            )),
            "\u{e9}t\u{e9} \u{3b1}-12-a\u{fffd}b"
        );
        // Longer than the C side's first buffer.
        let long = "x".repeat(700);
        let cl = std::ffi::CString::new(long.clone()).unwrap();
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"<%s|%d|%s>".as_ptr(),
                cl.as_ptr(),
                5 as c_int,
                cl.as_ptr()
            )),
            format!("<{long}|5|{long}>")
        );
        let mixed = uni::from_str("\u{1f600}");
        assert_eq!(
            text(PyUnicode_FromFormat(
                c"%d%U%d".as_ptr(),
                1 as c_int,
                mixed,
                2 as c_int
            )),
            "1\u{1f600}2"
        );
        gilgate_capi::host::decref(mixed);
    }
}

#[test]
fn err_format_and_tuple_pack() {
    gilgate_capi::host::initialize().unwrap();
    // SAFETY: formats and arguments match.
    unsafe {
        let r = PyErr_Format(
            gilgate_capi::ffi::PyExc_SystemError,
            c"module %s uses unknown slot ID %i".as_ptr(),
            c"m".as_ptr(),
            999 as c_int,
        );
        assert!(r.is_null());
        let e = gilgate_capi::host::take_exception().unwrap();
        assert_eq!(
            (e.type_name.as_str(), e.message.as_str()),
            ("SystemError", "module m uses unknown slot ID 999")
        );

        let a = uni::from_str("a");
        let b = gilgate_capi::testing::longobject::from_i128(2);
        let t = PyTuple_Pack(2, a, b);
        assert_eq!(gilgate_capi::testing::object::repr_string(t), "('a', 2)");
        let empty = PyTuple_Pack(0);
        assert_eq!(gilgate_capi::testing::object::repr_string(empty), "()");

        gilgate_capi::testing::warnings::set_quiet(true);
        let _ = gilgate_capi::testing::warnings::take_warnings();
        assert_eq!(
            PyErr_WarnFormat(
                gilgate_capi::ffi::PyExc_RuntimeWarning,
                1,
                c"w %d".as_ptr(),
                3 as c_int
            ),
            0
        );
        let w = gilgate_capi::testing::warnings::take_warnings();
        assert_eq!(w.last().map(|w| w.message.as_str()), Some("w 3"));
    }
}
