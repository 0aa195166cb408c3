//! `longobject.h`: `int` with CPython's layout: `lv_tag = ndigits << 3 | sign` (sign 0
//! positive, 1 zero, 2 negative) followed by 30-bit digits, least significant first.

use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_LONG_SUBCLASS, PyObject, PyTypeObject, static_type,
};
use crate::pyerrors::{EXC_OverflowError, EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use std::ffi::{c_int, c_long, c_longlong, c_ulong, c_ulonglong};
use std::ptr::null_mut;

pub const PyLong_SHIFT: u32 = 30;
const MASK: u128 = (1 << PyLong_SHIFT) - 1;

/// `_PyLongValue`.
#[repr(C)]
pub struct _PyLongValue {
    pub lv_tag: usize,
    pub ob_digit: [u32; 1],
}

/// `PyLongObject` (48 bytes).
#[repr(C)]
pub struct PyLongObject {
    pub ob_base: PyObject,
    pub long_value: _PyLongValue,
}

#[unsafe(no_mangle)]
pub static mut PyLong_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(long_repr),
    tp_hash: Some(long_hash),
    ..static_type(
        c"int",
        40,
        4,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LONG_SUBCLASS,
    )
};

/// The tag of a value with `ndigits` digits and `sign` (-1, 0, 1).
pub const fn tag(ndigits: usize, sign: i32) -> usize {
    (ndigits << 3) | (1 - sign) as usize
}

/// Whether `op` is an int (bool included).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn is_int(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_LONG_SUBCLASS) }
}

/// A new int holding `v`.
pub fn from_i128(v: i128) -> *mut PyObject {
    let mut mag = v.unsigned_abs();
    let mut digits = Vec::new();
    while mag != 0 {
        digits.push((mag & MASK) as u32);
        mag >>= PyLong_SHIFT;
    }
    let sign = v.signum() as i32;
    let n = digits.len().max(1);
    // SAFETY: PyLong_Type is a ready static type; the allocation covers `n` digits.
    let op = unsafe { crate::objimpl::alloc_object(&raw mut PyLong_Type, n as Py_ssize_t) };
    if op.is_null() {
        return op;
    }
    // SAFETY: `op` is a fresh int with room for `n` digits after the tag.
    unsafe {
        let l = op.cast::<PyLongObject>();
        (*l).long_value.lv_tag = tag(digits.len(), sign);
        let d = (&raw mut (*l).long_value.ob_digit).cast::<u32>();
        for (i, x) in digits.iter().enumerate() {
            *d.add(i) = *x;
        }
    }
    op
}

/// The value of an int if it fits in an i128 (`None` otherwise or for non-ints).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn value_i128(op: *mut PyObject) -> Option<i128> {
    // SAFETY: forwarded contract; ints carry `lv_tag >> 3` digits.
    unsafe {
        if !is_int(op) {
            return None;
        }
        let l = op.cast::<PyLongObject>();
        let t = (*l).long_value.lv_tag;
        let n = t >> 3;
        let d = (&raw const (*l).long_value.ob_digit).cast::<u32>();
        let mut mag: u128 = 0;
        for i in (0..n).rev() {
            if mag >> (127 - PyLong_SHIFT) != 0 {
                return None;
            }
            mag = (mag << PyLong_SHIFT) | u128::from(*d.add(i));
        }
        let mag = i128::try_from(mag).ok()?;
        Some(if t & 3 == 2 { -mag } else { mag })
    }
}

unsafe extern "C" fn long_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live int (slot contract).
    match unsafe { value_i128(op) } {
        Some(v) => crate::unicodeobject::from_str(&v.to_string()),
        None => crate::unicodeobject::from_str("<int too large for gilgate to print>"),
    }
}

unsafe extern "C" fn long_hash(op: *mut PyObject) -> Py_hash_t {
    const P: i128 = (1 << 61) - 1;
    // SAFETY: `op` is a live int (slot contract).
    let v = unsafe { value_i128(op) }.unwrap_or(0);
    let h = (v.abs() % P) * v.signum();
    let h = h as Py_hash_t;
    if h == -1 { -2 } else { h }
}

fn not_int(op: *mut PyObject) {
    // SAFETY: `op` is a live object (callers check NULL).
    let t = unsafe { crate::object::type_name(crate::object::ty(op)) };
    raise(
        &raw mut EXC_TypeError,
        &format!("'{t}' object cannot be interpreted as an integer"),
    );
}

/// Reads `op` as an int for conversions: `Err(())` with an exception set if it is no int.
unsafe fn int_value(op: *mut PyObject) -> Result<Option<i128>, ()> {
    if op.is_null() {
        crate::pyerrors::bad_internal_call();
        return Err(());
    }
    // SAFETY: forwarded contract.
    unsafe {
        if !is_int(op) {
            if let Some(nb) = (*crate::object::ty(op)).tp_as_number.as_ref()
                && let Some(f) = nb.nb_index
            {
                let r = f(op);
                if r.is_null() {
                    return Err(());
                }
                let v = value_i128(r);
                crate::refcount::decref(r);
                return Ok(v);
            }
            not_int(op);
            return Err(());
        }
        Ok(value_i128(op))
    }
}

fn overflow(msg: &str) {
    raise(&raw mut EXC_OverflowError, msg);
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromLong(v: c_long) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromLong", null_mut(), || from_i128(v as i128))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromUnsignedLong(v: c_ulong) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromUnsignedLong", null_mut(), || {
        from_i128(v as i128)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromLongLong(v: c_longlong) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromLongLong", null_mut(), || from_i128(v as i128))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromUnsignedLongLong(v: c_ulonglong) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromUnsignedLongLong", null_mut(), || {
        from_i128(v as i128)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromSsize_t(v: Py_ssize_t) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromSsize_t", null_mut(), || from_i128(v as i128))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromSize_t(v: usize) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromSize_t", null_mut(), || from_i128(v as i128))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromInt32(v: i32) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromInt32", null_mut(), || from_i128(v as i128))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromInt64(v: i64) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromInt64", null_mut(), || from_i128(v as i128))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromUInt32(v: u32) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromUInt32", null_mut(), || from_i128(v as i128))
}

#[unsafe(no_mangle)]
pub extern "C" fn PyLong_FromUInt64(v: u64) -> *mut PyObject {
    crate::ffi_guard::guard("PyLong_FromUInt64", null_mut(), || from_i128(v as i128))
}

/// Converts to a signed C integer type; `msg` is the OverflowError text.
unsafe fn as_signed<T: TryFrom<i128>>(op: *mut PyObject, msg: &str) -> Option<T> {
    // SAFETY: forwarded contract.
    match unsafe { int_value(op) } {
        Err(()) => None,
        Ok(v) => match v.and_then(|v| T::try_from(v).ok()) {
            Some(x) => Some(x),
            None => {
                overflow(msg);
                None
            }
        },
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsLong(op: *mut PyObject) -> c_long {
    crate::ffi_guard::guard("PyLong_AsLong", -1, || {
        // SAFETY: NULL or a live object, per the C API contract.
        unsafe { as_signed(op, "Python int too large to convert to C long") }.unwrap_or(-1)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsLongLong(op: *mut PyObject) -> c_longlong {
    crate::ffi_guard::guard("PyLong_AsLongLong", -1, || {
        // SAFETY: NULL or a live object, per the C API contract.
        unsafe { as_signed(op, "Python int too large to convert to C long long") }.unwrap_or(-1)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsSsize_t(op: *mut PyObject) -> Py_ssize_t {
    crate::ffi_guard::guard("PyLong_AsSsize_t", -1, || {
        // SAFETY: NULL or a live object, per the C API contract.
        unsafe {
            if !op.is_null() && !is_int(op) {
                not_int(op);
                return -1;
            }
            as_signed(op, "Python int too large to convert to C ssize_t").unwrap_or(-1)
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsInt(op: *mut PyObject) -> c_int {
    crate::ffi_guard::guard("PyLong_AsInt", -1, || {
        // SAFETY: NULL or a live object, per the C API contract.
        unsafe { as_signed(op, "Python int too large to convert to C int") }.unwrap_or(-1)
    })
}

unsafe fn as_unsigned<T: TryFrom<i128>>(op: *mut PyObject, what: &str) -> Option<T> {
    // SAFETY: forwarded contract.
    unsafe {
        if op.is_null() {
            crate::pyerrors::bad_internal_call();
            return None;
        }
        if !is_int(op) {
            raise(&raw mut EXC_TypeError, "an integer is required");
            return None;
        }
        match value_i128(op) {
            Some(v) if v < 0 => {
                overflow(&format!("can't convert negative value to {what}"));
                None
            }
            v => match v.and_then(|v| T::try_from(v).ok()) {
                Some(x) => Some(x),
                None => {
                    overflow(&format!("Python int too large to convert to C {what}"));
                    None
                }
            },
        }
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsUnsignedLong(op: *mut PyObject) -> c_ulong {
    crate::ffi_guard::guard("PyLong_AsUnsignedLong", c_ulong::MAX, || {
        // SAFETY: NULL or a live object, per the C API contract.
        unsafe { as_unsigned(op, "unsigned long") }.unwrap_or(c_ulong::MAX)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsUnsignedLongLong(op: *mut PyObject) -> c_ulonglong {
    crate::ffi_guard::guard("PyLong_AsUnsignedLongLong", c_ulonglong::MAX, || {
        // SAFETY: NULL or a live object, per the C API contract.
        unsafe { as_unsigned(op, "unsigned long long") }.unwrap_or(c_ulonglong::MAX)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsSize_t(op: *mut PyObject) -> usize {
    crate::ffi_guard::guard("PyLong_AsSize_t", usize::MAX, || {
        // SAFETY: NULL or a live object, per the C API contract.
        unsafe { as_unsigned(op, "size_t") }.unwrap_or(usize::MAX)
    })
}

unsafe fn and_overflow<T: TryFrom<i128> + From<i8>>(
    op: *mut PyObject,
    overflow_out: *mut c_int,
) -> T {
    // SAFETY: forwarded contract.
    unsafe {
        *overflow_out = 0;
        match int_value(op) {
            Err(()) => T::from(-1),
            Ok(v) => match v.and_then(|v| T::try_from(v).ok()) {
                Some(x) => x,
                None => {
                    let negative = (*op.cast::<PyLongObject>()).long_value.lv_tag & 3 == 2;
                    *overflow_out = if negative { -1 } else { 1 };
                    T::from(-1)
                }
            },
        }
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsLongAndOverflow(
    op: *mut PyObject,
    overflow_out: *mut c_int,
) -> c_long {
    // SAFETY: NULL or a live object and a writable flag, per the C API contract.
    crate::ffi_guard::guard("PyLong_AsLongAndOverflow", -1, || unsafe {
        and_overflow(op, overflow_out)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyLong_AsLongLongAndOverflow(
    op: *mut PyObject,
    overflow_out: *mut c_int,
) -> c_longlong {
    // SAFETY: NULL or a live object and a writable flag, per the C API contract.
    crate::ffi_guard::guard("PyLong_AsLongLongAndOverflow", -1, || unsafe {
        and_overflow(op, overflow_out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_round_trip() {
        for v in [
            0i128,
            1,
            -1,
            (1 << 30) - 1,
            1 << 30,
            -(1 << 62),
            i64::MAX as i128,
            u64::MAX as i128,
        ] {
            let o = from_i128(v);
            // SAFETY: `o` is a fresh int.
            unsafe {
                assert_eq!(value_i128(o), Some(v));
                let t = (*o.cast::<PyLongObject>()).long_value.lv_tag;
                assert_eq!(t & 3, (1 - v.signum()) as usize);
                crate::refcount::decref(o);
            }
        }
        let o = from_i128(1 << 30);
        // SAFETY: fresh int.
        unsafe {
            let l = o.cast::<PyLongObject>();
            assert_eq!((*l).long_value.lv_tag, 2 << 3);
            let d = (&raw const (*l).long_value.ob_digit).cast::<u32>();
            assert_eq!((*d, *d.add(1)), (0, 1));
        }
    }

    #[test]
    fn overflow_messages() {
        let o = from_i128(1i128 << 70);
        // SAFETY: fresh int.
        unsafe {
            assert_eq!(PyLong_AsLong(o), -1);
            let e = crate::pyerrors::take_exception().unwrap();
            assert_eq!(
                (e.type_name.as_str(), e.message.as_str()),
                ("OverflowError", "Python int too large to convert to C long")
            );
            let mut of = 0;
            assert_eq!(PyLong_AsLongAndOverflow(o, &mut of), -1);
            assert_eq!(of, 1);
            assert!(crate::pyerrors::take_exception().is_none());
            let n = from_i128(-5);
            assert_eq!(PyLong_AsUnsignedLong(n), c_ulong::MAX);
            let e = crate::pyerrors::take_exception().unwrap();
            assert_eq!(e.message, "can't convert negative value to unsigned long");
        }
    }
}
