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
    fn PyErr_WarnExplicit(
        category: *mut PyObject,
        text: *const c_char,
        filename: *const c_char,
        lineno: c_int,
        module: *const c_char,
        registry: *mut PyObject,
    ) -> c_int;
    fn PyErr_WarnExplicitFormat(
        category: *mut PyObject,
        filename: *const c_char,
        lineno: c_int,
        module: *const c_char,
        registry: *mut PyObject,
        format: *const c_char,
        ...
    ) -> c_int;
    fn PyErr_ResourceWarning(
        source: *mut PyObject,
        stacklevel: isize,
        format: *const c_char,
        ...
    ) -> c_int;
    static mut PyExc_RuntimeWarning: *mut PyObject;
    static mut PyExc_UserWarning: *mut PyObject;
}

/// The warnings filters are process-wide: the tests here take turns.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

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
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
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

        // The explicit forms: the filename and line given, the registry honoured.
        call(w, c"resetwarnings", None);
        let reg = gilgate_capi::testing::dictobject::new_dict();
        let before = gilgate_capi::testing::object::repr_string(log);
        for _ in 0..2 {
            let r = PyErr_WarnExplicit(
                PyExc_UserWarning,
                c"exp".as_ptr(),
                c"mod.py".as_ptr(),
                7,
                std::ptr::null(),
                reg,
            );
            assert_eq!(r, 0);
        }
        let after = gilgate_capi::testing::object::repr_string(log);
        assert_eq!(
            after.strip_prefix(&before[..before.len() - 1]).unwrap(),
            ", <WarningMessage {message : UserWarning('exp'), category : 'UserWarning', filename : 'mod.py', lineno : 7, line : None}>]"
        );
        // A module filter sees the module given (or the filename without ".py").
        let args = gilgate_capi::testing::tupleobject::from_slice(&[
            gilgate_capi::testing::unicodeobject::from_str("error"),
            gilgate_capi::testing::unicodeobject::from_str(""),
            PyExc_UserWarning,
            gilgate_capi::testing::unicodeobject::from_str("pkg\\.mod"),
        ]);
        assert!(!PyObject_CallObject(fw, args).is_null());
        let r = PyErr_WarnExplicitFormat(
            PyExc_UserWarning,
            c"x.py".as_ptr(),
            1,
            c"pkg.mod".as_ptr(),
            std::ptr::null_mut(),
            c"n=%d".as_ptr(),
            5 as c_int,
        );
        assert_eq!(r, -1);
        let e = format!("{:?}", gilgate_capi::host::take_exception());
        assert!(e.contains("n=5"), "{e}");
        let r = PyErr_WarnExplicit(
            PyExc_UserWarning,
            c"y".as_ptr(),
            c"pkg.mod.py".as_ptr(),
            1,
            std::ptr::null(),
            std::ptr::null_mut(),
        );
        assert_eq!(r, -1);
        let _ = gilgate_capi::host::take_exception();
        // ResourceWarning: ignored by the default filters, raised under "error".
        call(w, c"resetwarnings", None);
        let fw_dflt = PyObject_GetAttrString(w, c"filters".as_ptr());
        assert_eq!(gilgate_capi::testing::object::repr_string(fw_dflt), "[]");
        call(w, c"simplefilter", Some("error"));
        let src = gilgate_capi::testing::unicodeobject::from_str("the source");
        assert_eq!(
            PyErr_ResourceWarning(src, 1, c"unclosed %s".as_ptr(), c"file".as_ptr()),
            -1
        );
        let e = format!("{:?}", gilgate_capi::host::take_exception());
        assert!(
            e.contains("ResourceWarning") && e.contains("unclosed file"),
            "{e}"
        );

        let exit = PyObject_GetAttrString(cm, c"__exit__".as_ptr());
        assert!(!PyObject_CallObject(exit, PyTuple_New(0)).is_null());
    }
    gilgate_capi::testing::warnings::set_quiet(false);
}

/// Threads warn while others replace the filters: every warning returns 0 (no filter says
/// "error"), and `simplefilter`'s remove-then-insert never leaves a duplicate filter behind.
#[test]
fn filters_stay_consistent_under_concurrent_warn_and_simplefilter() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    gilgate_capi::host::initialize().unwrap();
    gilgate_capi::testing::warnings::set_quiet(true);
    const ACTIONS: [&str; 5] = ["ignore", "always", "default", "once", "module"];
    let go = std::sync::Arc::new(std::sync::Barrier::new(6));
    let mut hs = Vec::new();
    for t in 0..6usize {
        let go = go.clone();
        // 8 MiB, a C thread's default stack (Rust's 2 MiB is smaller than any thread an
        // extension would start).
        hs.push(
            std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn(move || {
                    go.wait();
                    // SAFETY: the runtime is initialized; each thread uses the C API on its own.
                    unsafe {
                        let w = PyImport_ImportModule(c"warnings".as_ptr());
                        assert!(!w.is_null());
                        for i in 0..200usize {
                            if t % 2 == 0 {
                                call(w, c"simplefilter", Some(ACTIONS[(i + t) % ACTIONS.len()]));
                            } else {
                                let msg =
                                    std::ffi::CString::new(format!("t{t} {}", i % 7)).unwrap();
                                assert_eq!(PyErr_WarnEx(PyExc_UserWarning, msg.as_ptr(), 1), 0);
                            }
                        }
                    }
                })
                .expect("spawn a thread"),
        );
    }
    for h in hs {
        h.join().unwrap();
    }
    // SAFETY: as above.
    unsafe {
        let w = PyImport_ImportModule(c"warnings".as_ptr());
        let f = PyObject_GetAttrString(w, c"filters".as_ptr());
        let items = gilgate_capi::testing::object::repr_string(f);
        let simple: Vec<&str> = ACTIONS
            .iter()
            .copied()
            .filter(|a| items.contains(&format!("('{a}', None, <class 'Warning'>, None, 0)")))
            .collect();
        assert_eq!(simple.len(), ACTIONS.len(), "{items}");
        for a in ACTIONS {
            let one = format!("('{a}', None, <class 'Warning'>, None, 0)");
            assert_eq!(items.matches(&one).count(), 1, "{items}");
        }
        call(w, c"resetwarnings", None);
    }
    gilgate_capi::testing::warnings::set_quiet(false);
}
