//! `cpython/funcobject.h`: the `staticmethod` wrapper (`PyStaticMethod_New`), which
//! `PyType_Ready` uses for `METH_STATIC` methods.

use crate::export;
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::refcount::{new_ref, xdecref};

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
