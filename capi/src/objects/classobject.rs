//! `classobject.h`: bound methods (`PyMethod_Type`, `types.MethodType`; CPython's
//! `Objects/classobject.c`): a callable and the instance it is bound to, called with the
//! instance first.

use crate::export;
use crate::object::{PyObject, PyTypeObject, static_type, ty};
use crate::pyerrors::{EXC_TypeError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

/// CPython's `PyMethodObject`.
#[repr(C)]
pub(crate) struct PyMethodObject {
    ob_base: PyObject,
    im_func: *mut PyObject,
    im_self: *mut PyObject,
    im_weakreflist: *mut PyObject,
    vectorcall: *mut c_void,
}

#[export]
pub static mut PyMethod_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(method_dealloc),
    tp_repr: Some(method_repr),
    tp_call: Some(method_call),
    tp_hash: Some(method_hash),
    tp_richcompare: Some(method_richcompare),
    tp_getattro: Some(method_getattro),
    tp_descr_get: Some(method_descr_get),
    tp_new: Some(method_new),
    tp_weaklistoffset: std::mem::offset_of!(PyMethodObject, im_weakreflist) as isize,
    ..static_type(c"method", std::mem::size_of::<PyMethodObject>(), 0, 0)
};

/// A bound method of `func` to `self_` (both live).
pub(crate) unsafe fn new_method(func: *mut PyObject, self_: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyMethod_Type is a static type; the objects are live (caller).
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyMethod_Type, 0);
        if !op.is_null() {
            let m = op.cast::<PyMethodObject>();
            (*m).im_func = new_ref(func);
            (*m).im_self = new_ref(self_);
            (*m).im_weakreflist = null_mut();
            (*m).vectorcall = null_mut();
        }
        op
    }
}

#[export]
pub unsafe fn PyMethod_New(func: *mut PyObject, self_: *mut PyObject) -> *mut PyObject {
    if func.is_null() || self_.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: live objects, per the C API contract.
    unsafe { new_method(func, self_) }
}

unsafe fn checked(op: *mut PyObject) -> Option<*mut PyMethodObject> {
    // SAFETY: a live object (caller).
    if !op.is_null() && unsafe { crate::object::type_check(op, &raw mut PyMethod_Type) } {
        Some(op.cast())
    } else {
        crate::pyerrors::bad_internal_call();
        None
    }
}

#[export]
pub unsafe fn PyMethod_Function(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract; the result is borrowed.
    unsafe { checked(op).map_or(null_mut(), |m| (*m).im_func) }
}

#[export]
pub unsafe fn PyMethod_Self(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract; the result is borrowed.
    unsafe { checked(op).map_or(null_mut(), |m| (*m).im_self) }
}

unsafe extern "C" fn method_dealloc(op: *mut PyObject) {
    // SAFETY: a dead method (slot contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        if !(*m).im_weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        xdecref((*m).im_func);
        xdecref((*m).im_self);
        crate::objimpl::default_dealloc(op);
    }
}

/// `types.MethodType(function, instance)`.
unsafe extern "C" fn method_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        if !kw.is_null() && crate::dictobject::len(kw) != 0 {
            return raise(
                &raw mut EXC_TypeError,
                "method() takes no keyword arguments",
            );
        }
        let a = crate::tupleobject::items(args);
        if a.len() != 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("method expected 2 arguments, got {}", a.len()),
            );
        }
        if !crate::abstract_::callable_check(a[0]) {
            return raise(&raw mut EXC_TypeError, "first argument must be callable");
        }
        if a[1] == crate::object::none() {
            return raise(&raw mut EXC_TypeError, "instance must not be None");
        }
        new_method(a[0], a[1])
    }
}

unsafe extern "C" fn method_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live method; args a tuple, kw NULL or a dict (tp_call contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        let mut v = vec![(*m).im_self];
        if !args.is_null() {
            v.extend_from_slice(crate::tupleobject::items(args));
        }
        let t = crate::tupleobject::from_slice(&v);
        if t.is_null() {
            return t;
        }
        let r = crate::object::call((*m).im_func, t, kw);
        decref(t);
        r
    }
}

unsafe extern "C" fn method_descr_get(
    op: *mut PyObject,
    _obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live method (slot contract).
    unsafe { new_ref(op) }
}

/// The method's own attributes (`__func__`, `__self__`, the type's), then the function's.
unsafe extern "C" fn method_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live method and a name (slot contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        match uni::as_str(name) {
            Some("__func__") => return new_ref((*m).im_func),
            Some("__self__") => return new_ref((*m).im_self),
            _ => {}
        }
        let d = crate::object::type_lookup(ty(op), name);
        if !d.is_null() {
            return match (*ty(d)).tp_descr_get {
                Some(f) => crate::extcall::ternary(f, d, op, ty(op).cast()),
                None => new_ref(d),
            };
        }
        crate::object::getattr((*m).im_func, name)
    }
}

unsafe extern "C" fn method_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live method (slot contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        let mut name = String::from("?");
        for attr in ["__qualname__", "__name__"] {
            let n = uni::from_str(attr);
            let mut v = null_mut();
            let found = crate::object::getattr_opt((*m).im_func, n, &mut v);
            decref(n);
            if found < 0 {
                return null_mut();
            }
            if found > 0 {
                if let Some(s) = uni::as_str(v) {
                    name = s.to_string();
                }
                decref(v);
                if uni::is_str(v) {
                    break;
                }
            }
        }
        let r = crate::object::repr((*m).im_self);
        if r.is_null() {
            return r;
        }
        let s = format!("<bound method {name} of {}>", uni::as_str(r).unwrap_or(""));
        decref(r);
        uni::from_str(&s)
    }
}

unsafe extern "C" fn method_hash(op: *mut PyObject) -> crate::pyport::Py_hash_t {
    // SAFETY: a live method (slot contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        let x = crate::typeobject::object_hash((*m).im_self);
        let y = crate::object::hash((*m).im_func);
        if y == -1 {
            return -1;
        }
        let h = x ^ y;
        if h == -1 { -2 } else { h }
    }
}

unsafe extern "C" fn method_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !(op == crate::object::Py_EQ || op == crate::object::Py_NE)
            || !crate::object::type_check(b, &raw mut PyMethod_Type)
        {
            return new_ref(&raw mut crate::object::_Py_NotImplementedStruct);
        }
        let (x, y) = (a.cast::<PyMethodObject>(), b.cast::<PyMethodObject>());
        let mut same = (*x).im_self == (*y).im_self;
        if same {
            let e = crate::object::eq((*x).im_func, (*y).im_func);
            if e < 0 {
                return null_mut();
            }
            same = e == 1;
        }
        crate::abc::py_bool(same == (op == crate::object::Py_EQ))
    }
}
