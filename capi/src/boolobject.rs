//! `boolobject.h`: `bool` and the two immortal singletons (48-byte `PyLongObject`s).

use crate::longobject::{_PyLongValue, PyLong_Type, PyLongObject, tag};
use crate::object::{PyObject, PyTypeObject, static_type};
use std::ffi::c_long;

#[unsafe(no_mangle)]
pub static mut PyBool_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut PyLong_Type,
    tp_repr: Some(bool_repr),
    ..static_type(c"bool", 40, 4, crate::object::Py_TPFLAGS_LONG_SUBCLASS)
};

#[unsafe(no_mangle)]
pub static mut _Py_TrueStruct: PyLongObject = PyLongObject {
    ob_base: PyObject::static_immortal(&raw mut PyBool_Type),
    long_value: _PyLongValue {
        lv_tag: tag(1, 1),
        ob_digit: [1],
    },
};

#[unsafe(no_mangle)]
pub static mut _Py_FalseStruct: PyLongObject = PyLongObject {
    ob_base: PyObject::static_immortal(&raw mut PyBool_Type),
    long_value: _PyLongValue {
        lv_tag: tag(0, 0),
        ob_digit: [0],
    },
};

/// `Py_True` (immortal; no reference counting needed).
pub fn true_() -> *mut PyObject {
    (&raw mut _Py_TrueStruct).cast()
}

/// `Py_False`.
pub fn false_() -> *mut PyObject {
    (&raw mut _Py_FalseStruct).cast()
}

pub fn from_bool(b: bool) -> *mut PyObject {
    if b { true_() } else { false_() }
}

unsafe extern "C" fn bool_repr(op: *mut PyObject) -> *mut PyObject {
    crate::unicodeobject::from_str(if op == true_() { "True" } else { "False" })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyBool_FromLong(v: c_long) -> *mut PyObject {
    crate::ffi_guard::guard("PyBool_FromLong", std::ptr::null_mut(), || {
        from_bool(v != 0)
    })
}
