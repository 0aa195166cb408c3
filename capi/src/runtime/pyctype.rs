//! `cpython/pyctype.h`: the locale-independent ASCII character tables that inline code and macros
//! (`Py_ISDIGIT`, `Py_TOLOWER`, ...) read directly. Built at compile time from the definitions
//! of the character classes; bytes 128..=255 belong to no class and map to themselves.

use std::ffi::{c_uchar, c_uint};

pub const PY_CTF_LOWER: c_uint = 0x01;
pub const PY_CTF_UPPER: c_uint = 0x02;
pub const PY_CTF_ALPHA: c_uint = PY_CTF_LOWER | PY_CTF_UPPER;
pub const PY_CTF_DIGIT: c_uint = 0x04;
pub const PY_CTF_ALNUM: c_uint = PY_CTF_ALPHA | PY_CTF_DIGIT;
pub const PY_CTF_SPACE: c_uint = 0x08;
pub const PY_CTF_XDIGIT: c_uint = 0x10;

const fn ctype_flags(c: u8) -> c_uint {
    let mut f = 0;
    if c.is_ascii_lowercase() {
        f |= PY_CTF_LOWER;
    }
    if c.is_ascii_uppercase() {
        f |= PY_CTF_UPPER;
    }
    if c.is_ascii_digit() {
        f |= PY_CTF_DIGIT;
    }
    // C's isspace() in the "C" locale: space, \t, \n, \v, \f, \r.
    if matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        f |= PY_CTF_SPACE;
    }
    if c.is_ascii_hexdigit() {
        f |= PY_CTF_XDIGIT;
    }
    f
}

const fn build_table() -> [c_uint; 256] {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = ctype_flags(i as u8);
        i += 1;
    }
    t
}

const fn build_case_map(upper: bool) -> [c_uchar; 256] {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if upper {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        };
        i += 1;
    }
    t
}

/// `_Py_ctype_table`: `PY_CTF_*` flags of every byte.
#[unsafe(no_mangle)]
pub static _Py_ctype_table: [c_uint; 256] = build_table();

/// `_Py_ctype_tolower`: ASCII upper-case letters mapped to lower case, every other byte to itself.
#[unsafe(no_mangle)]
pub static _Py_ctype_tolower: [c_uchar; 256] = build_case_map(false);

/// `_Py_ctype_toupper`: ASCII lower-case letters mapped to upper case, every other byte to itself.
#[unsafe(no_mangle)]
pub static _Py_ctype_toupper: [c_uchar; 256] = build_case_map(true);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_agree_with_libc() {
        for c in 0..=255u8 {
            let flags = _Py_ctype_table[c as usize];
            let i = c as i32;
            // SAFETY: the <ctype.h> classifiers accept any value of unsigned char; the test
            // process runs in the "C" locale (Rust never calls setlocale).
            let (lower, upper, digit, space, xdigit) = unsafe {
                (
                    libc::islower(i) != 0,
                    libc::isupper(i) != 0,
                    libc::isdigit(i) != 0,
                    libc::isspace(i) != 0,
                    libc::isxdigit(i) != 0,
                )
            };
            assert_eq!(flags & PY_CTF_LOWER != 0, lower, "lower {c}");
            assert_eq!(flags & PY_CTF_UPPER != 0, upper, "upper {c}");
            assert_eq!(flags & PY_CTF_DIGIT != 0, digit, "digit {c}");
            assert_eq!(flags & PY_CTF_SPACE != 0, space, "space {c}");
            assert_eq!(flags & PY_CTF_XDIGIT != 0, xdigit, "xdigit {c}");
            // SAFETY: as above.
            let (lo, up) = unsafe { (libc::tolower(i), libc::toupper(i)) };
            assert_eq!(_Py_ctype_tolower[c as usize] as i32, lo, "tolower {c}");
            assert_eq!(_Py_ctype_toupper[c as usize] as i32, up, "toupper {c}");
        }
        assert_eq!(_Py_ctype_table[b'a' as usize], PY_CTF_LOWER | PY_CTF_XDIGIT);
        assert_eq!(_Py_ctype_table[b'7' as usize], PY_CTF_DIGIT | PY_CTF_XDIGIT);
        assert_eq!(_Py_ctype_table[200], 0);
    }
}
