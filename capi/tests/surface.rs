//! `gilgate surface`'s three kinds of function: real, partial (`data/partial.tsv`, with what each
//! lacks) and stub. The table's rows must name hand-written functions, the counts and labels
//! must follow it, and for one function of each group of rows the missing piece is shown to be
//! missing: when it lands, the test fails and says to delete the rows.

use gilgate_capi::ffi::PyObject;

use gilgate_capi::host::decref;
use gilgate_capi::host::surface::Kind;
use gilgate_capi::host::surface::SURFACE;
use gilgate_capi::host::surface::Status;
use gilgate_capi::host::surface::lookup;
use gilgate_capi::host::surface::partial_functions;
use gilgate_capi::host::surface::surface_counts;
use std::collections::BTreeSet;
use std::ffi::{c_char, c_int};
use std::ptr::null_mut;

type Obj = *mut PyObject;

unsafe extern "C" {
    fn Py_BuildValue(fmt: *const c_char, ...) -> Obj;
    fn PyBytes_FromStringAndSize(s: *const c_char, n: isize) -> Obj;
    fn PyBytes_Repr(o: Obj, smartquotes: c_int) -> Obj;
    fn PyUnicode_Decode(s: *const c_char, n: isize, enc: *const c_char, err: *const c_char) -> Obj;
    fn PyErr_SetString(t: Obj, msg: *const c_char);
    fn PyErr_Print();
    fn PySys_GetObject(name: *const c_char) -> Obj;
    fn PyList_New(n: isize) -> Obj;
    fn PyLong_FromLong(v: std::ffi::c_long) -> Obj;
    fn PyGen_GetCode(o: Obj) -> Obj;
    fn PyObject_IS_GC(o: Obj) -> c_int;
    fn PyObject_GetAttrString(o: Obj, name: *const c_char) -> Obj;
    fn PyUnicodeDecodeError_Create(
        encoding: *const c_char,
        object: *const c_char,
        length: isize,
        start: isize,
        end: isize,
        reason: *const c_char,
    ) -> Obj;
    static mut PyExc_ValueError: Obj;
}

fn init() {
    gilgate_capi::host::initialize().unwrap();
}

/// The text of a str, consuming it.
fn text(o: Obj) -> String {
    assert!(
        !o.is_null(),
        "NULL: {:?}",
        gilgate_capi::host::take_exception()
    );
    // SAFETY: a live str we own.
    unsafe {
        let s = gilgate_capi::testing::unicodeobject::as_str(o)
            .unwrap()
            .to_owned();
        decref(o);
        s
    }
}

/// The pending exception as "Type: message" (which must be set).
fn error() -> String {
    let e = gilgate_capi::host::take_exception().expect("an exception");
    format!("{}: {}", e.type_name, e.message)
}

const DELETE_ROWS: &str = "it works now: delete its rows from capi/data/partial.tsv";

#[test]
fn partial_rows_name_hand_written_functions() {
    let mut seen = BTreeSet::new();
    let rows: Vec<_> = partial_functions().collect();
    assert!(!rows.is_empty());
    for (name, missing) in &rows {
        assert!(seen.insert(*name), "{name} is listed twice");
        assert!(!missing.is_empty(), "{name}: say what is missing");
        let e = lookup(name).unwrap_or_else(|| panic!("{name} is not an exported name"));
        assert_eq!(e.kind, Kind::Func, "{name}");
        assert_eq!(
            e.status,
            Status::Real,
            "{name} is not written by hand (a stub is not partial)"
        );
        assert_eq!(e.missing(), Some(*missing));
        assert_eq!(e.label(), format!("partial: {missing}"));
    }
}

#[test]
fn counts_and_labels_follow_the_table() {
    let c = surface_counts();
    let rows = partial_functions().count();
    assert_eq!(c.funcs_partial, rows);
    let hand_written = SURFACE
        .iter()
        .filter(|e| e.kind == Kind::Func && e.status == Status::Real)
        .count();
    assert_eq!(c.funcs_real + c.funcs_partial, hand_written);
    let stubs = SURFACE
        .iter()
        .filter(|e| e.kind == Kind::Func && e.status != Status::Real)
        .count();
    assert_eq!(c.funcs_stub, stubs);
    assert_eq!(
        c.funcs_real + c.funcs_partial + c.funcs_stub + c.data_real + c.data_generated,
        c.total
    );
    let shown = c.to_string();
    assert!(
        shown.contains(&format!(
            "functions: {} real, {} partial (--list says what each lacks), {} stubs",
            c.funcs_real, c.funcs_partial, c.funcs_stub
        )),
        "{shown}"
    );

    assert_eq!(lookup("PyList_New").unwrap().label(), "real");
    let stub = SURFACE
        .iter()
        .find(|e| e.kind == Kind::Func && e.status == Status::Stub)
        .expect("some stub");
    assert_eq!(stub.label(), "stub");
    assert_eq!(stub.missing(), None);
    let list = gilgate_capi::host::surface::render_list();
    let line = list
        .lines()
        .find(|l| l.starts_with("PyErr_WarnEx\t"))
        .unwrap();
    assert!(
        line.starts_with("PyErr_WarnEx\tfunc\tpartial: stacklevel is ignored"),
        "{line}"
    );
    // PyBytes_Repr and Py_BuildValue are complete now (issue 7 named them partial)
    assert_eq!(lookup("PyBytes_Repr").unwrap().label(), "real");
    assert_eq!(lookup("Py_BuildValue").unwrap().label(), "real");
    let line = list
        .lines()
        .find(|l| l.starts_with("PyList_New\t"))
        .unwrap();
    assert!(line.starts_with("PyList_New\tfunc\treal\t"), "{line}");
}

/// For one function of each group of rows, the piece the table says is missing is missing.
#[test]
fn what_the_partial_rows_say_is_missing_is_missing() {
    init();
    // SAFETY: C API calls with valid arguments; new references are released.
    unsafe {
        // PyUnicode_Decode(b"a\0", "utf-16-le"): CPython 3.14 gives 'a'
        let o = PyUnicode_Decode(c"a".as_ptr(), 2, c"utf-16-le".as_ptr(), null_mut());
        assert!(o.is_null(), "PyUnicode_Decode utf-16-le: {DELETE_ROWS}");
        assert_eq!(error(), "LookupError: unknown encoding: utf-16-le");

        // PyUnicode_Decode(b"\xff", "utf-8", "namereplace"): CPython 3.14 raises TypeError (the
        // handler exists but cannot decode); gilgate has no namereplace handler
        let o = PyUnicode_Decode(
            c"\xff".as_ptr(),
            1,
            c"utf-8".as_ptr(),
            c"namereplace".as_ptr(),
        );
        assert!(o.is_null());
        assert_eq!(
            error(),
            "LookupError: unknown error handler name 'namereplace'",
            "PyUnicode_Decode namereplace: {DELETE_ROWS}"
        );

        // PyGen_GetCode: CPython 3.14 answers a generator's code; gilgate has no generator
        let one = PyLong_FromLong(1);
        assert!(PyGen_GetCode(one).is_null(), "PyGen_GetCode: {DELETE_ROWS}");
        let _ = gilgate_capi::host::take_exception();
        decref(one);

        // PyObject_IS_GC([]): CPython 3.14 gives 1 (list is a GC type)
        let l = PyList_New(0);
        assert_eq!(PyObject_IS_GC(l), 0, "PyObject_IS_GC list: {DELETE_ROWS}");
        decref(l);

        // UnicodeDecodeError('utf-8', b'a', 0, 1, 'x').start: CPython 3.14 gives 0
        let e =
            PyUnicodeDecodeError_Create(c"utf-8".as_ptr(), c"a".as_ptr(), 1, 0, 1, c"x".as_ptr());
        assert!(!e.is_null());
        let start = PyObject_GetAttrString(e, c"start".as_ptr());
        assert!(
            start.is_null(),
            "PyUnicodeDecodeError_Create attributes: {DELETE_ROWS}"
        );
        let _ = gilgate_capi::host::take_exception();
        decref(e);

        // PyErr_Print: CPython 3.14 sets sys.last_exc to the printed exception
        PyErr_SetString(PyExc_ValueError, c"printed".as_ptr());
        PyErr_Print();
        assert!(
            PySys_GetObject(c"last_exc".as_ptr()).is_null(),
            "PyErr_Print sys.last_exc: {DELETE_ROWS}"
        );
        let _ = gilgate_capi::host::take_exception();
    }
}

/// `PyBytes_Repr`'s `smartquotes`: 1 picks the quotes as `repr()` does, 0 always uses `'`
/// (CPython 3.14: `b"'"` and `b'\''` for the one byte `'`).
#[test]
fn bytes_repr_honours_smartquotes() {
    init();
    // SAFETY: C API calls with valid arguments; new references are released.
    unsafe {
        let repr = |data: &[u8], smart: c_int| {
            let b = PyBytes_FromStringAndSize(data.as_ptr().cast(), data.len() as isize);
            let r = text(PyBytes_Repr(b, smart));
            decref(b);
            r
        };
        assert_eq!(repr(b"'", 1), r#"b"'""#);
        assert_eq!(repr(b"'", 0), r"b'\''");
        assert_eq!(repr(b"'\"", 1), r#"b'\'"'"#);
        assert_eq!(repr(b"'\"", 0), r#"b'\'"'"#);
        assert_eq!(repr(b"a\n\x00", 0), r"b'a\n\x00'");
    }
}

/// `Py_BuildValue`'s `u` and `u#`: `wchar_t` strings (CPython 3.14: `Py_BuildValue("u", L"ab")`
/// is `'ab'`, `("(u#u)", L"ab", 1, NULL)` is `('a', None)`).
#[test]
fn build_value_takes_wide_strings() {
    init();
    // SAFETY: C API calls with valid arguments; new references are released.
    unsafe {
        let wide: [i32; 4] = ['a' as i32, 0x20ac, 0x1f600, 0];
        assert_eq!(
            text(Py_BuildValue(c"u".as_ptr(), wide.as_ptr())),
            "a\u{20ac}\u{1f600}"
        );
        let t = Py_BuildValue(
            c"(u#u)".as_ptr(),
            wide.as_ptr(),
            2isize,
            std::ptr::null::<i32>(),
        );
        assert!(!t.is_null(), "{:?}", gilgate_capi::host::take_exception());
        let items = gilgate_capi::testing::tupleobject::items(t);
        assert_eq!(items.len(), 2);
        assert_eq!(
            gilgate_capi::testing::unicodeobject::as_str(items[0]),
            Some("a\u{20ac}")
        );
        assert!(std::ptr::eq(
            items[1],
            gilgate_capi::testing::object::none()
        ));
        decref(t);
        // a code point outside Unicode is CPython's ValueError
        let bad: [i32; 2] = [0x110000, 0];
        assert!(Py_BuildValue(c"u".as_ptr(), bad.as_ptr()).is_null());
        assert_eq!(
            error(),
            "ValueError: character U+110000 is not in range [U+0000; U+10ffff]"
        );
    }
}
