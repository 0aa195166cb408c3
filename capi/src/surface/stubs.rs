//! Generated stubs and data objects for every exported name not written by hand.
//!
//! `build.rs` writes `$OUT_DIR/gg_stubs.rs` from `data/cpython-exports.tsv` and
//! `data/cpython-signatures.tsv`. Every stub ignores its arguments (on x86_64 SysV a definition
//! without parameters is call-compatible with any caller, variadic ones included), raises
//! `SystemError("gilgate: <name> is not implemented")` and returns the error value of its
//! signature. Generated type objects are immortal statics whose `ob_type` is `PyType_Type` and
//! whose `tp_base` is `PyBaseObject_Type`, referenced by symbol so that it does not matter which
//! module defines them.
#![allow(clippy::all)]
// Exported for the linker only (no parameters), so not re-exported by `ffi`.
#![allow(unreachable_pub, dead_code)]

use crate::ffi_guard::{guard, not_implemented, not_implemented_void};
#[allow(unused_imports)]
use crate::object::{Py_TPFLAGS_IMMUTABLETYPE, Py_TPFLAGS_READY, PyObject, PyTypeObject};
use std::ffi::{c_char, c_int};

/// Flags of a generated type object: ready and immutable, like CPython's static types.
#[allow(dead_code)]
const GENERATED_TYPE_FLAGS: std::ffi::c_ulong = Py_TPFLAGS_READY | Py_TPFLAGS_IMMUTABLETYPE;

/// Body of a non-`void` stub: raises the `SystemError` and returns `err`.
#[inline(never)]
fn stub<R: Copy>(name: &'static str, err: R) -> R {
    guard(name, err, || {
        not_implemented(name);
        err
    })
}

/// Body of a `void` stub: raises the `SystemError`, prints one line, records the call.
#[inline(never)]
fn stub_void(name: &'static str) {
    guard(name, (), || not_implemented_void(name))
}

/// `PyStatus` as returned by value (32 bytes, so through a hidden pointer on x86_64 SysV, which
/// `extern "C"` does for a `#[repr(C)]` struct of that size).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PyStatusRepr {
    /// 0 ok, 1 error, 2 exit.
    pub _type: c_int,
    pub func: *const c_char,
    pub err_msg: *const c_char,
    pub exitcode: c_int,
}

impl PyStatusRepr {
    /// An error status naming the stub (`_type` = 1, error).
    fn not_implemented(func: &'static std::ffi::CStr, msg: &'static std::ffi::CStr) -> Self {
        PyStatusRepr {
            _type: 1,
            func: func.as_ptr(),
            err_msg: msg.as_ptr(),
            exitcode: 0,
        }
    }
}

/// `Py_complex` as returned by value (two doubles, in xmm0/xmm1).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PyComplexRepr {
    pub real: f64,
    pub imag: f64,
}

/// A generated object followed by `N` zero bytes (3.15-only type objects are 8 bytes longer).
#[repr(C)]
pub struct WithTail<T, const N: usize> {
    pub head: T,
    pub tail: [u8; N],
}

/// A statically allocated `PyLongObject` with one digit (`_Py_TrueStruct`, `_Py_FalseStruct`).
#[repr(C)]
pub struct StaticLong {
    pub ob_base: PyObject,
    /// Number of digits shifted left by 3, or'ed with the sign (0 positive, 1 zero, 2 negative).
    pub lv_tag: usize,
    pub ob_digit: [u32; 1],
}

include!(concat!(env!("OUT_DIR"), "/gg_stubs.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_the_c_abi() {
        assert_eq!(std::mem::size_of::<PyStatusRepr>(), 32);
        assert_eq!(std::mem::offset_of!(PyStatusRepr, func), 8);
        assert_eq!(std::mem::offset_of!(PyStatusRepr, err_msg), 16);
        assert_eq!(std::mem::offset_of!(PyStatusRepr, exitcode), 24);
        assert_eq!(std::mem::size_of::<PyComplexRepr>(), 16);
        assert_eq!(std::mem::size_of::<StaticLong>(), 48);
        assert_eq!(std::mem::size_of::<WithTail<PyTypeObject, 8>>(), 440);
    }
}
