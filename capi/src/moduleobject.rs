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

// ---------------------------------------------------------------------------------------
// Rust-level interface used by gilgate-loader (contract; bodies filled in by the object
// model work). Everything returning `*mut PyObject` follows the C API convention: NULL
// means an exception is set.
// ---------------------------------------------------------------------------------------

/// Whose rules apply to a module: slot numbering, the meaning of the `Py_mod_gil` value,
/// the order of checks and error texts (see docs/architecture.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Cp313t,
    Cp314t,
    Cp315t,
}

/// One slot as written in a module's slot array, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotInfo {
    /// The ID as written in the module.
    pub id: i32,
    /// The slot's name under the target's numbering (`Py_mod_gil`), if known.
    pub name: Option<&'static str>,
    /// `"function"` for create/exec, `Py_MOD_GIL_NOT_USED`-style names for known values,
    /// else the raw value in hex (`"0x2"`).
    pub value: String,
}

/// Multi-phase creation (`PyModule_FromDefAndSpec2`) under `target`'s rules: validation in
/// that CPython's order with its messages, create slot, module set-up; exec does not run.
///
/// # Safety
/// `def` must point to a `PyModuleDef` that stays alive; `spec` must be a valid object.
pub unsafe fn module_from_def_and_spec(
    def: *mut PyModuleDef,
    spec: *mut PyObject,
    api_version: c_int,
    target: Target,
) -> *mut PyObject {
    let _ = (def, spec, api_version, target);
    unimplemented!("module_from_def_and_spec")
}

/// 3.15 `PyModule_FromSlotsAndSpec` for a `PyModExport_` hook's `PySlot` array.
///
/// # Safety
/// `slots` must point to a `PySlot` array terminated by an end slot.
pub unsafe fn module_from_slots_and_spec(
    slots: *const c_void,
    spec: *mut PyObject,
) -> *mut PyObject {
    let _ = (slots, spec);
    unimplemented!("module_from_slots_and_spec")
}

/// Reads a legacy `PyModuleDef_Slot` array (NULL = none) for reports, without validating.
///
/// # Safety
/// `slots` must be NULL or point to a slot array terminated by a zero ID.
pub unsafe fn describe_slots(slots: *const PyModuleDef_Slot, target: Target) -> Vec<SlotInfo> {
    let _ = (slots, target);
    unimplemented!("describe_slots")
}

/// Reads a 3.15 `PySlot` array for reports, without validating.
///
/// # Safety
/// `slots` must point to a `PySlot` array terminated by an end slot.
pub unsafe fn describe_pyslots(slots: *const c_void) -> Vec<SlotInfo> {
    let _ = slots;
    unimplemented!("describe_pyslots")
}

/// Whether `m` leaves the lock required under `target`'s rules: `m` is not a module, or
/// its `md_gil` is `Py_MOD_GIL_USED` (3.13/3.14: NULL; 3.15: anything but `Py_MOD_GIL_NOT_USED`).
///
/// # Safety
/// `m` must be a valid object.
pub unsafe fn module_requires_gil(m: *mut PyObject, target: Target) -> bool {
    let _ = (m, target);
    unimplemented!("module_requires_gil")
}

/// How many times `PyUnstable_Module_SetGIL` has been called in this process.
pub fn setgil_call_count() -> u64 {
    unimplemented!("setgil_call_count")
}

/// Sets the package context (the full dotted name) that single-phase `PyModule_Create2`
/// resolves a short `m_name` against; returns the previous one.
pub fn swap_package_context(full_name: Option<std::ffi::CString>) -> Option<std::ffi::CString> {
    let _ = full_name;
    unimplemented!("swap_package_context")
}
