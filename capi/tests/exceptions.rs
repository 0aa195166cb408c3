//! The exceptions' free list: instances of the static exception types with the base layout
//! (`ValueError`, `KeyError`, ...) reuse the blocks of dead ones. A reused block starts as a
//! new exception (no attribute, note, context, cause or flag of the one before), and a static
//! type with a `tp_free` of its own still gets its blocks. Setting an exception calls its type,
//! as CPython does.

use gilgate_capi::ffi::*;
use std::ffi::CStr;
use std::sync::atomic::{AtomicUsize, Ordering};

fn init() {
    gilgate_capi::host::initialize().expect("runtime initializes");
}

fn decref(o: *mut PyObject) {
    // SAFETY: an owned reference.
    unsafe { gilgate_capi::host::decref(o) }
}

/// Sets `t(message)` as the current exception and takes it back out.
fn raise(t: *mut PyObject, message: &CStr) -> *mut PyObject {
    // SAFETY: a live exception type and a NUL-terminated message.
    unsafe {
        PyErr_SetString(t, message.as_ptr());
        let e = PyErr_GetRaisedException();
        assert!(!e.is_null());
        e
    }
}

/// `getattr(o, name)`, or None when it raises (the error cleared).
fn attr(o: *mut PyObject, name: &CStr) -> Option<*mut PyObject> {
    // SAFETY: a live object and a NUL-terminated name.
    let v = unsafe { PyObject_GetAttrString(o, name.as_ptr()) };
    if v.is_null() {
        PyErr_Clear();
        None
    } else {
        Some(v)
    }
}

#[test]
fn a_reused_exception_block_starts_clean() {
    init();
    // SAFETY: the exception types are live; every reference used below is owned.
    unsafe {
        let value_error = PyExc_ValueError;
        for round in 0..200 {
            let first = raise(value_error, c"first");
            // Give it everything an exception can carry.
            let context = raise(PyExc_KeyError, c"context");
            let cause = raise(PyExc_TypeError, c"cause");
            PyException_SetContext(first, context);
            PyException_SetCause(first, cause); // also sets __suppress_context__
            let one = PyLong_FromLong(1);
            assert_eq!(PyObject_SetAttrString(first, c"extra".as_ptr(), one), 0);
            decref(one);
            let note = PyUnicode_FromString(c"a note".as_ptr());
            let add_note = attr(first, c"add_note").expect("add_note");
            let r = PyObject_CallOneArg(add_note, note);
            assert!(!r.is_null(), "add_note");
            decref(r);
            decref(add_note);
            decref(note);
            let was = first as usize;
            decref(first);

            let second = raise(value_error, c"second");
            if round == 0 {
                // The block of `first` is the one reused (the list is last in, first out),
                // so the checks below read what `first` left there.
                assert_eq!(second as usize, was, "the dead exception's block is reused");
            }
            assert!(PyException_GetContext(second).is_null());
            assert!(PyException_GetCause(second).is_null());
            assert!(PyException_GetTraceback(second).is_null());
            let suppress = attr(second, c"__suppress_context__").expect("a flag");
            assert_eq!(suppress, (&raw mut _Py_FalseStruct).cast::<PyObject>());
            assert!(
                attr(second, c"extra").is_none(),
                "no attribute of the dead one"
            );
            assert!(
                attr(second, c"__notes__").is_none(),
                "no note of the dead one"
            );
            let args = PyException_GetArgs(second);
            assert_eq!(PyTuple_Size(args), 1);
            let text = PyUnicode_AsUTF8(PyTuple_GetItem(args, 0));
            assert_eq!(CStr::from_ptr(text), c"second");
            decref(args);
            decref(second);
        }
        assert!(PyErr_Occurred().is_null());
    }
}

/// A static exception type of the base layout, not ready yet (`static_type` makes ready ones):
/// `PyType_Ready` fills what it leaves empty from its base, set before the call.
const fn unready_exception_type(name: &'static CStr) -> PyTypeObject {
    PyTypeObject {
        tp_flags: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
        tp_dealloc: None,
        tp_free: None,
        tp_getattro: None,
        tp_setattro: None,
        tp_repr: None,
        tp_str: None,
        ..gilgate_capi::testing::object::static_type(
            name,
            std::mem::size_of::<PyBaseExceptionObject>(),
            0,
            0,
        )
    }
}

static FREED: AtomicUsize = AtomicUsize::new(0);

/// The `tp_free` of [`OWN_FREE`]: counts, then frees as the default would.
unsafe extern "C" fn counting_free(p: *mut std::ffi::c_void) {
    FREED.fetch_add(1, Ordering::SeqCst);
    // SAFETY: the block of a dead instance, from this allocator.
    unsafe { PyObject_Free(p) }
}

/// A static exception type with the base layout (so its instances use the free list's
/// blocks) and a `tp_free` of its own; its dealloc is the inherited one.
static mut OWN_FREE: PyTypeObject = PyTypeObject {
    tp_free: Some(counting_free),
    ..unready_exception_type(c"ext.OwnFreeError")
};

#[test]
fn a_static_type_with_its_own_free_gets_its_blocks() {
    init();
    // SAFETY: the type is readied once here, before any use; references are owned.
    unsafe {
        let t = &raw mut OWN_FREE;
        (*t).tp_base = PyExc_Exception.cast();
        assert_eq!(PyType_Ready(t), 0);
        let before = FREED.load(Ordering::SeqCst);
        for i in 0..50 {
            let e = raise(t.cast(), c"own");
            decref(e);
            assert_eq!(FREED.load(Ordering::SeqCst), before + i + 1);
        }
        // The built-in ones still go to the list (the count does not move).
        let e = raise(PyExc_ValueError, c"built-in");
        decref(e);
        assert_eq!(FREED.load(Ordering::SeqCst), before + 50);
        assert!(PyErr_Occurred().is_null());
    }
}

static INITS: AtomicUsize = AtomicUsize::new(0);

/// The `tp_init` of [`OWN_INIT`]: counts its calls.
unsafe extern "C" fn counting_init(
    _op: *mut PyObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> std::ffi::c_int {
    INITS.fetch_add(1, Ordering::SeqCst);
    0
}

/// A static exception type with an `__init__` of its own.
static mut OWN_INIT: PyTypeObject = PyTypeObject {
    tp_init: Some(counting_init),
    ..unready_exception_type(c"ext.OwnInitError")
};

/// The `tp_new` of [`NOT_AN_ERROR`]: makes an int.
unsafe extern "C" fn int_new(
    _t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    PyLong_FromLong(5)
}

/// A static exception type whose `__new__` makes no exception.
static mut NOT_AN_ERROR: PyTypeObject = PyTypeObject {
    tp_new: Some(int_new),
    ..unready_exception_type(c"ext.NotAnError")
};

/// The name of `o`'s type.
fn type_name(o: *mut PyObject) -> String {
    // SAFETY: a live object; its type's name is NUL-terminated.
    unsafe {
        CStr::from_ptr((*(*o).ob_type).tp_name)
            .to_string_lossy()
            .into_owned()
    }
}

/// `str(o)` as a Rust string.
fn text(o: *mut PyObject) -> String {
    // SAFETY: a live object.
    unsafe {
        let s = PyObject_Str(o);
        assert!(!s.is_null());
        let t = CStr::from_ptr(PyUnicode_AsUTF8(s))
            .to_string_lossy()
            .into_owned();
        decref(s);
        t
    }
}

/// `PyErr_SetObject` and `PyErr_SetString` make the exception by calling its type, as CPython
/// does: `OSError` picks its subclass for the error number, a type's own `__init__` runs, and
/// a type whose call makes no exception gives a TypeError.
#[test]
fn setting_an_exception_calls_its_type() {
    init();
    // SAFETY: live types, readied once here; references are owned.
    unsafe {
        let args = PyTuple_New(2);
        assert_eq!(PyTuple_SetItem(args, 0, PyLong_FromLong(2)), 0);
        assert_eq!(
            PyTuple_SetItem(args, 1, PyUnicode_FromString(c"x".as_ptr())),
            0
        );
        PyErr_SetObject(PyExc_OSError, args);
        decref(args);
        let e = PyErr_GetRaisedException();
        assert_eq!(type_name(e), "FileNotFoundError");
        assert_eq!(text(e), "[Errno 2] x");
        decref(e);

        let t = &raw mut OWN_INIT;
        (*t).tp_base = PyExc_Exception.cast();
        assert_eq!(PyType_Ready(t), 0);
        let before = INITS.load(Ordering::SeqCst);
        let e = raise(t.cast(), c"m");
        assert_eq!(INITS.load(Ordering::SeqCst), before + 1);
        assert_eq!(text(e), "m");
        decref(e);

        let t = &raw mut NOT_AN_ERROR;
        (*t).tp_base = PyExc_Exception.cast();
        assert_eq!(PyType_Ready(t), 0);
        let e = raise(t.cast(), c"m");
        assert_eq!(type_name(e), "TypeError");
        assert_eq!(
            text(e),
            "calling <class 'ext.NotAnError'> should have returned an instance of \
             BaseException, not int"
        );
        decref(e);
        assert!(PyErr_Occurred().is_null());
    }
}
