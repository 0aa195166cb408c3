//! The UTF-16 and UTF-32 codecs of the C API (`PyUnicode_DecodeUTF16`,
//! `PyUnicode_DecodeUTF32`, `PyUnicode_AsUTF16String`) with CPython's byte order rules: a
//! `*byteorder` of -1 or 1 fixes little or big endian (a BOM is then an ordinary character);
//! 0 or NULL starts little endian (the native order) and a leading BOM picks the order and is
//! dropped, `*byteorder` then telling which. Errors carry CPython's reasons ("truncated data",
//! "unexpected end of data", "illegal encoding", "illegal UTF-16 surrogate", "code point not in
//! range(0x110000)", "code point in surrogate code point range(0xd800, 0xe000)").

use super::{Errors, decode_error_text, from_ucs4, parse_errors};
use crate::export;
use crate::object::PyObject;
use crate::pyport::Py_ssize_t;
use std::ffi::{c_char, c_int};
use std::ptr::null_mut;

/// The input bytes of a decoder (NULL with a size of 0 is empty).
///
/// # Safety
/// `s` must have `size` readable bytes.
unsafe fn input<'a>(s: *const c_char, size: Py_ssize_t) -> &'a [u8] {
    if s.is_null() || size <= 0 {
        return &[];
    }
    // SAFETY: forwarded contract.
    unsafe { std::slice::from_raw_parts(s.cast(), size as usize) }
}

/// The starting order (-1 little, 1 big) and how many BOM bytes to skip.
fn byte_order(data: &[u8], given: c_int, width: usize) -> (c_int, usize) {
    if given != 0 {
        return (given, 0);
    }
    let (le, be): (&[u8], &[u8]) = if width == 2 {
        (&[0xff, 0xfe], &[0xfe, 0xff])
    } else {
        (&[0xff, 0xfe, 0, 0], &[0, 0, 0xfe, 0xff])
    };
    if data.starts_with(le) {
        (-1, width)
    } else if data.starts_with(be) {
        (1, width)
    } else {
        (0, 0)
    }
}

/// Handles one decoding error: `Err` (raised) for strict, else the replacement is pushed.
/// `surrogate` is the surrogate code unit (UTF-16) or code point (UTF-32) at `start`, if the
/// bytes there are one: what `surrogatepass` decodes.
#[allow(clippy::too_many_arguments)]
fn on_error(
    codec: &str,
    data: &[u8],
    start: usize,
    end: usize,
    reason: &str,
    errors: Errors,
    out: &mut Vec<u32>,
    surrogate: Option<u32>,
) -> Result<(), ()> {
    let bytes = &data[start..end];
    match errors {
        Errors::Replace => out.push(0xfffd),
        Errors::Ignore => {}
        Errors::BackslashReplace => {
            for &b in bytes {
                out.extend(super::backslash_escape(u32::from(b)).chars().map(u32::from));
            }
        }
        Errors::XmlCharRefReplace => {
            super::decode_handler_error();
            return Err(());
        }
        Errors::SurrogatePass if surrogate.is_some() => out.extend(surrogate),
        // Only bytes 0x80 and above can be escaped (CPython raises the original error else).
        Errors::SurrogateEscape if bytes.iter().all(|&b| b >= 0x80) => {
            out.extend(bytes.iter().map(|&b| 0xdc00 | u32::from(b)));
        }
        _ => {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_UnicodeDecodeError,
                &decode_error_text(codec, data, start, end, reason),
            );
            return Err(());
        }
    }
    Ok(())
}

fn decode16(data: &[u8], order: c_int, errors: Errors) -> Result<Vec<u32>, ()> {
    let big = order == 1;
    let codec = if big { "utf-16-be" } else { "utf-16-le" };
    let unit = |i: usize| {
        let (a, b) = (u32::from(data[i]), u32::from(data[i + 1]));
        if big { (a << 8) | b } else { (b << 8) | a }
    };
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut i = 0;
    while i < data.len() {
        if i + 1 >= data.len() {
            on_error(
                codec,
                data,
                i,
                data.len(),
                "truncated data",
                errors,
                &mut out,
                None,
            )?;
            break;
        }
        let u = unit(i);
        if !(0xd800..0xe000).contains(&u) {
            out.push(u);
            i += 2;
            continue;
        }
        if u >= 0xdc00 {
            on_error(
                codec,
                data,
                i,
                i + 2,
                "illegal encoding",
                errors,
                &mut out,
                Some(u),
            )?;
            i += 2;
            continue;
        }
        if i + 3 >= data.len() {
            let (reason, end) = if i + 2 < data.len() {
                ("truncated data", data.len())
            } else {
                ("unexpected end of data", data.len())
            };
            on_error(codec, data, i, end, reason, errors, &mut out, Some(u))?;
            if errors == Errors::SurrogatePass && i + 2 < data.len() {
                // The lone high surrogate is decoded; the odd byte after it is still an error.
                i += 2;
                continue;
            }
            break;
        }
        let low = unit(i + 2);
        if (0xdc00..0xe000).contains(&low) {
            out.push(0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00));
            i += 4;
        } else {
            on_error(
                codec,
                data,
                i,
                i + 2,
                "illegal UTF-16 surrogate",
                errors,
                &mut out,
                Some(u),
            )?;
            i += 2;
        }
    }
    Ok(out)
}

fn decode32(data: &[u8], order: c_int, errors: Errors) -> Result<Vec<u32>, ()> {
    let big = order == 1;
    let codec = if big { "utf-32-be" } else { "utf-32-le" };
    let mut out = Vec::with_capacity(data.len() / 4);
    let mut i = 0;
    while i < data.len() {
        if i + 4 > data.len() {
            on_error(
                codec,
                data,
                i,
                data.len(),
                "truncated data",
                errors,
                &mut out,
                None,
            )?;
            break;
        }
        let b = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        let u = if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        };
        if u >= 0x110000 {
            on_error(
                codec,
                data,
                i,
                i + 4,
                "code point not in range(0x110000)",
                errors,
                &mut out,
                None,
            )?;
        } else if (0xd800..0xe000).contains(&u) {
            on_error(
                codec,
                data,
                i,
                i + 4,
                "code point in surrogate code point range(0xd800, 0xe000)",
                errors,
                &mut out,
                Some(u),
            )?;
        } else {
            out.push(u);
        }
        i += 4;
    }
    Ok(out)
}

/// The shared body of the two decoders.
///
/// # Safety
/// As the exports.
unsafe fn decode(
    s: *const c_char,
    size: Py_ssize_t,
    errors: *const c_char,
    byteorder: *mut c_int,
    width: usize,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let data = input(s, size);
        let Ok(e) = parse_errors(errors) else {
            return null_mut();
        };
        let given = if byteorder.is_null() { 0 } else { *byteorder };
        let (order, skip) = byte_order(data, given, width);
        let units = if width == 2 {
            decode16(&data[skip..], order, e)
        } else {
            decode32(&data[skip..], order, e)
        };
        if !byteorder.is_null() {
            *byteorder = order;
        }
        match units {
            Ok(u) => from_ucs4(&u),
            Err(()) => null_mut(),
        }
    }
}

#[export]
pub unsafe fn PyUnicode_DecodeUTF16(
    s: *const c_char,
    size: Py_ssize_t,
    errors: *const c_char,
    byteorder: *mut c_int,
) -> *mut PyObject {
    // SAFETY: `size` readable bytes, NULL or C strings and NULL or a writable int, per the C API
    // contract.
    unsafe { decode(s, size, errors, byteorder, 2) }
}

#[export]
pub unsafe fn PyUnicode_DecodeUTF32(
    s: *const c_char,
    size: Py_ssize_t,
    errors: *const c_char,
    byteorder: *mut c_int,
) -> *mut PyObject {
    // SAFETY: as PyUnicode_DecodeUTF16.
    unsafe { decode(s, size, errors, byteorder, 4) }
}

/// `PyUnicode_AsUTF16String`: a little-endian BOM and the text, lone surrogates refused.
#[export]
pub unsafe fn PyUnicode_AsUTF16String(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !super::is_str(op) {
            super::bad_argument();
            return null_mut();
        }
        let units = super::chars(op);
        let mut out = vec![0xff, 0xfe];
        for (i, &u) in units.iter().enumerate() {
            if (0xd800..0xe000).contains(&u) {
                crate::pyerrors::raise(
                    &raw mut crate::pyerrors::EXC_UnicodeEncodeError,
                    &format!(
                        "'utf-16' codec can't encode character '\\u{u:04x}' in position {i}: surrogates not allowed"
                    ),
                );
                return null_mut();
            }
            let mut buf = [0u16; 2];
            let c = char::from_u32(u).unwrap_or('\u{fffd}');
            for w in c.encode_utf16(&mut buf) {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        crate::bytesobject::from_bytes(&out)
    }
}
