//! `sliceobject.h`: `slice` objects (`start`/`stop`/`step` at 32/40/48) and the index helpers
//! every sequence type uses (`PySlice_Unpack`, `PySlice_AdjustIndices`, integer indices).
#![allow(clippy::result_unit_err)]

use crate::export;
use crate::object::tname;
use crate::object::{Py_EQ, Py_NE, PyObject, PyTypeObject, static_type, ty};
use crate::pyerrors::{EXC_IndexError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::c_int;
use std::ptr::null_mut;

/// `PySliceObject` (56 bytes).
#[repr(C)]
pub struct PySliceObject {
    pub ob_base: PyObject,
    pub start: *mut PyObject,
    pub stop: *mut PyObject,
    pub step: *mut PyObject,
}

#[export]
pub static mut PySlice_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(slice_dealloc),
    tp_repr: Some(slice_repr),
    tp_hash: Some(slice_hash),
    tp_richcompare: Some(slice_richcompare),
    tp_new: Some(slice_new),
    tp_getset: (&raw mut SLICE_GETSET).cast(),
    tp_methods: (&raw mut SLICE_METHODS).cast(),
    ..static_type(c"slice", std::mem::size_of::<PySliceObject>(), 0, 0)
};

/// Whether `op` is a slice.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_slice(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == &raw mut PySlice_Type }
}

/// The three fields of a slice (borrowed).
///
/// # Safety
/// `op` must be a live slice.
pub(crate) unsafe fn fields(op: *mut PyObject) -> [*mut PyObject; 3] {
    // SAFETY: forwarded contract.
    unsafe {
        let s = op.cast::<PySliceObject>();
        [(*s).start, (*s).stop, (*s).step]
    }
}

/// A new slice; NULL fields become None.
///
/// # Safety
/// Each argument must be NULL or a live object.
pub(crate) unsafe fn new_slice(
    start: *mut PyObject,
    stop: *mut PyObject,
    step: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: PySlice_Type is a ready static type.
    let s = unsafe { crate::objimpl::alloc_object(&raw mut PySlice_Type, 0) };
    if s.is_null() {
        return s;
    }
    let none = crate::object::none();
    let take = |o: *mut PyObject| {
        // SAFETY: live objects per the contract.
        unsafe { new_ref(if o.is_null() { none } else { o }) }
    };
    // SAFETY: fresh slice.
    unsafe {
        let p = s.cast::<PySliceObject>();
        (*p).start = take(start);
        (*p).stop = take(stop);
        (*p).step = take(step);
    }
    s
}

/// The integer value of an int or of an object with `nb_index`: `Ok(None)` when `op` is
/// neither (no exception set), `Err(())` when `__index__` failed. Values beyond i128 are
/// saturated.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn index_value(op: *mut PyObject) -> Result<Option<i128>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::longobject::is_int(op) {
            return Ok(Some(int_value_saturated(op)));
        }
        let t = ty(op);
        if !(*t).tp_as_number.is_null()
            && let Some(f) = (*(*t).tp_as_number).nb_index
        {
            let r = crate::extcall::unary(f, op);
            if r.is_null() {
                return Err(());
            }
            if !crate::longobject::is_int(r) {
                let n = tname(r);
                decref(r);
                raise(
                    &raw mut EXC_TypeError,
                    &format!("__index__ returned non-int (type {n})"),
                );
                return Err(());
            }
            let v = int_value_saturated(r);
            decref(r);
            return Ok(Some(v));
        }
        Ok(None)
    }
}

/// An int's value, saturated to the i128 range when it does not fit.
unsafe fn int_value_saturated(op: *mut PyObject) -> i128 {
    // SAFETY: `op` is a live int.
    unsafe {
        match crate::longobject::value_i128(op) {
            Some(v) => v,
            None => {
                let neg = crate::longobject::PyLong_AsSsize_t(op) < 0;
                crate::pyerrors::clear();
                if neg { i128::MIN } else { i128::MAX }
            }
        }
    }
}

/// An index for `seq[i]`: a `Py_ssize_t`, `IndexError("cannot fit 'int' into an
/// index-sized integer")` when too large. `Ok(None)` when `op` is not an integer.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn as_ssize_index(op: *mut PyObject) -> Result<Option<Py_ssize_t>, ()> {
    // SAFETY: forwarded contract.
    match unsafe { index_value(op) }? {
        None => Ok(None),
        Some(v) => match Py_ssize_t::try_from(v) {
            Ok(v) => Ok(Some(v)),
            Err(_) => {
                // SAFETY: forwarded contract.
                let n = unsafe { tname(op) };
                raise(
                    &raw mut EXC_IndexError,
                    &format!("cannot fit '{n}' into an index-sized integer"),
                );
                Err(())
            }
        },
    }
}

/// A slice bound: None gives `default`, an integer is clamped to the `Py_ssize_t` range.
unsafe fn slice_index(op: *mut PyObject, default: Py_ssize_t) -> Result<Py_ssize_t, ()> {
    if op.is_null() || op == crate::object::none() {
        return Ok(default);
    }
    // SAFETY: a live object.
    match unsafe { index_value(op) }? {
        Some(v) => Ok(v.clamp(Py_ssize_t::MIN as i128, Py_ssize_t::MAX as i128) as Py_ssize_t),
        None => {
            raise(
                &raw mut EXC_TypeError,
                "slice indices must be integers or None or have an __index__ method",
            );
            Err(())
        }
    }
}

/// `PySlice_Unpack`: (start, stop, step) before adjusting to a length.
///
/// # Safety
/// `op` must be a live slice.
pub(crate) unsafe fn unpack(op: *mut PyObject) -> Result<(Py_ssize_t, Py_ssize_t, Py_ssize_t), ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let [start, stop, step] = fields(op);
        let mut st = slice_index(step, 1)?;
        if st == 0 {
            raise(&raw mut EXC_ValueError, "slice step cannot be zero");
            return Err(());
        }
        if st < -Py_ssize_t::MAX {
            st = -Py_ssize_t::MAX;
        }
        let b = slice_index(start, if st < 0 { Py_ssize_t::MAX } else { 0 })?;
        let e = slice_index(
            stop,
            if st < 0 {
                Py_ssize_t::MIN
            } else {
                Py_ssize_t::MAX
            },
        )?;
        Ok((b, e, st))
    }
}

/// `PySlice_AdjustIndices`: clamps start and stop to `len` and returns the slice length.
pub(crate) fn adjust(
    len: Py_ssize_t,
    start: &mut Py_ssize_t,
    stop: &mut Py_ssize_t,
    step: Py_ssize_t,
) -> Py_ssize_t {
    let fix = |v: &mut Py_ssize_t| {
        if *v < 0 {
            *v += len;
            if *v < 0 {
                *v = if step < 0 { -1 } else { 0 };
            }
        } else if *v >= len {
            *v = if step < 0 { len - 1 } else { len };
        }
    };
    fix(start);
    fix(stop);
    if step < 0 {
        if *stop < *start {
            return (*start - *stop - 1) / (-step) + 1;
        }
    } else if *start < *stop {
        return (*stop - *start - 1) / step + 1;
    }
    0
}

/// A slice resolved against a sequence length: (start, step, count).
///
/// # Safety
/// `op` must be a live slice.
pub unsafe fn indices(
    op: *mut PyObject,
    len: Py_ssize_t,
) -> Result<(Py_ssize_t, Py_ssize_t, Py_ssize_t), ()> {
    // SAFETY: forwarded contract.
    let (mut b, mut e, st) = unsafe { unpack(op) }?;
    let n = adjust(len, &mut b, &mut e, st);
    Ok((b, st, n))
}

/// The positions a resolved slice selects.
pub(crate) fn positions(
    start: Py_ssize_t,
    step: Py_ssize_t,
    n: Py_ssize_t,
) -> impl Iterator<Item = usize> {
    (0..n.max(0)).map(move |i| (start + i * step) as usize)
}

/// What a sequence subscript resolves to.
pub(crate) enum Subscript {
    Index(Py_ssize_t),
    Slice(Py_ssize_t, Py_ssize_t, Py_ssize_t),
}

/// Resolves `seq[key]` for a sequence of `len` items: a normalised index (not yet range
/// checked) or a slice. `what` names the sequence in the TypeError ("list", "tuple", ...).
///
/// # Safety
/// `key` must be a live object.
pub(crate) unsafe fn subscript(
    key: *mut PyObject,
    len: Py_ssize_t,
    what: &str,
) -> Result<Subscript, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if is_slice(key) {
            let (b, st, n) = indices(key, len)?;
            return Ok(Subscript::Slice(b, st, n));
        }
        match as_ssize_index(key)? {
            Some(i) => Ok(Subscript::Index(if i < 0 { i + len } else { i })),
            None => {
                let n = tname(key);
                raise(
                    &raw mut EXC_TypeError,
                    &format!("{what} indices must be integers or slices, not {n}"),
                );
                Err(())
            }
        }
    }
}

unsafe extern "C" fn slice_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("slice.__new__", null_mut(), || {
        // SAFETY: tp_new contract: an argument tuple, NULL or a dict.
        unsafe {
            let Some(a) = crate::iterobject::ctor_args("slice", args, kw, 3, false) else {
                return null_mut();
            };
            match a.len() {
                0 => raise(
                    &raw mut EXC_TypeError,
                    "slice expected at least 1 argument, got 0",
                ),
                1 => new_slice(null_mut(), a[0], null_mut()),
                2 => new_slice(a[0], a[1], null_mut()),
                _ => new_slice(a[0], a[1], a[2]),
            }
        }
    })
}

unsafe extern "C" fn slice_dealloc(op: *mut PyObject) {
    // SAFETY: a dead slice (slot contract).
    unsafe {
        for f in fields(op) {
            xdecref(f);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn slice_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live slice (slot contract).
    unsafe {
        let [a, b, c] = fields(op);
        crate::unicodeobject::from_str(&format!(
            "slice({}, {}, {})",
            crate::object::repr_string(a),
            crate::object::repr_string(b),
            crate::object::repr_string(c)
        ))
    }
}

unsafe extern "C" fn slice_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live slice (slot contract).
    unsafe {
        let f = fields(op);
        crate::tupleobject::hash_items(&f)
    }
}

unsafe extern "C" fn slice_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_slice(b) {
            return crate::iterobject::not_implemented();
        }
        let ta = crate::tupleobject::from_slice(&fields(a));
        let tb = crate::tupleobject::from_slice(&fields(b));
        let r = crate::iterobject::rich_compare(ta, tb, op);
        decref(ta);
        decref(tb);
        let _ = (Py_EQ, Py_NE);
        r
    }
}

#[export]
pub unsafe fn PySlice_New(
    start: *mut PyObject,
    stop: *mut PyObject,
    step: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: NULL or live objects, per the C API contract.
    unsafe { new_slice(start, stop, step) }
}

#[export]
pub unsafe fn PySlice_Unpack(
    s: *mut PyObject,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: *mut Py_ssize_t,
) -> c_int {
    // SAFETY: a live slice and writable pointers, per the C API contract.
    unsafe {
        if s.is_null() || !is_slice(s) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        match unpack(s) {
            Ok((b, e, st)) => {
                *start = b;
                *stop = e;
                *step = st;
                0
            }
            Err(()) => -1,
        }
    }
}

#[export]
pub unsafe fn PySlice_AdjustIndices(
    len: Py_ssize_t,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: Py_ssize_t,
) -> Py_ssize_t {
    // SAFETY: writable pointers, per the C API contract.
    unsafe { adjust(len, &mut *start, &mut *stop, step) }
}

#[export]
pub unsafe fn PySlice_GetIndicesEx(
    s: *mut PyObject,
    len: Py_ssize_t,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: *mut Py_ssize_t,
    slicelen: *mut Py_ssize_t,
) -> c_int {
    // SAFETY: as PySlice_Unpack.
    unsafe {
        if PySlice_Unpack(s, start, stop, step) < 0 {
            return -1;
        }
        *slicelen = adjust(len, &mut *start, &mut *stop, *step);
        0
    }
}

#[export]
pub unsafe fn PySlice_GetIndices(
    s: *mut PyObject,
    len: Py_ssize_t,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: *mut Py_ssize_t,
) -> c_int {
    // SAFETY: a live slice and writable pointers, per the C API contract (this old form
    // accepts only ints and None and does not clamp like the Ex variant).
    unsafe {
        if s.is_null() || !is_slice(s) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let [b, e, st] = fields(s);
        let none = crate::object::none();
        let get = |o: *mut PyObject, d: Py_ssize_t| -> Option<Py_ssize_t> {
            if o == none {
                Some(d)
            } else if crate::longobject::is_int(o) {
                crate::longobject::value_i128(o).and_then(|v| Py_ssize_t::try_from(v).ok())
            } else {
                None
            }
        };
        let Some(stp) = get(st, 1) else { return -1 };
        if stp == 0 {
            return -1;
        }
        let Some(mut a) = get(b, if stp < 0 { len - 1 } else { 0 }) else {
            return -1;
        };
        if b != none && a < 0 {
            a += len;
        }
        let Some(mut z) = get(e, if stp < 0 { -1 } else { len }) else {
            return -1;
        };
        if e != none && z < 0 {
            z += len;
        }
        if z > len {
            z = len;
        }
        if a >= len {
            return -1;
        }
        *start = a;
        *stop = z;
        *step = stp;
        0
    }
}

// ---- Python-level attributes and `indices` ----------------------------------------------------

macro_rules! field_getter {
    ($fn:ident, $i:expr) => {
        unsafe extern "C" fn $fn(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
            // SAFETY: getter contract: a live slice; the field is a live object.
            unsafe { crate::refcount::new_ref(fields(op)[$i]) }
        }
    };
}
field_getter!(get_start, 0);
field_getter!(get_stop, 1);
field_getter!(get_step, 2);

static mut SLICE_GETSET: [crate::descrobject::PyGetSetDef; 4] = [
    crate::longobject::getset(c"start", Some(get_start)),
    crate::longobject::getset(c"stop", Some(get_stop)),
    crate::longobject::getset(c"step", Some(get_step)),
    crate::descrobject::PyGetSetDef::END,
];

/// `slice.indices(length, /)`: (start, stop, step) resolved against `length`.
unsafe fn m_indices(op: *mut PyObject, len: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live slice.
    unsafe {
        let Ok(n) = crate::unicodeobject::methods::count_arg(Some(&len)) else {
            return null_mut();
        };
        if n < 0 {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "length should not be negative",
            );
        }
        let Ok((mut b, mut e, st)) = unpack(op) else {
            return null_mut();
        };
        adjust(n, &mut b, &mut e, st);
        let v = [b, e, st].map(|x| crate::longobject::from_i128(x as i128));
        crate::bytes_methods::own_tuple(&v)
    }
}

static mut SLICE_METHODS: [crate::methodobject::PyMethodDef; 2] = [
    crate::bytes_methods::def!(c"indices", o, m_indices),
    crate::methodobject::PyMethodDef::END,
];
