//! `pystrtod.h`: `PyOS_double_to_string` (the `e`/`f`/`g`/`r` formats with CPython's flags)
//! and `PyOS_string_to_double`.

use crate::export;
use crate::object::PyObject;
use crate::pyerrors::{EXC_ValueError, raise};
use std::ffi::{c_char, c_int};
use std::ptr::null_mut;

pub const Py_DTSF_SIGN: c_int = 0x01;
pub const Py_DTSF_ADD_DOT_0: c_int = 0x02;
pub const Py_DTSF_ALT: c_int = 0x04;
pub const Py_DTSF_NO_NEG_0: c_int = 0x08;

pub const Py_DTST_FINITE: c_int = 0;
pub const Py_DTST_INFINITE: c_int = 1;
pub const Py_DTST_NAN: c_int = 2;

/// Splits Rust's `{:e}` output ("1.50e-3") into mantissa and exponent and writes the
/// exponent as C does: a sign and at least two digits.
fn c_exponent(s: &str, alt: bool) -> String {
    let (m, e) = s.split_once('e').unwrap_or((s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let m = if alt && !m.contains('.') {
        format!("{m}.")
    } else {
        m.to_string()
    };
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// Removes trailing zeros after a decimal point (and the point itself if nothing is left).
fn strip_zeros(m: &str) -> String {
    if !m.contains('.') {
        return m.to_string();
    }
    m.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Formats a finite non-negative value (without its sign) for `code` in `e`, `f`, `g`, `r`.
fn format_abs(v: f64, code: u8, precision: usize, flags: c_int) -> String {
    let alt = flags & Py_DTSF_ALT != 0;
    match code {
        b'e' => c_exponent(&format!("{v:.precision$e}"), alt && precision == 0),
        b'f' => {
            let s = format!("{v:.precision$}");
            if alt && precision == 0 {
                format!("{s}.")
            } else {
                s
            }
        }
        b'g' => {
            let p = precision.max(1);
            let e_form = format!("{v:.prec$e}", prec = p - 1);
            let x: i64 = e_form
                .split_once('e')
                .and_then(|(_, e)| e.parse().ok())
                .unwrap_or(0);
            if -4 <= x && x < p as i64 {
                let fprec = (p as i64 - 1 - x) as usize;
                let s = format!("{v:.fprec$}");
                if alt {
                    if s.contains('.') { s } else { format!("{s}.") }
                } else {
                    strip_zeros(&s)
                }
            } else {
                let s = c_exponent(&e_form, alt);
                if alt {
                    s
                } else {
                    let (m, e) = s.split_once('e').unwrap_or((&s, ""));
                    format!("{}e{e}", strip_zeros(m))
                }
            }
        }
        _ => {
            // 'r': the shortest repr digits, without ".0" (added below if asked for).
            crate::floatobject::repr_f64_part(v)
        }
    }
}

/// `PyOS_double_to_string` in Rust: the text and its `Py_DTST_*` type, or `None` for an
/// invalid format code or precision.
pub(crate) fn double_to_string(
    val: f64,
    format_code: u8,
    precision: c_int,
    flags: c_int,
) -> Option<(String, c_int)> {
    let upper = format_code.is_ascii_uppercase();
    let code = format_code.to_ascii_lowercase();
    if !matches!(code, b'e' | b'f' | b'g' | b'r') || (format_code == b'R') {
        return None;
    }
    if code == b'r' && precision != 0 {
        return None;
    }
    let precision = precision.max(0) as usize;
    let (body, kind, negative) = if val.is_nan() {
        ("nan".to_string(), Py_DTST_NAN, false)
    } else if val.is_infinite() {
        ("inf".to_string(), Py_DTST_INFINITE, val < 0.0)
    } else {
        let mut s = format_abs(val.abs(), code, precision, flags);
        if flags & Py_DTSF_ADD_DOT_0 != 0 && !s.contains(['.', 'e']) {
            s.push_str(".0");
        }
        let mut negative = val.is_sign_negative();
        if negative
            && flags & Py_DTSF_NO_NEG_0 != 0
            && !s.bytes().any(|b| (b'1'..=b'9').contains(&b))
        {
            negative = false;
        }
        (s, Py_DTST_FINITE, negative)
    };
    let sign = if negative {
        "-"
    } else if flags & Py_DTSF_SIGN != 0 {
        "+"
    } else {
        ""
    };
    let s = format!("{sign}{body}");
    Some((if upper { s.to_ascii_uppercase() } else { s }, kind))
}

#[export]
pub unsafe fn PyOS_double_to_string(
    val: f64,
    format_code: c_char,
    precision: c_int,
    flags: c_int,
    ty: *mut c_int,
) -> *mut c_char {
    let Some((s, kind)) = double_to_string(val, format_code as u8, precision, flags) else {
        crate::pyerrors::bad_internal_call();
        return null_mut();
    };
    let p = crate::pymem::malloc(s.len() + 1).cast::<u8>();
    if p.is_null() {
        crate::pyerrors::no_memory();
        return null_mut();
    }
    // SAFETY: `p` has room for the text and its NUL; `ty` is NULL or writable.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
        *p.add(s.len()) = 0;
        if !ty.is_null() {
            *ty = kind;
        }
    }
    p.cast()
}

/// The length of the longest prefix of `b` that is a float literal (no whitespace, no
/// underscores): `[sign] (digits [. digits] | . digits) [e [sign] digits]`, `inf`,
/// `infinity` or `nan` in any case.
pub(crate) fn float_prefix_len(b: &[u8]) -> usize {
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let rest = &b[i..];
    for word in [&b"infinity"[..], b"inf", b"nan"] {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
            return i + word.len();
        }
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i > start;
    if i < b.len() && b[i] == b'.' {
        let j = i + 1;
        let mut k = j;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if digits || k > j {
            digits = true;
            i = k;
        }
    }
    if !digits {
        return 0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut k = i + 1;
        if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
            k += 1;
        }
        let d = k;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k > d {
            i = k;
        }
    }
    i
}

#[export]
pub unsafe fn PyOS_string_to_double(
    s: *const c_char,
    endptr: *mut *mut c_char,
    overflow_exception: *mut PyObject,
) -> f64 {
    // SAFETY: a NUL-terminated string; `endptr` NULL or writable, per the C API contract.
    unsafe {
        let b = std::ffi::CStr::from_ptr(s).to_bytes();
        let n = float_prefix_len(b);
        let text = String::from_utf8_lossy(b);
        let invalid = || {
            raise(
                &raw mut EXC_ValueError,
                &format!(
                    "could not convert string to float: {}",
                    crate::unicodeobject::repr_text(&text.chars().take(200).collect::<String>())
                ),
            );
        };
        if n == 0 || (endptr.is_null() && n != b.len()) {
            if !endptr.is_null() {
                *endptr = s.cast_mut();
            }
            invalid();
            return -1.0;
        }
        if !endptr.is_null() {
            *endptr = s.add(n).cast_mut();
        }
        let lit = std::str::from_utf8(&b[..n]).unwrap_or("");
        let v: f64 = lit.parse().unwrap_or(f64::NAN);
        let word = lit.trim_start_matches(['+', '-']);
        if v.is_infinite()
            && !word.eq_ignore_ascii_case("inf")
            && !word.eq_ignore_ascii_case("infinity")
            && !overflow_exception.is_null()
        {
            let msg = crate::unicodeobject::from_str(&format!(
                "value too large to convert to float: '{}'",
                text.chars().take(200).collect::<String>()
            ));
            crate::pyerrors::set_object(overflow_exception, msg);
            crate::refcount::xdecref(msg);
            return -1.0;
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64, code: u8, p: c_int, flags: c_int) -> String {
        double_to_string(v, code, p, flags).unwrap().0
    }

    #[test]
    fn formats_like_python() {
        // format(x, spec) values checked with python3.
        assert_eq!(f(123456789.0, b'g', 6, 0), "1.23457e+08");
        assert_eq!(f(0.00001, b'g', 6, 0), "1e-05");
        assert_eq!(f(0.0001, b'g', 6, 0), "0.0001");
        assert_eq!(f(100.0, b'g', 6, 0), "100");
        assert_eq!(f(1.0, b'g', 6, Py_DTSF_ALT), "1.00000");
        assert_eq!(f(1.5, b'g', 3, Py_DTSF_ALT), "1.50");
        assert_eq!(f(1e16, b'g', 17, 0), "10000000000000000");
        assert_eq!(f(1.0, b'f', 0, Py_DTSF_ALT), "1.");
        assert_eq!(f(0.5, b'f', 0, 0), "0");
        assert_eq!(f(2.5, b'e', 0, 0), "2e+00");
        assert_eq!(f(f64::INFINITY, b'E', 6, 0), "INF");
        assert_eq!(f(-0.0001, b'f', 2, Py_DTSF_NO_NEG_0), "0.00");
        assert_eq!(f(-0.0, b'f', 6, 0), "-0.000000");
        assert_eq!(f(1e16, b'r', 0, Py_DTSF_ADD_DOT_0), "1e+16");
        assert_eq!(f(1.0, b'r', 0, Py_DTSF_ADD_DOT_0), "1.0");
        assert_eq!(f(1.0, b'r', 0, 0), "1");
        assert_eq!(f(2.0, b'r', 0, Py_DTSF_SIGN), "+2");
        assert_eq!(double_to_string(1.0, b'r', 3, 0), None);
        assert_eq!(double_to_string(1.0, b'x', 3, 0), None);
        assert_eq!(
            double_to_string(f64::NAN, b'r', 0, 0),
            Some(("nan".into(), Py_DTST_NAN))
        );
    }

    #[test]
    fn prefixes() {
        assert_eq!(float_prefix_len(b"1.5e3xyz"), 5);
        assert_eq!(float_prefix_len(b"-.5"), 3);
        assert_eq!(float_prefix_len(b"5."), 2);
        assert_eq!(float_prefix_len(b"1e"), 1);
        assert_eq!(float_prefix_len(b"-Infinity!"), 9);
        assert_eq!(float_prefix_len(b"abc"), 0);
        assert_eq!(float_prefix_len(b" 1"), 0);
    }
}
