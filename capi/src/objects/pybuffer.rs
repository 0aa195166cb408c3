//! `pybuffer.h`: the buffer protocol (`Py_buffer`, `PyObject_GetBuffer`,
//! `PyBuffer_Release`, `PyBuffer_FillInfo`, contiguity helpers) with CPython's
//! `BufferError` texts.

use crate::export;
use crate::object::{Py_buffer, PyObject, ty};
use crate::pyerrors::{EXC_BufferError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref};
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;

pub const PyBUF_SIMPLE: c_int = 0;
pub const PyBUF_WRITABLE: c_int = 0x0001;
pub const PyBUF_FORMAT: c_int = 0x0004;
pub const PyBUF_ND: c_int = 0x0008;
pub const PyBUF_STRIDES: c_int = 0x0010 | PyBUF_ND;
pub const PyBUF_C_CONTIGUOUS: c_int = 0x0020 | PyBUF_STRIDES;
pub const PyBUF_F_CONTIGUOUS: c_int = 0x0040 | PyBUF_STRIDES;
pub const PyBUF_ANY_CONTIGUOUS: c_int = 0x0080 | PyBUF_STRIDES;
pub const PyBUF_INDIRECT: c_int = 0x0100 | PyBUF_STRIDES;
pub const PyBUF_FULL_RO: c_int = PyBUF_INDIRECT | PyBUF_FORMAT;
pub const PyBUF_RECORDS_RO: c_int = PyBUF_STRIDES | PyBUF_FORMAT;

/// Whether `op`'s type provides `bf_getbuffer`.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn check_buffer(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(op);
        !(*t).tp_as_buffer.is_null() && (*(*t).tp_as_buffer).bf_getbuffer.is_some()
    }
}

/// `PyObject_GetBuffer`.
///
/// # Safety
/// `op` must be a live object and `view` writable.
pub(crate) unsafe fn get_buffer(op: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(op);
        match (*t).tp_as_buffer.as_ref().and_then(|b| b.bf_getbuffer) {
            Some(f) => crate::extcall::getbuffer(f, op, view, flags),
            None => {
                let n = crate::object::type_name(t);
                raise(
                    &raw mut EXC_TypeError,
                    &format!("a bytes-like object is required, not '{n}'"),
                );
                -1
            }
        }
    }
}

/// `PyBuffer_Release`: calls `bf_releasebuffer` and drops `view.obj`.
///
/// # Safety
/// `view` must be a view filled by `get_buffer` (or with `obj` NULL).
pub(crate) unsafe fn release(view: *mut Py_buffer) {
    // SAFETY: forwarded contract.
    unsafe {
        let obj = (*view).obj;
        if obj.is_null() {
            return;
        }
        let t = ty(obj);
        if let Some(f) = (*t).tp_as_buffer.as_ref().and_then(|b| b.bf_releasebuffer) {
            crate::extcall::releasebuffer(f, obj, view);
        }
        (*view).obj = null_mut();
        decref(obj);
    }
}

static FORMAT_B: &CStr = c"B";

/// `PyBuffer_FillInfo` for a one-dimensional byte buffer.
///
/// # Safety
/// `view` must be writable; `obj` NULL or live; `buf` valid for `len` bytes.
pub(crate) unsafe fn fill_info(
    view: *mut Py_buffer,
    obj: *mut PyObject,
    buf: *mut c_void,
    len: Py_ssize_t,
    readonly: bool,
    flags: c_int,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if view.is_null() {
            raise(
                &raw mut EXC_BufferError,
                "PyBuffer_FillInfo: view==NULL argument is obsolete",
            );
            return -1;
        }
        if flags != PyBUF_SIMPLE && flags & PyBUF_WRITABLE != 0 && readonly {
            raise(&raw mut EXC_BufferError, "Object is not writable.");
            return -1;
        }
        (*view).obj = if obj.is_null() { obj } else { new_ref(obj) };
        (*view).buf = buf;
        (*view).len = len;
        (*view).readonly = c_int::from(readonly);
        (*view).itemsize = 1;
        (*view).format = if flags & PyBUF_FORMAT == PyBUF_FORMAT {
            FORMAT_B.as_ptr().cast_mut()
        } else {
            null_mut()
        };
        (*view).ndim = 1;
        (*view).shape = if flags & PyBUF_ND == PyBUF_ND {
            &raw mut (*view).len
        } else {
            null_mut()
        };
        (*view).strides = if flags & PyBUF_STRIDES == PyBUF_STRIDES {
            &raw mut (*view).itemsize
        } else {
            null_mut()
        };
        (*view).suboffsets = null_mut();
        (*view).internal = null_mut();
        0
    }
}

/// The shape and strides of a view (defaults for the simple forms).
unsafe fn dims(view: *const Py_buffer) -> (Vec<Py_ssize_t>, Vec<Py_ssize_t>) {
    // SAFETY: a filled view.
    unsafe {
        let v = &*view;
        let nd = v.ndim.max(0) as usize;
        if nd == 0 {
            return (vec![], vec![]);
        }
        let shape: Vec<Py_ssize_t> = if v.shape.is_null() {
            vec![v.len / v.itemsize.max(1)]
        } else {
            std::slice::from_raw_parts(v.shape, nd).to_vec()
        };
        let strides = if v.strides.is_null() {
            c_strides(&shape, v.itemsize)
        } else {
            std::slice::from_raw_parts(v.strides, nd).to_vec()
        };
        (shape, strides)
    }
}

fn c_strides(shape: &[Py_ssize_t], itemsize: Py_ssize_t) -> Vec<Py_ssize_t> {
    let mut st = vec![0; shape.len()];
    let mut sd = itemsize;
    for i in (0..shape.len()).rev() {
        st[i] = sd;
        sd *= shape[i];
    }
    st
}

fn f_strides(shape: &[Py_ssize_t], itemsize: Py_ssize_t) -> Vec<Py_ssize_t> {
    let mut st = vec![0; shape.len()];
    let mut sd = itemsize;
    for i in 0..shape.len() {
        st[i] = sd;
        sd *= shape[i];
    }
    st
}

/// Contiguity test: `order` is b'C', b'F' or b'A'.
///
/// # Safety
/// `view` must be a filled view.
pub(crate) unsafe fn is_contiguous(view: *const Py_buffer, order: u8) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        if !(*view).suboffsets.is_null() {
            return false;
        }
        if (*view).strides.is_null() {
            return true;
        }
        let (shape, strides) = dims(view);
        if shape.contains(&0) {
            return true;
        }
        let item = (*view).itemsize;
        let same = |want: Vec<Py_ssize_t>| {
            shape
                .iter()
                .zip(strides.iter().zip(want))
                .all(|(&n, (&s, w))| n == 1 || s == w)
        };
        match order {
            b'C' => same(c_strides(&shape, item)),
            b'F' => same(f_strides(&shape, item)),
            _ => same(c_strides(&shape, item)) || same(f_strides(&shape, item)),
        }
    }
}

/// Byte offsets of every item in C (row-major) or Fortran order.
unsafe fn item_offsets(view: *const Py_buffer, fortran: bool) -> Vec<isize> {
    // SAFETY: a filled view.
    unsafe {
        let (shape, strides) = dims(view);
        let nd = shape.len();
        let total: Py_ssize_t = shape.iter().product();
        let mut out = Vec::with_capacity(total.max(0) as usize);
        if total <= 0 {
            return out;
        }
        let mut idx = vec![0 as Py_ssize_t; nd];
        for _ in 0..total {
            out.push(idx.iter().zip(&strides).map(|(i, s)| i * s).sum());
            // Advance the multi-index.
            let dims_order: Vec<usize> = if fortran {
                (0..nd).collect()
            } else {
                (0..nd).rev().collect()
            };
            for d in dims_order {
                idx[d] += 1;
                if idx[d] < shape[d] {
                    break;
                }
                idx[d] = 0;
            }
        }
        out
    }
}

// ---- exported API ---------------------------------------------------------------------------

#[export]
pub unsafe fn PyObject_CheckBuffer(op: *mut PyObject) -> c_int {
    // SAFETY: NULL or a live object, per the C API contract.
    c_int::from(!op.is_null() && unsafe { check_buffer(op) })
}

#[export]
pub unsafe fn PyObject_GetBuffer(op: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    if op.is_null() || view.is_null() {
        crate::pyerrors::bad_internal_call();
        return -1;
    }
    // SAFETY: a live object and a writable view, per the C API contract.
    unsafe { get_buffer(op, view, flags) }
}

#[export]
pub unsafe fn PyBuffer_Release(view: *mut Py_buffer) {
    if view.is_null() {
        return;
    }
    // SAFETY: a view filled by PyObject_GetBuffer, per the C API contract.
    unsafe { release(view) }
}

#[export]
pub unsafe fn PyBuffer_FillInfo(
    view: *mut Py_buffer,
    obj: *mut PyObject,
    buf: *mut c_void,
    len: Py_ssize_t,
    readonly: c_int,
    flags: c_int,
) -> c_int {
    // SAFETY: as `fill_info`, per the C API contract.
    unsafe { fill_info(view, obj, buf, len, readonly != 0, flags) }
}

#[export]
pub unsafe fn PyBuffer_IsContiguous(view: *const Py_buffer, order: c_char) -> c_int {
    // SAFETY: a filled view, per the C API contract.
    unsafe { c_int::from(is_contiguous(view, order as u8)) }
}

#[export]
pub unsafe fn PyBuffer_GetPointer(
    view: *const Py_buffer,
    indices: *const Py_ssize_t,
) -> *mut c_void {
    // SAFETY: a filled view and `ndim` indices, per the C API contract.
    unsafe {
        let (_, strides) = dims(view);
        let mut p = (*view).buf.cast::<u8>();
        for (d, &s) in strides.iter().enumerate() {
            p = p.offset(*indices.add(d) * s);
            if !(*view).suboffsets.is_null() && *(*view).suboffsets.add(d) >= 0 {
                p = (*p.cast::<*mut u8>()).offset(*(*view).suboffsets.add(d));
            }
        }
        p.cast()
    }
}

#[export]
pub unsafe fn PyBuffer_ToContiguous(
    buf: *mut c_void,
    view: *const Py_buffer,
    len: Py_ssize_t,
    order: c_char,
) -> c_int {
    // SAFETY: a filled view and `len` writable bytes, per the C API contract.
    unsafe {
        if !matches!(order as u8, b'C' | b'F' | b'A') {
            raise(
                &raw mut EXC_ValueError,
                "ToContiguous: order must be 'C', 'F' or 'A'",
            );
            return -1;
        }
        let n = len.min((*view).len).max(0) as usize;
        if is_contiguous(view, order as u8) {
            std::ptr::copy_nonoverlapping((*view).buf.cast::<u8>(), buf.cast::<u8>(), n);
            return 0;
        }
        let item = (*view).itemsize.max(1) as usize;
        let mut dst = buf.cast::<u8>();
        let mut left = n;
        for off in item_offsets(view, order as u8 == b'F') {
            if left < item {
                break;
            }
            std::ptr::copy_nonoverlapping((*view).buf.cast::<u8>().offset(off), dst, item);
            dst = dst.add(item);
            left -= item;
        }
        0
    }
}

#[export]
pub unsafe fn PyBuffer_FromContiguous(
    view: *const Py_buffer,
    buf: *const c_void,
    len: Py_ssize_t,
    order: c_char,
) -> c_int {
    // SAFETY: a filled writable view and `len` readable bytes, per the C API contract.
    unsafe {
        if !matches!(order as u8, b'C' | b'F' | b'A') {
            raise(
                &raw mut EXC_ValueError,
                "FromContiguous: order must be 'C', 'F' or 'A'",
            );
            return -1;
        }
        let n = len.min((*view).len).max(0) as usize;
        let item = (*view).itemsize.max(1) as usize;
        let mut src = buf.cast::<u8>();
        let mut left = n;
        for off in item_offsets(view, order as u8 == b'F') {
            if left < item {
                break;
            }
            std::ptr::copy_nonoverlapping(src, (*view).buf.cast::<u8>().offset(off), item);
            src = src.add(item);
            left -= item;
        }
        0
    }
}

/// Size in bytes of one item of a `struct`-module format (native alignment).
pub(crate) fn size_from_format(fmt: &str) -> Option<Py_ssize_t> {
    let body = fmt.trim_start_matches(['@', '=', '<', '>', '!']);
    let standard = fmt.starts_with(['=', '<', '>', '!']);
    let mut total: usize = 0;
    let mut count = String::new();
    for c in body.chars() {
        if c.is_ascii_digit() {
            count.push(c);
            continue;
        }
        let n: usize = if count.is_empty() {
            1
        } else {
            count.parse().ok()?
        };
        count.clear();
        let size = match c {
            'x' | 'c' | 'b' | 'B' | '?' | 's' | 'p' => 1,
            'h' | 'H' | 'e' => 2,
            'i' | 'I' | 'f' => 4,
            'l' | 'L' => {
                if standard {
                    4
                } else {
                    8
                }
            }
            'q' | 'Q' | 'd' => 8,
            'n' | 'N' | 'P' => 8,
            ' ' => continue,
            _ => return None,
        };
        if !standard && size > 1 {
            total = total.div_ceil(size) * size;
        }
        total += size * n;
    }
    Some(total as Py_ssize_t)
}

#[export]
pub unsafe fn PyBuffer_SizeFromFormat(format: *const c_char) -> Py_ssize_t {
    if format.is_null() {
        crate::pyerrors::bad_internal_call();
        return -1;
    }
    // SAFETY: a NUL-terminated string, per the C API contract.
    let f = unsafe { CStr::from_ptr(format) }.to_string_lossy();
    match size_from_format(&f) {
        Some(n) => n,
        None => {
            raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "bad char in struct format",
            );
            -1
        }
    }
}

#[export]
pub unsafe fn PyBuffer_FillContiguousStrides(
    nd: c_int,
    shape: *const Py_ssize_t,
    strides: *mut Py_ssize_t,
    itemsize: c_int,
    order: c_char,
) {
    // SAFETY: `nd` readable shape entries and writable stride entries, per the C API.
    unsafe {
        let sh = std::slice::from_raw_parts(shape, nd.max(0) as usize);
        let st = if order as u8 == b'F' {
            f_strides(sh, itemsize as Py_ssize_t)
        } else {
            c_strides(sh, itemsize as Py_ssize_t)
        };
        std::ptr::copy_nonoverlapping(st.as_ptr(), strides, st.len());
    }
}
