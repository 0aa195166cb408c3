//! Capsules, `PyThread` locks and TSS, gilgate's built-in modules (`builtins`, `sys`,
//! `datetime` with its C API capsule, used from C through `PyDateTime_IMPORT`), and import
//! errors for names that have no extension module.

use gilgate_capi::ffi::PyObject;

use gilgate_capi::ffi::*;
use gilgate_capi::testing::import;
use gilgate_capi::testing::unicodeobject as uni;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Library, cc};

mod support;

fn init() {
    gilgate_capi::host::initialize().expect("runtime initializes");
}

fn err() -> (String, String) {
    let e = gilgate_capi::host::take_exception().expect("an exception is set");
    (e.type_name, e.message)
}

fn attr(o: *mut PyObject, name: &str) -> *mut PyObject {
    let k = uni::from_str(name);
    // SAFETY: live objects.
    let v = unsafe { gilgate_capi::testing::object::getattr(o, k) };
    // SAFETY: our reference.
    unsafe { gilgate_capi::host::decref(k) };
    v
}

fn repr(o: *mut PyObject) -> String {
    // SAFETY: a live object.
    unsafe { gilgate_capi::testing::object::repr_string(o) }
}

static DESTROYED: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn destructor(cap: *mut PyObject) {
    // SAFETY: called with the dying capsule, whose pointer is a leaked u64.
    let p = unsafe { PyCapsule_GetPointer(cap, c"gg.test".as_ptr()) };
    assert!(!p.is_null());
    DESTROYED.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn capsule_round_trip_names_and_destructor() {
    init();
    let data = Box::into_raw(Box::new(42u64)).cast::<c_void>();
    // SAFETY: exercising the C API with valid arguments (and deliberately wrong names).
    unsafe {
        let c = PyCapsule_New(data, c"gg.test".as_ptr(), Some(destructor));
        assert!(!c.is_null());
        assert_eq!(PyCapsule_GetPointer(c, c"gg.test".as_ptr()), data);
        assert_eq!(CStr::from_ptr(PyCapsule_GetName(c)), c"gg.test");
        assert_eq!(PyCapsule_IsValid(c, c"gg.test".as_ptr()), 1);
        assert_eq!(PyCapsule_IsValid(c, c"gg.other".as_ptr()), 0);
        assert_eq!(PyCapsule_IsValid(c, std::ptr::null()), 0);
        assert!(!gilgate_capi::host::error_occurred());

        assert!(PyCapsule_GetPointer(c, c"gg.other".as_ptr()).is_null());
        assert_eq!(
            err(),
            (
                "ValueError".into(),
                "PyCapsule_GetPointer called with incorrect name".into()
            )
        );
        let not_capsule = uni::from_str("x");
        assert!(PyCapsule_GetPointer(not_capsule, c"gg.test".as_ptr()).is_null());
        assert_eq!(
            err(),
            (
                "ValueError".into(),
                "PyCapsule_GetPointer called with invalid PyCapsule object".into()
            )
        );
        assert!(PyCapsule_GetName(not_capsule).is_null());
        assert_eq!(
            err().1,
            "PyCapsule_GetName called with invalid PyCapsule object"
        );
        gilgate_capi::host::decref(not_capsule);
        assert!(PyCapsule_New(null_mut(), c"x".as_ptr(), None).is_null());
        assert_eq!(err().1, "PyCapsule_New called with null pointer");

        let ctx = 7usize as *mut c_void;
        assert_eq!(PyCapsule_SetContext(c, ctx), 0);
        assert_eq!(PyCapsule_GetContext(c), ctx);
        assert_eq!(PyCapsule_SetName(c, std::ptr::null()), 0);
        assert_eq!(PyCapsule_GetPointer(c, std::ptr::null()), data);
        assert_eq!(PyCapsule_SetName(c, c"gg.test".as_ptr()), 0);
        assert_eq!(PyCapsule_SetPointer(c, null_mut()), -1);
        assert_eq!(err().1, "PyCapsule_SetPointer called with null pointer");
        assert!(PyCapsule_GetDestructor(c).is_some());
        assert!(repr(c).starts_with("<capsule object \"gg.test\" at 0x"));

        let before = DESTROYED.load(Ordering::SeqCst);
        gilgate_capi::host::decref(c);
        assert_eq!(DESTROYED.load(Ordering::SeqCst), before + 1);
        drop(Box::from_raw(data.cast::<u64>()));
    }
}

#[test]
fn capsule_import_checks_the_full_name() {
    init();
    // SAFETY: C strings.
    unsafe {
        let p = PyCapsule_Import(c"datetime.datetime_CAPI".as_ptr(), 0);
        assert!(!p.is_null(), "{:?}", gilgate_capi::host::take_exception());
        assert_eq!(p.cast(), gilgate_capi::testing::datetime::capi());
        assert!(PyCapsule_Import(c"datetime.date".as_ptr(), 0).is_null());
        assert_eq!(
            err(),
            (
                "AttributeError".into(),
                "PyCapsule_Import \"datetime.date\" is not valid".into()
            )
        );
        assert!(PyCapsule_Import(c"datetime.nope".as_ptr(), 0).is_null());
        assert_eq!(err().0, "AttributeError");
        assert!(PyCapsule_Import(c"gg_no_such_module.x".as_ptr(), 0).is_null());
        assert_eq!(err().0, "ModuleNotFoundError");
    }
}

#[test]
fn thread_locks_and_tss() {
    init();
    // SAFETY: locks and keys used per the C API contract.
    unsafe {
        let l = PyThread_allocate_lock();
        assert!(!l.is_null());
        assert_eq!(PyThread_acquire_lock(l, 1), 1);
        assert_eq!(PyThread_acquire_lock(l, 0), 0);
        let t0 = std::time::Instant::now();
        assert_eq!(PyThread_acquire_lock_timed(l, 20_000, 0), PY_LOCK_FAILURE);
        assert!(t0.elapsed() >= std::time::Duration::from_millis(20));
        // Another thread may release it.
        let addr = l as usize;
        std::thread::spawn(move || PyThread_release_lock(addr as *mut c_void))
            .join()
            .unwrap();
        assert_eq!(PyThread_acquire_lock_timed(l, -1, 0), PY_LOCK_ACQUIRED);
        let addr = l as usize;
        let waiter = std::thread::spawn(move || {
            PyThread_acquire_lock_timed(addr as *mut c_void, 5_000_000, 0)
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        PyThread_release_lock(l);
        assert_eq!(waiter.join().unwrap(), PY_LOCK_ACQUIRED);
        PyThread_release_lock(l);
        PyThread_free_lock(l);

        assert_ne!(PyThread_get_thread_ident(), 0);
        let here = PyThread_get_thread_ident();
        let there = std::thread::spawn(|| PyThread_get_thread_ident())
            .join()
            .unwrap();
        assert_ne!(here, there);
        assert_eq!(PyThread_get_thread_native_id() as i32, libc::gettid());

        let k = PyThread_tss_alloc();
        assert_eq!(PyThread_tss_is_created(k), 0);
        assert_eq!(PyThread_tss_create(k), 0);
        assert_eq!(PyThread_tss_is_created(k), 1);
        assert!(PyThread_tss_get(k).is_null());
        assert_eq!(PyThread_tss_set(k, 5usize as *mut c_void), 0);
        assert_eq!(PyThread_tss_get(k) as usize, 5);
        let ka = k as usize;
        let other = std::thread::spawn(move || PyThread_tss_get(ka as *mut Py_tss_t) as usize)
            .join()
            .unwrap();
        assert_eq!(other, 0, "TSS values are per thread");
        PyThread_tss_delete(k);
        assert_eq!(PyThread_tss_is_created(k), 0);
        PyThread_tss_free(k);
    }
}

#[test]
fn builtins_sys_and_datetime_import() {
    init();
    let b = gilgate_capi::host::import_module("builtins");
    assert!(!b.is_null(), "{:?}", gilgate_capi::host::take_exception());
    for name in [
        "int",
        "str",
        "dict",
        "tuple",
        "object",
        "type",
        "ValueError",
        "len",
        "print",
    ] {
        let v = attr(b, name);
        assert!(
            !v.is_null(),
            "builtins.{name}: {:?}",
            gilgate_capi::host::take_exception()
        );
        // SAFETY: our reference.
        unsafe { gilgate_capi::host::decref(v) };
    }
    assert_eq!(repr(attr(b, "len")), "<built-in function len>");
    assert_eq!(repr(attr(b, "int")), "<class 'int'>");
    assert_eq!(
        gilgate_capi::ffi::PyEval_GetBuiltins(),
        // SAFETY: a live module.
        unsafe { (*b.cast::<gilgate_capi::host::PyModuleObject>()).md_dict }
    );
    // The same object comes back from sys.modules.
    let b2 = gilgate_capi::host::import_module("builtins");
    assert_eq!(b, b2);

    let sys = gilgate_capi::host::import_module("sys");
    assert!(!sys.is_null());
    assert_eq!(
        repr(attr(sys, "version_info")),
        "sys.version_info(major=3, minor=14, micro=10, releaselevel='final', serial=0)"
    );
    assert_eq!(repr(attr(attr(sys, "version_info"), "minor")), "14");
    assert_eq!(repr(attr(sys, "hexversion")), "51251952");
    assert!(repr(attr(sys, "flags")).contains("gil="));
    assert_eq!(repr(attr(attr(sys, "implementation"), "name")), "'cpython'");
    assert_eq!(
        repr(attr(sys, "_is_gil_enabled")),
        "<built-in function _is_gil_enabled>"
    );
    let modules = attr(sys, "modules");
    assert_eq!(modules, gilgate_capi::ffi::PyImport_GetModuleDict());
    // SAFETY: live dict.
    assert!(!unsafe { gilgate_capi::host::dict_get_str(modules, "sys") }.is_null());

    let dt = gilgate_capi::host::import_module("datetime");
    assert!(!dt.is_null());
    let date_t = attr(dt, "date");
    assert_eq!(repr(date_t), "<class 'datetime.date'>");
    let api = gilgate_capi::testing::datetime::capi();
    // SAFETY: the C API table's constructors, called as C code would.
    unsafe {
        let d = ((*api).Date_FromDate)(2024, 1, 2, (*api).DateType);
        assert_eq!(repr(d), "datetime.date(2024, 1, 2)");
        assert_eq!(repr(attr(d, "year")), "2024");
        let s = gilgate_capi::testing::object::str_string(d);
        assert_eq!(s, "2024-01-02");
        let td = ((*api).Delta_FromDelta)(1, 2, 0, 1, (*api).DeltaType);
        assert_eq!(repr(td), "datetime.timedelta(days=1, seconds=2)");
        let neg = ((*api).Delta_FromDelta)(0, -1, 0, 1, (*api).DeltaType);
        assert_eq!(repr(neg), "datetime.timedelta(days=-1, seconds=86399)");
        assert_eq!(
            gilgate_capi::testing::object::str_string(neg),
            "-1 day, 23:59:59"
        );
        let us = ((*api).Delta_FromDelta)(0, 0, 2_500_000, 1, (*api).DeltaType);
        assert_eq!(
            repr(us),
            "datetime.timedelta(seconds=2, microseconds=500000)"
        );
        let zero = ((*api).Delta_FromDelta)(0, 0, 0, 1, (*api).DeltaType);
        assert_eq!(repr(zero), "datetime.timedelta(0)");
        assert!(((*api).Delta_FromDelta)(1_000_000_000, 0, 0, 1, (*api).DeltaType).is_null());
        assert_eq!(
            err(),
            (
                "OverflowError".into(),
                "days=1000000000; must have magnitude <= 999999999".into()
            )
        );
        let utc = (*api).TimeZone_UTC;
        assert_eq!(repr(utc), "datetime.timezone.utc");
        let dtm =
            ((*api).DateTime_FromDateAndTime)(2024, 5, 6, 7, 8, 0, 0, utc, (*api).DateTimeType);
        assert_eq!(
            repr(dtm),
            "datetime.datetime(2024, 5, 6, 7, 8, tzinfo=datetime.timezone.utc)"
        );
        assert_eq!(
            gilgate_capi::testing::object::str_string(dtm),
            "2024-05-06 07:08:00+00:00"
        );
        let t = ((*api).Time_FromTimeAndFold)(1, 2, 3, 4, null_mut(), 1, (*api).TimeType);
        assert_eq!(repr(t), "datetime.time(1, 2, 3, 4, fold=1)");
        assert!(((*api).Time_FromTime)(24, 0, 0, 0, null_mut(), (*api).TimeType).is_null());
        assert_eq!(
            err(),
            ("ValueError".into(), "hour must be in 0..23, not 24".into())
        );
        assert!(((*api).Date_FromDate)(2024, 13, 1, (*api).DateType).is_null());
        assert_eq!(
            err(),
            ("ValueError".into(), "month must be in 1..12, not 13".into())
        );
        assert!(((*api).Date_FromDate)(2023, 2, 29, (*api).DateType).is_null());
        assert_eq!(
            err().1,
            "day 29 must be in range 1..28 for month 2 in year 2023"
        );
        let d2 = ((*api).Date_FromDate)(2024, 1, 2, (*api).DateType);
        assert_eq!(gilgate_capi::testing::object::eq(d, d2), 1);
        assert_eq!(
            gilgate_capi::testing::object::hash(d),
            gilgate_capi::testing::object::hash(d2)
        );
        for o in [d, d2, td, neg, us, zero, dtm, t] {
            gilgate_capi::host::decref(o);
        }
    }
}

#[test]
fn names_without_an_extension_module_raise_import_errors() {
    init();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("purepy.py"), "x = 1\n").unwrap();
    std::fs::create_dir(tmp.path().join("pkgdir")).unwrap();
    std::fs::write(tmp.path().join("pkgdir/__init__.py"), "raise SystemExit\n").unwrap();
    gilgate_capi::host::set_path(&[tmp.path().to_path_buf()]);
    assert_eq!(import::search_roots(), vec![tmp.path().to_path_buf()]);

    assert!(gilgate_capi::host::import_module("purepy").is_null());
    let e = gilgate_capi::host::take_exception().unwrap();
    assert_eq!(e.type_name, "ImportError");
    assert_eq!(
        e.message,
        format!(
            "cannot import Python module 'purepy' from {} (gilgate runs compiled extension modules only; it does not execute Python source)",
            tmp.path().join("purepy.py").display()
        )
    );

    assert!(gilgate_capi::host::import_module("gg_nothing_here").is_null());
    let e = gilgate_capi::host::take_exception().unwrap();
    assert_eq!(e.type_name, "ModuleNotFoundError");
    assert_eq!(
        e.message,
        "No module named 'gg_nothing_here' (gilgate runs compiled extension modules only; it does not execute Python source)"
    );

    // A package folder becomes a plain package; its __init__.py does not run.
    let p = gilgate_capi::host::import_module("pkgdir");
    assert!(!p.is_null(), "{:?}", gilgate_capi::host::take_exception());
    assert!(import::is_package(p));
    assert!(gilgate_capi::host::import_module("pkgdir.sub").is_null());
    assert_eq!(err().0, "ModuleNotFoundError");
    // A module that is not a package has no submodules.
    assert!(gilgate_capi::host::import_module("sys.x").is_null());
    assert_eq!(err().1, "No module named 'sys.x'; 'sys' is not a package");
    gilgate_capi::host::set_path(&[]);
}

#[test]
fn module_name_attribute_of_import_errors() {
    init();
    // SAFETY: C strings; the error's `name` field read through getattr.
    unsafe {
        assert!(gilgate_capi::ffi::PyImport_ImportModule(c"gg_missing_mod".as_ptr()).is_null());
        let exc = gilgate_capi::host::take_raised();
        assert!(!exc.is_null());
        assert_eq!(repr(attr(exc, "name")), "'gg_missing_mod'");
        gilgate_capi::host::decref(exc);
    }
}

#[test]
fn datetime_capi_from_c() {
    init();
    let so = cc::shared(
        cc::fixture("imports/dt_probe.c"),
        cc::out_dir("imports").join("gilgate-dt-probe.so"),
    )
    .args(["-O1", "-Wall", "-Werror"])
    .build();
    // SAFETY: loading our own probe (its undefined symbols are this binary's exports) and
    // calling its one function with a writable buffer.
    unsafe {
        let f = Library::open(&so).sym(c"gg_dt_probe");
        let f: unsafe extern "C" fn(*mut c_char, usize) -> c_int = std::mem::transmute(f);
        let mut buf = [0 as c_char; 256];
        let rc = f(buf.as_mut_ptr(), buf.len());
        assert_eq!(rc, 0, "{:?}", gilgate_capi::host::take_exception());
        assert_eq!(
            CStr::from_ptr(buf.as_ptr()).to_str().unwrap(),
            "2024-1-2 1999-12-31 23:59:58.123456 7:8:9.10 1/0/500000 checks=1"
        );
    }
}

/// Calls `builtins.<name>(*args)` through the C API's call path.
fn call_builtin(name: &str, args: &[*mut PyObject]) -> Result<String, (String, String)> {
    let b = gilgate_capi::host::import_module("builtins");
    let f = attr(b, name);
    assert!(!f.is_null(), "builtins.{name}");
    // SAFETY: live objects; the args tuple is ours.
    unsafe {
        let t = gilgate_capi::testing::tupleobject::from_slice(args);
        let r = gilgate_capi::ffi::PyObject_Call(f, t, null_mut());
        gilgate_capi::host::decref(t);
        gilgate_capi::host::decref(f);
        gilgate_capi::host::decref(b);
        if r.is_null() {
            return Err(err());
        }
        let s = repr(r);
        gilgate_capi::host::decref(r);
        Ok(s)
    }
}

#[test]
fn builtin_functions_are_callable() {
    init();
    let int = |v: i128| gilgate_capi::testing::longobject::from_i128(v);
    let s = |v: &str| uni::from_str(v);
    let int_t = (&raw mut gilgate_capi::ffi::PyLong_Type).cast::<PyObject>();
    let str_t = (&raw mut gilgate_capi::ffi::PyUnicode_Type).cast::<PyObject>();
    assert_eq!(
        call_builtin("len", &[int(1)]),
        Err((
            "TypeError".into(),
            "object of type 'int' has no len()".into()
        ))
    );
    assert_eq!(call_builtin("repr", &[s("a'b")]), Ok("'\"a\\'b\"'".into()));
    assert_eq!(call_builtin("ascii", &[s("é")]), Ok("\"'\\\\xe9'\"".into()));
    assert_eq!(
        call_builtin("isinstance", &[int(1), int_t]),
        Ok("True".into())
    );
    assert_eq!(
        call_builtin("isinstance", &[int(1), str_t]),
        Ok("False".into())
    );
    assert_eq!(
        call_builtin("issubclass", &[int_t, str_t]),
        Ok("False".into())
    );
    assert_eq!(
        call_builtin("isinstance", &[int(1)]),
        Err((
            "TypeError".into(),
            "isinstance expected 2 arguments, got 1".into()
        ))
    );
    assert_eq!(call_builtin("abs", &[int(-7)]), Ok("7".into()));
    assert_eq!(call_builtin("callable", &[int(1)]), Ok("False".into()));
    let b = gilgate_capi::host::import_module("builtins");
    assert_eq!(
        call_builtin("callable", &[attr(b, "len")]),
        Ok("True".into())
    );
    assert_eq!(call_builtin("hash", &[int(5)]), Ok("5".into()));
    let sys = gilgate_capi::host::import_module("sys");
    assert_eq!(
        call_builtin("getattr", &[sys, s("platform")]),
        Ok("'linux'".into())
    );
    assert_eq!(
        call_builtin("setattr", &[sys, s("gg_x"), int(5)]),
        Ok("None".into())
    );
    assert_eq!(call_builtin("getattr", &[sys, s("gg_x")]), Ok("5".into()));
    assert_eq!(
        call_builtin("hasattr", &[sys, s("gg_x")]),
        Ok("True".into())
    );
    assert_eq!(
        call_builtin("getattr", &[int(5), s("nope"), s("dflt")]),
        Ok("'dflt'".into())
    );
    assert_eq!(
        call_builtin("hasattr", &[int(5), s("nope")]),
        Ok("False".into())
    );
    assert_eq!(
        call_builtin("getattr", &[int(5), s("nope")]),
        Err((
            "AttributeError".into(),
            "'int' object has no attribute 'nope'".into()
        ))
    );
    // SAFETY: live ints.
    let tup = unsafe { gilgate_capi::testing::tupleobject::from_slice(&[int(3), int(1), int(2)]) };
    assert_eq!(call_builtin("len", &[tup]), Ok("3".into()));
    assert_eq!(call_builtin("sum", &[tup]), Ok("6".into()));
    assert_eq!(call_builtin("sum", &[tup, int(10)]), Ok("16".into()));
    assert_eq!(call_builtin("min", &[tup]), Ok("1".into()));
    assert_eq!(call_builtin("max", &[tup]), Ok("3".into()));
    assert_eq!(
        call_builtin("max", &[int(4), int(9), int(2)]),
        Ok("9".into())
    );
    assert_eq!(
        call_builtin("max", &[]),
        Err((
            "TypeError".into(),
            "max expected at least 1 argument, got 0".into()
        ))
    );
    // sys._is_gil_enabled(): nothing enabled the lock in this process.
    let f = attr(sys, "_is_gil_enabled");
    // SAFETY: a live callable.
    let r = unsafe { gilgate_capi::ffi::PyObject_CallNoArgs(f) };
    assert_eq!(repr(r), "False");
}

#[test]
fn sys_stdout_and_stderr_are_writable() {
    init();
    let sys = gilgate_capi::host::import_module("sys");
    for (name, fd) in [("stdout", "1"), ("stderr", "2")] {
        let s = attr(sys, name);
        assert!(!s.is_null());
        assert_eq!(
            repr(s),
            format!("<_io.TextIOWrapper name='<{name}>' mode='w' encoding='utf-8'>")
        );
        let fileno = attr(s, "fileno");
        assert!(
            !fileno.is_null(),
            "{:?}",
            gilgate_capi::host::take_exception()
        );
        // SAFETY: live callables and arguments.
        unsafe {
            assert_eq!(repr(gilgate_capi::ffi::PyObject_CallNoArgs(fileno)), fd);
            let write = attr(s, "write");
            let text = uni::from_str("");
            let r = gilgate_capi::ffi::PyObject_CallOneArg(write, text);
            assert_eq!(repr(r), "0");
            let r = gilgate_capi::ffi::PyObject_CallOneArg(write, write);
            assert!(r.is_null());
            assert_eq!(
                err(),
                (
                    "TypeError".into(),
                    "write() argument must be str, not builtin_function_or_method".into()
                )
            );
        }
    }
}

unsafe extern "C" {
    fn PySys_WriteStdout(format: *const c_char, ...);
    fn PySys_FormatStdout(format: *const c_char, ...);
}

#[test]
fn pysys_write_functions_format_and_write_to_stdout() {
    init();
    let tmp = tempfile::NamedTempFile::new().unwrap();
    let path = std::ffi::CString::new(tmp.path().to_string_lossy().as_bytes()).unwrap();
    let obj = uni::from_str("naïve");
    // SAFETY: redirecting fd 1 to a file around the calls, then restoring it.
    unsafe {
        libc::fflush(std::ptr::null_mut());
        let saved = libc::dup(1);
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_TRUNC);
        assert!(saved >= 0 && fd >= 0);
        libc::dup2(fd, 1);
        PySys_WriteStdout(
            c"[w %d %s %.3f]".as_ptr(),
            42 as c_int,
            c"str".as_ptr(),
            1.5f64,
        );
        PySys_FormatStdout(c"[f %R %S %zd]".as_ptr(), obj, obj, 7isize);
        libc::dup2(saved, 1);
        libc::close(fd);
        libc::close(saved);
    }
    let text = std::fs::read_to_string(tmp.path()).unwrap();
    assert!(text.contains("[w 42 str 1.500]"), "{text:?}");
    assert!(text.contains("[f 'naïve' naïve 7]"), "{text:?}");
}

#[test]
fn datetime_from_timestamps() {
    init();
    let api = gilgate_capi::testing::datetime::capi();
    // SAFETY: the C API table's functions with an args tuple, as C callers use them.
    unsafe {
        let ts = gilgate_capi::testing::floatobject::from_f64(86_400.5);
        let utc = (*api).TimeZone_UTC;
        let args = gilgate_capi::testing::tupleobject::from_slice(&[ts, utc]);
        let d = ((*api).DateTime_FromTimestamp)((*api).DateTimeType.cast(), args, null_mut());
        assert!(!d.is_null(), "{:?}", gilgate_capi::host::take_exception());
        assert_eq!(
            repr(d),
            "datetime.datetime(1970, 1, 2, 0, 0, 0, 500000, tzinfo=datetime.timezone.utc)"
        );
        // A fixed offset of -1 hour.
        let off = ((*api).Delta_FromDelta)(0, -3600, 0, 1, (*api).DeltaType);
        let tz = ((*api).TimeZone_FromTimeZone)(off, null_mut());
        assert_eq!(
            repr(tz),
            "datetime.timezone(datetime.timedelta(days=-1, seconds=82800))"
        );
        assert_eq!(gilgate_capi::testing::object::str_string(tz), "UTC-01:00");
        let i = gilgate_capi::testing::longobject::from_i128(0);
        let args = gilgate_capi::testing::tupleobject::from_slice(&[i, tz]);
        let d = ((*api).DateTime_FromTimestamp)((*api).DateTimeType.cast(), args, null_mut());
        assert_eq!(
            gilgate_capi::testing::object::str_string(d),
            "1969-12-31 23:00:00-01:00"
        );
        // Local time: the date of timestamp 0 is the epoch's date in this machine's zone.
        let args = gilgate_capi::testing::tupleobject::from_slice(&[i]);
        let d = ((*api).Date_FromTimestamp)((*api).DateType.cast(), args);
        let s = gilgate_capi::testing::object::str_string(d);
        assert!(s == "1970-01-01" || s == "1969-12-31", "{s}");
        let bad = uni::from_str("x");
        let args = gilgate_capi::testing::tupleobject::from_slice(&[bad]);
        assert!(((*api).Date_FromTimestamp)((*api).DateType.cast(), args).is_null());
        assert_eq!(err().0, "TypeError");
    }
}

#[test]
fn struct_sequences() {
    use gilgate_capi::ffi::*;
    init();
    let mut fields = [
        PyStructSequence_Field {
            name: c"x".as_ptr(),
            doc: std::ptr::null(),
        },
        PyStructSequence_Field {
            name: c"y".as_ptr(),
            doc: std::ptr::null(),
        },
        PyStructSequence_Field {
            name: c"hidden".as_ptr(),
            doc: std::ptr::null(),
        },
        PyStructSequence_Field {
            name: std::ptr::null(),
            doc: std::ptr::null(),
        },
    ];
    let mut desc = PyStructSequence_Desc {
        name: c"gg.point".as_ptr(),
        doc: std::ptr::null(),
        fields: fields.as_mut_ptr(),
        n_in_sequence: 2,
    };
    // SAFETY: a valid descriptor; the items are set before use.
    unsafe {
        let t = PyStructSequence_NewType(&mut desc);
        assert!(!t.is_null(), "{:?}", gilgate_capi::host::take_exception());
        let p = PyStructSequence_New(t);
        for (i, v) in [1, 2, 3].into_iter().enumerate() {
            PyStructSequence_SetItem(
                p,
                i as isize,
                gilgate_capi::testing::longobject::from_i128(v),
            );
        }
        assert_eq!(repr(p), "gg.point(x=1, y=2)");
        assert_eq!(repr(attr(p, "y")), "2");
        assert_eq!(repr(attr(p, "hidden")), "3");
        assert_eq!(repr(PyStructSequence_GetItem(p, 0)), "1");
        assert_eq!(gilgate_capi::testing::tupleobject::items(p).len(), 2);
        gilgate_capi::host::decref(p);
    }
}

#[test]
fn pysys_getattr_family() {
    use gilgate_capi::ffi::*;

    init();
    // SAFETY: C strings and live str names.
    unsafe {
        let v = PySys_GetAttrString(c"platform".as_ptr());
        assert_eq!(repr(v), "'linux'");
        assert!(PySys_GetAttrString(c"gg_nope".as_ptr()).is_null());
        assert_eq!(err(), ("RuntimeError".into(), "lost sys.gg_nope".into()));
        let mut out = null_mut();
        assert_eq!(
            PySys_GetOptionalAttrString(c"gg_nope".as_ptr(), &mut out),
            0
        );
        assert!(out.is_null() && !gilgate_capi::host::error_occurred());
        let n = uni::from_str("byteorder");
        assert_eq!(PySys_GetOptionalAttr(n, &mut out), 1);
        assert_eq!(repr(out), "'little'");
        assert_eq!(repr(PySys_GetAttr(n)), "'little'");
    }
}
