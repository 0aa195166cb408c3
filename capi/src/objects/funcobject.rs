//! `cpython/funcobject.h`: the `staticmethod` wrapper (`PyStaticMethod_New`), which
//! `PyType_Ready` uses for `METH_STATIC` methods, and `classmethod` (`PyClassMethod_New`),
//! which binds its callable to the class as a `method` (`classobject.rs`).

use crate::export;
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::refcount::{new_ref, xdecref};
use std::ffi::{c_int, c_void};

/// `staticmethod` objects: the callable and an (unused) instance dict.
#[repr(C)]
#[derive(Debug)]
pub(crate) struct StaticMethodObject {
    pub ob_base: PyObject,
    pub sm_callable: *mut PyObject,
    pub sm_dict: *mut PyObject,
}

#[export]
pub static mut PyStaticMethod_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(sm_dealloc),
    tp_descr_get: Some(sm_descr_get),
    tp_call: Some(sm_call),
    ..static_type(
        c"staticmethod",
        std::mem::size_of::<StaticMethodObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

unsafe extern "C" fn sm_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead staticmethod (slot contract).
    unsafe {
        let s = op.cast::<StaticMethodObject>();
        xdecref((*s).sm_callable);
        xdecref((*s).sm_dict);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn sm_descr_get(
    op: *mut PyObject,
    _obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `op` is a live staticmethod (slot contract).
    unsafe { new_ref((*op.cast::<StaticMethodObject>()).sm_callable) }
}

unsafe extern "C" fn sm_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `op` is a live staticmethod; args/kw per the tp_call contract.
    unsafe { crate::object::call((*op.cast::<StaticMethodObject>()).sm_callable, args, kw) }
}

/// `PyStaticMethod_New`.
///
/// # Safety
/// `callable` must be a live object.
pub(crate) unsafe fn new_staticmethod(callable: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyStaticMethod_Type is a ready static type; `callable` is live.
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyStaticMethod_Type, 0);
        if !op.is_null() {
            (*op.cast::<StaticMethodObject>()).sm_callable = new_ref(callable);
        }
        op
    }
}

#[export]
pub unsafe fn PyStaticMethod_New(callable: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { new_staticmethod(callable) }
}

// ---- classmethod -------------------------------------------------------------------------------

/// `classmethod` objects: the callable and the instance dict (`tp_dictoffset`).
#[repr(C)]
#[derive(Debug)]
pub(crate) struct ClassMethodObject {
    pub ob_base: PyObject,
    pub cm_callable: *mut PyObject,
    pub cm_dict: *mut PyObject,
}

static mut CM_MEMBERS: [crate::descrobject::PyMemberDef; 3] = [
    crate::descrobject::PyMemberDef {
        name: c"__func__".as_ptr(),
        type_: crate::descrobject::Py_T_OBJECT,
        offset: std::mem::offset_of!(ClassMethodObject, cm_callable) as isize,
        flags: crate::descrobject::Py_READONLY,
        doc: std::ptr::null(),
    },
    crate::descrobject::PyMemberDef {
        name: c"__wrapped__".as_ptr(),
        type_: crate::descrobject::Py_T_OBJECT,
        offset: std::mem::offset_of!(ClassMethodObject, cm_callable) as isize,
        flags: crate::descrobject::Py_READONLY,
        doc: std::ptr::null(),
    },
    crate::descrobject::PyMemberDef::END,
];

static mut CM_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"__isabstractmethod__".as_ptr(),
        get: Some(cm_get_isabstract),
        set: None,
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

#[export]
pub static mut PyClassMethod_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(cm_dealloc),
    tp_repr: Some(cm_repr),
    tp_descr_get: Some(cm_descr_get),
    tp_init: Some(cm_init),
    tp_new: Some(crate::objimpl::PyType_GenericNew),
    tp_alloc: Some(crate::objimpl::PyType_GenericAlloc),
    tp_members: (&raw mut CM_MEMBERS).cast(),
    tp_getset: (&raw mut CM_GETSET).cast(),
    tp_dictoffset: std::mem::offset_of!(ClassMethodObject, cm_dict) as isize,
    ..static_type(
        c"classmethod",
        std::mem::size_of::<ClassMethodObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

unsafe extern "C" fn cm_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead classmethod (slot contract).
    unsafe {
        let c = op.cast::<ClassMethodObject>();
        xdecref((*c).cm_callable);
        xdecref((*c).cm_dict);
        crate::objimpl::default_dealloc(op);
    }
}

/// Binds the callable to the class (of the instance, when called through one).
unsafe extern "C" fn cm_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `op` is a live classmethod (slot contract); `obj` and `t` NULL or live.
    unsafe {
        let callable = (*op.cast::<ClassMethodObject>()).cm_callable;
        if callable.is_null() {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_RuntimeError,
                "uninitialized classmethod object",
            );
        }
        let owner = if t.is_null() || t == crate::object::none() {
            crate::object::ty(obj).cast()
        } else {
            t
        };
        crate::classobject::new_method(callable, owner)
    }
}

unsafe extern "C" fn cm_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract: a live classmethod, a tuple and NULL or a dict.
    unsafe {
        if !kw.is_null() && crate::dictobject::len(kw) > 0 {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                "classmethod() takes no keyword arguments",
            );
            return -1;
        }
        let a = crate::tupleobject::items(args);
        if a.len() != 1 {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!("classmethod expected 1 argument, got {}", a.len()),
            );
            return -1;
        }
        let c = op.cast::<ClassMethodObject>();
        let old = (*c).cm_callable;
        (*c).cm_callable = new_ref(a[0]);
        xdecref(old);
        0
    }
}

unsafe extern "C" fn cm_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live classmethod (slot contract).
    unsafe {
        let callable = (*op.cast::<ClassMethodObject>()).cm_callable;
        let r = if callable.is_null() {
            crate::unicodeobject::from_str("NULL")
        } else {
            crate::object::repr(callable)
        };
        if r.is_null() {
            return r;
        }
        let text = format!(
            "<classmethod({})>",
            crate::unicodeobject::as_str(r).unwrap_or("?")
        );
        crate::refcount::decref(r);
        crate::unicodeobject::from_str(&text)
    }
}

unsafe extern "C" fn cm_get_isabstract(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live classmethod (getter contract).
    unsafe {
        let callable = (*op.cast::<ClassMethodObject>()).cm_callable;
        let mut v = std::ptr::null_mut();
        if callable.is_null()
            || crate::object::getattr_opt(
                callable,
                crate::unicodeobject::intern("__isabstractmethod__"),
                &mut v,
            ) < 0
        {
            return std::ptr::null_mut();
        }
        if v.is_null() {
            return crate::boolobject::from_bool(false);
        }
        let t = crate::object::truth(v);
        crate::refcount::decref(v);
        if t < 0 {
            return std::ptr::null_mut();
        }
        crate::boolobject::from_bool(t > 0)
    }
}

/// `PyClassMethod_New`.
///
/// # Safety
/// `callable` must be a live object.
pub(crate) unsafe fn new_classmethod(callable: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyClassMethod_Type is a ready static type; `callable` is live.
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyClassMethod_Type, 0);
        if !op.is_null() {
            (*op.cast::<ClassMethodObject>()).cm_callable = new_ref(callable);
        }
        op
    }
}

#[export]
pub unsafe fn PyClassMethod_New(callable: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { new_classmethod(callable) }
}
