//! The character-class functions of CPython's `Objects/unicodectype.c` that extensions call
//! directly (`_PyUnicode_IsDigit` and relatives, declared in `cpython/unicodeobject.h`); the
//! classifications themselves are `str`'s (`unicodeobject/methods.rs`), so that `str.isdigit()`
//! and these agree.

use crate::export;
use crate::unicodeobject::methods::{is_decimal, is_digit, is_numeric, is_title_char};
use std::ffi::c_int;

/// `Py_UCS4`.
type Ucs4 = u32;

#[export(err = 0)]
pub fn _PyUnicode_IsDecimalDigit(ch: Ucs4) -> c_int {
    c_int::from(is_decimal(ch))
}

#[export(err = 0)]
pub fn _PyUnicode_IsDigit(ch: Ucs4) -> c_int {
    c_int::from(is_digit(ch))
}

#[export(err = 0)]
pub fn _PyUnicode_IsNumeric(ch: Ucs4) -> c_int {
    c_int::from(is_numeric(ch))
}

#[export(err = 0)]
pub fn _PyUnicode_IsTitlecase(ch: Ucs4) -> c_int {
    c_int::from(is_title_char(ch))
}
