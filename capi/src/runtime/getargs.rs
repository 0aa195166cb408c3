//! `PyArg_Parse*` and the `_PyArg_*` helpers (CPython's `Python/getargs.c`): the Rust half of
//! argument parsing; the C shim (`c/modsupport.c`) turns the variadic output pointers into an
//! array.

use super::modsupport::{ext, system_error};
use crate::export;
use crate::object::{Py_buffer, PyObject, PyTypeObject};
use crate::pyerrors::{self as err, EXC_TypeError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use std::borrow::Cow;
use std::ffi::c_void;
use std::ffi::{CStr, c_char, c_int};
use std::ptr::null_mut;

type Py_ssize_t = isize;

// ---- PyArg_Parse* -------------------------------------------------------------------------
//
// Every output argument of the parse functions is a pointer, so the shim only needs their
// number ([`parse_count`]); it passes them as an array to [`parse`].

/// How many pointer arguments the units of `format` consume.
pub(crate) fn parse_count(format: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < format.len() {
        let c = format[i];
        i += 1;
        let next = format.get(i).copied();
        match c {
            b':' | b';' => break,
            b'(' | b')' | b'|' | b'$' | b' ' | b'\t' | b',' => {}
            b'O' => {
                if matches!(next, Some(b'!' | b'&')) {
                    n += 2;
                    i += 1;
                } else {
                    n += 1;
                }
            }
            b's' | b'z' | b'y' | b'w' => match next {
                Some(b'#') => {
                    n += 2;
                    i += 1;
                }
                Some(b'*') => {
                    n += 1;
                    i += 1;
                }
                _ => n += 1,
            },
            b'e' => {
                if matches!(next, Some(b's' | b't')) {
                    i += 1;
                }
                if format.get(i) == Some(&b'#') {
                    n += 3;
                    i += 1;
                } else {
                    n += 2;
                }
            }
            _ => n += 1,
        }
    }
    n
}

/// How the arguments come.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ParseMode {
    /// `PyArg_Parse`: `args` is the single value (old style).
    Single,
    /// `PyArg_ParseTuple`.
    Tuple,
    /// `PyArg_ParseTupleAndKeywords`.
    Keywords,
}

/// A conversion failure: `Some("must be X, not Y")` to be placed in CPython's message, or
/// `None` when an exception is already set.
type Conv = Result<(), Option<String>>;

struct Parser<'a> {
    f: &'a [u8],
    pos: usize,
    ptrs: &'a [*mut c_void],
    pi: usize,
    fname: Option<Cow<'a, str>>,
    message: Option<Cow<'a, str>>,
}

/// `tp_name` as CPython's converterr shows it (`None` for None).
unsafe fn shown_type(arg: *mut PyObject) -> String {
    if arg == crate::object::none() {
        return "None".into();
    }
    // SAFETY: `arg` is live.
    unsafe { crate::object::type_name(crate::object::ty(arg)) }
}

fn trunc(s: &str, n: usize) -> String {
    crate::abstract_::trunc(s, n).to_string()
}

unsafe fn converr(expected: &str, arg: *mut PyObject) -> Conv {
    if err::occurred() {
        return Err(None);
    }
    // SAFETY: `arg` is live.
    let t = unsafe { shown_type(arg) };
    Err(Some(format!(
        "must be {}, not {}",
        trunc(expected, 50),
        trunc(&t, 50)
    )))
}

unsafe fn put<T>(p: *mut c_void, v: T) {
    // SAFETY: the caller passed a pointer to a `T` for this unit.
    unsafe { p.cast::<T>().write(v) }
}

/// A simple (read-only, contiguous) buffer of `arg`, or None if it has no buffer interface.
unsafe fn simple_buffer(arg: *mut PyObject, flags: c_int) -> Option<Result<Py_buffer, ()>> {
    // SAFETY: `arg` is live; tp_as_buffer is NULL or a table.
    unsafe {
        let procs = (*crate::object::ty(arg)).tp_as_buffer.as_ref()?;
        let get = procs.bf_getbuffer?;
        let mut view: Py_buffer = std::mem::zeroed();
        if crate::extcall::getbuffer(get, arg, &mut view, flags) < 0 {
            return Some(Err(()));
        }
        Some(Ok(view))
    }
}

unsafe fn release_buffer(view: &mut Py_buffer) {
    // SAFETY: `view` was filled by bf_getbuffer of view.obj.
    unsafe {
        let o = view.obj;
        if o.is_null() {
            return;
        }
        if let Some(procs) = (*crate::object::ty(o)).tp_as_buffer.as_ref()
            && let Some(rel) = procs.bf_releasebuffer
        {
            crate::extcall::releasebuffer(rel, o, view);
        }
        view.obj = null_mut();
        decref(o);
    }
}

/// Bytes of a bytes-like object (the buffer is released at once: bytes and bytearray keep
/// their storage while the object lives, as CPython's `s#`/`y#` assume).
unsafe fn bytes_of(arg: *mut PyObject) -> Option<Result<(*const u8, usize), ()>> {
    // SAFETY: forwarded.
    unsafe {
        match simple_buffer(arg, 0)? {
            Ok(mut v) => {
                let r = (v.buf as *const u8, v.len as usize);
                release_buffer(&mut v);
                Some(Ok(r))
            }
            Err(()) => Some(Err(())),
        }
    }
}

unsafe fn utf8_of(arg: *mut PyObject) -> Result<(*const std::ffi::c_char, usize), ()> {
    let mut n: Py_ssize_t = 0;
    // SAFETY: `arg` is a live str.
    let p = unsafe { ext::PyUnicode_AsUTF8AndSize(arg, &mut n) };
    if p.is_null() {
        Err(())
    } else {
        Ok((p, n as usize))
    }
}

/// Fills `view` for the UTF-8 of a str (what `s*` gives for str).
unsafe fn fill_str_buffer(
    view: *mut Py_buffer,
    arg: *mut PyObject,
    p: *const std::ffi::c_char,
    n: usize,
) {
    // SAFETY: `view` points to a Py_buffer; `arg` is live.
    unsafe {
        view.write(std::mem::zeroed());
        (*view).buf = p.cast_mut().cast();
        (*view).obj = new_ref(arg);
        (*view).len = n as Py_ssize_t;
        (*view).itemsize = 1;
        (*view).readonly = 1;
        (*view).ndim = 1;
    }
}

unsafe fn is_str(o: *mut PyObject) -> bool {
    // SAFETY: `o` live.
    unsafe { crate::unicodeobject::is_str(o) }
}

unsafe fn is_bytes(o: *mut PyObject) -> bool {
    // SAFETY: `o` live.
    unsafe { crate::object::has_flag(o, crate::object::Py_TPFLAGS_BYTES_SUBCLASS) }
}

unsafe fn is_bytearray(o: *mut PyObject) -> bool {
    // SAFETY: `o` live; PyByteArray_Type is a type object (real or generated).
    unsafe { crate::object::type_check(o, &raw mut ext::PyByteArray_Type) }
}

/// An int for the integer units: ints as they are, others through `__index__`.
unsafe fn as_index(arg: *mut PyObject) -> Result<*mut PyObject, Option<String>> {
    // SAFETY: `arg` live.
    let i = unsafe { crate::abstract_::index(arg) };
    if i.is_null() { Err(None) } else { Ok(i) }
}

unsafe fn with_int<T>(
    arg: *mut PyObject,
    f: impl FnOnce(*mut PyObject) -> T,
) -> Result<T, Option<String>> {
    // SAFETY: forwarded.
    unsafe {
        let i = as_index(arg)?;
        let r = f(i);
        decref(i);
        Ok(r)
    }
}

/// What `PyObject_GetBuffer` raises for an object without the buffer interface.
unsafe fn no_buffer(arg: *mut PyObject) -> Conv {
    // SAFETY: `arg` is live.
    let t = unsafe { crate::object::type_name(crate::object::ty(arg)) };
    raise(
        &raw mut EXC_TypeError,
        &format!("a bytes-like object is required, not '{}'", trunc(&t, 100)),
    );
    Err(None)
}

/// The value of a one-digit int without a round trip through `__index__`.
unsafe fn small_int(arg: *mut PyObject) -> Option<i64> {
    // SAFETY: `arg` is live; `compact` reads an int's tag and first digit.
    unsafe {
        if crate::abstract_::is_long(arg) {
            crate::longobject::compact(arg)
        } else {
            None
        }
    }
}

fn overflow(msg: &str) -> Conv {
    raise(&raw mut crate::pyerrors::EXC_OverflowError, msg);
    Err(None)
}

impl Parser<'_> {
    fn ptr(&mut self) -> *mut c_void {
        let p = self.ptrs.get(self.pi).copied().unwrap_or(null_mut());
        self.pi += 1;
        p
    }

    fn peek(&self) -> u8 {
        self.f.get(self.pos).copied().unwrap_or(0)
    }

    /// Skips one unit (an optional argument that was not given), consuming its pointers.
    fn skip(&mut self) {
        let c = self.peek();
        if c == b'(' {
            self.pos += 1;
            let mut level = 1;
            while level > 0 && self.pos < self.f.len() {
                match self.peek() {
                    b'(' => {
                        level += 1;
                        self.pos += 1;
                    }
                    b')' => {
                        level -= 1;
                        self.pos += 1;
                    }
                    _ => self.skip(),
                }
            }
            return;
        }
        let start = self.pos;
        self.pos += 1;
        let mut end = self.pos;
        match c {
            b'O' | b's' | b'z' | b'y' | b'w'
                if matches!(self.peek(), b'!' | b'&' | b'#' | b'*') =>
            {
                end += 1;
            }
            b'e' => {
                if matches!(self.peek(), b's' | b't') {
                    end += 1;
                }
                if self.f.get(end) == Some(&b'#') {
                    end += 1;
                }
            }
            _ => {}
        }
        self.pi += parse_count(&self.f[start..end]);
        self.pos = end;
    }

    /// The commonest units for an argument of their exact builtin type, done without the
    /// general conversion (same results): `i l L n` with a one-digit int, `d` with a float,
    /// `s` with a str without NUL, `p` with a bool, plain `O`. False (nothing consumed)
    /// when the general path must decide, errors included.
    #[inline]
    unsafe fn convert_fast(&mut self, arg: *mut PyObject) -> bool {
        let c = self.peek();
        if matches!(self.f.get(self.pos + 1), Some(b'#' | b'*' | b'!' | b'&')) {
            return false;
        }
        let p = self.ptrs.get(self.pi).copied().unwrap_or(null_mut());
        // SAFETY: `arg` is live; the output pointer has the type the unit documents.
        if !unsafe { quick_unit(c, arg, p) } {
            return false;
        }
        self.pos += 1;
        self.pi += 1;
        true
    }

    /// Converts `arg` with the unit at the cursor. `levels` is the item path for messages.
    unsafe fn convert(&mut self, arg: *mut PyObject, levels: &mut Vec<usize>) -> Conv {
        if self.peek() == b'(' {
            self.pos += 1;
            // SAFETY: forwarded.
            return unsafe { self.convert_tuple(arg, levels) };
        }
        // SAFETY: forwarded.
        unsafe { self.convert_simple(arg) }
    }

    unsafe fn convert_tuple(&mut self, arg: *mut PyObject, levels: &mut Vec<usize>) -> Conv {
        // Count the items of this group.
        let mut n = 0;
        let mut level = 0;
        let mut i = self.pos;
        loop {
            let c = self.f.get(i).copied().unwrap_or(0);
            if c == b'(' {
                if level == 0 {
                    n += 1;
                }
                level += 1;
            } else if c == b')' {
                if level == 0 {
                    break;
                }
                level -= 1;
            } else if c == b':' || c == b';' || c == 0 {
                system_error("missing ')' in getargs format");
                return Err(None);
            } else if level == 0 && c.is_ascii_alphabetic() {
                n += 1;
            }
            i += 1;
        }
        // SAFETY: `arg` live.
        unsafe {
            if crate::tupleobject::is_tuple(arg) {
                let items = crate::tupleobject::items(arg);
                if items.len() != n {
                    self.skip_group();
                    return Err(Some(format!(
                        "must be tuple of length {n}, not {}",
                        items.len()
                    )));
                }
                for (k, &item) in items.iter().enumerate() {
                    levels.push(k + 1);
                    self.convert(item, levels)?;
                    levels.pop();
                }
                if self.peek() == b')' {
                    self.pos += 1;
                }
                return Ok(());
            }
            // CPython 3.14 names a tuple here (other sequences still pass, but not str,
            // bytes or bytearray)
            if !crate::abstract_::sequence_check(arg)
                || is_bytes(arg)
                || is_bytearray(arg)
                || crate::unicodeobject::is_str(arg)
            {
                let t = shown_type(arg);
                self.skip_group();
                return Err(Some(format!(
                    "must be {n}-item tuple, not {}",
                    trunc(&t, 50)
                )));
            }
            let len = crate::abstract_::PySequence_Size(arg);
            if len < 0 {
                return Err(None);
            }
            if len as usize != n {
                self.skip_group();
                return Err(Some(format!("must be sequence of length {n}, not {len}")));
            }
            for k in 0..n {
                let item = crate::abstract_::sequence_get_item(arg, k as Py_ssize_t);
                if item.is_null() {
                    return Err(None);
                }
                levels.push(k + 1);
                let r = self.convert(item, levels);
                decref(item);
                r?;
                levels.pop();
            }
        }
        if self.peek() == b')' {
            self.pos += 1;
        }
        Ok(())
    }

    fn skip_group(&mut self) {
        self.pos -= 1;
        self.skip();
    }

    unsafe fn convert_simple(&mut self, arg: *mut PyObject) -> Conv {
        let c = self.peek();
        self.pos += 1;
        // SAFETY: `arg` is live; each pointer has the type the unit documents.
        unsafe {
            match c {
                b'b' => {
                    let p = self.ptr();
                    let v = match small_int(arg) {
                        Some(v) => v as std::ffi::c_long,
                        None => with_int(arg, |i| ext::PyLong_AsLong(i))?,
                    };
                    if v == -1 && err::occurred() {
                        return Err(None);
                    }
                    if v < 0 {
                        return overflow("unsigned byte integer is less than minimum");
                    }
                    if v > u8::MAX as std::ffi::c_long {
                        return overflow("unsigned byte integer is greater than maximum");
                    }
                    put(p, v as u8);
                }
                b'B' | b'H' | b'I' => {
                    let p = self.ptr();
                    let v = match small_int(arg) {
                        Some(v) => v as std::ffi::c_ulong,
                        None => with_int(arg, |i| ext::PyLong_AsUnsignedLongMask(i))?,
                    };
                    if v == std::ffi::c_ulong::MAX && err::occurred() {
                        return Err(None);
                    }
                    match c {
                        b'B' => put(p, v as u8),
                        b'H' => put(p, v as u16),
                        _ => put(p, v as u32),
                    }
                }
                b'h' | b'i' => {
                    let p = self.ptr();
                    let v = match small_int(arg) {
                        Some(v) => v as std::ffi::c_long,
                        None => with_int(arg, |i| ext::PyLong_AsLong(i))?,
                    };
                    if v == -1 && err::occurred() {
                        return Err(None);
                    }
                    let (lo, hi, what) = if c == b'h' {
                        (i16::MIN as i64, i16::MAX as i64, "signed short integer")
                    } else {
                        (i32::MIN as i64, i32::MAX as i64, "signed integer")
                    };
                    if v < lo {
                        return overflow(&format!("{what} is less than minimum"));
                    }
                    if v > hi {
                        return overflow(&format!("{what} is greater than maximum"));
                    }
                    if c == b'h' {
                        put(p, v as i16);
                    } else {
                        put(p, v as i32);
                    }
                }
                b'l' | b'L' | b'n' => {
                    let p = self.ptr();
                    let v = match small_int(arg) {
                        Some(v) => v,
                        None => with_int(arg, |i| match c {
                            b'l' => ext::PyLong_AsLong(i),
                            b'L' => ext::PyLong_AsLongLong(i),
                            _ => ext::PyLong_AsSsize_t(i) as i64,
                        })?,
                    };
                    if v == -1 && err::occurred() {
                        return Err(None);
                    }
                    put(p, v);
                }
                b'k' | b'K' => {
                    let p = self.ptr();
                    if !crate::abstract_::is_long(arg) {
                        return converr("int", arg);
                    }
                    let v = if c == b'k' {
                        ext::PyLong_AsUnsignedLongMask(arg)
                    } else {
                        ext::PyLong_AsUnsignedLongLongMask(arg)
                    };
                    if v == u64::MAX && err::occurred() {
                        return Err(None);
                    }
                    put(p, v);
                }
                b'f' | b'd' => {
                    let p = self.ptr();
                    let v = ext::PyFloat_AsDouble(arg);
                    if v == -1.0 && err::occurred() {
                        return Err(None);
                    }
                    if c == b'f' {
                        put(p, v as f32);
                    } else {
                        put(p, v);
                    }
                }
                b'D' => {
                    let p = self.ptr();
                    let v = ext::PyComplex_AsCComplex(arg);
                    if v.real == -1.0 && err::occurred() {
                        return Err(None);
                    }
                    put(p, v);
                }
                b'c' => {
                    let p = self.ptr();
                    if (is_bytes(arg) || is_bytearray(arg))
                        && let Some(Ok((b, 1))) = bytes_of(arg)
                    {
                        put(p, *b as std::ffi::c_char);
                        return Ok(());
                    }
                    err::clear_if(true);
                    // CPython 3.14 gives the length of a bytes or bytearray of another size
                    if is_bytes(arg) || is_bytearray(arg) {
                        let n = crate::abstract_::PyObject_Size(arg);
                        err::clear_if(true);
                        return Err(Some(format!(
                            "must be a byte string of length 1, not a {} object of length {n}",
                            shown_type(arg)
                        )));
                    }
                    return converr("a byte string of length 1", arg);
                }
                b'C' => {
                    let p = self.ptr();
                    if is_str(arg) && crate::unicodeobject::length(arg) == 1 {
                        let Ok((s, n)) = utf8_of(arg) else {
                            return Err(None);
                        };
                        let bytes = std::slice::from_raw_parts(s.cast::<u8>(), n);
                        let ch = std::str::from_utf8(bytes)
                            .ok()
                            .and_then(|t| t.chars().next());
                        put(p, ch.map_or(0, |c| c as c_int));
                        return Ok(());
                    }
                    if is_str(arg) {
                        return Err(Some(format!(
                            "must be a unicode character, not a string of length {}",
                            crate::unicodeobject::length(arg)
                        )));
                    }
                    return converr("a unicode character", arg);
                }
                b'p' => {
                    let p = self.ptr();
                    let v = crate::object::truth(arg);
                    if v < 0 {
                        return Err(None);
                    }
                    put(p, v);
                }
                b's' | b'z' | b'y' => return self.convert_string(c, arg),
                b'w' => {
                    let p = self.ptr().cast::<Py_buffer>();
                    if self.peek() != b'*' {
                        system_error("gilgate: PyArg format unit 'w' needs '*'");
                        return Err(None);
                    }
                    self.pos += 1;
                    match simple_buffer(arg, 1) {
                        Some(Ok(v)) => p.write(v),
                        _ => {
                            err::clear();
                            return converr("read-write bytes-like object", arg);
                        }
                    }
                }
                b'e' => return self.convert_encoded(arg),
                b'S' => {
                    let p = self.ptr();
                    if !is_bytes(arg) {
                        return converr("bytes", arg);
                    }
                    put(p, arg);
                }
                b'Y' => {
                    let p = self.ptr();
                    if !is_bytearray(arg) {
                        return converr("bytearray", arg);
                    }
                    put(p, arg);
                }
                b'U' => {
                    let p = self.ptr();
                    if !is_str(arg) {
                        return converr("str", arg);
                    }
                    put(p, arg);
                }
                b'O' => match self.peek() {
                    b'!' => {
                        self.pos += 1;
                        let t = self.ptr().cast::<PyTypeObject>();
                        let p = self.ptr();
                        if !crate::object::type_check(arg, t) {
                            return converr(&crate::object::type_name(t), arg);
                        }
                        put(p, arg);
                    }
                    b'&' => {
                        self.pos += 1;
                        let conv = self.ptr();
                        let p = self.ptr();
                        let conv: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> c_int =
                            std::mem::transmute(conv);
                        if crate::extcall::parse_converter(conv, arg, p) == 0 {
                            return Err((!err::occurred()).then(|| "(unspecified)".to_string()));
                        }
                    }
                    _ => {
                        let p = self.ptr();
                        put(p, arg);
                    }
                },
                _ => {
                    system_error(&format!(
                        "bad format string: {}",
                        String::from_utf8_lossy(self.f)
                    ));
                    return Err(None);
                }
            }
        }
        Ok(())
    }

    /// `es`, `et`, `es#`, `et#`: the text encoded into a `PyMem_Malloc` buffer (or the
    /// caller's buffer of `*len` bytes for `#` when `*buffer` is not NULL).
    unsafe fn convert_encoded(&mut self, arg: *mut PyObject) -> Conv {
        let kind = self.peek();
        if kind != b's' && kind != b't' {
            system_error("bad format string: 'e' must be followed by 's' or 't'");
            return Err(None);
        }
        self.pos += 1;
        let hash = self.peek() == b'#';
        if hash {
            self.pos += 1;
        }
        let enc = self.ptr().cast::<std::ffi::c_char>();
        let buf = self.ptr().cast::<*mut std::ffi::c_char>();
        let plen = if hash {
            self.ptr().cast::<Py_ssize_t>()
        } else {
            null_mut()
        };
        // SAFETY: `arg` live; the pointers have the documented types.
        unsafe {
            let mut keep = null_mut();
            let (data, n): (*const u8, usize) =
                if kind == b't' && (is_bytes(arg) || is_bytearray(arg)) {
                    match bytes_of(arg) {
                        Some(Ok(v)) => v,
                        Some(Err(())) => return Err(None),
                        None => return no_buffer(arg),
                    }
                } else if is_str(arg) {
                    let utf8 = enc.is_null()
                        || matches!(
                            CStr::from_ptr(enc)
                                .to_bytes()
                                .to_ascii_lowercase()
                                .as_slice(),
                            b"utf-8" | b"utf8" | b"utf_8"
                        );
                    if utf8 {
                        let Ok((p, n)) = utf8_of(arg) else {
                            return Err(None);
                        };
                        (p.cast(), n)
                    } else {
                        keep = ext::PyUnicode_AsEncodedString(arg, enc, std::ptr::null());
                        if keep.is_null() {
                            return Err((!err::occurred()).then(|| "(encoding failed)".to_string()));
                        }
                        match bytes_of(keep) {
                            Some(Ok(v)) => v,
                            _ => {
                                decref(keep);
                                system_error("encoder did not return a bytes object");
                                return Err(None);
                            }
                        }
                    }
                } else if kind == b's' {
                    return converr("str", arg);
                } else {
                    return converr("str, bytes or bytearray", arg);
                };
            let bytes = std::slice::from_raw_parts(data, n);
            let result = if hash {
                if (*buf).is_null() {
                    let p = ext::PyMem_Malloc(n + 1).cast::<u8>();
                    if p.is_null() {
                        err::no_memory();
                        Err(None)
                    } else {
                        std::ptr::copy_nonoverlapping(data, p, n);
                        *p.add(n) = 0;
                        *buf = p.cast();
                        *plen = n as Py_ssize_t;
                        Ok(())
                    }
                } else if n as Py_ssize_t + 1 > *plen {
                    raise(
                        &raw mut crate::pyerrors::EXC_ValueError,
                        &format!(
                            "encoded string too long ({n}, maximum length {})",
                            *plen - 1
                        ),
                    );
                    Err(None)
                } else {
                    std::ptr::copy_nonoverlapping(data, (*buf).cast::<u8>(), n);
                    *(*buf).cast::<u8>().add(n) = 0;
                    *plen = n as Py_ssize_t;
                    Ok(())
                }
            } else if bytes.contains(&0) {
                // a conversion error in CPython 3.14 (TypeError naming the argument)
                Err(Some(format!(
                    "must be encoded string without null bytes, not {}",
                    shown_type(arg)
                )))
            } else {
                let p = ext::PyMem_Malloc(n + 1).cast::<u8>();
                if p.is_null() {
                    err::no_memory();
                    Err(None)
                } else {
                    std::ptr::copy_nonoverlapping(data, p, n);
                    *p.add(n) = 0;
                    *buf = p.cast();
                    Ok(())
                }
            };
            xdecref(keep);
            result
        }
    }

    unsafe fn convert_string(&mut self, c: u8, arg: *mut PyObject) -> Conv {
        let suffix = match self.peek() {
            b'#' | b'*' => {
                self.pos += 1;
                self.f[self.pos - 1]
            }
            _ => 0,
        };
        let p = self.ptr();
        let plen = if suffix == b'#' {
            self.ptr()
        } else {
            null_mut()
        };
        let none = arg == crate::object::none();
        let expected = match (c, suffix) {
            (b's', 0) => "str",
            (b's', _) => "str or bytes-like object",
            (b'z', 0) => "str or None",
            (b'z', _) => "str, bytes-like object or None",
            (_, 0) => "bytes-like object",
            _ => "bytes-like object",
        };
        // SAFETY: `arg` live; the pointers have the unit's documented types.
        unsafe {
            if c == b'z' && none {
                if suffix == b'*' {
                    fill_str_buffer(p.cast(), arg, std::ptr::null(), 0);
                    (*p.cast::<Py_buffer>()).buf = null_mut();
                } else {
                    put(p, std::ptr::null::<std::ffi::c_char>());
                    if suffix == b'#' {
                        put(plen, 0 as Py_ssize_t);
                    }
                }
                return Ok(());
            }
            if c != b'y' && is_str(arg) {
                let Ok((s, n)) = utf8_of(arg) else {
                    return Err(None);
                };
                match suffix {
                    b'#' => {
                        put(p, s);
                        put(plen, n as Py_ssize_t);
                    }
                    b'*' => fill_str_buffer(p.cast(), arg, s, n),
                    _ => {
                        if std::slice::from_raw_parts(s.cast::<u8>(), n).contains(&0) {
                            raise(
                                &raw mut crate::pyerrors::EXC_ValueError,
                                "embedded null character",
                            );
                            return Err(None);
                        }
                        put(p, s);
                    }
                }
                return Ok(());
            }
            if c == b'y' || suffix != 0 {
                if suffix == b'*' {
                    return match simple_buffer(arg, 0) {
                        Some(Ok(v)) => {
                            p.cast::<Py_buffer>().write(v);
                            Ok(())
                        }
                        Some(Err(())) => Err(None),
                        None => no_buffer(arg),
                    };
                }
                {
                    match bytes_of(arg) {
                        Some(Ok((b, n))) => {
                            if suffix == 0 && std::slice::from_raw_parts(b, n).contains(&0) {
                                raise(
                                    &raw mut crate::pyerrors::EXC_ValueError,
                                    "embedded null byte",
                                );
                                return Err(None);
                            }
                            put(p, b.cast::<std::ffi::c_char>());
                            if suffix == b'#' {
                                put(plen, n as Py_ssize_t);
                            }
                            return Ok(());
                        }
                        Some(Err(())) => return Err(None),
                        None => return no_buffer(arg),
                    }
                }
            }
            converr(expected, arg)
        }
    }
}

/// Splits `name:fname` / `name;message` off the units.
fn split_format(format: &[u8]) -> (&[u8], Name<'_>, Name<'_>) {
    for (i, &c) in format.iter().enumerate() {
        if c == b':' {
            return (
                &format[..i],
                Some(String::from_utf8_lossy(&format[i + 1..])),
                None,
            );
        }
        if c == b';' {
            return (
                &format[..i],
                None,
                Some(String::from_utf8_lossy(&format[i + 1..])),
            );
        }
    }
    (format, None, None)
}

type Name<'a> = Option<Cow<'a, str>>;

/// The function's name for messages, formatted only when a message is built.
struct Who<'a, 'b>(&'b Name<'a>, usize);

impl std::fmt::Display for Who<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(n) => f.write_str(crate::abstract_::trunc(n, self.1)),
            None => f.write_str("function"),
        }
    }
}

/// CPython's `seterror`: "[fname() ]argument N[, item K] must be ..." (or the `;` message).
fn set_error(
    iarg: usize,
    msg: Option<String>,
    levels: &[usize],
    fname: &Name<'_>,
    message: &Name<'_>,
) {
    if err::occurred() {
        return;
    }
    let Some(msg) = msg else { return };
    let text = match message {
        Some(m) => m.to_string(),
        None => {
            let mut s = String::new();
            if let Some(f) = fname {
                s.push_str(&format!("{}() ", trunc(f, 200)));
            }
            if iarg != 0 {
                s.push_str(&format!("argument {iarg}"));
                for l in levels {
                    s.push_str(&format!(", item {}", l - 1));
                }
            } else {
                s.push_str("argument");
            }
            s.push(' ');
            s.push_str(&msg);
            s
        }
    };
    if msg.starts_with('(') {
        system_error(&text);
    } else {
        raise(&raw mut EXC_TypeError, &text);
    }
}

/// Top-level units of `units` (a group counts once) and the index of `|` (min), if any.
fn count_units(units: &[u8]) -> (usize, usize, Option<usize>) {
    let mut n = 0;
    let mut min = None;
    let mut level = 0;
    let mut i = 0;
    while i < units.len() {
        let c = units[i];
        match c {
            b'(' => {
                if level == 0 {
                    n += 1;
                }
                level += 1;
            }
            b')' => level -= 1,
            b'|' if level == 0 => min = Some(n),
            b'$' => {}
            c if level == 0 && c.is_ascii_alphabetic() => {
                n += 1;
                if c == b'e' && matches!(units.get(i + 1), Some(b's' | b't')) {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (n, min.unwrap_or(n), min)
}

fn who<'a, 'b>(fname: &'b Name<'a>) -> (Who<'a, 'b>, &'static str) {
    (Who(fname, 200), if fname.is_some() { "()" } else { "" })
}

/// A format string analysed once: what every call with it needs before converting.
pub struct Compiled {
    /// The format's bytes followed by a NUL.
    text: Box<[u8]>,
    /// Length of the units part (before `:` or `;`).
    units: usize,
    /// The function name after `:`, or the message after `;`.
    fname: Option<String>,
    message: Option<String>,
    /// Output pointers the units consume ([`parse_count`]).
    count: usize,
    /// Top-level units, and how many are required (before `|`).
    max: usize,
    min: usize,
    /// For a format made only of the one-pointer units `i l L n d s p O` (and `|`): those
    /// units in order, so a tuple of exactly typed arguments converts without walking the
    /// format ([`quick_unit`]).
    quick: Option<Box<[u8]>>,
}

/// Converts `arg` for the one-pointer unit `u` when `arg` has the unit's exact builtin type,
/// as [`Parser::convert_fast`] does; false (nothing written that matters) otherwise. Runs no
/// code of the argument's, so a caller may fall back to the general path afterwards.
///
/// # Safety
/// `arg` live; `p` NULL or a pointer of the unit's documented type.
#[inline]
unsafe fn quick_unit(u: u8, arg: *mut PyObject, p: *mut c_void) -> bool {
    if p.is_null() {
        return false;
    }
    // SAFETY: forwarded contract.
    unsafe {
        let t = crate::object::ty(arg);
        match u {
            b'i' | b'l' | b'L' | b'n' if t == &raw mut crate::longobject::PyLong_Type => {
                let Some(v) = crate::longobject::compact(arg) else {
                    return false;
                };
                if u == b'i' {
                    let Ok(v) = i32::try_from(v) else {
                        return false;
                    };
                    put(p, v);
                } else {
                    put(p, v);
                }
            }
            b'd' if t == &raw mut crate::floatobject::PyFloat_Type => {
                put(
                    p,
                    (*arg.cast::<crate::floatobject::PyFloatObject>()).ob_fval,
                );
            }
            b's' if t == &raw mut crate::unicodeobject::PyUnicode_Type => {
                let Some(text) = crate::unicodeobject::as_str(arg) else {
                    return false;
                };
                // The UTF-8 is NUL-terminated: a shorter C string means an embedded NUL.
                let c = text.as_ptr().cast::<std::ffi::c_char>();
                if libc::strlen(c) != text.len() {
                    return false;
                }
                put(p, c);
            }
            b'p' if t == &raw mut crate::boolobject::PyBool_Type => {
                put(p, c_int::from(arg == crate::boolobject::true_()));
            }
            b'O' => put(p, arg),
            _ => return false,
        }
        true
    }
}

/// `PyArg_ParseTuple`'s common case, before any of the general path's set-up: `args` a tuple
/// of `min..=max` items, each of its unit's exact type ([`quick_unit`]), all converted. False
/// leaves everything to the general path (which converts again from the first argument).
///
/// # Safety
/// `args` NULL or live; `ptrs` the caller's output pointers.
#[inline]
unsafe fn quick_tuple(
    args: *mut PyObject,
    quick: &[u8],
    min: usize,
    max: usize,
    ptrs: &[*mut c_void],
) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        if args.is_null() || !crate::tupleobject::is_tuple(args) {
            return false;
        }
        let items = crate::tupleobject::items(args);
        let len = items.len();
        if len < min || len > max || ptrs.len() < len {
            return false;
        }
        for k in 0..len {
            if !quick_unit(quick[k], items[k], ptrs[k]) {
                return false;
            }
        }
        true
    }
}

impl Compiled {
    fn new(format: &[u8]) -> Compiled {
        let (units, fname, message) = split_format(format);
        let (max, min, _) = count_units(units);
        let mut text = Vec::with_capacity(format.len() + 1);
        text.extend_from_slice(format);
        text.push(0);
        Compiled {
            text: text.into(),
            units: units.len(),
            fname: fname.map(Cow::into_owned),
            message: message.map(Cow::into_owned),
            count: parse_count(format),
            max,
            min,
            quick: units
                .iter()
                .all(|c| b"ilLndspO|".contains(c))
                .then(|| units.iter().copied().filter(|&c| c != b'|').collect()),
        }
    }
}

/// Slots of a per-thread cache of compiled formats.
pub(crate) const FORMAT_CACHE_SLOTS: usize = 64;

/// A per-thread cache of compiled formats keyed by the format's address (direct-mapped). An
/// entry is used only if the text at that address still equals the text it was compiled from,
/// so a format buffer that is reused for another text (or freed and its address reused) is
/// looked up again, never misread; for the usual static formats the check is one `strcmp`.
pub(crate) type FormatSlots<T> = [std::cell::Cell<(usize, *const T)>; FORMAT_CACHE_SLOTS];

/// Every format compiled so far, one per distinct text, kept for the life of the process
/// (formats are string literals in practice, so this stays as small as the set of formats the
/// loaded extensions use). Only a miss of the per-thread cache comes here.
pub(crate) type CompiledByText<T> =
    std::sync::Mutex<Option<std::collections::HashMap<Box<[u8]>, &'static T>>>;

/// Something compiled from a format text that [`cached`] can keep.
pub(crate) trait FormatCompiled: Sync + 'static {
    /// Compiles `format` (its bytes without the NUL).
    fn compile(format: &[u8]) -> Self;
    /// The text compiled from, followed by its NUL.
    fn text(&self) -> &[u8];
}

/// The compiled form of the NUL-terminated `format`: from the per-thread `slots` when the entry
/// at the format's address was compiled from the same text, else from (or into) `all`.
///
/// # Safety
/// `format` must be a NUL-terminated string.
#[inline]
pub(crate) unsafe fn cached<T: FormatCompiled>(
    format: *const c_char,
    slots: &'static std::thread::LocalKey<FormatSlots<T>>,
    all: &'static CompiledByText<T>,
) -> &'static T {
    let key = format as usize;
    let slot = (key >> 3) % FORMAT_CACHE_SLOTS;
    let (k, c) = slots.with(|cache| cache[slot].get());
    if k == key && !c.is_null() {
        // SAFETY: entries come from `all`, leaked boxes alive for the whole process.
        let c: &'static T = unsafe { &*c };
        // SAFETY: forwarded contract.
        if unsafe { same_text(format, c.text()) } {
            return c;
        }
    }
    // SAFETY: forwarded contract.
    unsafe { cached_slow(format, slots, all) }
}

/// The miss of [`cached`], out of line.
///
/// # Safety
/// As [`cached`].
#[inline(never)]
unsafe fn cached_slow<T: FormatCompiled>(
    format: *const c_char,
    slots: &'static std::thread::LocalKey<FormatSlots<T>>,
    all: &'static CompiledByText<T>,
) -> &'static T {
    let key = format as usize;
    let slot = (key >> 3) % FORMAT_CACHE_SLOTS;
    // SAFETY: forwarded contract.
    let text = unsafe { CStr::from_ptr(format) }.to_bytes();
    let c: &'static T = {
        let mut all = all.lock().unwrap_or_else(|e| e.into_inner());
        let all = all.get_or_insert_with(Default::default);
        match all.get(text) {
            Some(c) => c,
            None => {
                let c: &'static T = Box::leak(Box::new(T::compile(text)));
                all.insert(text.into(), c);
                c
            }
        }
    };
    slots.with(|cache| cache[slot].set((key, c)));
    c
}

impl FormatCompiled for Compiled {
    fn compile(format: &[u8]) -> Compiled {
        Compiled::new(format)
    }
    fn text(&self) -> &[u8] {
        &self.text
    }
}

static COMPILED: CompiledByText<Compiled> = std::sync::Mutex::new(None);

thread_local! {
    static FORMAT_CACHE: FormatSlots<Compiled> =
        const { [const { std::cell::Cell::new((0, std::ptr::null())) }; FORMAT_CACHE_SLOTS] };
}

/// Whether the NUL-terminated string at `p` is exactly `text` (which ends with its NUL).
///
/// # Safety
/// `p` must be a NUL-terminated string.
unsafe fn same_text(p: *const c_char, text: &[u8]) -> bool {
    // SAFETY: both are NUL-terminated; strcmp reads neither past its NUL.
    unsafe { libc::strcmp(p, text.as_ptr().cast()) == 0 }
}

/// The compiled form of the NUL-terminated `format` (from the caches when it is there).
///
/// # Safety
/// `format` must be a NUL-terminated string.
pub(crate) unsafe fn compiled(format: *const c_char) -> &'static Compiled {
    // SAFETY: forwarded contract.
    unsafe { cached(format, &FORMAT_CACHE, &COMPILED) }
}

/// [`parse`] with an already compiled format.
///
/// # Safety
/// As [`parse`].
pub(crate) unsafe fn parse_compiled(
    args: *mut PyObject,
    kw: *mut PyObject,
    c: &Compiled,
    kwlist: &[&str],
    ptrs: &[*mut c_void],
    mode: ParseMode,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { parse_compiled_keys(args, kw, c, kwlist, &[], ptrs, mode) }
}

/// [`parse_compiled`] with `keys`: the keyword names of `kwlist` as str objects (for the
/// keyword dict's lookups; empty, or a NULL entry: made from the text per lookup).
///
/// # Safety
/// As [`parse`]; `keys` live str objects.
unsafe fn parse_compiled_keys(
    args: *mut PyObject,
    kw: *mut PyObject,
    c: &Compiled,
    kwlist: &[&str],
    keys: &[*mut PyObject],
    ptrs: &[*mut c_void],
    mode: ParseMode,
) -> c_int {
    let units = &c.text[..c.units];
    let fname: Name<'_> = c.fname.as_deref().map(Cow::Borrowed);
    let message: Name<'_> = c.message.as_deref().map(Cow::Borrowed);
    let mut p = Parser {
        f: units,
        pos: 0,
        ptrs,
        pi: 0,
        fname: fname.clone(),
        message: message.clone(),
    };
    let (max, min) = (c.max, c.min);
    let (fw, paren) = who(&fname);
    let mut levels = Vec::new();
    // SAFETY: forwarded contract.
    unsafe {
        match mode {
            ParseMode::Single => {
                if max == 0 {
                    if args.is_null() {
                        return 1;
                    }
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("{fw}{paren} takes no arguments"),
                    );
                    return 0;
                }
                if min == 1 && max == 1 {
                    if args.is_null() {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{fw}{paren} takes at least one argument"),
                        );
                        return 0;
                    }
                    return match p.convert(args, &mut levels) {
                        Ok(()) => 1,
                        Err(m) => {
                            set_error(0, m, &levels, &p.fname, &p.message);
                            0
                        }
                    };
                }
                system_error("old style getargs format uses new features");
                0
            }
            ParseMode::Tuple => {
                if args.is_null() || !crate::tupleobject::is_tuple(args) {
                    system_error("new style getargs format but argument is not a tuple");
                    return 0;
                }
                let items = crate::tupleobject::items(args);
                let len = items.len();
                if let Some(quick) = &c.quick
                    && len >= min
                    && len <= max
                    && ptrs.len() >= len
                    && items
                        .iter()
                        .zip(quick.iter())
                        .zip(ptrs)
                        .all(|((&a, &u), &out)| quick_unit(u, a, out))
                {
                    // Every argument was of its unit's exact type (else the general path
                    // below converts them all again, from the first).
                    return 1;
                }
                if len < min || len > max {
                    match &message {
                        Some(m) => {
                            raise(&raw mut EXC_TypeError, m);
                        }
                        None => {
                            let k = if len < min { min } else { max };
                            raise(
                                &raw mut EXC_TypeError,
                                &format!(
                                    "{}{paren} takes {} {k} argument{} ({len} given)",
                                    Who(&fname, 150),
                                    if min == max {
                                        "exactly"
                                    } else if len < min {
                                        "at least"
                                    } else {
                                        "at most"
                                    },
                                    if k == 1 { "" } else { "s" }
                                ),
                            );
                        }
                    }
                    return 0;
                }
                for (i, &a) in items.iter().enumerate() {
                    while p.peek() == b'|' {
                        p.pos += 1;
                    }
                    if p.convert_fast(a) {
                        continue;
                    }
                    if let Err(m) = p.convert(a, &mut levels) {
                        set_error(i + 1, m, &levels, &p.fname, &p.message);
                        return 0;
                    }
                }
                1
            }
            ParseMode::Keywords => parse_keywords(&mut p, args, kw, kwlist, keys),
        }
    }
}

unsafe fn parse_keywords(
    p: &mut Parser<'_>,
    args: *mut PyObject,
    kw: *mut PyObject,
    kwlist: &[&str],
    keys: &[*mut PyObject],
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if args.is_null()
            || !crate::tupleobject::is_tuple(args)
            || (!kw.is_null() && !crate::dictobject::is_dict(kw))
        {
            err::bad_internal_call();
            return 0;
        }
        let fname = p.fname.clone();
        let (fw, paren) = who(&fname);
        let items = crate::tupleobject::items(args);
        let nargs = items.len();
        let len = kwlist.len();
        let pos = kwlist.iter().take_while(|k| k.is_empty()).count();
        let mut nkwargs = if kw.is_null() {
            0
        } else {
            crate::dictobject::len(kw) as usize
        };
        if nargs + nkwargs > len {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{fw}{paren} takes at most {len} {}argument{} ({} given)",
                    if nargs == 0 { "keyword " } else { "" },
                    if len == 1 { "" } else { "s" },
                    nargs + nkwargs
                ),
            );
            return 0;
        }
        let mut min = usize::MAX;
        let mut max = usize::MAX;
        let mut levels = Vec::new();
        for i in 0..len {
            if p.peek() == b'|' {
                min = i;
                p.pos += 1;
            }
            if p.peek() == b'$' {
                max = i;
                p.pos += 1;
                if max < nargs {
                    if max == 0 {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{fw}{paren} takes no positional arguments"),
                        );
                    } else {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "{fw}{paren} takes {} {max} positional argument{} ({nargs} given)",
                                if min != usize::MAX {
                                    "at most"
                                } else {
                                    "exactly"
                                },
                                if max == 1 { "" } else { "s" }
                            ),
                        );
                    }
                    return 0;
                }
            }
            if p.peek() == 0 {
                system_error(&format!(
                    "more keyword list entries ({len}) than format specifiers ({i})"
                ));
                return 0;
            }
            let mut current = null_mut();
            if i < nargs {
                current = items[i];
            } else if nkwargs > 0 && i >= pos {
                current = match keys.get(i) {
                    Some(&k) if !k.is_null() => crate::dictobject::get(kw, k),
                    _ => crate::dictobject::get_str(kw, kwlist[i]),
                };
                if !current.is_null() {
                    nkwargs -= 1;
                }
            }
            if !current.is_null() {
                if p.convert_fast(current) {
                    continue;
                }
                if let Err(m) = p.convert(current, &mut levels) {
                    set_error(i + 1, m, &levels, &p.fname, &p.message);
                    return 0;
                }
                continue;
            }
            if i < min {
                if i < pos {
                    let m = pos.min(min);
                    raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "{fw}{paren} takes {} {m} positional argument{} ({nargs} given)",
                            if m < max { "at least" } else { "exactly" },
                            if m == 1 { "" } else { "s" }
                        ),
                    );
                } else {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "{fw}{paren} missing required argument '{}' (pos {})",
                            kwlist[i],
                            i + 1
                        ),
                    );
                }
                return 0;
            }
            p.skip();
        }
        if !matches!(p.peek(), 0 | b'|' | b'$') {
            system_error(&format!(
                "more argument specifiers than keyword list entries (remaining format:'{}')",
                String::from_utf8_lossy(&p.f[p.pos..])
            ));
            return 0;
        }
        if nkwargs > 0 {
            for (i, name) in kwlist.iter().enumerate().take(nargs).skip(pos) {
                if !crate::dictobject::get_str(kw, name).is_null() {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "argument for {fw}{paren} given by name ('{name}') and position ({})",
                            i + 1
                        ),
                    );
                    return 0;
                }
            }
            let (tw, tparen) = match &fname {
                Some(f) => (trunc(f, 200), "()"),
                None => ("this function".to_string(), ""),
            };
            for (k, _) in crate::dictobject::entries(kw) {
                let Some(ks) = crate::unicodeobject::as_str(k)
                    .map(str::to_owned)
                    .or_else(|| is_str(k).then(|| crate::object::str_string(k)))
                else {
                    raise(&raw mut EXC_TypeError, "keywords must be strings");
                    return 0;
                };
                if !kwlist[pos..].iter().any(|n| *n == ks) {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("{tw}{tparen} got an unexpected keyword argument '{ks}'"),
                    );
                    return 0;
                }
            }
            raise(
                &raw mut EXC_TypeError,
                &format!("invalid keyword argument for {tw}{tparen}"),
            );
            return 0;
        }
        1
    }
}

#[export(err = -1, guard_name = "PyArg_Parse")]
pub unsafe fn _gilgate_parse_count(format: *const std::ffi::c_char) -> Py_ssize_t {
    if format.is_null() {
        system_error("NULL format passed to PyArg_Parse");
        return -1;
    }
    // SAFETY: a NUL-terminated format.
    unsafe { compiled(format) }.count as Py_ssize_t
}

/// The compiled `format` for the shim (NULL with SystemError for a NULL format) and, in
/// `count`, how many pointers its units consume. Compiled formats live for the whole process.
///
/// # Safety
/// `format` NULL or NUL-terminated; `count` writable.
#[export(err = std::ptr::null(), guard_name = "PyArg_Parse")]
pub unsafe fn _gilgate_parse_prepare(
    format: *const std::ffi::c_char,
    count: *mut Py_ssize_t,
) -> *const Compiled {
    if format.is_null() {
        system_error("NULL format passed to PyArg_Parse");
        return std::ptr::null();
    }
    // SAFETY: a NUL-terminated format; `count` writable (shim contract).
    unsafe {
        let c = compiled(format);
        *count = c.count as Py_ssize_t;
        c
    }
}

/// `_gilgate_parse` with a format from `_gilgate_parse_prepare`.
///
/// # Safety
/// As `_gilgate_parse`; `c` from `_gilgate_parse_prepare`.
#[export(err = 0, guard_name = "PyArg_Parse")]
pub unsafe fn _gilgate_parse_prepared(
    args: *mut PyObject,
    kw: *mut PyObject,
    c: *const Compiled,
    kwlist: *const *const std::ffi::c_char,
    ptrs: *const *mut c_void,
    n: Py_ssize_t,
    mode: c_int,
) -> c_int {
    // SAFETY: `c` is a leaked compiled format; the rest is `_gilgate_parse`'s contract.
    unsafe { parse_with(args, kw, &*c, kwlist, ptrs, n, mode) }
}

/// A `PyArg_ParseTupleAndKeywords` keyword list read once (CPython compiles its `_PyArg_Parser`
/// keyword names once the same way): the names as text and as interned str objects, so a
/// keyword lookup is a dict lookup of an object whose hash is known, not a str made, hashed and
/// freed per name and call.
struct KeywordList {
    /// The list's pointers and the text each pointed to (with its NUL), for the check.
    entries: Box<[(usize, Box<[u8]>)]>,
    names: Box<[&'static str]>,
    keys: Box<[*mut PyObject]>,
}

// SAFETY: the key objects are immortal interned str objects, shared read-only by every thread.
unsafe impl Sync for KeywordList {}
// SAFETY: as above.
unsafe impl Send for KeywordList {}

/// Keyword lists compiled so far, one per distinct content (pointers and texts).
static KEYWORD_LISTS: std::sync::Mutex<Option<KeywordListsByContent>> = std::sync::Mutex::new(None);

type KeywordListsByContent =
    std::collections::HashMap<Vec<(usize, Box<[u8]>)>, &'static KeywordList>;

thread_local! {
    /// Compiled keyword lists keyed by the list's address (direct-mapped); an entry is used
    /// only if every pointer of the list and the text behind it are still the ones compiled.
    static KEYWORD_CACHE: [std::cell::Cell<(usize, *const KeywordList)>; FORMAT_CACHE_SLOTS] =
        const { [const { std::cell::Cell::new((0, std::ptr::null())) }; FORMAT_CACHE_SLOTS] };
}

/// Whether the NULL-terminated list at `kwlist` is the one `kl` was compiled from.
///
/// # Safety
/// `kwlist` must be a NULL-terminated array of NUL-terminated strings.
unsafe fn same_list(kwlist: *const *const c_char, kl: &KeywordList) -> bool {
    // SAFETY: forwarded contract; the list is read up to its NULL, never past.
    unsafe {
        let mut k = kwlist;
        for (p, text) in kl.entries.iter() {
            if (*k).is_null() || *k as usize != *p || !same_text(*k, text) {
                return false;
            }
            k = k.add(1);
        }
        (*k).is_null()
    }
}

/// The compiled form of the keyword list `kwlist` (from the caches when it is there).
///
/// # Safety
/// `kwlist` must be a NULL-terminated array of NUL-terminated strings.
unsafe fn keyword_list(kwlist: *const *const c_char) -> &'static KeywordList {
    let key = kwlist as usize;
    let slot = (key >> 3) % FORMAT_CACHE_SLOTS;
    let (k, c) = KEYWORD_CACHE.with(|cache| cache[slot].get());
    // SAFETY: entries are leaked, alive for the whole process; forwarded contract.
    unsafe {
        if k == key && !c.is_null() && same_list(kwlist, &*c) {
            return &*c;
        }
        let mut entries = Vec::new();
        let mut p = kwlist;
        while !(*p).is_null() {
            let text = CStr::from_ptr(*p).to_bytes_with_nul();
            entries.push((*p as usize, Box::<[u8]>::from(text)));
            p = p.add(1);
        }
        let kl: &'static KeywordList = {
            let mut all = KEYWORD_LISTS.lock().unwrap_or_else(|e| e.into_inner());
            let all = all.get_or_insert_with(Default::default);
            match all.get(&entries) {
                Some(kl) => kl,
                None => {
                    let names: Box<[&'static str]> = entries
                        .iter()
                        .map(|(_, t)| {
                            let t = std::str::from_utf8(&t[..t.len() - 1]).unwrap_or("\u{fffd}");
                            &*Box::leak(Box::<str>::from(t))
                        })
                        .collect();
                    let keys = names
                        .iter()
                        .map(|n| {
                            // A failed intern leaves the name to the per-lookup path.
                            let k = crate::unicodeobject::intern(n);
                            if k.is_null() {
                                err::clear();
                            }
                            k
                        })
                        .collect();
                    let kl: &'static KeywordList = Box::leak(Box::new(KeywordList {
                        entries: entries.clone().into(),
                        names,
                        keys,
                    }));
                    all.insert(entries, kl);
                    kl
                }
            }
        };
        KEYWORD_CACHE.with(|cache| cache[slot].set((key, kl)));
        kl
    }
}

/// The shared body of `_gilgate_parse` and `_gilgate_parse_prepared`.
unsafe fn parse_with(
    args: *mut PyObject,
    kw: *mut PyObject,
    c: &Compiled,
    kwlist: *const *const std::ffi::c_char,
    ptrs: *const *mut c_void,
    n: Py_ssize_t,
    mode: c_int,
) -> c_int {
    // SAFETY: the shim passes the caller's keyword list and `n` pointers.
    unsafe {
        let mode = match mode {
            0 => ParseMode::Single,
            1 => ParseMode::Tuple,
            _ => ParseMode::Keywords,
        };
        let ptrs = if n <= 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(ptrs, n as usize)
        };
        if mode == ParseMode::Tuple
            && let Some(quick) = &c.quick
            && quick_tuple(args, quick, c.min, c.max, ptrs)
        {
            return 1;
        }
        if mode == ParseMode::Keywords {
            if kwlist.is_null() {
                err::bad_internal_call();
                return 0;
            }
            let kl = keyword_list(kwlist);
            return parse_compiled_keys(args, kw, c, &kl.names, &kl.keys, ptrs, mode);
        }
        parse_compiled(args, kw, c, &[], ptrs, mode)
    }
}

#[export(err = 0, guard_name = "PyArg_Parse")]
pub unsafe fn _gilgate_parse(
    args: *mut PyObject,
    kw: *mut PyObject,
    format: *const std::ffi::c_char,
    kwlist: *const *const std::ffi::c_char,
    ptrs: *const *mut c_void,
    n: Py_ssize_t,
    mode: c_int,
) -> c_int {
    // SAFETY: the shim passes the caller's NUL-terminated format, keyword list and `n`
    // pointers.
    unsafe { parse_with(args, kw, compiled(format), kwlist, ptrs, n, mode) }
}

/// `PyArg_UnpackTuple`'s checks: the number of items to hand out, or -1.
///
/// # Safety
/// `args` live; `name` NULL or NUL-terminated.
pub(crate) unsafe fn unpack_check(
    args: *mut PyObject,
    name: *const std::ffi::c_char,
    min: Py_ssize_t,
    max: Py_ssize_t,
) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe {
        if args.is_null() || !crate::tupleobject::is_tuple(args) {
            system_error("PyArg_UnpackTuple() argument list is not a tuple");
            return -1;
        }
        let l = crate::tupleobject::items(args).len() as Py_ssize_t;
        let n = (!name.is_null()).then(|| CStr::from_ptr(name).to_string_lossy());
        if !check_positional(n.as_deref(), l, min, max) {
            return -1;
        }
        l
    }
}

#[export(err = -1, guard_name = "PyArg_UnpackTuple")]
pub unsafe fn _gilgate_unpack_check(
    args: *mut PyObject,
    name: *const std::ffi::c_char,
    min: Py_ssize_t,
    max: Py_ssize_t,
) -> Py_ssize_t {
    // SAFETY: per PyArg_UnpackTuple's contract.
    unsafe { unpack_check(args, name, min, max) }
}

#[export]
pub unsafe fn PyArg_ValidateKeywordArguments(kw: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe {
        if kw.is_null() || !crate::dictobject::is_dict(kw) {
            err::bad_internal_call();
            return 0;
        }
        for (k, _) in crate::dictobject::entries(kw) {
            if !is_str(k) {
                raise(&raw mut EXC_TypeError, "keywords must be strings");
                return 0;
            }
        }
        1
    }
}

#[export]
pub unsafe fn _PyArg_NoKeywords(funcname: *const std::ffi::c_char, kwargs: *mut PyObject) -> c_int {
    // SAFETY: per the (private) C API contract.
    unsafe {
        if kwargs.is_null() || crate::dictobject::len(kwargs) == 0 {
            return 1;
        }
        let n = CStr::from_ptr(funcname).to_string_lossy();
        raise(
            &raw mut EXC_TypeError,
            &format!("{}() takes no keyword arguments", trunc(&n, 200)),
        );
        0
    }
}

#[export]
pub unsafe fn _PyArg_NoPositional(funcname: *const std::ffi::c_char, args: *mut PyObject) -> c_int {
    // SAFETY: per the (private) C API contract.
    unsafe {
        if args.is_null() || crate::tupleobject::items(args).is_empty() {
            return 1;
        }
        let n = CStr::from_ptr(funcname).to_string_lossy();
        raise(
            &raw mut EXC_TypeError,
            &format!("{}() takes no positional arguments", trunc(&n, 200)),
        );
        0
    }
}

/// `_PyArg_CheckPositional`'s and `PyArg_UnpackTuple`'s count check: true when `l` is within
/// `min..=max`, else TypeError.
pub(crate) fn check_positional(
    name: Option<&str>,
    l: Py_ssize_t,
    min: Py_ssize_t,
    max: Py_ssize_t,
) -> bool {
    let (bound, which) = if l < min {
        (min, "at least ")
    } else if l > max && l != 0 {
        (max, "at most ")
    } else {
        return true;
    };
    let which = if min == max { "" } else { which };
    let plural = if bound == 1 { "" } else { "s" };
    let msg = match name {
        Some(n) => format!(
            "{} expected {which}{bound} argument{plural}, got {l}",
            trunc(n, 200)
        ),
        None => format!("unpacked tuple should have {which}{bound} element{plural}, but has {l}"),
    };
    raise(&raw mut EXC_TypeError, &msg);
    false
}

#[export]
pub unsafe fn _PyArg_CheckPositional(
    name: *const std::ffi::c_char,
    nargs: Py_ssize_t,
    min: Py_ssize_t,
    max: Py_ssize_t,
) -> c_int {
    // SAFETY: per the (private) C API contract.
    unsafe {
        let n = (!name.is_null()).then(|| CStr::from_ptr(name).to_string_lossy());
        c_int::from(check_positional(n.as_deref(), nargs, min, max))
    }
}

#[export]
pub unsafe fn _PyArg_BadArgument(
    fname: *const std::ffi::c_char,
    displayname: *const std::ffi::c_char,
    expected: *const std::ffi::c_char,
    arg: *mut PyObject,
) {
    // SAFETY: per the (private) C API contract: NUL-terminated names, a live object.
    unsafe {
        let f = CStr::from_ptr(fname).to_string_lossy();
        let d = CStr::from_ptr(displayname).to_string_lossy();
        let e = CStr::from_ptr(expected).to_string_lossy();
        let t = shown_type(arg);
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "{}() {} must be {}, not {}",
                trunc(&f, 200),
                trunc(&d, 200),
                trunc(&e, 50),
                trunc(&t, 50)
            ),
        );
    }
}

// ---- _PyArg_Parser ------------------------------------------------------------------------

/// `struct _PyArg_Parser` (3.14's `cpython/modsupport.h`): Argument Clinic's static description
/// of a function's parameters, filled in on first use.
#[repr(C)]
pub struct _PyArg_Parser {
    pub format: *const c_char,
    pub keywords: *const *const c_char,
    pub fname: *const c_char,
    pub custom_msg: *const c_char,
    /// `_PyOnceFlag`: 0 until the fields below are set, then 1.
    pub once: u8,
    pub is_kwtuple_owned: c_int,
    /// Number of positional-only parameters (the leading empty names of `keywords`).
    pub pos: c_int,
    pub min: c_int,
    pub max: c_int,
    /// Tuple of the keyword parameters' names (interned str).
    pub kwtuple: *mut PyObject,
    pub next: *mut _PyArg_Parser,
}

// CPython 3.14t's layout (x86_64): 72 bytes, `kwtuple` at 56.
const _: () = assert!(std::mem::size_of::<_PyArg_Parser>() == 72);
const _: () = assert!(std::mem::offset_of!(_PyArg_Parser, kwtuple) == 56);

/// Serialises first-use initialisation of parsers (CPython's once flag per parser).
static PARSER_INIT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// CPython's `parser_init`: counts the positional-only names and makes `kwtuple` when the
/// parser has none. False with an exception.
///
/// # Safety
/// `parser` must point to a live `_PyArg_Parser` whose `keywords` array ends with NULL.
unsafe fn parser_init(parser: *mut _PyArg_Parser) -> bool {
    let _g = PARSER_INIT.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: forwarded contract; initialisation is serialised by the lock.
    unsafe {
        if (*parser).once == 1 {
            return true;
        }
        let mut names = Vec::new();
        let mut pos = 0;
        let mut k = (*parser).keywords;
        while !k.is_null() && !(*k).is_null() {
            let name = CStr::from_ptr(*k).to_string_lossy();
            if name.is_empty() {
                if !names.is_empty() {
                    system_error("Empty keyword parameter name");
                    return false;
                }
                pos += 1;
            } else {
                names.push(name.into_owned());
            }
            k = k.add(1);
        }
        let npos = pos + names.len();
        if (*parser).kwtuple.is_null() {
            let strs: Vec<*mut PyObject> = names
                .iter()
                .map(|n| crate::unicodeobject::intern(n))
                .collect();
            if strs.iter().any(|s| s.is_null()) {
                return false;
            }
            let t = crate::tupleobject::from_slice(&strs);
            if t.is_null() {
                return false;
            }
            (*parser).kwtuple = t;
            (*parser).is_kwtuple_owned = 1;
        }
        (*parser).pos = pos as c_int;
        (*parser).min = npos as c_int;
        (*parser).max = npos as c_int;
        (*parser).once = 1;
        true
    }
}

/// The function's name for `_PyArg_UnpackKeywords`' messages: `fname`, else the format's
/// `:name`.
///
/// # Safety
/// `parser` must point to a live parser.
unsafe fn parser_name(parser: *const _PyArg_Parser) -> Option<String> {
    // SAFETY: forwarded contract: NULL or NUL-terminated strings.
    unsafe {
        if !(*parser).fname.is_null() {
            return Some(
                CStr::from_ptr((*parser).fname)
                    .to_string_lossy()
                    .into_owned(),
            );
        }
        if (*parser).format.is_null() {
            return None;
        }
        let f = CStr::from_ptr((*parser).format).to_bytes();
        split_format(f).1.map(Cow::into_owned)
    }
}

/// The value passed for keyword `name` in a vectorcall's `kwnames`/`kwstack` (borrowed).
///
/// # Safety
/// `kwnames` must be a tuple of str and `kwstack` hold as many live objects.
unsafe fn find_keyword(
    kwnames: *mut PyObject,
    kwstack: *const *mut PyObject,
    name: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        for (i, &k) in crate::tupleobject::items(kwnames).iter().enumerate() {
            if k == name || crate::unicodeobject::equal(k, name) {
                return *kwstack.add(i);
            }
        }
        null_mut()
    }
}

/// `_PyArg_UnpackKeywords(args, nargs, kwargs, kwnames, parser, minpos, maxpos, minkw, varpos,
/// buf)` (3.14's signature): checks a call against an Argument Clinic parser and returns the
/// parameters in order (`args` itself when nothing needs moving, else `buf`, missing optional
/// ones NULL, all borrowed), or NULL with CPython's TypeError.
#[export(err = std::ptr::null())]
#[allow(clippy::too_many_arguments)]
pub unsafe fn _PyArg_UnpackKeywords(
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwargs: *mut PyObject,
    kwnames: *mut PyObject,
    parser: *mut _PyArg_Parser,
    minpos: c_int,
    maxpos: c_int,
    minkw: c_int,
    varpos: c_int,
    buf: *mut *mut PyObject,
) -> *const *mut PyObject {
    // SAFETY: per the (private) C API contract: `args` holds `nargs` objects followed by the
    // values of `kwnames`; `buf` has room for every parameter; `parser` is a live parser.
    unsafe {
        if parser.is_null()
            || (!kwnames.is_null() && !crate::tupleobject::is_tuple(kwnames))
            || (!kwargs.is_null() && !crate::dictobject::is_dict(kwargs))
        {
            err::bad_internal_call();
            return std::ptr::null();
        }
        let mut args = args;
        if args.is_null() && nargs == 0 {
            args = buf;
        }
        if !parser_init(parser) {
            return std::ptr::null();
        }
        let kwtuple = (*parser).kwtuple;
        let posonly = (*parser).pos as isize;
        let minposonly = posonly.min(minpos as isize);
        let maxargs = posonly + crate::tupleobject::items(kwtuple).len() as isize;
        let (minpos, maxpos, minkw) = (minpos as isize, maxpos as isize, minkw as isize);
        let varpos = varpos != 0;
        let mut kwstack: *const *mut PyObject = std::ptr::null();
        let mut nkwargs = if !kwargs.is_null() {
            crate::dictobject::entries(kwargs).len() as isize
        } else if !kwnames.is_null() {
            kwstack = args.add(nargs as usize);
            crate::tupleobject::items(kwnames).len() as isize
        } else {
            0
        };
        if nkwargs == 0 && minkw == 0 && minpos <= nargs && (varpos || nargs <= maxpos) {
            return args;
        }
        let fname = parser_name(parser);
        let (f, paren) = match &fname {
            Some(n) => (trunc(n, 200).to_string(), "()"),
            None => ("function".to_string(), ""),
        };
        let plural = |n: isize| if n == 1 { "" } else { "s" };
        if !varpos && nargs + nkwargs > maxargs {
            let kw = if nargs == 0 { "keyword " } else { "" };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{f}{paren} takes at most {maxargs} {kw}argument{} ({} given)",
                    plural(maxargs),
                    nargs + nkwargs
                ),
            );
            return std::ptr::null();
        }
        if !varpos && nargs > maxpos {
            let msg = if maxpos == 0 {
                format!("{f}{paren} takes no positional arguments")
            } else {
                let which = if minpos < maxpos {
                    "at most"
                } else {
                    "exactly"
                };
                format!(
                    "{f}{paren} takes {which} {maxpos} positional argument{} ({nargs} given)",
                    plural(maxpos)
                )
            };
            raise(&raw mut EXC_TypeError, &msg);
            return std::ptr::null();
        }
        if nargs < minposonly {
            let which = if varpos || minposonly < maxpos {
                "at least"
            } else {
                "exactly"
            };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{f}{paren} takes {which} {minposonly} positional argument{} ({nargs} given)",
                    plural(minposonly)
                ),
            );
            return std::ptr::null();
        }
        let nargs = if varpos { maxpos.min(nargs) } else { nargs };
        for i in 0..nargs as usize {
            *buf.add(i) = *args.add(i);
        }
        let reqlimit = if minkw != 0 { maxpos + minkw } else { minpos };
        // The value given by name for `keyword` (NULL when none), or Err with the lookup's error
        // set. Borrowed: the dict or the caller's stack keeps it alive for the call, as in
        // CPython.
        let by_name = |keyword: *mut PyObject| -> Result<*mut PyObject, ()> {
            if kwargs.is_null() {
                return Ok(find_keyword(kwnames, kwstack, keyword));
            }
            let v = crate::dictobject::get_ref(kwargs, keyword);
            if v.is_null() && err::occurred() {
                return Err(());
            }
            xdecref(v);
            Ok(v)
        };
        let mut i = nargs.max(posonly);
        while i < maxargs {
            let current = if nkwargs != 0 {
                let keyword = crate::tupleobject::items(kwtuple)[(i - posonly) as usize];
                let Ok(v) = by_name(keyword) else {
                    return std::ptr::null();
                };
                v
            } else if i >= reqlimit {
                break;
            } else {
                null_mut()
            };
            *buf.add(i as usize) = current;
            if !current.is_null() {
                nkwargs -= 1;
            } else if i < minpos || (maxpos <= i && i < reqlimit) {
                let keyword = crate::tupleobject::items(kwtuple)[(i - posonly) as usize];
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "{f}{paren} missing required argument '{}' (pos {})",
                        crate::object::str_string(keyword),
                        i + 1
                    ),
                );
                return std::ptr::null();
            }
            i += 1;
        }
        if nkwargs > 0 {
            for i in posonly..nargs {
                let keyword = crate::tupleobject::items(kwtuple)[(i - posonly) as usize];
                let Ok(current) = by_name(keyword) else {
                    return std::ptr::null();
                };
                if !current.is_null() {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "argument for {f}{paren} given by name ('{}') and position ({})",
                            crate::object::str_string(keyword),
                            i + 1
                        ),
                    );
                    return std::ptr::null();
                }
            }
            unexpected_keyword(kwargs, kwnames, kwtuple, fname.as_deref());
            return std::ptr::null();
        }
        buf
    }
}

/// CPython's `error_unexpected_keyword_arg`: names the first keyword that is not a parameter,
/// with a suggestion when one is near.
///
/// # Safety
/// `kwargs` must be NULL or a dict, else `kwnames` a tuple; `kwtuple` a tuple of str.
unsafe fn unexpected_keyword(
    kwargs: *mut PyObject,
    kwnames: *mut PyObject,
    kwtuple: *mut PyObject,
    fname: Option<&str>,
) {
    // SAFETY: forwarded contract.
    unsafe {
        let (f, paren) = match fname {
            Some(n) => (trunc(n, 200).to_string(), "()"),
            None => ("this function".to_string(), ""),
        };
        let keys: Vec<*mut PyObject> = if !kwargs.is_null() {
            crate::dictobject::entries(kwargs)
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        } else {
            crate::tupleobject::items(kwnames).to_vec()
        };
        let params: Vec<String> = crate::tupleobject::items(kwtuple)
            .iter()
            .map(|&k| crate::object::str_string(k))
            .collect();
        for k in keys {
            if !is_str(k) {
                raise(&raw mut EXC_TypeError, "keywords must be strings");
                return;
            }
            let ks = crate::object::str_string(k);
            if params.contains(&ks) {
                continue;
            }
            let msg = match crate::suggestions::suggest(params.iter().map(String::as_str), &ks) {
                Some(s) => format!(
                    "{f}{paren} got an unexpected keyword argument '{ks}'. Did you mean '{s}'?"
                ),
                None => format!("{f}{paren} got an unexpected keyword argument '{ks}'"),
            };
            raise(&raw mut EXC_TypeError, &msg);
            return;
        }
        raise(
            &raw mut EXC_TypeError,
            &format!("invalid keyword argument for {f}{paren}"),
        );
    }
}
