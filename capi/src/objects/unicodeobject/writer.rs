//! String builders: the private `_PyUnicodeWriter` (its struct is public in 3.14's
//! `cpython/unicodeobject.h` and its `_PyUnicodeWriter_Prepare` macro lets extensions write
//! straight into `writer->data`) and the 3.14 public `PyUnicodeWriter`, an opaque handle that
//! gilgate, like CPython, backs with the same private writer (overallocating).
//!
//! The buffer is a real compact str of `size` code points whose kind holds `maxchar`; only the
//! first `pos` are meaningful. Growing or widening makes a new buffer and copies what was
//! written. `Finish` builds the result with the smallest kind its characters need, so a buffer
//! that was widened for a character later overwritten never leaks a non-canonical str.
//! `PyUnicodeWriter_Format` is variadic and lives in `capi/c/unicodewriter.c`.

use super::{data_ptr, from_ucs4, is_str, kind, length, new_uninit};
use crate::object::PyObject;
use crate::pyerrors::{EXC_SystemError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::decref;
use std::ffi::{c_char, c_int, c_void};
use std::ptr::null_mut;

const MAX_UNICODE: u32 = 0x10ffff;

/// `_PyUnicodeWriter` (56 bytes), field for field as CPython 3.14 declares it.
#[repr(C)]
pub struct _PyUnicodeWriter {
    pub buffer: *mut PyObject,
    pub data: *mut c_void,
    pub kind: c_int,
    pub maxchar: u32,
    pub size: Py_ssize_t,
    pub pos: Py_ssize_t,
    pub min_length: Py_ssize_t,
    pub min_char: u32,
    pub overallocate: u8,
    pub readonly: u8,
}

/// The opaque public writer: a heap-allocated private writer.
pub type PyUnicodeWriter = _PyUnicodeWriter;

type Res = Result<(), ()>;

fn to_c(r: Res) -> c_int {
    if r.is_ok() { 0 } else { -1 }
}

/// The largest code point a str's storage can hold (`PyUnicode_MAX_CHAR_VALUE`).
///
/// # Safety
/// `s` must be a live str.
unsafe fn max_char_value(s: *mut PyObject) -> u32 {
    // SAFETY: forwarded contract; the state word is part of every str header.
    let st = unsafe { (*s.cast::<super::PyASCIIObject>()).state };
    if st & super::STATE_ASCII != 0 {
        return 0x7f;
    }
    // SAFETY: as above.
    match unsafe { kind(s) } {
        1 => 0xff,
        2 => 0xffff,
        _ => MAX_UNICODE,
    }
}

/// Reads code unit `i` of `data` stored with `k` bytes per unit.
///
/// # Safety
/// `data` must hold more than `i` units of kind `k`.
unsafe fn get(data: *const u8, k: c_int, i: usize) -> u32 {
    // SAFETY: forwarded contract.
    unsafe {
        match k {
            1 => u32::from(*data.add(i)),
            2 => u32::from(data.cast::<u16>().add(i).read_unaligned()),
            _ => data.cast::<u32>().add(i).read_unaligned(),
        }
    }
}

/// Stores code point `ch` as unit `i` of `data` (kind `k`, which must hold `ch`).
///
/// # Safety
/// `data` must have room for more than `i` units of kind `k`.
unsafe fn put(data: *mut u8, k: c_int, i: usize, ch: u32) {
    // SAFETY: forwarded contract.
    unsafe {
        match k {
            1 => *data.add(i) = ch as u8,
            2 => data.cast::<u16>().add(i).write_unaligned(ch as u16),
            _ => data.cast::<u32>().add(i).write_unaligned(ch),
        }
    }
}

/// Makes `buf` the writer's buffer and refreshes the cached fields from it.
///
/// # Safety
/// `buf` must be a live compact str owned by the writer.
unsafe fn set_buffer(w: &mut _PyUnicodeWriter, buf: *mut PyObject) {
    w.buffer = buf;
    // SAFETY: forwarded contract.
    unsafe {
        w.data = data_ptr(buf).cast();
        w.kind = kind(buf) as c_int;
        w.maxchar = max_char_value(buf);
        w.size = length(buf);
    }
}

impl _PyUnicodeWriter {
    /// `_PyUnicodeWriter_Init`: empty, no buffer, ASCII as the least character width.
    fn init(&mut self) {
        *self = _PyUnicodeWriter {
            buffer: null_mut(),
            data: null_mut(),
            kind: 0,
            maxchar: 0,
            size: 0,
            pos: 0,
            min_length: 0,
            min_char: 127,
            overallocate: 0,
            readonly: 0,
        };
    }

    /// Room for `length` more characters up to `maxchar` (`_PyUnicodeWriter_PrepareInternal`).
    fn prepare(&mut self, length: Py_ssize_t, maxchar: u32) -> Res {
        let length = length.max(0);
        if self.pos > Py_ssize_t::MAX - length {
            crate::pyerrors::no_memory();
            return Err(());
        }
        let maxchar = maxchar.max(self.min_char);
        if maxchar > MAX_UNICODE {
            raise(
                &raw mut EXC_SystemError,
                "invalid maximum character passed to PyUnicode_New",
            );
            return Err(());
        }
        let needed = self.pos + length;
        let grown = |n: Py_ssize_t| -> Py_ssize_t {
            let n = if self.overallocate != 0 && n <= Py_ssize_t::MAX - n / 4 {
                n + n / 4
            } else {
                n
            };
            n.max(self.min_length)
        };
        let (newlen, newmax) = if self.buffer.is_null() {
            (grown(needed), maxchar)
        } else if needed > self.size {
            (grown(needed), maxchar.max(self.maxchar))
        } else if maxchar > self.maxchar {
            (self.size, maxchar)
        } else {
            return Ok(());
        };
        let buf = new_uninit(newlen as usize, newmax);
        if buf.is_null() {
            return Err(());
        }
        // SAFETY: `buf` is a fresh str of `newlen >= pos` units whose kind holds every
        // character written so far; the old buffer holds `pos` written units.
        unsafe {
            let old = self.buffer;
            if !old.is_null() {
                let (src, sk) = (self.data.cast::<u8>(), self.kind);
                let (dst, dk) = (data_ptr(buf), kind(buf) as c_int);
                let n = self.pos as usize;
                if sk == dk {
                    std::ptr::copy_nonoverlapping(src, dst, n * sk as usize);
                } else {
                    for i in 0..n {
                        put(dst, dk, i, get(src, sk, i));
                    }
                }
                decref(old);
            }
            set_buffer(self, buf);
        }
        self.readonly = 0;
        Ok(())
    }

    /// The inline `_PyUnicodeWriter_Prepare` macro's test, then the real work.
    fn reserve(&mut self, length: Py_ssize_t, maxchar: u32) -> Res {
        if !self.buffer.is_null() && maxchar <= self.maxchar && length <= self.size - self.pos {
            return Ok(());
        }
        if length == 0 {
            return Ok(());
        }
        self.prepare(length, maxchar)
    }

    fn prepare_kind(&mut self, k: c_int) -> Res {
        let maxchar = match k {
            1 => 0xff,
            2 => 0xffff,
            4 => MAX_UNICODE,
            _ => {
                crate::pyerrors::bad_internal_call();
                return Err(());
            }
        };
        self.prepare(0, maxchar)
    }

    fn write_char(&mut self, ch: u32) -> Res {
        self.reserve(1, ch)?;
        // SAFETY: `reserve` made room for one more character of this width.
        unsafe { put(self.data.cast(), self.kind, self.pos as usize, ch) };
        self.pos += 1;
        Ok(())
    }

    /// Appends the code points `units` (all at most `maxchar`).
    fn write_units(&mut self, units: impl ExactSizeIterator<Item = u32>, maxchar: u32) -> Res {
        let n = units.len();
        if n == 0 {
            return Ok(());
        }
        self.reserve(n as Py_ssize_t, maxchar)?;
        let (d, k, at) = (self.data.cast::<u8>(), self.kind, self.pos as usize);
        for (i, u) in units.enumerate() {
            // SAFETY: `reserve` made room for `n` characters up to `maxchar`.
            unsafe { put(d, k, at + i, u) };
        }
        self.pos += n as Py_ssize_t;
        Ok(())
    }

    /// Appends `s[start..end]` (a checked range of a live str).
    ///
    /// # Safety
    /// `s` must be a live str and `start <= end <= len(s)`.
    unsafe fn write_substring(&mut self, s: *mut PyObject, start: usize, end: usize) -> Res {
        if start == end {
            return Ok(());
        }
        // SAFETY: forwarded contract.
        unsafe {
            let (src, sk) = (data_ptr(s).cast_const(), kind(s) as c_int);
            let mut maxchar = max_char_value(s);
            if maxchar > self.maxchar || self.buffer.is_null() {
                maxchar = (start..end).map(|i| get(src, sk, i)).max().unwrap_or(0);
            }
            let n = end - start;
            self.reserve(n as Py_ssize_t, maxchar)?;
            let (dst, dk, at) = (self.data.cast::<u8>(), self.kind, self.pos as usize);
            if sk == dk {
                std::ptr::copy_nonoverlapping(
                    src.add(start * sk as usize),
                    dst.add(at * dk as usize),
                    n * sk as usize,
                );
            } else {
                for i in 0..n {
                    put(dst, dk, at + i, get(src, sk, start + i));
                }
            }
            self.pos += n as Py_ssize_t;
        }
        Ok(())
    }

    /// # Safety
    /// `s` must be a live str.
    unsafe fn write_str(&mut self, s: *mut PyObject) -> Res {
        // SAFETY: forwarded contract.
        unsafe { self.write_substring(s, 0, length(s) as usize) }
    }

    /// Appends bytes that are each one code point (ASCII or Latin-1).
    fn write_bytes(&mut self, b: &[u8], maxchar: u32) -> Res {
        self.write_units(b.iter().map(|&c| u32::from(c)), maxchar)
    }

    /// The result: a str of the `pos` characters written, in the smallest kind that holds
    /// them. The writer no longer owns a buffer afterwards.
    fn finish(&mut self) -> *mut PyObject {
        let buf = std::mem::replace(&mut self.buffer, null_mut());
        if buf.is_null() {
            return from_ucs4(&[]);
        }
        let (d, k) = (self.data.cast::<u8>().cast_const(), self.kind);
        // SAFETY: the buffer holds `pos` written units of kind `k`.
        let units: Vec<u32> = (0..self.pos as usize)
            .map(|i| unsafe { get(d, k, i) })
            .collect();
        // SAFETY: the writer owned this reference.
        unsafe { decref(buf) };
        self.data = null_mut();
        from_ucs4(&units)
    }

    fn dealloc(&mut self) {
        let buf = std::mem::replace(&mut self.buffer, null_mut());
        if !buf.is_null() {
            // SAFETY: the writer owned this reference.
            unsafe { decref(buf) };
        }
    }

    /// Appends a str object it owns a reference to, then drops it; NULL means an error is set.
    fn write_owned(&mut self, s: *mut PyObject) -> Res {
        if s.is_null() {
            return Err(());
        }
        // SAFETY: `s` is a new reference to a live str made by a C API constructor.
        let r = unsafe { self.write_str(s) };
        // SAFETY: as above.
        unsafe { decref(s) };
        r
    }
}

/// A byte length argument: -1 means NUL-terminated.
///
/// # Safety
/// `s` must be NUL-terminated when `len` is negative, else hold `len` bytes.
unsafe fn byte_slice<'a>(s: *const c_char, len: Py_ssize_t) -> &'a [u8] {
    if s.is_null() {
        return &[];
    }
    // SAFETY: forwarded contract.
    unsafe {
        let n = if len < 0 {
            libc::strlen(s)
        } else {
            len as usize
        };
        std::slice::from_raw_parts(s.cast::<u8>(), n)
    }
}

// ---- the private writer -------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_Init(w: *mut _PyUnicodeWriter) {
    crate::ffi_guard::guard("_PyUnicodeWriter_Init", (), || {
        // SAFETY: `w` points to writable writer storage, per the C API contract.
        unsafe { (*w).init() }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_PrepareInternal(
    w: *mut _PyUnicodeWriter,
    length: Py_ssize_t,
    maxchar: u32,
) -> c_int {
    crate::ffi_guard::guard("_PyUnicodeWriter_PrepareInternal", -1, || {
        // SAFETY: `w` is an initialised writer.
        to_c(unsafe { (*w).prepare(length, maxchar) })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_PrepareKindInternal(
    w: *mut _PyUnicodeWriter,
    kind: c_int,
) -> c_int {
    crate::ffi_guard::guard("_PyUnicodeWriter_PrepareKindInternal", -1, || {
        // SAFETY: `w` is an initialised writer.
        to_c(unsafe { (*w).prepare_kind(kind) })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteChar(w: *mut _PyUnicodeWriter, ch: u32) -> c_int {
    crate::ffi_guard::guard("_PyUnicodeWriter_WriteChar", -1, || {
        // SAFETY: `w` is an initialised writer.
        to_c(unsafe { (*w).write_char(ch) })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteStr(
    w: *mut _PyUnicodeWriter,
    s: *mut PyObject,
) -> c_int {
    crate::ffi_guard::guard("_PyUnicodeWriter_WriteStr", -1, || {
        // SAFETY: `w` is an initialised writer; `s` a live object.
        unsafe {
            if s.is_null() || !is_str(s) {
                crate::pyerrors::bad_internal_call();
                return -1;
            }
            to_c((*w).write_str(s))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteSubstring(
    w: *mut _PyUnicodeWriter,
    s: *mut PyObject,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> c_int {
    crate::ffi_guard::guard("_PyUnicodeWriter_WriteSubstring", -1, || {
        // SAFETY: `w` is an initialised writer; `s` a live object. CPython only asserts the
        // range; gilgate refuses a bad one instead of reading out of bounds.
        unsafe {
            if s.is_null() || !is_str(s) || start < 0 || start > end || end > length(s) {
                crate::pyerrors::bad_internal_call();
                return -1;
            }
            to_c((*w).write_substring(s, start as usize, end as usize))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteASCIIString(
    w: *mut _PyUnicodeWriter,
    s: *const c_char,
    len: Py_ssize_t,
) -> c_int {
    crate::ffi_guard::guard("_PyUnicodeWriter_WriteASCIIString", -1, || {
        // SAFETY: `w` is an initialised writer; `s` holds `len` bytes (or a C string for -1).
        unsafe { to_c((*w).write_bytes(byte_slice(s, len), 0x7f)) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_WriteLatin1String(
    w: *mut _PyUnicodeWriter,
    s: *const c_char,
    len: Py_ssize_t,
) -> c_int {
    crate::ffi_guard::guard("_PyUnicodeWriter_WriteLatin1String", -1, || {
        // SAFETY: as _PyUnicodeWriter_WriteASCIIString.
        unsafe {
            let b = byte_slice(s, len);
            let maxchar = b.iter().copied().max().map_or(0, u32::from);
            to_c((*w).write_bytes(b, maxchar))
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_Finish(w: *mut _PyUnicodeWriter) -> *mut PyObject {
    crate::ffi_guard::guard("_PyUnicodeWriter_Finish", null_mut(), || {
        // SAFETY: `w` is an initialised writer.
        unsafe { (*w).finish() }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _PyUnicodeWriter_Dealloc(w: *mut _PyUnicodeWriter) {
    crate::ffi_guard::guard("_PyUnicodeWriter_Dealloc", (), || {
        // SAFETY: `w` is an initialised writer.
        unsafe { (*w).dealloc() }
    })
}

// ---- the public 3.14 writer ---------------------------------------------------------------

#[unsafe(no_mangle)]
pub extern "C" fn PyUnicodeWriter_Create(length: Py_ssize_t) -> *mut PyUnicodeWriter {
    crate::ffi_guard::guard("PyUnicodeWriter_Create", null_mut(), || {
        if length < 0 {
            raise(&raw mut EXC_ValueError, "length must be positive");
            return null_mut();
        }
        let mut w = Box::new(_PyUnicodeWriter {
            buffer: null_mut(),
            data: null_mut(),
            kind: 0,
            maxchar: 0,
            size: 0,
            pos: 0,
            min_length: 0,
            min_char: 0,
            overallocate: 0,
            readonly: 0,
        });
        w.init();
        if w.prepare(length, 127).is_err() {
            w.dealloc();
            return null_mut();
        }
        w.overallocate = 1;
        Box::into_raw(w)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_Discard(w: *mut PyUnicodeWriter) {
    crate::ffi_guard::guard("PyUnicodeWriter_Discard", (), || {
        if w.is_null() {
            return;
        }
        // SAFETY: `w` came from PyUnicodeWriter_Create and is not used again.
        let mut b = unsafe { Box::from_raw(w) };
        b.dealloc();
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_Finish(w: *mut PyUnicodeWriter) -> *mut PyObject {
    crate::ffi_guard::guard("PyUnicodeWriter_Finish", null_mut(), || {
        // SAFETY: `w` came from PyUnicodeWriter_Create and is not used again.
        let mut b = unsafe { Box::from_raw(w) };
        b.finish()
    })
}

/// Runs `f` on a live public writer.
///
/// # Safety
/// `w` must come from `PyUnicodeWriter_Create` and not be finished or discarded.
unsafe fn with(
    name: &'static str,
    w: *mut PyUnicodeWriter,
    f: impl FnOnce(&mut _PyUnicodeWriter) -> Res,
) -> c_int {
    crate::ffi_guard::guard(name, -1, || {
        // SAFETY: forwarded contract.
        to_c(f(unsafe { &mut *w }))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_WriteChar(w: *mut PyUnicodeWriter, ch: u32) -> c_int {
    // SAFETY: a live writer, per the C API contract.
    unsafe {
        with("PyUnicodeWriter_WriteChar", w, |w| {
            if ch > MAX_UNICODE {
                raise(
                    &raw mut EXC_ValueError,
                    "character must be in range(0x110000)",
                );
                return Err(());
            }
            w.write_char(ch)
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_WriteUTF8(
    w: *mut PyUnicodeWriter,
    s: *const c_char,
    size: Py_ssize_t,
) -> c_int {
    // SAFETY: a live writer; `s` holds `size` bytes (a C string when negative).
    unsafe {
        with("PyUnicodeWriter_WriteUTF8", w, |w| {
            let b = byte_slice(s, size);
            if b.is_ascii() {
                return w.write_bytes(b, 0x7f);
            }
            w.write_owned(super::decode_utf8(b, super::Errors::Strict, None))
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_WriteASCII(
    w: *mut PyUnicodeWriter,
    s: *const c_char,
    size: Py_ssize_t,
) -> c_int {
    // SAFETY: as PyUnicodeWriter_WriteUTF8. Non-ASCII input is undefined behaviour in
    // CPython; gilgate widens the buffer as Latin-1 instead of storing a bad ASCII str.
    unsafe {
        with("PyUnicodeWriter_WriteASCII", w, |w| {
            let b = byte_slice(s, size);
            let maxchar = b.iter().copied().max().map_or(0, u32::from);
            w.write_bytes(b, maxchar)
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_WriteWideChar(
    w: *mut PyUnicodeWriter,
    s: *const i32,
    size: Py_ssize_t,
) -> c_int {
    // SAFETY: a live writer; `s` holds `size` wide characters (NUL-terminated when negative).
    unsafe {
        with("PyUnicodeWriter_WriteWideChar", w, |w| {
            let size = if size < 0 { -1 } else { size };
            w.write_owned(super::PyUnicode_FromWideChar(s, size))
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_WriteUCS4(
    w: *mut PyUnicodeWriter,
    s: *mut u32,
    size: Py_ssize_t,
) -> c_int {
    // SAFETY: a live writer; `s` holds `size` code points.
    unsafe {
        with("PyUnicodeWriter_WriteUCS4", w, |w| {
            if size < 0 {
                raise(&raw mut EXC_ValueError, "size must be positive");
                return Err(());
            }
            if size == 0 {
                return Ok(());
            }
            let units = std::slice::from_raw_parts(s.cast_const(), size as usize);
            let maxchar = units.iter().copied().max().unwrap_or(0);
            w.write_units(units.iter().copied(), maxchar)
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_WriteStr(
    w: *mut PyUnicodeWriter,
    obj: *mut PyObject,
) -> c_int {
    // SAFETY: a live writer and a live object.
    unsafe {
        with("PyUnicodeWriter_WriteStr", w, |w| {
            if super::is_exact_str(obj) {
                return w.write_str(obj);
            }
            w.write_owned(crate::object::str(obj))
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_WriteRepr(
    w: *mut PyUnicodeWriter,
    obj: *mut PyObject,
) -> c_int {
    // SAFETY: a live writer; `obj` NULL or live.
    unsafe {
        with("PyUnicodeWriter_WriteRepr", w, |w| {
            if obj.is_null() {
                return w.write_bytes(b"<NULL>", 0x7f);
            }
            w.write_owned(crate::object::repr(obj))
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_WriteSubstring(
    w: *mut PyUnicodeWriter,
    s: *mut PyObject,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> c_int {
    // SAFETY: a live writer and a live object.
    unsafe {
        with("PyUnicodeWriter_WriteSubstring", w, |w| {
            if !is_str(s) {
                let t = crate::object::type_name(crate::object::ty(s));
                raise(&raw mut EXC_TypeError, &format!("expect str, not {t}"));
                return Err(());
            }
            if start < 0 || start > end {
                raise(&raw mut EXC_ValueError, "invalid start argument");
                return Err(());
            }
            if end > length(s) {
                raise(&raw mut EXC_ValueError, "invalid end argument");
                return Err(());
            }
            w.write_substring(s, start as usize, end as usize)
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyUnicodeWriter_DecodeUTF8Stateful(
    w: *mut PyUnicodeWriter,
    s: *const c_char,
    length: Py_ssize_t,
    errors: *const c_char,
    consumed: *mut Py_ssize_t,
) -> c_int {
    // SAFETY: a live writer; the other arguments as PyUnicode_DecodeUTF8Stateful's.
    unsafe {
        with("PyUnicodeWriter_DecodeUTF8Stateful", w, |w| {
            if length < 0 {
                raise(&raw mut EXC_ValueError, "length must be positive");
                return Err(());
            }
            let r = super::PyUnicode_DecodeUTF8Stateful(s, length, errors, consumed);
            if r.is_null() && !consumed.is_null() {
                *consumed = 0;
            }
            w.write_owned(r)
        })
    }
}
