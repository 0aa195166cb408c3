//! `floatobject.h`: `float` (40 bytes: header and a double).

use crate::object::{Py_TPFLAGS_BASETYPE, PyObject, PyTypeObject, static_type};
use crate::pyport::Py_hash_t;
use std::ptr::null_mut;

/// `PyFloatObject`.
#[repr(C)]
pub struct PyFloatObject {
    pub ob_base: PyObject,
    pub ob_fval: f64,
}

#[unsafe(no_mangle)]
pub static mut PyFloat_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(float_repr),
    tp_hash: Some(float_hash),
    ..static_type(
        c"float",
        std::mem::size_of::<PyFloatObject>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

/// Whether `op` is a float (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn is_float(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut PyFloat_Type) }
}

/// The numeric value of a float or int (`None` for anything else).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn as_f64(op: *mut PyObject) -> Option<f64> {
    // SAFETY: forwarded contract.
    unsafe {
        if is_float(op) {
            return Some((*op.cast::<PyFloatObject>()).ob_fval);
        }
        crate::longobject::value_i128(op).map(|v| v as f64)
    }
}

pub fn from_f64(v: f64) -> *mut PyObject {
    // SAFETY: PyFloat_Type is a ready static type.
    let op = unsafe { crate::objimpl::alloc_object(&raw mut PyFloat_Type, 0) };
    if !op.is_null() {
        // SAFETY: fresh float object.
        unsafe { (*op.cast::<PyFloatObject>()).ob_fval = v };
    }
    op
}

/// Python's `repr(float)` for the common cases.
pub fn repr_f64(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{v:?}");
    if s.contains('e') {
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        return format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    s
}

unsafe extern "C" fn float_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live float (slot contract).
    crate::unicodeobject::from_str(&repr_f64(unsafe { (*op.cast::<PyFloatObject>()).ob_fval }))
}

unsafe extern "C" fn float_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: `op` is a live float (slot contract).
    let v = unsafe { (*op.cast::<PyFloatObject>()).ob_fval };
    if v.fract() == 0.0 && v.abs() < 9.0e18 {
        let h = v as i64 as Py_hash_t;
        return if h == -1 { -2 } else { h };
    }
    let h = v.to_bits() as Py_hash_t;
    if h == -1 { -2 } else { h }
}

#[unsafe(no_mangle)]
pub extern "C" fn PyFloat_FromDouble(v: f64) -> *mut PyObject {
    crate::ffi_guard::guard("PyFloat_FromDouble", null_mut(), || from_f64(v))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyFloat_AsDouble(op: *mut PyObject) -> f64 {
    crate::ffi_guard::guard("PyFloat_AsDouble", -1.0, || {
        if op.is_null() {
            crate::pyerrors::bad_internal_call();
            return -1.0;
        }
        // SAFETY: a live object, per the C API contract.
        unsafe {
            match as_f64(op) {
                Some(v) => v,
                None => {
                    let t = crate::object::type_name(crate::object::ty(op));
                    crate::pyerrors::raise(
                        &raw mut crate::pyerrors::EXC_TypeError,
                        &format!("must be real number, not {t}"),
                    );
                    -1.0
                }
            }
        }
    })
}
