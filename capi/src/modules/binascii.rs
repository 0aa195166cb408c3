//! gilgate's own `binascii` module (CPython builds it in; extensions such as xxtea import it):
//! `hexlify`/`b2a_hex`, `unhexlify`/`a2b_hex`, `a2b_base64`/`b2a_base64` (`strict_mode`,
//! `newline`), `a2b_uu`/`b2a_uu`, `a2b_qp`/`b2a_qp`, `crc32`, `crc_hqx`, and the `Error` (a
//! ValueError) and `Incomplete` exception classes, with CPython's results and messages.

use crate::longobject::method;
use crate::methodobject::{METH_KEYWORDS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::PyObject;
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::decref;
use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::OnceLock;

/// Addresses of the module and its `Error` class (created once, kept for the process).
static MODULE: OnceLock<usize> = OnceLock::new();
/// The addresses of the `Error` class, set by `build`.
static PARTS: OnceLock<usize> = OnceLock::new();

fn error_class() -> *mut PyObject {
    module();
    PARTS.get().map_or(null_mut(), |&e| e as *mut PyObject)
}

/// Raises `binascii.Error(msg)`.
fn raise_error(msg: &str) -> *mut PyObject {
    let e = error_class();
    if e.is_null() {
        return raise(&raw mut EXC_ValueError, msg);
    }
    let m = crate::unicodeobject::from_str(msg);
    // SAFETY: `e` is the live Error class; `m` a new str (the call copies what it needs).
    unsafe {
        crate::pyerrors::set_object(e, m);
        crate::refcount::xdecref(m);
    }
    null_mut()
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Lower-case hex of `data`, with `sep` between groups of `per` bytes (counted from the right
/// when `per` > 0, from the left when < 0), as `bytes.hex` and `binascii.hexlify` do.
pub(crate) fn hex_with_sep(data: &[u8], sep: Option<u8>, per: isize) -> Vec<u8> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(data.len() * 3);
    let n = data.len();
    let group = per.unsigned_abs();
    for (i, &b) in data.iter().enumerate() {
        if let Some(s) = sep
            && i > 0
            && group > 0
        {
            let boundary = if per > 0 {
                (n - i).is_multiple_of(group)
            } else {
                i.is_multiple_of(group)
            };
            if boundary {
                out.push(s);
            }
        }
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
    out
}

/// The standard CRC-32 (as zlib's), continuing from `crc`.
pub(crate) fn crc32(data: &[u8], crc: u32) -> u32 {
    static TABLE: OnceLock<[u32; 256]> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    let mut c = !crc;
    for &b in data {
        c = table[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// Positional and keyword arguments by name (`names` in order); None with TypeError on a
/// missing required one or an unexpected keyword.
///
/// # Safety
/// `args` must be a tuple, `kw` NULL or a dict.
unsafe fn parse(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    required: usize,
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: forwarded contract.
    unsafe { parse_args(func, args, kw, names, 0, required) }
}

/// Positional and keyword arguments by name (`names` in order, the first `posonly` of them
/// positional-only), as Argument Clinic parses them; None with TypeError on too many, a
/// missing required one or an unexpected keyword.
///
/// # Safety
/// `args` must be a tuple, `kw` NULL or a dict.
pub(crate) unsafe fn parse_args(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    posonly: usize,
    required: usize,
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: forwarded contract.
    unsafe { parse_kwonly(func, args, kw, names, posonly, names.len(), required) }
}

/// `parse_args` where the names from `maxpos` on are keyword-only.
///
/// # Safety
/// `args` must be a tuple, `kw` NULL or a dict.
pub(crate) unsafe fn parse_kwonly(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    posonly: usize,
    maxpos: usize,
    required: usize,
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        if pos.len() > maxpos && maxpos < names.len() {
            let how = if required.min(maxpos) == maxpos {
                "exactly"
            } else {
                "at most"
            };
            let msg = if maxpos == 0 {
                format!("{func}() takes no positional arguments")
            } else {
                format!(
                    "{func}() takes {how} {maxpos} positional argument{} ({} given)",
                    plural(maxpos),
                    pos.len()
                )
            };
            raise(&raw mut EXC_TypeError, &msg);
            return None;
        }
        if pos.len() > names.len() {
            let n = names.len();
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() takes at most {n} argument{} ({} given)",
                    plural(n),
                    pos.len()
                ),
            );
            return None;
        }
        let needed = required.min(posonly);
        if pos.len() < needed {
            let how = if maxpos == needed {
                "exactly"
            } else {
                "at least"
            };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() takes {how} {needed} positional argument{} ({} given)",
                    plural(needed),
                    pos.len()
                ),
            );
            return None;
        }
        let mut out = vec![null_mut(); names.len()];
        out[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            let mut used = 0;
            for (i, name) in names.iter().enumerate().skip(posonly) {
                let v = crate::dictobject::get_str(kw, name);
                if !v.is_null() {
                    if i < pos.len() {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "argument for {func}() given by name ('{name}') and position ({})",
                                i + 1
                            ),
                        );
                        return None;
                    }
                    out[i] = v;
                    used += 1;
                }
            }
            if used < crate::dictobject::PyDict_Size(kw) as usize {
                for (k, _) in crate::dictobject::entries(kw) {
                    if !crate::unicodeobject::is_str(k) {
                        raise(&raw mut EXC_TypeError, "keywords must be strings");
                        return None;
                    }
                    let key: String = crate::unicodeobject::chars(k)
                        .iter()
                        .filter_map(|&u| char::from_u32(u))
                        .collect();
                    // a positional-only name given by keyword is unexpected too (Clinic's text)
                    if !names[posonly..].contains(&key.as_str()) {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got an unexpected keyword argument '{key}'"),
                        );
                        return None;
                    }
                }
            }
        }
        if let Some(i) = out[..required].iter().position(|p| p.is_null()) {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() missing required argument '{}' (pos {})",
                    names[i],
                    i + 1
                ),
            );
            return None;
        }
        Some(out)
    }
}

unsafe extern "C" fn b_hexlify(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.hexlify", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = parse("hexlify", args, kw, &["data", "sep", "bytes_per_sep"], 1) else {
                return null_mut();
            };
            let Some(data) = crate::bytesobject::bytes_like(a[0]) else {
                return null_mut();
            };
            let per = if a[2].is_null() {
                1
            } else {
                let v = crate::longobject::PyLong_AsSsize_t(a[2]);
                if v == -1 && crate::pyerrors::occurred() {
                    return null_mut();
                }
                v
            };
            let mut sep = None;
            if !a[1].is_null() {
                let n = crate::abstract_::PyObject_Size(a[1]);
                if n < 0 {
                    return null_mut();
                }
                if n != 1 {
                    return raise(&raw mut EXC_ValueError, "sep must be length 1.");
                }
                let byte = if crate::unicodeobject::is_str(a[1]) {
                    crate::unicodeobject::read(a[1], 0)
                } else {
                    let Some(b) = crate::bytesobject::bytes_like(a[1]) else {
                        return null_mut();
                    };
                    u32::from(b[0])
                };
                let needed = per != 0 && data.len() > per.unsigned_abs();
                if needed && byte > 0x7f {
                    return raise(&raw mut EXC_ValueError, "sep must be ASCII.");
                }
                sep = Some(byte as u8);
            }
            crate::bytesobject::from_bytes(&hex_with_sep(&data, sep, per))
        }
    })
}

unsafe extern "C" fn b_unhexlify(_m: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.unhexlify", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        unsafe {
            let text: Vec<u8> = if crate::unicodeobject::is_str(arg) {
                let units = crate::unicodeobject::chars(arg);
                if units.iter().any(|&u| u > 0x7f) {
                    return raise(
                        &raw mut EXC_ValueError,
                        "string argument should contain only ASCII characters",
                    );
                }
                units.iter().map(|&u| u as u8).collect()
            } else {
                match crate::bytesobject::bytes_like(arg) {
                    Some(b) => b,
                    None => {
                        crate::pyerrors::clear();
                        let t = crate::object::type_name(crate::object::ty(arg));
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("argument should be bytes, buffer or ASCII string, not '{t}'"),
                        );
                    }
                }
            };
            if !text.len().is_multiple_of(2) {
                return raise_error("Odd-length string");
            }
            let mut out = Vec::with_capacity(text.len() / 2);
            for pair in text.chunks(2) {
                match (hex_digit(pair[0]), hex_digit(pair[1])) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return raise_error("Non-hexadecimal digit found"),
                }
            }
            crate::bytesobject::from_bytes(&out)
        }
    })
}

unsafe extern "C" fn b_crc32(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.crc32", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Some(a) = parse("crc32", args, null_mut(), &["data", "crc"], 1) else {
                return null_mut();
            };
            let Some(data) = crate::bytesobject::bytes_like(a[0]) else {
                return null_mut();
            };
            let start = if a[1].is_null() {
                0
            } else {
                let v = crate::longobject::PyLong_AsUnsignedLongMask(a[1]);
                if v == u64::MAX && crate::pyerrors::occurred() {
                    return null_mut();
                }
                v as u32
            };
            crate::longobject::from_i64(i64::from(crc32(&data, start)))
        }
    })
}

/// The data argument of the `a2b_*` functions: bytes-like or an ASCII str (CPython's
/// `ascii_buffer` converter).
///
/// # Safety
/// `arg` must be live.
unsafe fn ascii_data(arg: *mut PyObject) -> Option<Vec<u8>> {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::unicodeobject::is_str(arg) {
            let units = crate::unicodeobject::chars(arg);
            if units.iter().any(|&u| u > 0x7f) {
                raise(
                    &raw mut EXC_ValueError,
                    "string argument should contain only ASCII characters",
                );
                return None;
            }
            return Some(units.iter().map(|&u| u as u8).collect());
        }
        match crate::bytesobject::bytes_like(arg) {
            Some(b) => Some(b),
            None => {
                crate::pyerrors::clear();
                let t = crate::object::type_name(crate::object::ty(arg));
                raise(
                    &raw mut EXC_TypeError,
                    &format!("argument should be bytes, buffer or ASCII string, not '{t}'"),
                );
                None
            }
        }
    }
}

/// A `bool` argument (truth value), `default` when absent; None with the exception set.
///
/// # Safety
/// `o` must be NULL or live.
unsafe fn flag(o: *mut PyObject, default: bool) -> Option<bool> {
    if o.is_null() {
        return Some(default);
    }
    // SAFETY: forwarded contract.
    match unsafe { crate::object::PyObject_IsTrue(o) } {
        r if r < 0 => None,
        r => Some(r > 0),
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Base64 decoding with CPython 3.14's rules; Err is the `binascii.Error` text. Without
/// `strict`, characters outside the alphabet and `=` are skipped, and the data may end in a
/// partial group only when enough `=` follow it. With `strict`, anything but the alphabet, or
/// padding that is leading, excess, interrupted or followed by data, is an error.
fn decode_base64(data: &[u8], strict: bool) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 3);
    if strict && data.first() == Some(&b'=') {
        return Err("Leading padding not allowed".into());
    }
    let mut quad = 0;
    let mut left = 0u8;
    let mut pads = 0;
    let mut padding_started = false;
    let mut padded = false;
    for &c in data {
        if c == b'=' {
            padding_started = true;
            if strict && quad == 0 {
                return Err("Excess padding not allowed".into());
            }
            if quad >= 2 {
                pads += 1;
                if quad + pads >= 4 && strict {
                    // a complete group: only the end of the data may follow
                    quad = 0;
                    padded = true;
                }
            }
            continue;
        }
        let Some(v) = b64_value(c) else {
            if strict {
                return Err("Only base64 data is allowed".into());
            }
            continue;
        };
        if strict && padded {
            return Err("Excess data after padding".into());
        }
        if strict && padding_started {
            return Err("Discontinuous padding not allowed".into());
        }
        pads = 0;
        match quad {
            0 => {
                quad = 1;
                left = v;
            }
            1 => {
                quad = 2;
                out.push(left << 2 | v >> 4);
                left = v & 0x0f;
            }
            2 => {
                quad = 3;
                out.push(left << 4 | v >> 2);
                left = v & 0x03;
            }
            _ => {
                quad = 0;
                out.push(left << 6 | v);
                left = 0;
            }
        }
    }
    match quad {
        0 => Ok(out),
        1 => Err(format!(
            "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4",
            out.len() / 3 * 4 + 1
        )),
        q if q + pads >= 4 => Ok(out),
        _ => Err("Incorrect padding".into()),
    }
}

fn encode_base64(data: &[u8], newline: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4 + 1);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * k) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    if newline {
        out.push(b'\n');
    }
    out
}

/// uudecoding of one line; Err is the `binascii.Error` text.
fn decode_uu(data: &[u8]) -> Result<Vec<u8>, &'static str> {
    let Some(&first) = data.first() else {
        return Err("Missing length byte");
    };
    let mut want = usize::from(first.wrapping_sub(b' ') & 0o77);
    let mut out = Vec::with_capacity(want);
    let mut left = 0u32;
    let mut bits = 0;
    let mut i = 1;
    while want > 0 {
        let c = data.get(i).copied();
        let v = match c {
            None | Some(b'\n') | Some(b'\r') => 0,
            Some(c) if !(b' '..=b' ' + 64).contains(&c) => return Err("Illegal char"),
            Some(c) => (c - b' ') & 0o77,
        };
        left = (left << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((left >> bits) as u8);
            left &= (1 << bits) - 1;
            want -= 1;
        }
        i += 1;
    }
    for &c in data.iter().skip(i) {
        if !matches!(c, b' ' | b'`' | b'\n' | b'\r') {
            return Err("Trailing garbage");
        }
    }
    Ok(out)
}

fn encode_uu(data: &[u8], backtick: bool) -> Vec<u8> {
    let ch = |v: u32| {
        if backtick && v == 0 {
            b'`'
        } else {
            b' ' + v as u8
        }
    };
    let mut out = vec![ch(data.len() as u32)];
    let mut left = 0u32;
    let mut bits = 0;
    let mut rest = data.len();
    let mut it = data.iter();
    while rest > 0 || bits != 0 {
        left = (left << 8) | it.next().map_or(0, |&b| u32::from(b));
        left &= 0xffff;
        bits += 8;
        while bits >= 6 {
            out.push(ch((left >> (bits - 6)) & 0x3f));
            bits -= 6;
        }
        rest = rest.saturating_sub(1);
    }
    out.push(b'\n');
    out
}

/// CRC-CCITT (XModem) as `binascii.crc_hqx`, continuing from `crc`.
fn crc_hqx(data: &[u8], crc: u32) -> u32 {
    let mut c = crc & 0xffff;
    for &b in data {
        c ^= u32::from(b) << 8;
        for _ in 0..8 {
            c = if c & 0x8000 != 0 {
                (c << 1) ^ 0x1021
            } else {
                c << 1
            };
        }
        c &= 0xffff;
    }
    c
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn decode_qp(data: &[u8], header: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        if c == b'=' {
            i += 1;
            if i >= data.len() {
                break;
            }
            match data[i] {
                b'\n' | b'\r' => {
                    // a soft line break
                    if data[i] != b'\n' {
                        while i < data.len() && data[i] != b'\n' {
                            i += 1;
                        }
                    }
                    if i < data.len() {
                        i += 1;
                    }
                }
                b'=' => {
                    out.push(b'=');
                    i += 1;
                }
                h if i + 1 < data.len() && is_hex(h) && is_hex(data[i + 1]) => {
                    let hi = hex_digit(h).unwrap_or(0);
                    let lo = hex_digit(data[i + 1]).unwrap_or(0);
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'='),
            }
        } else if header && c == b'_' {
            out.push(b' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn encode_qp(data: &[u8], quotetabs: bool, istext: bool, header: bool) -> Vec<u8> {
    const MAXLINESIZE: usize = 76;
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let crlf = data
        .iter()
        .position(|&c| c == b'\n')
        .is_some_and(|p| p > 0 && data[p - 1] == b'\r');
    let n = data.len();
    let mut out: Vec<u8> = Vec::with_capacity(n * 2);
    let soft_break = |out: &mut Vec<u8>| {
        out.push(b'=');
        if crlf {
            out.push(b'\r');
        }
        out.push(b'\n');
    };
    let mut linelen = 0;
    let mut i = 0;
    while i < n {
        let c = data[i];
        let next = data.get(i + 1).copied();
        let quote = c > 126
            || c == b'='
            || (header && c == b'_')
            || (c == b'.'
                && linelen == 0
                && matches!(next, None | Some(b'\n') | Some(b'\r') | Some(0)))
            || (!istext && (c == b'\r' || c == b'\n'))
            || ((c == b'\t' || c == b' ') && i + 1 == n)
            || (c < 33 && c != b'\r' && c != b'\n' && (quotetabs || (c != b'\t' && c != b' ')));
        if quote {
            if linelen + 3 >= MAXLINESIZE {
                soft_break(&mut out);
                linelen = 0;
            }
            out.extend_from_slice(&[b'=', HEX[usize::from(c >> 4)], HEX[usize::from(c & 15)]]);
            i += 1;
            linelen += 3;
        } else if istext && (c == b'\n' || (c == b'\r' && next == Some(b'\n'))) {
            linelen = 0;
            // whitespace at the end of a line is quoted
            if let Some(&last) = out.last()
                && (last == b' ' || last == b'\t')
            {
                out.pop();
                out.extend_from_slice(&[
                    b'=',
                    HEX[usize::from(last >> 4)],
                    HEX[usize::from(last & 15)],
                ]);
            }
            if crlf {
                out.push(b'\r');
            }
            out.push(b'\n');
            i += if c == b'\r' { 2 } else { 1 };
        } else {
            if i + 1 != n && next != Some(b'\n') && linelen + 1 >= MAXLINESIZE {
                soft_break(&mut out);
                linelen = 0;
            }
            linelen += 1;
            if header && c == b' ' {
                out.push(b'_');
            } else {
                out.push(c);
            }
            i += 1;
        }
    }
    out
}

/// Wraps a coder's result: bytes, or `binascii.Error` with its text.
fn coded(r: Result<Vec<u8>, String>) -> *mut PyObject {
    match r {
        Ok(v) => crate::bytesobject::from_bytes(&v),
        Err(e) => raise_error(&e),
    }
}

unsafe extern "C" fn b_a2b_base64(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.a2b_base64", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let names = ["data", "strict_mode"];
            let Some(a) = parse_kwonly("a2b_base64", args, kw, &names, 1, 1, 1) else {
                return null_mut();
            };
            let Some(data) = ascii_data(a[0]) else {
                return null_mut();
            };
            let Some(strict) = flag(a[1], false) else {
                return null_mut();
            };
            coded(decode_base64(&data, strict))
        }
    })
}

unsafe extern "C" fn b_b2a_base64(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.b2a_base64", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = parse_kwonly("b2a_base64", args, kw, &["data", "newline"], 1, 1, 1)
            else {
                return null_mut();
            };
            let Some(data) = crate::bytesobject::bytes_like(a[0]) else {
                return null_mut();
            };
            let Some(newline) = flag(a[1], true) else {
                return null_mut();
            };
            crate::bytesobject::from_bytes(&encode_base64(&data, newline))
        }
    })
}

unsafe extern "C" fn b_a2b_uu(_m: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.a2b_uu", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        let Some(data) = (unsafe { ascii_data(arg) }) else {
            return null_mut();
        };
        coded(decode_uu(&data).map_err(str::to_string))
    })
}

unsafe extern "C" fn b_b2a_uu(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.b2a_uu", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = parse_kwonly("b2a_uu", args, kw, &["data", "backtick"], 1, 1, 1) else {
                return null_mut();
            };
            let Some(data) = crate::bytesobject::bytes_like(a[0]) else {
                return null_mut();
            };
            let Some(backtick) = flag(a[1], false) else {
                return null_mut();
            };
            if data.len() > 45 {
                return raise_error("At most 45 bytes at once");
            }
            crate::bytesobject::from_bytes(&encode_uu(&data, backtick))
        }
    })
}

unsafe extern "C" fn b_a2b_qp(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.a2b_qp", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = parse_args("a2b_qp", args, kw, &["data", "header"], 0, 1) else {
                return null_mut();
            };
            let Some(data) = ascii_data(a[0]) else {
                return null_mut();
            };
            let Some(header) = flag(a[1], false) else {
                return null_mut();
            };
            crate::bytesobject::from_bytes(&decode_qp(&data, header))
        }
    })
}

unsafe extern "C" fn b_b2a_qp(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.b2a_qp", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let names = ["data", "quotetabs", "istext", "header"];
            let Some(a) = parse_args("b2a_qp", args, kw, &names, 0, 1) else {
                return null_mut();
            };
            let Some(data) = crate::bytesobject::bytes_like(a[0]) else {
                return null_mut();
            };
            let (Some(quotetabs), Some(istext), Some(header)) =
                (flag(a[1], false), flag(a[2], true), flag(a[3], false))
            else {
                return null_mut();
            };
            crate::bytesobject::from_bytes(&encode_qp(&data, quotetabs, istext, header))
        }
    })
}

unsafe extern "C" fn b_crc_hqx(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("binascii.crc_hqx", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let pos = crate::tupleobject::items(args);
            if pos.len() != 2 {
                let msg = format!("crc_hqx expected 2 arguments, got {}", pos.len());
                return raise(&raw mut EXC_TypeError, &msg);
            }
            let Some(data) = crate::bytesobject::bytes_like(pos[0]) else {
                return null_mut();
            };
            let v = crate::longobject::PyLong_AsUnsignedLongMask(pos[1]);
            if v == u64::MAX && crate::pyerrors::occurred() {
                return null_mut();
            }
            crate::longobject::from_i64(i64::from(crc_hqx(&data, v as u32)))
        }
    })
}

static mut FUNCTIONS: [PyMethodDef; 13] = [
    method(
        c"hexlify",
        b_hexlify as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"b2a_hex",
        b_hexlify as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"unhexlify", b_unhexlify as *mut c_void, METH_O),
    method(c"a2b_hex", b_unhexlify as *mut c_void, METH_O),
    method(c"crc32", b_crc32 as *mut c_void, METH_VARARGS),
    method(
        c"a2b_base64",
        b_a2b_base64 as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"b2a_base64",
        b_b2a_base64 as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"a2b_uu", b_a2b_uu as *mut c_void, METH_O),
    method(
        c"b2a_uu",
        b_b2a_uu as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"a2b_qp",
        b_a2b_qp as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"b2a_qp",
        b_b2a_qp as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"crc_hqx", b_crc_hqx as *mut c_void, METH_VARARGS),
    PyMethodDef::END,
];

/// The `binascii` module (a borrowed, process-lifetime reference; NULL with an exception if it
/// could not be made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "binascii", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("binascii");
    // SAFETY: `name` is a live str; the method table is static; every object put in the dict
    // is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        if crate::moduleobject::add_functions(m, (&raw mut FUNCTIONS).cast()) < 0 {
            decref(m);
            return null_mut();
        }
        let error = crate::pyerrors::PyErr_NewException(
            c"binascii.Error".as_ptr(),
            (&raw mut EXC_ValueError).cast(),
            null_mut(),
        );
        let incomplete = crate::pyerrors::PyErr_NewException(
            c"binascii.Incomplete".as_ptr(),
            null_mut(),
            null_mut(),
        );
        if error.is_null() || incomplete.is_null() {
            decref(m);
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "Error", error);
        crate::dictobject::set_item_str(d, "Incomplete", incomplete);
        decref(incomplete);
        // the module's dict and this table both keep `error` alive; the table's reference is
        // the one from PyErr_NewException
        let _ = PARTS.set(error as usize);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_groups_and_crc() {
        assert_eq!(hex_with_sep(b"\x01\xab\xff", None, 1), b"01abff");
        assert_eq!(hex_with_sep(b"abcdef", Some(b'-'), 1), b"61-62-63-64-65-66");
        assert_eq!(hex_with_sep(b"abcdef", Some(b':'), 2), b"6162:6364:6566");
        assert_eq!(hex_with_sep(b"abcde", Some(b':'), -2), b"6162:6364:65");
        assert_eq!(hex_with_sep(b"abcde", Some(b':'), 2), b"61:6263:6465");
        assert_eq!(crc32(b"hello", 0), 907060870);
        assert_eq!(crc32(b"world", crc32(b"hello ", 0)), 222957957);
        assert_eq!(crc32(b"", 0), 0);
    }
}
