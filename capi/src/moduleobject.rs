//! `moduleobject.h`: module definitions, slots and module objects.

use crate::methodobject::PyMethodDef;
use crate::object::{PyObject, freefunc, inquiry, traverseproc};
use crate::pyport::Py_ssize_t;
use std::ffi::{c_char, c_int, c_void};

/// `PyModuleDef_Base` (56 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyModuleDef_Base {
    pub ob_base: PyObject,
    pub m_init: Option<unsafe extern "C" fn() -> *mut PyObject>,
    pub m_index: Py_ssize_t,
    pub m_copy: *mut PyObject,
}

/// `PyModuleDef_Slot` (16 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyModuleDef_Slot {
    pub slot: c_int,
    pub value: *mut c_void,
}

/// `PyModuleDef` (120 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyModuleDef {
    pub m_base: PyModuleDef_Base,
    pub m_name: *const c_char,
    pub m_doc: *const c_char,
    pub m_size: Py_ssize_t,
    pub m_methods: *mut PyMethodDef,
    pub m_slots: *mut PyModuleDef_Slot,
    pub m_traverse: traverseproc,
    pub m_clear: inquiry,
    pub m_free: freefunc,
}

/// The module object of a 3.14t build (80 bytes; the layout is internal in CPython but
/// kept identical).
#[repr(C)]
#[derive(Debug)]
pub struct PyModuleObject {
    pub ob_base: PyObject,
    pub md_dict: *mut PyObject,
    pub md_def: *mut PyModuleDef,
    pub md_state: *mut c_void,
    pub md_weaklist: *mut PyObject,
    pub md_name: *mut PyObject,
    pub md_gil: *mut c_void,
}

// Slot IDs, 3.13/3.14 numbering.
pub const Py_mod_create: c_int = 1;
pub const Py_mod_exec: c_int = 2;
pub const Py_mod_multiple_interpreters: c_int = 3;
pub const Py_mod_gil: c_int = 4;
pub const _Py_mod_LAST_SLOT: c_int = 4;

/// Slot IDs in 3.15 numbering (PEP 820); 1..=4 are still accepted and map to 84..=87.
pub mod v315 {
    use std::ffi::c_int;
    pub const Py_slot_end: c_int = 0;
    pub const Py_mod_create: c_int = 84;
    pub const Py_mod_exec: c_int = 85;
    pub const Py_mod_multiple_interpreters: c_int = 86;
    pub const Py_mod_gil: c_int = 87;
    pub const Py_slot_subslots: c_int = 92;
    pub const Py_mod_slots: c_int = 94;
    pub const Py_mod_name: c_int = 100;
    pub const Py_mod_doc: c_int = 101;
    pub const Py_mod_state_size: c_int = 102;
    pub const Py_mod_methods: c_int = 103;
    pub const Py_mod_state_traverse: c_int = 104;
    pub const Py_mod_state_clear: c_int = 105;
    pub const Py_mod_state_free: c_int = 106;
    pub const Py_mod_abi: c_int = 109;
    pub const Py_mod_token: c_int = 110;
    pub const Py_slot_invalid: c_int = 0xffff;
}

pub const Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED: usize = 0;
pub const Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED: usize = 1;
pub const Py_MOD_PER_INTERPRETER_GIL_SUPPORTED: usize = 2;
pub const Py_MOD_GIL_USED: usize = 0;
pub const Py_MOD_GIL_NOT_USED: usize = 1;

/// `PYTHON_API_VERSION` and `PYTHON_ABI_VERSION`.
pub const PYTHON_API_VERSION: c_int = 1013;
pub const PYTHON_ABI_VERSION: c_int = 3;
