//! `tupleobject.h`: `tuple` with the 3.14t layout (`ob_hash` at 40, items from 48).

use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_TUPLE_SUBCLASS, PyObject, PyTypeObject, PyVarObject,
    static_type,
};
use crate::pyerrors::{EXC_IndexError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::c_int;
use std::ptr::null_mut;

/// `PyTupleObject` (header of 48 bytes, then the items).
#[repr(C)]
pub struct PyTupleObject {
    pub ob_base: PyVarObject,
    pub ob_hash: Py_hash_t,
    pub ob_item: [*mut PyObject; 1],
}

const ITEMS_OFFSET: usize = 48;

#[unsafe(no_mangle)]
pub static mut PyTuple_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(tuple_dealloc),
    tp_repr: Some(tuple_repr),
    ..static_type(
        c"tuple",
        ITEMS_OFFSET,
        8,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TUPLE_SUBCLASS,
    )
};

/// Whether `op` is a tuple (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn is_tuple(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_TUPLE_SUBCLASS) }
}

/// The items of a tuple (borrowed; NULL entries possible while it is being filled).
///
/// # Safety
/// `op` must be a live tuple; the slice must not outlive it.
pub unsafe fn items<'a>(op: *mut PyObject) -> &'a [*mut PyObject] {
    // SAFETY: forwarded contract: `ob_size` items follow the header.
    unsafe {
        let n = (*op.cast::<PyVarObject>()).ob_size.max(0) as usize;
        std::slice::from_raw_parts(op.cast::<u8>().add(ITEMS_OFFSET).cast(), n)
    }
}

unsafe fn items_mut<'a>(op: *mut PyObject) -> &'a mut [*mut PyObject] {
    // SAFETY: as `items`; the caller owns the only mutable access.
    unsafe {
        let n = (*op.cast::<PyVarObject>()).ob_size.max(0) as usize;
        std::slice::from_raw_parts_mut(op.cast::<u8>().add(ITEMS_OFFSET).cast(), n)
    }
}

/// A new tuple of `n` NULL items.
pub fn new_tuple(n: usize) -> *mut PyObject {
    // SAFETY: PyTuple_Type is a ready static type.
    let t = unsafe { crate::objimpl::alloc_object(&raw mut PyTuple_Type, n as Py_ssize_t) };
    if !t.is_null() {
        // SAFETY: fresh tuple.
        unsafe { (*t.cast::<PyTupleObject>()).ob_hash = -1 };
    }
    t
}

/// A new tuple holding new references to `objs`.
///
/// # Safety
/// Every element must be a live object.
pub unsafe fn from_slice(objs: &[*mut PyObject]) -> *mut PyObject {
    let t = new_tuple(objs.len());
    if t.is_null() {
        return t;
    }
    // SAFETY: fresh tuple of the right size; the objects are live.
    unsafe {
        for (slot, &o) in items_mut(t).iter_mut().zip(objs) {
            *slot = new_ref(o);
        }
    }
    t
}

unsafe extern "C" fn tuple_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead tuple (slot contract).
    unsafe {
        for &o in items(op) {
            xdecref(o);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn tuple_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live tuple (slot contract).
    unsafe {
        let parts: Vec<String> = items(op)
            .iter()
            .map(|&o| crate::object::repr_string(o))
            .collect();
        let body = if parts.len() == 1 {
            format!("{},", parts[0])
        } else {
            parts.join(", ")
        };
        crate::unicodeobject::from_str(&format!("({body})"))
    }
}

fn not_tuple() {
    crate::pyerrors::bad_internal_call();
}

#[unsafe(no_mangle)]
pub extern "C" fn PyTuple_New(n: Py_ssize_t) -> *mut PyObject {
    crate::ffi_guard::guard("PyTuple_New", null_mut(), || {
        if n < 0 {
            return crate::pyerrors::bad_internal_call();
        }
        new_tuple(n as usize)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyTuple_Size(op: *mut PyObject) -> Py_ssize_t {
    crate::ffi_guard::guard("PyTuple_Size", -1, || {
        // SAFETY: a live object, per the C API contract.
        unsafe {
            if op.is_null() || !is_tuple(op) {
                not_tuple();
                return -1;
            }
            items(op).len() as Py_ssize_t
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyTuple_GetItem(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    crate::ffi_guard::guard("PyTuple_GetItem", null_mut(), || {
        // SAFETY: a live object, per the C API contract.
        unsafe {
            if op.is_null() || !is_tuple(op) {
                not_tuple();
                return null_mut();
            }
            let it = items(op);
            if i < 0 || i as usize >= it.len() {
                return raise(&raw mut EXC_IndexError, "tuple index out of range");
            }
            it[i as usize]
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyTuple_SetItem(
    op: *mut PyObject,
    i: Py_ssize_t,
    v: *mut PyObject,
) -> c_int {
    crate::ffi_guard::guard("PyTuple_SetItem", -1, || {
        // SAFETY: a live tuple the caller is filling and a stolen reference, per the C API.
        unsafe {
            if op.is_null() || !is_tuple(op) || crate::refcount::refcnt(op) != 1 {
                xdecref(v);
                not_tuple();
                return -1;
            }
            let it = items_mut(op);
            if i < 0 || i as usize >= it.len() {
                xdecref(v);
                raise(
                    &raw mut EXC_IndexError,
                    "tuple assignment index out of range",
                );
                return -1;
            }
            let old = std::mem::replace(&mut it[i as usize], v);
            xdecref(old);
            0
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyTuple_GetSlice(
    op: *mut PyObject,
    lo: Py_ssize_t,
    hi: Py_ssize_t,
) -> *mut PyObject {
    crate::ffi_guard::guard("PyTuple_GetSlice", null_mut(), || {
        // SAFETY: a live object, per the C API contract.
        unsafe {
            if op.is_null() || !is_tuple(op) {
                not_tuple();
                return null_mut();
            }
            let it = items(op);
            let n = it.len() as Py_ssize_t;
            let lo = lo.clamp(0, n) as usize;
            let hi = hi.clamp(lo as Py_ssize_t, n) as usize;
            from_slice(&it[lo..hi])
        }
    })
}

/// `PyTuple_Pack` without varargs: the C shim collects the arguments.
///
/// # Safety
/// `objs` must point to `n` live objects.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _gilgate_tuple_from_array(
    objs: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    crate::ffi_guard::guard("PyTuple_Pack", null_mut(), || {
        if n < 0 {
            return crate::pyerrors::bad_internal_call();
        }
        if n == 0 {
            return new_tuple(0);
        }
        // SAFETY: forwarded contract.
        unsafe { from_slice(std::slice::from_raw_parts(objs, n as usize)) }
    })
}

/// Drops a tuple reference (for symmetry in tests).
///
/// # Safety
/// `t` must be a reference the caller owns.
pub unsafe fn release(t: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe { decref(t) }
}
