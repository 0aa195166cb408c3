//! The string builders: the 3.14 public `PyUnicodeWriter_*` API and the private
//! `_PyUnicodeWriter_*` one (whose struct and `_PyUnicodeWriter_Prepare` macro extensions use
//! directly; `tests/c/unicodewriter/writer_macros.c` drives them from C). Expected texts and error
//! messages are CPython 3.14's.

use gilgate_capi::ffi::PyASCIIObject;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::*;
use gilgate_capi::host::ExcInfo;
use gilgate_capi::testing::unicodeobject as uni;
use std::ffi::{CStr, c_char, c_int};
use std::ptr::null_mut;
use support::{Library, cc};

mod support;

unsafe extern "C" {
    fn PyUnicodeWriter_Format(w: *mut PyUnicodeWriter, format: *const c_char, ...) -> c_int;
}

fn init() {
    gilgate_capi::host::initialize().expect("runtime initializes");
}

fn dec(o: *mut PyObject) {
    // SAFETY: an owned reference.
    unsafe { gilgate_capi::host::decref(o) }
}

/// The text of a str we own (consumed), with its kind and ASCII flag.
fn take(o: *mut PyObject) -> (String, u32, bool) {
    assert!(!o.is_null(), "{:?}", gilgate_capi::host::take_exception());
    // SAFETY: a live str we own.
    unsafe {
        let units = uni::chars(o);
        let text: String = units
            .iter()
            .map(|&u| char::from_u32(u).unwrap_or('?'))
            .collect();
        let k = uni::kind(o);
        let ascii = (*o.cast::<PyASCIIObject>()).state & (1 << 12) != 0;
        dec(o);
        (text, k, ascii)
    }
}

fn text(o: *mut PyObject) -> String {
    take(o).0
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

#[test]
fn public_writer_builds_a_str() {
    init();
    // SAFETY: one live writer used in order, then finished.
    unsafe {
        let w = PyUnicodeWriter_Create(0);
        assert!(!w.is_null());
        assert_eq!(PyUnicodeWriter_WriteChar(w, u32::from('[')), 0);
        assert_eq!(PyUnicodeWriter_WriteUTF8(w, c"caf\xc3\xa9".as_ptr(), -1), 0);
        assert_eq!(PyUnicodeWriter_WriteASCII(w, c"xyz".as_ptr(), 2), 0);
        let mut ucs4 = [0x1f600u32, u32::from('A')];
        assert_eq!(PyUnicodeWriter_WriteUCS4(w, ucs4.as_mut_ptr(), 2), 0);
        let forty_two = gilgate_capi::ffi::PyLong_FromLong(42);
        assert_eq!(PyUnicodeWriter_WriteStr(w, forty_two), 0);
        let quoted = uni::from_str("a'b");
        assert_eq!(PyUnicodeWriter_WriteRepr(w, quoted), 0);
        assert_eq!(PyUnicodeWriter_WriteRepr(w, null_mut()), 0);
        let hello = uni::from_str("hello w\u{f6}rld");
        assert_eq!(PyUnicodeWriter_WriteSubstring(w, hello, 6, 11), 0);
        let wide: [i32; 5] = [0x77, 0x3b1, 0x64, 0x65, 0];
        assert_eq!(PyUnicodeWriter_WriteWideChar(w, wide.as_ptr(), -1), 0);
        assert_eq!(
            PyUnicodeWriter_Format(w, c"<%d|%s|%R>".as_ptr(), -5 as c_int, c"s".as_ptr(), hello),
            0
        );
        let (t, k, _) = take(PyUnicodeWriter_Finish(w));
        assert_eq!(
            t,
            "[caf\u{e9}xy\u{1f600}A42\"a'b\"<NULL>w\u{f6}rldw\u{3b1}de<-5|s|'hello w\u{f6}rld'>"
        );
        assert_eq!(k, 4);
        no_err();
        for o in [forty_two, quoted, hello] {
            dec(o);
        }
    }
}

#[test]
fn public_writer_result_has_the_smallest_kind() {
    init();
    // SAFETY: live writers used in order.
    unsafe {
        let w = PyUnicodeWriter_Create(100);
        assert_eq!(take(PyUnicodeWriter_Finish(w)), (String::new(), 1, true));

        let w = PyUnicodeWriter_Create(3);
        assert_eq!(PyUnicodeWriter_WriteUTF8(w, c"plain".as_ptr(), 5), 0);
        assert_eq!(take(PyUnicodeWriter_Finish(w)), ("plain".into(), 1, true));

        let w = PyUnicodeWriter_Create(0);
        assert_eq!(PyUnicodeWriter_WriteChar(w, 0xe9), 0);
        assert_eq!(PyUnicodeWriter_WriteChar(w, 0x20ac), 0);
        assert_eq!(
            take(PyUnicodeWriter_Finish(w)),
            ("\u{e9}\u{20ac}".into(), 2, false)
        );

        // a substring of a wide str that is ASCII gives an ASCII str
        let wide = uni::from_str("ab\u{1f600}");
        let w = PyUnicodeWriter_Create(0);
        assert_eq!(PyUnicodeWriter_WriteSubstring(w, wide, 0, 2), 0);
        assert_eq!(take(PyUnicodeWriter_Finish(w)), ("ab".into(), 1, true));
        dec(wide);

        // many writes force several reallocations; lone surrogates are allowed
        let w = PyUnicodeWriter_Create(0);
        for i in 0..1000u32 {
            assert_eq!(PyUnicodeWriter_WriteChar(w, u32::from(b'a') + i % 26), 0);
        }
        assert_eq!(PyUnicodeWriter_WriteChar(w, 0xd800), 0);
        let s = PyUnicodeWriter_Finish(w);
        assert_eq!(uni::length(s), 1001);
        assert_eq!(uni::read(s, 27), u32::from(b'b'));
        assert_eq!(uni::read(s, 1000), 0xd800);
        assert_eq!(uni::kind(s), 2);
        dec(s);
        no_err();
    }
}

#[test]
fn public_writer_errors_leave_it_unchanged() {
    init();
    // SAFETY: live writers used in order.
    unsafe {
        assert!(PyUnicodeWriter_Create(-1).is_null());
        assert_eq!(
            err(),
            ("ValueError".into(), "length must be positive".into())
        );

        let w = PyUnicodeWriter_Create(0);
        assert_eq!(PyUnicodeWriter_WriteUTF8(w, c"ok:".as_ptr(), -1), 0);
        assert_eq!(PyUnicodeWriter_WriteChar(w, 0x110000), -1);
        assert_eq!(
            err(),
            (
                "ValueError".into(),
                "character must be in range(0x110000)".into()
            )
        );
        assert_eq!(PyUnicodeWriter_WriteUTF8(w, c"a\xffb".as_ptr(), 3), -1);
        assert_eq!(
            err(),
            (
                "UnicodeDecodeError".into(),
                "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte".into()
            )
        );
        let n = gilgate_capi::ffi::PyLong_FromLong(7);
        assert_eq!(PyUnicodeWriter_WriteSubstring(w, n, 0, 0), -1);
        assert_eq!(err(), ("TypeError".into(), "expect str, not int".into()));
        let s = uni::from_str("abc");
        assert_eq!(PyUnicodeWriter_WriteSubstring(w, s, 2, 1), -1);
        assert_eq!(
            err(),
            ("ValueError".into(), "invalid start argument".into())
        );
        assert_eq!(PyUnicodeWriter_WriteSubstring(w, s, -1, 1), -1);
        assert_eq!(
            err(),
            ("ValueError".into(), "invalid start argument".into())
        );
        assert_eq!(PyUnicodeWriter_WriteSubstring(w, s, 1, 4), -1);
        assert_eq!(err(), ("ValueError".into(), "invalid end argument".into()));
        let mut one = [0x41u32];
        assert_eq!(PyUnicodeWriter_WriteUCS4(w, one.as_mut_ptr(), -1), -1);
        assert_eq!(err(), ("ValueError".into(), "size must be positive".into()));
        let mut bad = [0x41u32, 0x110000];
        assert_eq!(PyUnicodeWriter_WriteUCS4(w, bad.as_mut_ptr(), 2), -1);
        assert_eq!(err().0, "SystemError");
        let wide: [i32; 2] = [0x110000, 0];
        assert_eq!(PyUnicodeWriter_WriteWideChar(w, wide.as_ptr(), 1), -1);
        assert_eq!(
            err(),
            (
                "ValueError".into(),
                "character U+110000 is not in range [U+0000; U+10ffff]".into()
            )
        );
        assert_eq!(PyUnicodeWriter_Format(w, c"%N".as_ptr(), n), -1);
        assert_eq!(
            err(),
            ("TypeError".into(), "%N argument must be a type".into())
        );
        assert_eq!(PyUnicodeWriter_WriteSubstring(w, s, 1, 3), 0);
        assert_eq!(text(PyUnicodeWriter_Finish(w)), "ok:bc");

        // Discard frees a writer with a buffer; NULL is accepted
        let w = PyUnicodeWriter_Create(10);
        assert_eq!(PyUnicodeWriter_WriteStr(w, s), 0);
        PyUnicodeWriter_Discard(w);
        PyUnicodeWriter_Discard(null_mut());
        no_err();
        dec(n);
        dec(s);
    }
}

#[test]
fn public_writer_decodes_utf8_statefully() {
    init();
    // SAFETY: live writers used in order.
    unsafe {
        let w = PyUnicodeWriter_Create(0);
        let mut consumed: isize = -1;
        // the last two bytes start a 3-byte sequence: left for the next call
        let data = b"x\xe2\x82\xacy\xe2\x82";
        assert_eq!(
            PyUnicodeWriter_DecodeUTF8Stateful(
                w,
                data.as_ptr().cast(),
                data.len() as isize,
                null_mut(),
                &mut consumed
            ),
            0
        );
        assert_eq!(consumed, 5);
        let data = b"a\xffb";
        assert_eq!(
            PyUnicodeWriter_DecodeUTF8Stateful(
                w,
                data.as_ptr().cast(),
                3,
                c"replace".as_ptr(),
                null_mut()
            ),
            0
        );
        assert_eq!(
            PyUnicodeWriter_DecodeUTF8Stateful(
                w,
                data.as_ptr().cast(),
                3,
                null_mut(),
                &mut consumed
            ),
            -1
        );
        assert_eq!(consumed, 0);
        assert_eq!(err().0, "UnicodeDecodeError");
        assert_eq!(
            PyUnicodeWriter_DecodeUTF8Stateful(w, data.as_ptr().cast(), -1, null_mut(), null_mut()),
            -1
        );
        assert_eq!(
            err(),
            ("ValueError".into(), "length must be positive".into())
        );
        assert_eq!(text(PyUnicodeWriter_Finish(w)), "x\u{20ac}ya\u{fffd}b");
    }
}

#[test]
fn private_writer_grows_and_widens() {
    init();
    // SAFETY: the writer lives on the stack and is used as the C API documents.
    unsafe {
        let mut w = std::mem::MaybeUninit::<_PyUnicodeWriter>::uninit();
        let w = w.as_mut_ptr();
        _PyUnicodeWriter_Init(w);
        assert!((*w).buffer.is_null());
        assert_eq!(((*w).kind, (*w).pos, (*w).min_char), (0, 0, 127));
        assert_eq!(_PyUnicodeWriter_WriteASCIIString(w, c"abc".as_ptr(), -1), 0);
        assert_eq!(((*w).kind, (*w).maxchar, (*w).pos), (1, 127, 3));
        assert!((*w).size >= 3);
        assert_eq!(
            _PyUnicodeWriter_WriteLatin1String(w, c"\xe9".as_ptr(), 1),
            0
        );
        assert_eq!(((*w).kind, (*w).maxchar, (*w).pos), (1, 255, 4));
        let s = uni::from_str("<\u{3b1}\u{3b2}>");
        assert_eq!(_PyUnicodeWriter_WriteSubstring(w, s, 1, 3), 0);
        assert_eq!(((*w).kind, (*w).maxchar), (2, 0xffff));
        assert_eq!(_PyUnicodeWriter_WriteStr(w, s), 0);
        assert_eq!(_PyUnicodeWriter_WriteChar(w, 0x1f600), 0);
        assert_eq!(((*w).kind, (*w).maxchar, (*w).pos), (4, 0x10ffff, 11));
        // what the old buffer held was copied into the wider ones
        let data = (*w).data.cast::<u32>();
        assert_eq!(*data.add(3), 0xe9);
        assert_eq!(*data.add(5), 0x3b2);
        let (t, k, _) = take(_PyUnicodeWriter_Finish(w));
        assert_eq!(t, "abc\u{e9}\u{3b1}\u{3b2}<\u{3b1}\u{3b2}>\u{1f600}");
        assert_eq!(k, 4);
        assert!((*w).buffer.is_null());
        dec(s);

        // min_length and overallocate size the buffer; PrepareKind widens without writing
        _PyUnicodeWriter_Init(w);
        (*w).min_length = 50;
        assert_eq!(_PyUnicodeWriter_PrepareInternal(w, 1, 0x41), 0);
        assert_eq!(((*w).size, (*w).kind, (*w).pos), (50, 1, 0));
        assert_eq!(_PyUnicodeWriter_PrepareKindInternal(w, 2), 0);
        assert_eq!(((*w).size, (*w).kind, (*w).maxchar), (50, 2, 0xffff));
        _PyUnicodeWriter_Dealloc(w);
        assert!((*w).buffer.is_null());

        _PyUnicodeWriter_Init(w);
        (*w).overallocate = 1;
        assert_eq!(_PyUnicodeWriter_PrepareInternal(w, 100, 0x41), 0);
        assert_eq!((*w).size, 125);
        // a writer that wrote only ASCII into a widened buffer still finishes as ASCII
        assert_eq!(_PyUnicodeWriter_PrepareKindInternal(w, 4), 0);
        assert_eq!(_PyUnicodeWriter_WriteChar(w, u32::from('z')), 0);
        assert_eq!(take(_PyUnicodeWriter_Finish(w)), ("z".into(), 1, true));

        // nothing written: the empty str
        _PyUnicodeWriter_Init(w);
        assert_eq!(take(_PyUnicodeWriter_Finish(w)), (String::new(), 1, true));

        _PyUnicodeWriter_Init(w);
        assert_eq!(_PyUnicodeWriter_PrepareInternal(w, 1, 0x110000), -1);
        assert_eq!(
            err(),
            (
                "SystemError".into(),
                "invalid maximum character passed to PyUnicode_New".into()
            )
        );
        _PyUnicodeWriter_Dealloc(w);
        no_err();
    }
}

#[test]
fn private_writer_macros_from_c() {
    init();
    let so = cc::shared(
        cc::fixture("unicodewriter/writer_macros.c"),
        cc::out_dir("unicodewriter").join("gilgate-writer-macros.so"),
    )
    .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1"])
    // the private writer is deprecated for extensions in 3.14, as in CPython
    .arg("-Wno-deprecated-declarations")
    .build();
    // SAFETY: loading a library we just built; its undefined symbols resolve against this
    // test binary's exported C API.
    unsafe {
        let f = Library::open(&so).sym(c"gg_writer_checks");
        let check: unsafe extern "C" fn(*mut c_char, usize) -> c_int = std::mem::transmute(f);
        let mut buf = vec![0 as c_char; 8192];
        let failed = check(buf.as_mut_ptr(), buf.len());
        let text = CStr::from_ptr(buf.as_ptr()).to_string_lossy().into_owned();
        assert_eq!(failed, 0, "C checks failed:\n{text}");
        assert!(
            text.lines().filter(|l| l.starts_with("ok ")).count() >= 12,
            "{text}"
        );
        no_err();
    }
}
