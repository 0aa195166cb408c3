//! `PyUnicode_DecodeLocale(AndSize)` and `PyUnicode_EncodeLocale`: the current `LC_CTYPE`
//! locale's encoding through the C library (`mbstowcs`/`mbrtowc`, `wcstombs`), as CPython's
//! `Python/fileutils.c` does for `current_locale`: the `strict` and `surrogateescape` error
//! handlers only (any other is `ValueError: unsupported error handler`), a byte sequence that
//! decodes to a surrogate escaped byte by byte, CPython's texts. gilgate never calls
//! `setlocale`, so a process that did not either decodes in the C locale (ASCII), as a C
//! program does; the locale of the calling thread (`uselocale`) applies.

use crate::export;
use crate::object::PyObject;
use crate::pyerrors::{EXC_UnicodeDecodeError, EXC_UnicodeEncodeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use std::ffi::{CStr, c_char};
use std::ptr::null_mut;

unsafe extern "C" {
    fn mbstowcs(dest: *mut i32, src: *const c_char, n: usize) -> usize;
    fn mbrtowc(pwc: *mut i32, s: *const c_char, n: usize, ps: *mut MbState) -> usize;
    fn wcstombs(dest: *mut c_char, src: *const i32, n: usize) -> usize;
}

/// glibc's `mbstate_t` (8 bytes), zeroed for the initial shift state.
#[repr(C)]
#[derive(Default)]
struct MbState([u32; 2]);

const FAILED: usize = usize::MAX;
const INCOMPLETE: usize = usize::MAX - 1;

fn is_surrogate(u: u32) -> bool {
    (0xd800..=0xdfff).contains(&u)
}

/// The error handler: false strict, true surrogateescape; None (ValueError raised) for any
/// other.
///
/// # Safety
/// `errors` must be NULL or NUL-terminated.
unsafe fn handler(errors: *const c_char) -> Option<bool> {
    // SAFETY: forwarded contract.
    let name = (!errors.is_null()).then(|| unsafe { CStr::from_ptr(errors) }.to_bytes());
    match name {
        None | Some(b"strict") => Some(false),
        Some(b"surrogateescape") => Some(true),
        Some(_) => {
            raise(&raw mut EXC_ValueError, "unsupported error handler");
            None
        }
    }
}

/// Decodes `s` (NUL-terminated, no NUL inside) from the current locale: the code points, or
/// the offset of the byte that could not be decoded.
fn decode(s: &CStr, escape: bool) -> Result<Vec<u32>, usize> {
    // SAFETY: `s` is NUL-terminated; the buffers are as long as the calls are told.
    unsafe {
        // the whole string at once, unless it fails or gives a surrogate
        let n = mbstowcs(null_mut(), s.as_ptr(), 0);
        if n != FAILED {
            let mut buf = vec![0i32; n + 1];
            let got = mbstowcs(buf.as_mut_ptr(), s.as_ptr(), n + 1);
            if got != FAILED {
                buf.truncate(got);
                let units: Vec<u32> = buf.iter().map(|&w| w as u32).collect();
                if !units.iter().any(|&u| is_surrogate(u)) {
                    return Ok(units);
                }
            }
        }
        // character by character, escaping what does not decode
        let bytes = s.to_bytes_with_nul();
        let mut out = Vec::with_capacity(bytes.len());
        let mut pos = 0;
        let mut state = MbState::default();
        while pos < bytes.len() {
            let mut wc = 0i32;
            let left = bytes.len() - pos;
            let used = mbrtowc(&mut wc, bytes[pos..].as_ptr().cast(), left, &mut state);
            match used {
                0 => break,
                INCOMPLETE => return Err(pos),
                FAILED => {
                    if !escape {
                        return Err(pos);
                    }
                    out.push(0xdc00 + u32::from(bytes[pos]));
                    pos += 1;
                    state = MbState::default();
                }
                n if is_surrogate(wc as u32) => {
                    if !escape {
                        return Err(pos);
                    }
                    out.extend(bytes[pos..pos + n].iter().map(|&b| 0xdc00 + u32::from(b)));
                    pos += n;
                }
                n => {
                    out.push(wc as u32);
                    pos += n;
                }
            }
        }
        Ok(out)
    }
}

/// Encodes `units` (no NUL) to the current locale: the bytes, or the index of the character
/// that could not be encoded.
fn encode(units: &[u32], escape: bool) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(units.len());
    for (i, &u) in units.iter().enumerate() {
        if (0xdc80..=0xdcff).contains(&u) {
            if !escape {
                return Err(i);
            }
            out.push((u - 0xdc00) as u8);
            continue;
        }
        let one = [u as i32, 0];
        let mut buf = [0 as c_char; 32];
        // SAFETY: `one` is a NUL-terminated wide string, `buf` has room for any character.
        let n = unsafe { wcstombs(buf.as_mut_ptr(), one.as_ptr(), buf.len()) };
        if n == FAILED {
            return Err(i);
        }
        out.extend(buf[..n].iter().map(|&b| b as u8));
    }
    Ok(out)
}

/// Decodes `len` bytes at `s` (which must be NUL-terminated right there).
///
/// # Safety
/// `s` must have `len + 1` readable bytes; `errors` NULL or NUL-terminated.
unsafe fn decode_locale(s: *const c_char, len: Py_ssize_t, errors: *const c_char) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if s.is_null() || len < 0 {
            return crate::pyerrors::bad_internal_call();
        }
        let c = CStr::from_ptr(s);
        if *s.add(len as usize) != 0 || c.to_bytes().len() != len as usize {
            return raise(&raw mut EXC_ValueError, "embedded null byte");
        }
        let Some(escape) = handler(errors) else {
            return null_mut();
        };
        match decode(c, escape) {
            Ok(units) => crate::unicodeobject::from_ucs4(&units),
            Err(pos) => {
                let bytes = c.to_bytes();
                let text = format!(
                    "'locale' codec can't decode byte 0x{:02x} in position {pos}: decoding error",
                    bytes.get(pos).copied().unwrap_or(0)
                );
                raise(&raw mut EXC_UnicodeDecodeError, &text)
            }
        }
    }
}

#[export]
pub unsafe fn PyUnicode_DecodeLocaleAndSize(
    s: *const c_char,
    len: Py_ssize_t,
    errors: *const c_char,
) -> *mut PyObject {
    // SAFETY: `len + 1` readable bytes, per the C API contract.
    unsafe { decode_locale(s, len, errors) }
}

#[export]
pub unsafe fn PyUnicode_DecodeLocale(s: *const c_char, errors: *const c_char) -> *mut PyObject {
    // SAFETY: a NUL-terminated string, per the C API contract.
    unsafe {
        if s.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        let len = CStr::from_ptr(s).to_bytes().len();
        decode_locale(s, len as Py_ssize_t, errors)
    }
}

#[export]
pub unsafe fn PyUnicode_EncodeLocale(op: *mut PyObject, errors: *const c_char) -> *mut PyObject {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        if op.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        if !crate::unicodeobject::is_str(op) {
            return raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                "bad argument type for built-in operation",
            );
        }
        let units = crate::unicodeobject::chars(op);
        if units.contains(&0) {
            return raise(&raw mut EXC_ValueError, "embedded null character");
        }
        let Some(escape) = handler(errors) else {
            return null_mut();
        };
        match encode(&units, escape) {
            Ok(b) => crate::bytesobject::from_bytes(&b),
            Err(i) => {
                let u = units[i];
                let ch = match u {
                    0x20..0x7f => (u as u8 as char).to_string(),
                    0..0x100 => format!("\\x{u:02x}"),
                    0x100..0x10000 => format!("\\u{u:04x}"),
                    _ => format!("\\U{u:08x}"),
                };
                raise(
                    &raw mut EXC_UnicodeEncodeError,
                    &format!(
                        "'locale' codec can't encode character '{ch}' in position {i}: encoding error"
                    ),
                )
            }
        }
    }
}
