//! `memoryobject.h`: `memoryview` with CPython's `PyMemoryViewObject` layout (168 bytes;
//! `view` at 72), so `PyMemoryView_GET_BUFFER`/`GET_BASE` work inline. A view holds the
//! exporter's buffer (released when the view dies), copies shape/strides into `ob_array`,
//! and supports len, 1-D indexing of byte formats, `tobytes`-style comparison and
//! re-export through the buffer protocol. gilgate does not use a managed buffer object:
//! `mbuf` is NULL.

use crate::export;
use crate::iterobject as iters;
use crate::object::{
    Py_EQ, Py_NE, Py_buffer, PyBufferProcs, PyMappingMethods, PyObject, PySequenceMethods,
    PyTypeObject, PyVarObject, static_type, ty,
};
use crate::pybuffer::{self as buf, PyBUF_FULL_RO, PyBUF_WRITABLE};
use crate::pyerrors::{EXC_BufferError, EXC_IndexError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;

/// `PyMemoryViewObject` (168 bytes with one `ob_array` slot).
#[repr(C)]
pub struct PyMemoryViewObject {
    pub ob_base: PyVarObject,
    pub mbuf: *mut c_void,
    pub hash: Py_hash_t,
    pub flags: c_int,
    pub exports: Py_ssize_t,
    pub view: Py_buffer,
    pub weakreflist: *mut PyObject,
    pub ob_array: [Py_ssize_t; 1],
}

pub const PyBUF_READ: c_int = 0x100;
pub const PyBUF_WRITE: c_int = 0x200;

/// `flags` bit: the exporter's buffer must be released when the view dies.
const OWNS_BUFFER: c_int = 0x1000;

static mut MV_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(mv_length),
    sq_concat: None,
    sq_repeat: None,
    sq_item: Some(mv_item),
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: None,
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut MV_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(mv_length),
    mp_subscript: Some(mv_subscript),
    mp_ass_subscript: None,
};

static mut MV_AS_BUFFER: PyBufferProcs = PyBufferProcs {
    bf_getbuffer: Some(mv_getbuffer),
    bf_releasebuffer: Some(mv_releasebuffer),
};

#[export]
pub static mut PyMemoryView_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(mv_dealloc),
    tp_repr: Some(mv_repr),
    tp_hash: Some(iters::unhashable),
    tp_richcompare: Some(mv_richcompare),
    tp_as_sequence: &raw mut MV_AS_SEQUENCE,
    tp_as_mapping: &raw mut MV_AS_MAPPING,
    tp_as_buffer: &raw mut MV_AS_BUFFER,
    tp_new: Some(mv_new),
    tp_methods: (&raw mut MV_METHODS).cast(),
    tp_getset: (&raw mut MV_GETSET).cast(),
    ..static_type(
        c"memoryview",
        std::mem::offset_of!(PyMemoryViewObject, ob_array),
        std::mem::size_of::<Py_ssize_t>(),
        crate::object::Py_TPFLAGS_SEQUENCE,
    )
};

/// Whether `op` is a memoryview.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_memoryview(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == &raw mut PyMemoryView_Type }
}

/// Makes a memoryview around a filled `view` (taken over: its `obj` reference moves in),
/// copying shape, strides and suboffsets into the object's own array.
unsafe fn wrap(view: &Py_buffer, owns: bool) -> *mut PyObject {
    // SAFETY: `view` is a filled buffer.
    unsafe {
        let nd = view.ndim.max(0) as usize;
        let m =
            crate::objimpl::alloc_object(&raw mut PyMemoryView_Type, (3 * nd).max(1) as Py_ssize_t);
        if m.is_null() {
            return m;
        }
        let p = m.cast::<PyMemoryViewObject>();
        (*p).hash = -1;
        (*p).flags = if owns { OWNS_BUFFER } else { 0 };
        std::ptr::copy_nonoverlapping(view, &raw mut (*p).view, 1);
        let arr = (&raw mut (*p).ob_array).cast::<Py_ssize_t>();
        let v = &mut (*p).view;
        let shape = if view.shape.is_null() {
            vec![view.len / view.itemsize.max(1); nd]
        } else {
            std::slice::from_raw_parts(view.shape, nd).to_vec()
        };
        for (i, s) in shape.iter().enumerate() {
            *arr.add(i) = *s;
        }
        v.shape = if nd > 0 { arr } else { null_mut() };
        if !view.strides.is_null() && nd > 0 {
            std::ptr::copy_nonoverlapping(view.strides, arr.add(nd), nd);
            v.strides = arr.add(nd);
        } else if nd > 0 {
            // C-contiguous strides.
            let mut sd = view.itemsize;
            for i in (0..nd).rev() {
                *arr.add(nd + i) = sd;
                sd *= shape[i];
            }
            v.strides = arr.add(nd);
        }
        if !view.suboffsets.is_null() && nd > 0 {
            std::ptr::copy_nonoverlapping(view.suboffsets, arr.add(2 * nd), nd);
            v.suboffsets = arr.add(2 * nd);
        }
        if v.format.is_null() {
            v.format = c"B".as_ptr().cast_mut();
        }
        m
    }
}

unsafe fn view_of<'a>(op: *mut PyObject) -> &'a mut Py_buffer {
    // SAFETY: a live memoryview.
    unsafe { &mut (*op.cast::<PyMemoryViewObject>()).view }
}

unsafe extern "C" fn mv_dealloc(op: *mut PyObject) {
    // SAFETY: a dead memoryview (slot contract).
    unsafe {
        let p = op.cast::<PyMemoryViewObject>();
        if (*p).flags & RELEASED != 0 {
            // released already
        } else if (*p).flags & OWNS_BUFFER != 0 {
            // The copied view's shape/strides point into this object, which the exporter's
            // release hook may read; it is released before the memory goes.
            buf::release(&mut (*p).view);
        } else {
            crate::refcount::xdecref((*p).view.obj);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn mv_repr(op: *mut PyObject) -> *mut PyObject {
    crate::unicodeobject::from_str(&format!("<memory at {op:#x?}>"))
}

unsafe fn format_of(v: &Py_buffer) -> String {
    if v.format.is_null() {
        return "B".into();
    }
    // SAFETY: a NUL-terminated format string.
    unsafe { CStr::from_ptr(v.format) }
        .to_string_lossy()
        .into_owned()
}

/// The view's bytes in C order.
unsafe fn to_bytes(v: &Py_buffer) -> Vec<u8> {
    let mut out = vec![0u8; v.len.max(0) as usize];
    // SAFETY: a filled view; `out` has `len` bytes.
    unsafe {
        buf::PyBuffer_ToContiguous(out.as_mut_ptr().cast(), v, v.len, b'C' as c_char);
    }
    out
}

unsafe extern "C" fn mv_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live memoryview (slot contract).
    unsafe {
        let v = view_of(op);
        if v.ndim == 0 {
            raise(&raw mut EXC_TypeError, "0-dim memory has no length");
            return -1;
        }
        *v.shape
    }
}

/// Reads one item of a one-dimensional view with a native single-value format.
unsafe fn unpack(v: &Py_buffer, p: *const u8) -> *mut PyObject {
    // SAFETY: `p` points at one item of the view.
    unsafe {
        let f = format_of(v);
        let f = f.trim_start_matches('@');
        let i = |x: i128| crate::longobject::from_i128(x);
        match f {
            "B" => i(i128::from(*p)),
            "b" => i(i128::from(*p.cast::<i8>())),
            "c" => crate::bytesobject::from_bytes(&[*p]),
            "h" => i(i128::from(p.cast::<i16>().read_unaligned())),
            "H" => i(i128::from(p.cast::<u16>().read_unaligned())),
            "i" => i(i128::from(p.cast::<i32>().read_unaligned())),
            "I" => i(i128::from(p.cast::<u32>().read_unaligned())),
            "l" | "q" | "n" => i(i128::from(p.cast::<i64>().read_unaligned())),
            "L" | "Q" | "N" => i(i128::from(p.cast::<u64>().read_unaligned())),
            "f" => crate::floatobject::from_f64(f64::from(p.cast::<f32>().read_unaligned())),
            "d" => crate::floatobject::from_f64(p.cast::<f64>().read_unaligned()),
            "?" => crate::boolobject::from_bool(*p != 0),
            _ => raise(
                &raw mut crate::pyerrors::EXC_NotImplementedError,
                &format!("memoryview: format {f} not supported"),
            ),
        }
    }
}

unsafe extern "C" fn mv_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live memoryview (slot contract).
    unsafe {
        let v = view_of(op);
        if v.ndim != 1 {
            return raise(
                &raw mut crate::pyerrors::EXC_NotImplementedError,
                "multi-dimensional sub-views are not implemented",
            );
        }
        let n = *v.shape;
        if i < 0 || i >= n {
            return raise(
                &raw mut EXC_IndexError,
                "index out of bounds on dimension 1",
            );
        }
        let p = buf::PyBuffer_GetPointer(v, &i).cast::<u8>();
        unpack(v, p)
    }
}

unsafe extern "C" fn mv_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let v = view_of(op);
        if crate::sliceobject::is_slice(key) && v.ndim == 1 {
            let Ok((b, st, cnt)) = crate::sliceobject::indices(key, *v.shape) else {
                return null_mut();
            };
            let mut nv: Py_buffer = std::ptr::read(v);
            nv.obj = crate::refcount::new_ref(op);
            nv.buf = v.buf.cast::<u8>().offset(b * *v.strides).cast();
            let mut shape = cnt;
            let mut stride = *v.strides * st;
            nv.shape = &mut shape;
            nv.strides = &mut stride;
            nv.len = cnt * v.itemsize;
            let m = wrap(&nv, false);
            if m.is_null() {
                crate::refcount::decref(op);
            } else {
                (*op.cast::<PyMemoryViewObject>()).exports += 1;
                (*m.cast::<PyMemoryViewObject>()).flags |= OWNS_BUFFER;
            }
            return m;
        }
        match crate::sliceobject::as_ssize_index(key) {
            Err(()) => null_mut(),
            Ok(Some(i)) => {
                let n = if v.ndim >= 1 { *v.shape } else { 0 };
                mv_item(op, if i < 0 { i + n } else { i })
            }
            Ok(None) => raise(&raw mut EXC_TypeError, "memoryview: invalid slice key"),
        }
    }
}

unsafe extern "C" fn mv_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if op != Py_EQ && op != Py_NE {
            return iters::not_implemented();
        }
        if a == b {
            return crate::boolobject::from_bool(op == Py_EQ);
        }
        let x = to_bytes(view_of(a));
        let y = if is_memoryview(b) {
            to_bytes(view_of(b))
        } else if buf::check_buffer(b) {
            match crate::bytesobject::bytes_like(b) {
                Some(v) => v,
                None => return null_mut(),
            }
        } else {
            return iters::not_implemented();
        };
        let fa = format_of(view_of(a));
        let same = x == y && (fa == "B" || fa == "b" || fa == "c");
        crate::boolobject::from_bool(same == (op == Py_EQ))
    }
}

unsafe extern "C" fn mv_getbuffer(op: *mut PyObject, out: *mut Py_buffer, flags: c_int) -> c_int {
    // SAFETY: a live memoryview and a writable view (slot contract).
    unsafe {
        let v = view_of(op);
        if flags & PyBUF_WRITABLE != 0 && v.readonly != 0 {
            raise(
                &raw mut EXC_BufferError,
                "memoryview: underlying buffer is not writable",
            );
            return -1;
        }
        std::ptr::copy_nonoverlapping(v, out, 1);
        (*out).obj = crate::refcount::new_ref(op);
        (*op.cast::<PyMemoryViewObject>()).exports += 1;
        0
    }
}

unsafe extern "C" fn mv_releasebuffer(op: *mut PyObject, _v: *mut Py_buffer) {
    // SAFETY: a live memoryview (slot contract).
    unsafe { (*op.cast::<PyMemoryViewObject>()).exports -= 1 };
}

// ---- exported API ---------------------------------------------------------------------------

#[export]
pub unsafe fn PyMemoryView_FromObject(base: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if base.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        if !buf::check_buffer(base) {
            let t = crate::object::tname(base);
            return raise(
                &raw mut EXC_TypeError,
                &format!("memoryview: a bytes-like object is required, not '{t}'"),
            );
        }
        let mut v: Py_buffer = std::mem::zeroed();
        if buf::get_buffer(base, &mut v, PyBUF_FULL_RO) < 0 {
            return null_mut();
        }
        let m = wrap(&v, true);
        if m.is_null() {
            buf::release(&mut v);
        }
        m
    }
}

#[export]
pub unsafe fn PyMemoryView_FromMemory(
    mem: *mut c_char,
    size: Py_ssize_t,
    flags: c_int,
) -> *mut PyObject {
    if mem.is_null() || size < 0 || (flags != PyBUF_READ && flags != PyBUF_WRITE) {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: `size` bytes at `mem` stay valid for the view's life, per the C API.
    unsafe {
        let mut v: Py_buffer = std::mem::zeroed();
        let mut shape = size;
        let mut stride = 1;
        v.buf = mem.cast();
        v.len = size;
        v.itemsize = 1;
        v.readonly = c_int::from(flags == PyBUF_READ);
        v.ndim = 1;
        v.shape = &mut shape;
        v.strides = &mut stride;
        wrap(&v, false)
    }
}

#[export]
pub unsafe fn PyMemoryView_FromBuffer(info: *const Py_buffer) -> *mut PyObject {
    // SAFETY: a filled buffer, per the C API contract.
    unsafe {
        if info.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        if (*info).buf.is_null() {
            return raise(
                &raw mut EXC_ValueError,
                "PyMemoryView_FromBuffer(): info->buf must not be NULL",
            );
        }
        let mut v: Py_buffer = std::ptr::read(info);
        v.obj = null_mut();
        wrap(&v, false)
    }
}

#[export]
pub unsafe fn PyMemoryView_GetContiguous(
    base: *mut PyObject,
    buffertype: c_int,
    order: c_char,
) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        let m = PyMemoryView_FromObject(base);
        if m.is_null() {
            return m;
        }
        let v = view_of(m);
        if buffertype == PyBUF_WRITE && v.readonly != 0 {
            crate::refcount::decref(m);
            return raise(
                &raw mut EXC_BufferError,
                "underlying buffer is not writable",
            );
        }
        if buf::is_contiguous(v, order as u8) {
            return m;
        }
        if buffertype == PyBUF_WRITE {
            crate::refcount::decref(m);
            return raise(
                &raw mut EXC_BufferError,
                "writable contiguous buffer requested for a non-contiguous object.",
            );
        }
        let bytes = crate::bytesobject::from_bytes(&to_bytes(v));
        crate::refcount::decref(m);
        if bytes.is_null() {
            return bytes;
        }
        let r = PyMemoryView_FromObject(bytes);
        crate::refcount::decref(bytes);
        r
    }
}

// ---- Python-level API: constructor, methods, attributes ---------------------------------------

/// `flags` bit: `release()` was called; every operation but `release` fails.
const RELEASED: c_int = 0x2000;

/// False (with CPython's ValueError) when the view was released.
unsafe fn live(op: *mut PyObject) -> bool {
    // SAFETY: a live memoryview.
    if unsafe { (*op.cast::<PyMemoryViewObject>()).flags } & RELEASED != 0 {
        raise(
            &raw mut EXC_ValueError,
            "operation forbidden on released memoryview object",
        );
        return false;
    }
    true
}

unsafe extern "C" fn mv_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("memoryview.__new__", null_mut(), || {
        // SAFETY: tp_new contract: an argument tuple, NULL or a dict.
        unsafe {
            let Some(a) = iters::ctor_args("memoryview", args, kw, 1, true) else {
                return null_mut();
            };
            let mut obj = a.first().copied().unwrap_or(null_mut());
            if !kw.is_null() {
                for (k, v) in crate::dictobject::entries(kw) {
                    let key = crate::unicodeobject::as_str(k).unwrap_or("");
                    if key != "object" || !obj.is_null() {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("memoryview() got an unexpected keyword argument '{key}'"),
                        );
                    }
                    obj = v;
                }
            }
            if obj.is_null() {
                return raise(
                    &raw mut EXC_TypeError,
                    "memoryview() missing required argument 'object' (pos 1)",
                );
            }
            PyMemoryView_FromObject(obj)
        }
    })
}

/// A view sharing `op`'s buffer (holding an export of `op`), adjusted by `f`.
unsafe fn derived(op: *mut PyObject, f: impl FnOnce(&mut Py_buffer)) -> *mut PyObject {
    // SAFETY: a live, unreleased memoryview.
    unsafe {
        let v = view_of(op);
        let mut nv: Py_buffer = std::ptr::read(v);
        nv.obj = crate::refcount::new_ref(op);
        f(&mut nv);
        let m = wrap(&nv, false);
        if m.is_null() {
            crate::refcount::decref(op);
        } else {
            (*op.cast::<PyMemoryViewObject>()).exports += 1;
            (*m.cast::<PyMemoryViewObject>()).flags |= OWNS_BUFFER;
        }
        m
    }
}

/// The items of a 0- or 1-dimensional view as new objects.
unsafe fn items_of(op: *mut PyObject) -> Result<Vec<*mut PyObject>, ()> {
    // SAFETY: a live, unreleased memoryview.
    unsafe {
        let v = view_of(op);
        if v.ndim == 0 {
            let x = unpack(v, v.buf.cast());
            return if x.is_null() { Err(()) } else { Ok(vec![x]) };
        }
        if v.ndim != 1 {
            raise(
                &raw mut crate::pyerrors::EXC_NotImplementedError,
                "multi-dimensional sub-views are not implemented",
            );
            return Err(());
        }
        let mut out = Vec::with_capacity(*v.shape as usize);
        for i in 0..*v.shape {
            let x = unpack(v, buf::PyBuffer_GetPointer(v, &i).cast::<u8>());
            if x.is_null() {
                iters::release_all(out);
                return Err(());
            }
            out.push(x);
        }
        Ok(out)
    }
}

unsafe fn m_tolist(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live memoryview.
    unsafe {
        if !live(op) {
            return null_mut();
        }
        if view_of(op).ndim == 0 {
            let Ok(mut v) = items_of(op) else {
                return null_mut();
            };
            return v.pop().unwrap_or(null_mut());
        }
        match items_of(op) {
            Ok(v) => crate::listobject::from_vec(v),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn m_tobytes(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS on a live memoryview.
    unsafe {
        if crate::unicodeobject::methods::bind("tobytes", args, n, kw, &["order"], 0).is_err()
            || !live(op)
        {
            return null_mut();
        }
        crate::bytesobject::from_bytes(&to_bytes(view_of(op)))
    }
}

unsafe fn m_hex(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS on a live memoryview.
    unsafe {
        let Ok(a) =
            crate::unicodeobject::methods::bind("hex", args, n, kw, &["sep", "bytes_per_sep"], 0)
        else {
            return null_mut();
        };
        if !live(op) {
            return null_mut();
        }
        let g = |i: usize| a.get(i).copied().unwrap_or(null_mut());
        crate::bytes_methods::hex_of(&to_bytes(view_of(op)), g(0), g(1))
    }
}

/// `count(value)` and `index(value, start, stop)`: the positions equal to `value`.
unsafe fn positions(op: *mut PyObject, x: *mut PyObject) -> Result<Vec<usize>, ()> {
    // SAFETY: a live memoryview, a live value.
    unsafe {
        if !live(op) {
            return Err(());
        }
        let items = items_of(op)?;
        let mut out = Vec::new();
        for (i, &o) in items.iter().enumerate() {
            match crate::abstract_::PyObject_RichCompareBool(o, x, Py_EQ) {
                r if r < 0 => {
                    iters::release_all(items);
                    return Err(());
                }
                1 => out.push(i),
                _ => {}
            }
        }
        iters::release_all(items);
        Ok(out)
    }
}

unsafe fn m_count(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live memoryview.
    match unsafe { positions(op, x) } {
        Ok(p) => crate::longobject::from_i128(p.len() as i128),
        Err(()) => null_mut(),
    }
}

unsafe fn m_index(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !crate::unicodeobject::methods::nargs("index", a.len() as Py_ssize_t, 1, 3) {
        return null_mut();
    }
    // SAFETY: METH_FASTCALL on a live memoryview.
    unsafe {
        let (Ok(lo), Ok(hi)) = (
            crate::unicodeobject::methods::index_arg(a.get(1), 0),
            crate::unicodeobject::methods::index_arg(a.get(2), Py_ssize_t::MAX),
        ) else {
            return null_mut();
        };
        let Ok(p) = positions(op, a[0]) else {
            return null_mut();
        };
        let n = if view_of(op).ndim == 0 {
            1
        } else {
            *view_of(op).shape
        };
        let fix = |i: Py_ssize_t| if i < 0 { (i + n).max(0) } else { i.min(n) };
        let (lo, hi) = (fix(lo), fix(hi));
        match p
            .iter()
            .find(|&&i| (i as Py_ssize_t) >= lo && (i as Py_ssize_t) < hi)
        {
            Some(&i) => crate::longobject::from_i128(i as i128),
            None => raise(&raw mut EXC_ValueError, "memoryview.index(x): x not found"),
        }
    }
}

unsafe fn m_release(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live memoryview.
    unsafe {
        let p = op.cast::<PyMemoryViewObject>();
        if (*p).flags & RELEASED != 0 {
            return crate::object::new_none();
        }
        if (*p).exports > 0 {
            let n = (*p).exports;
            return raise(
                &raw mut EXC_BufferError,
                &format!(
                    "memoryview has {n} exported buffer{}",
                    if n == 1 { "" } else { "s" }
                ),
            );
        }
        if (*p).flags & OWNS_BUFFER != 0 {
            buf::release(&mut (*p).view);
        } else {
            crate::refcount::xdecref((*p).view.obj);
        }
        (*p).view.obj = null_mut();
        (*p).flags = RELEASED;
        crate::object::new_none()
    }
}

unsafe fn m_toreadonly(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live memoryview.
    unsafe {
        if !live(op) {
            return null_mut();
        }
        derived(op, |v| v.readonly = 1)
    }
}

/// The item formats `cast` accepts, with their sizes.
fn cast_format(f: &str) -> Option<(&'static CStr, Py_ssize_t)> {
    Some(match f {
        "B" => (c"B", 1),
        "b" => (c"b", 1),
        "c" => (c"c", 1),
        "?" => (c"?", 1),
        "h" => (c"h", 2),
        "H" => (c"H", 2),
        "i" => (c"i", 4),
        "I" => (c"I", 4),
        "f" => (c"f", 4),
        "l" => (c"l", 8),
        "L" => (c"L", 8),
        "q" => (c"q", 8),
        "Q" => (c"Q", 8),
        "n" => (c"n", 8),
        "N" => (c"N", 8),
        "d" => (c"d", 8),
        _ => return None,
    })
}

unsafe fn m_cast(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS on a live memoryview.
    unsafe {
        let Ok(a) = crate::unicodeobject::methods::bind_req(
            "cast",
            args,
            n,
            kw,
            &["format", "shape"],
            0,
            1,
        ) else {
            return null_mut();
        };
        if !live(op) {
            return null_mut();
        }
        if a.is_empty() || a[0].is_null() {
            return raise(
                &raw mut EXC_TypeError,
                "cast() missing required argument 'format' (pos 1)",
            );
        }
        if a.get(1).is_some_and(|s| !s.is_null()) {
            return raise(
                &raw mut crate::pyerrors::EXC_NotImplementedError,
                "gilgate: memoryview.cast with a shape is not implemented",
            );
        }
        let Some(f) =
            crate::unicodeobject::as_str(a[0]).filter(|_| crate::unicodeobject::is_str(a[0]))
        else {
            let t = crate::object::tname(a[0]);
            return raise(
                &raw mut EXC_TypeError,
                &format!("cast() argument 'format' must be str, not {t}"),
            );
        };
        let Some((fmt, size)) = cast_format(f) else {
            return raise(
                &raw mut EXC_ValueError,
                "memoryview: destination format must be a native single character format prefixed with an optional '@'",
            );
        };
        let v = view_of(op);
        if buf::PyBuffer_IsContiguous(v, b'C' as c_char) == 0 {
            return raise(
                &raw mut EXC_TypeError,
                "memoryview: casts are restricted to C-contiguous views",
            );
        }
        if v.len % size != 0 {
            return raise(
                &raw mut EXC_TypeError,
                "memoryview: length is not a multiple of itemsize",
            );
        }
        let mut shape = v.len / size;
        let mut stride = size;
        derived(op, |nv| {
            nv.format = fmt.as_ptr().cast_mut();
            nv.itemsize = size;
            nv.ndim = 1;
            nv.shape = &mut shape;
            nv.strides = &mut stride;
            nv.suboffsets = null_mut();
        })
    }
}

/// Builds a tuple of ints from `n` values at `p` (an empty tuple for NULL).
unsafe fn int_tuple(p: *const Py_ssize_t, n: usize) -> *mut PyObject {
    if p.is_null() {
        // SAFETY: an empty slice.
        return unsafe { crate::tupleobject::from_slice(&[]) };
    }
    // SAFETY: `n` readable values.
    unsafe {
        let items: Vec<*mut PyObject> = std::slice::from_raw_parts(p, n)
            .iter()
            .map(|&x| crate::longobject::from_i128(x as i128))
            .collect();
        crate::bytes_methods::own_tuple(&items)
    }
}

macro_rules! getter {
    ($fn:ident, |$v:ident, $op:ident| $body:expr) => {
        unsafe extern "C" fn $fn($op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
            // SAFETY: getter contract: a live memoryview.
            crate::ffi_guard::guard(stringify!($fn), null_mut(), || unsafe {
                if !live($op) {
                    return null_mut();
                }
                let $v = view_of($op);
                $body
            })
        }
    };
}

getter!(g_nbytes, |v, _op| crate::longobject::from_i128(
    v.len as i128
));
getter!(g_itemsize, |v, _op| crate::longobject::from_i128(
    v.itemsize as i128
));
getter!(g_ndim, |v, _op| crate::longobject::from_i128(
    v.ndim as i128
));
getter!(g_format, |v, _op| crate::unicodeobject::from_str(
    &format_of(v)
));
getter!(g_readonly, |v, _op| crate::boolobject::from_bool(
    v.readonly != 0
));
getter!(g_shape, |v, _op| int_tuple(v.shape, v.ndim.max(0) as usize));
getter!(g_strides, |v, _op| int_tuple(
    v.strides,
    v.ndim.max(0) as usize
));
getter!(g_suboffsets, |v, _op| int_tuple(
    v.suboffsets,
    v.ndim.max(0) as usize
));
getter!(g_c_contiguous, |v, _op| crate::boolobject::from_bool(
    buf::PyBuffer_IsContiguous(v, b'C' as c_char) != 0
));
getter!(g_f_contiguous, |v, _op| crate::boolobject::from_bool(
    buf::PyBuffer_IsContiguous(v, b'F' as c_char) != 0
));
getter!(g_contiguous, |v, _op| crate::boolobject::from_bool(
    buf::PyBuffer_IsContiguous(v, b'A' as c_char) != 0
));
getter!(g_obj, |v, _op| {
    let mut o = v.obj;
    // a derived view holds its parent memoryview; `obj` is the exporter underneath
    while !o.is_null() && is_memoryview(o) && o != _op {
        o = view_of(o).obj;
    }
    if o.is_null() {
        crate::object::new_none()
    } else {
        crate::refcount::new_ref(o)
    }
});

static mut MV_GETSET: [crate::descrobject::PyGetSetDef; 13] = [
    crate::longobject::getset(c"nbytes", Some(g_nbytes)),
    crate::longobject::getset(c"itemsize", Some(g_itemsize)),
    crate::longobject::getset(c"ndim", Some(g_ndim)),
    crate::longobject::getset(c"format", Some(g_format)),
    crate::longobject::getset(c"readonly", Some(g_readonly)),
    crate::longobject::getset(c"shape", Some(g_shape)),
    crate::longobject::getset(c"strides", Some(g_strides)),
    crate::longobject::getset(c"suboffsets", Some(g_suboffsets)),
    crate::longobject::getset(c"c_contiguous", Some(g_c_contiguous)),
    crate::longobject::getset(c"f_contiguous", Some(g_f_contiguous)),
    crate::longobject::getset(c"contiguous", Some(g_contiguous)),
    crate::longobject::getset(c"obj", Some(g_obj)),
    crate::descrobject::PyGetSetDef::END,
];

static mut MV_METHODS: [crate::methodobject::PyMethodDef; 10] = [
    crate::bytes_methods::def!(c"tolist", noargs, m_tolist),
    crate::bytes_methods::def!(c"tobytes", kw, m_tobytes),
    crate::bytes_methods::def!(c"hex", kw, m_hex),
    crate::bytes_methods::def!(c"count", o, m_count),
    crate::bytes_methods::def!(c"index", fast, m_index),
    crate::bytes_methods::def!(c"release", noargs, m_release),
    crate::bytes_methods::def!(c"toreadonly", noargs, m_toreadonly),
    crate::bytes_methods::def!(c"cast", kw, m_cast),
    crate::bytes_methods::def!(c"__enter__", noargs, m_enter),
    crate::methodobject::PyMethodDef::END,
];

unsafe fn m_enter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live memoryview.
    unsafe {
        if !live(op) {
            return null_mut();
        }
        crate::refcount::new_ref(op)
    }
}
