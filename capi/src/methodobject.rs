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
