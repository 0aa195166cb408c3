//! `bytesobject.h`: `bytes` with CPython's layout (`ob_shash` at 40, `ob_sval` at 48,
//! always NUL-terminated), so `PyBytes_AS_STRING`/`PyBytes_GET_SIZE` work inline; sequence
//! and mapping slots, repr, hash (the same SipHash as str) and the buffer protocol.

use crate::export;
use crate::iterobject::{self as iters, Step};
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_BYTES_SUBCLASS, Py_buffer, PyBufferProcs, PyMappingMethods,
    PyObject, PySequenceMethods, PyTypeObject, PyVarObject, static_type, ty,
};
use crate::pyerrors::{EXC_IndexError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use crate::sliceobject as sl;
use std::ffi::{c_char, c_int};
use std::ptr::null_mut;

/// `PyBytesObject` (48-byte header, then the bytes and a NUL).
#[repr(C)]
pub struct PyBytesObject {
    pub ob_base: PyVarObject,
    pub ob_shash: Py_hash_t,
    pub ob_sval: [c_char; 1],
}

const SVAL: usize = 48;

static mut BYTES_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(bytes_length),
    sq_concat: Some(bytes_concat),
    sq_repeat: Some(bytes_repeat),
    sq_item: Some(bytes_item),
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(bytes_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut BYTES_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(bytes_length),
    mp_subscript: Some(bytes_subscript),
    mp_ass_subscript: None,
};

static mut BYTES_AS_BUFFER: PyBufferProcs = PyBufferProcs {
    bf_getbuffer: Some(bytes_getbuffer),
    bf_releasebuffer: None,
};

#[export]
pub static mut PyBytes_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(bytes_repr),
    tp_str: Some(bytes_repr),
    tp_hash: Some(bytes_hash),
    tp_richcompare: Some(bytes_richcompare),
    tp_iter: Some(bytes_iter),
    tp_new: Some(bytes_new),
    tp_as_sequence: &raw mut BYTES_AS_SEQUENCE,
    tp_as_mapping: &raw mut BYTES_AS_MAPPING,
    tp_as_buffer: &raw mut BYTES_AS_BUFFER,
    tp_methods: (&raw mut crate::bytes_methods::BYTES_METHODS).cast(),
    ..static_type(
        c"bytes",
        SVAL + 1,
        1,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_BYTES_SUBCLASS,
    )
};

#[export]
pub static mut PyBytesIter_Type: PyTypeObject = iters::iter_type(c"bytes_iterator", bytesiter_next);

/// Whether `op` is bytes (or a subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_bytes(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_BYTES_SUBCLASS) }
}

/// The contents of a bytes object.
///
/// # Safety
/// `op` must be a live bytes object; the slice must not outlive it.
pub unsafe fn as_bytes<'a>(op: *mut PyObject) -> &'a [u8] {
    // SAFETY: forwarded contract: `ob_size` bytes at `ob_sval`.
    unsafe {
        let n = (*op.cast::<PyVarObject>()).ob_size.max(0) as usize;
        std::slice::from_raw_parts(op.cast::<u8>().add(SVAL), n)
    }
}

/// A new bytes object of `n` zero bytes (plus the NUL).
pub(crate) fn new_bytes(n: usize) -> *mut PyObject {
    if n > isize::MAX as usize - 64 {
        return crate::pyerrors::no_memory();
    }
    // SAFETY: PyBytes_Type is a ready static type; the allocation includes the NUL.
    let b = unsafe { crate::objimpl::alloc_object(&raw mut PyBytes_Type, n as Py_ssize_t) };
    if !b.is_null() {
        // SAFETY: fresh bytes object.
        unsafe { (*b.cast::<PyBytesObject>()).ob_shash = -1 };
    }
    b
}

/// A new bytes object holding a copy of `data`.
pub fn from_bytes(data: &[u8]) -> *mut PyObject {
    let b = new_bytes(data.len());
    if !b.is_null() {
        // SAFETY: fresh object with room for `data.len()` bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), b.cast::<u8>().add(SVAL), data.len())
        };
    }
    b
}

/// `repr()` of a byte string: `b'...'` with Python's quoting and escapes.
pub(crate) fn repr_bytes(data: &[u8]) -> String {
    repr_bytes_quoted(data, true)
}

/// `repr()` of bytes; without `smartquotes` the quote is always `'` (`PyBytes_Repr(o, 0)`).
pub(crate) fn repr_bytes_quoted(data: &[u8], smartquotes: bool) -> String {
    let quote = if smartquotes && data.contains(&b'\'') && !data.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(data.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &c in data {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            c if !(0x20..0x7f).contains(&c) => out.push_str(&format!("\\x{c:02x}")),
            c => out.push(c as char),
        }
    }
    out.push(quote as char);
    out
}

/// The bytes of any object with the buffer protocol (a copy), or None with TypeError
/// "a bytes-like object is required, not 'T'".
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn bytes_like(op: *mut PyObject) -> Option<Vec<u8>> {
    // SAFETY: forwarded contract.
    unsafe {
        if is_bytes(op) {
            return Some(as_bytes(op).to_vec());
        }
        if crate::bytearrayobject::is_bytearray(op) {
            return Some(crate::bytearrayobject::snapshot(op));
        }
        let mut view: Py_buffer = std::mem::zeroed();
        if crate::pybuffer::get_buffer(op, &mut view, 0) < 0 {
            crate::pyerrors::clear();
            let t = crate::object::tname(op);
            raise(
                &raw mut EXC_TypeError,
                &format!("a bytes-like object is required, not '{t}'"),
            );
            return None;
        }
        let v = if view.len > 0 {
            std::slice::from_raw_parts(view.buf.cast::<u8>(), view.len as usize).to_vec()
        } else {
            Vec::new()
        };
        crate::pybuffer::release(&mut view);
        Some(v)
    }
}

/// `x in data` for bytes-like containers: an int byte or a bytes-like subsequence.
///
/// # Safety
/// `x` must be a live object.
pub(crate) unsafe fn contains_in(data: &[u8], x: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        match sl::index_value(x) {
            Err(()) => return -1,
            Ok(Some(v)) => {
                if !(0..256).contains(&v) {
                    raise(&raw mut EXC_ValueError, "byte must be in range(0, 256)");
                    return -1;
                }
                return c_int::from(data.contains(&(v as u8)));
            }
            Ok(None) => {}
        }
        let Some(needle) = bytes_like(x) else {
            return -1;
        };
        if needle.is_empty() {
            return 1;
        }
        c_int::from(data.windows(needle.len()).any(|w| w == needle.as_slice()))
    }
}

/// Rich comparison of two byte strings.
pub(crate) fn compare_bytes(a: &[u8], b: &[u8], op: c_int) -> *mut PyObject {
    use crate::object::{Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT};
    use std::cmp::Ordering as O;
    let ord = a.cmp(b);
    crate::boolobject::from_bool(match op {
        Py_LT => ord == O::Less,
        Py_LE => ord != O::Greater,
        Py_EQ => ord == O::Equal,
        Py_GT => ord == O::Greater,
        Py_GE => ord != O::Less,
        _ => ord != O::Equal,
    })
}

/// `seq[key]` for byte strings: an int or a new object made by `make` from a slice.
///
/// # Safety
/// `key` must be a live object.
pub(crate) unsafe fn subscript_bytes(
    data: &[u8],
    key: *mut PyObject,
    make: fn(&[u8]) -> *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let n = data.len() as Py_ssize_t;
        if !sl::is_slice(key) {
            return match sl::as_ssize_index(key) {
                Err(()) => null_mut(),
                Ok(None) => {
                    let t = crate::object::tname(key);
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("byte indices must be integers or slices, not {t}"),
                    )
                }
                Ok(Some(i)) => {
                    let i = if i < 0 { i + n } else { i };
                    if i < 0 || i >= n {
                        return raise(&raw mut EXC_IndexError, "index out of range");
                    }
                    crate::longobject::from_i128(i128::from(data[i as usize]))
                }
            };
        }
        let Ok((b, st, cnt)) = sl::indices(key, n) else {
            return null_mut();
        };
        let v: Vec<u8> = sl::positions(b, st, cnt).map(|p| data[p]).collect();
        make(&v)
    }
}

unsafe extern "C" fn bytes_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live bytes object (slot contract).
    crate::unicodeobject::from_str(&repr_bytes(unsafe { as_bytes(op) }))
}

unsafe extern "C" fn bytes_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live bytes object (slot contract); the cache is written atomically.
    unsafe {
        let c = std::sync::atomic::AtomicIsize::from_ptr(
            &raw mut (*op.cast::<PyBytesObject>()).ob_shash,
        );
        let h = c.load(std::sync::atomic::Ordering::Relaxed);
        if h != -1 {
            return h;
        }
        let h = crate::unicodeobject::hash_bytes(as_bytes(op));
        c.store(h, std::sync::atomic::Ordering::Relaxed);
        h
    }
}

unsafe extern "C" fn bytes_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_bytes(a) || !is_bytes(b) {
            return iters::not_implemented();
        }
        compare_bytes(as_bytes(a), as_bytes(b), op)
    }
}

unsafe extern "C" fn bytes_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live bytes object (slot contract).
    unsafe { as_bytes(op).len() as Py_ssize_t }
}

unsafe extern "C" fn bytes_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let Some(mut x) = bytes_like(a) else {
            return null_mut();
        };
        let Some(y) = bytes_like(b) else {
            crate::pyerrors::clear();
            let (tb, ta) = (crate::object::tname(b), crate::object::tname(a));
            return raise(
                &raw mut EXC_TypeError,
                &format!("can't concat {tb} to {ta}"),
            );
        };
        x.extend_from_slice(&y);
        if crate::bytearrayobject::is_bytearray(a) {
            return crate::bytearrayobject::from_bytes(&x);
        }
        from_bytes(&x)
    }
}

unsafe extern "C" fn bytes_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live bytes object (slot contract).
    unsafe {
        if n == 1 && ty(a) == &raw mut PyBytes_Type {
            return new_ref(a);
        }
        let d = as_bytes(a);
        let n = n.max(0) as usize;
        if d.len()
            .checked_mul(n)
            .is_none_or(|t| t > isize::MAX as usize / 2)
        {
            return crate::pyerrors::no_memory();
        }
        from_bytes(&d.repeat(n))
    }
}

unsafe extern "C" fn bytes_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live bytes object (slot contract).
    unsafe {
        match as_bytes(op).get(usize::try_from(i).unwrap_or(usize::MAX)) {
            Some(&b) => crate::longobject::from_i128(i128::from(b)),
            None => raise(&raw mut EXC_IndexError, "index out of range"),
        }
    }
}

unsafe extern "C" fn bytes_contains(op: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe { contains_in(as_bytes(op), x) }
}

unsafe extern "C" fn bytes_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { subscript_bytes(as_bytes(op), key, from_bytes) }
}

unsafe extern "C" fn bytes_getbuffer(
    op: *mut PyObject,
    view: *mut Py_buffer,
    flags: c_int,
) -> c_int {
    // SAFETY: a live bytes object and a writable view (slot contract).
    unsafe {
        let d = as_bytes(op);
        crate::pybuffer::fill_info(
            view,
            op,
            d.as_ptr().cast_mut().cast(),
            d.len() as Py_ssize_t,
            true,
            flags,
        )
    }
}

unsafe extern "C" fn bytes_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live bytes object (slot contract).
    unsafe { iters::new_iter(&raw mut PyBytesIter_Type, op, 0) }
}

unsafe fn bytesiter_step(it: &mut iters::IterState) -> Step {
    // SAFETY: `seq` is a live bytes object.
    unsafe {
        match as_bytes(it.seq).get(it.index as usize) {
            Some(&b) => Step::Item(crate::longobject::from_i128(i128::from(b))),
            None => Step::End,
        }
    }
}

unsafe extern "C" fn bytesiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, bytesiter_step) }
}

/// `bytes(...)`: from an int size, a str with an encoding, a buffer or an iterable of ints.
///
/// # Safety
/// tp_new contract: an argument tuple, NULL or a dict.
pub(crate) unsafe extern "C" fn bytes_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("bytes.__new__", null_mut(), || {
        // SAFETY: forwarded contract.
        unsafe {
            let exact = new_from_args(args, kw, "bytes");
            if exact.is_null() || t.is_null() || t == &raw mut PyBytes_Type {
                return exact;
            }
            // a subclass: the bytes copied into an instance of `t` (bytes' layout)
            let d = as_bytes(exact);
            let r = crate::longobject::alloc_instance(t, d.len());
            if !r.is_null() {
                (*r.cast::<PyBytesObject>()).ob_shash = -1;
                std::ptr::copy_nonoverlapping(d.as_ptr(), r.cast::<u8>().add(SVAL), d.len());
                *r.cast::<u8>().add(SVAL + d.len()) = 0;
            }
            decref(exact);
            r
        }
    })
}

/// The arguments of `bytes(source, encoding, errors)` and `bytearray(...)` (all three may be
/// given by name), with `name`'s texts as CPython 3.14 words them; the result is a bytes object
/// (`bytearray` copies it).
///
/// # Safety
/// `args` a tuple or NULL, `kw` a dict or NULL.
pub(crate) unsafe fn new_from_args(
    args: *mut PyObject,
    kw: *mut PyObject,
    name: &str,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = if args.is_null() {
            &[][..]
        } else {
            crate::tupleobject::items(args)
        };
        let nkw = if kw.is_null() {
            0
        } else {
            crate::dictobject::len(kw) as usize
        };
        if pos.len() + nkw > 3 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{name}() takes at most 3 arguments ({} given)",
                    pos.len() + nkw
                ),
            );
        }
        let mut a: [*mut PyObject; 3] = [null_mut(); 3];
        a[..pos.len()].copy_from_slice(pos);
        if nkw > 0 {
            for (k, v) in crate::dictobject::entries(kw) {
                let key = crate::unicodeobject::as_str(k).unwrap_or("");
                let Some(i) = ["source", "encoding", "errors"]
                    .iter()
                    .position(|n| *n == key)
                else {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("{name}() got an unexpected keyword argument '{key}'"),
                    );
                };
                if !a[i].is_null() {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "argument for {name}() given by name ('{key}') and position ({})",
                            i + 1
                        ),
                    );
                }
                a[i] = v;
            }
        }
        let [x, enc, errs] = a;
        if x.is_null() {
            if !enc.is_null() || !errs.is_null() {
                return raise(&raw mut EXC_TypeError, "encoding without a string argument");
            }
            return new_bytes(0);
        }
        if crate::unicodeobject::is_str(x) {
            if enc.is_null() {
                return raise(
                    &raw mut EXC_TypeError,
                    "string argument without an encoding",
                );
            }
            let enc = crate::unicodeobject::as_cstr(enc).unwrap_or(std::ptr::null());
            let errs = if errs.is_null() {
                std::ptr::null()
            } else {
                crate::unicodeobject::as_cstr(errs).unwrap_or(std::ptr::null())
            };
            return crate::unicodeobject::PyUnicode_AsEncodedString(x, enc, errs);
        }
        if !enc.is_null() || !errs.is_null() {
            return raise(&raw mut EXC_TypeError, "encoding without a string argument");
        }
        if crate::longobject::is_int(x) {
            return match sl::as_ssize_index(x) {
                Ok(Some(n)) if n >= 0 => new_bytes(n as usize),
                Ok(_) => raise(&raw mut EXC_ValueError, "negative count"),
                Err(()) => null_mut(),
            };
        }
        from_object_named(x, name)
    }
}

fn expected_bytes(op: *mut PyObject) {
    // SAFETY: a live object (callers check NULL).
    let t = unsafe { crate::object::tname(op) };
    raise(
        &raw mut EXC_TypeError,
        &format!("expected bytes, {t} found"),
    );
}

// ---- exported API ---------------------------------------------------------------------------

#[export]
pub unsafe fn PyBytes_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject {
    if n < 0 {
        return raise(
            &raw mut crate::pyerrors::EXC_SystemError,
            "Negative size passed to PyBytes_FromStringAndSize",
        );
    }
    if s.is_null() {
        return new_bytes(n as usize);
    }
    // SAFETY: `n` readable bytes, per the C API contract.
    from_bytes(unsafe { std::slice::from_raw_parts(s.cast::<u8>(), n as usize) })
}

#[export]
pub unsafe fn PyBytes_FromString(s: *const c_char) -> *mut PyObject {
    if s.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: a NUL-terminated string, per the C API contract.
    from_bytes(unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes())
}

#[export]
pub unsafe fn PyBytes_AsString(op: *mut PyObject) -> *mut c_char {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() {
            crate::pyerrors::bad_internal_call();
            return null_mut();
        }
        if !is_bytes(op) {
            expected_bytes(op);
            return null_mut();
        }
        op.cast::<c_char>().add(SVAL)
    }
}

#[export]
pub unsafe fn PyBytes_AsStringAndSize(
    op: *mut PyObject,
    buf: *mut *mut c_char,
    len: *mut Py_ssize_t,
) -> c_int {
    // SAFETY: a live object and writable outputs (`len` may be NULL), per the C API.
    unsafe {
        if buf.is_null() || op.is_null() {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        if !is_bytes(op) {
            expected_bytes(op);
            return -1;
        }
        let d = as_bytes(op);
        *buf = op.cast::<c_char>().add(SVAL);
        if len.is_null() {
            if d.contains(&0) {
                raise(&raw mut EXC_ValueError, "embedded null byte");
                return -1;
            }
        } else {
            *len = d.len() as Py_ssize_t;
        }
        0
    }
}

#[export]
pub unsafe fn PyBytes_Size(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_bytes(op) {
            if op.is_null() {
                crate::pyerrors::bad_internal_call();
            } else {
                expected_bytes(op);
            }
            return -1;
        }
        as_bytes(op).len() as Py_ssize_t
    }
}

#[export]
pub unsafe fn PyBytes_Concat(pv: *mut *mut PyObject, w: *mut PyObject) {
    // SAFETY: `*pv` is an owned reference or NULL; `w` NULL or live, per the C API.
    unsafe {
        if pv.is_null() {
            return;
        }
        let v = *pv;
        if v.is_null() {
            return;
        }
        if w.is_null() {
            *pv = null_mut();
            decref(v);
            return;
        }
        let r = bytes_concat(v, w);
        decref(v);
        *pv = r;
    }
}

#[export]
pub unsafe fn PyBytes_ConcatAndDel(pv: *mut *mut PyObject, w: *mut PyObject) {
    // SAFETY: as PyBytes_Concat; `w`'s reference is stolen.
    unsafe {
        PyBytes_Concat(pv, w);
        xdecref(w);
    }
}

#[export]
pub unsafe fn _PyBytes_Resize(pv: *mut *mut PyObject, newsize: Py_ssize_t) -> c_int {
    // SAFETY: `*pv` is a bytes object the caller owns alone, per the C API contract.
    unsafe {
        let v = *pv;
        if v.is_null() || !is_bytes(v) || newsize < 0 {
            *pv = null_mut();
            xdecref(v);
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let old = as_bytes(v).len() as Py_ssize_t;
        if old == newsize {
            return 0;
        }
        if crate::refcount::refcnt(v) != 1 || crate::refcount::is_immortal(v) {
            let n = from_bytes(&as_bytes(v)[..newsize.min(old) as usize]);
            let n = if n.is_null() || newsize <= old {
                n
            } else {
                let grown = new_bytes(newsize as usize);
                if !grown.is_null() {
                    std::ptr::copy_nonoverlapping(
                        n.cast::<u8>().add(SVAL),
                        grown.cast::<u8>().add(SVAL),
                        old as usize,
                    );
                }
                decref(n);
                grown
            };
            decref(v);
            *pv = n;
            return if n.is_null() { -1 } else { 0 };
        }
        let size = (SVAL + 1 + newsize as usize + 7) & !7;
        let p = crate::pymem::realloc(v.cast(), size).cast::<PyObject>();
        if p.is_null() {
            crate::pymem::free(v.cast());
            *pv = null_mut();
            crate::pyerrors::no_memory();
            return -1;
        }
        (*p.cast::<PyVarObject>()).ob_size = newsize;
        (*p.cast::<PyBytesObject>()).ob_shash = -1;
        let d = p.cast::<u8>().add(SVAL);
        if newsize > old {
            std::ptr::write_bytes(d.add(old as usize), 0, (newsize - old) as usize);
        }
        *d.add(newsize as usize) = 0;
        *pv = p;
        0
    }
}

#[export]
pub unsafe fn PyBytes_FromObject(op: *mut PyObject) -> *mut PyObject {
    if op.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: a live object, per the C API contract.
    unsafe { from_object_named(op, "bytes") }
}

/// `PyBytes_FromObject` for `name`'s constructor (`bytes` or `bytearray`): CPython 3.14 names the
/// target type when the object cannot be converted, and says "byte must be" for bytearray's
/// out-of-range items.
///
/// # Safety
/// `op` must be live.
pub(crate) unsafe fn from_object_named(op: *mut PyObject, name: &str) -> *mut PyObject {
    {
        // SAFETY: forwarded contract.
        unsafe {
            if ty(op) == &raw mut PyBytes_Type {
                return new_ref(op);
            }
            let mut view: Py_buffer = std::mem::zeroed();
            if crate::pybuffer::check_buffer(op) {
                if crate::pybuffer::get_buffer(op, &mut view, 0) < 0 {
                    return null_mut();
                }
                let r = if view.len > 0 {
                    from_bytes(std::slice::from_raw_parts(
                        view.buf.cast(),
                        view.len as usize,
                    ))
                } else {
                    new_bytes(0)
                };
                crate::pybuffer::release(&mut view);
                return r;
            }
            if crate::unicodeobject::is_str(op) {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "cannot convert '{}' object to {name}",
                        crate::object::tname(op)
                    ),
                );
            }
            let Ok(items) = iters::collect(op) else {
                if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                    crate::pyerrors::clear();
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "cannot convert '{}' object to {name}",
                            crate::object::tname(op)
                        ),
                    );
                }
                return null_mut();
            };
            let mut out = Vec::with_capacity(items.len());
            for &o in &items {
                match sl::index_value(o) {
                    Ok(Some(v)) if (0..256).contains(&v) => out.push(v as u8),
                    Ok(Some(_)) => {
                        iters::release_all(items);
                        let what = if name == "bytes" { "bytes" } else { "byte" };
                        return raise(
                            &raw mut EXC_ValueError,
                            &format!("{what} must be in range(0, 256)"),
                        );
                    }
                    Ok(None) => {
                        let t = crate::object::tname(o);
                        iters::release_all(items);
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("'{t}' object cannot be interpreted as an integer"),
                        );
                    }
                    Err(()) => {
                        iters::release_all(items);
                        return null_mut();
                    }
                }
            }
            iters::release_all(items);
            from_bytes(&out)
        }
    }
}

#[export]
pub unsafe fn PyBytes_Repr(op: *mut PyObject, smartquotes: c_int) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_bytes(op) {
            return crate::pyerrors::bad_internal_call();
        }
        crate::unicodeobject::from_str(&repr_bytes_quoted(as_bytes(op), smartquotes != 0))
    }
}

#[export]
pub unsafe fn PyBytes_Join(sep: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        let Some(s) = bytes_like(sep) else {
            return null_mut();
        };
        let Ok(items) = iters::collect(seq) else {
            return null_mut();
        };
        let mut out = Vec::new();
        for (i, &o) in items.iter().enumerate() {
            let Some(b) = bytes_like(o) else {
                crate::pyerrors::clear();
                let t = crate::object::tname(o);
                iters::release_all(items);
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("sequence item {i}: expected a bytes-like object, {t} found"),
                );
            };
            if i > 0 {
                out.extend_from_slice(&s);
            }
            out.extend_from_slice(&b);
        }
        iters::release_all(items);
        from_bytes(&out)
    }
}

/// `PyObject_Bytes` (`bytes(o)` for C): an exact bytes object itself, `__bytes__()` (which must
/// give bytes), else the conversion of `PyBytes_FromObject`; NULL gives `b'<NULL>'`.
#[export]
pub unsafe fn PyObject_Bytes(op: *mut PyObject) -> *mut PyObject {
    if op.is_null() {
        return from_bytes(b"<NULL>");
    }
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if ty(op) == &raw mut PyBytes_Type {
            return new_ref(op);
        }
        let t = ty(op);
        let descr = crate::object::type_lookup_ref(t, crate::unicodeobject::intern("__bytes__"));
        if !descr.is_null() {
            let f = match (*ty(descr)).tp_descr_get {
                Some(get) => crate::extcall::ternary(get, descr, op, t.cast()),
                None => new_ref(descr),
            };
            crate::refcount::decref(descr);
            if f.is_null() {
                return f;
            }
            let r = crate::abstract_::call_args(f, &[]);
            crate::refcount::decref(f);
            if r.is_null() || is_bytes(r) {
                return r;
            }
            let rt = crate::object::type_name(ty(r));
            crate::refcount::decref(r);
            return raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!("__bytes__ returned non-bytes (type {rt:.200})"),
            );
        }
        from_object_named(op, "bytes")
    }
}
