//! `boolobject.h`: `bool` and the two immortal singletons (48-byte `PyLongObject`s).
//! `bool` subclasses `int`; `&`, `|` and `^` of two bools give a bool.

use crate::export;
use crate::longobject::{
    _PyLongValue, PyLong_Type, PyLongObject, long_hash, long_number_methods, long_richcompare, tag,
};
use crate::object::{PyNumberMethods, PyObject, PyTypeObject, static_type};
use std::ffi::c_long;
use std::ptr::null_mut;

pub(crate) static mut BOOL_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_and: Some(bool_and),
    nb_or: Some(bool_or),
    nb_xor: Some(bool_xor),
    ..long_number_methods()
};

#[export]
pub static mut PyBool_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut PyLong_Type,
    tp_repr: Some(bool_repr),
    tp_hash: Some(long_hash),
    tp_richcompare: Some(long_richcompare),
    tp_as_number: &raw mut BOOL_AS_NUMBER,
    tp_new: Some(bool_new),
    ..static_type(c"bool", 40, 4, crate::object::Py_TPFLAGS_LONG_SUBCLASS)
};

#[export]
pub static mut _Py_TrueStruct: PyLongObject = PyLongObject {
    ob_base: PyObject::static_immortal(&raw mut PyBool_Type),
    long_value: _PyLongValue {
        lv_tag: tag(1, 1),
        ob_digit: [1],
    },
};

#[export]
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
pub(crate) fn false_() -> *mut PyObject {
    (&raw mut _Py_FalseStruct).cast()
}

pub fn from_bool(b: bool) -> *mut PyObject {
    if b { true_() } else { false_() }
}

/// Whether `op` is `True` or `False`.
pub(crate) fn is_bool(op: *mut PyObject) -> bool {
    op == true_() || op == false_()
}

unsafe extern "C" fn bool_repr(op: *mut PyObject) -> *mut PyObject {
    crate::unicodeobject::from_str(if op == true_() { "True" } else { "False" })
}

/// A bitwise slot: bools give a bool, anything else goes to int's slot.
unsafe fn bitwise(
    a: *mut PyObject,
    b: *mut PyObject,
    f: fn(bool, bool) -> bool,
    int_slot: crate::object::binaryfunc,
) -> *mut PyObject {
    if is_bool(a) && is_bool(b) {
        return from_bool(f(a == true_(), b == true_()));
    }
    match int_slot {
        // SAFETY: slot contract: live objects.
        Some(g) => unsafe { crate::extcall::binary(g, a, b) },
        None => crate::longobject::not_implemented(),
    }
}

unsafe extern "C" fn bool_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    crate::ffi_guard::guard("bool.__and__", null_mut(), || unsafe {
        bitwise(a, b, |x, y| x & y, long_number_methods().nb_and)
    })
}

unsafe extern "C" fn bool_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    crate::ffi_guard::guard("bool.__or__", null_mut(), || unsafe {
        bitwise(a, b, |x, y| x | y, long_number_methods().nb_or)
    })
}

unsafe extern "C" fn bool_xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    crate::ffi_guard::guard("bool.__xor__", null_mut(), || unsafe {
        bitwise(a, b, |x, y| x ^ y, long_number_methods().nb_xor)
    })
}

unsafe extern "C" fn bool_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("bool.__new__", null_mut(), || {
        // SAFETY: slot contract: `args` is a tuple, `kwargs` NULL or a dict.
        unsafe {
            let a = if args.is_null() {
                &[][..]
            } else {
                crate::tupleobject::items(args)
            };
            if !kwargs.is_null() && crate::dictobject::len(kwargs) != 0 {
                return crate::pyerrors::raise(
                    &raw mut crate::pyerrors::EXC_TypeError,
                    "bool() takes no keyword arguments",
                );
            }
            match a {
                [] => false_(),
                [x] => match crate::object::truth(*x) {
                    r if r < 0 => null_mut(),
                    r => from_bool(r != 0),
                },
                _ => crate::pyerrors::raise(
                    &raw mut crate::pyerrors::EXC_TypeError,
                    &format!("bool expected at most 1 argument, got {}", a.len()),
                ),
            }
        }
    })
}

#[export]
pub fn PyBool_FromLong(v: c_long) -> *mut PyObject {
    from_bool(v != 0)
}
