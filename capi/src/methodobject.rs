//! `methodobject.h`: `PyMethodDef`, the `METH_*` flags and builtin function objects.

use crate::object::{PyObject, vectorcallfunc};
use std::ffi::{c_char, c_int, c_void};

/// One entry of a method table (32 bytes). `ml_meth`'s real signature depends on `ml_flags`.
#[repr(C)]
#[derive(Debug)]
pub struct PyMethodDef {
    pub ml_name: *const c_char,
    pub ml_meth: *mut c_void,
    pub ml_flags: c_int,
    pub ml_doc: *const c_char,
}

pub const METH_VARARGS: c_int = 0x0001;
pub const METH_KEYWORDS: c_int = 0x0002;
pub const METH_NOARGS: c_int = 0x0004;
pub const METH_O: c_int = 0x0008;
pub const METH_CLASS: c_int = 0x0010;
pub const METH_STATIC: c_int = 0x0020;
pub const METH_COEXIST: c_int = 0x0040;
pub const METH_FASTCALL: c_int = 0x0080;
pub const METH_STACKLESS: c_int = 0x0000;
pub const METH_METHOD: c_int = 0x0200;

/// `PyCFunctionObject` (72 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyCFunctionObject {
    pub ob_base: PyObject,
    pub m_ml: *mut PyMethodDef,
    pub m_self: *mut PyObject,
    pub m_module: *mut PyObject,
    pub m_weakreflist: *mut PyObject,
    pub vectorcall: vectorcallfunc,
}

/// `PyCMethodObject` (80 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyCMethodObject {
    pub func: PyCFunctionObject,
    pub mm_class: *mut crate::object::PyTypeObject,
}

use crate::object::{PyTypeObject, static_type};
use crate::refcount::{new_ref, xdecref, xincref};
use std::ptr::null_mut;

#[unsafe(no_mangle)]
pub static mut PyCFunction_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(cfunction_dealloc),
    tp_repr: Some(cfunction_repr),
    tp_vectorcall_offset: std::mem::offset_of!(PyCFunctionObject, vectorcall) as isize,
    ..static_type(
        c"builtin_function_or_method",
        std::mem::size_of::<PyCFunctionObject>(),
        0,
        crate::object::Py_TPFLAGS_HAVE_VECTORCALL,
    )
};

#[unsafe(no_mangle)]
pub static mut PyCMethod_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut PyCFunction_Type,
    tp_dealloc: Some(cfunction_dealloc),
    tp_repr: Some(cfunction_repr),
    tp_vectorcall_offset: std::mem::offset_of!(PyCFunctionObject, vectorcall) as isize,
    ..static_type(
        c"builtin_method",
        std::mem::size_of::<PyCMethodObject>(),
        0,
        crate::object::Py_TPFLAGS_HAVE_VECTORCALL,
    )
};

unsafe extern "C" fn cfunction_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead function object (slot contract).
    unsafe {
        let f = op.cast::<PyCFunctionObject>();
        xdecref((*f).m_self);
        xdecref((*f).m_module);
        if (*op).ob_type == &raw mut PyCMethod_Type {
            xdecref((*op.cast::<PyCMethodObject>()).mm_class.cast());
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn cfunction_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live function object (slot contract).
    unsafe {
        let f = op.cast::<PyCFunctionObject>();
        let name = std::ffi::CStr::from_ptr((*(*f).m_ml).ml_name).to_string_lossy();
        let s = (*f).m_self;
        if s.is_null() || crate::moduleobject::is_module(s) {
            crate::unicodeobject::from_str(&format!("<built-in function {name}>"))
        } else {
            let tn = crate::object::type_name(crate::object::ty(s));
            crate::unicodeobject::from_str(&format!(
                "<built-in method {name} of {tn} object at {s:p}>"
            ))
        }
    }
}

/// `PyCMethod_New`: a builtin function for `ml` bound to `self_` (calling comes later).
///
/// # Safety
/// `ml` must outlive the function object; the others NULL or live.
pub unsafe fn new_cfunction(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let flags = (*ml).ml_flags & !(METH_CLASS | METH_STATIC | METH_COEXIST);
        let known = [
            METH_VARARGS,
            METH_VARARGS | METH_KEYWORDS,
            METH_NOARGS,
            METH_O,
            METH_FASTCALL,
            METH_FASTCALL | METH_KEYWORDS,
            METH_METHOD | METH_FASTCALL | METH_KEYWORDS,
        ];
        if !known.contains(&flags) {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                &format!(
                    "{} method: bad call flags",
                    std::ffi::CStr::from_ptr((*ml).ml_name).to_string_lossy()
                ),
            );
        }
        let is_method = flags & METH_METHOD != 0;
        if is_method && cls.is_null() {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "attempting to create PyCMethod with a METH_METHOD flag but no class",
            );
        }
        if !is_method && !cls.is_null() {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "attempting to create PyCFunction with class but no METH_METHOD flag",
            );
        }
        let t = if is_method {
            &raw mut PyCMethod_Type
        } else {
            &raw mut PyCFunction_Type
        };
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let f = op.cast::<PyCFunctionObject>();
        (*f).m_ml = ml;
        xincref(self_);
        (*f).m_self = self_;
        xincref(module);
        (*f).m_module = module;
        if is_method {
            (*op.cast::<PyCMethodObject>()).mm_class = new_ref(cls.cast()).cast();
        }
        op
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyCMethod_New(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyCMethod_New", null_mut(), || unsafe {
        new_cfunction(ml, self_, module, cls)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyCFunction_NewEx(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyCFunction_NewEx", null_mut(), || unsafe {
        new_cfunction(ml, self_, module, null_mut())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyCFunction_New(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    crate::ffi_guard::guard("PyCFunction_New", null_mut(), || unsafe {
        new_cfunction(ml, self_, null_mut(), null_mut())
    })
}
