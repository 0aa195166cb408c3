//! `unicodeobject.h`: `str` with CPython 3.14t's compact (PEP 393) layouts, so that the
//! inline macros of extensions (`PyUnicode_DATA`, `PyUnicode_KIND`, `PyUnicode_GET_LENGTH`)
//! read the right bytes. Every str gilgate makes is compact: ASCII strings keep their data
//! right after the 56-byte `PyASCIIObject`; others after the 72-byte
//! `PyCompactUnicodeObject`, with a UTF-8 copy made at creation.

use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_UNICODE_SUBCLASS, PyObject, PyTypeObject, static_type, ty,
};
use crate::pyerrors::{EXC_SystemError, EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref};
use std::collections::HashMap;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, Ordering};

/// `PyASCIIObject` (56 bytes).
#[repr(C)]
pub struct PyASCIIObject {
    pub ob_base: PyObject,
    pub length: Py_ssize_t,
    pub hash: Py_hash_t,
    /// byte 0: interned; byte 1: kind bits 0-2, compact bit 3, ascii bit 4, static bit 5.
    pub state: u32,
    pub _pad: u32,
}

/// `PyCompactUnicodeObject` (72 bytes).
#[repr(C)]
pub struct PyCompactUnicodeObject {
    pub _base: PyASCIIObject,
    pub utf8_length: Py_ssize_t,
    pub utf8: *mut c_char,
}

/// `PyUnicodeObject` (80 bytes; only the legacy non-compact form uses `data`).
#[repr(C)]
pub struct PyUnicodeObject {
    pub _base: PyCompactUnicodeObject,
    pub data: *mut c_void,
}

pub const PyUnicode_1BYTE_KIND: u32 = 1;
pub const PyUnicode_2BYTE_KIND: u32 = 2;
pub const PyUnicode_4BYTE_KIND: u32 = 4;
pub const SSTATE_NOT_INTERNED: u32 = 0;
pub const SSTATE_INTERNED_MORTAL: u32 = 1;
pub const SSTATE_INTERNED_IMMORTAL: u32 = 2;

const STATE_COMPACT: u32 = 1 << 11;
const STATE_ASCII: u32 = 1 << 12;

#[unsafe(no_mangle)]
pub static mut PyUnicode_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(unicode_dealloc),
    tp_repr: Some(unicode_repr),
    tp_hash: Some(unicode_hash),
    tp_str: None,
    ..static_type(
        c"str",
        std::mem::size_of::<PyUnicodeObject>(),
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_UNICODE_SUBCLASS,
    )
};

/// Whether `op` is a str (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn is_str(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_UNICODE_SUBCLASS) }
}

/// Whether `op` is exactly a str.
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn is_exact_str(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == &raw mut PyUnicode_Type }
}

/// Builds a compact str from valid UTF-8. Returns a new reference or NULL (MemoryError).
pub fn from_str(s: &str) -> *mut PyObject {
    let (len, maxchar) = s
        .chars()
        .fold((0usize, 0u32), |(n, m), c| (n + 1, m.max(c as u32)));
    let ascii = maxchar < 0x80;
    let kind: usize = if maxchar < 0x100 {
        1
    } else if maxchar < 0x10000 {
        2
    } else {
        4
    };
    let header = if ascii {
        std::mem::size_of::<PyASCIIObject>()
    } else {
        std::mem::size_of::<PyCompactUnicodeObject>()
    };
    let size = header + (len + 1) * kind;
    let p = crate::pymem::calloc(1, size).cast::<PyObject>();
    if p.is_null() {
        return crate::pyerrors::no_memory();
    }
    // SAFETY: `p` is a fresh zeroed block of `size` bytes laid out as computed above.
    unsafe {
        crate::objimpl::init_header(p, &raw mut PyUnicode_Type);
        let a = p.cast::<PyASCIIObject>();
        (*a).length = len as Py_ssize_t;
        (*a).hash = -1;
        (*a).state = ((kind as u32) << 8) | STATE_COMPACT | if ascii { STATE_ASCII } else { 0 };
        let data = p.cast::<u8>().add(header);
        if ascii {
            std::ptr::copy_nonoverlapping(s.as_ptr(), data, s.len());
        } else {
            for (i, c) in s.chars().enumerate() {
                match kind {
                    1 => *data.add(i) = c as u32 as u8,
                    2 => data.cast::<u16>().add(i).write_unaligned(c as u32 as u16),
                    _ => data.cast::<u32>().add(i).write_unaligned(c as u32),
                }
            }
            let utf8 = crate::pymem::malloc(s.len() + 1).cast::<u8>();
            if utf8.is_null() {
                crate::pymem::free(p.cast());
                return crate::pyerrors::no_memory();
            }
            std::ptr::copy_nonoverlapping(s.as_ptr(), utf8, s.len());
            *utf8.add(s.len()) = 0;
            let c = p.cast::<PyCompactUnicodeObject>();
            (*c).utf8 = utf8.cast();
            (*c).utf8_length = s.len() as Py_ssize_t;
        }
    }
    p
}

/// Decodes `bytes` as UTF-8 into a new str; raises UnicodeDecodeError on invalid input.
pub fn from_utf8(bytes: &[u8]) -> *mut PyObject {
    match std::str::from_utf8(bytes) {
        Ok(s) => from_str(s),
        Err(e) => {
            let pos = e.valid_up_to();
            let reason = match e.error_len() {
                None => "unexpected end of data",
                Some(_) if bytes[pos] >= 0x80 && bytes[pos] < 0xc2 => "invalid start byte",
                Some(_) => "invalid continuation byte",
            };
            raise(
                &raw mut crate::pyerrors::EXC_UnicodeDecodeError,
                &format!(
                    "'utf-8' codec can't decode byte 0x{:02x} in position {pos}: {reason}",
                    bytes[pos]
                ),
            )
        }
    }
}

/// A new str from a NUL-terminated UTF-8 C string.
///
/// # Safety
/// `s` must be NULL or a NUL-terminated string.
pub unsafe fn from_cstr(s: *const c_char) -> *mut PyObject {
    if s.is_null() {
        crate::pyerrors::bad_internal_call();
        return null_mut();
    }
    // SAFETY: forwarded contract.
    from_utf8(unsafe { CStr::from_ptr(s) }.to_bytes())
}

/// The UTF-8 text of a str (borrowed for as long as the object lives).
///
/// # Safety
/// `op` must be a live object; the result must not outlive it.
pub unsafe fn as_str<'a>(op: *mut PyObject) -> Option<&'a str> {
    // SAFETY: forwarded contract; str data is valid UTF-8 by construction.
    unsafe {
        let (p, n) = utf8_ptr(op)?;
        Some(std::str::from_utf8_unchecked(std::slice::from_raw_parts(
            p.cast::<u8>(),
            n,
        )))
    }
}

/// The NUL-terminated UTF-8 of a str.
///
/// # Safety
/// `op` must be a live object; the result must not outlive it.
pub unsafe fn as_cstr(op: *mut PyObject) -> Option<*const c_char> {
    // SAFETY: forwarded contract.
    unsafe { utf8_ptr(op).map(|(p, _)| p) }
}

/// Pointer to the UTF-8 bytes and their length, for str objects gilgate can read.
unsafe fn utf8_ptr(op: *mut PyObject) -> Option<(*const c_char, usize)> {
    // SAFETY: `op` is a live object; for str objects the layout below holds.
    unsafe {
        if op.is_null() || !is_str(op) {
            return None;
        }
        let a = op.cast::<PyASCIIObject>();
        let st = (*a).state;
        if st & STATE_COMPACT != 0 && st & STATE_ASCII != 0 {
            let data = op.cast::<u8>().add(std::mem::size_of::<PyASCIIObject>());
            return Some((data.cast(), (*a).length as usize));
        }
        let c = op.cast::<PyCompactUnicodeObject>();
        if (*c).utf8.is_null() {
            return None;
        }
        Some(((*c).utf8, (*c).utf8_length as usize))
    }
}

/// Length in code points.
///
/// # Safety
/// `op` must be a live str.
pub unsafe fn length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe { (*op.cast::<PyASCIIObject>()).length }
}

/// Whether two str objects hold the same text.
///
/// # Safety
/// Both must be live str objects.
pub unsafe fn equal(a: *mut PyObject, b: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { as_str(a).is_some() && as_str(a) == as_str(b) }
}

/// FNV-1a over the UTF-8 bytes (never -1).
fn hash_text(s: &str) -> Py_hash_t {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let h = h as Py_hash_t;
    if h == -1 { -2 } else { h }
}

unsafe extern "C" fn unicode_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: `op` is a live str (slot contract); the cached hash is accessed atomically.
    unsafe {
        let cache = AtomicIsize::from_ptr(&raw mut (*op.cast::<PyASCIIObject>()).hash);
        let h = cache.load(Ordering::Relaxed);
        if h != -1 {
            return h;
        }
        let h = hash_text(as_str(op).unwrap_or(""));
        cache.store(h, Ordering::Relaxed);
        h
    }
}

unsafe extern "C" fn unicode_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead str allocated by `from_str` (slot contract).
    unsafe {
        let st = (*op.cast::<PyASCIIObject>()).state;
        if st & STATE_ASCII == 0 {
            let c = op.cast::<PyCompactUnicodeObject>();
            crate::pymem::free((*c).utf8.cast());
        }
        crate::objimpl::default_dealloc(op);
    }
}

/// `repr()` text of a string value.
pub fn repr_text(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

unsafe extern "C" fn unicode_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live str (slot contract).
    from_str(&repr_text(unsafe { as_str(op) }.unwrap_or("")))
}

// ---- interning --------------------------------------------------------------------------

struct Interned(*mut PyObject);
// SAFETY: interned strings are immortal and never mutated after creation.
unsafe impl Send for Interned {}

static INTERNED: Mutex<Option<HashMap<String, Interned>>> = Mutex::new(None);

/// The immortal interned str for `s` (a new reference, which costs nothing).
pub fn intern(s: &str) -> *mut PyObject {
    let mut g = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    let map = g.get_or_insert_with(HashMap::new);
    if let Some(p) = map.get(s) {
        return p.0;
    }
    let p = from_str(s);
    if p.is_null() {
        return p;
    }
    // SAFETY: `p` is a fresh str only we know about.
    unsafe {
        crate::refcount::tid(p).store(0, Ordering::Relaxed);
        crate::refcount::local(p).store(u32::MAX, Ordering::Relaxed);
        (*p).ob_flags |= crate::object::_Py_IMMORTAL_FLAGS;
        let a = p.cast::<PyASCIIObject>();
        (*a).state = ((*a).state & !0xff) | SSTATE_INTERNED_IMMORTAL;
        unicode_hash(p);
    }
    map.insert(s.to_owned(), Interned(p));
    p
}

// ---- exported API -------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_FromString(s: *const c_char) -> *mut PyObject {
    // SAFETY: a NUL-terminated string, per the C API contract.
    crate::ffi_guard::guard("PyUnicode_FromString", null_mut(), || unsafe {
        from_cstr(s)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_FromStringAndSize(
    s: *const c_char,
    n: Py_ssize_t,
) -> *mut PyObject {
    crate::ffi_guard::guard("PyUnicode_FromStringAndSize", null_mut(), || {
        if n < 0 {
            return raise(
                &raw mut EXC_SystemError,
                "Negative size passed to PyUnicode_FromStringAndSize",
            );
        }
        if s.is_null() {
            if n > 0 {
                return raise(
                    &raw mut EXC_SystemError,
                    "NULL string with positive size with NULL passed to PyUnicode_FromStringAndSize",
                );
            }
            return from_str("");
        }
        // SAFETY: `s` points to `n` readable bytes, per the C API contract.
        from_utf8(unsafe { std::slice::from_raw_parts(s.cast::<u8>(), n as usize) })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_InternFromString(s: *const c_char) -> *mut PyObject {
    crate::ffi_guard::guard("PyUnicode_InternFromString", null_mut(), || {
        if s.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        // SAFETY: a NUL-terminated string, per the C API contract.
        match unsafe { CStr::from_ptr(s) }.to_str() {
            Ok(t) => intern(t),
            // SAFETY: as above.
            Err(_) => unsafe { from_cstr(s) },
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_InternInPlace(p: *mut *mut PyObject) {
    crate::ffi_guard::guard("PyUnicode_InternInPlace", (), || {
        // SAFETY: `p` points to a reference the caller owns, per the C API contract.
        unsafe {
            let s = *p;
            if s.is_null() || !is_exact_str(s) {
                return;
            }
            let Some(t) = as_str(s) else { return };
            let i = intern(t);
            if !i.is_null() && i != s {
                *p = i;
                decref(s);
            }
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_AsUTF8AndSize(
    op: *mut PyObject,
    size: *mut Py_ssize_t,
) -> *const c_char {
    crate::ffi_guard::guard("PyUnicode_AsUTF8AndSize", std::ptr::null(), || {
        // SAFETY: a live object and NULL or a writable size, per the C API contract.
        unsafe {
            if op.is_null() || !is_str(op) {
                if !size.is_null() {
                    *size = -1;
                }
                raise(
                    &raw mut EXC_TypeError,
                    "bad argument type for built-in operation",
                );
                return std::ptr::null();
            }
            match utf8_ptr(op) {
                Some((p, n)) => {
                    if !size.is_null() {
                        *size = n as Py_ssize_t;
                    }
                    p
                }
                None => {
                    if !size.is_null() {
                        *size = -1;
                    }
                    raise(
                        &raw mut EXC_SystemError,
                        "gilgate: str object without UTF-8 data",
                    );
                    std::ptr::null()
                }
            }
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_AsUTF8(op: *mut PyObject) -> *const c_char {
    // SAFETY: as PyUnicode_AsUTF8AndSize with no size.
    crate::ffi_guard::guard("PyUnicode_AsUTF8", std::ptr::null(), || unsafe {
        PyUnicode_AsUTF8AndSize(op, null_mut())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_GetLength(op: *mut PyObject) -> Py_ssize_t {
    crate::ffi_guard::guard("PyUnicode_GetLength", -1, || {
        // SAFETY: a live object, per the C API contract.
        unsafe {
            if op.is_null() || !is_str(op) {
                raise(
                    &raw mut EXC_TypeError,
                    "bad argument type for built-in operation",
                );
                return -1;
            }
            length(op)
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_Compare(a: *mut PyObject, b: *mut PyObject) -> c_int {
    crate::ffi_guard::guard("PyUnicode_Compare", -1, || {
        // SAFETY: live objects, per the C API contract.
        unsafe {
            if is_str(a) && is_str(b) {
                return match as_str(a).cmp(&as_str(b)) {
                    std::cmp::Ordering::Less => -1,
                    std::cmp::Ordering::Equal => 0,
                    std::cmp::Ordering::Greater => 1,
                };
            }
            let (ta, tb) = (
                crate::object::type_name(ty(a)),
                crate::object::type_name(ty(b)),
            );
            raise(
                &raw mut EXC_TypeError,
                &format!("Can't compare {ta:.100} and {tb:.100}"),
            );
            -1
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_CompareWithASCIIString(
    a: *mut PyObject,
    s: *const c_char,
) -> c_int {
    crate::ffi_guard::guard("PyUnicode_CompareWithASCIIString", -1, || {
        // SAFETY: a live str and a NUL-terminated string, per the C API contract.
        unsafe {
            let x = as_str(a).unwrap_or("").as_bytes();
            let y = CStr::from_ptr(s).to_bytes();
            match x.cmp(y) {
                std::cmp::Ordering::Less => -1,
                std::cmp::Ordering::Equal => 0,
                std::cmp::Ordering::Greater => 1,
            }
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_EqualToUTF8AndSize(
    a: *mut PyObject,
    s: *const c_char,
    n: Py_ssize_t,
) -> c_int {
    crate::ffi_guard::guard("PyUnicode_EqualToUTF8AndSize", 0, || {
        // SAFETY: a live object and `n` readable bytes, per the C API contract.
        unsafe {
            if a.is_null() || !is_str(a) || n < 0 {
                return 0;
            }
            let y = std::slice::from_raw_parts(s.cast::<u8>(), n as usize);
            c_int::from(as_str(a).is_some_and(|x| x.as_bytes() == y))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_EqualToUTF8(a: *mut PyObject, s: *const c_char) -> c_int {
    crate::ffi_guard::guard("PyUnicode_EqualToUTF8", 0, || {
        // SAFETY: a live object and a NUL-terminated string, per the C API contract.
        unsafe {
            if a.is_null() || !is_str(a) {
                return 0;
            }
            c_int::from(as_str(a).is_some_and(|x| x.as_bytes() == CStr::from_ptr(s).to_bytes()))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_Equal(a: *mut PyObject, b: *mut PyObject) -> c_int {
    crate::ffi_guard::guard("PyUnicode_Equal", -1, || {
        // SAFETY: live objects, per the C API contract.
        unsafe {
            for o in [a, b] {
                if !is_str(o) {
                    let t = crate::object::type_name(ty(o));
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("first argument must be str, not {t}"),
                    );
                    return -1;
                }
            }
            c_int::from(equal(a, b))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicode_Concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("PyUnicode_Concat", null_mut(), || {
        // SAFETY: live objects, per the C API contract.
        unsafe {
            match (as_str(a), as_str(b)) {
                (Some(x), Some(y)) => from_str(&format!("{x}{y}")),
                _ => {
                    let t = crate::object::type_name(ty(if is_str(a) { b } else { a }));
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("can only concatenate str (not \"{t}\") to str"),
                    )
                }
            }
        }
    })
}

// ---- helpers for the C shim (`capi/c/format.c`) --------------------------------------------

/// Appends `text` to a format buffer, honouring width and precision in code points.
fn push_padded(buf: &mut String, text: &str, width: isize, prec: isize) {
    let text: String = if prec >= 0 {
        text.chars().take(prec as usize).collect()
    } else {
        text.to_owned()
    };
    let n = text.chars().count() as isize;
    if width > n {
        buf.extend(std::iter::repeat_n(' ', (width - n) as usize));
    }
    buf.push_str(&text);
}

/// A format buffer owned by Rust while the C shim walks a format string.
pub struct FormatBuffer(String);

#[unsafe(no_mangle)]
pub extern "C" fn _gilgate_fmt_new() -> *mut FormatBuffer {
    Box::into_raw(Box::new(FormatBuffer(String::new())))
}

/// Appends raw bytes (UTF-8; invalid sequences become U+FFFD).
///
/// # Safety
/// `b` must come from `_gilgate_fmt_new`; `p` must point to `n` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _gilgate_fmt_bytes(b: *mut FormatBuffer, p: *const c_char, n: usize) {
    crate::ffi_guard::guard("_gilgate_fmt_bytes", (), || {
        // SAFETY: forwarded contract.
        unsafe {
            let bytes = std::slice::from_raw_parts(p.cast::<u8>(), n);
            (*b).0.push_str(&String::from_utf8_lossy(bytes));
        }
    })
}

/// Appends a C string (`%s`): at most `prec` bytes (-1 = all) decoded as UTF-8 with
/// replacement, padded to `width` characters (-1 = none).
///
/// # Safety
/// `b` must come from `_gilgate_fmt_new`; `s` must be NULL or NUL-terminated (or have at
/// least `prec` readable bytes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _gilgate_fmt_cstr(
    b: *mut FormatBuffer,
    s: *const c_char,
    width: isize,
    prec: isize,
) {
    crate::ffi_guard::guard("_gilgate_fmt_cstr", (), || {
        // SAFETY: forwarded contract.
        unsafe {
            let t = if s.is_null() {
                "(null)".into()
            } else {
                let n = if prec >= 0 {
                    libc::strnlen(s, prec as usize)
                } else {
                    libc::strlen(s)
                };
                String::from_utf8_lossy(std::slice::from_raw_parts(s.cast::<u8>(), n)).into_owned()
            };
            push_padded(&mut (*b).0, &t, width, -1);
        }
    })
}

/// Appends an object-valued unit: `conv` is b'U' (str as is), b'S' (str()), b'R' (repr()),
/// b'A' (ascii()), b'V' (the object if not NULL, else `fallback`), b'T' (the object's type
/// name), b'N' (a type's name). Returns -1 with an
/// exception set on failure.
///
/// # Safety
/// `b` must come from `_gilgate_fmt_new`; `obj` NULL or live; `fallback` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _gilgate_fmt_object(
    b: *mut FormatBuffer,
    conv: c_int,
    obj: *mut PyObject,
    fallback: *const c_char,
    width: isize,
    prec: isize,
) -> c_int {
    crate::ffi_guard::guard("_gilgate_fmt_object", -1, || {
        // SAFETY: forwarded contract.
        unsafe {
            if conv == c_int::from(b'V') && obj.is_null() {
                _gilgate_fmt_cstr(b, fallback, width, prec);
                return 0;
            }
            if obj.is_null() {
                crate::pyerrors::bad_internal_call();
                return -1;
            }
            let s = match conv as u8 {
                b'T' => from_str(&crate::object::type_name(ty(obj))),
                b'N' if crate::object::is_type(obj) => {
                    from_str(&crate::object::type_name(obj.cast()))
                }
                b'N' => {
                    let t = crate::object::type_name(ty(obj));
                    return {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("%N argument must be a type; got {t}"),
                        );
                        -1
                    };
                }
                b'U' | b'V' => new_ref(obj),
                b'S' => crate::object::str(obj),
                _ => crate::object::repr(obj),
            };
            if s.is_null() {
                return -1;
            }
            let mut text = as_str(s).unwrap_or("").to_owned();
            decref(s);
            if conv as u8 == b'A' {
                text = text
                    .chars()
                    .map(|c| match c as u32 {
                        0..0x80 => c.to_string(),
                        n @ 0x80..0x100 => format!("\\x{n:02x}"),
                        n @ 0x100..0x10000 => format!("\\u{n:04x}"),
                        n => format!("\\U{n:08x}"),
                    })
                    .collect();
            }
            push_padded(&mut (*b).0, &text, width, prec);
            0
        }
    })
}

/// Turns the buffer into a str (new reference) and frees it. `fail` != 0 only frees it.
///
/// # Safety
/// `b` must come from `_gilgate_fmt_new` and not be used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _gilgate_fmt_finish(b: *mut FormatBuffer, fail: c_int) -> *mut PyObject {
    // SAFETY: forwarded contract; the box was made by `_gilgate_fmt_new`.
    let buf = unsafe { Box::from_raw(b) };
    if fail != 0 {
        return null_mut();
    }
    crate::ffi_guard::guard("_gilgate_fmt_finish", null_mut(), || from_str(&buf.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_layout_and_text() {
        let s = from_str("hello");
        // SAFETY: `s` is a fresh str.
        unsafe {
            let a = s.cast::<PyASCIIObject>();
            assert_eq!((*a).length, 5);
            let state_bytes = (*a).state.to_le_bytes();
            assert_eq!(state_bytes[0], 0);
            assert_eq!(state_bytes[1] & 7, 1, "kind");
            assert_ne!(state_bytes[1] & 8, 0, "compact");
            assert_ne!(state_bytes[1] & 16, 0, "ascii");
            let data = s.cast::<u8>().add(56);
            assert_eq!(std::slice::from_raw_parts(data, 6), b"hello\0");
            assert_eq!(as_str(s), Some("hello"));
            decref(s);
        }
    }

    #[test]
    fn non_ascii_kinds_and_utf8() {
        for (text, kind) in [("caf\u{e9}", 1u8), ("\u{3b1}\u{3b2}", 2), ("\u{1f600}x", 4)] {
            let s = from_str(text);
            // SAFETY: `s` is a fresh str.
            unsafe {
                let st = (*s.cast::<PyASCIIObject>()).state.to_le_bytes();
                assert_eq!(st[1] & 7, kind);
                assert_eq!(st[1] & 16, 0);
                assert_eq!(as_str(s), Some(text));
                let data = s.cast::<u8>().add(72);
                let first = match kind {
                    1 => u32::from(*data),
                    2 => u32::from(data.cast::<u16>().read_unaligned()),
                    _ => data.cast::<u32>().read_unaligned(),
                };
                assert_eq!(first, text.chars().next().unwrap() as u32);
                decref(s);
            }
        }
    }

    #[test]
    fn interning_returns_one_immortal_object() {
        let a = intern("gilgate_name");
        let b = intern("gilgate_name");
        assert_eq!(a, b);
        // SAFETY: interned strings are immortal.
        unsafe { assert!(crate::refcount::is_immortal(a)) };
    }

    #[test]
    fn repr_quotes() {
        assert_eq!(repr_text("a'b"), "\"a'b\"");
        assert_eq!(repr_text("a\nb"), "'a\\nb'");
    }
}
