//! `PyErr_WarnEx` goes through the `warnings` module's filters, as CPython's does through
//! `_warnings`: "error" raises the warning, "ignore" silences it, the default shows it once
//! per message, attributed to `<sys>` line 0 (no Python frame).

use gilgate_capi::ffi::PyObject;
use std::ffi::{c_char, c_int};

unsafe extern "C" {
    fn PyErr_WarnEx(category: *mut PyObject, msg: *const c_char, stacklevel: isize) -> c_int;
    fn PyImport_ImportModule(name: *const c_char) -> *mut PyObject;
    fn PyObject_GetAttrString(o: *mut PyObject, name: *const c_char) -> *mut PyObject;
    fn PyObject_CallObject(f: *mut PyObject, args: *mut PyObject) -> *mut PyObject;
    fn PyObject_CallOneArg(f: *mut PyObject, arg: *mut PyObject) -> *mut PyObject;
    fn PyTuple_New(n: isize) -> *mut PyObject;
    fn PyErr_Occurred() -> *mut PyObject;
    static mut PyExc_RuntimeWarning: *mut PyObject;
    static mut PyExc_UserWarning: *mut PyObject;
}

/// `warnings.<name>(*args)` with str arguments; the result's repr.
unsafe fn call(w: *mut PyObject, name: &std::ffi::CStr, arg: Option<&str>) -> String {
    // SAFETY: live module; the functions exist.
    unsafe {
        let f = PyObject_GetAttrString(w, name.as_ptr());
        assert!(!f.is_null());
        let r = match arg {
            Some(a) => PyObject_CallOneArg(f, gilgate_capi::testing::unicodeobject::from_str(a)),
            None => PyObject_CallObject(f, PyTuple_New(0)),
        };
        assert!(!r.is_null(), "{:?}", gilgate_capi::host::take_exception());
        gilgate_capi::testing::object::repr_string(r)
    }
}

#[test]
fn pyerr_warnex_obeys_the_filters() {
    gilgate_capi::host::initialize().unwrap();
    gilgate_capi::testing::warnings::set_quiet(true);
    // SAFETY: the runtime is initialized; C strings are NUL-terminated.
    unsafe {
        let w = PyImport_ImportModule(c"warnings".as_ptr());
        assert!(!w.is_null());
        // catch_warnings(record=True).__enter__() gives the log.
        let cw = PyObject_GetAttrString(w, c"catch_warnings".as_ptr());
        let kw = gilgate_capi::testing::dictobject::new_dict();
        gilgate_capi::testing::dictobject::set_item(
            kw,
            gilgate_capi::testing::unicodeobject::from_str("record"),
            gilgate_capi::testing::boolobject::true_(),
        );
        let cm = gilgate_capi::ffi::PyObject_Call(cw, PyTuple_New(0), kw);
        assert!(!cm.is_null());
        let enter = PyObject_GetAttrString(cm, c"__enter__".as_ptr());
        let log = PyObject_CallObject(enter, PyTuple_New(0));
        assert!(!log.is_null());

        // error: -1 with the warning raised.
        call(w, c"simplefilter", Some("error"));
        assert_eq!(PyErr_WarnEx(PyExc_RuntimeWarning, c"boom".as_ptr(), 1), -1);
        assert!(!PyErr_Occurred().is_null());
        let e = gilgate_capi::host::take_exception().expect("an exception");
        assert!(format!("{e:?}").contains("boom"), "{e:?}");

        // ignore: 0, nothing recorded.
        call(w, c"simplefilter", Some("ignore"));
        assert_eq!(PyErr_WarnEx(PyExc_RuntimeWarning, c"quiet".as_ptr(), 1), 0);
        assert_eq!(gilgate_capi::testing::object::repr_string(log), "[]");

        // default: shown once per message, attributed to <sys>:0.
        call(w, c"resetwarnings", None);
        for _ in 0..2 {
            assert_eq!(PyErr_WarnEx(PyExc_UserWarning, c"once".as_ptr(), 1), 0);
        }
        assert_eq!(
            gilgate_capi::testing::object::repr_string(log),
            "[<WarningMessage {message : UserWarning('once'), category : 'UserWarning', filename : '<sys>', lineno : 0, line : None}>]"
        );
        // A message filter: literal text and '.*' match as re would.
        call(w, c"simplefilter", Some("always"));
        let fw = PyObject_GetAttrString(w, c"filterwarnings".as_ptr());
        let args = gilgate_capi::testing::tupleobject::from_slice(&[
            gilgate_capi::testing::unicodeobject::from_str("error"),
            gilgate_capi::testing::unicodeobject::from_str("bad .* value"),
        ]);
        assert!(!PyObject_CallObject(fw, args).is_null());
        assert_eq!(
            PyErr_WarnEx(PyExc_UserWarning, c"BAD x value".as_ptr(), 1),
            -1
        );
        let _ = gilgate_capi::host::take_exception();
        assert_eq!(
            PyErr_WarnEx(PyExc_UserWarning, c"a bad x value".as_ptr(), 1),
            0
        );
        // A pattern gilgate cannot match exactly is refused with a clear error.
        let args = gilgate_capi::testing::tupleobject::from_slice(&[
            gilgate_capi::testing::unicodeobject::from_str("error"),
            gilgate_capi::testing::unicodeobject::from_str("[ab]+"),
        ]);
        assert!(PyObject_CallObject(fw, args).is_null());
        let e = format!("{:?}", gilgate_capi::host::take_exception());
        assert!(
            e.contains("NotImplementedError") && e.contains("needs the re module"),
            "{e}"
        );

        let exit = PyObject_GetAttrString(cm, c"__exit__".as_ptr());
        assert!(!PyObject_CallObject(exit, PyTuple_New(0)).is_null());
    }
    gilgate_capi::testing::warnings::set_quiet(false);
}
