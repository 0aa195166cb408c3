//! The Python-level methods `bytes` and `bytearray` share (CPython keeps them in
//! `Objects/bytes_methods.c`): searching, splitting, case mapping, padding, `hex`/`fromhex`,
//! `decode`, `translate`, ... Each method works on a copy of the receiver's bytes (bytearray's
//! taken under its lock) and builds its result with the receiver's kind: a `bytes` for bytes
//! and its subclasses, a `bytearray` for bytearray. The method tables of both types are here;
//! bytearray's mutators (`append`, `pop`, ...) live in `bytearrayobject.rs` and are listed in
//! its table below.

use crate::bytearrayobject::{self as ba, is_bytearray};
use crate::bytesobject::{self as bo, bytes_like};
use crate::methodobject::PyMethodDef;
use crate::object::{PyObject, none, tname};
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::unicodeobject::methods::{bind, bind_req, count_arg, index_arg, nargs};
use std::borrow::Cow;
use std::ffi::CString;
use std::ptr::null_mut;

pub(crate) type Noargs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
pub(crate) type Fast =
    unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
pub(crate) type FastKw = unsafe extern "C" fn(
    *mut PyObject,
    *const *mut PyObject,
    Py_ssize_t,
    *mut PyObject,
) -> *mut PyObject;

/// One method-table entry whose C trampoline calls a Rust function under the panic guard:
/// `noargs` `f(op)`, `o` `f(op, arg)`, `fast` `f(op, args)`, `kw` `f(op, args, n, kwnames)`;
/// `class_o`/`static_fast` add `METH_CLASS`/`METH_STATIC`.
macro_rules! def {
    ($name:literal, noargs, $f:path) => {{
        unsafe extern "C" fn t(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
            // SAFETY: METH_NOARGS on a live receiver.
            crate::ffi_guard::guard(stringify!($f), std::ptr::null_mut(), || unsafe { $f(op) })
        }
        crate::longobject::method(
            $name,
            t as $crate::bytes_methods::Noargs as *mut std::ffi::c_void,
            crate::methodobject::METH_NOARGS,
        )
    }};
    ($name:literal, o, $f:path) => {
        $crate::bytes_methods::def!(@o $name, $f, crate::methodobject::METH_O)
    };
    ($name:literal, class_o, $f:path) => {
        $crate::bytes_methods::def!(@o $name, $f, crate::methodobject::METH_O | crate::methodobject::METH_CLASS)
    };
    (@o $name:literal, $f:path, $flags:expr) => {{
        unsafe extern "C" fn t(op: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
            // SAFETY: METH_O on a live receiver and a live argument.
            crate::ffi_guard::guard(stringify!($f), std::ptr::null_mut(), || unsafe { $f(op, a) })
        }
        crate::longobject::method(
            $name,
            t as $crate::bytes_methods::Noargs as *mut std::ffi::c_void,
            $flags,
        )
    }};
    ($name:literal, fast, $f:path) => {
        $crate::bytes_methods::def!(@fast $name, $f, crate::methodobject::METH_FASTCALL)
    };
    ($name:literal, class_fast, $f:path) => {
        $crate::bytes_methods::def!(@fast $name, $f, crate::methodobject::METH_FASTCALL | crate::methodobject::METH_CLASS)
    };
    ($name:literal, static_fast, $f:path) => {
        $crate::bytes_methods::def!(@fast $name, $f, crate::methodobject::METH_FASTCALL | crate::methodobject::METH_STATIC)
    };
    (@fast $name:literal, $f:path, $flags:expr) => {{
        unsafe extern "C" fn t(
            op: *mut PyObject,
            args: *const *mut PyObject,
            n: crate::pyport::Py_ssize_t,
        ) -> *mut PyObject {
            // SAFETY: METH_FASTCALL: `n` live arguments.
            crate::ffi_guard::guard(stringify!($f), std::ptr::null_mut(), || unsafe {
                $f(op, crate::unicodeobject::methods::slice(args, n))
            })
        }
        crate::longobject::method(
            $name,
            t as $crate::bytes_methods::Fast as *mut std::ffi::c_void,
            $flags,
        )
    }};
    ($name:literal, kw, $f:path) => {
        $crate::bytes_methods::def!(@kw $name, $f, crate::methodobject::METH_FASTCALL | crate::methodobject::METH_KEYWORDS)
    };
    ($name:literal, static_kw, $f:path) => {
        $crate::bytes_methods::def!(@kw $name, $f, crate::methodobject::METH_FASTCALL | crate::methodobject::METH_KEYWORDS
            | crate::methodobject::METH_STATIC)
    };
    ($name:literal, class_kw, $f:path) => {
        $crate::bytes_methods::def!(@kw $name, $f, crate::methodobject::METH_FASTCALL | crate::methodobject::METH_KEYWORDS
            | crate::methodobject::METH_CLASS)
    };
    (@kw $name:literal, $f:path, $flags:expr) => {{
        unsafe extern "C" fn t(
            op: *mut PyObject,
            args: *const *mut PyObject,
            n: crate::pyport::Py_ssize_t,
            kw: *mut PyObject,
        ) -> *mut PyObject {
            // SAFETY: METH_FASTCALL | METH_KEYWORDS: `n` live arguments, then the keywords'.
            crate::ffi_guard::guard(stringify!($f), std::ptr::null_mut(), || unsafe {
                $f(op, args, n, kw)
            })
        }
        crate::longobject::method(
            $name,
            t as $crate::bytes_methods::FastKw as *mut std::ffi::c_void,
            $flags,
        )
    }};
}
pub(crate) use def;

// ---- receiver and arguments -------------------------------------------------------------------

/// The receiver's bytes: borrowed for bytes, a copy (taken under the lock) for bytearray.
///
/// # Safety
/// `op` is a live bytes or bytearray.
pub(crate) unsafe fn data<'a>(op: *mut PyObject) -> Cow<'a, [u8]> {
    // SAFETY: forwarded contract.
    unsafe {
        if is_bytearray(op) {
            Cow::Owned(ba::snapshot(op))
        } else {
            Cow::Borrowed(bo::as_bytes(op))
        }
    }
}

/// A new object of the receiver's kind (bytearray for bytearray, else bytes).
///
/// # Safety
/// `op` is live.
unsafe fn make(op: *mut PyObject, v: &[u8]) -> *mut PyObject {
    // SAFETY: forwarded contract.
    if unsafe { is_bytearray(op) } {
        ba::from_bytes(v)
    } else {
        bo::from_bytes(v)
    }
}

fn int(v: i64) -> *mut PyObject {
    crate::longobject::from_i128(i128::from(v))
}

fn boolean(b: bool) -> *mut PyObject {
    crate::boolobject::from_bool(b)
}

/// A list of new objects of the receiver's kind.
///
/// # Safety
/// `op` is live.
unsafe fn list_of(op: *mut PyObject, parts: &[&[u8]]) -> *mut PyObject {
    // SAFETY: forwarded contract; every item is a new reference handed to the list.
    unsafe {
        let l = crate::listobject::PyList_New(0);
        if l.is_null() {
            return l;
        }
        for p in parts {
            let x = make(op, p);
            if x.is_null() || crate::listobject::PyList_Append(l, x) < 0 {
                crate::refcount::xdecref(x);
                crate::refcount::decref(l);
                return null_mut();
            }
            crate::refcount::decref(x);
        }
        l
    }
}

/// A 3-tuple of new objects of the receiver's kind.
///
/// # Safety
/// `op` is live.
unsafe fn triple(op: *mut PyObject, a: &[u8], b: &[u8], c: &[u8]) -> *mut PyObject {
    let items = [a, b, c].map(|p| {
        // SAFETY: forwarded contract.
        unsafe { make(op, p) }
    });
    if items.iter().any(|p| p.is_null()) {
        for p in items {
            // SAFETY: our references (or NULL).
            unsafe { crate::refcount::xdecref(p) };
        }
        return null_mut();
    }
    // SAFETY: our references, handed over.
    unsafe { own_tuple(&items) }
}

/// A tuple of `items`, whose (non-NULL) references it takes.
///
/// # Safety
/// `items` are owned references.
pub(crate) unsafe fn own_tuple(items: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded contract; from_slice takes its own references.
    unsafe {
        let t = crate::tupleobject::from_slice(items);
        for &p in items {
            crate::refcount::decref(p);
        }
        t
    }
}

/// A `Py_ssize_t` argument converted with `__index__`.
///
/// # Safety
/// `o` is live.
unsafe fn ssize(o: *mut PyObject) -> Result<Py_ssize_t, ()> {
    // SAFETY: forwarded contract.
    unsafe { count_arg(Some(&o)) }
}

/// The `sub` argument of the find family: an int in range(256) or a bytes-like object.
///
/// # Safety
/// `o` is live.
unsafe fn sub_arg(o: *mut PyObject) -> Result<Vec<u8>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        match crate::sliceobject::index_value(o) {
            Err(()) => return Err(()),
            Ok(Some(v)) if (0..256).contains(&v) => return Ok(vec![v as u8]),
            Ok(Some(_)) => {
                raise(&raw mut EXC_ValueError, "byte must be in range(0, 256)");
                return Err(());
            }
            Ok(None) => {}
        }
        if crate::pybuffer::check_buffer(o) {
            return bytes_like(o).ok_or(());
        }
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "argument should be integer or bytes-like object, not '{}'",
                tname(o)
            ),
        );
        Err(())
    }
}

/// A bytes-like argument (`a bytes-like object is required, not 'T'`).
///
/// # Safety
/// `o` is live.
unsafe fn buf(o: *mut PyObject) -> Result<Vec<u8>, ()> {
    // SAFETY: forwarded contract.
    unsafe { bytes_like(o).ok_or(()) }
}

/// Slice bounds as CPython adjusts them for searching (`ADJUST_INDICES`): `start` may stay
/// past the end.
fn adjust(start: Py_ssize_t, end: Py_ssize_t, len: usize) -> (Py_ssize_t, Py_ssize_t) {
    let len = len as Py_ssize_t;
    let start = if start < 0 {
        (start + len).max(0)
    } else {
        start
    };
    let end = if end > len {
        len
    } else if end < 0 {
        (end + len).max(0)
    } else {
        end
    };
    (start, end)
}

/// Python's `isspace` on a byte (ASCII whitespace).
pub(crate) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn find_in(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind_in(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(hay.len());
    }
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Non-overlapping occurrences of a non-empty `needle`, at most `max` (negative: all).
fn count_in(hay: &[u8], needle: &[u8], max: Py_ssize_t) -> usize {
    let mut n = 0;
    let mut i = 0;
    while max < 0 || (n as Py_ssize_t) < max {
        match find_in(&hay[i..], needle) {
            Some(p) => {
                n += 1;
                i += p + needle.len();
            }
            None => break,
        }
    }
    n
}

// ---- hex / fromhex / decode -----------------------------------------------------------------

/// `hex(sep, bytes_per_sep)` of any byte string (bytes, bytearray, memoryview): `sep` NULL for
/// none; the separator goes between groups of `bytes_per_sep` counted from the right (from the
/// left when negative).
///
/// # Safety
/// `sep` and `per` NULL or live.
pub(crate) unsafe fn hex_of(d: &[u8], sep: *mut PyObject, per: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let sepc = if sep.is_null() {
            None
        } else {
            let n = crate::abstract_::PyObject_Size(sep);
            if n < 0 {
                return null_mut();
            }
            if n != 1 {
                return raise(&raw mut EXC_ValueError, "sep must be length 1.");
            }
            let c = if crate::unicodeobject::is_str(sep) {
                crate::unicodeobject::chars(sep)[0]
            } else {
                let Ok(b) = buf(sep) else { return null_mut() };
                u32::from(b[0])
            };
            if c > 0x7f {
                return raise(&raw mut EXC_ValueError, "sep must be ASCII.");
            }
            Some(c as u8 as char)
        };
        let per = if per.is_null() {
            1
        } else {
            match ssize(per) {
                Ok(v) => v,
                Err(()) => return null_mut(),
            }
        };
        let mut out = String::with_capacity(d.len() * 3);
        let group = per.unsigned_abs();
        let first = match sepc {
            Some(_) if per != 0 && group < d.len() => {
                if per > 0 {
                    match d.len() % group {
                        0 => group,
                        r => r,
                    }
                } else {
                    group
                }
            }
            _ => usize::MAX,
        };
        for (i, b) in d.iter().enumerate() {
            if i > 0
                && first != usize::MAX
                && (i == first || (i > first && (i - first).is_multiple_of(group)))
            {
                out.push(sepc.unwrap_or(':'));
            }
            out.push_str(&format!("{b:02x}"));
        }
        crate::unicodeobject::from_str(&out)
    }
}

unsafe fn m_hex(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS contract.
    unsafe {
        let Ok(a) = bind("hex", args, n, kw, &["sep", "bytes_per_sep"], 0) else {
            return null_mut();
        };
        let g = |i: usize| a.get(i).copied().unwrap_or(null_mut());
        hex_of(&data(op), g(0), g(1))
    }
}

fn hex_digit(c: u32) -> Option<u8> {
    char::from_u32(c)
        .and_then(|c| c.to_digit(16))
        .map(|d| d as u8)
}

/// `bytes.fromhex(string)` / `bytearray.fromhex(string)` (class methods); a subclass is called
/// with the bytes, as CPython does.
unsafe fn m_fromhex(cls: *mut PyObject, s: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS: a live class and argument.
    unsafe {
        let units: Vec<u32> = if crate::unicodeobject::is_str(s) {
            crate::unicodeobject::chars(s)
        } else if crate::pybuffer::check_buffer(s) {
            let Ok(b) = buf(s) else { return null_mut() };
            b.into_iter().map(u32::from).collect()
        } else {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "fromhex() argument must be str or bytes-like, not {}",
                    tname(s)
                ),
            );
        };
        let mut out = Vec::with_capacity(units.len() / 2);
        let mut i = 0;
        while i < units.len() {
            let c = units[i];
            if c < 0x80 && is_space(c as u8) {
                i += 1;
                continue;
            }
            let Some(hi) = hex_digit(c) else {
                return raise(
                    &raw mut EXC_ValueError,
                    &format!("non-hexadecimal number found in fromhex() arg at position {i}"),
                );
            };
            let Some(lo) = units.get(i + 1).and_then(|&c| hex_digit(c)) else {
                if i + 1 >= units.len() {
                    return raise(
                        &raw mut EXC_ValueError,
                        "fromhex() arg must contain an even number of hexadecimal digits",
                    );
                }
                return raise(
                    &raw mut EXC_ValueError,
                    &format!(
                        "non-hexadecimal number found in fromhex() arg at position {}",
                        i + 1
                    ),
                );
            };
            out.push(hi << 4 | lo);
            i += 2;
        }
        let t = cls.cast::<crate::object::PyTypeObject>();
        let r = if crate::object::is_subtype(t, &raw mut ba::PyByteArray_Type) {
            ba::from_bytes(&out)
        } else {
            bo::from_bytes(&out)
        };
        if r.is_null() || t == &raw mut ba::PyByteArray_Type || t == &raw mut bo::PyBytes_Type {
            return r;
        }
        let x = crate::abstract_::call_args(cls, &[r]);
        crate::refcount::decref(r);
        x
    }
}

unsafe fn m_decode(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS contract.
    unsafe {
        const PARAMS: [&str; 2] = ["encoding", "errors"];
        let Ok(a) = bind("decode", args, n, kw, &PARAMS, 0) else {
            return null_mut();
        };
        let mut texts: [Option<CString>; 2] = [None, None];
        for (i, &x) in a.iter().enumerate() {
            if x.is_null() {
                continue;
            }
            let Some(s) =
                crate::unicodeobject::as_str(x).filter(|_| crate::unicodeobject::is_str(x))
            else {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "decode() argument '{}' must be str, not {}",
                        PARAMS[i],
                        tname(x)
                    ),
                );
            };
            let Ok(c) = CString::new(s) else {
                return raise(&raw mut EXC_ValueError, "embedded null character");
            };
            texts[i] = Some(c);
        }
        let enc = texts[0].as_ref().map_or(c"utf-8".as_ptr(), |c| c.as_ptr());
        let err = texts[1].as_ref().map_or(c"strict".as_ptr(), |c| c.as_ptr());
        let d = data(op);
        crate::unicodeobject::PyUnicode_Decode(d.as_ptr().cast(), d.len() as Py_ssize_t, enc, err)
    }
}

// ---- searching ------------------------------------------------------------------------------

/// `startswith`/`endswith(prefix[, start[, end]])`.
unsafe fn tailmatch(
    name: &str,
    op: *mut PyObject,
    a: &[*mut PyObject],
    suffix: bool,
) -> *mut PyObject {
    if !nargs(name, a.len() as Py_ssize_t, 1, 3) {
        return null_mut();
    }
    // SAFETY: live arguments (method contract).
    unsafe {
        let (Ok(start), Ok(end)) = (index_arg(a.get(1), 0), index_arg(a.get(2), Py_ssize_t::MAX))
        else {
            return null_mut();
        };
        let d = data(op);
        let one = |sub: &[u8]| -> bool {
            let len = d.len() as Py_ssize_t;
            let (mut s, e) = adjust(start, end, d.len());
            let sl = sub.len() as Py_ssize_t;
            if !suffix {
                if s > len - sl {
                    return false;
                }
            } else {
                if e - s < sl || s > len {
                    return false;
                }
                if e - sl > s {
                    s = e - sl;
                }
            }
            if e - s < sl {
                return false;
            }
            &d[s as usize..(s + sl) as usize] == sub
        };
        if crate::tupleobject::is_tuple(a[0]) {
            for &x in crate::tupleobject::items(a[0]) {
                let Ok(sub) = buf(x) else { return null_mut() };
                if one(&sub) {
                    return boolean(true);
                }
            }
            return boolean(false);
        }
        if !crate::pybuffer::check_buffer(a[0]) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{name} first arg must be bytes or a tuple of bytes, not {}",
                    tname(a[0])
                ),
            );
        }
        let Ok(sub) = buf(a[0]) else {
            return null_mut();
        };
        boolean(one(&sub))
    }
}

unsafe fn m_startswith(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { tailmatch("startswith", op, a, false) }
}

unsafe fn m_endswith(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { tailmatch("endswith", op, a, true) }
}

/// The receiver's bytes, the needle and the adjusted bounds of a search.
type Search<'a> = (Cow<'a, [u8]>, Vec<u8>, usize, usize);

/// The common part of find/rfind/index/rindex/count: the data, needle and adjusted bounds.
///
/// # Safety
/// live receiver and arguments.
unsafe fn search_args<'a>(
    name: &str,
    op: *mut PyObject,
    a: &[*mut PyObject],
) -> Result<Search<'a>, ()> {
    if !nargs(name, a.len() as Py_ssize_t, 1, 3) {
        return Err(());
    }
    // SAFETY: forwarded contract.
    unsafe {
        let sub = sub_arg(a[0])?;
        let start = index_arg(a.get(1), 0)?;
        let end = index_arg(a.get(2), Py_ssize_t::MAX)?;
        let d = data(op);
        let (s, e) = adjust(start, end, d.len());
        Ok((d, sub, s as usize, e.max(0) as usize))
    }
}

/// `find`-like: `rev` for the last occurrence, `raise_missing` for `index`.
unsafe fn find(
    name: &str,
    op: *mut PyObject,
    a: &[*mut PyObject],
    rev: bool,
    raise_missing: bool,
) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    let Ok((d, sub, s, e)) = (unsafe { search_args(name, op, a) }) else {
        return null_mut();
    };
    let found = if e < s || e - s < sub.len() {
        None
    } else if rev {
        rfind_in(&d[s..e], &sub).map(|p| p + s)
    } else {
        find_in(&d[s..e], &sub).map(|p| p + s)
    };
    match found {
        Some(p) => int(p as i64),
        None if raise_missing => raise(&raw mut EXC_ValueError, "subsection not found"),
        None => int(-1),
    }
}

unsafe fn m_find(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { find("find", op, a, false, false) }
}
unsafe fn m_rfind(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { find("rfind", op, a, true, false) }
}
unsafe fn m_index(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { find("index", op, a, false, true) }
}
unsafe fn m_rindex(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { find("rindex", op, a, true, true) }
}

unsafe fn m_count(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    let Ok((d, sub, s, e)) = (unsafe { search_args("count", op, a) }) else {
        return null_mut();
    };
    if e < s || e - s < sub.len() {
        return int(0);
    }
    if sub.is_empty() {
        return int((e - s + 1) as i64);
    }
    int(count_in(&d[s..e], &sub, -1) as i64)
}

// ---- joining, splitting ----------------------------------------------------------------------

unsafe fn m_join(op: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe {
        let sep = data(op);
        let Ok(items) = crate::iterobject::collect(seq) else {
            if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                crate::pyerrors::clear();
                return raise(&raw mut EXC_TypeError, "can only join an iterable");
            }
            return null_mut();
        };
        let mut out = Vec::new();
        for (i, &o) in items.iter().enumerate() {
            if !crate::pybuffer::check_buffer(o) {
                let t = tname(o);
                crate::iterobject::release_all(items);
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("sequence item {i}: expected a bytes-like object, {t} found"),
                );
            }
            let Some(b) = bytes_like(o) else {
                crate::iterobject::release_all(items);
                return null_mut();
            };
            if i > 0 {
                out.extend_from_slice(&sep);
            }
            out.extend_from_slice(&b);
        }
        crate::iterobject::release_all(items);
        make(op, &out)
    }
}

/// The `sep`/`maxsplit` arguments of split/rsplit: `None` sep for whitespace.
unsafe fn split_args(
    name: &str,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> Result<(Option<Vec<u8>>, Py_ssize_t), ()> {
    // SAFETY: forwarded METH_FASTCALL | METH_KEYWORDS contract.
    unsafe {
        let a = bind(name, args, n, kw, &["sep", "maxsplit"], 0)?;
        let sep = match a.first() {
            Some(&s) if !s.is_null() && s != none() => {
                let v = buf(s)?;
                if v.is_empty() {
                    raise(&raw mut EXC_ValueError, "empty separator");
                    return Err(());
                }
                Some(v)
            }
            _ => None,
        };
        let max = match a.get(1) {
            Some(&m) if !m.is_null() => ssize(m)?,
            _ => -1,
        };
        Ok((sep, max))
    }
}

fn split_ws(d: &[u8], max: Py_ssize_t) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = d.len();
    let mut left = if max < 0 { usize::MAX } else { max as usize };
    loop {
        while i < n && is_space(d[i]) {
            i += 1;
        }
        if i == n {
            break;
        }
        if left == 0 {
            out.push(&d[i..]);
            break;
        }
        let j = i;
        while i < n && !is_space(d[i]) {
            i += 1;
        }
        out.push(&d[j..i]);
        left -= 1;
    }
    out
}

fn rsplit_ws(d: &[u8], max: Py_ssize_t) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = d.len();
    let mut left = if max < 0 { usize::MAX } else { max as usize };
    loop {
        while i > 0 && is_space(d[i - 1]) {
            i -= 1;
        }
        if i == 0 {
            break;
        }
        if left == 0 {
            out.push(&d[..i]);
            break;
        }
        let j = i;
        while i > 0 && !is_space(d[i - 1]) {
            i -= 1;
        }
        out.push(&d[i..j]);
        left -= 1;
    }
    out.reverse();
    out
}

fn split_sep<'a>(d: &'a [u8], sep: &[u8], max: Py_ssize_t) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut left = if max < 0 { usize::MAX } else { max as usize };
    while left > 0 {
        match find_in(&d[i..], sep) {
            Some(p) => {
                out.push(&d[i..i + p]);
                i += p + sep.len();
                left -= 1;
            }
            None => break,
        }
    }
    out.push(&d[i..]);
    out
}

fn rsplit_sep<'a>(d: &'a [u8], sep: &[u8], max: Py_ssize_t) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut j = d.len();
    let mut left = if max < 0 { usize::MAX } else { max as usize };
    while left > 0 {
        match rfind_in(&d[..j], sep) {
            Some(p) if p + sep.len() <= j => {
                out.push(&d[p + sep.len()..j]);
                j = p;
                left -= 1;
            }
            _ => break,
        }
    }
    out.push(&d[..j]);
    out.reverse();
    out
}

unsafe fn m_split(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS contract.
    unsafe {
        let Ok((sep, max)) = split_args("split", args, n, kw) else {
            return null_mut();
        };
        let d = data(op);
        let parts = match &sep {
            None => split_ws(&d, max),
            Some(s) => split_sep(&d, s, max),
        };
        list_of(op, &parts)
    }
}

unsafe fn m_rsplit(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS contract.
    unsafe {
        let Ok((sep, max)) = split_args("rsplit", args, n, kw) else {
            return null_mut();
        };
        let d = data(op);
        let parts = match &sep {
            None => rsplit_ws(&d, max),
            Some(s) => rsplit_sep(&d, s, max),
        };
        list_of(op, &parts)
    }
}

unsafe fn m_splitlines(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS contract.
    unsafe {
        let Ok(a) = bind("splitlines", args, n, kw, &["keepends"], 0) else {
            return null_mut();
        };
        let keep = match a.first() {
            Some(&k) if !k.is_null() => match crate::object::PyObject_IsTrue(k) {
                r if r < 0 => return null_mut(),
                r => r == 1,
            },
            _ => false,
        };
        let d = data(op);
        let mut parts = Vec::new();
        let mut i = 0;
        while i < d.len() {
            let start = i;
            while i < d.len() && d[i] != b'\n' && d[i] != b'\r' {
                i += 1;
            }
            let mut eol = i;
            if i < d.len() {
                if d[i] == b'\r' && d.get(i + 1) == Some(&b'\n') {
                    i += 2;
                } else {
                    i += 1;
                }
                if keep {
                    eol = i;
                }
            }
            parts.push(&d[start..eol]);
        }
        list_of(op, &parts)
    }
}

/// `partition`/`rpartition(sep)`.
unsafe fn partition(op: *mut PyObject, sep: *mut PyObject, rev: bool) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe {
        let Ok(s) = buf(sep) else { return null_mut() };
        if s.is_empty() {
            return raise(&raw mut EXC_ValueError, "empty separator");
        }
        let d = data(op);
        let at = if rev {
            rfind_in(&d, &s)
        } else {
            find_in(&d, &s)
        };
        match at {
            Some(p) => triple(op, &d[..p], &s, &d[p + s.len()..]),
            None if rev => triple(op, b"", b"", &d),
            None => triple(op, &d, b"", b""),
        }
    }
}

unsafe fn m_partition(op: *mut PyObject, sep: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { partition(op, sep, false) }
}
unsafe fn m_rpartition(op: *mut PyObject, sep: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { partition(op, sep, true) }
}

// ---- trimming, replacing ---------------------------------------------------------------------

unsafe fn strip(
    name: &str,
    op: *mut PyObject,
    a: &[*mut PyObject],
    l: bool,
    r: bool,
) -> *mut PyObject {
    if !nargs(name, a.len() as Py_ssize_t, 0, 1) {
        return null_mut();
    }
    // SAFETY: live receiver and arguments.
    unsafe {
        let set = match a.first() {
            Some(&c) if c != none() => match buf(c) {
                Ok(v) => Some(v),
                Err(()) => return null_mut(),
            },
            _ => None,
        };
        let trims = |c: u8| match &set {
            None => is_space(c),
            Some(s) => s.contains(&c),
        };
        let d = data(op);
        let (mut i, mut j) = (0, d.len());
        if l {
            while i < j && trims(d[i]) {
                i += 1;
            }
        }
        if r {
            while j > i && trims(d[j - 1]) {
                j -= 1;
            }
        }
        make(op, &d[i..j])
    }
}

unsafe fn m_strip(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { strip("strip", op, a, true, true) }
}
unsafe fn m_lstrip(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { strip("lstrip", op, a, true, false) }
}
unsafe fn m_rstrip(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { strip("rstrip", op, a, false, true) }
}

/// `replace(old, new, count=-1, /)` on byte strings.
pub(crate) fn replace_bytes(d: &[u8], old: &[u8], new: &[u8], count: Py_ssize_t) -> Vec<u8> {
    let mut left = if count < 0 {
        usize::MAX
    } else {
        count as usize
    };
    let mut out = Vec::with_capacity(d.len());
    if old.is_empty() {
        for (i, &b) in d.iter().enumerate() {
            if left == 0 {
                out.extend_from_slice(&d[i..]);
                return out;
            }
            out.extend_from_slice(new);
            out.push(b);
            left -= 1;
        }
        if left > 0 {
            out.extend_from_slice(new);
        }
        return out;
    }
    let mut i = 0;
    while left > 0 {
        match find_in(&d[i..], old) {
            Some(p) => {
                out.extend_from_slice(&d[i..i + p]);
                out.extend_from_slice(new);
                i += p + old.len();
                left -= 1;
            }
            None => break,
        }
    }
    out.extend_from_slice(&d[i..]);
    out
}

unsafe fn m_replace(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("replace", a.len() as Py_ssize_t, 2, 3) {
        return null_mut();
    }
    // SAFETY: live receiver and arguments.
    unsafe {
        let (Ok(old), Ok(new)) = (buf(a[0]), buf(a[1])) else {
            return null_mut();
        };
        let Ok(count) = count_arg(a.get(2)) else {
            return null_mut();
        };
        make(op, &replace_bytes(&data(op), &old, &new, count))
    }
}

unsafe fn m_removeprefix(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe {
        let Ok(p) = buf(x) else { return null_mut() };
        let d = data(op);
        make(op, d.strip_prefix(p.as_slice()).unwrap_or(&d))
    }
}

unsafe fn m_removesuffix(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe {
        let Ok(p) = buf(x) else { return null_mut() };
        let d = data(op);
        make(op, d.strip_suffix(p.as_slice()).unwrap_or(&d))
    }
}

// ---- case mapping and classification ----------------------------------------------------------

unsafe fn map_bytes(op: *mut PyObject, f: impl Fn(&[u8]) -> Vec<u8>) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { make(op, &f(&data(op))) }
}

unsafe fn m_lower(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { map_bytes(op, |d| d.to_ascii_lowercase()) }
}
unsafe fn m_upper(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { map_bytes(op, |d| d.to_ascii_uppercase()) }
}
unsafe fn m_swapcase(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe {
        map_bytes(op, |d| {
            d.iter()
                .map(|&c| {
                    if c.is_ascii_lowercase() {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect()
        })
    }
}
unsafe fn m_capitalize(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe {
        map_bytes(op, |d| {
            d.iter()
                .enumerate()
                .map(|(i, c)| {
                    if i == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect()
        })
    }
}
unsafe fn m_title(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe {
        map_bytes(op, |d| {
            let mut prev = false;
            d.iter()
                .map(|&c| {
                    let r = if c.is_ascii_lowercase() {
                        if prev { c } else { c.to_ascii_uppercase() }
                    } else if c.is_ascii_uppercase() {
                        if prev { c.to_ascii_lowercase() } else { c }
                    } else {
                        c
                    };
                    prev = c.is_ascii_alphabetic();
                    r
                })
                .collect()
        })
    }
}

unsafe fn all_of(op: *mut PyObject, f: fn(&u8) -> bool) -> *mut PyObject {
    // SAFETY: forwarded contract.
    let d = unsafe { data(op) };
    boolean(!d.is_empty() && d.iter().all(f))
}

unsafe fn m_isalnum(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { all_of(op, u8::is_ascii_alphanumeric) }
}
unsafe fn m_isalpha(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { all_of(op, u8::is_ascii_alphabetic) }
}
unsafe fn m_isdigit(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { all_of(op, u8::is_ascii_digit) }
}
unsafe fn m_isspace(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { all_of(op, |c| is_space(*c)) }
}
unsafe fn m_isascii(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    boolean(unsafe { data(op) }.is_ascii())
}
unsafe fn m_islower(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    let d = unsafe { data(op) };
    boolean(d.iter().any(u8::is_ascii_lowercase) && !d.iter().any(u8::is_ascii_uppercase))
}
unsafe fn m_isupper(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    let d = unsafe { data(op) };
    boolean(d.iter().any(u8::is_ascii_uppercase) && !d.iter().any(u8::is_ascii_lowercase))
}
unsafe fn m_istitle(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    let d = unsafe { data(op) };
    let (mut cased, mut prev) = (false, false);
    for &c in d.iter() {
        if c.is_ascii_uppercase() {
            if prev {
                return boolean(false);
            }
            prev = true;
            cased = true;
        } else if c.is_ascii_lowercase() {
            if !prev {
                return boolean(false);
            }
            prev = true;
            cased = true;
        } else {
            prev = false;
        }
    }
    boolean(cased)
}

// ---- padding ------------------------------------------------------------------------------------

/// `center`/`ljust`/`rjust(width, fillchar=b' ', /)`.
unsafe fn pad(name: &str, op: *mut PyObject, a: &[*mut PyObject], how: u8) -> *mut PyObject {
    if !nargs(name, a.len() as Py_ssize_t, 1, 2) {
        return null_mut();
    }
    // SAFETY: live receiver and arguments.
    unsafe {
        let Ok(width) = ssize(a[0]) else {
            return null_mut();
        };
        let fill = match a.get(1) {
            None => b' ',
            Some(&f) => {
                let kind = if bo::is_bytes(f) {
                    Some(("bytes", bo::as_bytes(f).to_vec()))
                } else if is_bytearray(f) {
                    Some(("bytearray", ba::snapshot(f)))
                } else {
                    None
                };
                match kind {
                    Some((_, v)) if v.len() == 1 => v[0],
                    Some((k, v)) => {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "{name}(): argument 2 must be a byte string of length 1, not a {k} object of length {}",
                                v.len()
                            ),
                        );
                    }
                    None => {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "{name}() argument 2 must be a byte string of length 1, not {}",
                                tname(f)
                            ),
                        );
                    }
                }
            }
        };
        let d = data(op);
        let len = d.len() as Py_ssize_t;
        if width <= len {
            return make(op, &d);
        }
        let marg = width - len;
        let (left, right) = match how {
            b'l' => (0, marg),
            b'r' => (marg, 0),
            _ => {
                let left = marg / 2 + (marg & width & 1);
                (left, marg - left)
            }
        };
        let mut out = vec![fill; left as usize];
        out.extend_from_slice(&d);
        out.extend(std::iter::repeat_n(fill, right as usize));
        make(op, &out)
    }
}

unsafe fn m_center(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { pad("center", op, a, b'c') }
}
unsafe fn m_ljust(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { pad("ljust", op, a, b'l') }
}
unsafe fn m_rjust(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { pad("rjust", op, a, b'r') }
}

unsafe fn m_zfill(op: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe {
        let Ok(width) = ssize(w) else {
            return null_mut();
        };
        let d = data(op);
        if width <= d.len() as Py_ssize_t {
            return make(op, &d);
        }
        let fill = width as usize - d.len();
        let mut out = vec![b'0'; fill];
        out.extend_from_slice(&d);
        if matches!(d.first(), Some(b'+' | b'-')) {
            out[0] = d[0];
            out[fill] = b'0';
        }
        make(op, &out)
    }
}

unsafe fn m_expandtabs(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS contract.
    unsafe {
        let Ok(a) = bind("expandtabs", args, n, kw, &["tabsize"], 0) else {
            return null_mut();
        };
        let tab = match a.first() {
            Some(&t) if !t.is_null() => match ssize(t) {
                Ok(v) => v,
                Err(()) => return null_mut(),
            },
            _ => 8,
        };
        let d = data(op);
        let mut out = Vec::with_capacity(d.len());
        let mut col: Py_ssize_t = 0;
        for &c in d.iter() {
            if c == b'\t' {
                if tab > 0 {
                    let incr = tab - col % tab;
                    out.extend(std::iter::repeat_n(b' ', incr as usize));
                    col += incr;
                }
            } else {
                out.push(c);
                col += 1;
                if c == b'\n' || c == b'\r' {
                    col = 0;
                }
            }
        }
        make(op, &out)
    }
}

// ---- translation --------------------------------------------------------------------------------

/// A static method's keyword check, named as CPython names it (`T.name()`).
///
/// # Safety
/// `kw` NULL or a tuple.
pub(crate) unsafe fn no_keywords(qualname: &str, kw: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    if !kw.is_null() && !unsafe { crate::tupleobject::items(kw) }.is_empty() {
        raise(
            &raw mut EXC_TypeError,
            &format!("{qualname}() takes no keyword arguments"),
        );
        return false;
    }
    true
}

unsafe fn m_maketrans_bytes(
    _: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS | METH_STATIC.
    unsafe {
        if !no_keywords("bytes.maketrans", kw) {
            return null_mut();
        }
        m_maketrans(null_mut(), crate::unicodeobject::methods::slice(args, n))
    }
}

unsafe fn m_maketrans_bytearray(
    _: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS | METH_STATIC.
    unsafe {
        if !no_keywords("bytearray.maketrans", kw) {
            return null_mut();
        }
        m_maketrans(null_mut(), crate::unicodeobject::methods::slice(args, n))
    }
}

unsafe fn m_maketrans(_: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("maketrans", a.len() as Py_ssize_t, 2, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        let (Ok(f), Ok(t)) = (buf(a[0]), buf(a[1])) else {
            return null_mut();
        };
        if f.len() != t.len() {
            return raise(
                &raw mut EXC_ValueError,
                "maketrans arguments must have same length",
            );
        }
        let mut table: Vec<u8> = (0..=255).collect();
        for (x, y) in f.iter().zip(&t) {
            table[*x as usize] = *y;
        }
        bo::from_bytes(&table)
    }
}

unsafe fn m_translate(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS contract.
    unsafe {
        let Ok(a) = bind_req("translate", args, n, kw, &["table", "delete"], 1, 1) else {
            return null_mut();
        };
        if a.is_empty() || a[0].is_null() {
            return raise(
                &raw mut EXC_TypeError,
                "translate() missing required argument 'table' (pos 1)",
            );
        }
        let table = if a[0] == none() {
            None
        } else {
            let Ok(t) = buf(a[0]) else { return null_mut() };
            if t.len() != 256 {
                return raise(
                    &raw mut EXC_ValueError,
                    "translation table must be 256 characters long",
                );
            }
            Some(t)
        };
        let delete = match a.get(1) {
            Some(&x) if !x.is_null() => match buf(x) {
                Ok(v) => v,
                Err(()) => return null_mut(),
            },
            _ => Vec::new(),
        };
        let d = data(op);
        let out: Vec<u8> = d
            .iter()
            .filter(|c| !delete.contains(c))
            .map(|&c| table.as_ref().map_or(c, |t| t[c as usize]))
            .collect();
        make(op, &out)
    }
}

// ---- tables ---------------------------------------------------------------------------------

/// `bytes`' method table.
pub(crate) static mut BYTES_METHODS: [PyMethodDef; 45] = [
    def!(c"capitalize", noargs, m_capitalize),
    def!(c"center", fast, m_center),
    def!(c"count", fast, m_count),
    def!(c"decode", kw, m_decode),
    def!(c"endswith", fast, m_endswith),
    def!(c"expandtabs", kw, m_expandtabs),
    def!(c"find", fast, m_find),
    def!(c"fromhex", class_o, m_fromhex),
    def!(c"hex", kw, m_hex),
    def!(c"index", fast, m_index),
    def!(c"isalnum", noargs, m_isalnum),
    def!(c"isalpha", noargs, m_isalpha),
    def!(c"isascii", noargs, m_isascii),
    def!(c"isdigit", noargs, m_isdigit),
    def!(c"islower", noargs, m_islower),
    def!(c"isspace", noargs, m_isspace),
    def!(c"istitle", noargs, m_istitle),
    def!(c"isupper", noargs, m_isupper),
    def!(c"join", o, m_join),
    def!(c"ljust", fast, m_ljust),
    def!(c"lower", noargs, m_lower),
    def!(c"lstrip", fast, m_lstrip),
    def!(c"maketrans", static_kw, m_maketrans_bytes),
    def!(c"partition", o, m_partition),
    def!(c"removeprefix", o, m_removeprefix),
    def!(c"removesuffix", o, m_removesuffix),
    def!(c"replace", fast, m_replace),
    def!(c"rfind", fast, m_rfind),
    def!(c"rindex", fast, m_rindex),
    def!(c"rjust", fast, m_rjust),
    def!(c"rpartition", o, m_rpartition),
    def!(c"rsplit", kw, m_rsplit),
    def!(c"rstrip", fast, m_rstrip),
    def!(c"split", kw, m_split),
    def!(c"splitlines", kw, m_splitlines),
    def!(c"startswith", fast, m_startswith),
    def!(c"strip", fast, m_strip),
    def!(c"swapcase", noargs, m_swapcase),
    def!(c"title", noargs, m_title),
    def!(c"translate", kw, m_translate),
    def!(c"upper", noargs, m_upper),
    def!(c"zfill", o, m_zfill),
    def!(c"__bytes__", noargs, m_bytes),
    def!(c"__getnewargs__", noargs, m_getnewargs),
    PyMethodDef::END,
];

unsafe fn m_bytes(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live bytes.
    unsafe {
        if crate::object::ty(op) == &raw mut bo::PyBytes_Type {
            return crate::refcount::new_ref(op);
        }
        bo::from_bytes(&data(op))
    }
}

unsafe fn m_getnewargs(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live bytes.
    let b = unsafe { bo::from_bytes(&data(op)) };
    if b.is_null() {
        return b;
    }
    // SAFETY: our reference, handed over.
    unsafe { own_tuple(&[b]) }
}

/// `bytearray`'s method table: the shared methods and its mutators.
pub(crate) static mut BYTEARRAY_METHODS: [PyMethodDef; 52] = [
    def!(c"capitalize", noargs, m_capitalize),
    def!(c"center", fast, m_center),
    def!(c"count", fast, m_count),
    def!(c"decode", kw, m_decode),
    def!(c"endswith", fast, m_endswith),
    def!(c"expandtabs", kw, m_expandtabs),
    def!(c"find", fast, m_find),
    def!(c"fromhex", class_o, m_fromhex),
    def!(c"hex", kw, m_hex),
    def!(c"index", fast, m_index),
    def!(c"isalnum", noargs, m_isalnum),
    def!(c"isalpha", noargs, m_isalpha),
    def!(c"isascii", noargs, m_isascii),
    def!(c"isdigit", noargs, m_isdigit),
    def!(c"islower", noargs, m_islower),
    def!(c"isspace", noargs, m_isspace),
    def!(c"istitle", noargs, m_istitle),
    def!(c"isupper", noargs, m_isupper),
    def!(c"join", o, m_join),
    def!(c"ljust", fast, m_ljust),
    def!(c"lower", noargs, m_lower),
    def!(c"lstrip", fast, m_lstrip),
    def!(c"maketrans", static_kw, m_maketrans_bytearray),
    def!(c"partition", o, m_partition),
    def!(c"removeprefix", o, m_removeprefix),
    def!(c"removesuffix", o, m_removesuffix),
    def!(c"replace", fast, m_replace),
    def!(c"rfind", fast, m_rfind),
    def!(c"rindex", fast, m_rindex),
    def!(c"rjust", fast, m_rjust),
    def!(c"rpartition", o, m_rpartition),
    def!(c"rsplit", kw, m_rsplit),
    def!(c"rstrip", fast, m_rstrip),
    def!(c"split", kw, m_split),
    def!(c"splitlines", kw, m_splitlines),
    def!(c"startswith", fast, m_startswith),
    def!(c"strip", fast, m_strip),
    def!(c"swapcase", noargs, m_swapcase),
    def!(c"title", noargs, m_title),
    def!(c"translate", kw, m_translate),
    def!(c"upper", noargs, m_upper),
    def!(c"zfill", o, m_zfill),
    def!(c"append", o, ba::m_append),
    def!(c"clear", noargs, ba::m_clear),
    def!(c"copy", noargs, ba::m_copy),
    def!(c"extend", o, ba::m_extend),
    def!(c"insert", fast, ba::m_insert),
    def!(c"pop", fast, ba::m_pop),
    def!(c"remove", o, ba::m_remove),
    def!(c"resize", o, ba::m_resize),
    def!(c"reverse", noargs, ba::m_reverse),
    PyMethodDef::END,
];
