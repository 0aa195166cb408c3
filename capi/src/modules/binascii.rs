//! gilgate's own `binascii` module (CPython builds it in; extensions such as xxtea import it):
//! `hexlify`/`b2a_hex`, `unhexlify`/`a2b_hex`, `crc32`, and the `Error` (a ValueError) and
//! `Incomplete` exception classes, with CPython's results and messages.

use crate::longobject::method;
use crate::methodobject::{METH_KEYWORDS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::PyObject;
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::decref;
use std::ffi::{CStr, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;

/// Addresses of the module and its `Error` class (created once, kept for the process).
static MODULE: OnceLock<(usize, usize)> = OnceLock::new();

fn error_class() -> *mut PyObject {
    module();
    MODULE
        .get()
        .map_or(null_mut(), |&(_, e)| e as *mut PyObject)
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
    unsafe {
        let pos = crate::tupleobject::items(args);
        let plural = |n: usize| if n == 1 { "" } else { "s" };
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
            let how = if names.len() == needed {
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

static mut FUNCTIONS: [PyMethodDef; 6] = [
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
    PyMethodDef::END,
];

/// The `binascii` module (a borrowed, process-lifetime reference; NULL with an exception if it
/// could not be made).
pub(crate) fn module() -> *mut PyObject {
    let &(m, _) = MODULE.get_or_init(|| build().unwrap_or((0, 0)));
    if m == 0 {
        crate::pyerrors::set_system_error("gilgate: the binascii module could not be created");
    }
    m as *mut PyObject
}

fn build() -> Option<(usize, usize)> {
    let name = crate::unicodeobject::intern("binascii");
    // SAFETY: `name` is a live str; the method table is static; every object put in the dict
    // is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return None;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let table = &raw mut FUNCTIONS;
        for i in 0..(*table).len() - 1 {
            let ml = (&raw mut (*table)[i]).cast::<PyMethodDef>();
            let f = crate::methodobject::new_cfunction(ml, m, name, null_mut());
            if f.is_null() {
                decref(m);
                return None;
            }
            let k = CStr::from_ptr((*ml).ml_name).to_string_lossy();
            crate::dictobject::set_item_str(d, &k, f);
            decref(f);
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
            return None;
        }
        crate::dictobject::set_item_str(d, "Error", error);
        crate::dictobject::set_item_str(d, "Incomplete", incomplete);
        decref(incomplete);
        // the module's dict and this table both keep `error` alive; the table's reference is
        // the one from PyErr_NewException
        Some((m as usize, error as usize))
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
