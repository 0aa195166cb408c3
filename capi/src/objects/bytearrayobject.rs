//! `bytearrayobject.h`: `bytearray` with CPython's layout (`ob_alloc` 40, `ob_bytes` 48,
//! `ob_start` 56, `ob_exports` 64), so `PyByteArray_AS_STRING` (which reads `ob_start`, or
//! `_PyByteArray_empty_string` when empty) works inline; slots, repr and a writable buffer
//! that blocks resizing while exported.
//!
//! Locking (free threading): every read that copies the contents and every mutation holds the
//! bytearray's own `ob_mutex` (the mutex `Py_BEGIN_CRITICAL_SECTION(ba)` takes, so an extension
//! holding a critical section on it excludes gilgate's operations too). It is held only around
//! plain memory work (values are converted and other objects' buffers read before locking),
//! so it never nests; uncontended it costs one compare-and-swap. A thread that holds the mutex
//! through one of its own critical sections goes on without locking again, as CPython's
//! critical sections do. `PyByteArray_AS_STRING`/`PyByteArray_AsString` hand out the pointer
//! without the lock, as in CPython.

use crate::bytesobject as bytes;
use crate::export;
use crate::iterobject::{self as iters, Step};
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_buffer, PyBufferProcs, PyMappingMethods, PyMutex, PyObject,
    PySequenceMethods, PyTypeObject, PyVarObject, static_type, ty,
};
use crate::pyerrors::{EXC_BufferError, EXC_IndexError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::sliceobject as sl;
use std::ffi::{c_char, c_int};
use std::ptr::null_mut;

/// `PyByteArrayObject` (72 bytes).
#[repr(C)]
pub struct PyByteArrayObject {
    pub ob_base: PyVarObject,
    pub ob_alloc: Py_ssize_t,
    pub ob_bytes: *mut c_char,
    pub ob_start: *mut c_char,
    pub ob_exports: Py_ssize_t,
}

/// `_PyByteArray_empty_string`: what `PyByteArray_AS_STRING` gives for an empty bytearray.
#[export]
pub static mut _PyByteArray_empty_string: [c_char; 1] = [0];

static mut BA_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(ba_length),
    sq_concat: Some(ba_concat),
    sq_repeat: Some(ba_repeat),
    sq_item: Some(ba_item),
    was_sq_slice: null_mut(),
    sq_ass_item: Some(ba_ass_item),
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(ba_contains),
    sq_inplace_concat: Some(ba_inplace_concat),
    sq_inplace_repeat: None,
};

static mut BA_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(ba_length),
    mp_subscript: Some(ba_subscript),
    mp_ass_subscript: Some(ba_ass_subscript),
};

static mut BA_AS_BUFFER: PyBufferProcs = PyBufferProcs {
    bf_getbuffer: Some(ba_getbuffer),
    bf_releasebuffer: Some(ba_releasebuffer),
};

#[export]
pub static mut PyByteArray_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(ba_dealloc),
    tp_repr: Some(ba_repr),
    tp_str: Some(ba_repr),
    tp_hash: Some(iters::unhashable),
    tp_richcompare: Some(ba_richcompare),
    tp_iter: Some(ba_iter),
    tp_new: Some(ba_new),
    tp_as_sequence: &raw mut BA_AS_SEQUENCE,
    tp_as_mapping: &raw mut BA_AS_MAPPING,
    tp_as_buffer: &raw mut BA_AS_BUFFER,
    tp_methods: (&raw mut crate::bytes_methods::BYTEARRAY_METHODS).cast(),
    ..static_type(
        c"bytearray",
        std::mem::size_of::<PyByteArrayObject>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

#[export]
pub static mut PyByteArrayIter_Type: PyTypeObject =
    iters::iter_type(c"bytearray_iterator", baiter_next);

/// Whether `op` is a bytearray (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_bytearray(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut PyByteArray_Type) }
}

/// Holds a bytearray's `ob_mutex` until dropped (or nothing, when the calling thread already
/// holds it through one of its critical sections).
struct BaLock(*mut PyMutex, bool);

impl BaLock {
    #[inline]
    fn new(op: *mut PyObject) -> BaLock {
        // SAFETY: `op` is a live object (every caller's contract).
        let m = unsafe { &raw mut (*op).ob_mutex };
        if crate::lock::try_lock(m) {
            return BaLock(m, true);
        }
        BaLock::contended(m)
    }

    #[cold]
    fn contended(m: *mut PyMutex) -> BaLock {
        if crate::critical_section::held_by_current_thread(m) {
            return BaLock(m, false);
        }
        crate::lock::lock(m);
        BaLock(m, true)
    }
}

impl Drop for BaLock {
    #[inline]
    fn drop(&mut self) {
        if self.1 {
            crate::lock::unlock(self.0);
        }
    }
}

/// A copy of the contents, read under the lock.
///
/// # Safety
/// `op` must be a live bytearray.
pub(crate) unsafe fn snapshot(op: *mut PyObject) -> Vec<u8> {
    let _g = BaLock::new(op);
    // SAFETY: forwarded contract; the lock keeps the buffer in place while copying.
    unsafe { as_bytes(op).to_vec() }
}

/// The current contents.
///
/// # Safety
/// `op` must be a live bytearray; the slice is valid until it changes (hold the lock, or use
/// [`snapshot`]).
pub(crate) unsafe fn as_bytes<'a>(op: *mut PyObject) -> &'a [u8] {
    // SAFETY: forwarded contract.
    unsafe {
        let b = op.cast::<PyByteArrayObject>();
        let n = (*b).ob_base.ob_size;
        if n <= 0 || (*b).ob_start.is_null() {
            return &[];
        }
        std::slice::from_raw_parts((*b).ob_start.cast::<u8>(), n as usize)
    }
}

unsafe fn as_bytes_mut<'a>(op: *mut PyObject) -> &'a mut [u8] {
    // SAFETY: as `as_bytes`; the caller has the only access.
    unsafe {
        let b = op.cast::<PyByteArrayObject>();
        let n = (*b).ob_base.ob_size;
        if n <= 0 || (*b).ob_start.is_null() {
            return &mut [];
        }
        std::slice::from_raw_parts_mut((*b).ob_start.cast::<u8>(), n as usize)
    }
}

/// Resizes to `n` bytes (new bytes are zero; a NUL always follows). False with an
/// exception when exported or out of memory.
unsafe fn resize(op: *mut PyObject, n: usize) -> bool {
    // SAFETY: a live bytearray the caller has exclusive access to.
    unsafe {
        let b = op.cast::<PyByteArrayObject>();
        let old = (*b).ob_base.ob_size.max(0) as usize;
        if n == old {
            return true;
        }
        if (*b).ob_exports > 0 {
            raise(
                &raw mut EXC_BufferError,
                "Existing exports of data: object cannot be re-sized",
            );
            return false;
        }
        let alloc = (*b).ob_alloc.max(0) as usize;
        if n + 1 > alloc || n + 1 < alloc / 2 {
            let want = if n + 1 > alloc {
                n + (n >> 3) + 8
            } else {
                n + 1
            };
            let p = crate::pymem::realloc((*b).ob_bytes.cast(), want).cast::<c_char>();
            if p.is_null() {
                crate::pyerrors::no_memory();
                return false;
            }
            (*b).ob_bytes = p;
            (*b).ob_start = p;
            (*b).ob_alloc = want as Py_ssize_t;
        }
        let d = (*b).ob_start.cast::<u8>();
        if n > old {
            std::ptr::write_bytes(d.add(old), 0, n - old);
        }
        *d.add(n) = 0;
        (*b).ob_base.ob_size = n as Py_ssize_t;
        true
    }
}

/// A new bytearray holding a copy of `data`.
pub(crate) fn from_bytes(data: &[u8]) -> *mut PyObject {
    // SAFETY: PyByteArray_Type is a ready static type.
    unsafe { with_type(&raw mut PyByteArray_Type, data) }
}

/// A new instance of `t` (bytearray or a subclass) holding a copy of `data`.
///
/// # Safety
/// `t` is a ready subtype of bytearray.
unsafe fn with_type(t: *mut PyTypeObject, data: &[u8]) -> *mut PyObject {
    // SAFETY: forwarded contract.
    let o = unsafe { crate::longobject::alloc_instance(t, 0) };
    if o.is_null() {
        return o;
    }
    // SAFETY: fresh bytearray.
    unsafe {
        if !data.is_empty() {
            if !resize(o, data.len()) {
                crate::refcount::decref(o);
                return null_mut();
            }
            as_bytes_mut(o).copy_from_slice(data);
        }
    }
    o
}

unsafe extern "C" fn ba_dealloc(op: *mut PyObject) {
    // SAFETY: a dead bytearray (slot contract).
    unsafe {
        crate::pymem::free((*op.cast::<PyByteArrayObject>()).ob_bytes.cast());
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn ba_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live bytearray (slot contract).
    unsafe {
        // bytearray's repr escapes `'` even inside double quotes
        let name = crate::object::type_name(ty(op));
        let d = snapshot(op);
        let mut r = bytes::repr_bytes(&d);
        if r.starts_with("b\"") {
            r = format!("b\"{}\"", r[2..r.len() - 1].replace('\'', "\\'"));
        }
        crate::unicodeobject::from_str(&format!("{name}({r})"))
    }
}

unsafe extern "C" fn ba_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let other = if bytes::is_bytes(b) || is_bytearray(b) {
            bytes::bytes_like(b)
        } else {
            None
        };
        let Some(y) = other else {
            return iters::not_implemented();
        };
        let x = if is_bytearray(a) {
            snapshot(a)
        } else {
            match bytes::bytes_like(a) {
                Some(v) => v,
                None => {
                    crate::pyerrors::clear();
                    return iters::not_implemented();
                }
            }
        };
        bytes::compare_bytes(&x, &y, op)
    }
}

unsafe extern "C" fn ba_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live bytearray (slot contract).
    unsafe { size(op) }
}

/// The length (one word read, no lock, as `PyByteArray_GET_SIZE`).
unsafe fn size(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live bytearray.
    unsafe {
        let p = &raw const (*op.cast::<PyVarObject>()).ob_size;
        std::sync::atomic::AtomicIsize::from_ptr(p.cast_mut())
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}

unsafe extern "C" fn ba_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let Some(y) = bytes::bytes_like(b) else {
            crate::pyerrors::clear();
            let (tb, ta) = (crate::object::tname(b), crate::object::tname(a));
            return raise(
                &raw mut EXC_TypeError,
                &format!("can't concat {tb} to {ta}"),
            );
        };
        let mut x = snapshot(a);
        x.extend_from_slice(&y);
        from_bytes(&x)
    }
}

unsafe extern "C" fn ba_inplace_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let Some(y) = bytes::bytes_like(b) else {
            crate::pyerrors::clear();
            let (tb, ta) = (crate::object::tname(b), crate::object::tname(a));
            return raise(
                &raw mut EXC_TypeError,
                &format!("can't concat {tb} to {ta}"),
            );
        };
        let g = BaLock::new(a);
        let n = as_bytes(a).len();
        if !resize(a, n + y.len()) {
            return null_mut();
        }
        as_bytes_mut(a)[n..].copy_from_slice(&y);
        drop(g);
        crate::refcount::new_ref(a)
    }
}

unsafe extern "C" fn ba_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live bytearray (slot contract).
    unsafe {
        let d = snapshot(a);
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

unsafe extern "C" fn ba_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live bytearray (slot contract).
    unsafe {
        let byte = {
            let _g = BaLock::new(op);
            as_bytes(op)
                .get(usize::try_from(i).unwrap_or(usize::MAX))
                .copied()
        };
        match byte {
            Some(b) => crate::longobject::from_i128(i128::from(b)),
            None => raise(&raw mut EXC_IndexError, "bytearray index out of range"),
        }
    }
}

unsafe fn byte_value(v: *mut PyObject) -> Option<u8> {
    // SAFETY: a live object.
    unsafe {
        match sl::index_value(v) {
            Err(()) => None,
            Ok(Some(x)) if (0..256).contains(&x) => Some(x as u8),
            Ok(Some(_)) => {
                raise(&raw mut EXC_ValueError, "byte must be in range(0, 256)");
                None
            }
            Ok(None) => {
                let t = crate::object::tname(v);
                raise(
                    &raw mut EXC_TypeError,
                    &format!("'{t}' object cannot be interpreted as an integer"),
                );
                None
            }
        }
    }
}

unsafe extern "C" fn ba_ass_item(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: a live bytearray (slot contract); `v` NULL for deletion.
    unsafe {
        let b = if v.is_null() {
            None
        } else {
            let Some(b) = byte_value(v) else { return -1 };
            Some(b)
        };
        let _g = BaLock::new(op);
        let n = as_bytes(op).len() as Py_ssize_t;
        if i < 0 || i >= n {
            raise(&raw mut EXC_IndexError, "bytearray index out of range");
            return -1;
        }
        match b {
            None => replace_locked(op, i as usize, i as usize + 1, &[]),
            Some(b) => {
                as_bytes_mut(op)[i as usize] = b;
                0
            }
        }
    }
}

/// Replaces `[lo, hi)` with `new`, with the lock held by the caller.
unsafe fn replace_locked(op: *mut PyObject, lo: usize, hi: usize, new: &[u8]) -> c_int {
    // SAFETY: a live, locked bytearray; `lo <= hi`.
    unsafe {
        let mut v = as_bytes(op).to_vec();
        let hi = hi.min(v.len());
        let lo = lo.min(hi);
        v.splice(lo..hi, new.iter().copied());
        if !resize(op, v.len()) {
            return -1;
        }
        as_bytes_mut(op).copy_from_slice(&v);
        0
    }
}

unsafe extern "C" fn ba_contains(op: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let d = snapshot(op);
        bytes::contains_in(&d, x)
    }
}

unsafe extern "C" fn ba_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let d = snapshot(op);
        if !sl::is_slice(key) {
            match sl::as_ssize_index(key) {
                Err(()) => return null_mut(),
                Ok(None) => {
                    let t = crate::object::tname(key);
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("bytearray indices must be integers or slices, not {t}"),
                    );
                }
                Ok(Some(i)) => {
                    let n = d.len() as Py_ssize_t;
                    return ba_item(op, if i < 0 { i + n } else { i });
                }
            }
        }
        bytes::subscript_bytes(&d, key, from_bytes)
    }
}

unsafe extern "C" fn ba_ass_subscript(
    op: *mut PyObject,
    key: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: live objects (slot contract); `v` NULL for deletion.
    unsafe {
        let n = size(op);
        match sl::subscript(key, n, "bytearray") {
            Err(()) => -1,
            Ok(sl::Subscript::Index(i)) => ba_ass_item(op, i, v),
            Ok(sl::Subscript::Slice(b, st, cnt)) => {
                // The value is converted first (it may be this bytearray: its buffer is read
                // before locking).
                let new = if v.is_null() {
                    Vec::new()
                } else if crate::longobject::is_int(v) {
                    raise(
                        &raw mut EXC_TypeError,
                        "can assign only bytes, buffers, or iterables of ints in range(0, 256)",
                    );
                    return -1;
                } else {
                    match bytes::bytes_like(v) {
                        Some(x) => x,
                        None => return -1,
                    }
                };
                let _g = BaLock::new(op);
                if size(op) != n {
                    // Changed by another thread since the slice was computed.
                    raise(
                        &raw mut crate::pyerrors::EXC_RuntimeError,
                        "bytearray changed size during assignment",
                    );
                    return -1;
                }
                if st == 1 {
                    let lo = b as usize;
                    return replace_locked(op, lo, lo + cnt.max(0) as usize, &new);
                }
                let pos: Vec<usize> = sl::positions(b, st, cnt).collect();
                if v.is_null() {
                    let old = as_bytes(op).to_vec();
                    let keep: Vec<u8> = old
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !pos.contains(i))
                        .map(|(_, &x)| x)
                        .collect();
                    return replace_locked(op, 0, old.len(), &keep);
                }
                if new.len() != pos.len() {
                    raise(
                        &raw mut EXC_ValueError,
                        &format!(
                            "attempt to assign bytes of size {} to extended slice of size {}",
                            new.len(),
                            pos.len()
                        ),
                    );
                    return -1;
                }
                let d = as_bytes_mut(op);
                for (p, x) in pos.into_iter().zip(new) {
                    d[p] = x;
                }
                0
            }
        }
    }
}

unsafe extern "C" fn ba_getbuffer(op: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    // SAFETY: a live bytearray and a writable view (slot contract).
    unsafe {
        let _g = BaLock::new(op);
        let b = op.cast::<PyByteArrayObject>();
        let ptr = if (*b).ob_start.is_null() {
            (&raw mut _PyByteArray_empty_string).cast()
        } else {
            (*b).ob_start.cast()
        };
        let r = crate::pybuffer::fill_info(view, op, ptr, (*b).ob_base.ob_size, false, flags);
        if r == 0 {
            (*b).ob_exports += 1;
        }
        r
    }
}

unsafe extern "C" fn ba_releasebuffer(op: *mut PyObject, _view: *mut Py_buffer) {
    let _g = BaLock::new(op);
    // SAFETY: a live bytearray (slot contract), locked.
    unsafe { (*op.cast::<PyByteArrayObject>()).ob_exports -= 1 };
}

unsafe extern "C" fn ba_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live bytearray (slot contract).
    unsafe { iters::new_iter(&raw mut PyByteArrayIter_Type, op, 0) }
}

unsafe fn baiter_step(it: &mut iters::IterState) -> Step {
    // SAFETY: `seq` is a live bytearray.
    unsafe {
        let byte = {
            let _g = BaLock::new(it.seq);
            as_bytes(it.seq).get(it.index as usize).copied()
        };
        match byte {
            Some(b) => Step::Item(crate::longobject::from_i128(i128::from(b))),
            None => Step::End,
        }
    }
}

unsafe extern "C" fn baiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, baiter_step) }
}

unsafe extern "C" fn ba_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("bytearray.__new__", null_mut(), || {
        // SAFETY: tp_new contract: an argument tuple, NULL or a dict.
        unsafe {
            let b = bytes::new_from_args(args, kw, "bytearray");
            if b.is_null() {
                return b;
            }
            let r = if t.is_null() || t == &raw mut PyByteArray_Type {
                from_bytes(bytes::as_bytes(b))
            } else {
                with_type(t, bytes::as_bytes(b))
            };
            crate::refcount::decref(b);
            r
        }
    })
}

unsafe fn check(op: *mut PyObject) -> bool {
    // SAFETY: NULL or a live object.
    if op.is_null() || !unsafe { is_bytearray(op) } {
        crate::pyerrors::bad_internal_call();
        return false;
    }
    true
}

// ---- exported API ---------------------------------------------------------------------------

#[export]
pub unsafe fn PyByteArray_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject {
    if n < 0 {
        return raise(
            &raw mut crate::pyerrors::EXC_SystemError,
            "Negative size passed to PyByteArray_FromStringAndSize",
        );
    }
    if s.is_null() {
        return from_bytes(&vec![0; n as usize]);
    }
    // SAFETY: `n` readable bytes, per the C API contract.
    from_bytes(unsafe { std::slice::from_raw_parts(s.cast::<u8>(), n as usize) })
}

#[export]
pub unsafe fn PyByteArray_FromObject(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() {
            return from_bytes(&[]);
        }
        let b = bytes::PyBytes_FromObject(op);
        if b.is_null() {
            return b;
        }
        let r = from_bytes(bytes::as_bytes(b));
        crate::refcount::decref(b);
        r
    }
}

#[export]
pub unsafe fn PyByteArray_AsString(op: *mut PyObject) -> *mut c_char {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !check(op) {
            return null_mut();
        }
        let b = op.cast::<PyByteArrayObject>();
        if (*b).ob_base.ob_size == 0 || (*b).ob_start.is_null() {
            (&raw mut _PyByteArray_empty_string).cast()
        } else {
            (*b).ob_start
        }
    }
}

#[export]
pub unsafe fn PyByteArray_Size(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !check(op) {
            return -1;
        }
        size(op)
    }
}

#[export]
pub unsafe fn PyByteArray_Resize(op: *mut PyObject, n: Py_ssize_t) -> c_int {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !check(op) {
            return -1;
        }
        if n < 0 {
            raise(
                &raw mut EXC_ValueError,
                &format!("Can only resize to positive sizes, got {n}"),
            );
            return -1;
        }
        let _g = BaLock::new(op);
        if resize(op, n as usize) { 0 } else { -1 }
    }
}

#[export]
pub unsafe fn PyByteArray_Concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if a.is_null() || b.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        let (Some(mut x), Some(y)) = (bytes::bytes_like(a), bytes::bytes_like(b)) else {
            crate::pyerrors::clear();
            let (tb, ta) = (crate::object::tname(b), crate::object::tname(a));
            return raise(
                &raw mut EXC_TypeError,
                &format!("can't concat {tb} to {ta}"),
            );
        };
        x.extend_from_slice(&y);
        from_bytes(&x)
    }
}

// ---- Python-level mutators (listed in `bytes_methods::BYTEARRAY_METHODS`) ----------------------

/// Runs `f` on a copy of the contents under the lock and stores the copy back (resizing the
/// object when its length changed).
///
/// # Safety
/// `op` must be a live bytearray.
unsafe fn edit<R>(
    op: *mut PyObject,
    f: impl FnOnce(&mut Vec<u8>) -> Result<R, ()>,
) -> Result<R, ()> {
    let _g = BaLock::new(op);
    // SAFETY: forwarded contract; the lock is held while the contents are replaced.
    unsafe {
        let mut v = as_bytes(op).to_vec();
        let r = f(&mut v)?;
        if !resize(op, v.len()) {
            return Err(());
        }
        as_bytes_mut(op).copy_from_slice(&v);
        Ok(r)
    }
}

fn done(r: Result<(), ()>) -> *mut PyObject {
    match r {
        Ok(()) => crate::object::new_none(),
        Err(()) => null_mut(),
    }
}

/// `bytearray.append(item, /)`.
pub(crate) unsafe fn m_append(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live bytearray.
    unsafe {
        let Some(b) = byte_value(x) else {
            return null_mut();
        };
        done(edit(op, |v| {
            v.push(b);
            Ok(())
        }))
    }
}

/// `bytearray.clear()`.
pub(crate) unsafe fn m_clear(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live bytearray.
    unsafe {
        done(edit(op, |v| {
            v.clear();
            Ok(())
        }))
    }
}

/// `bytearray.copy()`.
pub(crate) unsafe fn m_copy(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live bytearray.
    from_bytes(&unsafe { snapshot(op) })
}

/// `bytearray.reverse()`.
pub(crate) unsafe fn m_reverse(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live bytearray.
    unsafe {
        done(edit(op, |v| {
            v.reverse();
            Ok(())
        }))
    }
}

/// `bytearray.extend(iterable_of_ints, /)`: a buffer's bytes, else the iterable's ints.
pub(crate) unsafe fn m_extend(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live bytearray and a live argument.
    unsafe {
        let add = if crate::pybuffer::check_buffer(x) {
            match bytes::bytes_like(x) {
                Some(v) => v,
                None => return null_mut(),
            }
        } else if crate::unicodeobject::is_str(x) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "expected iterable of integers; got: '{}'",
                    crate::object::tname(x)
                ),
            );
        } else {
            let Ok(items) = iters::collect(x) else {
                if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                    crate::pyerrors::clear();
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("can't extend bytearray with {}", crate::object::tname(x)),
                    );
                }
                return null_mut();
            };
            let mut v = Vec::with_capacity(items.len());
            for &o in &items {
                let Some(b) = byte_value(o) else {
                    iters::release_all(items);
                    return null_mut();
                };
                v.push(b);
            }
            iters::release_all(items);
            v
        };
        done(edit(op, |v| {
            v.extend_from_slice(&add);
            Ok(())
        }))
    }
}

/// `bytearray.insert(index, item, /)`.
pub(crate) unsafe fn m_insert(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !crate::unicodeobject::methods::nargs("insert", a.len() as Py_ssize_t, 2, 2) {
        return null_mut();
    }
    // SAFETY: METH_FASTCALL on a live bytearray with live arguments.
    unsafe {
        let Ok(i) = crate::unicodeobject::methods::count_arg(Some(&a[0])) else {
            return null_mut();
        };
        let Some(b) = byte_value(a[1]) else {
            return null_mut();
        };
        done(edit(op, |v| {
            let n = v.len() as Py_ssize_t;
            let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
            v.insert(at as usize, b);
            Ok(())
        }))
    }
}

/// `bytearray.pop(index=-1, /)`.
pub(crate) unsafe fn m_pop(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !crate::unicodeobject::methods::nargs("pop", a.len() as Py_ssize_t, 0, 1) {
        return null_mut();
    }
    // SAFETY: METH_FASTCALL on a live bytearray with live arguments.
    unsafe {
        let i = match a.first() {
            None => -1,
            Some(x) => match crate::unicodeobject::methods::count_arg(Some(x)) {
                Ok(v) => v,
                Err(()) => return null_mut(),
            },
        };
        let r = edit(op, |v| {
            if v.is_empty() {
                raise(&raw mut EXC_IndexError, "pop from empty bytearray");
                return Err(());
            }
            let n = v.len() as Py_ssize_t;
            let at = if i < 0 { i + n } else { i };
            if at < 0 || at >= n {
                raise(&raw mut EXC_IndexError, "pop index out of range");
                return Err(());
            }
            Ok(v.remove(at as usize))
        });
        match r {
            Ok(b) => crate::longobject::from_i128(i128::from(b)),
            Err(()) => null_mut(),
        }
    }
}

/// `bytearray.remove(value, /)`.
pub(crate) unsafe fn m_remove(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live bytearray and a live argument.
    unsafe {
        let Some(b) = byte_value(x) else {
            return null_mut();
        };
        done(edit(op, |v| match v.iter().position(|&c| c == b) {
            Some(p) => {
                v.remove(p);
                Ok(())
            }
            None => {
                raise(&raw mut EXC_ValueError, "value not found in bytearray");
                Err(())
            }
        }))
    }
}

/// `bytearray.resize(size, /)` (new in 3.14): new bytes are zero.
pub(crate) unsafe fn m_resize(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live bytearray and a live argument.
    unsafe {
        let Ok(n) = crate::unicodeobject::methods::count_arg(Some(&x)) else {
            return null_mut();
        };
        if n < 0 {
            return raise(
                &raw mut EXC_ValueError,
                &format!("Can only resize to positive sizes, got {n}"),
            );
        }
        done(edit(op, |v| {
            v.resize(n as usize, 0);
            Ok(())
        }))
    }
}
