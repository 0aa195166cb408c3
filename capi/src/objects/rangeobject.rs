//! `rangeobject.h`: `range` objects (CPython's layout: `start`, `stop`, `step`, `length` as
//! int objects), with len, indexing and slicing, containment, comparison, hash, repr,
//! iteration and the constructor.

use crate::export;
use crate::iterobject::{self as iters, Step};
use crate::longobject::{from_i128, value_i128};
use crate::object::{
    Py_EQ, Py_NE, PyMappingMethods, PyObject, PySequenceMethods, PyTypeObject, static_type, ty,
};
use crate::pyerrors::{EXC_IndexError, EXC_OverflowError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::decref;
use crate::sliceobject as sl;
use std::ffi::c_int;
use std::ptr::null_mut;

/// `rangeobject` (64 bytes).
#[repr(C)]
pub(crate) struct PyRangeObject {
    pub ob_base: PyObject,
    pub start: *mut PyObject,
    pub stop: *mut PyObject,
    pub step: *mut PyObject,
    pub length: *mut PyObject,
}

static mut RANGE_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(range_length),
    sq_concat: None,
    sq_repeat: None,
    sq_item: Some(range_item),
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(range_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut RANGE_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(range_length),
    mp_subscript: Some(range_subscript),
    mp_ass_subscript: None,
};

static mut RANGE_AS_NUMBER: crate::object::PyNumberMethods = crate::object::PyNumberMethods {
    nb_bool: Some(range_bool),
    ..crate::setobject::const_default_number()
};

/// `bool(range)`: whether it has any element.
unsafe extern "C" fn range_bool(op: *mut PyObject) -> c_int {
    // SAFETY: a live range (slot contract).
    unsafe { (values(op).3 != 0) as c_int }
}

#[export]
pub static mut PyRange_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(range_dealloc),
    tp_repr: Some(range_repr),
    tp_hash: Some(range_hash),
    tp_richcompare: Some(range_richcompare),
    tp_iter: Some(range_iter),
    tp_new: Some(range_new),
    tp_as_sequence: &raw mut RANGE_AS_SEQUENCE,
    tp_as_mapping: &raw mut RANGE_AS_MAPPING,
    tp_as_number: &raw mut RANGE_AS_NUMBER,
    tp_getset: (&raw mut RANGE_GETSET).cast(),
    tp_methods: (&raw mut RANGE_METHODS).cast(),
    ..static_type(
        c"range",
        std::mem::size_of::<PyRangeObject>(),
        0,
        crate::object::Py_TPFLAGS_SEQUENCE,
    )
};

#[export]
pub static mut PyRangeIter_Type: PyTypeObject = iters::iter_type(c"range_iterator", rangeiter_next);

#[export]
pub static mut PyLongRangeIter_Type: PyTypeObject =
    iters::iter_type(c"longrange_iterator", rangeiter_next);

/// Whether `op` is a range.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_range(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == &raw mut PyRange_Type }
}

/// (start, stop, step, length) of a range.
///
/// # Safety
/// `op` must be a live range.
pub(crate) unsafe fn values(op: *mut PyObject) -> (i128, i128, i128, i128) {
    // SAFETY: forwarded contract: the four fields are ints made by `new_range`.
    unsafe {
        let r = op.cast::<PyRangeObject>();
        let v = |o| value_i128(o).unwrap_or(0);
        (v((*r).start), v((*r).stop), v((*r).step), v((*r).length))
    }
}

fn compute_length(start: i128, stop: i128, step: i128) -> i128 {
    if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    }
}

/// A new range (step must not be zero).
pub fn new_range(start: i128, stop: i128, step: i128) -> *mut PyObject {
    // SAFETY: PyRange_Type is a ready static type.
    let o = unsafe { crate::objimpl::alloc_object(&raw mut PyRange_Type, 0) };
    if o.is_null() {
        return o;
    }
    // SAFETY: fresh range.
    unsafe {
        let r = o.cast::<PyRangeObject>();
        (*r).start = from_i128(start);
        (*r).stop = from_i128(stop);
        (*r).step = from_i128(step);
        (*r).length = from_i128(compute_length(start, stop, step));
    }
    o
}

unsafe extern "C" fn range_dealloc(op: *mut PyObject) {
    // SAFETY: a dead range (slot contract).
    unsafe {
        let r = op.cast::<PyRangeObject>();
        for f in [(*r).start, (*r).stop, (*r).step, (*r).length] {
            crate::refcount::xdecref(f);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn range_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live range (slot contract).
    let (a, b, s, _) = unsafe { values(op) };
    let text = if s == 1 {
        format!("range({a}, {b})")
    } else {
        format!("range({a}, {b}, {s})")
    };
    crate::unicodeobject::from_str(&text)
}

unsafe extern "C" fn range_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live range (slot contract).
    unsafe {
        let (a, _, s, n) = values(op);
        let none = crate::object::none();
        let ln = from_i128(n);
        let (x, y) = match n {
            0 => (none, none),
            1 => (from_i128(a), none),
            _ => (from_i128(a), from_i128(s)),
        };
        let h = crate::tupleobject::hash_items(&[ln, x, y]);
        for o in [ln, x, y] {
            decref(o);
        }
        h
    }
}

unsafe extern "C" fn range_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_range(b) || (op != Py_EQ && op != Py_NE) {
            return iters::not_implemented();
        }
        let (x, y) = (values(a), values(b));
        let same = x.3 == y.3 && (x.3 == 0 || (x.0 == y.0 && (x.3 == 1 || x.2 == y.2)));
        crate::boolobject::from_bool(same == (op == Py_EQ))
    }
}

unsafe extern "C" fn range_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live range (slot contract).
    let n = unsafe { values(op) }.3;
    match Py_ssize_t::try_from(n) {
        Ok(v) => v,
        Err(_) => {
            raise(
                &raw mut EXC_OverflowError,
                "Python int too large to convert to C ssize_t",
            );
            -1
        }
    }
}

unsafe extern "C" fn range_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live range (slot contract).
    let (a, _, s, n) = unsafe { values(op) };
    let i = i as i128;
    if i < 0 || i >= n {
        return raise(&raw mut EXC_IndexError, "range object index out of range");
    }
    from_i128(a + i * s)
}

unsafe extern "C" fn range_contains(op: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let (a, b, s, _) = values(op);
        if crate::longobject::is_int(x)
            && let Some(v) = value_i128(x)
        {
            let inside = if s > 0 {
                a <= v && v < b
            } else {
                b < v && v <= a
            };
            return c_int::from(inside && (v - a) % s == 0);
        }
        // Other objects: compare with every element.
        let n = values(op).3;
        let mut i = 0;
        while i < n {
            let e = from_i128(a + i * s);
            let r = iters::compare_bool(e, x, Py_EQ);
            decref(e);
            if r != 0 {
                return r;
            }
            i += 1;
        }
        0
    }
}

unsafe extern "C" fn range_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let (a, _, s, n) = values(op);
        if sl::is_slice(key) {
            let Ok((b, st, cnt)) = sl::indices(key, n.min(isize::MAX as i128) as Py_ssize_t) else {
                return null_mut();
            };
            let start = a + b as i128 * s;
            let step = s * st as i128;
            return new_range(start, start + cnt as i128 * step, step);
        }
        match sl::index_value(key) {
            Err(()) => null_mut(),
            Ok(None) => {
                let t = crate::object::tname(key);
                raise(
                    &raw mut EXC_TypeError,
                    &format!("range indices must be integers or slices, not {t}"),
                )
            }
            Ok(Some(i)) => {
                let i = if i < 0 { i + n } else { i };
                if i < 0 || i >= n {
                    return raise(&raw mut EXC_IndexError, "range object index out of range");
                }
                from_i128(a + i * s)
            }
        }
    }
}

unsafe extern "C" fn range_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live range (slot contract).
    unsafe { iters::new_iter(&raw mut PyRangeIter_Type, op, 0) }
}

unsafe fn rangeiter_step(it: &mut iters::IterState) -> Step {
    // SAFETY: `seq` is a live range.
    let (a, _, s, n) = unsafe { values(it.seq) };
    let i = it.index as i128;
    if i < n {
        Step::Item(from_i128(a + i * s))
    } else {
        Step::End
    }
}

unsafe extern "C" fn rangeiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, rangeiter_step) }
}

unsafe extern "C" fn range_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("range.__new__", null_mut(), || {
        // SAFETY: an argument tuple and NULL or a dict (slot contract).
        unsafe {
            if !kwargs.is_null() && crate::dictobject::len(kwargs) > 0 {
                return raise(&raw mut EXC_TypeError, "range() takes no keyword arguments");
            }
            let a = crate::tupleobject::items(args);
            match a.len() {
                0 => {
                    return raise(
                        &raw mut EXC_TypeError,
                        "range expected at least 1 argument, got 0",
                    );
                }
                n if n > 3 => {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("range expected at most 3 arguments, got {n}"),
                    );
                }
                _ => {}
            }
            let mut v = Vec::with_capacity(3);
            for &o in a {
                match sl::index_value(o) {
                    Err(()) => return null_mut(),
                    Ok(Some(x)) => v.push(x),
                    Ok(None) => {
                        let t = crate::object::tname(o);
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("'{t}' object cannot be interpreted as an integer"),
                        );
                    }
                }
            }
            let (start, stop, step) = match v.len() {
                1 => (0, v[0], 1),
                2 => (v[0], v[1], 1),
                _ => (v[0], v[1], v[2]),
            };
            if step == 0 {
                return raise(&raw mut EXC_ValueError, "range() arg 3 must not be zero");
            }
            new_range(start, stop, step)
        }
    })
}

// ---- Python-level attributes, `count` and `index` ---------------------------------------------

macro_rules! range_getter {
    ($fn:ident, $field:ident) => {
        unsafe extern "C" fn $fn(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
            // SAFETY: getter contract: a live range; the field is a live int.
            unsafe { crate::refcount::new_ref((*op.cast::<PyRangeObject>()).$field) }
        }
    };
}
range_getter!(get_start, start);
range_getter!(get_stop, stop);
range_getter!(get_step, step);

static mut RANGE_GETSET: [crate::descrobject::PyGetSetDef; 4] = [
    crate::longobject::getset(c"start", Some(get_start)),
    crate::longobject::getset(c"stop", Some(get_stop)),
    crate::longobject::getset(c"step", Some(get_step)),
    crate::descrobject::PyGetSetDef::END,
];

/// The positions of `x` in the range: arithmetic for ints, else comparison with every element.
unsafe fn positions_of(
    op: *mut PyObject,
    x: *mut PyObject,
    first_only: bool,
) -> Result<Vec<i128>, ()> {
    // SAFETY: a live range and a live value.
    unsafe {
        let (a, _, s, n) = values(op);
        if crate::longobject::is_int(x)
            && let Some(v) = value_i128(x)
        {
            return Ok(match range_contains(op, x) {
                1 => vec![(v - a) / s],
                _ => Vec::new(),
            });
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let e = from_i128(a + i * s);
            let r = iters::compare_bool(e, x, Py_EQ);
            decref(e);
            if r < 0 {
                return Err(());
            }
            if r == 1 {
                out.push(i);
                if first_only {
                    break;
                }
            }
            i += 1;
        }
        Ok(out)
    }
}

unsafe fn m_count(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live range.
    match unsafe { positions_of(op, x, false) } {
        Ok(p) => from_i128(p.len() as i128),
        Err(()) => null_mut(),
    }
}

unsafe fn m_index(op: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live range.
    unsafe {
        match positions_of(op, x, true) {
            Ok(p) if !p.is_empty() => from_i128(p[0]),
            Ok(_) if crate::longobject::is_int(x) => crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "range.index(x): x not in range",
            ),
            Ok(_) => crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "sequence.index(x): x not in sequence",
            ),
            Err(()) => null_mut(),
        }
    }
}

/// `range.__reduce__()`: `(type, (start, stop, step))` (pickling; pyroaring's `BitMap(range)`
/// reads the bounds this way).
unsafe fn m_reduce(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live range; its fields are live ints.
    unsafe {
        let r = op.cast::<PyRangeObject>();
        let bounds = crate::tupleobject::from_slice(&[(*r).start, (*r).stop, (*r).step]);
        if bounds.is_null() {
            return bounds;
        }
        let out = crate::tupleobject::from_slice(&[crate::object::ty(op).cast(), bounds]);
        decref(bounds);
        out
    }
}

/// `range.__reversed__()`: a `range_iterator` over the same elements backwards (the range
/// `range(last, first - step, -step)`).
unsafe fn m_reversed(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live range (method contract).
    unsafe {
        let (a, _, s, n) = values(op);
        let last = a + (n - 1).max(0) * s;
        let (start, stop) = if n == 0 { (a, a) } else { (last, a - s) };
        let parts = [from_i128(start), from_i128(stop), from_i128(-s)];
        if parts.iter().any(|p| p.is_null()) {
            for p in parts {
                crate::refcount::xdecref(p);
            }
            return null_mut();
        }
        let r = crate::abstract_::call_args((&raw mut PyRange_Type).cast(), &parts);
        for p in parts {
            crate::refcount::decref(p);
        }
        if r.is_null() {
            return r;
        }
        let it = iters::new_iter(&raw mut PyRangeIter_Type, r, 0);
        crate::refcount::decref(r);
        it
    }
}

static mut RANGE_METHODS: [crate::methodobject::PyMethodDef; 5] = [
    crate::bytes_methods::def!(c"__reversed__", noargs, m_reversed),
    crate::bytes_methods::def!(c"count", o, m_count),
    crate::bytes_methods::def!(c"index", o, m_index),
    crate::bytes_methods::def!(c"__reduce__", noargs, m_reduce),
    crate::methodobject::PyMethodDef::END,
];
